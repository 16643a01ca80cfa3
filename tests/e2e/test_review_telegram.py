"""The review record and answer feedback through the real Telegram adapter and the emulator."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

from bot import texts
from tests.e2e.harness import ROOT, start_bot, wait_until

USER = 987654321
PERSONAL = ["Zelda", "zelda.k@example.com", "+1 415 555 0134", "Hartmann", str(USER), f"Patient{USER}"]
REVIEW_ON = "review:\n  enabled: true\nstorage:\n  path: state/bot.sqlite3\n"


def buttons(call) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]


def notices(emulator) -> list[str]:
    return [c.params["text"] for c in emulator.sent("answerCallbackQuery") if c.params.get("text")]



def test_feedback_and_unsure_messages_are_recorded_without_ids(emulator, tmp_path):
    bot = start_bot(emulator, tmp_path, extra_config=REVIEW_ON)
    emulator.send_text(USER, "my name is Zelda, can I get a tattoo with a NET? zelda.k@example.com")
    emulator.send_text(USER, "types and symptoms")
    clarify = emulator.wait_for(2, USER)[-1]
    assert "You asked about two things" in clarify.params["text"]
    assert texts.FEEDBACK_HELPFUL_LABEL not in buttons(clarify)       # only answers are rated
    emulator.tap(clarify.result, "2. Signs and symptoms")
    answer = emulator.wait_for(3, USER)[-1]
    assert "pain from a growing tumor" in answer.params["text"]
    assert buttons(answer)[-2:] == [texts.FEEDBACK_HELPFUL_LABEL, texts.FEEDBACK_UNHELPFUL_LABEL]
    emulator.tap(answer.result, texts.FEEDBACK_HELPFUL_LABEL)
    wait_until(lambda: len(notices(emulator)) == 1)
    emulator.tap(answer.result, texts.FEEDBACK_HELPFUL_LABEL)          # a second tap does not count twice
    wait_until(lambda: len(notices(emulator)) == 2)
    assert notices(emulator) == [texts.FEEDBACK_THANKS_HELPFUL, texts.FEEDBACK_ALREADY]
    emulator.send_text(USER, "Dr Hartmann asked: is it contagious? text me on +1 415 555 0134")
    emulator.send_text(USER, "NET lung")   # answered, hedged: recorded
    hereditary = emulator.wait_for(5, USER)[-1]
    emulator.tap(hereditary.result, texts.FEEDBACK_UNHELPFUL_LABEL)
    wait_until(lambda: len(notices(emulator)) == 3)
    assert notices(emulator)[-1] == texts.FEEDBACK_THANKS_UNHELPFUL
    assert len(emulator.sent("sendMessage", USER)) == 5          # votes add nothing to the chat
    assert bot.stop() == 0

    db = tmp_path / "state" / "bot.sqlite3"
    data = b"".join(p.read_bytes() for p in db.parent.glob("bot.sqlite3*"))
    assert b"tattoo" in data                                     # recorded, so the checks can fail
    for secret in PERSONAL:
        assert secret.encode() not in data, secret

    review = subprocess.run([sys.executable, "-m", "faq", "review", "--config", str(tmp_path / "config.yaml")],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert review.returncode == 0, review.stderr
    out = review.stdout
    assert "my name is [name], can I get a tattoo with a" in out   # the cue stays, the name goes
    assert "symptoms x1" in out                                  # the tapped suggestion
    assert "[name] asked: is it contagious? text me on" in out   # the table cuts long ones
    rows = {line.split()[0]: line.split()[1:] for line in
            out.split("Answers and feedback by entry")[1].split("Questions by week")[0].splitlines()[3:] if line.strip()}
    assert rows == {"symptoms": ["1", "1", "0"], "where-in-body": ["1", "0", "1"]}

    # Rows past the retention period are gone once the bot has started again.
    old = (datetime.now(timezone.utc).date() - timedelta(days=45)).isoformat()
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO review_messages (day, text, outcome, score, candidates) "
                 "VALUES (?, 'old question', 'fallback', 0, '[]')", (old,))
    conn.commit()
    conn.close()
    bot = start_bot(emulator, tmp_path, extra_config=REVIEW_ON)
    emulator.send_text(USER, "hello")
    assert len(emulator.wait_for(6, USER)) == 6
    assert bot.stop() == 0
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM review_messages WHERE day = ?", (old,)).fetchone() == (0,)
    assert conn.execute("SELECT COUNT(*) FROM review_messages").fetchone() == (4,)   # 3 unsure + the hedged answer
    conn.close()


def test_off_no_feedback_row_and_no_review_tables(emulator, tmp_path):
    bot = start_bot(emulator, tmp_path, extra_config="storage:\n  path: state/bot.sqlite3\n")
    emulator.send_text(USER, "is it herditary?")
    emulator.send_text(USER, "types and symptoms")
    sent = emulator.wait_for(2, USER)
    assert "multiple endocrine neoplasia" in sent[0].params["text"]
    assert all(texts.FEEDBACK_HELPFUL_LABEL not in buttons(c) for c in sent)
    assert bot.stop() == 0
    # The database holds the Telegram inbox, whose done rows keep no text; review adds nothing.
    conn = sqlite3.connect(tmp_path / "state" / "bot.sqlite3")
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    parts = {part for (part,) in conn.execute("SELECT part FROM schema_versions")}
    conn.close()
    assert "inbox" in parts and "review" not in parts
    assert not any(name.startswith("review") for name in tables)
    for f in (tmp_path / "state").glob("bot.sqlite3*"):
        assert b"herditary" not in f.read_bytes()


def test_feedback_row_can_be_switched_off(emulator, tmp_path):
    bot = start_bot(emulator, tmp_path, extra_config=REVIEW_ON.replace("enabled: true\n",
                                                                       "enabled: true\n  feedback_buttons: false\n"))
    emulator.send_text(USER, "is it herditary?")
    answer = emulator.wait_for(1, USER)[-1]
    assert "multiple endocrine neoplasia" in answer.params["text"] and buttons(answer)
    assert texts.FEEDBACK_HELPFUL_LABEL not in buttons(answer)
    assert bot.stop() == 0
