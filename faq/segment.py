"""Split a message into clauses and find the question in it.

Patients tell a story before they ask: who is ill, what the doctor said, for how long.
The clause that asks (ends in "?" or opens with a question word) is the focus; the
rest is context and weighs less. A message with no asking clause is all focus
("hot flushes and diarrhoea"). Two asking clauses are two questions: the matcher reads the
first as its answer and the second as ``secondary``, and the conversation asks which first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from faq.normalize import words
from faq.question_words import (AUXILIARIES, NEGATIVE_OPENERS, NEW_QUESTION_AFTER_AND, OPENERS, RELATIVES, TAG_WORDS,
                                 WH_WORDS)

# Sentences end at . ! ? ; and line breaks, but not at a decimal point ("temperature 39.8 and
# confused" is one sentence); clauses also at commas, colons, brackets and dashes ("self-harm"
# stays one clause). The one splitter: the safety check and small talk (bot/spotting.py) use it too.
SENTENCE_END_RE = re.compile(r"(?:[!?;\n]|\.(?!\d)|(?<!\d)\.)+")
CLAUSE_BREAK_RE = re.compile(r"[,:()\[\]\u2013\u2014]+|\s-+\s")
# "is it cancer if it was small": the if-clause is context, so it is a clause of its own.
_IF_RE = re.compile(r"\s(?=if\s)")


def split(text: str) -> list[tuple[list[tuple[str, str]], str]]:
    """The message's sentences in order, each as (its clauses, the punctuation ending it); a
    clause is (its text as written, the break after it: "," ":" ... or "" at the sentence end)."""
    out = []
    pos = 0
    for end in [*SENTENCE_END_RE.finditer(text), None]:
        sentence = text[pos:end.start() if end else len(text)]
        pos = end.end() if end else len(text)
        parts, at = [], 0
        for brk in [*CLAUSE_BREAK_RE.finditer(sentence), None]:
            parts.append((sentence[at:brk.start() if brk else len(sentence)], brk.group() if brk else ""))
            at = brk.end() if brk else len(sentence)
        out.append((parts, end.group() if end else ""))
    return out


def _colon_groups(sentence: list[tuple[str, str]], end: str) -> list[tuple[list[str], str]]:
    """A colon ends a question's lead-in like a full stop ("My question: is it hereditary?")."""
    groups: list[tuple[list[str], str]] = [([], end)]
    for clause, brk in sentence:
        groups[-1][0].append(clause)
        if ":" in brk:
            groups[-1] = (groups[-1][0], ":")
            groups.append(([], end))
    return groups


# "was", "were" and "had" open stories far more often than questions ("had a scan last week"):
# they are not openers (faq/question_words.py).
# Words a clause may open with before its question word ("so what", "ok and how").
_LEAD_INS = frozenset({"and", "also", "but", "so", "then", "ok", "okay", "well", "oh", "hi", "hello", "hey",
                       "thanks", "thank", "you", "right", "now", "just", "sorry", "dear", "um", "erm", "plus",
                       "another", "question", "q", "one", "more", "thing",
                       # "Please my brother was told...": politeness opens statements too; the verb after it decides
                       "please", "pls", "kindly"})
# "and"/"also"/"but"/"or" followed by a question word start a new question ("what are the symptoms
# and is it hereditary", "is it heridatery or is it from stres"): split there too, for reading questions only.
_SPLIT_AND = re.compile(r"\s(?:and|also|but|or)\s(?=(?:" + "|".join(sorted(NEW_QUESTION_AFTER_AND)) + r")\s)")


@dataclass(frozen=True)
class Clause:
    words: tuple[str, ...]
    asks: bool          # a question rather than context


_SUBJECTS = frozenset({"i", "you", "we", "they", "it", "he", "she", "these", "those", "this", "that", "there",
                       "nets", "net", "people", "doctors", "tumors", "tumours"})


def _asks(ws: list[str], ends_with_question_mark: bool) -> bool:
    if ends_with_question_mark:
        return True
    for i, w in enumerate(ws):
        if w in OPENERS:
            return not (w in NEGATIVE_OPENERS and i + 1 < len(ws) and ws[i + 1] not in _SUBJECTS)
        if w not in _LEAD_INS:
            return False
    return False


def _inverted(ws: list[str]) -> bool:
    """ "when should I see a doctor", "where do they grow": a question word before its verb asks; a
    relative clause puts the subject first ("..., where they found it")."""
    return len(ws) > 2 and ws[0] in WH_WORDS and ws[1] in AUXILIARIES


def _is_tag(ws: list[str]) -> bool:
    """ "is it", "isn't it", "right", "or not": a tag that makes the clause before it a question."""
    return len(ws) <= 3 and all(w in TAG_WORDS for w in ws)


def clauses(text: str) -> list[Clause]:
    """The message's clauses in order, each marked as asking or not; empty ones dropped."""
    out: list[Clause] = []
    for group, end in (g for sentence, end in split(text) for g in _colon_groups(sentence, end)):
        parts = [p for clause in group for chunk in _IF_RE.split(clause) for p in _SPLIT_AND.split(chunk)]
        for j, part in enumerate(parts):
            ws = words(part)
            if not ws:
                continue
            asks = _asks(ws, "?" in end and j == len(parts) - 1)
            if j > 0 and ws[0] in RELATIVES and not ("?" in end and j == len(parts) - 1) and not _inverted(ws):
                asks = False  # "..., which they told her is a NET of the lung": a relative clause
            if asks and out and j > 0 and (_is_tag(ws) or ws[0] == "if"):
                # "it's not hereditary, is it?", "is it cancer if it grows slowly?": the clause
                # before is the question; a tag adds nothing, a condition is context.
                out[-1] = Clause(out[-1].words, True)
                if ws[0] == "if":
                    out.append(Clause(tuple(ws), False))
                continue
            out.append(Clause(tuple(ws), asks and ws[0] != "if"))
    return out


# "symptoms and causes", "types + where they grow", "symptoms vs when to see a doc", and the same
# in the languages patients mix with English ("síntomas y causas", "symptoms aur causes"); "n" as typed on a
# phone ("symptons n causes").
_COORDINATED_RE = re.compile(r"\s*(?:[+&/]|\b(?:and|n|nd|plus|vs|versus|as well as|y|et|e|aur)\b\.?)\s*", re.IGNORECASE)


def coordinated(text: str) -> list[str]:
    """The sides of a request that joins things with "and", "+", "vs"... (empty sides dropped)."""
    return [side.strip(" ,;:?!.") for side in _COORDINATED_RE.split(text) if words(side)]
