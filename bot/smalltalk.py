"""Greetings, thanks, goodbyes, "is anyone there", "who are you" (bot/data/smalltalk.yaml).

Small talk is recognised by its intents' phrases wherever they sit in a message, and
split from the question next to it, so "hi! is it hereditary?" answers the question.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bot.spotting import Normaliser, PhraseSet, phrase_list, spellings_map
from faq.analyzer import Analyzer
from faq.classifier import TextModel
from faq.language import words
from faq.yamlfile import DataFileError, read_mapping

DEFAULT_SMALLTALK_PATH = Path(__file__).resolve().parent / "data" / "smalltalk.yaml"
SECTIONS = ("spellings", "gap_words", "fillers", "intents")
_PEEL = ("start", "end")
_INTENT_FIELDS = {"phrases", "reply", "peel", "then_a_name"}
# Clause separators, as bot/spotting.py cuts clauses; kept so the question keeps its punctuation.
_SEPARATOR_RE = re.compile(r"[.!?;\n,:()\[\]\u2013\u2014]+|\s-+\s")
_CHUNK_RE = re.compile(r"\S+")


HEAD = "smalltalk"   # the model's head for messages that are only small talk (faq/training.py)
NONE = "none"


@dataclass(frozen=True)
class Intent:
    name: str
    reply: str
    peel: frozenset[str]   # "start", "end": taken off a question's edges too
    then_a_name: bool = False   # "I'm Sue": capitalised words right after it are a name


@dataclass(frozen=True)
class SmallTalkSplit:
    intents: tuple[str, ...]   # in priority order, each once
    question: str              # the rest of the message, as written ("" if none)

    @property
    def only_small_talk(self) -> bool:
        return bool(self.intents) and not words(self.question)


# A message wholly made of these intents' phrases ("goodbye", "thanks, take care", "ok goodbye then", "fair
# enough") says nothing the safety model should alarm on alone: the writers of the training batches label
# 1 in 580 such messages a crisis, and the model reads "goodbye" as one (bot/safety_net.py). Unless a word
# beside the phrases may make it a farewell ("bye for good", "bye everyone, love you all", "thank you for
# everything"): small talk's fillers, but not plain.
PLAIN_INTENTS = frozenset({"bye", "thanks", "ok", "greeting"})
NOT_PLAIN = frozenset({"all", "everyone", "everybody", "for", "love", "everything", "again", "always", "forever",
                       "ever", "last", "final", "world", "sorry", "tonight", "time"})


class SmallTalk:
    def __init__(self, intents: list[Intent], normaliser: Normaliser, phrases: PhraseSet, fillers: frozenset[str]):
        self.intents = {i.name: i for i in intents}
        self._order = {i.name: n for n, i in enumerate(intents)}
        self._normaliser = normaliser
        self._phrases = phrases
        self._fillers = fillers

    def summary(self) -> str:
        return f"{len(self.intents)} intents, {self._phrases.size} phrases"

    def reply(self, intent: str) -> str:
        return self.intents[intent].reply

    def is_plain(self, text: str) -> bool:
        """Whether the phrases read the whole message as a sign-off, thanks, "ok" or a greeting."""
        said = self.split(text)
        return said.only_small_talk and set(said.intents) <= PLAIN_INTENTS \
            and not NOT_PLAIN & set(self._normaliser.respell(words(text))) \
            and not any(unicodedata.category(ch) == "So" for ch in text)   # "goodbye ⚰️", "goodbye 💔"

    def split(self, text: str) -> SmallTalkSplit:
        """(small-talk intents, the question left) for any message."""
        found: set[str] = set()
        kept: list[str] = []
        pos = 0
        for sep in [*_SEPARATOR_RE.finditer(text), None]:
            end = sep.start() if sep else len(text)
            clause, tail = text[pos:end], (sep.group() if sep else "")
            pos = sep.end() if sep else len(text)
            rest = self._clause(clause, found)
            if rest.strip():
                kept.append(rest.strip() + tail)
        question = " ".join(kept).strip()
        return SmallTalkSplit(tuple(sorted(found, key=self._order.__getitem__)), question)

    def _clause(self, clause: str, found: set[str]) -> str:
        """The clause without its small talk: "" if it was all small talk, else the clause with
        peelable intents taken off its edges."""
        tokens = self._normaliser.tokens(clause)
        matches = self._phrases.find(tokens, set())
        if not matches:
            return clause
        chunks = [(m.group(), self._normaliser.respell(words(m.group()))) for m in _CHUNK_RE.finditer(clause)]
        owner = [i for i, (_, ws) in enumerate(chunks) for _ in ws]   # token -> chunk
        covered: dict[int, tuple[str, ...]] = {}
        for match, intents in matches:
            for p in range(match.start, match.end + 1):
                covered[p] = intents
            if len(owner) == len(tokens) and any(self.intents[n].then_a_name for n in intents):
                for p in range(match.end + 1, min(match.end + 3, len(tokens))):
                    if not _is_name(chunks[owner[p]][0]):
                        break
                    covered[p] = intents
        if all(i in covered or t.word in self._fillers for i, t in enumerate(tokens)):
            found.update(n for m, intents in matches for n in intents)
            return ""
        if len(owner) != len(tokens):  # Unicode that split words differently: keep the clause whole
            return clause
        fillers = lambda lo, hi: all(tokens[i].word in self._fillers for i in range(lo, hi))  # noqa: E731
        first, last = 0, len(tokens) - 1
        for match, intents in matches:           # "hi what causes it"
            if match.start != first or not all("start" in self.intents[n].peel for n in intents):
                break
            found.update(intents)
            first = match.end + 1
        for match, intents in reversed(matches):  # "what causes it thanks"
            if match.start < first or not fillers(match.end + 1, last + 1) or \
                    not all("end" in self.intents[n].peel for n in intents):
                break
            found.update(intents)
            last = match.start - 1
        if first > last:
            return ""
        return " ".join(c for c, _ in chunks[owner[first]: owner[last] + 1])


class SmallTalkReader:
    """The phrases, and the model's small-talk head (faq/training.py) for what they miss: "ok nvm
    thx", "salamat po", "I am obliged to you. Good afternoon." The head names the intent of a
    message that is only small talk ("none" when a question is beside it). The core asks it last,
    for a message it could neither answer, ask back about nor decline by topic, so a question
    ("who can I talk to?") never gets small talk instead of its answer."""

    def __init__(self, smalltalk: SmallTalk, model: TextModel | None = None, analyzer: Analyzer | None = None):
        self.smalltalk = smalltalk
        head = model.heads.get(HEAD) if model is not None else None
        self.model = model if head is not None and analyzer is not None else None
        self.threshold = head.thresholds.get(HEAD, 1.0) if self.model is not None else None
        self.analyzer = analyzer

    def read(self, text: str) -> SmallTalkSplit:
        """The phrases' reading: small-talk intents and the question left beside them."""
        return self.smalltalk.split(text)

    def by_model(self, text: str) -> str | None:
        """The head's intent for a message that is only small talk, else None."""
        if self.model is None or not words(text):
            return None
        scores = self.model.score(HEAD, text, self.analyzer.analyze(text))
        intent, p = next(((c, p) for c, p in scores.ranked if c != NONE), (NONE, 0.0))
        return intent if intent in self.smalltalk.intents and p >= self.threshold else None


def _is_name(chunk: str) -> bool:
    word = chunk.strip(".,!?\"'")
    return word[:1].isupper() and word[1:2].islower() and word.isalpha()


def load_smalltalk(path: str | Path = DEFAULT_SMALLTALK_PATH, chat_spellings: dict[str, str] | None = None) -> SmallTalk:
    """``chat_spellings``: language.yaml's, read before this file's own (default: the bundled language.yaml's)."""
    path = Path(path)
    raw, problems = read_mapping(path, SECTIONS, what="section")
    spellings = spellings_map(raw.get("spellings"), path, problems, chat_spellings)
    gap_words = phrase_list(raw.get("gap_words"), f"{path}: section 'gap_words'", problems)
    fillers = phrase_list(raw.get("fillers"), f"{path}: section 'fillers'", problems)
    body = raw.get("intents")
    if not isinstance(body, dict) or not body:
        problems.append(f"{path}: section 'intents': must map intent names to 'phrases' and 'reply'")
        body = {}
    intents: list[Intent] = []
    texts: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for name, spec in body.items():
        where = f"{path}: intent '{name}'"
        if not isinstance(spec, dict) or not {"phrases", "reply"} <= set(spec) or set(spec) - _INTENT_FIELDS:
            problems.append(f"{where}: needs the fields 'phrases' and 'reply' (and may have 'peel', 'then_a_name')")
            continue
        reply = spec["reply"]
        if not isinstance(reply, str) or not reply.strip():
            problems.append(f"{where} field 'reply': empty or not text")
            continue
        peel = spec.get("peel") or []
        if not isinstance(peel, list) or set(peel) - set(_PEEL):
            problems.append(f"{where} field 'peel': a list of {' and/or '.join(_PEEL)}")
            peel = []
        for i, phrase in enumerate(phrase_list(spec["phrases"], f"{where} field 'phrases'", problems), 1):
            key = " ".join(words(phrase))
            if key in seen and seen[key] != name:
                problems.append(f"{where} field 'phrases': {phrase!r} is also under '{seen[key]}'")
            seen[key] = str(name)
            texts.append((phrase, str(name)))
        then_a_name = spec.get("then_a_name", False)
        if not isinstance(then_a_name, bool):
            problems.append(f"{where} field 'then_a_name': true or false")
        intents.append(Intent(str(name), reply.strip(), frozenset(peel), then_a_name is True))
    vocabulary = {w for text, _ in texts for w in words(text)} | set(fillers)
    normaliser = Normaliser(spellings, vocabulary, min_typo_len=4)
    entries = [(p, name) for text, name in texts if (p := normaliser.phrase(text)) is not None]
    if problems:
        raise DataFileError(problems)
    return SmallTalk(intents, normaliser, PhraseSet(entries, frozenset(gap_words), max_gap=3), frozenset(fillers))
