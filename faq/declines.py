"""Topics the source page does not cover (faq/data/declines.yaml): decline targets that
compete with the FAQ entries on the same evidence, never vetoes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from faq.loader import DATA_DIR
from faq.yamlfile import DataFileError, read_mapping, unknown_fields

DEFAULT_DECLINES_PATH = DATA_DIR / "declines.yaml"
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FIELDS = ("about", "id", "margin", "topic")


@dataclass(frozen=True)
class Decline:
    id: str
    topic: str                 # named in the reply: "the page doesn't cover {topic}"
    about: tuple[str, ...]     # concept ids
    margin: float | None = None  # how close to the best entry it still wins (default: matcher.decline_margin)


def load_declines(path: str | Path = DEFAULT_DECLINES_PATH) -> tuple[Decline, ...]:
    path = Path(path)
    raw, problems = read_mapping(path, ["declines"])
    items = raw.get("declines")
    if not isinstance(items, list) or not items:
        raise DataFileError([*problems, f"{path}: field 'declines': must be a non-empty list"])
    out: list[Decline] = []
    seen: set[str] = set()
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            problems.append(f"{path}: decline #{n}: must be a mapping with id, topic and about")
            continue
        did = str(item.get("id") or "").strip()
        where = f"{path}: decline '{did}'" if did else f"{path}: decline #{n}"
        unknown_fields(item, _FIELDS, where, problems)
        if not _ID_RE.match(did):
            problems.append(f"{where} field 'id': missing, or not lowercase letters, digits and hyphens")
        elif did in seen:
            problems.append(f"{where} field 'id': duplicate id")
        seen.add(did)
        topic = item.get("topic")
        if not isinstance(topic, str) or not topic.strip():
            problems.append(f"{where} field 'topic': missing or empty")
        about = item.get("about")
        if not isinstance(about, list) or not about or not all(isinstance(a, str) and a for a in about):
            problems.append(f"{where} field 'about': must be a non-empty list of concept ids")
            continue
        margin = item.get("margin")
        if margin is not None and (isinstance(margin, bool) or not isinstance(margin, (int, float))
                                   or not 0 <= margin <= 100):
            problems.append(f"{where} field 'margin': must be a number from 0 to 100")
            continue
        if isinstance(topic, str) and topic.strip() and _ID_RE.match(did):
            out.append(Decline(did, topic.strip(), tuple(about), None if margin is None else float(margin)))
    if problems:
        raise DataFileError(problems)
    return tuple(out)
