"""Fixtures: a Bot API emulator on 127.0.0.1 and the real bot process talking to it."""

from __future__ import annotations

import pytest

from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.harness import TOKEN, start_bot, stop_all_started


@pytest.fixture
def emulator():
    emu = BotApiEmulator(TOKEN).start()
    yield emu
    emu.stop()


@pytest.fixture
def running_bot(emulator, tmp_path):
    bot = start_bot(emulator, tmp_path)
    yield bot
    bot.stop()


@pytest.fixture(autouse=True)
def _no_bot_outlives_its_test():
    # A test that fails before its bot.stop() must not leave the process running.
    yield
    stop_all_started()
