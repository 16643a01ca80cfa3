"""The running bot watching itself: health probes, systemd's watchdog, the status file, inbox gauges.

Every PROBE_EVERY seconds, on the event loop (so a blocked loop stops it all): the database
probe runs in a worker thread (bot/health.py), the status file is rewritten for
``python -m bot health``, the inbox gauges are updated for the metrics, and, if the database
is writable, systemd's watchdog is fed (WATCHDOG=1). An unreachable Bot API does not starve the
watchdog: the bot rides out Telegram outages by itself (the inbox keeps what is pending), and
a restart would not bring Telegram back. It does make /readyz answer 503.

Whether the Bot API answered is seen on the bot's own requests (AnsweredRequest); a bot with
nothing to do (a webhook without traffic) asks getMe after API_PROBE_AFTER seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from pathlib import Path

from telegram import Bot
from telegram.error import TelegramError
from telegram.request import HTTPXRequest

from bot import metrics
from bot.health import API_PROBE_AFTER, PROBE_EVERY, DatabaseProbe, Health, Status, status_path
from bot.sd_notify import Notifier
from bot.telegram.inbox import pending_summary
from bot.telegram.retry import pause

log = logging.getLogger("bot.telegram")


class AnsweredRequest(HTTPXRequest):
    """python-telegram-bot's HTTP client, telling ``on_answer`` whenever the Bot API answered
    (any status below 500: even a refusal shows Telegram is there)."""

    def __init__(self, on_answer: Callable[[], None], **kwargs):
        super().__init__(**kwargs)
        self._on_answer = on_answer

    async def do_request(self, *args, **kwargs):
        code, payload = await super().do_request(*args, **kwargs)
        if code < 500:
            self._on_answer()
        return code, payload


class Monitor:
    def __init__(self, health: Health, db_path: str | Path, notifier: Notifier | None = None):
        self.health = health
        self.probe = DatabaseProbe(db_path, pending_summary)
        self.notifier = notifier or Notifier()
        self.status_file = status_path(db_path)
        self._api_probe: asyncio.Task | None = None
        self._was_ready: bool | None = None
        self._status_error: str | None = None

    def requests(self) -> tuple[AnsweredRequest, AnsweredRequest]:
        """(for every call, for getUpdates), sized as python-telegram-bot's own defaults."""
        return (AnsweredRequest(self.health.api_answered, connection_pool_size=256),
                AnsweredRequest(self.health.api_answered, connection_pool_size=1))

    async def check_once(self, bot: Bot | None) -> Status:
        self.health.database = await asyncio.to_thread(self.probe.check)
        if bot is not None and self.health.api_idle_seconds() > API_PROBE_AFTER and \
                (self._api_probe is None or self._api_probe.done()):
            self._api_probe = asyncio.create_task(self._ask_api(bot))
        status = self.health.status()
        try:
            status.write(self.status_file)
            self._status_error = None
        except OSError as exc:
            if exc.strerror != self._status_error:   # once per kind of failure, not every 2 s
                log.warning("health status file %s not written (%s)", self.status_file, exc.strerror)
            self._status_error = exc.strerror
        metrics.set_inbox(status.pending, status.oldest_pending_seconds)
        if self.health.database.problem is None:
            self.notifier.watchdog()
        if status.ready != self._was_ready:
            self._was_ready = status.ready
            text = "ready" if status.ready else "not ready: " + "; ".join(status.problems)
            (log.info if status.ready else log.warning)("health: %s", text)
            self.notifier.status(text)
        return status

    async def _ask_api(self, bot: Bot) -> None:
        try:
            await bot.get_me(read_timeout=10, connect_timeout=10)
        except TelegramError as exc:
            log.debug("getMe health probe failed: %s", type(exc).__name__)

    async def run(self, bot: Bot, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.check_once(bot)
            await pause(PROBE_EVERY, stop)

    def started(self) -> None:
        status = self.health.problems()
        self.notifier.ready("ready" if not status else "not ready: " + "; ".join(status))

    def stopped(self) -> None:
        self.notifier.stopping()
        if self._api_probe is not None:
            self._api_probe.cancel()
        self.probe.close()
        try:
            Status(at=time.time(), pid=0, mode=self.health.mode, ready=False,
                   problems=("the bot stopped",)).write(self.status_file)
        except OSError:
            pass
        self.notifier.close()
