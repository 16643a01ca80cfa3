"""Backups taken while the database is written to, and a database made by an older bot
(tests/data/db_before_versioning.sqlite3, made by the code before issue 19) upgraded in place."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date

import pytest

from bot import migrations
from bot.backup import BackupError, backup
from bot.config import ReviewSettings
from bot.review import open_review_database
from bot.tools.review_report import read_record
from bot.storage import StorageError, open_database
from bot.telegram.inbox import Inbox
from tests.conftest import ROOT

OLD_DB = ROOT / "tests" / "data" / "db_before_versioning.sqlite3"


@pytest.fixture
def old_db(tmp_path):
    path = tmp_path / "state" / "bot.sqlite3"
    path.parent.mkdir()
    shutil.copy(OLD_DB, path)
    # The older bot answered update 101 just before it stopped. Its times are moved to a minute ago, as they were
    # when it left the file: an answered update is purged a day after it was answered (KEEP_DONE_SECONDS), and
    # the file was made on 2026-12-06, so with its own times the test failed from 2026-12-07 on.
    conn = sqlite3.connect(path)
    newest, = conn.execute("SELECT MAX(received_at) FROM telegram_inbox").fetchone()
    shift = time.time() - 60 - newest
    conn.execute("UPDATE telegram_inbox SET received_at = received_at + ?, done_at = done_at + ?", (shift, shift))
    conn.commit()
    conn.close()
    return path


def test_the_fixture_is_what_the_older_bot_left():
    conn = sqlite3.connect(f"{OLD_DB.as_uri()}?mode=ro", uri=True)
    assert migrations.version(conn) == 0
    assert "health_heartbeat" not in {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()


def test_an_older_database_is_upgraded_in_place_and_keeps_everything(old_db, matcher):
    inbox = Inbox.open(old_db)
    assert migrations.version(inbox.conn) == migrations.CURRENT
    assert inbox.counts() == (1, 1)   # 101 answered, 102 pending
    pending = inbox.pending(None)
    assert [u.update_id for u in pending] == [102] and pending[0].message.text == "what are the symptoms"
    assert inbox.accept([{"update_id": 101, "message": {"message_id": 1, "date": 1, "text": "again",
                                                        "chat": {"id": 1, "type": "private"}}}], None) == []
    inbox.close()
    # The review record reads as before, and records again.
    record = read_record(old_db, 3650, matcher, date(2026, 12, 2))
    assert record.messages == 3
    assert {t for g in record.groups for t in g.texts} == {"what is the cost of scans", "is it catching",
                                                           "is it hereditary?"}
    assert ("hereditary", 0, 1, 0) in record.entries
    conn = open_review_database(old_db)
    assert conn.execute("SELECT helpful FROM review_entries WHERE entry_id = 'hereditary'").fetchone() == (1,)
    conn.close()
    # A second open finds nothing to do.
    again = open_database(old_db)
    assert migrations.upgrade(again) == migrations.CURRENT
    again.close()


def test_a_database_from_a_newer_bot_is_refused(tmp_path):
    path = tmp_path / "db.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.CURRENT + 1}")
    conn.close()
    with pytest.raises(StorageError, match="newer than this bot understands"):
        open_database(path)


def test_a_failed_step_leaves_the_old_version(old_db, monkeypatch):
    monkeypatch.setattr(migrations, "STEPS", (*migrations.STEPS, ("CREATE TABLE broken (",)))
    monkeypatch.setattr(migrations, "CURRENT", len(migrations.STEPS))
    conn = sqlite3.connect(old_db, isolation_level=None)
    with pytest.raises(sqlite3.Error):
        migrations.upgrade(conn)
    assert migrations.version(conn) == 0
    assert "health_heartbeat" not in {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}


def test_backup_while_another_connection_keeps_writing(tmp_path):
    db = tmp_path / "db.sqlite3"
    conn = open_database(db)
    conn.execute("CREATE TABLE t (n INTEGER)")
    stop = threading.Event()

    def writer():
        w = open_database(db)
        n = 0
        while not stop.is_set():
            w.execute("BEGIN IMMEDIATE")
            w.execute("INSERT INTO t VALUES (?)", (n,))
            w.execute("INSERT INTO t VALUES (?)", (-n,))   # rows come in pairs, one transaction each
            w.execute("COMMIT")
            n += 1
        w.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = [backup(db, tmp_path / f"copy{i}.sqlite3") for i in range(5)]
    finally:
        stop.set()
        thread.join(10)
    for path, version in copies:
        assert version == migrations.CURRENT
        assert (path.stat().st_mode & 0o777) == 0o600
        assert not path.with_name(path.name + "-wal").exists()
        c = sqlite3.connect(path)
        assert c.execute("SELECT COUNT(*) % 2, COALESCE(SUM(n), 0) FROM t").fetchone() == (0, 0)  # whole pairs only
        c.close()
    with pytest.raises(BackupError, match="already exists"):
        backup(db, copies[0][0])
    with pytest.raises(BackupError, match="no database there"):
        backup(tmp_path / "none.sqlite3", tmp_path / "x.sqlite3")
    folder = tmp_path / "backups"
    folder.mkdir()
    path, _ = backup(db, folder)
    assert path.parent == folder and path.name.startswith("net-faq-bot-")


def test_backup_command_exit_codes(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("storage:\n  path: state/bot.sqlite3\n", encoding="utf-8")
    said = subprocess.run([sys.executable, "-m", "bot", "backup", "--config", str(config), str(tmp_path / "b")],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert said.returncode == 2 and "no database there" in said.stderr
    open_database(tmp_path / "state" / "bot.sqlite3").close()
    said = subprocess.run([sys.executable, "-m", "bot", "backup", "--config", str(config), str(tmp_path / "b")],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert said.returncode == 0 and said.stdout.startswith("backed up ") and (tmp_path / "b").is_file()
