"""Real patient messages through the core: long stories, lay words, context around a question.

The messages of issue 9 each failed once; they pass through general mechanisms (concepts,
decline targets scored like entries, the question's focus), never by being stored.
"""

from __future__ import annotations


import pytest

from bot.choices import CLARIFY, Offer
from bot.config import BotConfig
from bot.core import Conversation, _ChatState
from bot.replies import Kind
from faq.concepts import load_concepts
from faq.language import load_language
from faq.matcher import Matcher, Outcome
from faq.yamlfile import DataFileError
from tests.conftest import ROOT



@pytest.fixture(scope="module")
def conversation():
    return Conversation.from_config(BotConfig())


ISSUE_9 = [
    ("the consultant wrote neuroendocrine in the letter after my biopsy, what does that mean for me", "what-are-nets"),
    ("im on the waiting list for a colonoscopy, can NETs grow in the bowel", "where-in-body"),
    ("do NETs stay put or do they go elsewhere", "growth-and-spread"),
    ("always exhausted and sleeping all afternoon, could a net do this", "symptoms"),
    ("my jeans are falling off me and I'm not dieting, is that linked to a net", "symptoms"),
    ("does a NET make you need the loo all the time", "functional-symptoms"),
    ("can you get a NET in your guts", "where-in-body"),
    ("my sister's GP thinks her hot flushes and upset stomach might be a hormone tumour, what symptoms do those cause",
     "functional-symptoms"),
    ("what does the treatment of a neuroendocrine tumour depend on", "diagnosis-and-treatment"),
    ("Thanks! And what causes them?", "causes"),
    ("hello, can you tell me if NETs are hereditary", "risk-factors"),
]


@pytest.mark.parametrize("text, entry", ISSUE_9)
def test_issue_messages_are_answered_by_the_rules(rules, text, entry):
    """Issue 9's messages were fixed through the rules, which stay as the model's features."""
    result = rules.match(text)
    assert result.outcome is Outcome.ANSWER and result.entry_id == entry, result


def test_the_bot_answers_most_of_issue_9s_messages(conversation):
    """Through the core, with the model deciding: 9 of the 11 when the model was trained on the
    corpus of issue 16 (declined: "what does that mean for me" after a story about a letter, and
    "my jeans are falling off me ... is that linked to a net")."""
    right = [text for text, entry in ISSUE_9
             if (r := conversation.handle("issue", text)).kind is Kind.ANSWER and r.entry_id == entry]
    assert len(right) >= 9, right


@pytest.mark.parametrize("text, topic, words", [
    ("which scan finds a NET?", "tests", "tests and scans"),
    ("my husband has a NET, what chemo will he get", "treatment-methods", "treatments or medicines"),
])
def test_a_topic_the_page_does_not_cover_is_declined_by_name(conversation, text, topic, words):
    reply = conversation.handle("decline", text)
    assert reply.kind is Kind.FALLBACK and reply.decline == topic and words in reply.text


def test_who_is_ill_never_changes_the_topic(conversation):
    for who in ("", "my mum ", "my husband ", "my little boy "):
        assert conversation.handle("who", f"{who}has a NET, is it hereditary?").entry_id == "risk-factors", who


def test_a_middling_clear_leader_is_answered_with_a_hedge(conversation):
    # Round 15's model is sure of "always exhausted and sleeping all afternoon, could a net do this" (0.98), round 17's
    # of "always shattered, is that the tumour" (0.98); it reads this one at 0.72.
    reply = conversation.handle("hedge", "so tired lately, is it the tumour")
    assert reply.kind is Kind.ANSWER and reply.text.startswith("I think you're asking about: Signs and symptoms.")


def test_two_questions_are_offered_in_the_order_asked_and_both_answers_them(conversation):
    reply = conversation.handle("two", "what are the symptoms? and is it hereditary?")
    assert reply.kind is Kind.CLARIFY and [s.entry_id for s in reply.suggestions] == ["symptoms", "risk-factors"]
    both = conversation.handle("two", "both")
    assert (both.entry_id, both.also_ids) == ("symptoms", ("risk-factors",))


_OFFER = Offer(CLARIFY, ("functional-symptoms",), ("Symptoms of hormone-producing (functional) tumors",))


@pytest.mark.parametrize("said", ["yes", "Yeah!", "yep", "that one", "1"])
def test_a_one_option_offer_understands_yes(conversation, said):
    conversation._chats["one"] = _ChatState(_OFFER)
    reply = conversation.handle("one", said)
    assert reply.kind is Kind.ANSWER and reply.entry_id == "functional-symptoms"


def test_a_one_option_offer_takes_no_politely(conversation):
    conversation._chats["no"] = _ChatState(_OFFER)
    reply = conversation.handle("no", "no")
    assert reply.kind is Kind.SMALLTALK and "other words" in reply.text
    assert conversation.handle("no", "yes").kind is not Kind.ANSWER  # the offer is gone


def test_did_you_mean_offers_two_or_more_never_one(kb):
    matcher = Matcher(kb)
    for text in ("types and symptoms", "cells and hormones", "spread or symptoms", "pancreas"):
        result = matcher.match(text)
        assert result.outcome is not Outcome.CLARIFY or len(result.candidates) >= 2, (text, result)


def test_context_text_adds_weaker_evidence_to_the_rules(rules):
    assert rules.match("and what about my kids?", context_text="is a NET hereditary").entry_id == "risk-factors"


# -- the concept data -------------------------------------------------------------
def _concepts_problems(tmp_path, text: str) -> str:
    path = tmp_path / "concepts.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_concepts(load_language(), path)
    return str(info.value)


def test_faq_check_rejects_bad_concept_data(tmp_path):
    text = _concepts_problems(tmp_path, "flushing:\n  - hot flush\n  - hot flushes\n  - blushing\n  - blushing\n"
                                        "tiredness:\n  - knackered\n  - hot flush\nBad Id:\n  - x\n")
    assert "concept 'flushing' form 'hot flushes': the stemmer already joins it with 'hot flush'" in text
    assert "concept 'flushing' form 'blushing': listed twice" in text
    assert "concept 'tiredness' form 'hot flush': already a form of concept 'flushing'" in text
    assert "concept 'Bad Id': use lowercase letters" in text


def test_unknown_concept_in_about_is_named(kb, tmp_path):
    from dataclasses import replace

    broken = replace(kb, entries=(replace(kb.entries[0], about=("no-such-concept",)), *kb.entries[1:]))
    with pytest.raises(DataFileError) as info:
        Matcher(broken)
    assert "entry 'what-are-nets' field 'about': unknown concept 'no-such-concept'" in str(info.value)


def test_declines_file_problems_are_named(tmp_path):
    from faq.declines import load_declines

    path = tmp_path / "declines.yaml"
    path.write_text("declines:\n  - {id: tests, topic: tests and scans, about: [test]}\n"
                    "  - {id: tests, topic: '', about: []}\n  - {id: x, topic: y, about: [a], margin: 500, bogus: 1}\n",
                    encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_declines(path)
    text = str(info.value)
    assert "decline 'tests' field 'id': duplicate id" in text
    assert "decline 'tests' field 'topic': missing or empty" in text
    assert "decline 'x' field 'bogus': unknown field" in text
    assert "decline 'x' field 'margin': must be a number from 0 to 100" in text


def test_a_concept_nothing_uses_is_named(kb, tmp_path):
    src = (ROOT / "faq" / "data" / "concepts.yaml").read_text(encoding="utf-8")
    path = tmp_path / "concepts.yaml"
    path.write_text(src + "\nunused-thing:\n  - zorblax\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        Matcher(kb, concepts=path)
    assert "concept 'unused-thing': no entry or decline is about it" in str(info.value)


def test_concept_attributes_are_checked_naming_concept_and_field(tmp_path):
    text = _concepts_problems(tmp_path, "pain:\n  complaint: yes please\n  forms: [pain]\n"
                                        "lung:\n  everyday: organ\n  forms: [lung]\n"
                                        "treatment-method:\n  read_from: treatmnt\n  forms: [surgery]\n"
                                        "drug:\n  read_from: pain\n  not_with: [decide]\n  forms: [drug]\n"
                                        "rash:\n  colour: red\n  forms: [rash]\n")
    assert "concepts.yaml: concept 'pain' field 'complaint': write 'complaint: true' or leave it out" in text
    assert "concept 'lung' field 'everyday': must be one of body-part, substance (got 'organ')" in text
    assert "concept 'treatment-method' field 'read_from': must be the id of another concept" in text
    assert "concept 'drug' field 'not_with': unknown concept 'decide'" in text
    assert "concept 'rash' field 'colour': unknown field" in text


def test_matching_rules_are_read_from_the_concept_data():
    from faq.concepts import ReadFrom
    rules = load_concepts(load_language()).rules
    assert {"pain", "lump", "rash", "flushing", "diarrhoea"} == rules.complaints
    assert "hormone" not in rules.body_parts and {"pancreas", "lung"} <= rules.body_parts
    assert rules.asks_where == {"location", "origin"} and rules.frames_question == {"location", "definition"}
    assert rules.about_the_bot == {"source"} and rules.who_is_ill == {"children"}
    assert rules.read_from == (ReadFrom("treatment-method", "treatment", frozenset({"decide", "diagnosis", "mayo"})),)


def test_a_spelling_also_in_chat_spellings_is_named(tmp_path):
    from faq.language import DEFAULT_LANGUAGE_PATH

    path = tmp_path / "language.yaml"
    path.write_text(DEFAULT_LANGUAGE_PATH.read_text(encoding="utf-8").replace("spellings:\n  gps: gp\n",
                                                                               "spellings:\n  u: you\n  gps: gp\n"),
                    encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_language(path)
    assert f"{path}: field 'spellings' entry 'u': already in 'chat_spellings'; delete one" in info.value.problems
