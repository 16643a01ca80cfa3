"""Health of the running bot, as an operator's tools see it: /healthz and /readyz on the webhook
listener, ``python -m bot health`` for a polling bot, and systemd's notify socket.

"Unwritable" is made the way a test can make it whoever runs it (root ignores file modes): another
process holds the database's write lock, as a stuck maintenance job would.
"""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager

import httpx

from tests.conftest import ROOT
from tests.e2e.harness import start_bot
from tests.e2e.test_reliability import free_port, webhook_config

TARGET = 10.0   # seconds within which readiness must follow the database (issue 19)


@contextmanager
def write_lock(db):
    """Hold the database's write lock from another connection until the block ends."""
    conn = sqlite3.connect(db, timeout=5, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def first_time(check, limit: float = 20.0) -> float | None:
    """Seconds until ``check()`` is true (polled every 0.2 s), or None if not within ``limit``."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        if check():
            return time.monotonic() - began
        time.sleep(0.2)
    return None


def test_webhook_listener_answers_healthz_and_readyz_following_the_database(emulator, tmp_path):
    port = free_port()
    bot = start_bot(emulator, tmp_path, telegram_config=webhook_config(port))
    base = f"http://127.0.0.1:{port}"
    try:
        def readyz() -> int:
            return httpx.get(f"{base}/readyz", timeout=5).status_code

        assert first_time(lambda: readyz() == 204) is not None, bot.logs()
        live = httpx.get(f"{base}/healthz", timeout=5)
        assert live.status_code == 204 and live.content == b""
        with write_lock(tmp_path / "bot.sqlite3"):
            took = first_time(lambda: readyz() == 503)
            assert took is not None and took <= TARGET, took
            assert httpx.get(f"{base}/healthz", timeout=5).status_code == 204   # alive, just not ready
            assert httpx.get(f"{base}/readyz", timeout=5).content == b""
        took = first_time(lambda: readyz() == 204)
        assert took is not None and took <= TARGET, took
        assert "health: not ready: database not writable" in bot.logs()
    finally:
        assert bot.stop() == 0


def health(config) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", "health", "--config", str(config)], cwd=ROOT.parent,
                          capture_output=True, text=True, timeout=60)


def test_bot_health_command_reports_a_polling_bot_in_one_line(emulator, tmp_path):
    config = tmp_path / "config.yaml"
    bot = start_bot(emulator, tmp_path)
    try:
        said = health(config)
        assert said.returncode == 0, said.stdout + said.stderr
        assert said.stdout.startswith("ready: polling") and said.stdout.count("\n") == 1
        with write_lock(tmp_path / "bot.sqlite3"):
            took = first_time(lambda: health(config).returncode == 1)
            assert took is not None and took <= TARGET, took
            said = health(config)
            assert said.stdout.startswith("not ready: database not writable"), said.stdout
        assert first_time(lambda: health(config).returncode == 0) is not None
    finally:
        assert bot.stop() == 0
    said = health(config)
    assert said.returncode == 1 and "not ready" in said.stdout


def test_bot_health_without_a_running_bot_says_so(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("storage:\n  path: state/bot.sqlite3\n", encoding="utf-8")
    said = health(config)
    assert said.returncode == 1
    assert said.stdout.startswith("not ready: no status from a running bot")


def test_systemd_notify_ready_then_watchdog_only_while_the_database_works(emulator, tmp_path):
    sock_path = tmp_path / "notify.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(str(sock_path))
    listener.settimeout(0.5)
    received: list[str] = []

    def drain(seconds: float, until=lambda got: False) -> list[str]:
        """Datagrams for ``seconds``, or until ``until(got)`` is true."""
        got, end = [], time.monotonic() + seconds
        while time.monotonic() < end and not until(got):
            try:
                got += listener.recv(4096).decode().split("\n")
            except TimeoutError:
                pass
        received.extend(got)
        return got

    def has(*fields):
        return lambda got: all(f in got for f in fields)

    bot = start_bot(emulator, tmp_path, env={"NOTIFY_SOCKET": str(sock_path), "WATCHDOG_USEC": "30000000"})
    try:
        got = drain(10, has("READY=1", "WATCHDOG=1"))
        assert "READY=1" in got and "WATCHDOG=1" in got, got
        with write_lock(tmp_path / "bot.sqlite3"):
            got = drain(10, lambda got: any(m.startswith("STATUS=not ready") for m in got))
            assert any(m.startswith("STATUS=not ready: database not writable") for m in got), got
            assert "WATCHDOG=1" not in drain(3)   # three probe periods without a ping
        assert "WATCHDOG=1" in drain(10, has("WATCHDOG=1"))
    finally:
        assert bot.stop() == 0
        drain(1)
        listener.close()
    assert "STOPPING=1" in received


def test_json_logs_are_one_object_a_line(emulator, tmp_path):
    import json

    bot = start_bot(emulator, tmp_path, log_format="json")
    emulator.send_text(5, "what causes NETs?")
    assert emulator.wait_for(1, 5)
    assert bot.stop() == 0
    records = [json.loads(line) for line in bot.logs().splitlines() if line.strip()]
    assert any(r["message"].startswith("bot @") and " ready (polling)" in r["message"] for r in records)
    assert all({"time", "level", "logger", "message"} <= r.keys() for r in records)
