"""The durable inbox: every update is on disk before Telegram is told it arrived.

Why: Telegram forgets an update once the bot confirms it (the polling offset moves past
it, or the webhook answers 200). An update confirmed while it was only in memory is lost
if the process dies. So the intake (bot/telegram/polling.py, bot/telegram/webhook.py)
calls ``accept`` first, which parses each update, writes the new ones and commits
(SQLite WAL, synchronous=FULL: it survives SIGKILL and power loss), and only then
confirms. An update is marked done once its reply was sent (bot/telegram/processing.py);
what is not done is replayed at the next start, before new updates.

What is stored, and for how long:
- while pending: the update as Telegram sent it (JSON: the message text, chat and user
  ids, names), because replaying it needs all of that;
- once done: the update_id and the time only. The text and ids are erased in the same
  statement that marks it done, and the row itself is deleted after 24 hours, the time
  Telegram may still redeliver an update (so a repeated update_id is never answered twice).
- erased means gone from every file, not just unlinked: secure_delete zeroes the old
  content in the page (bot/storage.py), and ``erase_from_log`` copies the write-ahead log
  into the file and truncates it, at most ERASE_EVERY_SECONDS after a reply (the startup
  runs it on a timer): until then the log still holds the page as it was before. A kill
  -9 leaves at most the last second's answered messages in the log, and the next start
  erases them before anything else.

Exactly once, within a bound: a reply whose send reached Telegram but whose "done" was
not yet committed when the process was killed is sent again at the next start. So
duplicates after a kill are at most the replies in flight at that moment (at most one per
chat, since a chat's messages are answered one at a time).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from telegram import Bot, Update

from bot.storage import StorageError, empty_log, ensure_schema, hold_lock, open_database

log = logging.getLogger("bot.telegram.inbox")

SCHEMA_PART, SCHEMA_VERSION = "inbox", 1
SCHEMA = [
    """CREATE TABLE IF NOT EXISTS telegram_inbox (
        update_id   INTEGER PRIMARY KEY,
        received_at REAL NOT NULL,
        payload     TEXT,          -- the update's JSON while pending; NULL once done
        done_at     REAL           -- NULL while pending
    )""",
    "CREATE INDEX IF NOT EXISTS telegram_inbox_pending ON telegram_inbox (done_at)",
]
KEEP_DONE_SECONDS = 24 * 3600   # Telegram keeps (and may redeliver) an update this long
PURGE_EVERY_SECONDS = 600
ERASE_EVERY_SECONDS = 1.0       # answered messages leave the write-ahead log this soon


def parse_update(raw: object, bot: Bot | None) -> Update | None:
    """The Update in ``raw``, or None (logged by update_id and error type only: never the data)."""
    update_id = raw.get("update_id") if isinstance(raw, dict) else None
    try:
        update = Update.de_json(raw, bot)  # type: ignore[arg-type]
        if update is None or not isinstance(update.update_id, int):
            raise ValueError("no update")
        return update
    except Exception as exc:  # noqa: BLE001 - any malformed update is skipped, whatever broke
        log.warning("update %s cannot be read (%s); skipped", update_id if isinstance(update_id, int) else "-",
                    type(exc).__name__)
        return None


def pending_summary(conn: sqlite3.Connection) -> tuple[int, float | None]:
    """(updates waiting for their reply, when the oldest arrived), on any connection to the database;
    for the health monitor and metrics, which read it on their own connection."""
    count, oldest = conn.execute(
        "SELECT COUNT(*), MIN(received_at) FROM telegram_inbox WHERE done_at IS NULL").fetchone()
    return int(count), oldest


class Inbox:
    def __init__(self, conn: sqlite3.Connection, clock=time.time):
        self.conn = conn
        self.clock = clock
        self._last_purge = 0.0
        self._unerased = 0   # updates marked done since the log was last emptied

    @classmethod
    def open(cls, path: str | Path) -> Inbox:
        """Open (or create) the inbox at ``path``, locked against a second bot; StorageError if unusable."""
        hold_lock(path, "another running Telegram bot")
        conn = open_database(path)
        ensure_schema(conn, SCHEMA_PART, SCHEMA_VERSION, SCHEMA)
        inbox = cls(conn)
        inbox.purge()
        inbox._unerased = 1   # a killed run may have left answered messages in the log
        inbox.erase_from_log()
        return inbox

    def _write(self, statements: Iterable[tuple[str, tuple]]) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            for sql, args in statements:
                self.conn.execute(sql, args)
            self.conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise StorageError(f"the inbox database failed ({exc})") from None

    def accept(self, raws: Iterable[object], bot: Bot | None) -> list[Update]:
        """Parse, store and commit; return the updates not seen before, in order.

        Unreadable updates are skipped (logged by id); repeated ones (pending, or done in
        the last 24 hours) are left out, so nothing is answered twice.
        """
        parsed = [(u, raw) for raw in raws if (u := parse_update(raw, bot)) is not None]
        if not parsed:
            return []
        ids = [u.update_id for u, _ in parsed]
        marks = ",".join("?" * len(ids))
        try:
            seen = {row[0] for row in self.conn.execute(
                f"SELECT update_id FROM telegram_inbox WHERE update_id IN ({marks})", ids)}
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"the inbox database failed ({exc})") from None
        fresh = [(u, raw) for u, raw in parsed if u.update_id not in seen]
        now = self.clock()
        self._write(("INSERT OR IGNORE INTO telegram_inbox (update_id, received_at, payload) VALUES (?, ?, ?)",
                     (u.update_id, now, json.dumps(raw, ensure_ascii=False))) for u, raw in fresh)
        return [u for u, _ in fresh]

    def pending(self, bot: Bot | None) -> list[Update]:
        """What was stored but not answered, oldest first (unreadable rows are marked done)."""
        rows = self.conn.execute(
            "SELECT update_id, payload FROM telegram_inbox WHERE done_at IS NULL ORDER BY update_id").fetchall()
        updates = []
        for update_id, payload in rows:
            try:
                update = parse_update(json.loads(payload), bot)
            except ValueError:
                update = None
            if update is None:
                self.mark_done(update_id)
            else:
                updates.append(update)
        return updates

    def mark_done(self, update_id: int) -> None:
        """Answered: erase what the patient wrote and who they are; keep only the id for 24 h."""
        self._write([("UPDATE telegram_inbox SET payload = NULL, done_at = ? WHERE update_id = ?",
                      (self.clock(), update_id))])
        self._unerased += 1
        if self.clock() - self._last_purge > PURGE_EVERY_SECONDS:
            self.purge()

    def erase_from_log(self) -> bool:
        """Empty the write-ahead log if anything was marked done since it last was; True if
        nothing answered is left in it. Batched (one fsync and truncate for all the replies of
        the last second), which is what keeps it cheap under load."""
        if not self._unerased:
            return True
        try:
            emptied = empty_log(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"the inbox database failed ({exc})") from None
        if emptied:
            self._unerased = 0
        return emptied

    def purge(self) -> None:
        self._last_purge = self.clock()
        self._write([("DELETE FROM telegram_inbox WHERE done_at IS NOT NULL AND done_at < ?",
                      (self._last_purge - KEEP_DONE_SECONDS,))])

    def counts(self) -> tuple[int, int]:
        """(pending, done) rows, for logs and tests."""
        pending, done = self.conn.execute(
            "SELECT COUNT(*) - COUNT(done_at), COUNT(done_at) FROM telegram_inbox").fetchone()
        return pending, done

    def close(self) -> None:
        self.conn.close()
