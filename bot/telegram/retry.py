"""The one rule for retrying the Bot API: what is worth retrying, how long to wait, when to stop.

Transient failures are 5xx answers, timeouts and refused connections (python-telegram-bot
raises NetworkError for all of them) and 429 (RetryAfter, which says how long to wait).
Everything else (a rejected token, a bad request, a user who blocked the bot) will not get
better by asking again. Waits end at once when the bot is stopping, so SIGTERM is prompt
even in an outage. Sending and start-up both use this; nothing else retries.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import NetworkError, RetryAfter, TelegramError

log = logging.getLogger("bot.telegram")
T = TypeVar("T")

FIRST_BACKOFF, MAX_BACKOFF = 0.5, 10.0


class GaveUp(Exception):
    """Retries ran out (or the bot is stopping); ``cause`` is the last failure."""

    def __init__(self, what: str, cause: BaseException | None, stopping: bool = False):
        self.what, self.cause, self.stopping = what, cause, stopping
        reason = "the bot is stopping" if stopping else f"{type(cause).__name__}: {cause}"
        super().__init__(f"{what} failed ({reason})")


def is_transient(exc: BaseException) -> bool:
    return isinstance(exc, (NetworkError, RetryAfter))  # TimedOut is a NetworkError


def retry_after_seconds(exc: RetryAfter) -> float:
    wait = exc.retry_after
    return float(wait if isinstance(wait, (int, float)) else wait.total_seconds())


async def pause(seconds: float, stop: asyncio.Event) -> bool:
    """Sleep ``seconds`` unless ``stop`` is set first; True if the sleep ran its course."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=max(0.0, seconds))
    except TimeoutError:
        return True
    return False


async def with_retries(what: str, call: Callable[[], Awaitable[T]], budget: float, stop: asyncio.Event,
                       level: int = logging.WARNING, on_retry: Callable[[], None] | None = None) -> T:
    """``await call()``, retrying transient failures with backoff for about ``budget`` seconds.

    Raises GaveUp when the budget is spent or the bot is stopping; other errors go through.
    """
    deadline = time.monotonic() + budget
    delay = FIRST_BACKOFF
    attempt = 0
    while True:
        if stop.is_set():
            raise GaveUp(what, None, stopping=True)
        attempt += 1
        try:
            return await call()
        except TelegramError as exc:
            if not is_transient(exc):
                raise
            wait = retry_after_seconds(exc) + 0.1 if isinstance(exc, RetryAfter) else delay
            if time.monotonic() + wait > deadline:
                raise GaveUp(what, exc) from exc
            log.log(level, "%s failed (%s), attempt %d, retrying in %.1f s", what, type(exc).__name__, attempt, wait)
            if on_retry is not None:
                on_retry()
            if not await pause(wait, stop):
                raise GaveUp(what, exc, stopping=True) from exc
            if not isinstance(exc, RetryAfter):
                delay = min(delay * 2, MAX_BACKOFF)
