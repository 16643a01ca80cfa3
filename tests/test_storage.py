"""The shared SQLite database: created on first use, WAL, and clear errors for bad files."""

import os

import pytest

from bot.config import load_config
from bot.storage import StorageError, ensure_schema, open_database


def test_created_on_first_use_in_wal_mode(tmp_path):
    path = tmp_path / "deep" / "state.sqlite3"
    conn = open_database(path)
    assert path.is_file()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    ensure_schema(conn, "demo", 1, ["CREATE TABLE IF NOT EXISTS demo (x INTEGER)"])
    conn.execute("INSERT INTO demo VALUES (1)")
    conn.close()
    again = open_database(path)
    assert again.execute("SELECT x FROM demo").fetchall() == [(1,)]


def test_corrupt_file_is_a_clear_error(tmp_path):
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StorageError, match="not a usable database"):
        open_database(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder_is_a_clear_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    with pytest.raises(StorageError):
        open_database(folder / "sub" / "state.sqlite3")


def test_newer_schema_is_refused(tmp_path):
    conn = open_database(tmp_path / "s.sqlite3")
    ensure_schema(conn, "demo", 3, [])
    with pytest.raises(StorageError, match="newer than this bot"):
        ensure_schema(conn, "demo", 2, [])


def test_storage_path_from_config_is_relative_to_the_config(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("storage:\n  path: db/x.sqlite3\n", encoding="utf-8")
    assert load_config(cfg, environ={}).storage.path == tmp_path / "db" / "x.sqlite3"


def test_database_and_lock_file_are_private(tmp_path):
    from bot.storage import hold_lock

    path = tmp_path / "s.sqlite3"
    hold_lock(path)
    conn = open_database(path)
    ensure_schema(conn, "demo", 1, ["CREATE TABLE IF NOT EXISTS demo (x INTEGER)"])
    conn.execute("INSERT INTO demo VALUES (1)")
    for f in (path, tmp_path / "s.sqlite3-wal", tmp_path / "s.sqlite3-shm", tmp_path / "s.sqlite3.lock"):
        assert f.stat().st_mode & 0o777 == 0o600, f


def test_the_lock_is_taken_on_the_real_path(tmp_path):
    from bot.storage import hold_lock

    real = tmp_path / "real.sqlite3"
    hold_lock(real)
    (tmp_path / "other").mkdir()
    link = tmp_path / "other" / "link.sqlite3"
    link.symlink_to(real)
    with pytest.raises(StorageError, match="in use by"):
        hold_lock(link)


def test_a_parent_folder_that_is_a_file_is_a_clear_error(tmp_path):
    from bot.storage import hold_lock

    (tmp_path / "var").write_text("oops", encoding="utf-8")
    path = tmp_path / "var" / "db" / "s.sqlite3"
    for call in (hold_lock, open_database):
        with pytest.raises(StorageError, match=r"var is a file, not a folder"):
            call(path)


def test_a_damaged_file_is_checked_before_anything_is_written_to_it(tmp_path):
    path = tmp_path / "s.sqlite3"
    conn = open_database(path)
    ensure_schema(conn, "demo", 1, ["CREATE TABLE IF NOT EXISTS demo (x TEXT)"])
    conn.executemany("INSERT INTO demo VALUES (?)", [("y" * 500,)] * 200)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")   # as a file from elsewhere might be
    conn.close()
    data = bytearray(path.read_bytes())
    data[4096 * 2: 4096 * 2 + 12] = b"\x0d\xff" * 6   # a table page's header, not the file's
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError, match="damaged|not a usable database"):
        open_database(path)
    assert path.read_bytes() == bytes(data)              # not switched to WAL, not touched at all
    assert not (tmp_path / "s.sqlite3-wal").exists()
