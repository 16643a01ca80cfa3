"""Spot curated phrases in a patient's message, the way people actually write them.

Shared by the safety check and small talk. A message becomes tokens (words with their
sentence and clause); a phrase matches when its words appear in order in one clause,
in any inflection (Snowball stems), with typos corrected against the phrases' own
vocabulary (by faq.normalize.Corrector, the matcher's corrector, told which slips are
plausible), and with up to ``max_gap`` "gap words" in between ("my chest is *really*
tight", "can't *seem to* breathe"). A phrase word written ``=word`` must appear exactly
as written (so ``=fitting`` is not "fit"). Longer phrases win over shorter ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, NamedTuple

from faq.language import load_language, words
from faq.normalize import Corrector, plausible_slip, stem
from faq.segment import split

# Emergency numbers stay themselves: "call 999" must not read as "call <a number>", which
# any phone number would match ("call 0800 123 456 for the support group").
_EMERGENCY_NUMBERS = frozenset({"999", "911", "112", "000", "111"})
_YEAR_RE = re.compile(r"^(19|20)\d\d$")
_STRETCHED_RE = re.compile(r"([a-z])\1{2,}")   # "helloooo", "pleaseee": a run of three or more
YEAR = "yearnum"   # any year 1900-2099 reads as this word, so "back in yearnum" is one phrase
MANY = "manynum"   # any other whole number from 10 up ("took 20 of them")
_READ_CACHE = 16384   # words remembered as read; the cache starts afresh when full


class Token(NamedTuple):   # a NamedTuple: made for every word of every message, so cheap to make
    word: str      # respelt and typo-corrected
    stem: str
    sentence: int
    clause: int    # counts across the whole message


@dataclass(frozen=True)
class Phrase:
    """One curated phrase: elements are ("s", stem) or ("w", exact word)."""
    elements: tuple[tuple[str, str], ...]
    text: str


class Match(NamedTuple):
    phrase: Phrase
    positions: tuple[int, ...]   # token indexes of the phrase's own words

    @property
    def start(self) -> int:
        return self.positions[0]

    @property
    def end(self) -> int:
        return self.positions[-1]


class Normaliser:
    """Text -> tokens: the one place words are respelt, corrected and stemmed."""

    def __init__(self, spellings: dict[str, tuple[str, ...]], vocabulary: Iterable[str], min_typo_len: int = 5,
                 targets: Iterable[str] | None = None):
        """``vocabulary``: words never corrected; ``targets``: what a typo may be corrected to
        (default: the vocabulary)."""
        self.spellings = spellings
        vocabulary = frozenset(vocabulary)
        # "chest pian", "unconcious": a frightened person types fast. Short words are left
        # alone (too many real words sit one letter from each other); long ones may be two off.
        self._corrector = Corrector(vocabulary, (w for w in (vocabulary if targets is None else targets)
                                                 if len(w) >= min_typo_len - 1),
                                    min_length=min_typo_len, long_word=9, plausible=plausible_slip)
        self.stem = stem   # faq.normalize's: one stemmer (and its cache) for the whole bot
        self._correct = lru_cache(maxsize=8192)(self._correct_uncached)
        # A word as written -> its (word, stem) tokens: one look-up per word of a message
        # instead of respelling, correcting and stemming it again.
        self._read: dict[str, tuple[tuple[str, str], ...]] = {}

    def respell(self, ws: Iterable[str]) -> list[str]:
        out: list[str] = []
        for w in ws:
            if _YEAR_RE.match(w):
                out.append(YEAR)
            elif w.isdigit() and w not in _EMERGENCY_NUMBERS and 10 <= int(w[:6]) and len(w) <= 6:
                out.append(MANY)
            else:
                out.extend(self.spellings.get(w, (w,)))
        return out

    def _correct_uncached(self, word: str) -> str:
        return self._corrector.correct(_STRETCHED_RE.sub(r"\1\1", word))   # "pleaseee" -> "pleasee"

    def phrase(self, text: str) -> Phrase | None:
        """A curated phrase in the same form tokens take; None if it has no words."""
        elements: list[tuple[str, str]] = []
        for raw in text.split():
            exact = raw.startswith("=")
            for w in self.respell(words(raw.lstrip("="))):
                elements.append(("w", w) if exact else ("s", self.stem(w)))
        return Phrase(tuple(elements), text) if elements else None

    def _read_word(self, raw: str) -> tuple[tuple[str, str], ...]:
        if len(self._read) >= _READ_CACHE:
            self._read.clear()
        read = tuple((w, self.stem(w)) for w in map(self._correct, self.respell((raw,))))
        self._read[raw] = read
        return read

    def tokens(self, text: str) -> list[Token]:
        tokens: list[Token] = []
        clause = 0
        read = self._read
        for s, (sentence, _) in enumerate(split(text)):   # faq.segment: the one clause splitter
            for part, _ in sentence:
                ws = words(part)
                if not ws:
                    continue
                for raw in ws:
                    for w, stem in read.get(raw) or self._read_word(raw):
                        tokens.append(Token(w, stem, s, clause))
                clause += 1
        return tokens


class PhraseSet:
    """Phrases, each tagged with values (concept names, a modifier...), matched longest first.

    The same phrase given under several values (a word that belongs to two concepts)
    is one match carrying all of them.
    """

    def __init__(self, entries: Iterable[tuple[Phrase, object]], gap_words: frozenset[str] = frozenset(),
                 max_gap: int = 2, prefer=lambda value: 0):
        """``prefer(value)``: between equally long phrases, the higher wins ("stopped breathing"
        as a concept over "has stopped" as a trigger)."""
        merged: dict[tuple[tuple[str, str], ...], tuple[Phrase, list]] = {}
        for phrase, value in entries:
            _, values = merged.setdefault(phrase.elements, (phrase, []))
            if value not in values:
                values.append(value)
        # Each phrase is filed under its rarest word (its anchor) with the set of words it needs:
        # a clause looks only at phrases anchored on its own words, and walks only those whose
        # words are all there ("not" starts dozens of phrases; "breathe" anchors a few).
        counts: dict[tuple[str, str], int] = {}
        for elements in merged:
            for element in set(elements):
                counts[element] = counts.get(element, 0) + 1
        self._by_anchor: dict[tuple[str, str], list[tuple[Phrase, tuple, frozenset, int]]] = {}
        for phrase, values in merged.values():
            anchor = min(phrase.elements, key=counts.__getitem__)
            priority = max(prefer(v) for v in values)
            self._by_anchor.setdefault(anchor, []).append(
                (phrase, tuple(values), frozenset(phrase.elements), priority))
        # The stems and exact words any phrase uses: other words of a message are not indexed.
        self._stems = frozenset(e[1] for elements in merged for e in elements if e[0] == "s")
        self._words = frozenset(e[1] for elements in merged for e in elements if e[0] == "w")
        self._gap_words = gap_words
        self._max_gap = max_gap
        self.size = len(merged)

    @staticmethod
    def _fits(element: tuple[str, str], token: Token) -> bool:
        return token.stem == element[1] if element[0] == "s" else token.word == element[1]

    def _match_at(self, phrase: Phrase, tokens: list[Token], i: int, taken: set[int]) -> tuple[int, ...] | None:
        positions = [i]
        for element in phrase.elements[1:]:
            j = positions[-1] + 1
            found = None
            for k in range(j, min(len(tokens), j + self._max_gap + 1)):
                t = tokens[k]
                if k in taken or t.clause != tokens[i].clause:
                    break
                if self._fits(element, t):
                    found = k
                    break
                if t.word not in self._gap_words and t.stem not in self._gap_words:
                    break
            if found is None:
                return None
            positions.append(found)
        return tuple(positions)

    def find(self, tokens: list[Token], taken: set[int]) -> list[tuple[Match, tuple]]:
        """Non-overlapping matches on tokens not yet taken, longest phrases first; marks them taken."""
        clauses: dict[int, dict[tuple[str, str], list[int]]] = {}   # clause -> word -> where it starts
        stems, exact = self._stems, self._words
        for i, t in enumerate(tokens):
            if i not in taken and (t.stem in stems or t.word in exact):
                at = clauses.setdefault(t.clause, {})
                if t.stem in stems:
                    at.setdefault(("s", t.stem), []).append(i)
                if t.word in exact:
                    at.setdefault(("w", t.word), []).append(i)
        candidates: list[tuple[tuple, Match, tuple]] = []
        for at in clauses.values():
            for element in list(at):
                for phrase, values, needs, priority in self._by_anchor.get(element, ()):
                    if not at.keys() >= needs:
                        continue
                    for i in at[phrase.elements[0]]:
                        positions = self._match_at(phrase, tokens, i, taken)
                        if positions:
                            key = (-len(positions), -priority, positions[-1] - positions[0], positions[0])
                            candidates.append((key, Match(phrase, positions), values))
        candidates.sort(key=lambda kmv: kmv[0])
        chosen: list[tuple[Match, tuple]] = []
        for _, match, values in candidates:
            if not any(p in taken for p in match.positions):
                chosen.append((match, values))
                taken.update(match.positions)
        chosen.sort(key=lambda mv: mv[0].start)
        return chosen


# -- reading the curated lists (one message style for every lexicon) -------------------
def phrase_list(raw: Any, where: str, problems: list[str]) -> list[str]:
    """A list of phrases, each on its own line; problems name the file, group and item."""
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: must be a non-empty list, one phrase a line")
        return []
    out, seen = [], set()
    for i, item in enumerate(raw, 1):
        if isinstance(item, bool):
            problems.append(f"{where} item {i}: YAML read a bare word as {str(item).lower()}; put it in quotes")
        elif not isinstance(item, (str, int, float)) or not words(str(item).replace("=", " ")):
            problems.append(f"{where} item {i}: empty or not text")
        elif str(item) in seen:
            problems.append(f"{where} item {i}: {item!r} is listed twice")
        else:
            seen.add(str(item))
            out.append(str(item))
    return out


def spellings_map(raw: Any, path: Path, problems: list[str],
                  chat: dict[str, str] | None = None) -> dict[str, tuple[str, ...]]:
    """A 'spellings' section: one word -> what it reads as (one or more words), after the chat
    spellings every reader shares (``chat``: language.yaml's chat_spellings, by default the bundled file's)."""
    if chat is None:
        chat = load_language().chat_spellings or {}
    shared = {k: (v,) for k, v in chat.items()}
    if raw is None:
        return shared
    if not isinstance(raw, dict):
        problems.append(f"{path}: section 'spellings': must map a word to what it reads as")
        return shared
    out: dict[str, tuple[str, ...]] = dict(shared)
    for key, value in raw.items():
        k, v = words(str(key)), words(str(value)) if value is not None else []
        if len(k) != 1 or not v or isinstance(value, bool) or isinstance(key, bool):
            problems.append(f"{path}: section 'spellings' entry {key!r}: one word, read as one or more words")
        elif k[0] in shared:
            problems.append(f"{path}: section 'spellings' entry {key!r}: a chat spelling, read from "
                            "language.yaml's chat_spellings; delete it here")
        else:
            out[k[0]] = tuple(v)
    return out
