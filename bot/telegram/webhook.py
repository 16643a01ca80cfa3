"""A webhook that answers Telegram's POST only after the inbox has committed the update.

python-telegram-bot's own webhook server answers 200 before the update is stored and
logs an update it cannot parse in full, so this follows PTB's custom-webhook example
(customwebhookbot.py: your own web server puts updates into ``application.update_queue``)
with tornado, which the ``webhooks`` extra already installs: check the secret token,
store and commit, answer 200, then hand the update over. An unreadable update is
answered 200 too (logged by update_id and error type only), so Telegram moves past it.

The same listener answers ``GET /healthz`` (204: the process and its event loop answer) and
``GET /readyz`` (204 when ready, 503 when not: bot/health.py), with no content, for a load
balancer or a probe; let your reverse proxy forward only the webhook's path from outside.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections.abc import Callable

import tornado.httpserver
import tornado.netutil
import tornado.web
from telegram import Bot

from bot.config import WebhookSettings
from bot.health import Health
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


class _HealthHandler(tornado.web.RequestHandler):
    """No content: 204, or 503 when ``need_ready`` and the bot is not ready."""

    def initialize(self, health: Health | None, need_ready: bool) -> None:
        self.health, self.need_ready = health, need_ready

    def get(self) -> None:
        ready = not self.need_ready or (self.health is not None and self.health.ready())
        self.set_header("Cache-Control", "no-store")
        self.set_status(204 if ready else 503)

    head = get


class WebhookServer:
    def __init__(self, settings: WebhookSettings, bot: Bot, inbox: Inbox, queue: asyncio.Queue,
                 storage_failed: Callable[[StorageError], None], health: Health | None = None):
        path = "/" + settings.path.strip("/")
        self.refusals = RefusalLog()
        app = tornado.web.Application(
            [(path, _UpdateHandler, {"bot": bot, "inbox": inbox, "queue": queue, "secret": settings.secret_token,
                                     "refusals": self.refusals, "storage_failed": storage_failed}),
             ("/healthz", _HealthHandler, {"health": health, "need_ready": False}),
             ("/readyz", _HealthHandler, {"health": health, "need_ready": True})],
            log_function=lambda handler: None)   # no access log: tornado's would name each refused request
        self.settings = settings
        self.server = tornado.httpserver.HTTPServer(app, xheaders=True)
        self._sockets: list = []

    def bind(self) -> None:
        """Take the port (OSError if another program has it); requests wait until ``start``."""
        self._sockets = tornado.netutil.bind_sockets(self.settings.port, self.settings.listen)

    def start(self) -> None:
        if not self._sockets:
            self.bind()
        self.server.add_sockets(self._sockets)

    async def stop(self) -> None:
        self.server.stop()
        try:
            await asyncio.wait_for(self.server.close_all_connections(), timeout=2)
        except TimeoutError:
            pass
