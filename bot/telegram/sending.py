"""Sending replies: rendered HTML messages, retried through transient Bot API failures.

The rule: a reply is retried for as long as the bot runs (5xx, timeouts, refused
connections with backoff from 0.5 s doubling to SEND_MAX_BACKOFF; 429 after the
retry_after Telegram names) until it is sent, or Telegram says it never can be (403
blocked or deactivated, 400 chat not found: ``Undeliverable``, which the error handler
logs by update_id, and the update is dropped). The chat's lock is held meanwhile
(bot/telegram/chat_locks.py), so its later messages wait behind it and arrive in order;
other chats go on. The first failure of a reply is a WARNING, each retry after it DEBUG,
and one ERROR once it has failed for ``telegram.send_retry_seconds``. Only a stop
ends the retries early: ReplyNotSent, and the update stays pending in the inbox,
answered first at the next start.

One layer retries: this one (bot/telegram/retry.py). AIORateLimiter only paces requests
under Telegram's caps (max_retries=0), so retries never stack.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable

from telegram import Bot, ReplyParameters
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter

from bot.telegram.render import OutMessage, escape
from bot.telegram.retry import GaveUp, is_undeliverable, with_retries

log = logging.getLogger("bot.telegram")

# The longest pause between two tries of a reply in an outage: once Telegram is back, every
# waiting chat tries again within this many seconds.
SEND_MAX_BACKOFF = 4.0


class ReplyNotSent(Exception):
    """The bot stopped before the reply could be sent; keep the update pending."""


class Undeliverable(Exception):
    """Telegram says this chat can never get the reply (blocked, deactivated, chat not found)."""


class MessageRateLimiter(AIORateLimiter):
    """AIORateLimiter pacing messages only; it never retries (the Sender does).

    The typing action is cosmetic and does not spend the budget: counting it would halve
    the replies a second the bot can send under Telegram's cap.
    """

    def __init__(self) -> None:
        super().__init__(max_retries=0)
        # Its only records are about its own retries, which are off: one traceback per 429.
        # The Sender logs each 429 it retries in one line.
        logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        if endpoint in ("sendChatAction", "answerCallbackQuery"):
            return await callback(*args, **kwargs)
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


class Sender:
    def __init__(self, retry_seconds: float, stop: asyncio.Event,
                 on_retry: Callable[[], None] | None = None, on_failing: Callable[[], None] | None = None):
        self.retry_seconds = retry_seconds   # failing this long makes one ERROR line; retries go on
        self.stop = stop
        self.on_retry = on_retry           # counts retries (bot/metrics.py)
        self.on_failing = on_failing       # counts replies failing for retry_seconds, at their ERROR line

    async def messages(self, bot: Bot, chat_id: int, messages: list[OutMessage], reply_to: int | None) -> None:
        """A rendered reply (bot/telegram/channel.py), in order; only the first quotes ``reply_to``."""
        for i, out in enumerate(messages):
            await self.html(bot, chat_id, out.html, out.keyboard, reply_to if i == 0 else None)

    async def text(self, bot: Bot, chat_id: int, text: str, reply_to: int | None) -> None:
        await self.html(bot, chat_id, escape(text), None, reply_to)

    async def html(self, bot: Bot, chat_id: int, html_text: str, keyboard, reply_to: int | None) -> None:
        # Parse mode, link previews and "send even if the replied-to message is gone" come from Defaults.
        async def send():
            return await bot.send_message(chat_id, html_text, reply_markup=keyboard,
                                          reply_parameters=ReplyParameters(reply_to) if reply_to else None)
        told_error = False

        def on_retry(what: str, exc: BaseException, attempt: int, wait: float, elapsed: float) -> None:
            nonlocal told_error
            if self.on_retry is not None:
                self.on_retry()
            if attempt == 1:
                log.warning("%s failed (%s); retrying until it is sent", what, type(exc).__name__)
            elif elapsed >= self.retry_seconds and not told_error:
                told_error = True
                log.error("%s has failed for %.0f s (%s, %d attempts); still retrying", what, elapsed,
                          type(exc).__name__, attempt)
                if self.on_failing is not None:
                    self.on_failing()
            else:
                log.debug("%s failed (%s), attempt %d, retrying in %.1f s", what, type(exc).__name__, attempt, wait)

        try:
            await with_retries("sending a reply", send, math.inf, self.stop, SEND_MAX_BACKOFF, on_retry)
        except GaveUp as exc:
            raise ReplyNotSent(str(exc)) from exc
        except TelegramError as exc:
            if is_undeliverable(exc):
                raise Undeliverable(f"{type(exc).__name__}: {exc}") from exc
            raise

    async def typing(self, bot: Bot, chat_id: int) -> None:
        try:
            await bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as exc:  # cosmetic: never worth delaying the answer
            log.debug("typing action failed: %s", type(exc).__name__)
