"""Per-user flood control: past a burst, one polite notice, then silence for a while."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from enum import Enum
from typing import Callable

from bot.config import FloodSettings


class Verdict(str, Enum):
    ALLOW = "allow"
    NOTIFY = "notify"   # the first message over the limit: tell the user once
    DROP = "drop"       # muted: ignore quietly


@dataclass
class _User:
    times: deque
    muted_until: float = 0.0


class FloodControl:
    def __init__(self, settings: FloodSettings, clock: Callable[[], float] = time.monotonic,
                 max_users: int = 100_000):
        self.settings = settings
        self.clock = clock
        self.max_users = max_users
        self._users: OrderedDict[int | str, _User] = OrderedDict()

    def check(self, user_id: int | str, now: float | None = None) -> Verdict:
        """``now``: when the message was written, if known (one clock per FloodControl)."""
        now = self.clock() if now is None else now
        user = self._users.get(user_id)
        if user is None:
            user = self._users[user_id] = _User(deque(maxlen=self.settings.messages + 1))
            while len(self._users) > self.max_users:  # bounded memory: forget the least recent
                self._users.popitem(last=False)
        self._users.move_to_end(user_id)
        if now < user.muted_until:
            return Verdict.DROP
        window_start = now - self.settings.per_seconds
        while user.times and user.times[0] <= window_start:
            user.times.popleft()
        user.times.append(now)
        if len(user.times) > self.settings.messages:
            user.muted_until = now + self.settings.mute_seconds
            user.times.clear()
            return Verdict.NOTIFY
        return Verdict.ALLOW
