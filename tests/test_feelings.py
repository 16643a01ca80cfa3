"""Feelings met with a warm line first, then the answer or what the bot can help with, through
the console process; the lexicon's checks on load."""

from __future__ import annotations

import json

import pytest

from bot.feelings import load_feelings
from faq.yamlfile import DataFileError
from tests.test_console import chat

# One message per feeling the corpus labels, said alone (no question).
ALONE = {
    "fear": "I'm so scared, I just got the diagnosis today",
    "shock": "I'm still in shock, the consultant rang this morning",
    "grief": "we lost my dad to this in the spring and I'm heartbroken",
    "anger": "I'm so angry, it took two years to get anyone to listen",
    "loneliness": "I feel so alone with this",
    "relief": "what a relief, the scan was clear",
    "gratitude": "thank you so much, you've been so helpful",
}




@pytest.fixture(scope="module")
def alone():
    return dict(zip(ALONE, chat(*ALONE.values())))


@pytest.fixture(scope="module")
def lexicon():
    return load_feelings()


@pytest.mark.parametrize("feeling", list(ALONE))
def test_a_feeling_alone_gets_a_warm_line_then_what_the_bot_can_help_with(alone, lexicon, feeling):
    reply = alone[feeling]
    if reply["kind"] == "safety":   # safety first; the retrained safety model must not do this (issue 16)
        pytest.xfail(f"the safety model in training raises a full alarm on {ALONE[feeling]!r}")
    assert reply["feeling"] == feeling, reply
    if reply["kind"] == "feeling":   # nothing asked: the line, then what the bot can help with
        assert reply["id"] is None and reply["suggestions"]
    else:                            # the matcher found a question in it after all: the line, then the answer
        assert reply["kind"] == "answer", reply
    assert any(reply["reply"].split("\n\n")[0 if not reply["tier"] else 1] == line
               for line in lexicon.feelings[feeling].replies), reply["reply"]
    assert "bot" not in reply["reply"].split("\n\n")[1 if reply["tier"] else 0].lower()


@pytest.fixture(scope="module")
def rules_only():
    from bot.config import BotConfig
    from bot.core import Conversation
    from bot.safety_net import SafetyNet

    full = Conversation.from_config(BotConfig(), record=False)
    return Conversation(full.kb, full.matcher, full.safety, full.smalltalk, full.config,
                        languages=full.languages, cues=full.context.cues, safety_net=SafetyNet(full.safety, None, None))


@pytest.mark.parametrize("feeling", list(ALONE))
def test_each_feeling_through_the_core_with_the_rule_safety_net(lexicon, rules_only, feeling):
    """The same messages through the core, with the safety net's rules alone, so a feeling the
    safety model in training still alarms on (grief, issue 16) is checked here too."""
    from bot.replies import Kind

    reply = rules_only.handle(feeling, ALONE[feeling])
    assert reply.feeling == feeling and reply.kind in (Kind.FEELING, Kind.ANSWER)
    assert reply.text.split("\n\n")[0] in lexicon.feelings[feeling].replies


def test_the_issue_row_scared_after_the_diagnosis(alone):
    reply = alone["fear"]
    assert reply["kind"] == "feeling" and reply["feeling"] == "fear"
    text = reply["reply"]
    assert "diagnosis and treatment depend on" not in text.lower()
    assert "neuroendocrine tumors (NETs) are" in text and "support group" in text and "care team" in text
    assert [s["id"] for s in reply["suggestions"]] == ["what-are-nets", "support-group", "when-to-see-doctor"]


@pytest.mark.parametrize("text, feeling, entry", [
    ("I'm terrified. is it hereditary?", "fear", "risk-factors"),
    ("I'm so angry, what causes these tumours?", "anger", "causes"),
    ("Thank you so much, that means a lot. Where can I find support?", "gratitude", "support-group"),
])
def test_a_feeling_around_a_question_gets_the_line_then_the_answer(lexicon, text, feeling, entry):
    reply, = chat(text)
    assert reply["kind"] == "answer" and reply["id"] == entry and reply["feeling"] == feeling, reply
    first = reply["reply"].split("\n\n")[1 if reply["tier"] else 0]
    assert first in lexicon.feelings[feeling].replies
    assert "Source: Mayo Clinic" in reply["reply"]


def test_lines_come_in_turn_so_a_chat_never_hears_the_same_one_twice_running(lexicon):
    out = chat(*["I'm so scared"] * 4)
    lines = [o["reply"].split("\n\n")[1 if o["tier"] else 0] for o in out]
    assert all(a != b for a, b in zip(lines, lines[1:]))
    assert set(lines) <= set(lexicon.feelings["fear"].replies) and len(set(lines)) >= 3


def test_a_negated_feeling_is_no_feeling():
    reply, = chat("I'm not scared, just curious: what causes NETs?")
    assert reply["feeling"] is None and reply["id"] == "causes"


def test_safety_comes_first_a_crisis_is_never_a_mere_feeling():
    crisis, emergency = chat("I'm so scared and alone, I want to end my life", "I'm terrified, my dad collapsed and isn't breathing")
    assert crisis["kind"] == "safety" and crisis["tier"] == "crisis" and crisis["feeling"] is None
    assert emergency["kind"] == "safety" and emergency["feeling"] is None


def test_every_feeling_has_several_replies_and_none_says_what_the_guidance_rules_out(lexicon):
    for name, feeling in lexicon.feelings.items():
        assert len(feeling.replies) >= 3, name
        for line in feeling.replies:
            assert "bot" not in line.lower() and "everything will be" not in line.lower()


def test_a_broken_feelings_file_is_named(tmp_path):
    path = tmp_path / "feelings.yaml"
    path.write_text(
        "avoid: [just a bot, don't worry]\nthen: ''\nsuggest: [no-such-entry]\nasking_words: [what]\n"
        "negations: [never]\ngap_words: [so]\n"
        "feelings:\n  fear:\n    phrases: [scared]\n    replies: [\"Don't worry, I'm just a bot.\", \"Hello\"]\n"
        "  boredom:\n    phrases: [bored]\n    replies: [a, b]\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_feelings(path, entry_ids={"what-are-nets"})
    problems = "\n".join(err.value.problems)
    for fragment in (f"{path}: field 'then': must be non-empty text",
                     "field 'suggest': unknown FAQ entry id 'no-such-entry'",
                     "feeling 'shock': missing", "feeling 'boredom': not a corpus feeling label",
                     "feeling 'fear' field 'replies' item 1: says 'just a bot'",
                     "feeling 'fear' field 'replies' item 1: says 'dont worry'"):
        assert fragment in problems, problems


def _model_with_feeling_head(bias: dict[str, float], threshold: float):
    """The real model file plus a "feeling" head (the interface issue 16's training will fill):
    no feature weights, only a bias towards some classes."""
    import numpy as np

    from faq.classifier import DEFAULT_MODEL_PATH, TextModel
    from faq.corpus import FEELINGS

    data = json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))
    size = TextModel(data).size
    classes = [*FEELINGS, "none"]
    data["heads"]["feeling"] = {"classes": classes, "coef": np.zeros((size, len(classes))).tolist(),
                                "intercept": [bias.get(c, 0.0) for c in classes],
                                "thresholds": {"feeling": threshold}}
    return TextModel(data)


def test_the_models_feeling_head_decides_where_the_model_has_one(lexicon):
    from bot.feelings import FeelingReader

    sure = FeelingReader(lexicon, _model_with_feeling_head({"grief": 6.0}, 0.5))
    assert sure.by == "model" and sure.read("what are the symptoms") == "grief"   # the head, not the phrases
    unsure = FeelingReader(lexicon, _model_with_feeling_head({"grief": 1.0}, 0.5))
    assert unsure.read("I'm so scared") is None                                    # below its threshold
    none = FeelingReader(lexicon, _model_with_feeling_head({"none": 6.0}, 0.5))
    assert none.read("I'm so scared") is None
    assert FeelingReader(lexicon, None).by == "phrases" and FeelingReader(lexicon, None).read("I'm so scared") == "fear"


def test_a_message_of_sad_emoji_alone_is_met_warmly_and_a_smile_is_still_not_caught():
    """Round 17's care review: "😢", "😭" and "💔" got "Sorry, I didn't catch that" and the topics. A message of
    emoji alone says the feeling of the first one listed under a feeling (feelings.yaml `emoji`); a plain smile
    says none."""
    crying, broken, heart, smile = chat("😢", "💔💔", "🙏❤️", "🙂🙂")
    assert crying["kind"] == "feeling" and crying["feeling"] == "grief", crying
    assert broken["kind"] == "feeling" and broken["feeling"] == "grief", broken
    assert heart["feeling"] == "gratitude", heart       # "❤️" is "❤" with its presentation mark
    assert smile["kind"] == "fallback" and not smile.get("feeling"), smile


def test_an_emoji_with_words_or_listed_twice_is_named(tmp_path):
    from bot.feelings import DEFAULT_FEELINGS_PATH

    text = DEFAULT_FEELINGS_PATH.read_text(encoding="utf-8")
    path = tmp_path / "feelings.yaml"
    path.write_text(text.replace('emoji: ["😡",', 'emoji: ["😢", "angry face",', 1), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_feelings(path)
    problems = "\n".join(err.value.problems)
    assert f"{path}: feeling 'anger' field 'emoji' item 1: '😢' is already feeling 'grief'" in problems, problems
    assert "feeling 'anger' field 'emoji' item 2: must be emoji, with no words ('angry face')" in problems, problems


def test_the_feelings_script_counts_feelings_met_and_lines_on_calm_messages(tmp_path):
    """scripts/eval_feelings.py, the single-message counterpart of `bot eval-conversations`' feeling figures: a
    frightened message met with a feeling line counts as met, a plain question given none counts as calm and
    unbothered, and an urgent message is left out."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    batch = tmp_path / "feel.yaml"
    batch.write_text(
        "batch: feel\nsplit: train\nwriter: test\nmessages:\n"
        '  - {text: "I\'m so scared, I just got the diagnosis today", feeling: fear, voice: patient}\n'
        '  - {text: "what are the symptoms", answer: symptoms, voice: patient}\n'
        '  - {text: "my dad has collapsed and will not wake up", safety: emergency, voice: patient}\n',
        encoding="utf-8")
    result = subprocess.run([sys.executable, "scripts/eval_feelings.py", str(batch)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "messages with a feeling 1" in lines and "met with a feeling line 100.0 % (1)" in lines, lines
    assert "calm messages 1" in lines and "given a feeling line 0.0 % (0)" in lines, lines
