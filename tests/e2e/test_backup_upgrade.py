"""An operator's upgrade and backup with the real bot process: a newer bot starts on the database an
older one left and answers what it left pending; a backup taken while the bot runs is whole."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys

from bot import migrations
from tests.conftest import ROOT
from tests.e2e.harness import start_bot

OLD_DB = ROOT / "tests" / "data" / "db_before_versioning.sqlite3"
FIXTURE_CHAT = 501   # update 102 there, "what are the symptoms", was pending when the old bot stopped


def test_newer_bot_upgrades_the_old_database_and_answers_what_it_left_pending(emulator, tmp_path):
    shutil.copy(OLD_DB, tmp_path / "bot.sqlite3")
    bot = start_bot(emulator, tmp_path)
    try:
        sent = emulator.wait_for(1, FIXTURE_CHAT)
        assert len(sent) == 1 and "symptoms" in sent[0].params["text"].lower()
    finally:
        assert bot.stop() == 0
    conn = sqlite3.connect(tmp_path / "bot.sqlite3")
    assert migrations.version(conn) == migrations.CURRENT
    assert conn.execute("SELECT COUNT(*) FROM review_messages").fetchone() == (3,)   # kept as it was
    conn.close()


def test_backup_while_the_bot_answers(emulator, tmp_path):
    bot = start_bot(emulator, tmp_path)
    try:
        for i in range(5):
            emulator.send_text(900 + i, "what causes NETs?")
        dest = tmp_path / "backup.sqlite3"
        said = subprocess.run([sys.executable, "-m", "bot", "backup", "--config", str(tmp_path / "config.yaml"),
                               str(dest)], capture_output=True, text=True, timeout=60, cwd=tmp_path)
        assert said.returncode == 0, said.stderr
        assert emulator.wait_for(5)   # the bot went on answering
    finally:
        assert bot.stop() == 0
    copy = sqlite3.connect(dest)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert migrations.version(copy) == migrations.CURRENT
    assert copy.execute("SELECT COUNT(*) FROM telegram_inbox").fetchone()[0] >= 0
    copy.close()
