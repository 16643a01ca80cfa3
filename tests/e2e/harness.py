"""Run the real Telegram adapter (`python -m bot telegram`) against the Bot API emulator.

Used by the end-to-end tests (through tests/e2e/conftest.py) and by scripts/bench_load.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.botapi_emulator import BotApiEmulator

ROOT = Path(__file__).resolve().parents[2]

# Fake, and one digit short of a real token so secret scanners do not flag the test itself.
TOKEN = "7000001:AAE-fake-token-for-e2e-tests-only-0000"


@dataclass
class RunningBot:
    process: subprocess.Popen
    log_path: Path
    emulator: BotApiEmulator

    def logs(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> int:
        """SIGKILL: no chance to clean up, as in a crash or an OOM kill."""
        self.process.kill()
        return self.process.wait(5)

    def stop(self, timeout: float = 15.0, sig: int = signal.SIGINT) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return self.process.returncode


READY = " ready ("   # the bot's log line once it polls (or listens) for updates (text or JSON)


# Every bot process started here, so a test that fails half-way leaves none running
# (tests/e2e/conftest.py stops them after each test; stop() is a no-op on a stopped one).
STARTED: list[RunningBot] = []


def stop_all_started() -> None:
    while STARTED:
        bot = STARTED.pop()
        if bot.process.poll() is None:
            bot.process.kill()
            bot.process.wait(10)


def start_bot(emulator: BotApiEmulator, tmp_path: Path, extra_config: str = "", level: str = "INFO",
              wait_ready: bool = True, telegram_config: str = "", log_text: bool = False,
              log_name: str = "bot.log", env: dict[str, str] | None = None,
              log_format: str = "text") -> RunningBot:
    """Start the bot with a config pointing at ``emulator``; wait until it says it is ready.

    Its database is ``tmp_path``/bot.sqlite3, so a bot started again on the same ``tmp_path``
    finds the inbox the last one left.
    """
    config = tmp_path / "config.yaml"
    storage = "" if "storage:" in extra_config else f"storage:\n  path: {tmp_path / 'bot.sqlite3'}\n"
    config.write_text(
        f"telegram:\n  base_url: {emulator.base_url}\n{telegram_config}{extra_config}{storage}"
        f"logging:\n  level: {level}\n  format: {log_format}\n  log_message_text: {'true' if log_text else 'false'}\n",
        encoding="utf-8")
    log_path = tmp_path / log_name
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "PYTHONUNBUFFERED": "1", **(env or {})}
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot", "--config", str(config), "telegram"],
                                   cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    bot = RunningBot(process, log_path, emulator)
    STARTED.append(bot)
    polls_before = emulator.get_updates_calls

    def ready() -> bool:  # the ready line, or (at WARNING, without it) the first poll
        return READY in bot.logs() or emulator.get_updates_calls > polls_before

    if wait_ready:
        deadline = time.monotonic() + 30
        while not ready() and time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"the bot exited with {process.returncode}:\n{bot.logs()}")
            time.sleep(0.05)
        if not ready():
            bot.stop()
            raise AssertionError(f"the bot did not start within 30 s:\n{bot.logs()}")
    return bot


def wait_until(condition, timeout: float = 20.0) -> bool:
    """Poll ``condition`` every 50 ms for at most ``timeout`` seconds (a bounded loop); its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()
