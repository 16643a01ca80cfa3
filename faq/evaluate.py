"""Measure the matcher on a labeled set of patient questions (tests/data/dev_set.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from faq.matcher import Matcher, MatchResult, Outcome
from faq.yamlfile import DataFileError, read_yaml


@dataclass(frozen=True)
class LabeledSet:
    in_scope: tuple[tuple[str, str], ...]    # (question, expected entry id)
    out_of_scope: tuple[str, ...]


def load_labeled_set(path: str | Path, known_ids: set[str]) -> LabeledSet:
    path = Path(path)
    raw = read_yaml(path)
    problems: list[str] = []
    if not isinstance(raw, dict) or set(raw) - {"in_scope", "out_of_scope"}:
        raise DataFileError([f"{path}: top level must be a mapping with 'in_scope' and 'out_of_scope'"])
    in_scope: list[tuple[str, str]] = []
    groups = raw.get("in_scope") or {}
    if not isinstance(groups, dict):
        problems.append(f"{path}: in_scope: must map entry ids to lists of questions")
        groups = {}
    for entry_id, questions in groups.items():
        if entry_id not in known_ids:
            problems.append(f"{path}: in_scope: unknown entry id '{entry_id}'")
        if not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() for q in questions):
            problems.append(f"{path}: in_scope.{entry_id}: must be a list of non-empty questions")
            continue
        in_scope.extend((q, str(entry_id)) for q in questions)
    out = raw.get("out_of_scope") or []
    if not isinstance(out, list) or not all(isinstance(q, (str, int)) for q in out):
        problems.append(f"{path}: out_of_scope: must be a list of questions")
        out = []
    if problems:
        raise DataFileError(problems)
    return LabeledSet(tuple(in_scope), tuple(str(q) for q in out))


@dataclass
class Report:
    in_scope_total: int = 0
    correct: int = 0
    clarified: int = 0
    clarified_with_right: int = 0
    wrong_answers: int = 0
    out_total: int = 0
    declined: int = 0
    out_clarified: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.in_scope_total if self.in_scope_total else 0.0

    @property
    def decline_rate(self) -> float:
        return self.declined / self.out_total if self.out_total else 0.0

    def lines(self) -> list[str]:
        pct = lambda n, d: f"{100 * n / d:5.1f} %" if d else "  n/a"  # noqa: E731
        out = [
            f"in-scope questions      {self.in_scope_total}",
            f"  top-1 accuracy        {pct(self.correct, self.in_scope_total)}  ({self.correct})",
            f"  clarification rate    {pct(self.clarified, self.in_scope_total)}  ({self.clarified}, "
            f"right entry offered in {self.clarified_with_right})",
            f"  wrong answers         {pct(self.wrong_answers, self.in_scope_total)}  ({self.wrong_answers})",
            f"out-of-scope questions  {self.out_total}",
            f"  declined (fallback)   {pct(self.declined, self.out_total)}  ({self.declined})",
            f"  clarified             {pct(self.out_clarified, self.out_total)}  ({self.out_clarified})",
            f"  answered (wrong)      {pct(self.out_total - self.declined - self.out_clarified, self.out_total)}"
            f"  ({self.out_total - self.declined - self.out_clarified})",
        ]
        if self.misses:
            out.append(f"misses ({len(self.misses)}):")
            out.extend(f"  {m}" for m in self.misses)
        return out


def _describe(result: MatchResult) -> str:
    if result.outcome is Outcome.ANSWER:
        return f"answered {result.entry_id} ({result.score:.0f})"
    offered = ", ".join(f"{c.entry_id} {c.score:.0f}" for c in result.candidates) or "nothing"
    return f"{result.outcome.value} [{offered}] ({result.reason})"


def evaluate(matcher: Matcher, labeled: LabeledSet) -> Report:
    report = Report()
    for question, expected in labeled.in_scope:
        report.in_scope_total += 1
        result = matcher.match(question)
        if result.outcome is Outcome.ANSWER and result.entry_id == expected:
            report.correct += 1
            continue
        if result.outcome is Outcome.CLARIFY:
            report.clarified += 1
            report.clarified_with_right += any(c.entry_id == expected for c in result.candidates)
        elif result.outcome is Outcome.ANSWER:
            report.wrong_answers += 1
        report.misses.append(f"IN  {question!r}: expected {expected}, got {_describe(result)}")
    for question in labeled.out_of_scope:
        report.out_total += 1
        result = matcher.match(question)
        if result.outcome is Outcome.FALLBACK:
            report.declined += 1
            continue
        report.out_clarified += result.outcome is Outcome.CLARIFY
        report.misses.append(f"OUT {question!r}: got {_describe(result)}")
    return report
