"""Long polling that confirms an update to Telegram only after the inbox has committed it.

python-telegram-bot's Updater moves the offset past a batch as soon as the updates are
in its in-memory queue, and parses a batch as a whole: one update it cannot read fails
the batch, is logged raw (text, ids, names) and is fetched again forever. So this loop
asks for updates itself (``Bot.do_api_request``, raw JSON), has the inbox parse each one
and store the readable ones, and only then moves the offset past the whole batch,
unreadable ones included, then hands the new updates to the Application's queue.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable

from telegram import Bot
from telegram.error import InvalidToken, TelegramError
from telegram.warnings import PTBUserWarning

from bot.storage import StorageError
from bot.telegram.inbox import Inbox
from bot.telegram.retry import FIRST_BACKOFF, MAX_BACKOFF, pause

log = logging.getLogger("bot.telegram")

POLL_TIMEOUT = 10          # seconds Telegram may hold a getUpdates open
ALLOWED_UPDATES = ["message", "callback_query"]

# Bot.get_updates would parse the batch itself; asking for the raw JSON is deliberate.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.get_updates'", category=PTBUserWarning)


async def poll(bot: Bot, inbox: Inbox, queue: asyncio.Queue, stop: asyncio.Event,
               storage_failed: Callable[[StorageError], None], timeout: int = POLL_TIMEOUT) -> None:
    """Fetch, store, confirm, hand over; until ``stop`` is set. Bot API failures are retried with
    backoff; a database that cannot store the batch goes to ``storage_failed`` (which stops the
    bot) and the batch is not confirmed, so Telegram keeps it."""
    offset: int | None = None
    delay = FIRST_BACKOFF
    while not stop.is_set():
        params: dict = {"timeout": timeout, "allowed_updates": ALLOWED_UPDATES}
        if offset is not None:
            params["offset"] = offset
        try:
            raws = await bot.do_api_request("get_updates", api_kwargs=params, read_timeout=timeout + 5)
        except InvalidToken:
            log.error("Telegram rejected the bot token while polling; stopping")
            stop.set()
            return
        except TelegramError as exc:
            log.warning("polling failed (%s: %s), retrying in %.1f s", type(exc).__name__, exc, delay)
            await pause(delay, stop)
            delay = min(delay * 2, MAX_BACKOFF)
            continue
        delay = FIRST_BACKOFF
        if not isinstance(raws, list) or not raws:
            continue
        try:
            fresh = inbox.accept(raws, bot)   # committed to disk before the offset moves
        except StorageError as exc:
            storage_failed(exc)
            return
        ids = [r["update_id"] for r in raws if isinstance(r, dict) and isinstance(r.get("update_id"), int)]
        if ids:
            offset = max(ids) + 1
        for update in fresh:
            await queue.put(update)
