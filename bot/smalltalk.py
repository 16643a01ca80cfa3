"""Greetings, thanks, goodbyes and "who are you" (bot/data/smalltalk.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from faq.language import words
from faq.yamlfile import DataFileError, read_yaml

DEFAULT_SMALLTALK_PATH = Path(__file__).resolve().parent / "data" / "smalltalk.yaml"
# Said around small talk without changing it: "hi there bot", "thanks again".
_FILLER = frozenset({"bot", "again", "so", "very", "much", "there", "please", "pls", "dear", "friend"})


@dataclass(frozen=True)
class SmallTalk:
    intents: dict[str, str]                 # phrase (normalised) -> intent
    replies: dict[str, str]                 # intent -> reply

    def reply_for(self, text: str) -> tuple[str, str] | None:
        """(intent, reply) when the whole message is small talk, else None."""
        ws = words(text)
        for candidate in (" ".join(ws), " ".join(w for w in ws if w not in _FILLER)):
            intent = self.intents.get(candidate)
            if intent:
                return intent, self.replies[intent]
        return None


def load_smalltalk(path: str | Path = DEFAULT_SMALLTALK_PATH) -> SmallTalk:
    path = Path(path)
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not raw:
        raise DataFileError([f"{path}: top level must map intent names to 'phrases' and 'reply'"])
    problems: list[str] = []
    intents: dict[str, str] = {}
    replies: dict[str, str] = {}
    for name, body in raw.items():
        where = f"{path}: intent '{name}'"
        if not isinstance(body, dict) or set(body) != {"phrases", "reply"}:
            problems.append(f"{where}: needs exactly the fields 'phrases' and 'reply'")
            continue
        reply = body["reply"]
        if not isinstance(reply, str) or not reply.strip():
            problems.append(f"{where} field 'reply': empty or not text")
            continue
        phrases = body["phrases"]
        if not isinstance(phrases, list) or not phrases:
            problems.append(f"{where} field 'phrases': must be a non-empty list")
            continue
        replies[str(name)] = reply.strip()
        for i, phrase in enumerate(phrases, 1):
            if isinstance(phrase, bool):
                problems.append(f"{where} field 'phrases' item {i}: YAML read a bare word as {str(phrase).lower()}; "
                                "put it in quotes")
                continue
            key = " ".join(words(str(phrase)))
            if not key:
                problems.append(f"{where} field 'phrases' item {i}: has no words")
            elif key in intents and intents[key] != name:
                problems.append(f"{where} field 'phrases' item {i}: {phrase!r} is also under '{intents[key]}'")
            else:
                intents[key] = str(name)
    if problems:
        raise DataFileError(problems)
    return SmallTalk(intents, replies)
