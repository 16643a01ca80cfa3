"""Conversations in one format: what a person types, turn by turn, and what each turn must get.

``tests/data/conversations*.yaml`` are evaluation sets (``python -m bot eval-conversations``);
``corpus/conversations/*.yaml`` are training batches (faq.corpus reads their turns). Both are read and
checked here, every problem named with file, conversation, turn and field::

    conversations:
      - voice: anxious
        turns:
          - {text: "symptoms and causes?", expect: clarify, options: [symptoms, causes]}
          - {text: "the second one", expect: causes, choice: true}
          - {text: "and in the lungs?", expect: where-in-body, followup: true}
          - {text: "im terrified", expect: feeling, feeling: fear}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from faq.labels import FEELINGS
from faq.yamlfile import DataFileError, read_yaml

# What a turn may expect besides an entry id.
SPECIAL = ("decline", "clarify", "more", "english-only", "safety", "feeling", "smalltalk")
# Fields a turn may carry (besides `text` and `expect`); `decline` (the uncovered topic meant), `options`
# (what a "Did you mean" should offer) and notes are for people.
TURN_FIELDS = frozenset({"text", "expect", "followup", "choice", "feeling", "decline", "options", "note", "comment",
                         "why", "voice"})
CONVERSATION_FIELDS = frozenset({"voice", "id", "turns", "note"})
# What a file of conversations written for training says of itself (faq.corpus).
BATCH_KEYS = frozenset({"batch", "split", "writer"})
# Roles of a turn, as reported: it picks from an offer, leans on the turn before, or stands alone.
CHOICE, FOLLOWUP, ALONE = "choice", "follow-up", "stand-alone"


@dataclass(frozen=True)
class Turn:
    text: str
    expect: str                          # an entry id, one of SPECIAL, or entry ids joined by "+" ("both")
    followup: bool = False
    choice: bool = False                 # picks from what the last reply offered ("the second one")
    feeling: str | None = None           # the feeling the reply must meet (its tone)

    @property
    def role(self) -> str:
        return CHOICE if self.choice else FOLLOWUP if self.followup else ALONE

    @property
    def entry(self) -> str | None:
        """The one entry the turn expects, if it expects one."""
        return None if "+" in self.expect or self.expect in SPECIAL else self.expect


_SENTENCE_END = " ?!.\t\n"


def with_earlier(earlier: str, text: str) -> str:
    """A message read with earlier words before it (bot/context.py's second reading, and what training
    learns follow-ups from): "what are the symptoms?" + "the hormone ones" is one question, so the
    earlier question's "?" goes."""
    return f"{earlier.rstrip(_SENTENCE_END)} {text}"


@dataclass(frozen=True)
class Dialogue:
    name: str
    turns: tuple[Turn, ...]
    voice: str = ""


class _Anything:
    """Entry ids not checked: any name is one."""
    def __contains__(self, item: object) -> bool:
        return True


def _expect(raw, known_ids: set[str] | None, where: str, problems: list[str]) -> str:
    """A turn's `expect`: an entry id, a special kind, or a list of entry ids (answered together)."""
    items = raw if isinstance(raw, list) else [raw]
    ids = [str(i).strip() for i in items]
    known = _Anything() if known_ids is None else known_ids
    if isinstance(raw, list):
        bad = [i for i in ids if i not in known]
        if bad or not ids:
            problems.append(f"{where}: expect {raw!r}: a list must hold entry ids only")
        return "+".join(ids)
    expect = ids[0]
    if expect not in SPECIAL and expect not in known:
        problems.append(f"{where}: expect {expect!r} is neither an entry id nor one of {', '.join(SPECIAL)}")
    return expect


def load_conversations(path: str | Path, known_ids: set[str] | None,
                       top_keys: frozenset[str] = BATCH_KEYS) -> tuple[Dialogue, ...]:
    """Every conversation of the file; ``known_ids`` (the entry ids) checks what turns expect, None
    skips that check; ``top_keys``: keys the file may have besides ``conversations`` (by default a
    training batch's, so ``bot eval-conversations`` runs on one too)."""
    return read_conversations(read_yaml(Path(path)), Path(path), known_ids, top_keys)


def read_conversations(raw: object, path: Path, known_ids: set[str] | None,
                       top_keys: frozenset[str] = BATCH_KEYS) -> tuple[Dialogue, ...]:
    """``load_conversations`` on a file already read (``path`` names it in problems)."""
    top_problems: list[str] = []
    if isinstance(raw, dict):
        top_problems = [f"{path}: unknown top-level key {k!r}" for k in sorted(set(raw) - top_keys - {"conversations"},
                                                                               key=str)]
        raw = raw.get("conversations")
    if not isinstance(raw, list) or not raw:
        raise DataFileError([f"{path}: must be a list of conversations (or 'conversations:' holding one)"])
    problems: list[str] = top_problems
    out: list[Dialogue] = []
    for i, conv in enumerate(raw, 1):
        label = (conv.get("voice") or conv.get("id")) if isinstance(conv, dict) else None
        name = f"#{i}" + (f" ({label})" if label else "")
        turns_raw = conv.get("turns") if isinstance(conv, dict) else conv
        where = f"{path}: conversation {name}"
        if not isinstance(turns_raw, list) or not turns_raw:
            problems.append(f"{where}: 'turns' must be a non-empty list")
            continue
        if isinstance(conv, dict):
            problems += [f"{where}: unknown field {k!r} (known: {', '.join(sorted(CONVERSATION_FIELDS))})"
                         for k in sorted(set(conv) - CONVERSATION_FIELDS, key=str)]
        turns = []
        for j, t in enumerate(turns_raw, 1):
            at = f"{where} turn {j}"
            if not isinstance(t, dict) or not isinstance(t.get("text"), str):
                problems.append(f"{at}: needs 'text' and 'expect'")
                continue
            for key in sorted(set(t) - TURN_FIELDS, key=str):
                problems.append(f"{at}: unknown field {key!r} (known: {', '.join(sorted(TURN_FIELDS))})")
            feeling = t.get("feeling")
            if feeling is not None and feeling not in FEELINGS:
                problems.append(f"{at}: feeling {feeling!r} is not one of {', '.join(FEELINGS)}")
                feeling = None
            if "expect" not in t and feeling is None:
                problems.append(f"{at}: needs 'expect' (or a 'feeling' to meet)")
            expect = _expect(t.get("expect", "feeling"), known_ids, at, problems)
            flags = {}
            for key in ("followup", "choice"):
                flags[key] = t.get(key, False)
                if not isinstance(flags[key], bool):
                    problems.append(f"{at}: {key} must be true or false")
            turns.append(Turn(t["text"], expect, bool(flags["followup"]), bool(flags["choice"]), feeling))
        out.append(Dialogue(name, tuple(turns), str(conv.get("voice") or "") if isinstance(conv, dict) else ""))
    if problems:
        raise DataFileError(problems)
    return tuple(out)
