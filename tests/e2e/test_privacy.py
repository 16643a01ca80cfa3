"""What patients write, their ids and the bot token never reach the logs, unless an
operator turns message logging on."""

from __future__ import annotations

import re
import time

from tests.e2e.harness import TOKEN, start_bot

USER = 987654321
SECRETS = ["zebra-flushing-4417", "my-private-record-5521", "chest pain zebra-9931"]


def chat_session(emulator) -> None:
    emulator.send_text(USER, "/start")
    emulator.send_text(USER, f"can a NET cause flushing {SECRETS[0]}")
    emulator.send_text(USER, f"types and symptoms {SECRETS[1]}")
    clarify = emulator.wait_for(3, USER)[-1]
    emulator.tap(clarify.result, "2. Signs and symptoms")
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
    assert "button -> answer symptoms" in logs   # the session was logged...
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
