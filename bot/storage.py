"""The bot's one local SQLite database, shared by every part that keeps state on disk.

The Telegram inbox (crash-safe update handling) and the opt-in review record each
own their tables in it; this module only opens the file safely and versions each
part's schema. Problems become a StorageError with one message a person can act
on; the entry points turn it into exit code 2.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from bot import migrations

# Under the working directory by default, so a checkout keeps its own state (see .gitignore).
DEFAULT_STORAGE_PATH = Path("var") / "net-faq-bot.sqlite3"
BUSY_TIMEOUT_MS = 2000


class StorageError(Exception):
    """The database cannot be used: unwritable, locked, corrupt. str() is the message to show."""


def open_database(path: str | Path) -> sqlite3.Connection:
    """Open (creating it and its folder on first use) the database at ``path``.

    WAL mode with synchronous=FULL: a committed transaction survives a killed process
    and a power cut, which is what "stored before Telegram is told" needs.
    secure_delete on, whatever SQLite was built with: deleted or overwritten content is
    zeroed in the page, so once the write-ahead log is checkpointed and emptied
    (``empty_log``) the words are gone from the files, not just unlinked.
    The file is created 0600 (the -wal and -shm files take its mode): it holds health data.
    An existing file is checked read-only before anything is written to it, so a damaged
    one is left as it was for the operator to move aside.
    Autocommit mode (isolation_level=None): callers say BEGIN/COMMIT where they mean it.
    """
    path = Path(path)
    _make_folder(path, "database")
    if path.is_file() and path.stat().st_size:
        _check_read_only(path)
    else:
        _create_private(path)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as exc:
        raise StorageError(f"{path}: cannot open the database ({exc})") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA secure_delete = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StorageError(f"{path}: the database cannot use write-ahead logging (journal mode {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("CREATE TABLE IF NOT EXISTS schema_versions (part TEXT PRIMARY KEY, version INTEGER NOT NULL)")
        migrations.upgrade(conn)   # an older bot's database is upgraded in place
    except migrations.NewerDatabase as exc:
        conn.close()
        raise StorageError(f"{path}: {exc}") from None
    except StorageError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StorageError(_explain(path, exc)) from None
    return conn


def _make_folder(path: Path, what: str) -> None:
    """Create ``path``'s folder; a clear message when something in the way is a file."""
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            raise StorageError(f"{path}: {parent} is a file, not a folder; remove it or set another storage.path")
        if parent.is_dir():
            break
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"{path}: cannot create the folder for the {what} ({exc.strerror})") from None


def _create_private(path: Path) -> None:
    """Create an empty ``path`` readable by its owner only (SQLite would use 0644 less the umask)."""
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    except OSError as exc:
        raise StorageError(f"{path}: cannot create the database ({exc.strerror})") from None


def _check_read_only(path: Path) -> None:
    """quick_check an existing file through a read-only connection: nothing is written to a damaged file."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise StorageError(f"{path}: cannot open the database ({exc})") from None
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StorageError(_explain(path, exc)) from None
    finally:
        conn.close()
    if check != "ok":
        raise StorageError(f"{path}: the database is damaged ({check}); move it aside and start again")


def empty_log(conn: sqlite3.Connection) -> bool:
    """Copy the write-ahead log into the file and empty it (truncate to 0 bytes), so erased words
    leave both files: until then the log keeps the old pages. False if another connection's
    read kept it from finishing (try again later)."""
    return not conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]


def ensure_schema(conn: sqlite3.Connection, part: str, version: int, statements: Iterable[str]) -> None:
    """Create ``part``'s tables if they are new (statements should say IF NOT EXISTS) and record its version.

    A database written by a newer version of the bot is refused rather than guessed at.
    """
    try:
        row = conn.execute("SELECT version FROM schema_versions WHERE part = ?", (part,)).fetchone()
        if row and row[0] > version:
            raise StorageError(f"the database's {part} tables are version {row[0]}, newer than this bot "
                               f"understands ({version}); use a newer bot or another storage.path")
        conn.execute("BEGIN IMMEDIATE")
        for statement in statements:
            conn.execute(statement)
        conn.execute("INSERT INTO schema_versions (part, version) VALUES (?, ?) "
                     "ON CONFLICT (part) DO UPDATE SET version = excluded.version", (part, version))
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise StorageError(_explain(Path(conn.execute("PRAGMA database_list").fetchone()[2] or "?"), exc)) from None


def hold_lock(path: str | Path, who: str = "another bot") -> int:
    """Take an exclusive lock on ``<path>.lock`` for as long as this process lives; return its descriptor.

    For parts that must not run twice on one database (two Telegram bots would answer each
    update twice). A flock, not a held SQLite write lock: the kernel releases it when the
    process dies, even by SIGKILL, so a crash never leaves a stale lock, and other tools
    may still read and write the database meanwhile.
    """
    # On the real path: a second bot reaching the same file through a symlink (or another
    # spelling of the path) must find the same lock.
    real = Path(path).resolve()
    lock_path = Path(f"{real}.lock")
    _make_folder(real, "lock file")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StorageError(f"{lock_path}: cannot create the lock file ({exc.strerror})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise StorageError(f"{path}: the database is in use by {who} (only one may run with it; "
                           "stop the other or set another storage.path)") from None
    return fd


def _explain(path: Path, exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"{path}: the database is locked by another process (is another bot running with it?)"
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return f"{path}: the database is not writable ({text})"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return f"{path}: the file is not a usable database ({text}); move it aside and start again"
    return f"{path}: database error ({text})"
