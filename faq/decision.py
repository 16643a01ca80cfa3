"""What the bot does with the scores: answer (plainly or with a hedge), ask, or decline.

- A decline target (a topic the page does not cover) that explains the message better
  than every entry declines it, naming the topic.
- One entry that clearly leads is answered even at a middling score; below the
  confident band the answer opens with a hedge ("I think you're asking about ...").
- "Did you mean" only when two or more entries are close; never with one option.
- A message that does not name NETs is at most a hedged answer: it may be about something else.
- Nothing explains the message well enough: decline.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from faq.yamlfile import range_problem


class Outcome(str, Enum):
    ANSWER = "answer"
    CLARIFY = "clarify"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class MatcherSettings:
    # Who decides: the model trained on the corpus (faq/data/model.json), or the rules alone.
    # The thresholds below are the rules'; the model's own, chosen by cross-validation, are in its file.
    use_model: bool = True
    answer_threshold: float = 70.0    # the confident band: at or above it (and leading) the answer has no hedge
    margin: float = 6.0               # an entry leads clearly when the next entry is at least this much lower
    lone_answer_threshold: float = 45.0  # a clear leader at or above this is answered, with a hedge
    lone_margin: float = 6.0          # entries within this much of the best are offered together
    # A question that does not name NETs and has words the bot does not know ("what causes
    # a stiff neck?") may not be about NETs: it needs at least this score to be answered...
    unnamed_answer_threshold: float = 78.0
    clarify_threshold: float = 45.0   # below this nothing is close: decline
    # A topic the page does not cover wins when it scores within this much of the best entry:
    # a near-miss answer presented as THE answer is the worse error.
    decline_margin: float = 20.0
    unknown_share: float = 0.3        # ...when words the bot does not know carry this share of it
    context_weight: float = 0.4       # how much the story around a question counts, next to the question
    max_suggestions: int = 3
    max_input_chars: int = 4096       # only this much of a message is matched: a whole Telegram message

    def problems(self) -> list[str]:
        out = [p for name, (low, high) in _SETTING_RANGES.items()
               if (p := range_problem(name, getattr(self, name), low, high))]
        if self.clarify_threshold > self.answer_threshold:
            out.append("clarify_threshold: must not be above answer_threshold")
        if not self.clarify_threshold <= self.lone_answer_threshold <= self.answer_threshold:
            out.append("lone_answer_threshold: must lie between clarify_threshold and answer_threshold")
        return out


# Allowed ranges of the settings above (scores are 0-100, shares and weights 0-1).
_SETTING_RANGES: dict[str, tuple[float, float]] = {
    **dict.fromkeys(("answer_threshold", "clarify_threshold", "margin", "lone_answer_threshold", "lone_margin",
                     "unnamed_answer_threshold", "decline_margin"), (0, 100)),
    "unknown_share": (0, 1),
    "context_weight": (0, 1),
    "max_suggestions": (1, 5),
    "max_input_chars": (20, 100_000),
}


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
    hedged: bool = False              # an answer below the confident band: open with "I think you're asking about"
    secondary: Candidate | None = None  # a second question (or topic) in the message: the conversation asks which first
    reasons: tuple[str, ...] = ()     # the features that weighed most for the model's pick (block:feature)
    beyond_page: bool = False         # the model read it as a question the page does not cover
    two_topics: bool = False          # the clarify head read it as asking about two topics, torn between them
    unsure: bool = False              # declined only for want of certainty: the model found no entry sure enough,
                                      # nor read it as beyond the page (its candidates may hold what was meant)


@dataclass(frozen=True)
class Evidence:
    entries: list[Candidate]          # best first
    decline: Candidate | None         # the best decline target (topic in .topic), if any scored
    names_disease: bool               # the message names NETs, a tumor or a cancer
    refers: bool                      # ...or a question points back at it ("is it hereditary?")
    unknown_share: float              # share of the message's weight in words no target knows
    decline_margin: float | None = None  # the best decline's own margin (declines.yaml), if it has one


def decide(ev: Evidence, s: MatcherSettings) -> MatchResult:
    entries, decline = ev.entries, ev.decline
    shown = tuple(entries[: s.max_suggestions])
    best = entries[0] if entries else None
    decline_margin = s.decline_margin if ev.decline_margin is None else ev.decline_margin
    if decline and decline.score >= s.clarify_threshold and (
            best is None or decline.score > best.score - decline_margin):
        return MatchResult(Outcome.FALLBACK, None, decline.score, shown, f"explained best by: {decline.topic}",
                           decline.topic)
    if best is None or best.score < s.clarify_threshold:
        return MatchResult(Outcome.FALLBACK, None, best.score if best else 0.0, shown, "nothing close")
    if not ev.refers and ev.unknown_share >= s.unknown_share and best.score < s.unnamed_answer_threshold:
        return MatchResult(Outcome.FALLBACK, None, best.score, shown, "may not be about NETs")
    close = [c for c in shown if c.score >= s.clarify_threshold and best.score - c.score < s.lone_margin]
    if len(close) >= 2:
        return MatchResult(Outcome.CLARIFY, None, best.score, tuple(close), "close candidates")
    runner_up = entries[1].score if len(entries) > 1 else 0.0
    decline_close = decline is not None and best.score - decline.score < s.margin
    confident = (best.score >= s.answer_threshold and best.score - runner_up >= s.margin and not decline_close
                 and ev.names_disease)
    if confident:
        return MatchResult(Outcome.ANSWER, best.entry_id, best.score, shown, "confident")
    if best.score >= s.lone_answer_threshold:
        return MatchResult(Outcome.ANSWER, best.entry_id, best.score, shown, "clear leader, middling score",
                           hedged=True)
    return MatchResult(Outcome.FALLBACK, None, best.score, shown, "nothing close enough")
