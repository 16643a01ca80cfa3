"""Is the running bot able to do its job? The facts behind /readyz, the watchdog and ``bot health``.

Ready means all of:
- the database is writable: a probe rewrites one heartbeat row every PROBE_EVERY seconds on
  its own connection (bot/migrations.py made the table), so a locked, read-only or failing
  file shows within seconds, and recovery as fast;
- the Telegram Bot API answered within API_FRESH seconds (any HTTP answer below 500, through
  the bot's own requests; when idle, bot/telegram/monitor.py asks getMe);
- the knowledge base and matcher are loaded (a model, once the matcher has one, adds its
  own check through ``model_check``).

After each probe the running bot writes a small status file next to the database
(``<storage.path>.health``; no patient data, only times, counts and problems), which
``python -m bot health`` reads: the one way to ask a polling bot, which has no web server.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

PROBE_EVERY = 2.0        # seconds between probes: /readyz follows the database within a few seconds
PROBE_TIMEOUT = 1.0      # how long a probe waits for a database lock held by someone else
API_FRESH = 180.0        # the Bot API counts as reached if it answered within this many seconds
API_PROBE_AFTER = 60.0   # idle this long (a webhook without traffic): ask getMe
STALE = 15.0             # a status file older than this: the bot is stopped or hung


def status_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.health")


@dataclass(frozen=True)
class Status:
    """What the running bot last found; written as JSON to the status file."""

    at: float                        # wall-clock time of the probe
    pid: int
    mode: str                        # polling or webhook
    ready: bool
    problems: tuple[str, ...] = ()
    pending: int = 0                 # updates in the inbox waiting for their reply
    oldest_pending_seconds: float = 0.0

    def write(self, path: Path) -> None:
        """Atomically (a reader never sees half a file); mode 0644, it holds nothing private."""
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(asdict(self)), encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def read(cls, path: Path) -> Status:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{**raw, "problems": tuple(raw.get("problems", ()))})


@dataclass(frozen=True)
class DatabaseCheck:
    problem: str | None               # None: writable
    pending: int = 0
    oldest_received_at: float | None = None


class DatabaseProbe:
    """Proves the database writable by rewriting the heartbeat row; meant for a worker thread.

    Its own connection (never the inbox's, which the event loop uses), opened without
    creating the file, so a database moved away shows as a problem, not as a fresh empty one.
    A failed probe closes the connection, so the next one sees the file as it is now.
    """

    def __init__(self, path: str | Path, pending_summary: Callable[[sqlite3.Connection], tuple[int, float | None]],
                 timeout: float = PROBE_TIMEOUT, clock: Callable[[], float] = time.time):
        self.path = Path(path)
        self.pending_summary = pending_summary
        self.timeout = timeout
        self.clock = clock
        self._conn: sqlite3.Connection | None = None

    def check(self) -> DatabaseCheck:
        try:
            if self._conn is None:
                self._conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=rw", uri=True,
                                             timeout=self.timeout, isolation_level=None, check_same_thread=False)
                self._conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT OR REPLACE INTO health_heartbeat (id, at) VALUES (1, ?)", (self.clock(),))
            conn.execute("COMMIT")
            pending, oldest = self.pending_summary(conn)
            return DatabaseCheck(None, pending, oldest)
        except sqlite3.Error as exc:
            self.close()
            return DatabaseCheck(f"database not writable ({exc})")

    def close(self) -> None:
        if self._conn is not None:
            try:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            self._conn.close()
            self._conn = None


@dataclass
class Health:
    """The running bot's current facts; updated by the monitor loop and the Bot API requests."""

    mode: str
    model_check: Callable[[], str | None] = lambda: None
    clock: Callable[[], float] = time.monotonic
    database: DatabaseCheck = field(default_factory=lambda: DatabaseCheck("database not checked yet"))
    api_answered_at: float | None = None

    def api_answered(self) -> None:
        self.api_answered_at = self.clock()

    def api_idle_seconds(self) -> float:
        return float("inf") if self.api_answered_at is None else self.clock() - self.api_answered_at

    def problems(self) -> list[str]:
        out = [self.database.problem] if self.database.problem else []
        idle = self.api_idle_seconds()
        if idle > API_FRESH:
            out.append("the Telegram Bot API has not answered yet" if self.api_answered_at is None
                       else f"the Telegram Bot API has not answered for {idle:.0f} s")
        model = self.model_check()
        if model:
            out.append(model)
        return out

    def ready(self) -> bool:
        return not self.problems()

    def status(self, wall_clock: Callable[[], float] = time.time) -> Status:
        problems = self.problems()
        oldest = self.database.oldest_received_at
        now = wall_clock()
        return Status(at=now, pid=os.getpid(), mode=self.mode, ready=not problems, problems=tuple(problems),
                      pending=self.database.pending,
                      oldest_pending_seconds=max(0.0, now - oldest) if oldest is not None else 0.0)


def report(path: Path, now: float | None = None) -> tuple[bool, str]:
    """(ready, one line) from the status file at ``path``, for ``python -m bot health``."""
    now = time.time() if now is None else now
    try:
        status = Status.read(path)
    except FileNotFoundError:
        return False, f"not ready: no status from a running bot ({path} does not exist; is the bot running?)"
    except (OSError, ValueError, TypeError) as exc:
        return False, f"not ready: cannot read {path} ({type(exc).__name__})"
    age = now - status.at
    if age > STALE:
        return False, (f"not ready: the bot's last status is {age:.0f} s old (pid {status.pid}; "
                       "stopped or hung?)")
    if not status.ready:
        return False, "not ready: " + "; ".join(status.problems)
    return True, (f"ready: {status.mode}, pid {status.pid}, checked {max(0.0, age):.0f} s ago, "
                  f"{status.pending} pending (oldest {status.oldest_pending_seconds:.0f} s)")
