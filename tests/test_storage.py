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
