"""Health facts, the status file and systemd's notify protocol, on their own."""

from __future__ import annotations

import socket
import sqlite3

from bot.health import API_FRESH, STALE, DatabaseProbe, Health, Status, report, status_path
from bot.sd_notify import Notifier
from bot.storage import open_database
from bot.telegram.inbox import Inbox, pending_summary


class Clock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_ready_needs_a_writable_database_a_recent_api_answer_and_a_loaded_model(tmp_path):
    clock = Clock()
    Inbox.open(tmp_path / "db.sqlite3").close()
    model = {"problem": None}
    health = Health("polling", model_check=lambda: model["problem"], clock=clock)
    assert not health.ready() and "not checked yet" in " ".join(health.problems())
    health.database = DatabaseProbe(tmp_path / "db.sqlite3", pending_summary).check()
    assert health.problems() == ["the Telegram Bot API has not answered yet"]
    health.api_answered()
    assert health.ready()
    clock.now += API_FRESH + 1
    assert health.problems() == [f"the Telegram Bot API has not answered for {API_FRESH + 1:.0f} s"]
    health.api_answered()
    model["problem"] = "model not loaded"
    assert health.problems() == ["model not loaded"]


def test_probe_writes_the_heartbeat_counts_pending_and_never_creates_a_database(tmp_path):
    inbox = Inbox.open(tmp_path / "db.sqlite3")
    inbox.clock = lambda: 500.0
    inbox.accept([{"update_id": 1, "message": {"message_id": 1, "date": 1, "text": "hi",
                                               "chat": {"id": 7, "type": "private"}}}], None)
    probe = DatabaseProbe(tmp_path / "db.sqlite3", pending_summary, clock=lambda: 42.0)
    check = probe.check()
    assert check == type(check)(None, 1, 500.0)
    assert sqlite3.connect(tmp_path / "db.sqlite3").execute("SELECT at FROM health_heartbeat").fetchall() == [(42.0,)]
    missing = DatabaseProbe(tmp_path / "gone.sqlite3", pending_summary).check()
    assert missing.problem and "database not writable" in missing.problem
    assert not (tmp_path / "gone.sqlite3").exists()
    # Locked by someone else: a problem within the probe's short timeout, and fine again after.
    other = open_database(tmp_path / "db.sqlite3")
    other.execute("BEGIN IMMEDIATE")
    probe.timeout = 0.1
    assert "locked" in (probe.check().problem or "")
    other.execute("ROLLBACK")
    assert probe.check().problem is None


def test_report_reads_the_status_file_in_one_line(tmp_path):
    path = status_path(tmp_path / "db.sqlite3")
    Status(at=100.0, pid=9, mode="polling", ready=True, pending=2, oldest_pending_seconds=3).write(path)
    assert report(path, now=101.0) == (True, "ready: polling, pid 9, checked 1 s ago, 2 pending (oldest 3 s)")
    ready, line = report(path, now=100.0 + STALE + 5)
    assert not ready and "last status is 20 s old" in line
    Status(at=100.0, pid=9, mode="webhook", ready=False, problems=("a", "b")).write(path)
    assert report(path, now=101.0) == (False, "not ready: a; b")
    path.write_text("{half", encoding="utf-8")
    assert report(path, now=101.0)[0] is False


def test_notify_sends_datagrams_to_a_real_unix_socket(tmp_path):
    address = tmp_path / "notify"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(address))
    server.settimeout(2)
    try:
        notifier = Notifier({"NOTIFY_SOCKET": str(address), "WATCHDOG_USEC": "20000000"})
        assert notifier.enabled and notifier.watchdog_seconds == 20.0
        assert notifier.ready("taking updates")
        assert server.recv(1024) == b"READY=1\nSTATUS=taking updates"
        assert notifier.watchdog()
        assert server.recv(1024) == b"WATCHDOG=1"
        notifier.close()
    finally:
        server.close()


def test_notify_to_an_abstract_socket_and_without_systemd(tmp_path):
    name = f"net-faq-bot-test-{tmp_path.name}"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind("\0" + name)
    server.settimeout(2)
    try:
        notifier = Notifier({"NOTIFY_SOCKET": "@" + name})
        assert notifier.stopping()
        assert server.recv(1024) == b"STOPPING=1"
    finally:
        server.close()
    quiet = Notifier({})
    assert not quiet.enabled and not quiet.watchdog() and quiet.watchdog_seconds is None
    # The watchdog is another process's when WATCHDOG_PID names it.
    assert Notifier({"NOTIFY_SOCKET": "x", "WATCHDOG_USEC": "1000", "WATCHDOG_PID": "1"}).watchdog_seconds is None
