"""One lock per chat, so a chat's messages are answered in order while chats run in parallel."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


class ChatLocks:
    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def run(self, chat_id: int, job: Callable[[], Awaitable[None]]) -> None:
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._users[chat_id] = self._users.get(chat_id, 0) + 1
        try:
            async with lock:
                await job()
        finally:
            self._users[chat_id] -= 1
            if not self._users[chat_id]:  # nobody waiting: forget it, memory stays bounded
                del self._users[chat_id], self._locks[chat_id]
