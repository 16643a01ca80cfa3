"""The opt-in review record: what curators learn from real traffic, without keeping who said it.

Kept (review.enabled only), each with the UTC day and nothing else about the person:
- messages the bot declined, asked back about ("Did you mean") or answered hedged, masked
  (bot.masking), with the outcome, the score, the entries the matcher ranked highest and
  the suggestion the user picked next, if any;
- per day and entry: how often it was answered, and its 👍 / 👎 votes;
- per day and outcome: how many questions were answered, hedged, clarified, declined.
No user or chat ids, no names, no times of day. Rows older than review.retention_days are
deleted at start and on the first write of each new day. Read by bot.tools.review_report.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from bot.config import ReviewSettings
from bot.masking import Masker
from bot.replies import Kind, Reply
from bot.storage import StorageError, empty_log, ensure_schema, open_database

log = logging.getLogger("bot.review")

SCHEMA_PART, SCHEMA_VERSION = "review", 2   # 2: review_messages.why
SCHEMA = (
    """CREATE TABLE IF NOT EXISTS review_messages (
        id INTEGER PRIMARY KEY,
        day TEXT NOT NULL,              -- UTC date, YYYY-MM-DD
        text TEXT NOT NULL,             -- masked before it got here
        outcome TEXT NOT NULL,          -- fallback, clarify or hedged
        score REAL,
        candidates TEXT NOT NULL,       -- JSON [[entry id, score], ...] as the matcher ranked them
        picked TEXT,                    -- the suggestion the user picked next, if any
        why TEXT                        -- JSON [feature, ...]: what weighed most in the model's decision
    )""",
    "CREATE INDEX IF NOT EXISTS review_messages_day ON review_messages (day)",
    """CREATE TABLE IF NOT EXISTS review_outcomes (
        day TEXT NOT NULL, outcome TEXT NOT NULL, count INTEGER NOT NULL,
        PRIMARY KEY (day, outcome))""",
    """CREATE TABLE IF NOT EXISTS review_entries (
        day TEXT NOT NULL, entry_id TEXT NOT NULL,
        answers INTEGER NOT NULL DEFAULT 0, helpful INTEGER NOT NULL DEFAULT 0,
        unhelpful INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, entry_id))""",
)
TABLES = ("review_messages", "review_outcomes", "review_entries")
KEPT_OUTCOMES = ("fallback", "clarify", "hedged")   # the messages worth a curator's eyes
MAX_TEXT = 500            # characters of a message kept; enough to see what was asked
MAX_PENDING = 10_000      # chats whose last suggestions may still be picked (memory only)


def utc_today() -> date:
    return datetime.now(timezone.utc).date()


def open_review_database(path: str | Path) -> sqlite3.Connection:
    """The shared database with the review tables, set up for privacy over durability:
    deleted rows are overwritten (secure_delete, set by open_database), and a lost last row
    on a power cut is acceptable, so commits skip the fsync (synchronous=NORMAL, this
    connection only)."""
    conn = open_database(path)
    conn.execute("PRAGMA synchronous = NORMAL")
    ensure_schema(conn, SCHEMA_PART, SCHEMA_VERSION, SCHEMA)
    if "why" not in {row[1] for row in conn.execute("PRAGMA table_info(review_messages)")}:
        conn.execute("ALTER TABLE review_messages ADD COLUMN why TEXT")   # a version 1 record: upgraded in place
    return conn


def outcome_of(reply: Reply) -> str | None:
    """answer / hedged / clarify / fallback for a reply that came from the matcher, else None."""
    match = reply.match
    if match is None:
        return None
    if reply.kind is Kind.ANSWER:  # "hedged" may sit on the match or the reply (optional either way)
        return "hedged" if getattr(match, "hedged", False) or getattr(reply, "hedged", False) else "answer"
    return "clarify" if reply.kind is Kind.CLARIFY else "fallback"


class ReviewRecorder:
    """Called by the core after every reply; never raises into the conversation."""

    def __init__(self, conn: sqlite3.Connection, settings: ReviewSettings,
                 today: Callable[[], date] = utc_today, masker: Masker | None = None):
        self.conn = conn
        self.settings = settings
        self.masker = masker or Masker(settings.mask_patterns)
        self._today = today
        self._lock = threading.Lock()  # one connection; adapters may call from more than one thread
        self._purged_on: date | None = None
        # chat -> (row id, entry ids offered): kept in memory only, to link a later pick.
        self._pending: OrderedDict[str, tuple[int, frozenset[str]]] = OrderedDict()
        try:
            self.purge_expired()
        except sqlite3.Error as exc:  # at start-up a problem stops the bot with one clear message
            raise StorageError(f"the review record cannot delete expired rows ({exc})") from None

    @classmethod
    def open(cls, path: str | Path, settings: ReviewSettings, masking_rules: Path | None = None) -> ReviewRecorder:
        masker = Masker(settings.mask_patterns, masking_rules)   # a broken rules file stops before the database
        return cls(open_review_database(path), settings, masker=masker)

    def close(self) -> None:
        self.conn.close()

    # -- what the core and the adapters call ----------------------------------------
    def observe(self, chat: str, text: object, reply: Reply) -> None:
        try:
            with self._lock:
                self._observe(chat, text if isinstance(text, str) else "", reply)
        except sqlite3.Error as exc:  # a full disk must not cost the patient an answer
            self._rollback()
            log.warning("review record not written: %s", type(exc).__name__)

    def vote(self, entry_id: str, helpful: bool) -> None:
        column = "helpful" if helpful else "unhelpful"
        try:
            with self._lock:
                self.conn.execute(
                    f"INSERT INTO review_entries (day, entry_id, {column}) VALUES (?, ?, 1) "
                    f"ON CONFLICT (day, entry_id) DO UPDATE SET {column} = {column} + 1", (self._day(), entry_id))
        except sqlite3.Error as exc:
            log.warning("feedback not written: %s", type(exc).__name__)

    def purge_expired(self) -> int:
        """Delete what is older than the retention period; the number of message rows deleted."""
        today = self._today()
        cutoff = (today - timedelta(days=self.settings.retention_days)).isoformat()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            deleted = self.conn.execute("DELETE FROM review_messages WHERE day < ?", (cutoff,)).rowcount
            self.conn.execute("DELETE FROM review_outcomes WHERE day < ?", (cutoff,))
            self.conn.execute("DELETE FROM review_entries WHERE day < ?", (cutoff,))
            self.conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        if deleted:  # words were deleted: out of the log too, now, not at some later checkpoint
            empty_log(self.conn)
        self._purged_on = today
        return deleted

    # -- pieces ----------------------------------------------------------------------
    def _day(self) -> str:
        today = self._today()
        if today != self._purged_on:  # the first write of a new day: drop what expired
            self.purge_expired()
        return today.isoformat()

    def _observe(self, chat: str, text: str, reply: Reply) -> None:
        outcome = outcome_of(reply)
        pending = self._pending.get(chat)
        # The choice stays open as long as the core keeps it (across small talk, /help, "pick
        # 1 to 3" again): until an emergency or new suggestions replace it.
        if reply.kind is Kind.SAFETY or (reply.suggestions and not (outcome is None and reply.kind is Kind.CLARIFY)):
            self._pending.pop(chat, None)
        if outcome is None and reply.kind is not Kind.ANSWER:
            return
        day = self._day()
        self.conn.execute("BEGIN")
        try:
            if outcome is not None:
                self.conn.execute("INSERT INTO review_outcomes (day, outcome, count) VALUES (?, ?, 1) "
                                  "ON CONFLICT (day, outcome) DO UPDATE SET count = count + 1", (day, outcome))
            if reply.kind is Kind.ANSWER and reply.entry_id:
                self.conn.execute("INSERT INTO review_entries (day, entry_id, answers) VALUES (?, ?, 1) "
                                  "ON CONFLICT (day, entry_id) DO UPDATE SET answers = answers + 1",
                                  (day, reply.entry_id))
            if outcome is None and pending and reply.entry_id in pending[1]:
                self.conn.execute("UPDATE review_messages SET picked = ? WHERE id = ?", (reply.entry_id, pending[0]))
            if outcome in KEPT_OUTCOMES:
                match = reply.match
                candidates = [[c.entry_id, round(c.score, 1)] for c in match.candidates if c.score > 0]
                # Masked, then cut: an address or number split by the cut would no longer look
                # like one and stay unmasked (the margin only bounds the masking work).
                row = self.conn.execute(
                    "INSERT INTO review_messages (day, text, outcome, score, candidates, why) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (day, self.masker.mask(text[:2 * MAX_TEXT])[:MAX_TEXT], outcome, round(match.score, 1),
                     json.dumps(candidates), json.dumps(list(match.reasons)))).lastrowid
                if reply.suggestions:
                    self._pending[chat] = (row, frozenset(s.entry_id for s in reply.suggestions))
                    while len(self._pending) > MAX_PENDING:
                        self._pending.popitem(last=False)
            self.conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass


def purge_all(path: str | Path) -> tuple[int, bool]:
    """Delete everything the review record holds (python -m faq review --purge).

    Deleted pages are overwritten and the write-ahead log is emptied, so the words are gone
    from the files too, not just unlinked. Returns (rows deleted, log emptied?): a running
    bot reading the file can keep the log from being emptied until it stops.
    """
    conn = open_database(path)
    try:
        present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        conn.execute("BEGIN IMMEDIATE")
        total = sum(conn.execute(f"DELETE FROM {table}").rowcount for table in TABLES if table in present)
        conn.execute("COMMIT")
        return total, empty_log(conn)
    finally:
        conn.close()
