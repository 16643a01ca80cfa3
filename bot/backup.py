"""``python -m bot backup --config FILE DEST``: a consistent copy of the database, even while the bot runs.

SQLite's online backup API copies the database as one snapshot (what was committed when the
copy started, never half a transaction), without stopping the bot: in WAL mode a reader never
blocks the writer. The copy is written next to DEST first, checked, made one self-contained
file (no -wal beside it), given mode 0600 (it may hold pending updates, which are health data)
and only then renamed to DEST, so DEST is either a whole backup or absent.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from bot import migrations


class BackupError(Exception):
    """str() is the message to show; the command exits 2."""


def default_name(now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return f"net-faq-bot-{now:%Y%m%d-%H%M%S}.sqlite3"


def backup(database: str | Path, dest: str | Path) -> tuple[Path, int]:
    """Copy ``database`` to ``dest`` (a new file, or a folder to put a dated file in); (the file, its layout version)."""
    database, dest = Path(database), Path(dest)
    if not database.is_file():
        raise BackupError(f"{database}: no database there (check storage.path in the config)")
    if dest.is_dir():
        dest = dest / default_name()
    if dest.exists():
        raise BackupError(f"{dest}: already exists; give a new file name or a folder")
    partial = dest.with_name(dest.name + ".partial")
    try:
        # Read-write but never created: a read-only connection could leave -wal/-shm files owned by
        # whoever ran the backup (root), which the bot's own user could then not open.
        source = sqlite3.connect(f"{database.resolve().as_uri()}?mode=rw", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise BackupError(f"{database}: cannot open the database ({exc})") from None
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        copy = sqlite3.connect(partial, isolation_level=None)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")   # one file: nothing left in a -wal beside it
            check = copy.execute("PRAGMA quick_check").fetchone()[0]
            version = migrations.version(copy)
        finally:
            copy.close()
        if check != "ok":
            raise BackupError(f"{database}: the copy did not pass SQLite's check ({check}); the database "
                              "may be damaged")
        with open(partial, "rb") as f:
            os.fsync(f.fileno())
        os.replace(partial, dest)
    except sqlite3.Error as exc:
        raise BackupError(f"{database}: backup failed ({exc})") from None
    except OSError as exc:
        raise BackupError(f"{dest}: cannot write the backup ({exc.strerror})") from None
    finally:
        source.close()
        if partial.exists():
            partial.unlink()
    return dest, version
