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


STORY = (
    "Hi, I hope it's ok to write here, I'm not sure where else to turn. My husband Dave is 58 and for about three "
    "years he kept having these odd flushing episodes, his face and neck would go bright red, and he had a lot of "
    "diarrhoea, in and out of the bathroom many, many times every day. The GP kept saying it was probably stress or "
    "something he ate, and we sort of believed it because he was working long hours. Then in the spring, he started "
    "losing weight without trying and he was exhausted all the time, falling asleep in his chair by eight. "
    "Eventually they did a scan and found something on his small intestine and a few spots on his liver, and after "
    "a biopsy the consultant told us it was a neuroendocrine tumour. We had never even heard of it. He has now "
    "started on injections and we see the specialist nurse next month. I've been reading everything I can find at "
    "night when I can't sleep. What keeps going round in my head is our two children, they're in their twenties "
    "now, and Dave's mother died young of what the family always called a 'stomach cancer' though nobody ever knew "
    "what kind it was. His sister has also had some thyroid problems. Is this something that runs in families?"
)


def test_the_story_is_the_issues_length():
    assert len(STORY) == 1189


def test_row_a_long_carer_story_is_read_whole_and_its_question_found():
    reply, = chat(STORY)
    if reply["kind"] == "safety":   # safety first; the safety model in training must not do this (issue 16)
        pytest.xfail("the safety model in training raises a full alarm on the carer's story")
    assert reply["kind"] == "answer" and reply["id"] == "risk-factors", reply


def test_the_long_story_through_the_core_with_the_rule_safety_net(rules_only):
    reply = rules_only.handle("story", STORY)
    assert reply.entry_id == "risk-factors" and not reply.hedged


def test_the_question_is_found_anywhere_up_to_telegrams_limit(rules_only):
    filler = "We have had such a long year with appointments and waiting rooms and phone calls. "
    for before, after in ((45, 0), (0, 45), (20, 25)):
        text = filler * before + "Is this something that runs in families? " + filler * after
        assert 3500 < len(text) <= 4096
        assert rules_only.handle(f"anywhere-{before}", text).entry_id == "risk-factors", (before, after)


@pytest.fixture(scope="module")
def rules_only():
    """The core with the safety net's rules alone: what the matcher makes of a message the safety
    model in training (issue 16) still alarms on."""
    from bot.config import BotConfig
    from bot.core import Conversation
    from bot.safety_net import SafetyNet

    full = Conversation.from_config(BotConfig(), record=False)
    return Conversation(full.kb, full.matcher, full.safety, full.smalltalk, full.config,
                        languages=full.languages, cues=full.context.cues, safety_net=SafetyNet(full.safety, None, None))


@pytest.mark.parametrize("question", ["what are the symptoms?", "what are the symptoms"])
@pytest.mark.parametrize("follow", ["what about the hormone ones", "what about the hormone ones?"])
def test_row_the_hormone_ones_after_the_symptoms_with_or_without_a_question_mark(question, follow):
    first, second = chat(question, follow)
    assert first["id"] == "symptoms" and second["id"] == "functional-symptoms", second
    assert second["context"] == "followup" and second["kind"] == "answer"


def test_row_what_are_the_symptoms_is_answered_without_a_hedge():
    reply, = chat("what are the symptoms")
    assert reply["kind"] == "answer" and reply["id"] == "symptoms"
    assert reply["hedged"] is False and "I think you're asking about" not in reply["reply"]


def test_the_hedged_field_and_the_hedge_line_always_agree():
    lines = ["what are the symptoms", "what about the hormone ones", "tell me more", "2", "types and symptoms",
             "the second one", "both", "hormones and types", "the hormone one", "I'm terrified. is it hereditary?",
             "is that linked to a net", "my jeans are falling off me", "could a net do this", "pancreas?",
             "what about the lungs?", "no i meant the causes", "wrong answer", "I was dying to ask: is it hereditary?",
             "symptoms wise what should i look for", "tummy trouble and flushing", "is it cancer or not",
             "I am scared what are the symptoms"]
    out = chat(*lines)
    for line, o in zip(lines, out):
        assert o["hedged"] == ("I think you're asking about" in o["reply"]), (line, o)
        assert not o["hedged"] or o["kind"] == "answer", (line, o)
