"""Declines with care (bot/data/decline_replies.yaml): each topic the page does not cover
(faq/data/declines.yaml) declined in words written for it, prognosis with particular care."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faq.language import words
from faq.yamlfile import DataFileError, entry_id_list, read_mapping, text_items, unknown_fields

DEFAULT_DECLINE_REPLIES_PATH = Path(__file__).resolve().parent / "data" / "decline_replies.yaml"
_FIELDS = ("reply", "suggest", "when_said")
_GAP = 3   # other words allowed between the words of a `when_said` phrase


@dataclass(frozen=True)
class DeclineReply:
    id: str                              # the decline's id in faq/data/declines.yaml
    reply: str
    suggest: tuple[str, ...] = ()
    when_said: tuple[tuple[str, ...], ...] = ()


def _said(phrase: tuple[str, ...], ws: list[str]) -> bool:
    """The phrase's words in order, at most _GAP other words between each two."""
    for start, w in enumerate(ws):
        if w != phrase[0]:
            continue
        at, ok = start, True
        for word in phrase[1:]:
            nxt = next((j for j in range(at + 1, min(len(ws), at + 2 + _GAP)) if ws[j] == word), None)
            if nxt is None:
                ok = False
                break
            at = nxt
        if ok:
            return True
    return False


@dataclass(frozen=True)
class DeclineReplies:
    by_id: dict[str, DeclineReply]

    def choose(self, text: str, decline_id: str | None) -> DeclineReply | None:
        """The reply for a declined or unanswered message: a topic whose `when_said` phrase it holds
        first ("how long does my mum have left" is prognosis), else the topic the matcher named."""
        ws = words(text)
        for reply in self.by_id.values():
            if any(_said(p, ws) for p in reply.when_said):
                return reply
        return self.by_id.get(decline_id) if decline_id else None


def load_decline_replies(path: str | Path = DEFAULT_DECLINE_REPLIES_PATH, decline_ids: set[str] | None = None,
                         entry_ids: set[str] | None = None) -> DeclineReplies:
    """``decline_ids`` and ``entry_ids`` (the matcher's) check every topic has a reply and every
    suggestion exists."""
    path = Path(path)
    raw, problems = read_mapping(path, ("declines",), required=True)
    body: Any = raw.get("declines")
    if not isinstance(body, dict) or not body:
        raise DataFileError([*problems, f"{path}: field 'declines': must map decline ids to their 'reply'"])
    out: dict[str, DeclineReply] = {}
    for did, spec in body.items():
        where = f"{path}: decline '{did}'"
        if decline_ids is not None and did not in decline_ids:
            problems.append(f"{where}: no such topic in faq/data/declines.yaml")
        if not isinstance(spec, dict):
            problems.append(f"{where}: must be a mapping with 'reply' (and may have 'suggest', 'when_said')")
            continue
        unknown_fields(spec, _FIELDS, where, problems)
        reply = spec.get("reply")
        if not isinstance(reply, str) or not reply.strip():
            problems.append(f"{where} field 'reply': missing or empty")
            reply = ""
        suggest = entry_id_list(spec.get("suggest", []), f"{where} field 'suggest'", problems, entry_ids,
                                required=False)
        said = text_items(spec["when_said"], f"{where} field 'when_said'", problems, has_words=words) \
            if "when_said" in spec else []
        out[str(did)] = DeclineReply(str(did), " ".join(reply.split()), tuple(suggest),
                                     tuple(tuple(words(p)) for p in said))
    for did in sorted(decline_ids or ()):
        if did not in body:
            problems.append(f"{path}: decline '{did}': missing (every topic of faq/data/declines.yaml needs a reply)")
    if problems:
        raise DataFileError(problems)
    return DeclineReplies(out)
