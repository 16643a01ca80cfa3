"""Feelings met with care (bot/data/feelings.yaml): fear, shock, grief, anger, loneliness,
relief and thanks with feeling, alone or around a question.

The trained model's "feeling" head reads them when the model has one (faq/classifier.py;
classes: the corpus's feeling labels and "none", with ``thresholds["feeling"]`` on the best
feeling's probability); without it, the curated phrases do, never right after a negation.
The core puts a short, warm line first, then the answer, or what the bot can help with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.spotting import Normaliser, PhraseSet, phrase_list
from faq.analyzer import Analyzer
from faq.classifier import TextModel
from faq.corpus import FEELINGS
from faq.language import words
from faq.yamlfile import DataFileError, entry_id_list, named_mapping, read_mapping, unknown_fields

DEFAULT_FEELINGS_PATH = Path(__file__).resolve().parent / "data" / "feelings.yaml"
HEAD = "feeling"
NONE = "none"
_TOP = ("avoid", "then", "suggest", "asking_words", "negations", "gap_words", "feelings")
_FEELING_FIELDS = ("phrases", "replies", "then", "emoji")
# Emoji presentation and skin-tone marks say nothing of their own: "❤️" is "❤".
_EMOJI_MARKS = re.compile("[\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")
# Clause separators, as bot/smalltalk.py cuts clauses; kept so the question keeps its punctuation.
_SEPARATOR_RE = re.compile(r"[.!?;\n,:()\[\]\u2013\u2014]+|\s-+\s")
_NEGATION_REACH = 3   # "I'm not really that scared": a negation this many words before the phrase


@dataclass(frozen=True)
class Feeling:
    name: str
    replies: tuple[str, ...]
    then: str                       # said after the line when the message asked nothing


@dataclass(frozen=True)
class FeelingLexicon:
    feelings: dict[str, Feeling]
    suggest: tuple[str, ...]        # entry ids offered after a feeling that asked nothing
    asking_words: frozenset[str]    # a message holding one asks something, punctuated or not
    negations: frozenset[str]
    normaliser: Normaliser
    phrases: PhraseSet
    emoji: dict[str, str] | None = None   # an emoji -> the feeling a message of emoji alone says with it

    def line(self, feeling: str, said_before: int) -> str:
        """The ``said_before``-th reply to this feeling in a chat, in turn, so none repeats in a row."""
        replies = self.feelings[feeling].replies
        return replies[said_before % len(replies)]

    def then(self, feeling: str) -> str:
        return self.feelings[feeling].then

    def said_alone(self, feeling: str, said_before: int) -> str:
        """The reply to a feeling said with no question: its line, then what the bot can help with."""
        return f"{self.line(feeling, said_before)}\n\n{self.then(feeling)}"

    def exclaims(self, ws: list[str]) -> bool:
        """ "what a relief", "what an awful week": an asking word before "a" exclaims."""
        return len(ws) > 1 and ws[0] in self.asking_words and ws[1] in ("a", "an")

    def has_asking_word(self, ws: list[str]) -> bool:
        return any(w in self.asking_words and not self.exclaims(ws[i:i + 2]) for i, w in enumerate(ws))

    def without_feeling(self, text: str) -> str:
        """The message without its clauses that only say a feeling ("I'm terrified. is it hereditary?"
        -> "is it hereditary?"): what is left is matched as the question."""
        kept, pos = [], 0
        for sep in [*_SEPARATOR_RE.finditer(text), None]:
            end = sep.start() if sep else len(text)
            clause, tail = text[pos:end], (sep.group() if sep else "")
            pos = sep.end() if sep else len(text)
            if clause.strip() and (self.by_phrases(clause) is None or self.has_asking_word(words(clause))):
                kept.append(clause.strip() + tail)
        return " ".join(kept).strip()

    def by_emoji(self, text: str) -> str | None:
        """The feeling of a message of emoji alone: that of the first one listed ("😢", "💔💔"); none for a plain
        smile ("🙂"), nor for a message with words (read by the model or the phrases)."""
        if words(text) or not self.emoji:
            return None
        text = _EMOJI_MARKS.sub("", text)
        found = [(i, feeling) for mark, feeling in self.emoji.items() if (i := text.find(mark)) >= 0]
        return min(found)[1] if found else None

    def by_phrases(self, text: str) -> str | None:
        """The first feeling whose phrase the message holds, not negated."""
        tokens = self.normaliser.tokens(text)
        for match, names in self.phrases.find(tokens, set()):
            start = match.start
            before = tokens[max(0, start - _NEGATION_REACH):start]
            if any(t.word in self.negations and t.clause == tokens[start].clause for t in before):
                continue
            return names[0]
        return None


class FeelingReader:
    """The model's feeling head where the model has one, else the curated phrases."""

    def __init__(self, lexicon: FeelingLexicon, model: TextModel | None = None, analyzer: Analyzer | None = None):
        self.lexicon = lexicon
        head = model.heads.get(HEAD) if model is not None else None
        self.model = model if head is not None and set(head.classes) - {NONE} <= set(lexicon.feelings) else None
        self.threshold = head.thresholds.get(HEAD, 0.5) if self.model is not None else None
        self.analyzer = analyzer

    @property
    def by(self) -> str:
        return "model" if self.model is not None else "phrases"

    def read(self, text: str) -> str | None:
        if not words(text):
            return self.lexicon.by_emoji(text)
        if self.model is None:
            return self.lexicon.by_phrases(text)
        analysis = self.analyzer.analyze(text) if self.analyzer is not None else None
        scores = self.model.score(HEAD, text, analysis)
        feeling, p = next(((c, p) for c, p in scores.ranked if c != NONE), (NONE, 0.0))
        return feeling if feeling != NONE and p >= self.threshold else None


# -- loading ---------------------------------------------------------------------

def _text(raw: Any, where: str, problems: list[str]) -> str:
    if not isinstance(raw, str) or not raw.strip():
        problems.append(f"{where}: must be non-empty text")
        return ""
    return " ".join(raw.split())


def load_feelings(path: str | Path = DEFAULT_FEELINGS_PATH, entry_ids: set[str] | None = None) -> FeelingLexicon:
    """The lexicon; ``entry_ids`` (the knowledge base's) checks the suggestions exist."""
    path = Path(path)
    raw, problems = read_mapping(path, _TOP, required=True)
    avoid = [" ".join(words(a)) for a in phrase_list(raw.get("avoid"), f"{path}: field 'avoid'", problems)]
    then = _text(raw.get("then"), f"{path}: field 'then'", problems)
    suggest = entry_id_list(raw.get("suggest"), f"{path}: field 'suggest'", problems, entry_ids, required=True)
    asking = phrase_list(raw.get("asking_words"), f"{path}: field 'asking_words'", problems)
    negations = phrase_list(raw.get("negations"), f"{path}: field 'negations'", problems)
    gap_words = phrase_list(raw.get("gap_words"), f"{path}: field 'gap_words'", problems)
    body = named_mapping(raw.get("feelings"), f"{path}: field 'feelings'", "feeling names to 'phrases' and 'replies'",
                         problems, required=FEELINGS,
                         missing=lambda name: f"{path}: feeling '{name}': missing (the corpus labels "
                                              f"{', '.join(FEELINGS)})")
    feelings: dict[str, Feeling] = {}
    entries: list[tuple[str, str]] = []
    emoji: dict[str, str] = {}
    for name, spec in body.items():
        where = f"{path}: feeling '{name}'"
        if name not in FEELINGS:
            problems.append(f"{where}: not a corpus feeling label ({', '.join(FEELINGS)})")
            continue
        if not isinstance(spec, dict):
            problems.append(f"{where}: must be a mapping with 'phrases' and 'replies' (and may have 'then')")
            continue
        unknown_fields(spec, _FEELING_FIELDS, where, problems)
        replies = spec.get("replies")
        if not isinstance(replies, list) or len(replies) < 2:
            problems.append(f"{where} field 'replies': needs at least two replies, so a chat hears them in turn")
            replies = []
        lines = []
        for i, reply in enumerate(replies, 1):
            text = _text(reply, f"{where} field 'replies' item {i}", problems)
            said = f" {' '.join(words(text))} "
            for phrase in avoid:
                if f" {phrase} " in said:
                    problems.append(f"{where} field 'replies' item {i}: says {phrase!r}, which 'avoid' rules out")
            lines.append(text)
        own_then = _text(spec["then"], f"{where} field 'then'", problems) if "then" in spec else then
        for phrase in phrase_list(spec.get("phrases"), f"{where} field 'phrases'", problems):
            entries.append((phrase, str(name)))
        for i, mark in enumerate(spec.get("emoji") or [], 1):
            if not isinstance(mark, str) or not mark.strip() or words(mark):
                problems.append(f"{where} field 'emoji' item {i}: must be emoji, with no words ({mark!r})")
            elif (mark := _EMOJI_MARKS.sub("", mark.strip())) in emoji and emoji[mark] != name:
                problems.append(f"{where} field 'emoji' item {i}: {mark!r} is already feeling '{emoji[mark]}'")
            else:
                emoji[mark] = str(name)
        feelings[str(name)] = Feeling(str(name), tuple(lines), own_then)
    vocabulary = {w for text, _ in entries for w in words(text.replace("=", ""))} | set(gap_words)
    # Only long words are corrected: "curious" is one key from "furious".
    normaliser = Normaliser({}, vocabulary, min_typo_len=8)
    phrases = [(p, name) for text, name in entries if (p := normaliser.phrase(text)) is not None]
    if problems:
        raise DataFileError(problems)
    return FeelingLexicon(feelings, tuple(suggest), frozenset(words(" ".join(asking))),
                          frozenset(words(" ".join(negations))), normaliser,
                          PhraseSet(phrases, frozenset(gap_words), max_gap=2), emoji)
