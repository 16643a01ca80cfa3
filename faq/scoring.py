"""Score every target (FAQ entry or decline) by how well it explains a message.

A target's score (0-100) blends how much of the message's weight it explains, how much
of its best phrasing the message says, and rapidfuzz similarity of the two token lists.
A message token weighs its rarity across targets (idf) times its clause's weight (the
question counts more than its backstory). A target explains in full the tokens of the
phrasing being scored and the concepts it is `about`, tokens of its other phrasings
in part and tokens of its answer less. Each `about` concept also counts as a phrasing
of one token, so "the runs?" is said in full. Best-first search with score bounds
keeps a 10 000-entry knowledge base fast.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

_PHRASING_COVER = 0.25
_SIMILARITY = 0.15
_ANSWER_WORD_FACTOR = 0.5
_OTHER_PHRASING_FACTOR = 0.9
# In a very large knowledge base a common word can reach thousands of entries with
# near-equal bounds; past this many phrasings the rest are left unscored (best-first
# order makes them the least likely). The real knowledge base never comes near it.
_MOST_PHRASINGS_SCORED = 600
# A token reaching more than this share of targets (and at least this many) is common: it
# does not by itself bring targets into the running. The real knowledge base has none.
_COMMON_SHARE = 0.02
_COMMON_AT_LEAST = 100
_UNKNOWN_FACTOR = 0.5


@dataclass(frozen=True)
class Target:
    id: str
    topic: str
    decline: bool                          # a topic the source does not cover
    phrasings: tuple[tuple[str, ...], ...]  # tokens of each phrasing (empty: names only the disease)
    about: tuple[str, ...]                 # concept tokens it answers
    answer: frozenset[str] = frozenset()   # tokens of its answer text


@dataclass(frozen=True)
class _Phrasing:
    target: int
    tokens: frozenset[str]
    weight: float
    sorted_text: str


class Scorer:
    def __init__(self, targets: list[Target]):
        self.targets = targets
        n = len(targets)
        phrasing_tokens = [[frozenset(p) for p in t.phrasings if p] + [frozenset([a]) for a in t.about]
                           for t in targets]
        self.default_targets = [i for i, t in enumerate(targets) if any(not p for p in t.phrasings)]
        df: dict[str, int] = defaultdict(int)
        for i, t in enumerate(targets):
            for tok in set().union(t.answer, t.about, *phrasing_tokens[i]):
                df[tok] += 1
        self._idf = {tok: math.log(1 + n / count) for tok, count in df.items()}
        # A token no target knows weighs half a typical one: it may be what the question is about,
        # or one of the many words of a story ("spiralling", "horror stories").
        self._unknown_weight = _UNKNOWN_FACTOR * sorted(self._idf.values())[len(self._idf) // 2] if self._idf else 1.0
        self._phrasings: list[_Phrasing] = []
        self._target_phrasings: list[list[int]] = [[] for _ in range(n)]
        for i, token_sets in enumerate(phrasing_tokens):
            for toks in dict.fromkeys(token_sets):
                self._target_phrasings[i].append(len(self._phrasings))
                self._phrasings.append(_Phrasing(i, toks, sum(self._idf[t] for t in toks), " ".join(sorted(toks))))
        self._asked = [frozenset(targets[i].about).union(*phrasing_tokens[i]) for i in range(n)]
        self._answer = [t.answer for t in targets]
        # token -> (target, most it adds to explained weight, most it adds to a phrasing's cover)
        postings: dict[str, list[tuple[int, float, float]]] = defaultdict(list)
        for i in range(n):
            for tok in self._asked[i] | self._answer[i]:
                asked = tok in self._asked[i]
                cover = max((self._idf[tok] / self._phrasings[p].weight for p in self._target_phrasings[i]
                             if tok in self._phrasings[p].tokens), default=0.0)
                postings[tok].append((i, (1.0 if asked else _ANSWER_WORD_FACTOR) * self._idf[tok], cover))
        self._postings = dict(postings)
        self._common_df = max(_COMMON_AT_LEAST, int(n * _COMMON_SHARE))
        # Shortest and longest token list of each target: rapidfuzz's ratio of two strings is at
        # most 2*shorter/(sum of lengths), which bounds the similarity term.
        self._lengths = [(min((len(self._phrasings[p].sorted_text) for p in ps), default=0),
                          max((len(self._phrasings[p].sorted_text) for p in ps), default=0))
                         for ps in self._target_phrasings]

    def knows(self, token: str) -> bool:
        return token in self._idf

    def weight(self, token: str) -> float:
        return self._idf.get(token, self._unknown_weight)

    def _explained(self, p: int, query: dict[str, float]) -> tuple[float, float]:
        """(weight of the message explained, weight of phrasing p's own tokens said) for phrasing p."""
        ph = self._phrasings[p]
        asked, answered = self._asked[ph.target], self._answer[ph.target]
        about = self.targets[ph.target].about
        direct = explained = 0.0
        for t, w in query.items():
            if t in ph.tokens:
                direct += w * self._idf[t]
            elif t in about:
                explained += w * self._idf[t]
            elif t in asked:
                explained += w * _OTHER_PHRASING_FACTOR * self._idf[t]
            elif t in answered:
                explained += w * _ANSWER_WORD_FACTOR * self._idf[t]
        return direct + explained, direct

    def score(self, query: dict[str, float], keep: int) -> dict[int, float]:
        """Scores of at least the ``keep`` best targets for ``query`` (token -> clause weight)."""
        q_weight = sum(self.weight(t) * w for t, w in query.items())
        if not q_weight:
            return {}
        bound, cover_bound = self._bounds(query)
        if not bound:
            return {}
        top = max(query.values())
        focus_text = " ".join(sorted(t for t, w in query.items() if w >= top))
        partial = self._best_first(query, bound, cover_bound, keep, q_weight, len(focus_text))
        return self._with_similarity(focus_text, partial)

    def _bounds(self, query: dict[str, float]) -> tuple[dict[int, float], dict[int, float]]:
        """The targets in the running, each with the most the message's tokens can add to its
        explained weight and to a phrasing's cover."""
        bound: dict[int, float] = defaultdict(float)
        cover_bound: dict[int, float] = defaultdict(float)
        # In a large knowledge base a token shared by thousands of targets weighs little and
        # only adds to targets a rarer token reaches anyway: reach candidates through the rare
        # tokens (all of them when the message has none), then score every token.
        rare = [t for t in query if len(self._postings.get(t, ())) <= self._common_df]
        for t in rare or query:
            w = query[t]
            for target, most, cover in self._postings.get(t, ()):
                bound[target] += w * most
                cover_bound[target] += w * cover
        if rare:
            for t in query.keys() - set(rare):  # tighten the bounds of the targets already reached
                w = query[t]
                for target, most, cover in self._postings.get(t, ()):
                    if target in bound:
                        bound[target] += w * most
                        cover_bound[target] += w * cover
        return bound, cover_bound

    def _best_first(self, query: dict[str, float], bound: dict[int, float], cover_bound: dict[int, float],
                    keep: int, q_weight: float, q_len: int) -> dict[int, float]:
        """Phrasing -> its score without the similarity term, for the targets whose bound can
        still reach the ``keep`` best."""
        explained_scale = 100 * (1 - _PHRASING_COVER - _SIMILARITY) / q_weight
        cover_scale, fuzzy_scale = 100 * _PHRASING_COVER, 100 * _SIMILARITY

        def most_similar(target: int) -> float:
            shortest, longest = self._lengths[target]
            nearest = min(max(q_len, shortest), longest)
            return 2 * min(q_len, nearest) / (q_len + nearest) if nearest else 0.0

        heap = [(-(explained_scale * b + fuzzy_scale * most_similar(e) + cover_scale * min(1.0, cover_bound[e])), e)
                for e, b in bound.items()]
        heapq.heapify(heap)
        # Best first: once a target's bound is below the keep-th best score so far, so is every
        # later one's, so a large knowledge base costs little more than a small one.
        partial: dict[int, float] = {}
        floor: list[float] = []
        while heap and len(partial) < _MOST_PHRASINGS_SCORED:
            neg_bound, target = heapq.heappop(heap)
            if len(floor) >= keep and -neg_bound < floor[0]:
                break
            best = 0.0
            for p in self._target_phrasings[target]:
                explained, direct = self._explained(p, query)
                partial[p] = explained_scale * explained + cover_scale * min(1.0, direct / self._phrasings[p].weight)
                best = max(best, partial[p])
            if len(floor) < keep:
                heapq.heappush(floor, best)
            elif best > floor[0]:
                heapq.heapreplace(floor, best)
        return partial

    def _with_similarity(self, focus_text: str, partial: dict[int, float]) -> dict[int, float]:
        """Target -> its best phrasing's score, the rapidfuzz similarity to ``focus_text`` added."""
        fuzzy_scale = 100 * _SIMILARITY
        phrasings = list(partial)
        similarity = process.extract(
            focus_text, [self._phrasings[p].sorted_text for p in phrasings],
            scorer=fuzz.ratio, processor=None, limit=None, score_cutoff=1,
        )
        scores: dict[int, float] = {}
        for _, ratio, idx in similarity:
            p = phrasings[idx]
            target = self._phrasings[p].target
            scores[target] = max(scores.get(target, 0.0), partial[p] + fuzzy_scale * ratio / 100)
        for p in phrasings:  # rapidfuzz leaves out pairs with nothing in common
            target = self._phrasings[p].target
            scores[target] = max(scores.get(target, 0.0), partial[p])
        return scores
