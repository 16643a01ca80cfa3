"""Map a patient's message to an FAQ entry, or ask, or decline.

Each entry is scored by how much of the message's meaning one of its phrasings
explains (content words weighted by rarity across entries; words of the entry's
other phrasings and answer count less), how much of that phrasing the message
says, and rapidfuzz similarity of the two word lists. Words naming the disease
never count, so what the question asks about decides. Rules around the score
decline what the source does not cover before any score is looked at.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass
from enum import Enum

from rapidfuzz import fuzz, process

from faq.analyzer import Analysis, Analyzer
from faq.language import Language, load_language, words
from faq.model import KnowledgeBase

# An entry's score (0-100) blends how much of the question the entry explains (the
# rest of the weight), how much of its best phrasing the question covers, and the
# rapidfuzz similarity of the two word lists. Words only in its other phrasings or
# in its answer count less.
_PHRASING_COVER = 0.25
_SIMILARITY = 0.15
_ANSWER_WORD_FACTOR = 0.5
_OTHER_PHRASING_FACTOR = 0.9
# In a very large knowledge base a common word can reach thousands of entries with
# near-equal bounds; past this many phrasings the rest are left unscored (best-first
# order makes them the least likely). The real knowledge base never comes near it.
_MOST_PHRASINGS_SCORED = 3000


def bounded(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text``, cut at a word boundary so no half word is matched."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit].isspace() or not cut.strip() or " " not in cut.strip():
        return cut
    return cut.rsplit(None, 1)[0]


class Outcome(str, Enum):
    ANSWER = "answer"
    CLARIFY = "clarify"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class MatcherSettings:
    answer_threshold: float = 70.0    # score at or above which the best entry is the answer...
    margin: float = 8.0               # ...if it leads the next entry by at least this much,
    lone_answer_threshold: float = 60.0  # or a lower score is enough...
    lone_margin: float = 15.0         # ...when no other entry comes within this much.
    # A question that names no disease at all ("why am I always tired?") may not be about
    # NETs: it needs at least this score to be answered.
    unnamed_answer_threshold: float = 78.0
    clarify_threshold: float = 45.0   # below this nothing is close: fallback
    max_suggestions: int = 3
    max_input_chars: int = 1000       # only this much of a message is matched

    def problems(self) -> list[str]:
        out = []
        for name in ("answer_threshold", "clarify_threshold", "margin", "lone_answer_threshold", "lone_margin",
                     "unnamed_answer_threshold"):
            value = getattr(self, name)
            if not 0 <= value <= 100:
                out.append(f"{name}: must be between 0 and 100 (got {value:g})")
        if self.clarify_threshold > self.answer_threshold:
            out.append("clarify_threshold: must not be above answer_threshold")
        if not self.clarify_threshold <= self.lone_answer_threshold <= self.answer_threshold:
            out.append("lone_answer_threshold: must lie between clarify_threshold and answer_threshold")
        if not 1 <= self.max_suggestions <= 5:
            out.append(f"max_suggestions: must be between 1 and 5 (got {self.max_suggestions})")
        if not 20 <= self.max_input_chars <= 100_000:
            out.append(f"max_input_chars: must be between 20 and 100000 (got {self.max_input_chars})")
        return out


@dataclass(frozen=True)
class Candidate:
    entry_id: str
    topic: str
    score: float


@dataclass(frozen=True)
class MatchResult:
    outcome: Outcome
    entry_id: str | None
    score: float
    candidates: tuple[Candidate, ...]
    reason: str                       # why this outcome, for curators and eval output
    uncovered_topic: str | None = None


@dataclass(frozen=True)
class _Phrasing:
    entry: int
    tokens: frozenset[str]
    weight: float
    sorted_text: str


class Matcher:
    def __init__(self, kb: KnowledgeBase, language: Language | None = None,
                 settings: MatcherSettings | None = None):
        self.kb = kb
        self.settings = settings or MatcherSettings()
        language = language or load_language()
        known: set[str] = set()
        for entry in kb.entries:
            for text in (*entry.questions, entry.answer, entry.topic):
                known.update(words(text))
        self.analyzer = Analyzer(language, known)
        self._prepare()

    def _prepare(self) -> None:
        entries = self.kb.entries
        phrasing_tokens: list[list[frozenset[str]]] = []
        answer_tokens: list[frozenset[str]] = []
        self._default_entries: list[int] = []
        for i, entry in enumerate(entries):
            analyzed = [self.analyzer.analyze(q).tokens for q in entry.questions]
            if any(not t for t in analyzed):
                self._default_entries.append(i)  # "What is a NET?": nothing but the disease
            phrasing_tokens.append([frozenset(t) for t in analyzed if t])
            answer_tokens.append(frozenset(self.analyzer.analyze(f"{entry.topic} {entry.answer}").tokens))

        df: dict[str, int] = defaultdict(int)
        for i in range(len(entries)):
            for tok in set().union(answer_tokens[i], *phrasing_tokens[i]):
                df[tok] += 1
        n = len(entries)
        self._idf = {tok: math.log(1 + n / count) for tok, count in df.items()}
        # A word no entry knows weighs like a typical entry word: it is what the question is about.
        self._unknown_weight = sorted(self._idf.values())[len(self._idf) // 2] if self._idf else 1.0

        self._phrasings: list[_Phrasing] = []
        self._answer_tokens = answer_tokens
        self._entry_phrasings: list[list[int]] = [[] for _ in range(n)]
        for i, token_sets in enumerate(phrasing_tokens):
            for toks in token_sets:
                self._entry_phrasings[i].append(len(self._phrasings))
                self._phrasings.append(_Phrasing(i, toks, sum(self._idf[t] for t in toks), " ".join(sorted(toks))))
        self._entry_words = [frozenset().union(*phrasing_tokens[i]) for i in range(n)]
        # token -> (entry, most it adds to the entry's explained weight, most it adds to a
        # phrasing's cover): what the best-first search bounds scores with.
        postings: dict[str, list[tuple[int, float, float]]] = defaultdict(list)
        for i in range(n):
            for tok in self._entry_words[i] | answer_tokens[i]:
                asked = tok in self._entry_words[i]
                cover = max((self._idf[tok] / self._phrasings[p].weight for p in self._entry_phrasings[i]
                             if tok in self._phrasings[p].tokens), default=0.0)
                postings[tok].append((i, (1.0 if asked else _ANSWER_WORD_FACTOR) * self._idf[tok], cover))
        self._postings = dict(postings)
        # Shortest and longest word list of each entry: rapidfuzz's ratio of two strings is at
        # most 2*shorter/(sum of lengths), which bounds the similarity term.
        self._lengths = [(min((len(self._phrasings[p].sorted_text) for p in ps), default=0),
                          max((len(self._phrasings[p].sorted_text) for p in ps), default=0))
                         for ps in self._entry_phrasings]

    def problems(self) -> list[str]:
        """Knowledge-base problems only the matcher can see, worded for curators."""
        out = []
        if len(self._default_entries) > 1:
            ids = ", ".join(self.kb.entries[i].id for i in self._default_entries)
            out.append(f"entries {ids}: each has a phrasing with no words beyond the disease's name "
                       "(like 'What is a NET?'); only one entry may, so such a question has one answer")
        return out

    # -- scoring -------------------------------------------------------------
    def _weight(self, token: str) -> float:
        return self._idf.get(token, self._unknown_weight)

    def _explained(self, p: int, query: tuple[str, ...]) -> tuple[float, float]:
        """(weight of the question explained, weight of phrasing p's own words said) for phrasing p.

        A phrasing explains the question's words it contains in full, words of its entry's
        other phrasings in part and words of the entry's answer less.
        """
        ph = self._phrasings[p]
        asked, answered = self._entry_words[ph.entry], self._answer_tokens[ph.entry]
        direct = explained = 0.0
        for t in query:
            if t in ph.tokens:
                direct += self._idf[t]
            elif t in asked:
                explained += _OTHER_PHRASING_FACTOR * self._idf[t]
            elif t in answered:
                explained += _ANSWER_WORD_FACTOR * self._idf[t]
        return direct + explained, direct

    def _score_entries(self, analysis: Analysis, keep: int) -> dict[int, float]:
        """Scores of at least the ``keep`` best entries (exactly those, and any tied with them)."""
        query = analysis.tokens
        q_weight = sum(self._weight(t) for t in query)
        explained_scale = 100 * (1 - _PHRASING_COVER - _SIMILARITY) / q_weight
        cover_scale, fuzzy_scale = 100 * _PHRASING_COVER, 100 * _SIMILARITY
        # Upper bound of each reachable entry's score: all it could explain, a phrasing fully
        # said if the question shares a word with one, and perfect similarity.
        bound: dict[int, float] = defaultdict(float)
        cover_bound: dict[int, float] = defaultdict(float)
        for t in query:
            for entry, most, cover in self._postings.get(t, ()):
                bound[entry] += most
                cover_bound[entry] += cover
        if not bound:
            return {}
        q_len = len(" ".join(sorted(query)))

        def most_similar(entry: int) -> float:
            shortest, longest = self._lengths[entry]
            nearest = min(max(q_len, shortest), longest)
            return 2 * min(q_len, nearest) / (q_len + nearest) if nearest else 0.0

        heap = [(-(explained_scale * b + fuzzy_scale * most_similar(e) + cover_scale * min(1.0, cover_bound[e])), e)
                for e, b in bound.items()]
        heapq.heapify(heap)

        # Best first: once an entry's bound is below the keep-th best score so far, so is every
        # later one's, so a large knowledge base costs little more than a small one.
        partial: dict[int, float] = {}      # without the similarity term, per phrasing
        floor: list[float] = []             # the keep best lower bounds, as a min-heap
        while heap and len(partial) < _MOST_PHRASINGS_SCORED:
            neg_bound, entry = heapq.heappop(heap)
            if len(floor) >= keep and -neg_bound < floor[0]:
                break
            best = 0.0
            for p in self._entry_phrasings[entry]:
                explained, direct = self._explained(p, query)
                partial[p] = explained_scale * explained + cover_scale * direct / self._phrasings[p].weight
                best = max(best, partial[p])
            if len(floor) < keep:
                heapq.heappush(floor, best)
            elif best > floor[0]:
                heapq.heapreplace(floor, best)

        # Similarity of the word lists for the phrasings still in the running, in one call.
        phrasings = list(partial)
        similarity = process.extract(
            " ".join(sorted(query)), [self._phrasings[p].sorted_text for p in phrasings],
            scorer=fuzz.ratio, processor=None, limit=None, score_cutoff=0,
        )
        scores: dict[int, float] = {}
        for _, ratio, idx in similarity:
            p = phrasings[idx]
            entry = self._phrasings[p].entry
            scores[entry] = max(scores.get(entry, 0.0), partial[p] + fuzzy_scale * ratio / 100)
        for p in phrasings:  # rapidfuzz leaves out pairs with nothing in common
            scores.setdefault(self._phrasings[p].entry, partial[p])
        return scores

    def _ranked(self, scores: dict[int, float]) -> list[Candidate]:
        # Highest score first; the knowledge base's order breaks ties, so results are stable.
        order = sorted(scores, key=lambda i: (-round(scores[i], 6), i))
        entries = self.kb.entries
        return [Candidate(entries[i].id, entries[i].topic, round(scores[i], 1)) for i in order]

    def _about_nets_but_unclear(self) -> MatchResult:
        """Names NETs, but nothing else we know: decline, offering the overview and first topics."""
        picks = list(dict.fromkeys([*self._default_entries, *range(len(self.kb.entries))]))
        ranked = [Candidate(self.kb.entries[i].id, self.kb.entries[i].topic, 0.0)
                  for i in picks[: self.settings.max_suggestions]]
        return self._fallback("names NETs, nothing else known", ranked)

    def _fallback(self, reason: str, ranked: list[Candidate] = (), uncovered: str | None = None) -> MatchResult:
        score = ranked[0].score if ranked else 0.0
        return MatchResult(Outcome.FALLBACK, None, score, tuple(ranked[: self.settings.max_suggestions]),
                           reason, uncovered)

    # -- the decision --------------------------------------------------------
    def match(self, text: str) -> MatchResult:
        s = self.settings
        analysis = self.analyzer.analyze(bounded(text, s.max_input_chars))
        if analysis.uncovered:
            return self._fallback(f"uncovered topic: {analysis.uncovered}", uncovered=analysis.uncovered)
        if analysis.foreign:
            return self._fallback(f"about something else: {', '.join(analysis.foreign)}")
        if not analysis.tokens:
            # Only the disease's name: "what is a NET?" has one answer; "what is cancer?" gets
            # asked whether it meant NETs.
            if analysis.disease and self._default_entries:
                ranked = [Candidate(self.kb.entries[i].id, self.kb.entries[i].topic, 100.0)
                          for i in self._default_entries]
                if len(ranked) == 1 and analysis.names_net:
                    return MatchResult(Outcome.ANSWER, ranked[0].entry_id, 100.0, tuple(ranked), "names NETs only")
                return MatchResult(Outcome.CLARIFY, None, 100.0, tuple(ranked[: s.max_suggestions]),
                                   "names a disease only")
            return self._fallback("no words to match")

        known = [t for t in analysis.tokens if t in self._idf]
        if not known:
            if analysis.about_nets and self._default_entries:
                return self._about_nets_but_unclear()
            return self._fallback("no known words")
        unknown_share = 1 - sum(self._weight(t) for t in known) / sum(self._weight(t) for t in analysis.tokens)
        if unknown_share >= 0.5 and not analysis.about_nets:
            return self._fallback(f"mostly unknown words ({unknown_share:.0%})")
        # A word the source never uses, in a question that does not name NETs, may be
        # what the question is really about ("what causes a sore throat"): ask, never answer.
        may_answer = analysis.about_nets or unknown_share == 0

        ranked = self._ranked(self._score_entries(analysis, keep=s.max_suggestions + 1))
        if not ranked:
            return self._fallback("no entry shares a word")
        best = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        lead = best.score - runner_up
        if not analysis.disease and best.score < s.unnamed_answer_threshold:
            may_answer = False
        if may_answer and ((best.score >= s.answer_threshold and lead >= s.margin) or (
                best.score >= s.lone_answer_threshold and lead >= s.lone_margin)):
            return MatchResult(Outcome.ANSWER, best.entry_id, best.score, tuple(ranked[: s.max_suggestions]),
                               "confident")
        if best.score >= s.clarify_threshold:
            close = [c for c in ranked[: s.max_suggestions] if c.score >= s.clarify_threshold]
            reason = ("close candidates" if best.score >= s.answer_threshold else "middling score") if may_answer \
                else "unknown words or no disease named"
            return MatchResult(Outcome.CLARIFY, None, best.score, tuple(close), reason)
        return self._fallback("nothing close", ranked)
