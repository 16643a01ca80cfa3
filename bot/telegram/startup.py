"""Start-up and shutdown of the Telegram bot: ``python -m bot telegram``.

Start: open the inbox (exit 2 if the database is unusable or another bot holds it),
reach the Bot API (getMe, then deleteWebhook or setWebhook), retrying transient
failures with backoff for ``telegram.startup_retry_seconds`` and naming the call that
failed; a rejected token stops with exit 2; setMyCommands only decorates the chat, so
its failure is a warning. Then the updates left pending by the last run are queued,
before any new one is fetched.

Stop (SIGTERM or SIGINT): stop fetching, give replies in flight a short grace, cancel
the rest (they stay pending in the inbox), close. Well within Docker's 10 s, even in an
outage, since no retry outlives the stop signal.

A database that cannot be written while running (disk full, file made read-only) is one
rule in both modes: the update it could not store is not confirmed (polling does not move
the offset, the webhook answers 503), one ERROR is logged, the bot stops as above and
exits with code 2, as it would at start. Telegram keeps the update for the next start.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sqlite3
import sys

from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import InvalidToken
from telegram.ext import Application, Defaults

from bot import metrics
from bot.config import BotConfig
from bot.core import COMMANDS, Conversation
from bot.health import Health
from bot.log_setup import setup_logging
from bot.storage import StorageError
from bot.telegram.channel import TelegramChannel
from bot.telegram.chat_locks import ChatLocks
from bot.telegram.flood_guard import FloodGuard
from bot.telegram.handlers import Handlers
from bot.telegram.inbox import ERASE_EVERY_SECONDS, Inbox
from bot.telegram.monitor import Monitor
from bot.telegram.polling import ALLOWED_UPDATES, poll
from bot.telegram.processing import InboxUpdateProcessor
from bot.telegram.retry import GaveUp, pause, with_retries
from bot.telegram.sending import MessageRateLimiter, Sender
from bot.telegram.webhook import WebhookServer

log = logging.getLogger("bot.telegram")

SHUTDOWN_GRACE = 3.0      # seconds replies in flight may still finish after SIGTERM
# Updates handled at once. Most of them, in an outage, only wait for their chat's turn
# (bot/telegram/chat_locks.py): a bound too low would let one chat's queue hold up the others.
MAX_CONCURRENT_UPDATES = 1024


STORAGE_FAILED_EXIT = 2   # as at start: the database is unusable


class _Exit(Exception):
    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


class StorageFailure:
    """The one place a database failure while running is handled: remember it, log it once, stop."""

    def __init__(self, stop: asyncio.Event):
        self.stop = stop
        self.error: StorageError | None = None

    def __call__(self, exc: StorageError) -> None:
        if self.error is None:
            self.error = exc
            log.error("the database cannot be written (%s); stopping without confirming new updates", exc)
        self.stop.set()


async def _erase_answered(inbox: Inbox, stop: asyncio.Event, failed: StorageFailure) -> None:
    """Empty the write-ahead log of answered messages every ERASE_EVERY_SECONDS (bot/telegram/inbox.py)."""
    while await pause(ERASE_EVERY_SECONDS, stop):
        try:
            if not inbox.erase_from_log():
                log.debug("write-ahead log in use by a reader; emptied at the next tick")
        except StorageError as exc:
            failed(exc)
            return


def build_application(conversation: Conversation, config: BotConfig, inbox: Inbox,
                      stop: asyncio.Event, failed: StorageFailure,
                      monitor: Monitor | None = None) -> tuple[Application, InboxUpdateProcessor]:
    tg = config.telegram
    processor = InboxUpdateProcessor(inbox, failed, MAX_CONCURRENT_UPDATES)
    builder = Application.builder()
    if monitor is not None:   # its HTTP client notes each Bot API answer for the health checks
        request, get_updates_request = monitor.requests()
        builder = builder.request(request).get_updates_request(get_updates_request)
    builder = (
        builder
        .token(tg.token)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True),
                           allow_sending_without_reply=True))
        .rate_limiter(MessageRateLimiter())
        .concurrent_updates(processor)
        .updater(None)   # our own intake stores each update before confirming it (polling.py, webhook.py)
    )
    if tg.base_url:
        builder = builder.base_url(tg.base_url).base_file_url(tg.base_url.rstrip("/") + "/file")
    app = builder.build()
    sender = Sender(tg.send_retry_seconds, stop, on_retry=metrics.send_retry, on_failing=metrics.send_failure)
    locks = ChatLocks()
    app.add_handler(FloodGuard(tg.flood, sender, locks).handler(), group=-1)
    Handlers(TelegramChannel(conversation), config, sender, locks, processor.keep_pending).register(app)
    return app, processor


async def _start(app: Application, config: BotConfig, stop: asyncio.Event) -> None:
    tg = config.telegram
    budget = tg.startup_retry_seconds

    async def step(what: str, call) -> None:
        try:
            await with_retries(what, call, budget, stop)
        except InvalidToken:
            raise _Exit("Telegram rejected the bot token. Check TELEGRAM_BOT_TOKEN (or telegram.token_file, "
                        "or the telegram-token credential).", 2) from None
        except GaveUp as exc:
            if exc.stopping:
                raise _Exit("", 0) from None
            raise _Exit(f"Could not reach the Telegram Bot API: {exc.what} kept failing for {exc.elapsed:.1f} s "
                        f"({type(exc.cause).__name__}). Check the network and telegram.base_url, "
                        "then start again.", 1) from None

    await step("getMe (checking the token)", app.initialize)
    if tg.mode == "webhook":
        w = tg.webhook
        if not w.secret_token:
            log.warning("telegram.webhook.secret_token is not set: anyone who finds the URL can post updates")
        await step("setWebhook", lambda: app.bot.set_webhook(w.url, secret_token=w.secret_token,
                                                             allowed_updates=ALLOWED_UPDATES))
    else:
        await step("deleteWebhook", lambda: app.bot.delete_webhook(drop_pending_updates=False))
    try:
        await app.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS.items()])
    except Exception as exc:  # noqa: BLE001 - the command menu is cosmetic: never worth not starting
        log.warning("setMyCommands failed (%s); the command menu may be out of date", type(exc).__name__)


async def _run(conversation: Conversation, config: BotConfig, inbox: Inbox) -> int:
    tg = config.telegram
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    failed = StorageFailure(stop)
    monitor = Monitor(Health(tg.mode, model_check=_model_check(conversation)), config.storage.path)
    app, processor = build_application(conversation, config, inbox, stop, failed, monitor)
    intake: asyncio.Task | None = None
    eraser: asyncio.Task | None = None
    watching: asyncio.Task | None = None
    webhook: WebhookServer | None = None
    try:
        try:
            await _start(app, config, stop)
        except _Exit as exc:
            if str(exc):
                print(str(exc), file=sys.stderr)
            return exc.code
        try:   # ports first: one taken by another program is the operator's to fix (one line, exit 2)
            if config.metrics.enabled:
                where = f"metrics.port {config.metrics.port} on {config.metrics.listen}"
                port = metrics.serve(config.metrics.listen, config.metrics.port)
                log.info("metrics on http://%s:%d/metrics", config.metrics.listen, port)
            if tg.mode == "webhook":
                where = f"telegram.webhook.port {tg.webhook.port} on {tg.webhook.listen}"
                webhook = WebhookServer(tg.webhook, app.bot, inbox, app.update_queue, failed, monitor.health)
                webhook.bind()
        except OSError as exc:
            print(f"The bot cannot start: {where}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        await app.start()
        pending = inbox.pending(app.bot)
        for update in pending:   # queued before anything new is fetched
            await app.update_queue.put(update)
        eraser = asyncio.create_task(_erase_answered(inbox, stop, failed))
        await monitor.check_once(None)   # /readyz and `bot health` have facts from the first request on
        watching = asyncio.create_task(monitor.run(app.bot, stop))
        if webhook is not None:
            webhook.start()
        else:
            intake = asyncio.create_task(poll(app.bot, inbox, app.update_queue, stop, failed))
        log.info("bot @%s ready (%s), %d FAQ entries, %d pending updates replayed", app.bot.username, tg.mode,
                 len(conversation.kb.entries), len(pending))
        monitor.started()   # systemd: READY=1
        await stop.wait()
        log.info("stopping")
        monitor.notifier.stopping()
        for task in (intake, eraser):
            if task:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        if webhook:
            await webhook.stop()
        await processor.drain(SHUTDOWN_GRACE)
        await app.stop()
        if failed.error is not None:
            print(f"The bot stopped: {failed.error}", file=sys.stderr)
            return STORAGE_FAILED_EXIT
        return 0
    finally:
        if watching is not None:   # let a probe in its worker thread finish before its connection closes
            stop.set()
            await asyncio.wait([watching], timeout=3)
            watching.cancel()
            monitor.stopped()
        metrics.stop()
        if app.running:
            await app.stop()
        try:
            await asyncio.wait_for(app.shutdown(), timeout=3)
        except Exception as exc:  # noqa: BLE001 - closing connections must not turn a stop into a crash
            log.debug("shutdown: %s", type(exc).__name__)
        try:
            inbox.erase_from_log()
            pending_count, _ = inbox.counts()
        except (StorageError, sqlite3.Error):
            pending_count = 0   # already reported; a failing disk must not turn the stop into a traceback
        if pending_count:
            log.info("%d updates pending in the inbox for the next start", pending_count)


def _model_check(conversation: Conversation):
    """The readiness check of what answers: the knowledge base and the matcher built from it."""
    def check() -> str | None:
        return None if conversation.kb.entries and conversation.matcher is not None else "no knowledge base loaded"
    return check


def _fail(message: str, code: int = 2) -> int:
    print(message, file=sys.stderr)
    return code


def run_telegram(config: BotConfig) -> int:
    tg = config.telegram
    if not tg.token:
        return _fail("No Telegram bot token: set the environment variable TELEGRAM_BOT_TOKEN, or name a file "
                     "holding it in telegram.token_file, or give it as the systemd credential telegram-token.")
    if tg.mode == "webhook" and not tg.webhook.url:
        return _fail("telegram.mode is webhook but telegram.webhook.url is not set.")
    setup_logging(config.logging, tg.token, secrets_=[tg.webhook.secret_token])
    conversation = Conversation.from_config(config)   # a broken data file: exit 2 in bot/__main__.py
    try:
        inbox = Inbox.open(config.storage.path)
    except StorageError as exc:
        return _fail(f"The bot cannot start: {exc}")
    try:
        return asyncio.run(_run(conversation, config, inbox))
    except StorageError as exc:   # the disk failed outside the paths above: the same rule
        return _fail(f"The bot stopped: {exc}", STORAGE_FAILED_EXIT)
    finally:
        inbox.close()
