"""Measure the safety net and small talk on corpus batches (faq/corpus.py):
``python -m bot eval-safety [FILE|FOLDER...]`` / ``eval-smalltalk``."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bot.safety_net import CHECK_IN, FULL, Assessment, SafetyNet
from bot.smalltalk import SmallTalkSplit
from faq.corpus import batch_paths, load_batch
from faq.evaluate import pct as _pct
from faq.language import words
from faq.yamlfile import DataFileError

if TYPE_CHECKING:
    from bot.core import Conversation

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
    batch: str = ""


def load_messages(paths: list[str | Path], kind: str) -> list[Labelled]:
    """Corpus batches (faq/corpus.py; a folder means every batch in it): for ``kind`` "safety" every
    message of a batch that labels safety (``none`` where it has no label), for "smalltalk" the
    messages with a small-talk label."""
    files = [f for p in map(Path, paths) for f in (batch_paths(p) if p.is_dir() else [p])]
    out: list[Labelled] = []
    problems: list[str] = []
    for f in files:
        try:
            batch = load_batch(f)
        except DataFileError as exc:
            problems += exc.problems
            continue
        for m in batch.messages:
            if kind == "safety" and "safety" in batch.labeled:
                out.append(Labelled(m.text, m.safety or "none", m.voice, batch.name))
            elif kind == "smalltalk" and m.smalltalk:
                out.append(Labelled(m.text, m.smalltalk, m.voice, batch.name))
    if problems:
        raise DataFileError(problems)
    return out


def is_net_question(text: str) -> bool:
    return "?" in text or bool(_DISEASE_WORDS & set(words(text)))


def _share(n: int, d: int) -> float:
    return n / d if d else 0.0


@dataclass
class SafetyReport:
    positives: int = 0
    caught: int = 0               # any tier: the emergency or crisis reply, or a check-in
    caught_full: int = 0          # the emergency or crisis reply (a crisis must get the crisis one)
    negatives: int = 0
    false_alarms: int = 0         # the emergency or crisis reply on a non-urgent message
    check_ins: int = 0
    net_questions: int = 0
    net_false_alarms: int = 0
    net_check_ins: int = 0
    notes_on_none: int = 0
    by_voice: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    misses: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    @property
    def false_alarm_rate(self) -> float:
        return _share(self.false_alarms, self.negatives)

    @property
    def net_false_alarm_rate(self) -> float:
        return _share(self.net_false_alarms, self.net_questions)

    def lines(self) -> list[str]:
        out = [
            f"emergency and crisis messages  {self.positives}",
            f"  recall, any tier             {_pct(self.caught, self.positives)}  ({self.caught}, "
            f"misses {len(self.misses)})",
            f"  recall, full reply           {_pct(self.caught_full, self.positives)}  ({self.caught_full})",
            f"non-urgent messages            {self.negatives}",
            f"  full alarms                  {_pct(self.false_alarms, self.negatives)}  ({self.false_alarms})",
            f"  check-ins                    {_pct(self.check_ins, self.negatives)}  ({self.check_ins})",
            f"  on NET questions: alarms     {_pct(self.net_false_alarms, self.net_questions)}  "
            f"({self.net_false_alarms} of {self.net_questions}), check-ins "
            f"{_pct(self.net_check_ins, self.net_questions)} ({self.net_check_ins})",
            f"  with a safety line only      {_pct(self.notes_on_none, self.negatives)}  ({self.notes_on_none}; "
            "a general question about a serious symptom, still answered)",
            "by voice (recall on emergencies and crises, any tier; full alarms on the rest):",
        ]
        for voice, c in sorted(self.by_voice.items()):
            out.append(f"  {voice or '(none)':<28} recall {_pct(c['caught'], c['pos'])} ({c['caught']}/{c['pos']})"
                       f"   full alarms {_pct(c['alarm'], c['neg'])} ({c['alarm']}/{c['neg']})")
        if self.misses:
            out.append(f"misses ({len(self.misses)}):")
            out.extend(f"  {m}" for m in self.misses)
        if self.alarms:
            out.append(f"full alarms ({len(self.alarms)}):")
            out.extend(f"  {m}" for m in self.alarms)
        return out


class ThroughTheCore:
    """The tier of the reply the bot gives each message sent first in a chat of its own (``--reader bot``): what
    the safety net reads, and what the core adds (another language's phrases; the check-in under the English-only
    reply). A general symptom's safety line is not told apart here (``with a safety line only`` stays 0)."""

    def __init__(self, conversation: Conversation):
        self.conversation = conversation
        self.sent = 0

    def assess(self, text: str) -> Assessment:
        self.sent += 1
        reply = self.conversation.handle(f"eval-safety-{self.sent}", text)
        tier = reply.tier if reply.tier in (*FULL, CHECK_IN) else None
        return Assessment(tier, reasons=reply.reasons, by="bot" if tier else "")


def evaluate_safety(net: SafetyNet | ThroughTheCore, messages: list[Labelled]) -> SafetyReport:
    """Recall counts any tier; a full reply is right when a crisis gets the crisis reply (an
    emergency either reply: both give the number)."""
    report = SafetyReport()
    for m in messages:
        a = net.assess(m.text)
        got = a.tier or ("safety line" if a.hit else "none")
        why = ", ".join(a.reasons)
        voice = report.by_voice[m.voice]
        if m.expect == "none":
            report.negatives += 1
            voice["neg"] += 1
            net_q = is_net_question(m.text)
            report.net_questions += net_q
            report.notes_on_none += bool(a.hit and a.hit.general)
            report.check_ins += a.tier == CHECK_IN
            report.net_check_ins += net_q and a.tier == CHECK_IN
            if a.tier in FULL:
                report.false_alarms += 1
                report.net_false_alarms += net_q
                voice["alarm"] += 1
                report.alarms.append(f"{m.text!r}: got {got} by {a.by} ({why}) [{m.voice}]")
            continue
        report.positives += 1
        voice["pos"] += 1
        full = a.tier in FULL and (m.expect == "emergency" or a.tier == "crisis")
        report.caught_full += full
        if a.tier is not None:
            report.caught += 1
            voice["caught"] += 1
        else:
            report.misses.append(f"{m.text!r}: expected {m.expect}, got {got} [{m.voice}]")
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


def evaluate_smalltalk(read: Callable[[str], SmallTalkSplit], net: SafetyNet,
                       messages: list[Labelled]) -> SmallTalkReport:
    """An intent is right when the message is only small talk and that intent is among those found;
    a question is right when a question is left over for the matcher (and no false alarm)."""
    report = SmallTalkReport()
    for m in messages:
        report.total += 1
        split = read(m.text)
        a = net.assess(m.text)
        alarm = a.tier in FULL
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
            got += f" (safety: {a.tier} by {a.by})"
        report.by_expect[m.expect]["all"] += 1
        if ok:
            report.right += 1
            report.by_expect[m.expect]["right"] += 1
        else:
            report.misses.append(f"{m.text!r}: expected {m.expect}"
                                 f", got {got} [{m.voice}]")
    return report


# -- the review record's masking (issue 17): a blind set with its identifying spans marked --------
@dataclass
class MaskingReport:
    spans: int = 0                # identifying spans marked in the set
    caught: int = 0
    missed: list[str] = field(default_factory=list)
    keep: int = 0                 # medical words that must survive masking
    kept: int = 0
    over: list[str] = field(default_factory=list)

    @property
    def over_rate(self) -> float:
        return _share(self.keep - self.kept, self.keep)

    def lines(self) -> list[str]:
        out = [f"identifying spans   {self.spans}, caught {self.caught} ({_pct(self.caught, self.spans)})",
               f"medical words       {self.keep}, masked by mistake {self.keep - self.kept} "
               f"({_pct(self.keep - self.kept, self.keep)})"]
        out += [f"  missed: {m}" for m in self.missed]
        out += [f"  over-masked: {m}" for m in self.over]
        return out


def evaluate_masking(mask, messages: list[dict]) -> MaskingReport:  # noqa: ANN001
    """A span is caught when none of it survives masking (its text no longer appears); a medical
    word is masked by mistake when it no longer appears."""
    report = MaskingReport()
    for m in messages:
        masked = mask(m["text"])
        for span in m["pii"]:
            report.spans += 1
            if span in masked:
                report.missed.append(f"{span!r} in {masked!r}")
            else:
                report.caught += 1
        for word in m.get("keep", []):
            report.keep += 1
            if word in masked:
                report.kept += 1
            else:
                report.over.append(f"{word!r} in {masked!r}")
    return report
