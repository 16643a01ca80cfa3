"""A database that cannot be written while the bot runs: one rule in polling and webhook mode.

The disk is "full" for the bot process only: RLIMIT_FSIZE a little above its log file
(its stdout), below one page of the write-ahead log (emptied at start), so storing the
next update fails as on a full disk; Python ignores the SIGXFSZ that comes with it.
"""

from __future__ import annotations

import resource
import time

import httpx

from tests.e2e.harness import start_bot
from tests.e2e.test_reliability import QUESTION, free_port, webhook_config

CHAT = 8300
STORAGE_FAILED_EXIT = 2


def fill_the_disk(bot) -> None:
    time.sleep(0.5)   # start-up has emptied the log by now
    limit = bot.log_path.stat().st_size + 2500   # room for the log lines to come
    assert limit < 4096 + 32                     # less than the log's header and first page
    resource.prlimit(bot.process.pid, resource.RLIMIT_FSIZE, (limit, limit))


def assert_one_clear_stop(bot) -> None:
    assert bot.process.wait(30) == STORAGE_FAILED_EXIT
    logs = bot.logs()
    assert logs.count("ERROR bot.telegram: the database cannot be written") == 1
    assert "The bot stopped:" in logs
    assert "Traceback" not in logs


def test_polling_stops_with_exit_2_and_leaves_the_update_with_telegram(emulator, tmp_path):
    bot = start_bot(emulator, tmp_path)
    fill_the_disk(bot)
    emulator.send_text(CHAT, QUESTION)
    assert_one_clear_stop(bot)
    assert emulator.pending_updates() == 1     # not confirmed: Telegram still has it
    bot = start_bot(emulator, tmp_path, log_name="bot2.log")   # space again: answered
    try:
        assert "exact cause" in emulator.wait_for(1, CHAT, timeout=30)[0].params["text"]
    finally:
        assert bot.stop() == 0


def test_webhook_refuses_the_update_and_stops_the_same_way(emulator, tmp_path):
    port = free_port()
    bot = start_bot(emulator, tmp_path, telegram_config=webhook_config(port))
    fill_the_disk(bot)
    update = {"update_id": 900, "message": {"message_id": 1, "date": int(time.time()), "text": QUESTION,
                                            "chat": {"id": CHAT, "type": "private"},
                                            "from": {"id": CHAT, "is_bot": False, "first_name": "P"}}}
    answer = httpx.post(f"http://127.0.0.1:{port}/hook", json=update, timeout=10,
                        headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token"})
    assert answer.status_code >= 500            # not 200: Telegram keeps it and delivers it again
    assert_one_clear_stop(bot)
