"""The Telegram inbox on its own: stored before confirmed, never twice, nothing kept once done."""

from __future__ import annotations

import pytest

from bot.storage import StorageError
from bot.telegram.inbox import KEEP_DONE_SECONDS, Inbox


def message(update_id: int, text: str = "is it hereditary?") -> dict:
    return {"update_id": update_id, "message": {"message_id": update_id, "date": 1_700_000_000, "text": text,
                                                "chat": {"id": 7, "type": "private"},
                                                "from": {"id": 7, "is_bot": False, "first_name": "P"}}}


class Clock:
    now = 1_800_000_000.0

    def __call__(self):
        return self.now


def test_new_updates_only_in_order_and_pending_until_done(tmp_path):
    inbox = Inbox.open(tmp_path / "db.sqlite3")
    assert [u.update_id for u in inbox.accept([message(1), message(2)], None)] == [1, 2]
    assert inbox.accept([message(2), message(3)], None)[0].update_id == 3   # 2 is not new
    inbox.mark_done(2)
    assert inbox.accept([message(2)], None) == []                            # nor once done
    assert [u.update_id for u in inbox.pending(None)] == [1, 3]
    assert inbox.pending(None)[0].message.text == "is it hereditary?"
    assert inbox.counts() == (2, 1)


def test_done_rows_hold_no_text_and_go_after_a_day(tmp_path):
    clock = Clock()
    inbox = Inbox.open(tmp_path / "db.sqlite3")
    inbox.clock = clock
    inbox.accept([message(1, "my private words")], None)
    inbox.mark_done(1)
    assert inbox.conn.execute("SELECT payload FROM telegram_inbox").fetchall() == [(None,)]
    clock.now += KEEP_DONE_SECONDS + 1
    inbox.purge()
    assert inbox.counts() == (0, 0)


def test_unreadable_updates_are_skipped_and_not_stored(tmp_path, caplog):
    inbox = Inbox.open(tmp_path / "db.sqlite3")
    bad = {"update_id": 5, "message": {"message_id": 1, "text": "secret words",
                                       "from": {"id": 99, "is_bot": False, "first_name": "P"}}}
    assert [u.update_id for u in inbox.accept([bad, message(6), "junk"], None)] == [6]
    assert "update 5 cannot be read (KeyError)" in caplog.text and "secret words" not in caplog.text
    assert inbox.counts() == (1, 0)


def test_a_second_inbox_on_the_same_file_is_refused(tmp_path):
    Inbox.open(tmp_path / "db.sqlite3")
    with pytest.raises(StorageError, match="in use by another running Telegram bot"):
        Inbox.open(tmp_path / "db.sqlite3")


def database_bytes(path) -> bytes:
    """Every file of the database: the main file, its write-ahead log, shared memory, journal."""
    return b"".join(f.read_bytes() for f in path.parent.glob(path.name + "*") if not f.name.endswith(".lock"))


def test_answered_messages_leave_every_file_once_the_log_is_emptied(tmp_path):
    path = tmp_path / "db.sqlite3"
    inbox = Inbox.open(path)
    assert inbox.conn.execute("PRAGMA secure_delete").fetchone()[0] == 1   # whatever SQLite was built with
    words = {i: f"private-words-{i:04d}-" + "x" * (i % 7 * 900) for i in range(1, 301)}  # some overflow a page
    for i, text in words.items():
        inbox.accept([message(i, text)], None)
        if i % 3:                      # answered out of order, some left pending, pages split meanwhile
            inbox.mark_done(i - 1 if i > 1 and (i - 1) % 3 else i)
    pending = {u.update_id for u in inbox.pending(None)}
    assert pending                                    # durable until answered...
    data = database_bytes(path)
    assert all(words[i][:18].encode() in data for i in pending)
    assert inbox.erase_from_log()
    data = database_bytes(path)
    assert (path.parent / "db.sqlite3-wal").stat().st_size == 0
    leaks = [i for i in words if i not in pending and words[i][:18].encode() in data]
    assert leaks == []                                # ...and gone from every file once answered
    assert all(words[i][:18].encode() in data for i in pending)
