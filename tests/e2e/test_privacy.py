"""What patients write, their ids and the bot token never reach the logs, unless an
operator turns message logging on."""

from __future__ import annotations

import re
import time

from tests.e2e.harness import TOKEN, start_bot, wait_until

USER = 987654321
SECRETS = ["zebra-flushing-4417", "my-private-record-5521", "chest pain zebra-9931"]


def chat_session(emulator) -> None:
    emulator.send_text(USER, "/start")
    emulator.send_text(USER, f"can a NET cause flushing {SECRETS[0]}")
    emulator.send_text(USER, f"types and symptoms {SECRETS[1]}")
    offer = emulator.wait_for(3, USER)[-1]
    # Whatever it offers ("Did you mean", or topics beside a decline), the first button is tapped.
    emulator.tap(offer.result, offer.result["reply_markup"]["inline_keyboard"][0][0]["text"])
    emulator.send_sticker(USER)
    emulator.send_text(USER, SECRETS[2])
    emulator.inject("sendMessage", "500", times=1)   # a warning with an exception in the logs
    emulator.send_text(USER, "what causes NETs?")
    assert len(emulator.wait_for(7, USER, timeout=30)) == 7


def test_logs_hold_no_message_text_no_user_id_and_no_token(emulator, tmp_path):
    # DEBUG: the most verbose level an operator can choose; message logging left off (the default).
    bot = start_bot(emulator, tmp_path, level="DEBUG")
    chat_session(emulator)
    time.sleep(0.5)
    assert bot.stop() == 0
    logs = bot.logs()
    assert re.search(r"button -> answer [a-z-]+", logs)   # the session was logged (the tap on the first button)...
    assert "user:" in logs                                    # ...under pseudonyms
    assert TOKEN not in logs and TOKEN.split(":")[1] not in logs
    for secret in SECRETS:
        assert secret not in logs
    assert str(USER) not in logs
    assert not re.search(r"flushing|types and symptoms", logs)


def test_message_logging_is_an_operator_switch(emulator, tmp_path):
    bot = start_bot(emulator, tmp_path, level="INFO", log_text=True)
    emulator.send_text(USER, f"can a NET cause flushing {SECRETS[0]}")
    emulator.wait_for(1, USER)
    time.sleep(0.3)
    bot.stop()
    logs = bot.logs()
    assert SECRETS[0] in logs                 # the capture works, so the test above can fail
    assert TOKEN not in logs and TOKEN.split(":")[1] not in logs
    assert str(USER) not in logs


def test_message_logging_still_pseudonymizes_users(emulator, tmp_path):
    # The most verbose logs an operator can ask for: DEBUG with message logging on.
    bot = start_bot(emulator, tmp_path, level="DEBUG", log_text=True)
    chat_session(emulator)
    time.sleep(0.5)
    assert bot.stop() == 0
    logs = bot.logs()
    assert SECRETS[0] in logs and "user:" in logs   # the text is there, under a pseudonym...
    assert str(USER) not in logs                    # ...but never the user id
    assert f"Patient{USER}" not in logs             # or the name


# -- nothing of an answered message left on disk -------------------------------------------
NO_FLOOD = "  flood:\n    messages: 1000\n    per_seconds: 1\n"
ERASED_WITHIN = 5.0   # seconds after its reply, the promise in the README


def database_bytes(tmp_path) -> bytes:
    """The main file, -wal, -shm and -journal, whichever exist."""
    return b"".join(f.read_bytes() for f in tmp_path.glob("bot.sqlite3*") if not f.name.endswith(".lock"))


def traces(chat: int) -> list[str]:
    """What identifies a patient's message: its words, the user/chat id, names and username."""
    return [f"words-of-{chat}-a", f"words-of-{chat}-b", str(chat), f"Patient{chat}", f"Family{chat}",
            f"handle{chat}"]


def found(data: bytes, chats) -> list[str]:
    return [t for chat in chats for t in traces(chat) if t.encode() in data]


def test_answered_messages_leave_no_trace_in_any_database_file(emulator, tmp_path):
    bot = start_bot(emulator, tmp_path, telegram_config=NO_FLOOD)
    chats = [731_900_000 + i for i in range(40)]
    for suffix in ("a", "b"):
        for chat in chats:
            emulator.send_text(chat, f"what causes NETs? words-of-{chat}-{suffix}")
    for chat in chats:
        assert len(emulator.wait_for(2, chat, timeout=60)) == 2
    # One patient's reply cannot be sent: their message must stay on disk until it is.
    emulator.inject("sendMessage", "500", times=100_000)
    waiting = 731_999_999
    emulator.send_text(waiting, f"is it hereditary? words-of-{waiting}-a")
    assert wait_until(lambda: any(int(c.params["chat_id"]) == waiting for c in emulator.failed_calls))
    time.sleep(ERASED_WITHIN)
    data = database_bytes(tmp_path)
    assert found(data, chats) == []                       # while running
    assert f"words-of-{waiting}-a".encode() in data       # durable until answered
    bot.kill()
    data = database_bytes(tmp_path)
    assert found(data, chats) == []                       # after SIGKILL
    assert f"words-of-{waiting}-a".encode() in data
    emulator.faults.clear()
    bot = start_bot(emulator, tmp_path, log_name="bot2.log")
    try:
        assert "MEN 1" in emulator.wait_for(1, waiting, timeout=30)[0].params["text"]
        time.sleep(ERASED_WITHIN)
        assert found(database_bytes(tmp_path), [*chats, waiting]) == []
    finally:
        assert bot.stop() == 0

