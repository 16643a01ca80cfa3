"""Measure conversations through the core: follow-ups read in context, and messages that
stand alone never bent by the turn before.

``python -m bot eval-conversations FILE`` runs conversations of a few turns
(tests/data/conversations.yaml) and judges each turn: the reply's kind, its entry, and for a
turn carrying a feeling its tone (met with a feeling line, never a medical answer alone); ``python -m bot eval-standalone FILE...`` runs labeled
single-message corpus batches (corpus/matcher-dev.yaml) alone and after each of a few earlier
questions, and counts the replies that changed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.core import Conversation
from bot.replies import Kind, Reply
from faq.dialogues import ALONE, CHOICE, FOLLOWUP, SPECIAL, Dialogue, Turn, load_conversations  # noqa: F401

# Earlier questions a stand-alone message is asked after: one topic each, one the bot asks
# back about and one it declines.
CONTEXT_TURNS = ("what are the symptoms", "what causes NETs?", "is it hereditary?",
                 "where in the body do they grow?", "what is a functional tumor?", "can it spread?",
                 "types and symptoms", "what is the survival rate?")


def kind_of(reply: Reply) -> str:
    """The reply's kind as the evaluation names it: answer, clarify, fallback (english-only and declines
    included), feeling, smalltalk, safety or command."""
    return reply.kind.value


def passes(reply: Reply, expect: str, choice: bool = False) -> bool:
    """Whether the reply is of the expected kind (and entry)."""
    if expect == "more":
        return reply.context == "more"
    if expect == "english-only":
        return reply.language is not None and reply.kind is Kind.FALLBACK
    if expect == "decline":
        # A choice turn that declines every option ("none of them") is met by the kind "all right" reply.
        return (reply.kind is Kind.FALLBACK and reply.language is None) or \
            (choice and reply.context == "choice" and reply.kind is Kind.SMALLTALK)
    if expect == "clarify":
        return reply.kind is Kind.CLARIFY
    if expect == "safety":
        return reply.kind is Kind.SAFETY
    if expect == "feeling":
        return reply.feeling is not None and reply.kind is not Kind.SAFETY
    if expect == "smalltalk":
        return reply.kind in (Kind.SMALLTALK, Kind.FEELING)
    answered = [reply.entry_id, *reply.also_ids] if reply.kind is Kind.ANSWER else []
    if "+" in expect:
        return sorted(answered) == sorted(expect.split("+"))
    return reply.kind is Kind.ANSWER and expect in answered and reply.context != "more"


def tone(reply: Reply, turn: Turn) -> str | None:
    """How a turn that carries a feeling was met: "line" (a feeling line first), "safety" (safety
    first), "answer-alone" (a medical answer with no feeling line: the failure to avoid), "other"."""
    if turn.feeling is None:
        return None
    if reply.feeling is not None:
        return "line"
    if reply.kind is Kind.SAFETY:
        return "safety"
    return "answer-alone" if reply.kind is Kind.ANSWER else "other"


def describe(reply: Reply) -> str:
    got = reply.kind.value + (f" {'+'.join([reply.entry_id, *reply.also_ids])}" if reply.entry_id else "")
    if reply.kind is Kind.CLARIFY or (reply.kind is Kind.FALLBACK and reply.suggestions and not reply.entry_id):
        got += f" [{', '.join(s.entry_id for s in reply.suggestions)}]"
    if reply.decline:
        got += f" (decline: {reply.decline})"
    if reply.feeling:
        got += f" (feeling: {reply.feeling})"
    if reply.tier:
        got += f" (tier: {reply.tier})"
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
    totals: Counter = field(default_factory=Counter)     # (role, expected kind) -> turns
    passed: Counter = field(default_factory=Counter)
    contexts: Counter = field(default_factory=Counter)   # (role, context field) -> turns
    got_kinds: Counter = field(default_factory=Counter)  # (expected kind, reply kind) -> turns
    tones: Counter = field(default_factory=Counter)      # how feeling turns were met -> turns
    same_feeling: int = 0                                # feeling turns met with the very feeling expected
    lines_unasked: int = 0                               # turns without a feeling that got a feeling line
    after_ok: Counter = field(default_factory=Counter)   # role -> turns whose turn before got the expected reply
    passed_after_ok: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def _sum(self, counter: Counter, role: str | None = None, kind: str | None = None) -> int:
        return sum(n for (r, k), n in counter.items() if (role is None or r == role)
                   and (kind is None or k == kind))

    def figure(self, followup: bool | str | None = None, kind: str | None = None) -> tuple[int, int]:
        """(passed, turns); ``followup``: True (follow-ups), False (stand-alone), a role, or None (all)."""
        role = FOLLOWUP if followup is True else ALONE if followup is False else followup
        return self._sum(self.passed, role, kind), self._sum(self.totals, role, kind)

    def lines(self) -> list[str]:
        pct = lambda n, d: f"{100 * n / d:5.1f} %  ({n}/{d})" if d else "  n/a"  # noqa: E731
        feeling_turns = sum(self.tones.values())
        out = [f"conversations           {self.conversations}",
               f"follow-up turns top-1   {pct(*self.figure(True))}",
               f"choice turns top-1      {pct(*self.figure(CHOICE))}",
               f"stand-alone turns       {pct(*self.figure(False))}",
               f"all turns               {pct(*self.figure())}",
               f"feeling turns met with a feeling line   {pct(self.tones['line'], feeling_turns)}",
               f"  the very feeling expected             {pct(self.same_feeling, feeling_turns)}",
               f"  met with a medical answer alone       {self.tones['answer-alone']}",
               f"  met with safety first                 {self.tones['safety']}",
               f"feeling lines on turns without a feeling  {self.lines_unasked} of {sum(self.totals.values()) - feeling_turns}",
               # A blind writer never saw the bot's replies: a choice or follow-up after a turn the bot
               # read otherwise leans on a reply that never came. These say how the turn itself was read.
               f"after a turn that got the expected reply:  follow-up {pct(self.passed_after_ok[FOLLOWUP], self.after_ok[FOLLOWUP])}, "
               f"choice {pct(self.passed_after_ok[CHOICE], self.after_ok[CHOICE])}",
               "per expected kind (follow-up | choice | stand-alone):"]
        for kind in ("entry", *SPECIAL):
            if self.figure(None, kind)[1]:
                out.append(f"  {kind:<14} {pct(*self.figure(True, kind)):<22} | {pct(*self.figure(CHOICE, kind)):<22} "
                           f"| {pct(*self.figure(False, kind))}")
        out.append("reply kinds per expected kind: " + "; ".join(
            f"{e} -> " + ", ".join(f"{g} {n}" for (e2, g), n in sorted(self.got_kinds.items()) if e2 == e)
            for e in sorted({e for e, _ in self.got_kinds})))
        bent = sum(n for (r, c), n in self.contexts.items() if r == ALONE and c not in (None, "more"))
        out.append("context field used: " + ", ".join(
            f"{r} {c or 'none'}: {n}" for (r, c), n in sorted(self.contexts.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))))
        out.append(f"stand-alone turns read in context: {bent}")
        if self.misses:
            out.append(f"misses ({len(self.misses)}):")
            out.extend(f"  {m}" for m in self.misses)
        return out


def evaluate_conversations(conversation: Conversation, dialogues: tuple[Dialogue, ...]) -> ConversationReport:
    """Each turn judged on its kind (answer, clarify, fallback, feeling, smalltalk, safety), its entry,
    and, for a turn carrying a feeling, its tone: met with a feeling line, never a medical answer alone."""
    report = ConversationReport()
    for n, dialogue in enumerate(dialogues):
        report.conversations += 1
        chat = f"eval-{n}"
        said: list[str] = []
        before_ok = True
        for i, turn in enumerate(dialogue.turns, 1):
            reply = conversation.handle(chat, turn.text)
            key = (turn.role, expect_kind(turn.expect))
            report.totals[key] += 1
            report.contexts[(turn.role, reply.context)] += 1
            report.got_kinds[(expect_kind(turn.expect), kind_of(reply))] += 1
            met = tone(reply, turn)
            report.lines_unasked += met is None and reply.feeling is not None
            if met is not None:
                report.tones[met] += 1
                report.same_feeling += reply.feeling == turn.feeling
            ok = passes(reply, turn.expect, turn.choice) and met in (None, "line") or (
                met == "safety" and turn.expect == "safety")
            if i > 1 and before_ok:
                report.after_ok[turn.role] += 1
                report.passed_after_ok[turn.role] += ok
            before_ok = ok
            if ok:
                report.passed[key] += 1
            else:
                before = " / ".join(repr(s) for s in said)
                wanted = turn.expect + (f" with a {turn.feeling} line" if turn.feeling else "")
                report.misses.append(f"{dialogue.name} turn {i} ({turn.role}) {turn.text!r}: expected {wanted}, "
                                     f"got {describe(reply)}" + (f"  after {before}" if before else ""))
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
            # A message naming one of the options just offered reads as that choice ("symptoms of NETs
            # please" after "Did you mean: types, symptoms"): the same answer, unhedged, counts as unchanged.
            chose_same = reply.context == "choice" and (reply.kind, reply.entry_id) == (alone.kind, alone.entry_id)
            if not chose_same and _signature(reply) != _signature(alone):
                changed.append(f"{message!r} after {before!r}: {describe(alone)} -> {describe(reply)}")
        # Chats are per message: keep the memory small while measuring.
        for key in [f"alone-{n}", *(f"after-{n}-{k}" for k in range(len(context_turns)))]:
            conversation._chats.pop(key, None)
    return len(messages), changed
