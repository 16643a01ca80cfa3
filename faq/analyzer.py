"""Turn a message into the content words the matcher compares, plus what it says about scope.

Pipeline: Unicode clean-up -> words -> spellings -> drop scene-setting phrases -> typo
correction against the known vocabulary -> phrase synonyms and cue phrases (longest
first) -> drop stop words and disease words -> Snowball stems.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import re

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from faq.language import Language, words

# A typo is corrected only when it is this close to a known word (OSA distance counts a
# swap of two letters as one edit). Short words are left alone: too many real words
# sit one edit from each other ("fishing" is two from "flushing").
_MIN_TYPO_LEN = 4
# "NET" or "NETs" in capitals is the disease; "net" alone may be a fishing net.
_CAPITAL_NET = re.compile(r"\bNET[sS]?\b")
_CANCER = frozenset({"cancer", "cancers"})
_TUMOR = frozenset({"tumor", "tumors", "tumour", "tumours"})
# Pasted or typed markup ("<b>what</b>") is not part of the question.
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,40}>")
_LONG_WORD = 8
_LONG_STOP_WORD = 6


def _max_edits(word: str) -> int:
    return 2 if len(word) >= _LONG_WORD else 1


@dataclass(frozen=True)
class Analysis:
    tokens: tuple[str, ...]          # stemmed content words, in order, without repeats
    about_nets: bool                 # clearly names NETs ("neuroendocrine", "NET", "net tumor")
    names_net: bool                  # says "net" or a specific word, even if it may be a fishing net
    disease: bool                    # names a disease at all ("tumor", "cancer", "net" included)
    foreign: tuple[str, ...]         # other conditions named ("diabetes", "breast cancer")
    uncovered: str | None            # a topic the source does not cover, if one is named


class Analyzer:
    def __init__(self, language: Language, known_words: set[str]):
        self.language = language
        self._stemmer = snowballstemmer.stemmer("english")
        self.faq_words = frozenset(known_words)
        self.vocabulary = frozenset(language.surface_vocabulary() | known_words)
        # Typos are corrected towards words that carry meaning, and towards long stop words
        # ("diffrent"); a short unknown word is more likely a word we do not know ("cast")
        # than a misspelt "can't".
        self._typo_choices = sorted(w for w in self.vocabulary if w.isalpha() and len(w) >= _MIN_TYPO_LEN
                                    and (w not in language.stop_words or len(w) >= _LONG_STOP_WORD))
        self._phrase_len = language.longest_phrase
        self.correct = lru_cache(maxsize=8192)(self._correct)
        self.stem = lru_cache(maxsize=8192)(self._stemmer.stemWord)
        # Stop words match in any inflection ("needing" as well as "need").
        self._stop_stems = frozenset(self.stem(w) for w in language.stop_words)

    def _correct(self, word: str) -> str:
        if word in self.vocabulary or len(word) < _MIN_TYPO_LEN or not word.isalpha():
            return word
        limit = _max_edits(word)
        found = process.extract(word, self._typo_choices, scorer=OSA.distance, score_cutoff=limit, limit=8)
        if not found:
            return word
        # Closest first; then one that keeps the first letter (typos rarely change it),
        # then the closest length; the word itself breaks the last tie, so it is stable.
        best = min(found, key=lambda f: (f[1], f[0][0] != word[0], abs(len(f[0]) - len(word)), f[0]))
        return best[0]

    def _longest_phrase(self, ws: list[str], i: int, *tables) -> tuple[tuple[str, ...], int] | None:
        """The longest phrase starting at ws[i] found in one of ``tables`` (earlier tables win a
        tie of length), as (phrase, index of its table); None if there is none."""
        for n in range(min(self._phrase_len, len(ws) - i), 0, -1):
            key = tuple(ws[i:i + n])
            for t, table in enumerate(tables):
                if key in table:
                    return key, t
        return None

    def _drop_ignored(self, ws: list[str]) -> list[str]:
        out, i = [], 0
        while i < len(ws):
            found = self._longest_phrase(ws, i, self.language.ignore_phrases)
            if found:
                i += len(found[0])
            else:
                out.append(ws[i])
                i += 1
        return out

    def _add_negated_meanings(self, ws: list[str]) -> list[str]:
        """ "don't have any symptoms" -> also "silent": the words after a negation change meaning."""
        lang = self.language
        meanings = lang.negated_meanings or {}
        if not meanings or not lang.negators:
            return ws
        extra = []
        for i, w in enumerate(ws):
            if w in lang.negators:
                extra += [meanings[n] for n in ws[i + 1: i + 1 + lang.negation_window] if n in meanings]
        return ws + extra

    def analyze(self, text: str) -> Analysis:
        lang = self.language
        text = _TAG.sub(" ", text)
        capital_net = bool(_CAPITAL_NET.search(text))
        raw = self._drop_ignored([lang.spellings.get(w, w) for w in words(text)])
        raw = [lang.spellings.get(c, c) for c in map(self.correct, raw)]

        foreign: list[str] = []
        for i, w in enumerate(raw[1:], 1):
            prev = raw[i - 1]
            if w in _CANCER and (prev in lang.cancer_sites or prev not in self.vocabulary):
                foreign.append(f"{prev} {w}")
            elif w in _TUMOR and prev in lang.cancer_sites and prev not in self.faq_words:
                foreign.append(f"{prev} {w}")

        out: list[str] = []
        uncovered: str | None = None
        i = 0
        while i < len(raw):
            found = self._longest_phrase(raw, i, lang.uncovered, lang.synonyms)
            if found is None:
                out.append(raw[i])
                i += 1
                continue
            key, table = found
            if table == 0:
                uncovered = uncovered or lang.uncovered[key]
                out.extend(key)
            else:
                out.extend(lang.synonyms[key])
            i += len(key)

        out = self._add_negated_meanings(out)
        tokens: list[str] = []
        named_types: list[str] = []
        specific = ambiguous = general = False
        for w in out:
            if w in lang.specific_disease_words:
                specific = True
                if w in lang.named_types:
                    named_types.append(w)
                continue
            if w in lang.ambiguous_disease_words:
                ambiguous = True
                continue
            if w in lang.general_disease_words:
                general = True
                continue
            if w in lang.stop_words or w in lang.negators:  # a negation has done its work above
                continue
            if w in lang.other_conditions:
                foreign.append(w)
            stem = self.stem(w)
            if stem in self._stop_stems:
                continue
            if stem not in tokens:
                tokens.append(stem)
        if not tokens:  # "what is a carcinoid?" asks about that kind of NET
            tokens = list(dict.fromkeys(self.stem(w) for w in named_types))
        about_nets = specific or (ambiguous and (capital_net or general))
        return Analysis(tuple(tokens), about_nets, specific or ambiguous, specific or ambiguous or general,
                        tuple(foreign), uncovered)
