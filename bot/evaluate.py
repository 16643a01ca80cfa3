"""Measure the safety net and small talk on labelled messages (tests/data/safety_set.yaml,
tests/data/smalltalk_set.yaml): ``python -m bot eval-safety`` / ``eval-smalltalk``."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bot.safety import SafetyCheck
from bot.smalltalk import SmallTalk
from faq.language import words
from faq.yamlfile import DataFileError, read_yaml

SAFETY_LABELS = ("emergency", "crisis", "none")
QUESTION = "question"
# A bare command does these intents' job: /start greets, /help says what the bot can do.
COMMAND_INTENTS = {"/start": "greeting", "/help": "capabilities", "/about": "who"}
# A non-emergency message counts as a NET question when it names the disease or asks something.
_DISEASE_WORDS = frozenset({"net", "nets", "neuroendocrine", "carcinoid", "carcinoids", "tumour", "tumours", "tumor",
                            "tumors", "cancer", "insulinoma", "gastrinoma", "pnet", "pnets"})


@dataclass(frozen=True)
class Labelled:
    text: str
    expect: str
    voice: str = ""
    topic: str = ""


def load_messages(path: str | Path, labels: tuple[str, ...] | None = None, names: bool = False,
                  extra_names: dict[str, str] | None = None) -> tuple[list[Labelled], dict[str, str]]:
    """``messages: [{text, expect, voice, topic}]`` and, for small talk, ``names:`` mapping the
    set's intent names onto ours. Problems name the file and the message."""
    path = Path(path)
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("messages"), list):
        raise DataFileError([f"{path}: top level must have 'messages', a list of {{text, expect, voice}}"])
    mapping = raw.get("names") or {}
    if not isinstance(mapping, dict):
        raise DataFileError([f"{path}: 'names' must map the set's intent names to the bot's"])
    mapping = {**mapping, **(extra_names or {})}
    problems: list[str] = []
    out: list[Labelled] = []
    for i, item in enumerate(raw["messages"], 1):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item.get("expect"):
            problems.append(f"{path}: message {i}: needs 'text' and 'expect'")
            continue
        expect = str(item["expect"])
        expect = mapping.get(expect, expect) if names else expect
        if labels and expect not in labels:
            problems.append(f"{path}: message {i}: expect {expect!r} is not one of {', '.join(labels)}")
            continue
        out.append(Labelled(item["text"], expect, str(item.get("voice") or ""), str(item.get("topic") or "")))
    if problems:
        raise DataFileError(problems)
    return out, {str(k): str(v) for k, v in mapping.items()}


def is_net_question(text: str) -> bool:
    return "?" in text or bool(_DISEASE_WORDS & set(words(text)))


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f} %" if d else "  n/a"


@dataclass
class SafetyReport:
    positives: int = 0
    caught: int = 0
    negatives: int = 0
    false_alarms: int = 0
    net_questions: int = 0
    net_false_alarms: int = 0
    notes_on_none: int = 0
    by_voice: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    misses: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.positives if self.positives else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.negatives if self.negatives else 0.0

    @property
    def net_false_alarm_rate(self) -> float:
        return self.net_false_alarms / self.net_questions if self.net_questions else 0.0

    def lines(self) -> list[str]:
        out = [
            f"emergency and crisis messages  {self.positives}",
            f"  recall                       {_pct(self.caught, self.positives)}  ({self.caught}, "
            f"misses {len(self.misses)})",
            f"non-emergency messages         {self.negatives}",
            f"  false alarms                 {_pct(self.false_alarms, self.negatives)}  ({self.false_alarms})",
            f"  on NET questions             {_pct(self.net_false_alarms, self.net_questions)}  "
            f"({self.net_false_alarms} of {self.net_questions})",
            f"  with a safety line only      {_pct(self.notes_on_none, self.negatives)}  ({self.notes_on_none}; "
            "a general question about a serious symptom, still answered)",
            "by voice (recall on emergencies and crises; false alarms on the rest):",
        ]
        for voice, c in sorted(self.by_voice.items()):
            out.append(f"  {voice or '(none)':<28} recall {_pct(c['caught'], c['pos'])} ({c['caught']}/{c['pos']})"
                       f"   false alarms {_pct(c['alarm'], c['neg'])} ({c['alarm']}/{c['neg']})")
        if self.misses:
            out.append(f"misses ({len(self.misses)}):")
            out.extend(f"  {m}" for m in self.misses)
        if self.alarms:
            out.append(f"false alarms ({len(self.alarms)}):")
            out.extend(f"  {m}" for m in self.alarms)
        return out


def evaluate_safety(check: SafetyCheck, messages: list[Labelled]) -> SafetyReport:
    """A crisis must get the crisis reply; an emergency either reply (both give the number)."""
    report = SafetyReport()
    for m in messages:
        hit = check.check(m.text)
        alarm = hit is not None and not hit.general
        got = hit.category if alarm else ("safety line" if hit else "none")
        voice = report.by_voice[m.voice]
        if m.expect == "none":
            report.negatives += 1
            voice["neg"] += 1
            net = is_net_question(m.text)
            report.net_questions += net
            report.notes_on_none += bool(hit and hit.general)
            if alarm:
                report.false_alarms += 1
                report.net_false_alarms += net
                voice["alarm"] += 1
                report.alarms.append(f"{m.text!r}: got {got} ({hit.rule}) [{m.voice}] -- {check.explain(m.text)}")
            continue
        report.positives += 1
        voice["pos"] += 1
        ok = alarm and (m.expect == "emergency" or hit.category == "crisis")
        if ok:
            report.caught += 1
            voice["caught"] += 1
        else:
            report.misses.append(f"{m.text!r}: expected {m.expect}, got {got} [{m.voice}] -- {check.explain(m.text)}")
    return report


@dataclass
class SmallTalkReport:
    total: int = 0
    right: int = 0
    by_expect: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    misses: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"small-talk messages  {self.total}",
               f"  right              {_pct(self.right, self.total)}  ({self.right}, misses {len(self.misses)})",
               "by expected intent:"]
        for expect, c in sorted(self.by_expect.items()):
            out.append(f"  {expect:<16} {_pct(c['right'], c['all'])} ({c['right']}/{c['all']})")
        if self.misses:
            out.append(f"misses ({len(self.misses)}):")
            out.extend(f"  {m}" for m in self.misses)
        return out


def evaluate_smalltalk(smalltalk: SmallTalk, check: SafetyCheck, messages: list[Labelled]) -> SmallTalkReport:
    """An intent is right when the message is only small talk and that intent is among those found;
    a question is right when a question is left over for the matcher (and no false alarm)."""
    report = SmallTalkReport()
    for m in messages:
        report.total += 1
        split = smalltalk.split(m.text)
        hit = check.check(m.text)
        alarm = hit is not None and not hit.general
        command = COMMAND_INTENTS.get(m.text.strip().split("@")[0].lower())
        if command:
            ok = not alarm and m.expect == command
            got = f"the {m.text.strip()} command"
        elif m.expect == QUESTION:
            ok = not alarm and not split.only_small_talk and bool(words(split.question))
            got = f"question {split.question!r} (+ {', '.join(split.intents) or 'no small talk'})"
        else:
            ok = not alarm and split.only_small_talk and m.expect in split.intents
            got = ", ".join(split.intents) or "nothing"
            if not split.only_small_talk:
                got += f" + question {split.question!r}"
        if alarm:
            got += f" (safety: {hit.category} {hit.rule})"
        report.by_expect[m.expect]["all"] += 1
        if ok:
            report.right += 1
            report.by_expect[m.expect]["right"] += 1
        else:
            report.misses.append(f"{m.text!r}: expected {m.expect}"
                                 f"{' (' + m.topic + ')' if m.topic else ''}, got {got} [{m.voice}]")
    return report
