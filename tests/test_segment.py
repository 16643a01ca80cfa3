"""Table tests for faq/segment.py: the one clause splitter, and which clauses ask."""

import pytest

from faq.segment import clauses, split


def _read(text):
    return [(" ".join(c.words), c.asks) for c in clauses(text)]


@pytest.mark.parametrize("text, expected", [
    ("hot flushes and diarrhoea", [("hot flushes and diarrhoea", False)]),
    ("What causes NETs?", [("what causes nets", True)]),
    ("what are the symptoms and is it hereditary",
     [("what are the symptoms", True), ("is it hereditary", True)]),
    ("My mum has a NET. Is it hereditary?", [("my mum has a net", False), ("is it hereditary", True)]),
    ("it's not hereditary, is it?", [("its not hereditary", True)]),
    ("is it cancer if it grows slowly?", [("is it cancer", True), ("if it grows slowly", False)]),
    ("My question: is it hereditary?", [("my question", False), ("is it hereditary", True)]),
    ("so what causes them", [("so what causes them", True)]),
    ("don't tell me to ask my doctor", [("dont tell me to ask my doctor", False)]),
    ("dont they spread", [("dont they spread", True)]),
    ("my dad, who has a NET, is tired", [("my dad", False), ("who has a net", False), ("is tired", True)]),
    # A decimal point ends no sentence: the figure stays in its clause.
    ("temperature 39.8 and confused", [("temperature 39 8 and confused", False)]),
    ("found a 1.8cm NET. is it rare?", [("found a 1 8cm net", False), ("is it rare", True)]),
    # A question word before its verb asks, even after "and"; a relative clause puts the subject first.
    ("can you have one with no symptoms and when should I see a doctor",
     [("can you have one with no symptoms", True), ("when should i see a doctor", True)]),
    ("my mum had a scan, where they found a lump", [("my mum had a scan", False), ("where they found a lump", False)]),
    # "or" before a question word starts one too; "or not" is the tail of the same question.
    ("is it heridatery or is it from stres", [("is it heridatery", True), ("is it from stres", True)]),
    ("is it cancer or not", [("is it cancer or not", True)]),
    ("", []),
    ("?!...", []),
])
def test_clauses(text, expected):
    assert _read(text) == expected


@pytest.mark.parametrize("text, sentences", [
    ("temperature 39.8 and confused", [["temperature 39.8 and confused"]]),
    ("chest pain. can't breathe", [["chest pain"], [" can't breathe"]]),
    ("self-harm, again (twice)", [["self-harm", " again ", "twice", ""]]),
    ("pain \u2013 bad: now", [["pain ", " bad", " now"]]),
    ("a - b; c", [["a", "b"], [" c"]]),
])
def test_split_sentences_and_clauses(text, sentences):
    assert [[clause for clause, _ in s] for s, _ in split(text)] == sentences


def test_split_reports_the_punctuation_that_ends_each_piece():
    (first, end1), (second, end2) = split("My question: is it rare? yes")
    assert end1 == "?" and end2 == ""
    assert first == [("My question", ":"), (" is it rare", "")]
    assert second == [(" yes", "")]


def test_question_words_table_names_only_known_parts():
    from faq import question_words as q
    known = {"opens", "after_and", "relative", "negative", "tag", "wh", "auxiliary", "asks_what",
             "what_where", "is_are", "whats_wheres"}
    assert set().union(*q._PARTS.values()) == known
    assert q.NEGATIVE_OPENERS <= q.OPENERS and q.NEW_QUESTION_AFTER_AND <= q.OPENERS
    assert "was" not in q.OPENERS and "was" in q.AUXILIARIES  # "was" opens stories, not questions
