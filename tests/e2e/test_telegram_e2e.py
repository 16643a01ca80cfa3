"""The Telegram adapter end to end: the real bot process, python-telegram-bot's real HTTP
stack, and a Bot API emulator on 127.0.0.1 playing Telegram and the patient."""

from __future__ import annotations

import time

from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.harness import TOKEN, start_bot

CHAT = 5551


def last_text(calls) -> str:
    return calls[-1].params["text"]


def buttons(call) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]


def test_patient_conversation(running_bot, emulator: BotApiEmulator):
    # The command menu is registered at start-up.
    assert [c["command"] for c in emulator.commands] == ["start", "help", "topics", "about"]

    emulator.send_text(CHAT, "/start")
    sent = emulator.wait_for(1, CHAT)
    assert len(sent) == 1
    start = sent[0].params
    assert start["parse_mode"] == "HTML"
    assert "NET FAQ bot" in start["text"] and "not medical advice" in start["text"]
    assert buttons(sent[0])[0] == "1. What neuroendocrine tumors are"

    emulator.send_text(CHAT, "is it herditary?")
    sent = emulator.wait_for(2, CHAT)
    answer = sent[1].params
    assert "multiple endocrine neoplasia, type 1 (MEN 1)" in answer["text"]
    assert "<i>Source: Mayo Clinic" in answer["text"]
    assert len(buttons(sent[1])) == 3
    # A typing action went out before the answer.
    assert emulator.sent("sendChatAction", CHAT)

    # Two topics asked at once get a button each, in the order asked; a tap answers that question.
    emulator.send_text(CHAT, "types and symptoms")
    sent = emulator.wait_for(3, CHAT)
    clarify = sent[2]
    assert "You asked about two things" in clarify.params["text"]
    assert buttons(clarify)[:2] == ["1. Types of neuroendocrine tumors", "2. Signs and symptoms"]
    emulator.tap(clarify.result, "2. Signs and symptoms")
    sent = emulator.wait_for(4, CHAT)
    assert "pain from a growing tumor" in sent[3].params["text"]
    assert emulator.wait_for(1, method="answerCallbackQuery")

    # A sticker gets a polite text-only notice.
    emulator.send_sticker(CHAT)
    sent = emulator.wait_for(5, CHAT)
    assert "I can only read text messages" in sent[4].params["text"]

    # An emergency gets emergency guidance first, never an FAQ answer.
    emulator.send_text(CHAT, "my chest pain is crushing and I feel flushed")
    sent = emulator.wait_for(6, CHAT)
    safety = sent[5].params
    assert safety["text"].startswith("<b>If this is an emergency, call your local emergency number now")
    assert not buttons(sent[5])
    assert "Source:" not in safety["text"]

    assert running_bot.process.poll() is None
    assert running_bot.stop() == 0


def test_html_in_messages_is_escaped(running_bot, emulator):
    # The emulator rejects malformed HTML as Telegram does, so an unescaped '<' would fail the send.
    emulator.send_text(CHAT, "<b>what</b> causes & <script>NETs</script>?")
    sent = emulator.wait_for(1, CHAT)
    assert sent and sent[0].params["parse_mode"] == "HTML"
    assert "exact cause" in sent[0].params["text"]


def test_photos_locations_and_edits(running_bot, emulator):
    emulator.send_photo(CHAT)
    emulator.send_location(CHAT)
    sent = emulator.wait_for(2, CHAT)
    assert all("only read text" in c.params["text"] for c in sent)
    original = emulator.send_text(CHAT, "symptoms?")
    emulator.wait_for(3, CHAT)
    emulator.edit_text(original, "causes?")
    emulator.send_text(CHAT, "/about")
    sent = emulator.wait_for(4, CHAT)
    time.sleep(0.5)
    sent = emulator.sent(chat_id=CHAT)
    assert len(sent) == 4, [c.params["text"][:40] for c in sent]   # the edit got no reply
    assert "mayoclinic.org" in sent[3].params["text"]


def test_in_groups_only_commands_mentions_and_replies_are_answered(running_bot, emulator):
    group = -100777
    emulator.send_text(group, "what causes NETs?", user_id=11, chat_type="supergroup")
    emulator.send_sticker(group, user_id=11)
    emulator.send_text(group, "@net_faq_test_bot what causes NETs?", user_id=11, chat_type="supergroup")
    sent = emulator.wait_for(1, group)
    assert len(sent) == 1 and "exact cause" in sent[0].params["text"]
    emulator.send_text(group, "and is it genetic?", user_id=12, chat_type="supergroup", reply_to=sent[0].result)
    emulator.send_text(group, "/topics@net_faq_test_bot", user_id=12, chat_type="supergroup")
    emulator.send_text(group, "/weather@some_other_bot", user_id=12, chat_type="supergroup")
    sent = emulator.wait_for(3, group)
    time.sleep(0.5)
    sent = emulator.sent(chat_id=group)
    assert len(sent) == 3
    assert "multiple endocrine neoplasia" in sent[1].params["text"]
    assert len(buttons(sent[2])) == 18


def test_long_reply_is_split_under_the_limit(emulator, tmp_path):
    # A curator's very long answer must still reach the patient, in several messages.
    import yaml

    from faq.loader import DATA_DIR

    raw = yaml.safe_load((DATA_DIR / "faq.yaml").read_text(encoding="utf-8"))
    raw["source"]["file"] = str(DATA_DIR / "source.txt")
    causes = next(e for e in raw["entries"] if e["id"] == "causes")
    causes["answer"] = ("The exact cause of neuroendocrine tumors isn't known. " * 160).strip()
    faq = tmp_path / "faq.yaml"
    faq.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    bot = start_bot(emulator, tmp_path, extra_config=f"data:\n  faq: {faq}\n")
    try:
        emulator.send_text(CHAT, "what causes NETs?")
        sent = emulator.wait_for(3, CHAT)
        assert len(sent) >= 3
        assert all(len(c.params["text"]) <= 4096 for c in sent)
        assert not buttons(sent[0]) and buttons(sent[-1])
        assert sum(c.params["text"].count("isn't known") for c in sent) == 160
    finally:
        bot.stop()


def test_webhook_mode(emulator, tmp_path):
    import os
    import socket
    import subprocess
    import sys

    import httpx

    from tests.conftest import ROOT

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    extra = (f"  mode: webhook\n  webhook:\n    url: https://bot.example.invalid/hook\n    listen: 127.0.0.1\n"
             f"    port: {port}\n    secret_token: s3cret-Token\n    path: hook\n")
    config = tmp_path / "config.yaml"
    config.write_text(f"telegram:\n  base_url: {emulator.base_url}\n{extra}"
                      f"storage:\n  path: {tmp_path / 'bot.sqlite3'}\n", encoding="utf-8")
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN}
    process = subprocess.Popen([sys.executable, "-m", "bot", "--config", str(config), "telegram"], cwd=ROOT,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while emulator.webhook_url is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert emulator.webhook_url == "https://bot.example.invalid/hook"
        update = {"update_id": 1, "message": {"message_id": 1, "date": int(time.time()),
                                              "chat": {"id": CHAT, "type": "private"},
                                              "from": {"id": CHAT, "is_bot": False, "first_name": "P"},
                                              "text": "what causes NETs?"}}
        url = f"http://127.0.0.1:{port}/hook"
        for _ in range(100):  # the web server may need a moment after setWebhook
            try:
                refused = httpx.post(url, json=update, timeout=5)
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        assert refused.status_code == 403  # no secret token: not from Telegram
        accepted = httpx.post(url, json=update, timeout=5,
                              headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token"})
        assert accepted.status_code == 200
        sent = emulator.wait_for(1, CHAT)
        assert len(sent) == 1 and "exact cause" in sent[0].params["text"]
    finally:
        process.terminate()
        process.wait(15)


def test_missing_token_is_one_clear_message(tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    result = subprocess.run([sys.executable, "-m", "bot", "--config", os.devnull, "telegram"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "Traceback" not in result.stderr


def test_rejected_token_is_one_clear_message(emulator, tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    config = tmp_path / "config.yaml"
    config.write_text(f"telegram:\n  base_url: {emulator.base_url}\nstorage:\n  path: {tmp_path / 'db'}\n",
                      encoding="utf-8")
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "999:wrong-token"}
    result = subprocess.run([sys.executable, "-m", "bot", "--config", str(config), "telegram"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "Telegram rejected the bot token" in result.stderr
    assert "Traceback" not in result.stderr
    assert "wrong-token" not in result.stderr and TOKEN not in result.stderr


def test_flooding_user_gets_one_notice_and_others_are_unaffected(emulator, tmp_path):
    flood = "  flood:\n    messages: 3\n    per_seconds: 60\n    mute_seconds: 60\n"
    bot = start_bot(emulator, tmp_path, telegram_config=flood)
    try:
        for _ in range(7):
            emulator.send_text(CHAT, "symptoms?")
        emulator.send_text(CHAT + 1, "causes?")
        sent = emulator.wait_for(4, CHAT)
        assert emulator.wait_for(1, CHAT + 1)
        time.sleep(1)
        sent = emulator.sent(chat_id=CHAT)
        assert len(sent) == 4
        assert sum("faster than I can read" in c.params["text"] for c in sent) == 1
        assert "exact cause" in emulator.sent(chat_id=CHAT + 1)[0].params["text"]
    finally:
        bot.stop()


def test_typing_the_number_of_a_button_picks_it(running_bot, emulator):
    emulator.send_text(CHAT, "types and symptoms")
    clarify = emulator.wait_for(1, CHAT)[0]
    assert buttons(clarify)[1] == "2. Signs and symptoms"
    emulator.send_text(CHAT, "2")
    assert "pain from a growing tumor" in emulator.wait_for(2, CHAT)[1].params["text"]


def test_follow_up_typed_after_a_button_tap(running_bot, emulator):
    # A tap answers the tapped topic; what is typed next is read with it.
    emulator.send_text(CHAT, "types and symptoms")
    clarify = emulator.wait_for(1, CHAT)[0]
    emulator.tap(clarify.result, "2. Signs and symptoms")
    sent = emulator.wait_for(2, CHAT)
    assert "pain from a growing tumor" in sent[1].params["text"]
    emulator.send_text(CHAT, "what about the hormone ones")
    sent = emulator.wait_for(3, CHAT)
    assert "skin flushing" in sent[2].params["text"]          # hormone symptoms, not functional vs nonfunctional
    emulator.send_text(CHAT, "tell me more")
    sent = emulator.wait_for(4, CHAT)
    assert "That is everything the page says on" in sent[3].params["text"]
    assert "mayoclinic.org" in sent[3].params["text"]
    assert buttons(sent[3])[0] == "1. Functional and nonfunctional tumors (hormones)"
    # A question that stands alone is not bent by the topic before it.
    emulator.send_text(CHAT, "is it hereditary?")
    sent = emulator.wait_for(5, CHAT)
    assert "multiple endocrine neoplasia" in sent[4].params["text"]
    emulator.send_text(CHAT, "¿Qué es un tumor neuroendocrino?")
    sent = emulator.wait_for(6, CHAT)
    assert "only read and answer messages in English" in sent[5].params["text"]
    assert "solo puedo leer" in sent[5].params["text"]
