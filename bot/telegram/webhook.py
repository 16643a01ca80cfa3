"""A webhook that answers Telegram's POST only after the inbox has committed the update.

python-telegram-bot's own webhook server answers 200 before the update is stored and
logs an update it cannot parse in full, so this follows PTB's custom-webhook example
(customwebhookbot.py: your own web server puts updates into ``application.update_queue``)
with tornado, which the ``webhooks`` extra already installs: check the secret token,
store and commit, answer 200, then hand the update over. An unreadable update is
answered 200 too (logged by update_id and error type only), so Telegram moves past it.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections.abc import Callable

import tornado.httpserver
import tornado.web
from telegram import Bot

from bot.config import WebhookSettings
from bot.storage import StorageError
from bot.telegram.inbox import Inbox

log = logging.getLogger("bot.telegram")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
REFUSED_LOG_EVERY = 60.0   # seconds: a scanner hammering the URL gets one warning a minute, not one per request


class RefusalLog:
    """Counts requests refused for a wrong secret; one WARNING at most every REFUSED_LOG_EVERY seconds."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.count = 0
        self._last: float | None = None

    def refused(self) -> None:
        self.count += 1
        now = self.clock()
        if self._last is None or now - self._last >= REFUSED_LOG_EVERY:
            log.warning("%d webhook request(s) without the right secret token refused%s", self.count,
                        "" if self._last is None else f" in the last {now - self._last:.0f} s")
            self._last, self.count = now, 0


class _UpdateHandler(tornado.web.RequestHandler):
    def initialize(self, bot: Bot, inbox: Inbox, queue: asyncio.Queue, secret: str | None,
                   refusals: RefusalLog, storage_failed: Callable[[StorageError], None]) -> None:
        self.bot, self.inbox, self.queue, self.secret = bot, inbox, queue, secret
        self.refusals, self.storage_failed = refusals, storage_failed

    def log_exception(self, typ, value, tb) -> None:  # tornado would log the request; keep it to the type
        if isinstance(value, tornado.web.HTTPError):
            return   # a refusal we chose, already logged where it was made
        log.error("webhook request failed: %s", typ.__name__ if typ else "-")

    async def post(self) -> None:
        if self.secret and not hmac.compare_digest(self.request.headers.get(SECRET_HEADER, ""), self.secret):
            self.refusals.refused()
            raise tornado.web.HTTPError(403)
        try:
            raw = json.loads(self.request.body)
        except ValueError:
            log.warning("webhook body is not JSON; refused")
            raise tornado.web.HTTPError(400) from None
        try:
            fresh = self.inbox.accept([raw], self.bot)   # committed before Telegram hears 200
        except StorageError as exc:
            # Not confirmed: Telegram keeps the update and redelivers it to the next start.
            self.storage_failed(exc)
            raise tornado.web.HTTPError(503) from None
        for update in fresh:
            await self.queue.put(update)
        self.set_status(200)


class WebhookServer:
    def __init__(self, settings: WebhookSettings, bot: Bot, inbox: Inbox, queue: asyncio.Queue,
                 storage_failed: Callable[[StorageError], None]):
        path = "/" + settings.path.strip("/")
        self.refusals = RefusalLog()
        app = tornado.web.Application(
            [(path, _UpdateHandler, {"bot": bot, "inbox": inbox, "queue": queue, "secret": settings.secret_token,
                                     "refusals": self.refusals, "storage_failed": storage_failed})],
            log_function=lambda handler: None)   # no access log: tornado's would name each refused request
        self.settings = settings
        self.server = tornado.httpserver.HTTPServer(app, xheaders=True)

    def start(self) -> None:
        self.server.listen(self.settings.port, self.settings.listen)

    async def stop(self) -> None:
        self.server.stop()
        try:
            await asyncio.wait_for(self.server.close_all_connections(), timeout=2)
        except TimeoutError:
            pass
