"""No message lost: the defects an independent probe found, each through the real bot process.

1 kill -9 mid-burst, 2 one 500 at start-up, 3 an unreadable update (polling and webhook),
4 SIGTERM during an outage, 5 a reply that cannot be sent, 6 buttons, plus the inbox's
own start-up errors. (7, ids in logs with message logging on, is in test_privacy.py.)
"""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import time

import httpx

from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.harness import start_bot, wait_until

CHAT = 8100
QUESTION = "what causes NETs?"
NO_FLOOD = "  flood:\n    messages: 1000\n    per_seconds: 1\n"
# Questions whose answers can be told apart, with a phrase from each answer.
BURST = [("what causes a NET?", "exact cause"), ("symptoms?", "pain from a growing tumor"),
         ("is it hereditary?", "MEN 1"), ("where do NETs grow?", "small intestine")]


def texts(emulator: BotApiEmulator, chat: int) -> list[str]:
    return [c.params["text"] for c in emulator.sent(chat_id=chat)]



def inbox_rows(tmp_path) -> list[tuple]:
    with sqlite3.connect(tmp_path / "bot.sqlite3") as conn:
        return conn.execute("SELECT update_id, payload, done_at FROM telegram_inbox").fetchall()


# -- 1 -------------------------------------------------------------------------------------
def test_kill_9_mid_burst_loses_nothing_and_repeats_only_what_was_in_flight(emulator, tmp_path):
    emulator.send_delay = 0.3
    chats = range(8001, 8006)
    bot = start_bot(emulator, tmp_path, telegram_config=NO_FLOOD)
    for text, _ in BURST:
        for chat in chats:
            emulator.send_text(chat, text)
    assert len(emulator.wait_for(6, timeout=30)) >= 6   # mid-burst: some answered, most not
    bot.kill()
    sent_before = len(emulator.sent())
    assert sent_before < len(BURST) * len(chats)
    bot = start_bot(emulator, tmp_path, telegram_config=NO_FLOOD, log_name="bot2.log")
    try:
        for chat in chats:
            emulator.wait_for(len(BURST), chat, timeout=60)
        time.sleep(1.0)   # a duplicate, if any, would arrive by now
        for chat in chats:
            got = texts(emulator, chat)
            for _, phrase in BURST:   # nothing lost...
                assert any(phrase in t for t in got), (chat, phrase, got)
        duplicates = len(emulator.sent()) - len(BURST) * len(chats)
        # ...and repeated only replies in flight at the kill: at most one per chat.
        assert 0 <= duplicates <= len(chats)
        assert emulator.pending_updates() == 0
    finally:
        assert bot.stop() == 0
    # Answered updates keep no text, ids or names: only their update_id, for 24 h.
    rows = inbox_rows(tmp_path)
    assert len(rows) == len(BURST) * len(chats)
    assert all(payload is None and done_at for _, payload, done_at in rows)


# -- 2 -------------------------------------------------------------------------------------
def test_one_server_error_per_start_up_call_is_retried(emulator, tmp_path):
    for method in ("getMe", "deleteWebhook", "setMyCommands"):
        emulator.inject(method, "500")
    bot = start_bot(emulator, tmp_path)
    try:
        emulator.send_text(CHAT, QUESTION)
        assert "exact cause" in emulator.wait_for(1, CHAT)[0].params["text"]
        logs = bot.logs()
        assert "getMe (checking the token) failed (NetworkError)" in logs
        assert "deleteWebhook failed (NetworkError)" in logs
        assert "WARNING bot.telegram: setMyCommands failed" in logs
    finally:
        assert bot.stop() == 0


def test_a_lasting_start_up_failure_names_the_call_and_exits_1(emulator, tmp_path):
    emulator.inject("getMe", "502", times=1000)
    bot = start_bot(emulator, tmp_path, telegram_config="  startup_retry_seconds: 1\n", wait_ready=False)
    assert bot.process.wait(30) == 1
    logs = bot.logs()
    said = re.search(r"Could not reach the Telegram Bot API: getMe \(checking the token\) kept failing for "
                     r"([\d.]+) s", logs)
    assert said and float(said.group(1)) >= 1.0   # the time it really tried, not less
    assert "Traceback" not in logs


# -- 3 -------------------------------------------------------------------------------------
SECRET = "my-secret-diagnosis-7731"
BAD_USER = 55443322


def unreadable_update() -> dict:
    """A message without chat and date: python-telegram-bot cannot parse it."""
    return {"message": {"message_id": 9, "text": SECRET,
                        "from": {"id": BAD_USER, "is_bot": False, "first_name": "Verysecretname"}}}


def assert_no_trace_of_the_bad_update(logs: str) -> None:
    assert "cannot be read (KeyError); skipped" in logs
    for leak in (SECRET, str(BAD_USER), "Verysecretname"):
        assert leak not in logs


def test_unreadable_update_is_skipped_unlogged_and_polling_goes_on(emulator, tmp_path):
    bot = start_bot(emulator, tmp_path, level="DEBUG")
    try:
        emulator.push_raw(unreadable_update())
        emulator.send_text(CHAT, QUESTION)
        assert "exact cause" in emulator.wait_for(1, CHAT)[0].params["text"]
        calls = emulator.get_updates_calls
        time.sleep(2.0)
        assert emulator.get_updates_calls - calls <= 5   # long polls, not a spin (it was ~600 in 2 s)
        assert emulator.pending_updates() == 0
    finally:
        assert bot.stop() == 0
    assert_no_trace_of_the_bad_update(bot.logs())


def webhook_config(port: int) -> str:
    return (f"  mode: webhook\n  webhook:\n    url: https://bot.example.invalid/hook\n    listen: 127.0.0.1\n"
            f"    port: {port}\n    secret_token: s3cret-Token\n    path: hook\n")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_webhook_skips_unreadable_updates_and_never_answers_one_twice(emulator, tmp_path):
    port = free_port()
    bot = start_bot(emulator, tmp_path, level="DEBUG", telegram_config=webhook_config(port))
    url, headers = f"http://127.0.0.1:{port}/hook", {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token"}
    try:
        bad = httpx.post(url, json={"update_id": 500, **unreadable_update()}, headers=headers, timeout=5)
        assert bad.status_code == 200   # Telegram moves past it instead of retrying it forever
        good = {"update_id": 501, "message": {"message_id": 1, "date": int(time.time()), "text": QUESTION,
                                              "chat": {"id": CHAT, "type": "private"},
                                              "from": {"id": CHAT, "is_bot": False, "first_name": "P"}}}
        for _ in range(2):   # Telegram redelivers an update whose 200 it did not see
            assert httpx.post(url, json=good, headers=headers, timeout=5).status_code == 200
        assert "exact cause" in emulator.wait_for(1, CHAT)[0].params["text"]
        time.sleep(1.0)
        assert len(emulator.sent(chat_id=CHAT)) == 1
    finally:
        assert bot.stop() == 0
    assert_no_trace_of_the_bad_update(bot.logs())


def test_webhook_answers_200_only_once_the_update_is_stored(emulator, tmp_path):
    emulator.inject("sendMessage", "hang", times=5, hang_seconds=3)   # the reply cannot go out yet
    port = free_port()
    bot = start_bot(emulator, tmp_path, level="DEBUG", telegram_config=webhook_config(port))
    update = {"update_id": 700, "message": {"message_id": 1, "date": int(time.time()), "text": QUESTION,
                                            "chat": {"id": CHAT, "type": "private"},
                                            "from": {"id": CHAT, "is_bot": False, "first_name": "P"}}}
    answer = httpx.post(f"http://127.0.0.1:{port}/hook", json=update, timeout=5,
                        headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token"})
    assert answer.status_code == 200   # Telegram now forgets the update...
    bot.kill()                         # ...and the bot dies before replying
    emulator.faults.clear()
    bot = start_bot(emulator, tmp_path, log_name="bot2.log")   # back, polling this time
    try:
        assert "exact cause" in emulator.wait_for(1, CHAT)[0].params["text"]
    finally:
        assert bot.stop() == 0


# -- 4 -------------------------------------------------------------------------------------
def test_sigterm_during_an_outage_stops_within_10_s_and_keeps_the_reply(emulator, tmp_path):
    emulator.inject("sendMessage", "500", times=100_000)
    bot = start_bot(emulator, tmp_path)
    emulator.send_text(CHAT, QUESTION)
    assert wait_until(lambda: any(c.method == "sendMessage" for c in emulator.failed_calls))
    bot.process.send_signal(signal.SIGTERM)
    try:
        assert bot.process.wait(10) == 0     # Docker's default stop timeout
    except subprocess.TimeoutExpired:
        bot.kill()
        raise AssertionError("the bot took longer than 10 s to stop") from None
    emulator.faults.clear()                  # Telegram is back; the bot starts again
    bot = start_bot(emulator, tmp_path, log_name="bot2.log")
    try:
        assert "exact cause" in emulator.wait_for(1, CHAT)[0].params["text"]
        assert "1 pending updates replayed" in bot.logs()
    finally:
        assert bot.stop() == 0


# -- 5 -------------------------------------------------------------------------------------
def test_a_reply_failing_longer_than_send_retry_seconds_is_still_sent_without_a_restart(emulator, tmp_path):
    bot = start_bot(emulator, tmp_path, telegram_config="  send_retry_seconds: 2\n")
    # The 4 s window opens once the bot is up: opened before, a slow start on a loaded machine used
    # up more than its last 2 s, and the reply never failed for longer than send_retry_seconds.
    emulator.inject("sendMessage", "429", seconds=4, retry_after=1)
    try:
        emulator.send_text(CHAT, QUESTION)
        assert "exact cause" in emulator.wait_for(1, CHAT, timeout=30)[0].params["text"]
        time.sleep(0.5)
        assert len(emulator.sent(chat_id=CHAT)) == 1
        logs = bot.logs()
        assert logs.count("ERROR bot.telegram: sending a reply has failed for") == 1
        assert logs.count("WARNING bot.telegram: sending a reply failed (RetryAfter)") == 1
        # One layer retries rate limits: about one attempt a second, not retries of retries.
        assert sum(c.method == "sendMessage" for c in emulator.failed_calls) <= 5
    finally:
        assert bot.stop() == 0
    assert all(done for _, _, done in inbox_rows(tmp_path))


# -- 6 -------------------------------------------------------------------------------------
def test_taps_are_not_muted_by_typed_flood_control(emulator, tmp_path):
    flood = "  flood:\n    messages: 3\n    per_seconds: 60\n    mute_seconds: 60\n"
    bot = start_bot(emulator, tmp_path, telegram_config=flood)
    try:
        emulator.send_text(CHAT, "types and symptoms")
        clarify = emulator.wait_for(1, CHAT)[0]
        for i in range(6):   # a patient reading answers one by one
            emulator.tap(clarify.result, ["1. Types of neuroendocrine tumors", "2. Signs and symptoms"][i % 2])
            emulator.wait_for(2 + i, CHAT)
        emulator.send_text(CHAT, "is it hereditary?")
        emulator.send_text(CHAT, "what causes NETs?")
        sent = texts(emulator, CHAT) if len(emulator.wait_for(9, CHAT)) else []
        assert len(sent) == 9
        assert not any("faster than I can read" in t for t in sent)
        assert "exact cause" in sent[-1]
        assert len(emulator.sent("answerCallbackQuery")) == 6
    finally:
        bot.stop()


def test_every_tap_is_answered_even_when_dropped(emulator, tmp_path):
    flood = "  flood:\n    messages: 1\n    per_seconds: 60\n    mute_seconds: 60\n"
    bot = start_bot(emulator, tmp_path, telegram_config=flood)
    try:
        emulator.send_text(CHAT, "types and symptoms")
        clarify = emulator.wait_for(1, CHAT)[0]
        for _ in range(8):
            emulator.tap(clarify.result, "2. Signs and symptoms")
        answered = emulator.wait_for(8, method="answerCallbackQuery")
        assert len(answered) == 8   # every spinner stops
        time.sleep(0.5)
        assert len(emulator.sent(chat_id=CHAT)) == 1 + 3   # the tap budget is 3x the typed one
    finally:
        bot.stop()


def test_long_entry_ids_still_fit_and_answer(emulator, tmp_path):
    import yaml

    from faq.loader import DATA_DIR

    long_id = "causes-" + "-".join(["of-neuroendocrine-tumors-as-far-as-anyone-knows"] * 2)
    raw = yaml.safe_load((DATA_DIR / "faq.yaml").read_text(encoding="utf-8"))
    raw["source"]["file"] = str(DATA_DIR / "source.txt")
    for entry in raw["entries"]:
        if entry["id"] == "causes":
            entry["id"] = long_id
        entry["related"] = [long_id if r == "causes" else r for r in entry.get("related") or []]
    faq = tmp_path / "faq.yaml"
    faq.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    bot = start_bot(emulator, tmp_path, extra_config=f"data:\n  faq: {faq}\n")
    try:
        emulator.send_text(CHAT, "/topics")
        topics = emulator.wait_for(1, CHAT)[0]
        rows = topics.params["reply_markup"]["inline_keyboard"]
        assert all(len(b["callback_data"].encode()) <= 64 for row in rows for b in row)
        label = next(b["text"] for row in rows for b in row if b["text"].endswith("What causes NETs"))
        emulator.tap(topics.result, label)
        assert "exact cause" in emulator.wait_for(2, CHAT)[1].params["text"]
    finally:
        bot.stop()


# -- the inbox's own start-up errors -------------------------------------------------------
def test_a_second_bot_on_the_same_database_is_refused(emulator, tmp_path):
    bot = start_bot(emulator, tmp_path)
    try:
        second = start_bot(emulator, tmp_path, log_name="bot2.log", wait_ready=False)
        assert second.process.wait(30) == 2
        assert "in use by another running Telegram bot" in second.logs()
        assert "Traceback" not in second.logs()
    finally:
        bot.stop()


def test_a_corrupt_database_is_one_clear_message(emulator, tmp_path):
    (tmp_path / "bot.sqlite3").write_bytes(b"not a database at all " * 200)
    bot = start_bot(emulator, tmp_path, wait_ready=False)
    assert bot.process.wait(30) == 2
    assert "not a usable database" in bot.logs() and "Traceback" not in bot.logs()


def test_a_backlog_after_an_outage_is_not_taken_for_a_flood(running_bot, emulator):
    emulator.stop()   # Telegram unreachable; meanwhile the patient writes ten questions, a minute apart
    start = int(time.time()) - 600
    for i in range(10):
        emulator.push_raw({"message": emulator._message(CHAT, CHAT, text=BURST[i % 4][0], date=start + 60 * i)})
    emulator.start()  # all ten arrive at once
    sent = emulator.wait_for(10, CHAT, timeout=30)
    assert len(sent) == 10
    assert not any("faster than I can read" in c.params["text"] for c in sent)


def test_a_second_bot_through_a_symlink_to_the_same_database_is_refused(emulator, tmp_path):
    bot = start_bot(emulator, tmp_path)
    try:
        other = tmp_path / "other"
        other.mkdir()
        (other / "link.sqlite3").symlink_to(tmp_path / "bot.sqlite3")
        second = start_bot(emulator, other, extra_config=f"storage:\n  path: {other / 'link.sqlite3'}\n",
                           wait_ready=False)
        assert second.process.wait(30) == 2
        assert "in use by another running Telegram bot" in second.logs()
    finally:
        bot.stop()
    assert (tmp_path / "bot.sqlite3").stat().st_mode & 0o777 == 0o600


def test_wrong_webhook_secrets_are_one_warning_a_minute(emulator, tmp_path):
    port = free_port()
    bot = start_bot(emulator, tmp_path, telegram_config=webhook_config(port))
    try:
        for _ in range(5):
            refused = httpx.post(f"http://127.0.0.1:{port}/hook", json={"update_id": 1}, timeout=5,
                                 headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
            assert refused.status_code == 403
    finally:
        assert bot.stop() == 0
    logs = bot.logs()
    assert logs.count("without the right secret token refused") == 1
    assert "ERROR" not in logs
