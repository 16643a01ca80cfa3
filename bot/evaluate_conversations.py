"""Measure conversations through the core: follow-ups read in context, and messages that
stand alone never bent by the turn before.

``python -m bot eval-conversations FILE`` runs two- and three-turn conversations
(tests/data/conversations.yaml); ``python -m bot eval-standalone FILE...`` runs labeled
single-message corpus batches (corpus/matcher-dev.yaml) alone and after each of a few earlier
questions, and counts the replies that changed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.core import Conversation
from bot.replies import Kind, Reply
from faq.yamlfile import DataFileError, read_yaml

# What a turn may expect besides an entry id.
SPECIAL = ("decline", "clarify", "more", "english-only", "safety")
# Earlier questions a stand-alone message is asked after: one topic each, one the bot asks
# back about and one it declines.
CONTEXT_TURNS = ("what are the symptoms", "what causes NETs?", "is it hereditary?",
                 "where in the body do they grow?", "what is a functional tumor?", "can it spread?",
                 "types and symptoms", "what is the survival rate?")


@dataclass(frozen=True)
class Turn:
    text: str
    expect: str
    followup: bool


@dataclass(frozen=True)
class Dialogue:
    name: str
    turns: tuple[Turn, ...]


def load_conversations(path: str | Path, known_ids: set[str]) -> tuple[Dialogue, ...]:
    path = Path(path)
    raw = read_yaml(path)
    if isinstance(raw, dict):
        raw = raw.get("conversations")
    if not isinstance(raw, list) or not raw:
        raise DataFileError([f"{path}: must be a list of conversations (or 'conversations:' holding one)"])
    problems: list[str] = []
    out: list[Dialogue] = []
    for i, conv in enumerate(raw, 1):
        name = f"#{i}" + (f" ({conv.get('voice') or conv.get('id')})" if isinstance(conv, dict) and (conv.get("voice") or conv.get("id")) else "")
        turns_raw = conv.get("turns") if isinstance(conv, dict) else conv
        where = f"{path}: conversation {name}"
        if not isinstance(turns_raw, list) or not turns_raw:
            problems.append(f"{where}: 'turns' must be a non-empty list")
            continue
        turns = []
        for j, t in enumerate(turns_raw, 1):
            if not isinstance(t, dict) or not isinstance(t.get("text"), str):
                problems.append(f"{where} turn {j}: needs 'text', 'expect' and 'followup'")
                continue
            expect = str(t.get("expect", "")).strip()
            if expect not in SPECIAL and expect not in known_ids:
                problems.append(f"{where} turn {j}: expect {expect!r} is neither an entry id nor one of "
                                f"{', '.join(SPECIAL)}")
            followup = t.get("followup", False)
            if not isinstance(followup, bool):
                problems.append(f"{where} turn {j}: followup must be true or false")
            turns.append(Turn(t["text"], expect, bool(followup)))
        out.append(Dialogue(name, tuple(turns)))
    if problems:
        raise DataFileError(problems)
    return tuple(out)


def passes(reply: Reply, expect: str) -> bool:
    if expect == "more":
        return reply.context == "more"
    if expect == "english-only":
        return reply.language is not None and reply.kind is Kind.FALLBACK
    if expect == "decline":
        return reply.kind is Kind.FALLBACK and reply.language is None
    if expect == "clarify":
        return reply.kind is Kind.CLARIFY
    if expect == "safety":
        return reply.kind is Kind.SAFETY
    return reply.kind is Kind.ANSWER and reply.entry_id == expect and reply.context != "more"


def describe(reply: Reply) -> str:
    got = reply.kind.value + (f" {reply.entry_id}" if reply.entry_id else "")
    if reply.kind is Kind.CLARIFY or (reply.kind is Kind.FALLBACK and reply.suggestions and not reply.entry_id):
        got += f" [{', '.join(s.entry_id for s in reply.suggestions)}]"
    if reply.context:
        got += f" (context: {reply.context})"
    if reply.language:
        got += f" (language: {reply.language})"
    return got


def expect_kind(expect: str) -> str:
    return expect if expect in SPECIAL else "entry"


@dataclass
class ConversationReport:
    conversations: int = 0
    totals: Counter = field(default_factory=Counter)     # (followup?, kind) -> turns
    passed: Counter = field(default_factory=Counter)
    contexts: Counter = field(default_factory=Counter)   # (followup?, context field) -> turns
    misses: list[str] = field(default_factory=list)

    def _sum(self, counter: Counter, followup: bool | None = None, kind: str | None = None) -> int:
        return sum(n for (f, k), n in counter.items() if (followup is None or f == followup)
                   and (kind is None or k == kind))

    def figure(self, followup: bool | None = None, kind: str | None = None) -> tuple[int, int]:
        return self._sum(self.passed, followup, kind), self._sum(self.totals, followup, kind)

    def lines(self) -> list[str]:
        pct = lambda n, d: f"{100 * n / d:5.1f} %  ({n}/{d})" if d else "  n/a"  # noqa: E731
        out = [f"conversations           {self.conversations}",
               f"follow-up turns top-1   {pct(*self.figure(True))}",
               f"stand-alone turns       {pct(*self.figure(False))}",
               f"all turns               {pct(*self.figure())}",
               "per expected kind (follow-up | stand-alone):"]
        for kind in ("entry", *SPECIAL):
            if self.figure(None, kind)[1]:
                out.append(f"  {kind:<14} {pct(*self.figure(True, kind)):<22} | {pct(*self.figure(False, kind))}")
        bent = sum(n for (f, c), n in self.contexts.items() if not f and c not in (None, "more"))
        out.append("context field used: " + ", ".join(
            f"{'follow-up' if f else 'stand-alone'} {c or 'none'}: {n}" for (f, c), n in sorted(
                self.contexts.items(), key=lambda kv: (not kv[0][0], str(kv[0][1])))))
        out.append(f"stand-alone turns read in context: {bent}")
        if self.misses:
            out.append(f"misses ({len(self.misses)}):")
            out.extend(f"  {m}" for m in self.misses)
        return out


def evaluate_conversations(conversation: Conversation, dialogues: tuple[Dialogue, ...]) -> ConversationReport:
    report = ConversationReport()
    for n, dialogue in enumerate(dialogues):
        report.conversations += 1
        chat = f"eval-{n}"
        said: list[str] = []
        for i, turn in enumerate(dialogue.turns, 1):
            reply = conversation.handle(chat, turn.text)
            key = (turn.followup, expect_kind(turn.expect))
            report.totals[key] += 1
            report.contexts[(turn.followup, reply.context)] += 1
            if passes(reply, turn.expect):
                report.passed[key] += 1
            else:
                before = " / ".join(repr(s) for s in said)
                report.misses.append(f"{dialogue.name} turn {i} ({'follow-up' if turn.followup else 'alone'}) "
                                     f"{turn.text!r}: expected {turn.expect}, got {describe(reply)}"
                                     + (f"  after {before}" if before else ""))
            said.append(turn.text)
    return report


def _signature(reply: Reply) -> tuple:
    return reply.kind, reply.entry_id, reply.text, tuple(s.entry_id for s in reply.suggestions), reply.context


def standalone_changes(conversation: Conversation, messages: list[str],
                       context_turns: tuple[str, ...] = CONTEXT_TURNS) -> tuple[int, list[str]]:
    """(messages compared, one line per message whose reply changed after an earlier question)."""
    changed: list[str] = []
    for n, message in enumerate(messages):
        alone = conversation.handle(f"alone-{n}", message)
        for k, before in enumerate(context_turns):
            chat = f"after-{n}-{k}"
            conversation.handle(chat, before)
            reply = conversation.handle(chat, message)
            if _signature(reply) != _signature(alone):
                changed.append(f"{message!r} after {before!r}: {describe(alone)} -> {describe(reply)}")
        # Chats are per message: keep the memory small while measuring.
        for key in [f"alone-{n}", *(f"after-{n}-{k}" for k in range(len(context_turns)))]:
            conversation._chats.pop(key, None)
    return len(messages), changed
