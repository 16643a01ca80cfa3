"""Issue 18's table, each row through the console process (`python -m bot console --json`)."""

from __future__ import annotations

import json

import pytest

from tests.test_console import run_bot


def chat(*lines: str) -> list[dict]:
    result = run_bot("console", "--json", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines)
    return out


def body(reply: dict) -> str:
    """The reply without a safety check-in line above it (the safety model's business)."""
    return reply["reply"].split("\n\n", 1)[1] if reply["tier"] == "check-in" else reply["reply"]


@pytest.mark.parametrize("text", ["asdfgh", "🙂🙂", "???"])
def test_row_not_a_question_gets_i_didnt_catch_that_with_the_topics(text):
    reply, = chat(text)
    assert reply["kind"] == "fallback" and body(reply).startswith("Sorry, I didn't catch that.")
    assert "symptoms, causes" in reply["reply"] and reply["suggestions"] and "/topics" in reply["reply"]
    assert "care team" not in reply["reply"]


@pytest.mark.parametrize("text", ["🙂🙂", "???"])
def test_a_message_with_no_words_raises_no_check_in(text):
    reply, = chat(text)
    assert reply["tier"] is None


def test_row_where_can_i_find_support_reads_right():
    reply, = chat("where can I find support?")
    assert reply["kind"] == "answer" and reply["id"] == "support-group"
    assert not reply["reply"].startswith("Yes") and "support group on Mayo Clinic" in reply["reply"]


def test_no_answer_opens_with_yes_or_no(kb):
    """An answer must read right for any way of asking ("where can I find support?" is no yes/no question)."""
    for entry in kb.entries:
        first = entry.answer.split(".")[0].strip().lower()
        assert first not in ("yes", "no"), entry.id


def test_row_german_question_gets_the_german_line():
    reply, = chat("Ist ein neuroendokriner Tumor erblich?")
    assert reply["kind"] == "fallback" and reply["language"] == "de"
    assert "Entschuldigung, ich kann nur Englisch lesen" in reply["reply"]
