"""The database's layout version (``PRAGMA user_version``) and the steps that upgrade an older file in place.

Version 0 is the layout bots left before versioning: each part's tables (the Telegram inbox,
the review record) and ``schema_versions``. Version 1 adds ``health_heartbeat``, the one row
the health probe rewrites to prove the database writable (bot/health.py).

``upgrade`` runs when the database is opened (bot/storage.py): the missing steps in order, in
one transaction with the new version number, so a crash half-way leaves the old version
intact. A database written by a newer bot is refused (exit 2) rather than guessed at. To change
the layout, append a step; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3

# STEPS[n] takes a database from version n to n + 1.
STEPS: tuple[tuple[str, ...], ...] = (
    ("CREATE TABLE IF NOT EXISTS health_heartbeat (id INTEGER PRIMARY KEY CHECK (id = 1), at REAL NOT NULL)",),
)
CURRENT = len(STEPS)


class NewerDatabase(Exception):
    def __init__(self, version: int):
        super().__init__(f"the database's layout is version {version}, newer than this bot understands "
                         f"({CURRENT}); use a newer bot or another storage.path")


def version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def upgrade(conn: sqlite3.Connection) -> int:
    """Bring the database to CURRENT; return the version it had. NewerDatabase if it is ahead."""
    found = version(conn)
    if found > CURRENT:
        raise NewerDatabase(found)
    if found == CURRENT:
        return found
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = version(conn)   # another process may have upgraded it meanwhile
        for step in STEPS[found:]:
            for statement in step:
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {CURRENT}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return found
