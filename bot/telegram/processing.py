"""Marks each update done in the inbox once it was handled, and stops promptly at shutdown.

python-telegram-bot hands every update to one ``BaseUpdateProcessor`` (the
``concurrent_updates`` hook); this one runs the handlers as before (up to N updates at
once) and then:
- marks the update done, unless its reply could not be sent (``keep_pending``, called by
  the error handler): that one stays in the inbox and is replayed at the next start;
- at shutdown gives the replies in flight a short grace, then cancels them. A cancelled
  update stays pending, so SIGTERM never waits for an outage to end.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.storage import StorageError
from bot.telegram.inbox import Inbox

log = logging.getLogger("bot.telegram")


class InboxUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, inbox: Inbox, storage_failed: Callable[[StorageError], None],
                 max_concurrent_updates: int = 64):
        super().__init__(max_concurrent_updates)
        self.inbox = inbox
        self.storage_failed = storage_failed
        self.stopping = False
        self._keep: set[int] = set()
        self._tasks: set[asyncio.Task] = set()

    def keep_pending(self, update_id: int) -> None:
        self._keep.add(update_id)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        if self.stopping:  # queued behind the shutdown: leave it for the next start
            getattr(coroutine, "close", lambda: None)()
            return
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        try:
            await task
        except asyncio.CancelledError:
            if not self.stopping:
                raise
            log.info("update %s not finished at shutdown; kept in the inbox for the next start", update_id)
            return
        finally:
            self._tasks.discard(task)
        if update_id is None:
            return
        if update_id in self._keep:
            self._keep.discard(update_id)
            return
        try:
            self.inbox.mark_done(update_id)
        except StorageError as exc:   # stays pending: answered again at the next start
            self.storage_failed(exc)

    async def drain(self, grace: float) -> None:
        """Stop taking updates; let those in flight finish for ``grace`` seconds, then cancel them."""
        self.stopping = True
        tasks = list(self._tasks)
        if not tasks:
            return
        _, late = await asyncio.wait(tasks, timeout=grace)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late, timeout=2.0)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
