"""Bot API faults injected on loopback: the bot keeps running and answers every update
exactly once after recovery. Bad input through the real Telegram adapter."""

from __future__ import annotations

import time

import pytest

from tests.e2e.botapi_emulator import BotApiEmulator
from tests.test_bad_input import NASTY

QUESTION = "what causes NETs?"


def ask(emulator: BotApiEmulator, chats) -> None:
    for chat in chats:
        emulator.send_text(chat, QUESTION)


def assert_each_answered_once(emulator: BotApiEmulator, chats, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    for chat in chats:
        emulator.wait_for(1, chat, timeout=max(0.1, deadline - time.monotonic()))
    time.sleep(1.5)  # a duplicate, if any, would arrive by now
    counts = {chat: len(emulator.sent(chat_id=chat)) for chat in chats}
    assert counts == {chat: 1 for chat in chats}
    for chat in chats:
        assert "exact cause" in emulator.sent(chat_id=chat)[0].params["text"]


def test_429_with_retry_after(running_bot, emulator):
    emulator.inject("sendMessage", "429", times=2, retry_after=1)
    chats = range(2001, 2006)
    ask(emulator, chats)
    assert_each_answered_once(emulator, chats)
    assert sum(c.method == "sendMessage" for c in emulator.failed_calls) == 2
    assert running_bot.process.poll() is None


@pytest.mark.parametrize("code", ["500", "502"])
def test_server_errors_on_send(running_bot, emulator, code):
    emulator.inject("sendMessage", code, times=3)
    chats = range(3001, 3004)
    ask(emulator, chats)
    assert_each_answered_once(emulator, chats)
    assert running_bot.process.poll() is None


def test_server_errors_on_get_updates(running_bot, emulator):
    emulator.inject("getUpdates", "500", times=3)
    chats = range(3101, 3104)
    ask(emulator, chats)
    assert_each_answered_once(emulator, chats)
    assert any(c.method == "getUpdates" for c in emulator.failed_calls)


def test_timeout_on_send(running_bot, emulator):
    # Longer than python-telegram-bot's 5 s read timeout; the hung request is never processed.
    emulator.inject("sendMessage", "hang", times=1, hang_seconds=6.5)
    chats = [4001]
    ask(emulator, chats)
    assert_each_answered_once(emulator, chats)
    assert running_bot.process.poll() is None


def test_connection_refused_then_restored(running_bot, emulator):
    emulator.stop()                       # Telegram unreachable: the bot's polls are refused
    chats = range(5001, 5006)
    ask(emulator, chats)                  # patients keep writing meanwhile
    time.sleep(3)
    assert running_bot.process.poll() is None
    emulator.start()                      # same port, Telegram is back
    assert_each_answered_once(emulator, chats)


def test_outage_while_sending(running_bot, emulator):
    emulator.inject("sendMessage", "outage", times=1, hang_seconds=3)
    chats = range(5101, 5104)
    ask(emulator, chats)
    assert_each_answered_once(emulator, chats)
    assert running_bot.process.poll() is None
    assert running_bot.stop() == 0


def test_bad_input_through_telegram(running_bot, emulator):
    chats = []
    for i, text in enumerate(v for k, v in NASTY.items() if k not in ("empty", "whitespace", "surrogates")):
        chat = 6000 + i
        chats.append(chat)
        emulator.send_text(chat, text[:4096])  # Telegram itself caps incoming messages at 4096
    for chat in chats:
        assert emulator.wait_for(1, chat, timeout=30), chat
    time.sleep(1)
    assert all(len(emulator.sent(chat_id=chat)) == 1 for chat in chats)
    html_reply = emulator.sent(chat_id=6000 + list(k for k in NASTY if k not in ("empty", "whitespace",
                                                                              "surrogates")).index("html"))
    assert "<script>" not in html_reply[0].params["text"]
    assert running_bot.process.poll() is None


def test_burst_in_one_chat_is_answered_in_order(running_bot, emulator):
    questions = [("what causes a NET?", "exact cause"), ("symptoms?", "pain from a growing tumor"),
                 ("is it hereditary?", "MEN 1"), ("is there a support group?", "Mayo Clinic Connect"),
                 ("where do NETs grow?", "small intestine")]
    for text, _ in questions:
        emulator.send_text(7001, text)
    sent = emulator.wait_for(len(questions), 7001, timeout=30)
    assert [expected in call.params["text"] for call, (_, expected) in zip(sent, questions)] == [True] * 5
