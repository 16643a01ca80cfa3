"""Text normalisation every reader of patients' words shares: Unicode clean-up, words,
and one typo corrector (the matcher uses it; bot/safety.py can use it with its own vocabulary)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

# Curly quotes, dashes and the like that NFKC leaves alone.
_PUNCT_MAP = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_ABBREVIATION_PAST = re.compile(r"d'd$")


def clean_text(text: str) -> str:
    """Unicode clean-up every comparison goes through: NFKC, case, accents, quotes."""
    if text.isascii():  # most messages: nothing to normalise but case and backticks, much faster
        return text.translate(_PUNCT_MAP).lower()
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT_MAP).casefold()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return text


def words(text: str) -> list[str]:
    """Lowercase words of ``text``; apostrophes inside words are dropped ("what's" -> "whats"), and "'d" after a
    "d" is an abbreviation made a verb, never a contraction ("OD'd" -> "oded", as "OD'ed"; not "odd")."""
    return [_ABBREVIATION_PAST.sub("ded", w).replace("'", "") for w in _WORD_RE.findall(clean_text(text))]


class Corrector:
    """Corrects a misspelt word to the closest word of a vocabulary (OSA distance: a swap of
    two letters is one edit), or leaves it alone.

    Words shorter than ``min_length`` are never corrected: too many real words sit one edit
    from each other. Words of ``long_word`` letters or more may be two edits away.
    ``targets`` (default: the vocabulary) are the words a typo may be corrected to.
    ``plausible(word, target)``, if given, must accept a correction of a word shorter than
    ``long_word`` (the safety net accepts only slips between neighbouring keys).
    """

    def __init__(self, vocabulary: Iterable[str], targets: Iterable[str] | None = None, *,
                 min_length: int = 4, long_word: int = 8, cache_size: int = 8192,
                 plausible: Callable[[str, str], bool] | None = None):
        self.vocabulary = frozenset(vocabulary)
        # An inflection of a known word ("finds" beside "find") is not a typo of another word ("kinds").
        self._stems = frozenset(stem(w) for w in self.vocabulary)
        self._targets = sorted({w for w in (self.vocabulary if targets is None else targets) if w.isalpha()})
        self._min_length = min_length
        self._long_word = long_word
        self._plausible = plausible
        # A word k edits away differs in length by at most k: only targets of a near length are
        # compared (kept in alphabetical order, so ties fall as they would over all targets).
        self._near_length: dict[tuple[int, int], list[str]] = {}
        self.correct = lru_cache(maxsize=cache_size)(self._correct)

    def _targets_near(self, length: int, limit: int) -> list[str]:
        key = (length, limit)
        if key not in self._near_length:
            self._near_length[key] = [w for w in self._targets if abs(len(w) - length) <= limit]
        return self._near_length[key]

    def _correct(self, word: str) -> str:
        if word in self.vocabulary or len(word) < self._min_length or not word.isalpha() or stem(word) in self._stems:
            return word
        limit = 2 if len(word) >= self._long_word else 1
        found = process.extract(word, self._targets_near(len(word), limit), scorer=OSA.distance,
                                score_cutoff=limit, limit=8)
        if limit == 1 and self._plausible is not None:
            found = [f for f in found if self._plausible(word, f[0])]
        if not found:
            return word
        # Closest first; then one that keeps the first letter (typos rarely change it), then one
        # the word is with a letter dropped (the commonest phone typo: "suport", "comon", "spred"),
        # then the closest length; the word itself breaks the last tie, so it is stable.
        best = min(found, key=lambda f: (f[1], f[0][0] != word[0], not _drops_a_letter(word, f[0]),
                                         abs(len(f[0]) - len(word)), f[0]))
        if best[1] > 1 and best[0][0] != word[0]:
            return word  # two edits and another first letter: a word we do not know ("bleeding"), not a typo
        return best[0]


def _drops_a_letter(typo: str, word: str) -> bool:
    """ ``typo`` is ``word`` with one letter left out."""
    return len(word) == len(typo) + 1 and any(word[:i] + word[i + 1:] == typo for i in range(len(word)))


_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_AT = {ch: (r, c) for r, row in enumerate(_KEYBOARD) for c, ch in enumerate(row)}


def plausible_slip(word: str, target: str) -> bool:
    """One letter swapped for another is a typo only between neighbouring keys ("chezt" is
    "chest"); otherwise it is usually another real word ("acting" is not "aching")."""
    if len(word) != len(target):
        return True   # a letter left out, added or two swapped
    diffs = [(a, b) for a, b in zip(word, target) if a != b]
    if len(diffs) != 1:
        return True
    (a, b), = diffs
    if a not in _KEY_AT or b not in _KEY_AT:
        return False
    (ra, ca), (rb, cb) = _KEY_AT[a], _KEY_AT[b]
    if ra == rb:
        return abs(ca - cb) == 1
    # Each row sits half a key to the right of the one above: t's neighbours below are f and g.
    return (rb == ra + 1 and cb in (ca - 1, ca)) or (rb == ra - 1 and cb in (ca, ca + 1))


_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem of one lowercase word: "flushes", "flushed", "flushing" -> "flush"."""
    return _STEMMER.stemWord(word)
