"""The review record through the real console process and the real `python -m faq review`."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pexpect
import yaml

from faq.evaluate import load_labeled_set
from tests.conftest import ROOT

PROMPT = "you> "
# What a patient might write about themselves: none of it may reach the database.
PERSONAL = ["Zelda", "Hartmann", "zelda.k@example.com", "0151 496 0783", "4815162342", "zelda_k", "Okafor"]
SESSION = [
    ("my name is Zelda, can I get a tattoo with a NET?", "fallback"),
    ("can i get a tatoo if i have a net tumor", "fallback"),
    ("tattoo with neuroendocrine tumor ok? mail zelda.k@example.com", "fallback"),
    ("types and symptoms", "clarify"),
    ("1", "answer"),
    ("/good", "command"),
    ("Dr Hartmann wants to know: is it contagious? call 0151 496 0783", "fallback"),
    ("NET lung", "answer"),
    ("/bad", "command"),
    ("/bad", "command"),
    ("my record number is 4815162342, is swimming ok with a net, ask @zelda_k", "fallback"),
    ("nurse Okafor says I have chest pain", "safety"),
]


def write_config(tmp_path, enabled: bool | None) -> tuple:
    db = tmp_path / "state" / "bot.sqlite3"
    text = "storage:\n  path: state/bot.sqlite3\n"
    if enabled is not None:
        text += f"review:\n  enabled: {'true' if enabled else 'false'}\n  retention_days: 30\n"
    config = tmp_path / "config.yaml"
    config.write_text(text, encoding="utf-8")
    return config, db


def console_json(config, lines: list[str]) -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "bot", "--config", str(config), "console", "--json"],
                            input="\n".join(lines) + "\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def faq_review(config, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "faq", "review", "--config", str(config), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)


def file_bytes(db) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def test_off_by_default_nothing_is_written(tmp_path):
    for enabled in (None, False):
        config, db = write_config(tmp_path, enabled)
        out = console_json(config, [text for text, _ in SESSION])
        assert [o["kind"] for o in out] == [kind for _, kind in SESSION]
        assert not db.parent.exists()
        assert "review record is off" in out[5]["reply"]   # /good says it records nothing
        review = faq_review(config)
        assert review.returncode == 0 and "Nothing recorded" in review.stdout
        assert not db.parent.exists()                        # reading created nothing either


def test_interactive_session_is_recorded_masked_reported_and_expires(tmp_path):
    config, db = write_config(tmp_path, True)
    env = {**os.environ, "TERM": "xterm", "NO_COLOR": "1"}
    child = pexpect.spawn(sys.executable, ["-m", "bot", "--config", str(config), "console"], cwd=str(ROOT),
                          env=env, encoding="utf-8", timeout=20, dimensions=(40, 200))
    child.expect_exact(PROMPT)
    for text, _ in SESSION:
        child.sendline(text)
        child.expect_exact(PROMPT)
    assert "emergency number" in child.before
    # While the bot runs, recent writes sit in the write-ahead log: check both files' bytes.
    live = file_bytes(db)
    assert b"tattoo" in live and b"[email]" in live        # so the checks below can fail
    child.sendline("/quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    for data in (live, file_bytes(db)):
        for secret in PERSONAL:
            assert secret.encode() not in data, secret
        assert b"console" not in data and b"chest pain" not in data

    review = faq_review(config)
    assert review.returncode == 0, review.stderr
    out = review.stdout
    print(out)
    groups = out.split("Answers and feedback by entry")[0]
    first = groups.splitlines()[5]     # the largest group: the three tattoo questions
    assert first.split()[:2] == ["1", "3"] and "tatoo" in first and "3 declined" in first
    assert "types and symptoms" in groups and "types x1" in groups   # what the user picked (offered first)
    assert "[number]" in groups and "[name]" in groups   # the record number, said as one
    entries = {line.split()[0]: line.split()[1:] for line in out.split("Answers and feedback by entry")[1]
               .split("Questions by week")[0].splitlines()[3:] if line.strip()}
    assert entries["types"] == ["1", "1", "0"] and entries["where-in-body"] == ["1", "0", "1"]
    week = out.split("Questions by week")[1].splitlines()[3].split()
    assert week[1:6] == ["7", "0", "1", "1", "5"]          # 7 questions: 1 hedged answer, 1 asked back, 5 declined

    proposal = tmp_path / "proposal.yaml"
    assert faq_review(config, "--export", str(proposal)).returncode == 0
    raw = yaml.safe_load(proposal.read_text(encoding="utf-8"))
    # A corpus batch: the hedged answer labeled with the entry the matcher chose, the pick with the
    # picked one, the declined groups `out`; held out until a curator decides.
    labels = {m["text"]: m["answer"] for m in raw["messages"]}
    assert raw["split"] == "heldout" and labels["types and symptoms"] == "types"
    assert labels["NET lung"] == "where-in-body"
    assert sum(label == "out" for label in labels.values()) == 5   # three groups, each of its messages
    from faq import load_knowledge_base
    labeled = load_labeled_set(proposal, {e.id for e in load_knowledge_base().entries})  # faq eval reads it
    assert len(labeled.in_scope) == 2

    # A row from 31 days ago (as if recorded then) is gone after a restart.
    old = (datetime.now(timezone.utc).date() - timedelta(days=31)).isoformat()
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO review_messages (day, text, outcome, score, candidates) "
                 "VALUES (?, 'an expired wombatword question', 'fallback', 0, '[]')", (old,))
    conn.execute("INSERT INTO review_entries (day, entry_id, answers) VALUES (?, 'causes', 5)", (old,))
    conn.commit()
    conn.close()
    assert b"wombatword" in file_bytes(db)
    console_json(config, ["hello"])
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM review_messages WHERE day = ?", (old,)).fetchone() == (0,)
    assert conn.execute("SELECT COUNT(*) FROM review_entries WHERE day = ?", (old,)).fetchone() == (0,)
    assert conn.execute("SELECT COUNT(*) FROM review_messages").fetchone() == (7,)   # today's stay (6 unsure, 1 hedged)
    conn.close()
    assert b"wombatword" not in file_bytes(db)              # overwritten, not just unlinked

    purge = faq_review(config, "--purge")
    assert purge.returncode == 0 and "Deleted everything" in purge.stdout
    assert b"tattoo" not in file_bytes(db)
    assert "0 in 0 groups" in faq_review(config).stdout


def test_review_command_errors_are_clear(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("review:\n  retention_days: many\n", encoding="utf-8")
    result = faq_review(config)
    assert result.returncode == 2 and "review.retention_days: must be a whole number" in result.stderr
    config.write_text("storage:\n  path: bad.sqlite3\n", encoding="utf-8")
    (tmp_path / "bad.sqlite3").write_bytes(b"not a database at all" * 50)
    result = faq_review(config)
    assert result.returncode == 2 and "not a database" in result.stderr and "Traceback" not in result.stderr
    result = faq_review(config, "--since", "zero")
    assert result.returncode == 2 and "whole number of days" in result.stderr


def test_reading_a_database_without_review_tables_adds_none(tmp_path):
    config, db = write_config(tmp_path, False)
    from bot.storage import ensure_schema, open_database
    conn = open_database(db)   # as the Telegram inbox leaves it: another part's tables only
    ensure_schema(conn, "inbox", 1, ["CREATE TABLE IF NOT EXISTS inbox_demo (x INTEGER)"])
    conn.close()
    result = faq_review(config)
    assert result.returncode == 0 and "Declined or unsure messages: 0 in 0 groups" in result.stdout
    tables = {n for (n,) in sqlite3.connect(db).execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not any(t.startswith("review") for t in tables)


def test_a_locked_database_stops_the_console_with_one_clear_message(tmp_path):
    config, db = write_config(tmp_path, True)
    console_json(config, ["hello"])                 # creates it
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")               # another process writing, for longer than the bot waits
    try:
        result = subprocess.run([sys.executable, "-m", "bot", "--config", str(config), "console", "--json"],
                                input="hello\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 2 and result.stdout == ""
    assert "locked by another process" in result.stderr and "Traceback" not in result.stderr
