"""A follow-up read as said right after the last answer. The model learnt the turns of blind
conversations with the entry answered before them (``k:after:<entry>``, faq/features.py), and
bot/context.py takes that reading when it answers the last entry again ("so could I get one too?"
after the risk factors), or any entry when the message alone is declined for no topic it names, or one
of the message's own close choices. What the last answer does not hold is never bent to it."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from faq.features import AFTER, extract
from faq.training import fit_vocabulary
from tests.test_console import chat


def test_the_model_weighs_the_answer_a_message_is_said_after(matcher):
    model = matcher.model
    assert model.reads_after
    text = "so am i gonna get one?"
    reading = matcher.analyzer.analyze(text)
    alone = model.score("answer", text, reading).p("risk-factors")
    after = model.score("answer", text, reading, after="risk-factors").p("risk-factors")
    elsewhere = model.score("answer", text, reading, after="types").p("risk-factors")
    assert after > 2 * alone and after > elsewhere, (alone, after, elsewhere)


def test_the_answer_before_is_one_feature_of_the_reading(matcher):
    reading = matcher.analyzer.analyze("and in the lungs?")
    with_it = extract("and in the lungs?", reading, "where-in-body")
    without = extract("and in the lungs?", reading)
    assert with_it["k"][f"{AFTER}where-in-body"] == 1
    assert not any(f.startswith(AFTER) for f in without["k"])
    assert with_it["w"] == without["w"] and with_it["c"] == without["c"]


def test_the_answers_said_after_are_weighed_among_the_turns_said_after_one():
    single = [{"c": Counter(), "w": Counter({"lungs": 1}), "k": Counter({"q:lung": 1})}] * 3
    after = [{"c": Counter(), "w": Counter({"lungs": 1}), "k": Counter({f"{AFTER}causes": 1})}] * 2 \
        + [{"c": Counter(), "w": Counter(), "k": Counter({f"{AFTER}types": 1})}]
    vocab = fit_vocabulary(single, after)
    k = vocab.features["k"]
    assert k == [f"{AFTER}causes", "q:lung"]   # "after:types" is said once: below the corpus's MIN_DF of 2
    assert vocab.idf["k"][0] == pytest.approx(np.log(4 / 3) + 1)   # 2 of the 3 turns said after an answer
    assert vocab.idf["k"][1] == pytest.approx(np.log(4 / 4) + 1)   # 3 of the 3 single messages
    assert vocab.features["w"] == fit_vocabulary(single).features["w"] == ["lungs"]   # turns add no words


@pytest.mark.parametrize("before, follow_up, entry", [
    ("what are neuroendocrine cells?", "where are they in the body?", "neuroendocrine-cells"),
    ("does it run in families?", "what other conditions are on that list?", "risk-factors"),
    ("where in the body do they grow?", "lung?", "where-in-body"),
])
def test_a_follow_up_is_read_after_the_answer_before_it(matcher, before, follow_up, entry):
    first, second = chat(before, follow_up)
    assert first["kind"] == "answer" and first["id"] == entry and first["context"] is None, first
    assert second["kind"] == "answer" and second["id"] == entry and second["context"] == "followup", second
    assert matcher.match(follow_up).entry_id != entry   # alone, it is not that answer


@pytest.mark.parametrize("before, message, kind", [
    ("is it genetic?", "how long do people live with it?", "fallback"),
    ("what are neuroendocrine cells?", "can she still work?", "fallback"),
    ("is it genetic?", "ok thanks, that helps", "smalltalk"),
    ("what are the symptoms", "what time is it", "fallback"),
])
def test_what_the_last_answer_does_not_hold_is_not_bent_to_it(before, message, kind):
    first, second = chat(before, message)
    assert first["kind"] == "answer", first
    assert second["kind"] == kind and second["id"] != first["id"] and second["context"] is None, second
