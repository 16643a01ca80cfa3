"""Transcripts of the conversation core, the one function both adapters call."""

from __future__ import annotations

import pytest

from bot.config import BotConfig, EmergencySettings
from bot.core import Conversation
from bot.replies import Kind


@pytest.fixture
def conversation():
    return Conversation.from_config(BotConfig())


def test_start_greets_explains_and_disclaims(conversation):
    reply = conversation.handle(1, "/start")
    assert reply.kind is Kind.COMMAND
    assert "neuroendocrine tumors" in reply.text
    assert "not medical advice" in reply.text and "emergency" in reply.text
    assert [s.entry_id for s in reply.suggestions][0] == "what-are-nets"


def test_answer_names_the_source_and_offers_related_questions(conversation):
    reply = conversation.handle(1, "what causes a neuroendocrine tumour?")
    assert reply.kind is Kind.ANSWER and reply.entry_id == "causes"
    assert reply.text.startswith("The exact cause of neuroendocrine tumors isn't known.")
    assert "Mayo Clinic" in reply.source_note and "Symptoms and causes" in reply.source_note
    assert 2 <= len(reply.suggestions) <= 3
    assert "Source: Mayo Clinic" in reply.plain()


def test_clarify_then_pick_by_number(conversation):
    reply = conversation.handle(7, "types and symptoms")
    assert reply.kind is Kind.CLARIFY
    assert "You asked about two things" in reply.text   # two topics asked at once: which first
    second = reply.suggestions[1]
    assert "2. " + second.label in reply.plain()
    picked = conversation.handle(7, "2")
    assert picked.kind is Kind.ANSWER and picked.entry_id == second.entry_id


def test_pick_by_suggestion_text(conversation):
    reply = conversation.handle(8, "types and symptoms")
    label = reply.suggestions[0].label
    assert conversation.handle(8, label.upper()).entry_id == reply.suggestions[0].entry_id


def test_number_out_of_range_asks_again_and_keeps_choices(conversation):
    conversation.handle(9, "/topics")
    reply = conversation.handle(9, "99")
    assert reply.kind is Kind.CLARIFY and "from 1 to 18" in reply.text
    assert conversation.handle(9, "12").entry_id == "causes"


def test_chats_do_not_share_suggestions(conversation):
    conversation.handle("a", "/topics")
    reply = conversation.handle("b", "3")
    assert reply.kind is Kind.FALLBACK


def test_fallback_is_honest_and_points_to_the_care_team(conversation):
    reply = conversation.handle(1, "what is the life expectancy with a NET?")
    assert reply.kind is Kind.FALLBACK and reply.entry_id is None
    assert reply.decline == "survival" and "doesn't cover prognosis" in reply.text
    assert "care team" in reply.text
    assert reply.suggestions and "/topics" in reply.hint


def test_safety_comes_first_never_an_faq_answer(conversation):
    for text in ("I have chest pain and flushing, is it my NET?", "my dad collapsed", "I took too many pills",
                 "what are the symptoms? i cant breathe"):
        reply = conversation.handle(1, text)
        assert reply.kind is Kind.SAFETY, text
        assert reply.entry_id is None and not reply.suggestions
        assert "emergency number" in reply.text


def test_crisis_gets_the_crisis_line_and_the_emergency_number(conversation):
    reply = conversation.handle(1, "I dont want to live anymore")
    assert reply.kind is Kind.SAFETY
    assert "988" in reply.text and "emergency number" in reply.text


def test_safety_texts_come_from_config():
    config = BotConfig(emergency=EmergencySettings(call_text="Call 000 now.", crisis_text="Call Lifeline 13 11 14."))
    conversation = Conversation.from_config(config)
    assert conversation.handle(1, "suicidal thoughts").text.startswith("Call Lifeline 13 11 14.\n\nCall 000 now.")


def test_number_after_a_safety_reply_does_not_pick_an_old_suggestion(conversation):
    conversation.handle(1, "/topics")
    conversation.handle(1, "heavy bleeding")
    assert conversation.handle(1, "1").kind is not Kind.ANSWER


@pytest.mark.parametrize("text, fragment", [
    ("hello", "Hello!"), ("Good morning!", "Hello!"), ("thanks!!", "welcome"), ("bye", "Take care"),
    ("who are you?", "not a doctor"), ("what can you do", "symptoms"),
])
def test_small_talk(conversation, text, fragment):
    reply = conversation.handle(1, text)
    assert reply.kind is Kind.SMALLTALK and fragment in reply.text


def test_greeting_with_a_question_answers_the_question(conversation):
    assert conversation.handle(1, "hi! is it hereditary?").entry_id == "risk-factors"


@pytest.mark.parametrize("command, fragment", [
    ("/help", "/topics"), ("/about", "https://www.mayoclinic.org/"), ("/topics", "topics I can answer"),
    ("/start@net_faq_bot", "NET FAQ bot"), ("/nonsense", "don't know the command /nonsense"),
])
def test_commands(conversation, command, fragment):
    reply = conversation.handle(1, command)
    assert reply.kind is Kind.COMMAND and fragment in reply.plain()


def test_topics_lists_every_entry(conversation, kb):
    reply = conversation.handle(1, "/topics")
    assert [s.entry_id for s in reply.suggestions] == [e.id for e in kb.entries]


def test_empty_message_gets_a_friendly_prompt(conversation):
    for text in ("", "   ", "\n\t"):
        reply = conversation.handle(1, text)
        assert reply.kind is Kind.SMALLTALK and "type a question" in reply.text


def test_per_chat_state_is_bounded():
    from dataclasses import replace

    config = BotConfig()
    config = replace(config, conversation=replace(config.conversation, max_chats=3))
    conversation = Conversation.from_config(config)
    for chat in range(10):
        conversation.handle(chat, "/topics")
    assert len(conversation._chats) == 3
    assert conversation.handle(9, "1").kind is Kind.ANSWER      # recent chats keep their choices
    assert conversation.handle(0, "1").kind is not Kind.ANSWER  # the oldest were forgotten


def test_every_uncovered_topic_has_its_own_decline(conversation):
    ids = {d.id for d in conversation.matcher.declines}
    replies = conversation.declines.by_id
    assert set(replies) == ids
    assert len({r.reply for r in replies.values()}) == len(ids)   # written for each topic, none shared


@pytest.mark.parametrize("text", ["how long does my mum have left", "what is his life expectancy",
                                  "how long has my dad got", "will I die from this?"])
def test_prognosis_is_declined_with_particular_care(conversation, text):
    reply = conversation.handle(1, text)
    if reply.kind is Kind.SAFETY:   # safety first; the safety model in training may still alarm (issue 16)
        pytest.xfail(f"the safety model in training raises a full alarm on {text!r}")
    assert reply.kind is Kind.FALLBACK and reply.decline == "survival", reply
    assert "prognosis" in reply.text and "care team" in reply.text and "talk it through" in reply.text
    assert "support group" in reply.text and reply.suggestions[0].entry_id == "support-group"


def test_a_broken_decline_replies_file_is_named(tmp_path):
    from bot.declines import load_decline_replies
    from faq.yamlfile import DataFileError

    path = tmp_path / "decline_replies.yaml"
    path.write_text("declines:\n  survival: {reply: '', suggest: [nowhere]}\n  astrology: {reply: Stars.}\n",
                    encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_decline_replies(path, decline_ids={"survival", "diet"}, entry_ids={"symptoms"})
    problems = "\n".join(err.value.problems)
    for fragment in ("decline 'survival' field 'reply': missing or empty",
                     "decline 'survival' field 'suggest': unknown FAQ entry id 'nowhere'",
                     "decline 'astrology': no such topic", "decline 'diet': missing"):
        assert f"{path}: {fragment}" in problems, problems
