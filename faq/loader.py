"""Load the curated FAQ (YAML) into a KnowledgeBase, reporting every problem at once.

Messages name the file, the entry id (or its position) and the field, so a curator
can fix the YAML without reading code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from faq.model import Entry, KnowledgeBase, SourceInfo
from faq.yamlfile import DataFileError, read_yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_FAQ_PATH = DATA_DIR / "faq.yaml"

# Everything in the source copy after this heading is page furniture, never an answer.
FURNITURE_HEADING = "## Page furniture"

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ENTRY_FIELDS = {"id", "topic", "about", "questions", "answer", "source", "related", "when_reported"}
_SOURCE_FIELDS = {"title", "publisher", "url", "retrieved", "file"}


class KnowledgeBaseError(DataFileError):
    """The knowledge base is missing, malformed or inconsistent."""


def _squash(text: str) -> str:
    return " ".join(text.split())


def phrasing_key(text: str) -> str:
    """What makes two phrasings 'the same' for the duplicate check: case, spacing, punctuation."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def split_source(text: str) -> tuple[str, str]:
    """(answerable text, page furniture) of a source copy, comment lines dropped, spaces squashed."""
    lines = [ln for ln in text.splitlines() if not ln.startswith("# ") and ln.strip() != "#"]
    body = "\n".join(lines)
    content, _, furniture = body.partition(FURNITURE_HEADING)
    return _squash(content), _squash(furniture)


class _Problems:
    def __init__(self, path: Path):
        self.path = path
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{self.path}: {where}: {message}")


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _load_source_info(raw: Any, path: Path, problems: _Problems) -> tuple[SourceInfo, Path | None]:
    if not isinstance(raw, dict):
        problems.add("source", "missing or not a mapping (needs title, publisher, url, retrieved, file)")
        return SourceInfo("", "", "", ""), None
    for key in sorted(set(raw) - _SOURCE_FIELDS):
        problems.add(f"source.{key}", "unknown field")
    values = {}
    for key in ("title", "publisher", "url", "retrieved", "file"):
        value = raw.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) or hasattr(value, "isoformat"):
            value = str(value)
        values[key] = _text(value)
        if values[key] is None:
            problems.add(f"source.{key}", "missing or empty")
    info = SourceInfo(values["title"] or "", values["publisher"] or "", values["url"] or "", values["retrieved"] or "")
    source_path = (path.parent / values["file"]) if values["file"] else None
    return info, source_path


def _string_list(raw: dict, key: str, where: str, problems: _Problems, *, required: bool) -> list[str]:
    value = raw.get(key)
    if value is None:
        if required:
            problems.add(f"{where} field '{key}'", "missing")
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.add(f"{where} field '{key}'", f"must be a list of text, not {type(value).__name__}")
        return []
    items = []
    for i, item in enumerate(value, 1):
        text = _text(item)
        if text is None:
            problems.add(f"{where} field '{key}' item {i}", "empty or not text")
        else:
            items.append(text)
    if required and not value:
        problems.add(f"{where} field '{key}'", "empty list")
    return items


def _load_entry(raw: Any, position: int, problems: _Problems) -> Entry | None:
    if not isinstance(raw, dict):
        problems.add(f"entry #{position}", "must be a mapping with id, topic, questions, answer, source")
        return None
    entry_id = _text(raw.get("id"))
    where = f"entry '{entry_id}'" if entry_id else f"entry #{position}"
    if entry_id is None:
        problems.add(f"{where} field 'id'", "missing or empty")
    elif not _ID_RE.match(entry_id):
        problems.add(f"{where} field 'id'", "use lowercase letters, digits and hyphens (like 'risk-factors')")
    for key in sorted(set(raw) - _ENTRY_FIELDS, key=str):
        problems.add(f"{where} field '{key}'", f"unknown field (known: {', '.join(sorted(_ENTRY_FIELDS))})")
    topic = _text(raw.get("topic"))
    if topic is None:
        problems.add(f"{where} field 'topic'", "missing or empty")
    answer = _text(raw.get("answer"))
    if answer is None:
        problems.add(f"{where} field 'answer'", "missing or empty")
    questions = _string_list(raw, "questions", where, problems, required=True)
    source = _string_list(raw, "source", where, problems, required=True)
    related = _string_list(raw, "related", where, problems, required=False)
    about = _string_list(raw, "about", where, problems, required=False)
    when_reported = _text(raw.get("when_reported"))
    if "when_reported" in raw and when_reported is None:
        problems.add(f"{where} field 'when_reported'", "must be an entry id")
    if entry_id is None or topic is None or answer is None:
        return None
    return Entry(entry_id, topic, tuple(questions), answer, tuple(source), tuple(related), tuple(about),
                 when_reported)


def _check_entries(entries: list[Entry], declared_ids: set[str], content: str | None, furniture: str,
                   problems: _Problems) -> None:
    seen_ids: set[str] = set()
    for entry in entries:
        if entry.id in seen_ids:
            problems.add(f"entry '{entry.id}' field 'id'", "duplicate id")
        seen_ids.add(entry.id)
    owner: dict[str, str] = {}
    for entry in entries:
        where = f"entry '{entry.id}'"
        for question in entry.questions:
            key = phrasing_key(question)
            if not key:
                problems.add(f"{where} field 'questions'", f"phrasing {question!r} has no words")
            elif key in owner:
                other = owner[key]
                same = "twice in this entry" if other == entry.id else f"also under entry '{other}'"
                problems.add(f"{where} field 'questions'", f"phrasing {question!r} appears {same}")
            else:
                owner[key] = entry.id
        reported = (entry.when_reported,) if entry.when_reported else ()
        for key, ids in (("related", entry.related), ("when_reported", reported)):
            for rel in ids:
                if rel == entry.id:
                    problems.add(f"{where} field '{key}'", "an entry cannot point to itself")
                elif rel not in declared_ids:  # an entry with other problems still has its id
                    problems.add(f"{where} field '{key}'", f"unknown entry id '{rel}'")
        if content is None:
            continue
        for quote in entry.source:
            squashed = _squash(quote)
            if squashed in content:
                continue
            if squashed in furniture:
                problems.add(f"{where} field 'source'", f"quote {quote!r} is page furniture, never an answer")
            else:
                problems.add(f"{where} field 'source'", f"quote {quote!r} not found in the source copy")
        for line in re.split(r"(?<=[.!?])\s+|\s(?=\d+ Replies)", furniture):
            line = line.strip()
            if len(line) > 12 and line.casefold() in _squash(entry.answer).casefold():
                problems.add(f"{where} field 'answer'", f"quotes page furniture {line!r}")


def load_knowledge_base(path: str | Path = DEFAULT_FAQ_PATH) -> KnowledgeBase:
    """Load and validate the FAQ at ``path``; raise KnowledgeBaseError listing every problem."""
    path = Path(path)
    try:
        raw = read_yaml(path)
    except DataFileError as exc:
        raise KnowledgeBaseError(exc.problems) from None
    problems = _Problems(path)
    if not isinstance(raw, dict):
        problems.add("top level", "must be a mapping with 'source' and 'entries'")
        raise KnowledgeBaseError(problems.items)
    for key in sorted(set(raw) - {"source", "entries"}, key=str):
        problems.add(f"top-level field '{key}'", "unknown field (known: source, entries)")
    info, source_path = _load_source_info(raw.get("source"), path, problems)

    content: str | None = None
    furniture = ""
    source_text = ""
    if source_path is not None:
        try:
            source_text = source_path.read_text(encoding="utf-8")
            content, furniture = split_source(source_text)
        except (OSError, UnicodeDecodeError) as exc:
            problems.add("source.file", f"cannot read source copy {source_path.name}: {exc}")

    raw_entries = raw.get("entries")
    entries: list[Entry] = []
    if not isinstance(raw_entries, list) or not raw_entries:
        problems.add("entries", "missing, empty or not a list")
    else:
        for position, raw_entry in enumerate(raw_entries, 1):
            entry = _load_entry(raw_entry, position, problems)
            if entry is not None:
                entries.append(entry)
        declared = {str(e.get("id")).strip() for e in raw_entries if isinstance(e, dict) and e.get("id")}
        _check_entries(entries, declared, content, furniture, problems)

    if problems.items:
        raise KnowledgeBaseError(problems.items)
    return KnowledgeBase(source=info, entries=tuple(entries), source_text=source_text)
