"""Typed, immutable objects the rest of the bot reads the knowledge base through."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceInfo:
    title: str
    publisher: str
    url: str
    retrieved: str


@dataclass(frozen=True)
class Entry:
    id: str
    topic: str
    questions: tuple[str, ...]
    answer: str
    source: tuple[str, ...]
    related: tuple[str, ...] = ()
    about: tuple[str, ...] = ()     # concept ids (concepts.yaml) it answers
    when_reported: str | None = None  # an entry answered with it when the message says someone has one of `about`


@dataclass(frozen=True)
class KnowledgeBase:
    source: SourceInfo
    entries: tuple[Entry, ...]
    source_text: str = field(repr=False, default="")

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entries})

    def get(self, entry_id: str) -> Entry:
        return self._by_id[entry_id]  # type: ignore[attr-defined]

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id  # type: ignore[attr-defined]

    @property
    def phrasing_count(self) -> int:
        return sum(len(e.questions) for e in self.entries)
