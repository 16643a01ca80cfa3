"""Spot emergencies and crises before anything else (bot/data/safety.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from faq.language import words
from faq.yamlfile import DataFileError, read_mapping

DEFAULT_SAFETY_PATH = Path(__file__).resolve().parent / "data" / "safety.yaml"
CATEGORIES = ("emergency", "crisis")
_POSSESSIVES = {"my": "the", "your": "the", "his": "the", "her": "the", "their": "the", "our": "the"}
_MIN_TYPO_LEN = 4  # shorter than the matcher: a false alarm is cheaper than a miss


@dataclass(frozen=True)
class SafetyHit:
    category: str   # "emergency" or "crisis"
    phrase: str


class SafetyCheck:
    def __init__(self, phrases: dict[str, list[str]]):
        self._stemmer = snowballstemmer.stemmer("english")
        self._phrases: list[tuple[tuple[str, ...], str, str]] = []
        vocab: set[str] = set()
        for category in CATEGORIES:
            for phrase in phrases.get(category, []):
                ws = [_POSSESSIVES.get(w, w) for w in words(phrase)]
                vocab.update(ws)
                self._phrases.append((tuple(self._stem(w) for w in ws), category, phrase))
        # Crisis first: a message with both gets the crisis line as well as the emergency number.
        self._phrases.sort(key=lambda p: p[1] != "crisis")
        self._vocab = sorted(w for w in vocab if w.isalpha() and len(w) >= _MIN_TYPO_LEN - 1)
        self._vocab_set = frozenset(vocab)

    @lru_cache(maxsize=4096)
    def _stem(self, word: str) -> str:
        return self._stemmer.stemWord(word)

    @lru_cache(maxsize=4096)
    def _correct(self, word: str) -> str:
        # "chest pian", "suicdal": a patient in distress types fast.
        if word in self._vocab_set or len(word) < _MIN_TYPO_LEN or not word.isalpha():
            return word
        found = process.extractOne(word, self._vocab, scorer=OSA.distance, score_cutoff=1)
        return found[0] if found else word

    def check(self, text: str) -> SafetyHit | None:
        stems = [self._stem(self._correct(_POSSESSIVES.get(w, w))) for w in words(text)]
        if not stems:
            return None
        joined = f" {' '.join(stems)} "
        for phrase_stems, category, phrase in self._phrases:
            if f" {' '.join(phrase_stems)} " in joined:
                return SafetyHit(category, phrase)
        return None


def load_safety(path: str | Path = DEFAULT_SAFETY_PATH) -> SafetyCheck:
    path = Path(path)
    raw, problems = read_mapping(path, CATEGORIES, what="category")
    phrases: dict[str, list[str]] = {}
    for category in CATEGORIES:
        items = raw.get(category)
        if not isinstance(items, list) or not items:
            problems.append(f"{path}: field '{category}': must be a non-empty list of phrases")
            continue
        phrases[category] = []
        for i, item in enumerate(items, 1):
            if isinstance(item, bool) or not isinstance(item, (str, int)) or not words(str(item)):
                problems.append(f"{path}: field '{category}' item {i}: empty or not text (quote yes/no/on/off)")
            else:
                phrases[category].append(str(item))
    if problems:
        raise DataFileError(problems)
    return SafetyCheck(phrases)
