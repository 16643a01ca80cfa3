"""Conversation context through the core: follow-ups, corrections, "tell me more", and
messages that stand alone never bent by the turn before."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import BotConfig
from bot.context import load_cues
from bot.core import Conversation
from bot.tools.evaluate_conversations import evaluate_conversations, load_conversations, standalone_changes
from bot.replies import Kind
from faq.evaluate import load_labeled_set
from faq.yamlfile import DataFileError
from tests.conftest import QUESTION_BATCHES, ROOT
from tests.test_console import run_bot

DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="module")
def shared():
    return Conversation.from_config(BotConfig())


@pytest.fixture
def conversation(shared):
    """A fresh conversation (no memory) on the already loaded data."""
    return Conversation(shared.kb, shared.matcher, shared.safety, shared.smalltalk, shared.config,
                        languages=shared.languages, cues=shared.context.cues)


def talk(conversation, *messages, chat="c"):
    return [conversation.handle(chat, m) for m in messages]


def test_the_issue_transcript(conversation):
    first, follow, more, correction = talk(
        conversation, "what are the symptoms", "and what about the hormone producing ones", "tell me more",
        "no i meant the kind that makes hormones")
    assert first.entry_id == "symptoms" and first.context is None
    # Alone, "and what about the hormone producing ones" is what functional means; with the last question
    # carried over it is the hormone-producing tumors' symptoms. (The issue's own "what about the hormone
    # ones" is read alone as those symptoms by round 15's model: the issue table checks it.)
    assert conversation.matcher.match("and what about the hormone producing ones").entry_id != "functional-symptoms"
    assert follow.kind is Kind.ANSWER and follow.entry_id == "functional-symptoms" and follow.context == "followup"
    assert more.context == "more" and more.entry_id == "functional-symptoms"
    assert "That is everything the page says on" in more.text and "\"Symptoms\" section" in more.text
    assert "https://www.mayoclinic.org/" in more.source_note
    assert [s.entry_id for s in more.suggestions] == list(conversation.kb.get("functional-symptoms").related)
    # A correction never gives the rejected answer again.
    assert correction.context == "correction" and correction.entry_id != "functional-symptoms"


def test_a_number_after_tell_me_more_picks_a_related_topic(conversation):
    _, more, picked = talk(conversation, "is it hereditary?", "tell me more", "1")
    assert more.context == "more"
    assert picked.kind is Kind.ANSWER and picked.entry_id == more.suggestions[0].entry_id


@pytest.mark.parametrize("before", ["what are the symptoms", "what is a functional tumor?", "is it hereditary?",
                                    "can NETs spread?", "types and symptoms", "what's the survival rate?"])
@pytest.mark.parametrize("message", ["what causes NETs?", "is it hereditary?", "and is it genetic?", "symptoms?",
                                     "where do they grow", "what is the survival rate", "NET symptoms",
                                     "my tumour doesnt make hormones is that normal", "what time is it"])
def test_a_message_that_stands_alone_is_never_bent(conversation, before, message):
    alone = conversation.handle("alone", message)
    talk(conversation, before, chat="after")
    after = conversation.handle("after", message)
    # A message that is one of the options just offered ("symptoms?" after "Did you mean") reads as that choice.
    assert after.context in (None, "choice")
    same = (after.kind, after.entry_id) if after.context == "choice" else (after.kind, after.entry_id, after.text)
    assert same == ((alone.kind, alone.entry_id) if after.context == "choice" else (alone.kind, alone.entry_id,
                                                                                        alone.text))


def test_single_message_sets_give_the_same_replies_after_an_earlier_question(shared, kb):
    ids = {e.id for e in kb.entries}
    messages = []
    for path in QUESTION_BATCHES:
        labeled = load_labeled_set(path, ids)
        messages += [q for q, _ in labeled.in_scope] + list(labeled.out_of_scope)
    count, changed = standalone_changes(shared, messages)
    assert count > 800
    assert changed == []


def test_eval_standalone_counts_a_message_read_as_the_option_just_offered_as_unchanged(shared):
    """ "symptoms?" after "Did you mean: types, symptoms" picks that option: the same answer, unhedged."""
    assert standalone_changes(shared, ["symptoms?"], ("types and symptoms",)) == (1, [])
    # The same message after an unrelated question is compared in full, and still unchanged.
    assert standalone_changes(shared, ["symptoms?"], ("is it hereditary?",)) == (1, [])


def test_a_short_question_the_matcher_is_unsure_of_is_read_with_the_last_one(conversation):
    # Even first, a message leaning on a subject it does not name is read with the bot's: NETs.
    first = conversation.handle("x", "the lungs?")
    assert first.entry_id == "where-in-body" and first.hedged and first.context is None
    _, reply = talk(conversation, "can a NET be in the pancreas?", "what about the lungs?")
    assert reply.kind is Kind.ANSWER and reply.entry_id == "where-in-body"


@pytest.mark.parametrize("before, message, entry", [
    ("cn u get one in ur appendx", "wat abt the pancrease", "where-in-body"),
    ("is it genetic?", "n wat abt my sister", "risk-factors"),
])
def test_an_opener_in_chat_spelling_leans_on_the_last_question(conversation, before, message, entry):
    """ "wat abt ...": the opener is found through the language file's spellings, as the matcher reads."""
    _, reply = talk(conversation, before, message)
    assert reply.kind is Kind.ANSWER and reply.entry_id == entry and reply.context == "followup", reply


def test_the_subject_carries_into_a_message_that_leans_on_it(conversation):
    assert conversation.handle("x", "and is it cancer or not").context is None   # alone: no last turn
    _, reply = talk(conversation, "what is a neuroendocrine tumor exactly", "and is it cancer or not")
    # The matcher now reads this one alone too; either way the topic is right.
    assert reply.entry_id == "what-are-nets" and reply.context in (None, "followup")


def test_an_uncovered_topic_in_a_follow_up_is_declined(conversation):
    _, reply = talk(conversation, "what are the symptoms", "and what about chemo?")
    assert reply.kind is Kind.FALLBACK and reply.decline == "treatment-methods" and reply.context is None


def test_wrong_answer_asks_again_without_the_rejected_entry(conversation):
    _, reply = talk(conversation, "what are the symptoms", "wrong answer")
    assert reply.context == "correction"
    assert reply.kind in (Kind.CLARIFY, Kind.FALLBACK) and "Sorry I got that wrong" in reply.text
    assert "symptoms" not in [s.entry_id for s in reply.suggestions]


def test_a_correction_with_several_openers_is_read_for_what_follows(conversation):
    _, reply = talk(conversation, "tell me about NET hormones", "wrong answer, I asked about the symptoms from the hormones")
    assert reply.entry_id == "functional-symptoms" and reply.context == "correction"


def test_a_correction_opener_after_what_is_rejected(conversation):
    _, reply = talk(conversation, "can a NET cause diarrhea?", "not the diarrhea, i was asking about where they grow")
    assert reply.context == "correction" and reply.entry_id == "where-in-body"


def test_a_pronoun_with_no_subject_leans_on_the_last_question(conversation):
    assert conversation.handle("x", "sorry, how do they start, the DNA part").context is None
    _, reply = talk(conversation, "how do NETs spread", "sorry, how do they start, the DNA part")
    assert reply.entry_id == "how-nets-form" and reply.context in (None, "followup")


def test_rejections_accumulate_until_a_new_question(conversation):
    first = conversation.handle("c", "what is a functional tumor?")
    assert first.entry_id == "functional-vs-nonfunctional"
    second = conversation.handle("c", "no i meant the hormone symptoms")
    third = conversation.handle("c", "not that either")
    assert second.entry_id == "functional-symptoms"
    assert third.entry_id not in ("functional-vs-nonfunctional", "functional-symptoms")
    assert conversation.handle("c", "what causes NETs?").entry_id == "causes"


def test_more_needs_an_answer_before_it(conversation):
    reply = conversation.handle("new", "tell me more")
    assert reply.context is None and reply.kind is Kind.FALLBACK


@pytest.mark.parametrize("text", ["tell me more", "ok, anything else on that please", "more", "how so?", "why?"])
def test_ways_of_asking_for_more(conversation, text):
    _, reply = talk(conversation, "is it hereditary?", text)
    assert reply.context == "more" and reply.entry_id == "risk-factors"


def test_a_safety_reply_forgets_the_conversation(conversation):
    talk(conversation, "what are the symptoms", "I have chest pain")
    assert conversation.handle("c", "tell me more").context is None


def test_memory_is_bounded_least_recent_dropped(shared):
    config = replace(shared.config, conversation=replace(shared.config.conversation, max_chats=2))
    conversation = Conversation(shared.kb, shared.matcher, shared.safety, shared.smalltalk, config)
    for chat in range(3):
        conversation.handle(chat, "is it hereditary?")
    assert len(conversation._chats) == 2
    assert conversation.handle(2, "tell me more").context == "more"
    assert conversation.handle(0, "tell me more").context is None


TWO_TURNS = st.sampled_from([
    "what are the symptoms", "what about the hormone ones", "tell me more", "no i meant the causes", "wrong answer",
    "and in children?", "pancreas?", "is it hereditary", "and is it cancer or not", "2", "how so", "types and symptoms",
    "¿Qué es un tumor neuroendocrino?", "what about chemo", "hi", "/topics",
]) | st.text(max_size=60)


_CHATS = itertools.count()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=TWO_TURNS, second=TWO_TURNS)
def test_the_same_two_message_conversation_always_gives_the_same_replies(shared, first, second):
    runs = []
    for _ in range(2):
        fresh = Conversation(shared.kb, shared.matcher, shared.safety, shared.smalltalk, shared.config,
                             languages=shared.languages, cues=shared.context.cues)
        runs.append([fresh.handle("p", first), fresh.handle("p", second)])
    # And in a conversation that has served other chats before (a new chat each time: hypothesis
    # may try the same pair twice, and a chat that already holds suggestions rightly differs).
    chat = f"p-{next(_CHATS)}"
    runs.append([shared.handle(chat, first), shared.handle(chat, second)])
    assert runs[0] == runs[1] == runs[2]


def test_conversation_eval_floors(shared, kb):
    dialogues = load_conversations(DATA / "conversations.yaml", {e.id for e in kb.entries})
    assert len(dialogues) >= 120
    report = evaluate_conversations(shared, dialogues)
    followup, total = report.figure(True)
    # 84.1 % with the rules (issue 13), 83.0 % with the model (issue 16).
    assert total >= 80 and followup / total >= 0.82
    alone, total = report.figure(False)
    assert alone / total >= 0.86
    assert report.figure(True, "more") == (12, 12)


def test_console_json_reports_the_context_used():
    lines = ["what are the symptoms", "and what about the hormone producing ones", "tell me more", "wrong answer",
             "is it hereditary?", "¿Qué es un tumor neuroendocrino?"]
    result = run_bot("console", "--json", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["context"] for o in out] == [None, "followup", "more", "correction", None, None]
    assert out[1]["id"] == "functional-symptoms"
    assert out[2]["id"] == "functional-symptoms" and "mayoclinic.org" in out[2]["reply"]
    assert "functional-symptoms" not in [s["id"] for s in out[3]["suggestions"]]
    assert out[4]["id"] == "risk-factors"
    assert out[5]["language"] == "es" and out[5]["kind"] == "fallback" and "solo puedo leer" in out[5]["reply"]
    assert all(o["language"] is None for o in out[:5])


def test_eval_conversations_command_prints_figures_and_misses():
    result = run_bot("eval-conversations", "tests/data/conversations.yaml")
    assert result.returncode == 0, result.stderr
    assert "follow-up turns top-1" in result.stdout and "stand-alone turns" in result.stdout
    assert "misses (" in result.stdout


@pytest.mark.parametrize("content, fragment", [
    ("more: [more]\n", "field 'corrections': missing"),
    ("subject: NETs\nmore: [more]\nfillers: [ok]\npointers: [on]\ncorrections: [no i meant]\nfollowups: [and]\n"
     "pronouns: [it]\nshort_words: 3\npronoun_words: 5\n", "field 'pointers' item 1: YAML read a bare word as true"),
    ("subject: NETs\nmore: [more]\nfillers: [ok]\npointers: [about]\ncorrections: [no i meant]\nfollowups: [and]\n"
     "pronouns: [that one]\nshort_words: 30\npronoun_words: 5\n", "field 'short_words': must be a whole number"),
    ("subject: NETs\nmore: [more]\nfillers: [ok]\npointers: [about]\ncorrections: [no i meant]\nfollowups: [and]\n"
     "pronouns: [it]\nshort_words: 3\nitems: [which ones]\n", "field 'items' item 1: one word only"),
])
def test_broken_context_cues_are_named(tmp_path, content, fragment):
    path = tmp_path / "context.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_cues(path)
    assert any(str(path) in p and fragment in p for p in err.value.problems), err.value.problems


def test_an_unrelated_earlier_question_does_not_settle_a_message_naming_two_topics(conversation):
    # "types and symptoms" names both; "what causes NETs?" before it points to neither.
    _, reply = talk(conversation, "what causes NETs?", "types and symptoms")
    assert reply.kind is Kind.CLARIFY and reply.context is None
    assert {s.entry_id for s in reply.suggestions} == {"types", "symptoms"}


def test_a_follow_up_about_someone_else_gets_the_last_answer_again_and_nothing_else_does():
    from tests.test_console import chat

    asked, brother, other = chat("does it run in families?", "what about his brother?",
                                 "and what about the difference between typical and atypical?")
    assert brother["id"] == asked["id"] == "risk-factors" and brother["context"] == "followup", brother
    assert brother["reply"].startswith("The page doesn't speak of them separately"), brother
    assert other["kind"] != "answer" or other["id"] != asked["id"], other   # an unknown topic is not a repeat


def test_a_question_with_no_word_of_its_own_after_an_answer_asks_that_answer_again():
    """ "which ones?" after the risk factors had "I didn't catch that" and three unrelated topics (round 17's care
    review). With nothing of its own to read, it asks what the answer just given holds: that answer again, saying
    so. A remark with no words of its own, a question the page does not cover ("how do they stop it?", round 18's
    care review: it had the answer again), or the same question with no answer before it, is not read so."""
    from bot import texts

    lines = ["which ones?", "is it hereditary?", "which ones?", "what are the symptoms", "like what?",
             "thanks, this was useful", "what time is it?", "what causes NETs", "how do they stop it?"]
    result = run_bot("console", "--json", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0]["kind"] == "fallback" and out[0]["id"] is None          # nothing answered before it
    assert out[1]["id"] == "risk-factors"
    assert out[2]["kind"] == "answer" and out[2]["id"] == "risk-factors" and out[2]["reply"].startswith(texts.AGAIN)
    assert out[2]["context"] == "followup" and "MEN 1" in out[2]["reply"]
    assert out[4]["kind"] == "answer" and out[4]["id"] == "symptoms" and out[4]["context"] == "followup"
    assert out[5]["kind"] != "answer"
    assert out[6]["kind"] != "answer"      # another question with no word the matcher knows ("time" is a stop word)
    assert out[7]["id"] == "causes" and not (out[8]["kind"] == "answer" and out[8]["id"] == "causes"), out[8]
