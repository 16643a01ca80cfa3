"""The one rule for retrying the Bot API: what is worth retrying, how long to wait, when to stop.

Transient failures are 5xx answers, timeouts and refused connections (python-telegram-bot
raises NetworkError for all of them) and 429 (RetryAfter, which says how long to wait).
Everything else (a rejected token, a bad request, a user who blocked the bot) will not get
better by asking again; of those, ``is_undeliverable`` names the ones Telegram uses to say
a chat can never get a message (403 blocked or deactivated, 400 chat not found). Waits end
at once when the bot is stopping, so SIGTERM is prompt even in an outage. Start-up retries
for a budget; sending retries for as long as the bot runs (budget=inf). Nothing else retries.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

log = logging.getLogger("bot.telegram")
T = TypeVar("T")

FIRST_BACKOFF, MAX_BACKOFF = 0.5, 10.0


class GaveUp(Exception):
    """Retries ran out (or the bot is stopping); ``cause`` is the last failure, ``elapsed``
    the seconds since the first attempt."""

    def __init__(self, what: str, cause: BaseException | None, stopping: bool = False, elapsed: float = 0.0):
        self.what, self.cause, self.stopping, self.elapsed = what, cause, stopping, elapsed
        reason = "the bot is stopping" if stopping else f"{type(cause).__name__}: {cause}"
        super().__init__(f"{what} failed ({reason})")


def is_transient(exc: BaseException) -> bool:
    # TimedOut is a NetworkError, and so is BadRequest (a 400), which asking again never mends.
    return isinstance(exc, (NetworkError, RetryAfter)) and not isinstance(exc, BadRequest)


def is_undeliverable(exc: BaseException) -> bool:
    """Telegram says this chat can never get the message: the user blocked the bot or
    deleted their account (403), or the chat is gone (400 chat not found)."""
    return isinstance(exc, Forbidden) or (isinstance(exc, BadRequest) and "chat not found" in exc.message.lower())


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


OnRetry = Callable[[str, BaseException, int, float, float], None]


def log_each_retry(what: str, exc: BaseException, attempt: int, wait: float, elapsed: float) -> None:
    log.warning("%s failed (%s), attempt %d, retrying in %.1f s", what, type(exc).__name__, attempt, wait)


async def with_retries(what: str, call: Callable[[], Awaitable[T]], budget: float, stop: asyncio.Event,
                       max_backoff: float = MAX_BACKOFF, on_retry: OnRetry = log_each_retry) -> T:
    """``await call()``, retrying transient failures with backoff for ``budget`` seconds (math.inf:
    until it succeeds). The last wait is cut to the budget, so a failure is given its full time.

    Raises GaveUp when the budget is spent or the bot is stopping; other errors go through.
    ``on_retry(what, exc, attempt, wait, elapsed)`` is told of each retry: it logs (and,
    for replies, counts the retry in bot/metrics.py).
    """
    began = time.monotonic()
    deadline = began + budget if math.isfinite(budget) else math.inf
    delay = FIRST_BACKOFF
    attempt = 0
    while True:
        if stop.is_set():
            raise GaveUp(what, None, stopping=True, elapsed=time.monotonic() - began)
        attempt += 1
        try:
            return await call()
        except TelegramError as exc:
            if not is_transient(exc):
                raise
            now = time.monotonic()
            wait = retry_after_seconds(exc) + 0.1 if isinstance(exc, RetryAfter) else delay
            if now >= deadline:
                raise GaveUp(what, exc, elapsed=now - began) from exc
            wait = min(wait, deadline - now)
            on_retry(what, exc, attempt, wait, now - began)
            if not await pause(wait, stop):
                raise GaveUp(what, exc, stopping=True, elapsed=time.monotonic() - began) from exc
            if not isinstance(exc, RetryAfter):
                delay = min(delay * 2, max_backoff)
