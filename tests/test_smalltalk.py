"""Small talk anywhere in a message: alone it gets its reply; next to a question, the question is answered."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.config import BotConfig
from bot.core import Conversation
from bot.tools.evaluate import evaluate_smalltalk, load_messages
from bot.safety_net import SafetyNet
from bot.replies import Kind
from bot.safety import load_safety
from bot.smalltalk import load_smalltalk
from faq.yamlfile import DataFileError
from tests.conftest import CORPUS, ROOT


@pytest.fixture(scope="module")
def smalltalk():
    return load_smalltalk()


@pytest.fixture(scope="module")
def conversation():
    return Conversation.from_config(BotConfig())


def test_the_batches_written_for_small_talk_are_all_right(smalltalk):
    messages = load_messages(sorted(CORPUS.glob("smalltalk-*.yaml")), "smalltalk")
    report = evaluate_smalltalk(smalltalk.split, SafetyNet(load_safety(), None, None, "rules"), messages)
    assert report.total >= 10
    assert report.misses == [], "\n".join(report.lines())


@pytest.mark.parametrize("text, intent", [
    ("hey, anyone home?", "presence"),
    ("ta very much, that's cleared it up", "thanks"),
    ("am I chatting to a computer?", "who"),
    ("night night, thanks", "thanks"),
    ("what sort of things do you know about", "capabilities"),
    ("ok bye take care", "bye"),
    ("helo there", "greeting"),     # a typo
])
def test_small_talk_alone_gets_its_reply(conversation, smalltalk, text, intent):
    split = smalltalk.split(text)
    assert split.only_small_talk and split.intents[0] == intent
    reply = conversation.handle(1, text)
    assert reply.kind is Kind.SMALLTALK and reply.text == smalltalk.reply(intent)


@pytest.mark.parametrize("text, intents, question", [
    ("hi! is it hereditary?", ("greeting",), "is it hereditary?"),
    ("hi what causes NETs", ("greeting",), "what causes NETs"),
    ("what causes NETs? thanks!", ("thanks",), "what causes NETs?"),
    ("Good morning, thank you for being here. Is it genetic?", ("thanks", "greeting"), "Is it genetic?"),
    ("is it good to exercise?", (), "is it good to exercise?"),          # "good" inside a question stays
    ("no, I meant the symptoms", ("ok",), "I meant the symptoms"),
])
def test_split_keeps_the_question_as_written(smalltalk, text, intents, question):
    split = smalltalk.split(text)
    assert (split.intents, split.question) == (intents, question)
    assert not split.only_small_talk


def test_a_question_next_to_small_talk_is_answered(conversation):
    assert conversation.handle(1, "hi! is it hereditary?").entry_id == "risk-factors"
    assert conversation.handle(1, "hello there, thanks for your help. what causes a NET?").entry_id == "causes"
    # The capital NET of the question survives the split (the matcher reads "net" in capitals only).
    assert conversation.handle(1, "thanks. What is a NET?").entry_id == "what-are-nets"


def test_eval_smalltalk_command_lists_misses(tmp_path):
    labelled = tmp_path / "set.yaml"
    labelled.write_text("batch: t\nsplit: heldout\nmessages:\n"
                        "  - {text: hiya, smalltalk: greeting, voice: plain}\n"
                        "  - {text: what causes NETs, smalltalk: thanks, voice: plain}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "bot", "eval-smalltalk", str(labelled)], capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "right               50.0 %" in result.stdout
    assert "'what causes NETs': expected thanks, got nothing + question 'what causes NETs'" in result.stdout


def test_broken_smalltalk_file_is_named(tmp_path):
    path = tmp_path / "smalltalk.yaml"
    path.write_text("gap_words: [of]\nfillers: [so]\nintents:\n  hi:\n    phrases: [hi, yes]\n    reply: Hello\n"
                    "  bye:\n    phrases: [hi]\n    reply: Bye\n    peel: [middle]\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_smalltalk(path)
    problems = err.value.problems
    assert f"{path}: intent 'hi' field 'phrases' item 2: YAML read a bare word as true; put it in quotes" in problems
    assert f"{path}: intent 'bye' field 'peel': a list of start and/or end" in problems
    assert f"{path}: intent 'bye' field 'phrases': 'hi' is also under 'hi'" in problems


@pytest.mark.parametrize("text, intent", [
    ("hi, I'm Sue", "greeting"),
    ("helloooo? anybody?", "presence"),
    ("r u still there", "presence"),
])
def test_introductions_stretched_letters_and_chat_spellings(smalltalk, text, intent):
    split = smalltalk.split(text)
    assert split.only_small_talk and intent in split.intents, split


def test_an_introduction_before_a_question_leaves_the_question(smalltalk):
    split = smalltalk.split("Hi, I'm Sue. What causes NETs?")
    assert split.question == "What causes NETs?" and "greeting" in split.intents


def test_a_question_after_a_command_is_answered(conversation):
    assert conversation.handle(1, "/start is it hereditary?").entry_id == "risk-factors"
    assert conversation.handle(1, "/help@net_faq_bot what causes NETs").entry_id == "causes"
    assert conversation.handle(1, "/start").kind is Kind.COMMAND
    assert "don't know the command /weather" in conversation.handle(1, "/weather in London").text


def test_small_talk_the_phrases_miss_is_read_by_the_models_head():
    """Through the console: the small-talk head (faq/training.py, trained on blind batches) meets
    sign-offs the phrase list lacks, and never takes a question said beside small talk."""
    from tests.test_console import chat

    said = ["cheers, that's all I needed", "ty ty", "thank you full stop", "hi, what are the symptoms"]
    out = chat(*said)
    # Dictated thanks may be met warmly, as gratitude (the feeling head), or as small talk: never as a question.
    assert [o["kind"] for o in out[:2]] == ["smalltalk", "smalltalk"], out
    assert out[2]["kind"] == "smalltalk" or out[2]["feeling"] == "gratitude", out[2]
    assert out[3]["kind"] == "answer", out
    assert out[3]["id"] == "symptoms"


def test_smalltalk_reads_language_yaml_chat_spellings():
    assert load_smalltalk(chat_spellings={"thx": "thanks"})._normaliser.spellings["thx"] == ("thanks",)
    assert load_smalltalk()._normaliser.spellings["pls"] == ("please",)


@pytest.mark.parametrize("said", ["what is this bot", "who runs this bot"])
def test_a_question_about_the_bot_is_not_read_as_about_nets(said):
    """The model puts "what is this bot" beyond the page; read with the bot's subject it became "what is a NET".
    The small-talk head reads it as about the bot, and the subject is not carried into it."""
    from tests.test_console import chat

    reply, = chat(said)
    assert reply["kind"] == "smalltalk" and reply["id"] is None, reply
