"""Measure the matcher on labeled patient messages.

Reads corpus batches (faq.corpus): the messages with an ``answer`` label, an entry id or ``out``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from faq.matcher import Matcher, MatchResult, Outcome
from faq.corpus import OUT, load_batch


def pct(n: int, d: int) -> str:
    """A share as the reports print it ("  n/a" when there is nothing to count); the bot's reports use it too."""
    return f"{100 * n / d:5.1f} %" if d else "  n/a"


@dataclass(frozen=True)
class Item:
    text: str
    expect: str               # an entry id, or "out"
    voice: str = ""
    also: str | None = None   # a second acceptable entry


@dataclass(frozen=True)
class LabeledSet:
    items: tuple[Item, ...]

    @property
    def in_scope(self) -> tuple[tuple[str, str], ...]:
        return tuple((i.text, i.expect) for i in self.items if i.expect != OUT)

    @property
    def out_of_scope(self) -> tuple[str, ...]:
        return tuple(i.text for i in self.items if i.expect == OUT)


def load_labeled_set(path: str | Path, known_ids: set[str]) -> LabeledSet:
    """The messages of a corpus batch (faq.corpus) that carry an ``answer`` label, less emergencies and
    crises: they get the safety reply instead, so the matcher never reads them."""
    batch = load_batch(path, known_ids)
    return LabeledSet(tuple(Item(m.text, m.answer, m.voice, m.also) for m in batch.messages
                            if m.answer and not m.safety))


@dataclass
class Report:
    in_scope_total: int = 0
    correct: int = 0
    hedged: int = 0
    clarified: int = 0
    clarified_with_right: int = 0
    wrong_answers: int = 0
    out_total: int = 0
    declined: int = 0
    out_clarified: int = 0
    # "You asked about two things: which first?" (an answer with a second question): asked back, though
    # the first entry is counted right above. Labelled two: the message names a second entry (``also``).
    asked_two: int = 0
    asked_two_labelled: int = 0
    labelled_two: int = 0
    labelled_two_offered: int = 0   # both entries offered (asked which first, or "did you mean")
    misses: list[str] = field(default_factory=list)
    voices: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # right, total

    @property
    def out_answered(self) -> int:
        return self.out_total - self.declined - self.out_clarified

    def lines(self) -> list[str]:
        out = [
            f"in-scope questions      {self.in_scope_total}",
            f"  top-1 accuracy        {pct(self.correct, self.in_scope_total)}  ({self.correct}, "
            f"{self.hedged} of them hedged)",
            f"  clarification rate    {pct(self.clarified, self.in_scope_total)}  ({self.clarified}, "
            f"right entry offered in {self.clarified_with_right})",
            f"  wrong answers         {pct(self.wrong_answers, self.in_scope_total)}  ({self.wrong_answers})",
            f"  asked which first     {pct(self.asked_two, self.in_scope_total)}  ({self.asked_two}; "
            f"{self.asked_two_labelled} of them labelled with a second entry)",
            f"  two entries labelled  {self.labelled_two}, both offered {pct(self.labelled_two_offered, self.labelled_two)}  "
            f"({self.labelled_two_offered})",
            f"out-of-scope questions  {self.out_total}",
            f"  declined (fallback)   {pct(self.declined, self.out_total)}  ({self.declined})",
            f"  clarified             {pct(self.out_clarified, self.out_total)}  ({self.out_clarified})",
            f"  answered (wrong)      {pct(self.out_answered, self.out_total)}  ({self.out_answered})",
        ]
        if len(self.voices) > 1 or "" not in self.voices:
            out.append("right per voice (in scope answered right, out of scope declined):")
            out.extend(f"  {voice or '(none)':<22} {pct(right, total)}  ({right}/{total})"
                       for voice, (right, total) in sorted(self.voices.items()))
        if self.misses:
            out.append(f"misses ({len(self.misses)}):")
            out.extend(f"  {m}" for m in self.misses)
        return out


def _describe(result: MatchResult) -> str:
    if result.outcome is Outcome.ANSWER:
        return f"answered {result.entry_id} ({result.score:.0f}{', hedged' if result.hedged else ''})"
    offered = ", ".join(f"{c.entry_id} {c.score:.0f}" for c in result.candidates) or "nothing"
    topic = f" [{result.uncovered_topic}]" if result.uncovered_topic else ""
    return f"{result.outcome.value}{topic} [{offered}] ({result.reason})"


def evaluate(matcher: Matcher, labeled: LabeledSet) -> Report:
    report = Report()
    for item in labeled.items:
        result = matcher.match(item.text)
        voice = report.voices[item.voice]
        voice[1] += 1
        if item.expect == OUT:
            report.out_total += 1
            if result.outcome is Outcome.FALLBACK:
                report.declined += 1
                voice[0] += 1
                continue
            report.out_clarified += result.outcome is Outcome.CLARIFY
            report.misses.append(f"OUT {item.text!r}: got {_describe(result)}")
            continue
        report.in_scope_total += 1
        two = item.also not in (None, OUT, item.expect)
        offered = {result.entry_id, result.secondary.entry_id} if result.secondary is not None else \
            {c.entry_id for c in result.candidates} if result.outcome is Outcome.CLARIFY else set()
        report.labelled_two += two
        report.labelled_two_offered += two and {item.expect, item.also} <= offered
        if result.outcome is Outcome.ANSWER and result.secondary is not None:
            report.asked_two += 1
            report.asked_two_labelled += two
        if result.outcome is Outcome.ANSWER and result.entry_id in (item.expect, item.also):
            report.correct += 1
            report.hedged += result.hedged
            voice[0] += 1
            continue
        if result.outcome is Outcome.CLARIFY:
            report.clarified += 1
            report.clarified_with_right += any(c.entry_id == item.expect for c in result.candidates)
        elif result.outcome is Outcome.ANSWER:
            report.wrong_answers += 1
        report.misses.append(f"IN  {item.text!r}: expected {item.expect}, got {_describe(result)}")
    return report
