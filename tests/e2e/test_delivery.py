"""Replies in order per chat, retried while the bot runs until sent or never sendable.

A 429 storm and a 5xx outage (a few seconds here; scripts/bench_outage.py runs the
120 s versions): every reply is sent within 10 s of the fault ending, in the order each
chat wrote, without a restart. A chat Telegram says can never get a message (403, 400
chat not found) has its update logged by id and dropped, and holds nobody else up.
"""

from __future__ import annotations

import time

import pytest

from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.harness import start_bot
from tests.e2e.test_reliability import BURST, NO_FLOOD, inbox_rows, texts, wait_until

FAULT_SECONDS = 6.0
SENT_WITHIN = 10.0    # seconds after the fault ends, the target in issue 17


def assert_in_order(emulator: BotApiEmulator, chats) -> None:
    for chat in chats:
        got = texts(emulator, chat)
        assert len(got) == len(BURST), (chat, got)
        assert [phrase in text for text, (_, phrase) in zip(got, BURST)] == [True] * len(BURST), (chat, got)


@pytest.mark.parametrize("kind", ["429", "500"])
def test_every_reply_is_sent_in_order_soon_after_a_fault_ends(emulator, tmp_path, kind):
    bot = start_bot(emulator, tmp_path, telegram_config=NO_FLOOD)
    fault = emulator.inject("sendMessage", kind, retry_after=1, seconds=FAULT_SECONDS)
    chats = range(9101, 9106)
    for i, (text, _) in enumerate(BURST):
        for chat in chats:
            emulator.send_text(chat, text)
        if i == 1:
            time.sleep(FAULT_SECONDS / 2)    # patients keep writing during the fault
    for chat in chats:
        emulator.wait_for(len(BURST), chat, timeout=FAULT_SECONDS + 30)
    time.sleep(1.0)   # a duplicate, if any, would arrive by now
    assert_in_order(emulator, chats)
    assert len(emulator.sent()) == len(BURST) * len(chats)
    last = max(c.at for c in emulator.sent())
    assert last - fault.until <= SENT_WITHIN
    assert sum(c.method == "sendMessage" for c in emulator.failed_calls) >= len(chats)   # the fault was felt
    assert bot.process.poll() is None and bot.logs().count(" ready (") == 1   # no restart
    assert bot.stop() == 0
    assert all(done for _, _, done in inbox_rows(tmp_path))


@pytest.mark.parametrize("kind, said", [("403", "Forbidden: Forbidden: bot was blocked by the user"),
                                        ("400chat", "BadRequest: Chat not found")])
def test_a_chat_telegram_will_never_reach_is_logged_and_dropped(emulator, tmp_path, kind, said):
    gone, other = 9201, 9202
    emulator.inject("sendMessage", kind, times=1000, chat_id=gone)
    bot = start_bot(emulator, tmp_path, telegram_config=NO_FLOOD)
    updates = [emulator.send_text(gone, text) for text, _ in BURST[:2]]
    for text, _ in BURST:
        emulator.send_text(other, text)
    emulator.wait_for(len(BURST), other, timeout=30)
    assert_in_order(emulator, [other])          # the other chat went on
    assert wait_until(lambda: bot.logs().count("dropped: Telegram will never deliver it") == 2)
    for update in updates:
        assert f"reply to update {update['update_id']} dropped: Telegram will never deliver it ({said})" in bot.logs()
    assert sum(int(c.params["chat_id"]) == gone for c in emulator.failed_calls) == 2   # not retried
    assert bot.stop() == 0
    assert all(done for _, _, done in inbox_rows(tmp_path))   # dropped, not replayed at the next start
