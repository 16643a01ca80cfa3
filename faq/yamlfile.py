"""Reading a curator-edited YAML file into plain data, with errors a curator can act on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

# LibYAML's C parser when PyYAML was built with it (the wheels are): the same safe
# loader, several times faster, which keeps start-up short.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: object, mark: yaml.Mark):
        self.problem = f"key {key!r} is listed twice in one mapping (the second would silently win)"
        self.problem_mark = mark
        super().__init__(self.problem)


class _SafeLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing a key listed twice in one mapping instead of keeping the last."""

    def construct_mapping(self, node, deep=False):  # noqa: ANN001
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                if key in seen:
                    raise _DuplicateKey(key, key_node.start_mark)
                seen.add(key)
            except TypeError:  # an unhashable key: the base loader reports it
                pass
        return super().construct_mapping(node, deep=deep)


class DataFileError(Exception):
    """One or more problems in a data file; str() is the message to show, one problem a line."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def read_yaml(path: Path) -> Any:
    """Parse ``path`` with PyYAML's safe loader; any failure becomes a DataFileError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError([f"{path}: file not found"]) from None
    except IsADirectoryError:
        raise DataFileError([f"{path}: is a directory, not a file"]) from None
    except UnicodeDecodeError as exc:
        raise DataFileError([f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    except OSError as exc:
        raise DataFileError([f"{path}: cannot read ({exc.strerror})"]) from None
    try:
        return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DataFileError([f"{path}:{where}: malformed YAML: {problem}"]) from None


def read_mapping(path: Path, known: list[str] | tuple[str, ...] | set[str] | frozenset[str], what: str = "field",
                 *, required: bool = False) -> tuple[dict, list[str]]:
    """Read a YAML file whose top level maps known keys to values: (the mapping, a problem per
    unknown key, and with ``required`` a problem per known key that is missing).

    A top level that is not a mapping is fatal and raises at once.
    """
    known = sorted(known)
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise DataFileError([f"{path}: top level must be a mapping of {', '.join(known)}"])
    problems = [f"{path}: field '{key}': unknown {what} (known: {', '.join(known)})"
                for key in sorted(set(raw) - set(known), key=str)]
    if required:
        problems += [f"{path}: {what} '{key}': missing" for key in known if key not in raw]
    return raw, problems


def text_items(raw: Any, where: str, problems: list[str], *, has_words: Callable[[str], Any] = str.strip,
               unique: bool = False, allow_empty: bool = False) -> list[str]:
    """The items of a curated list, one a line, as text; a problem per bad item, naming ``where``
    (file and field) and the item's number. YAML reads a bare yes/no/on/off as true/false: that
    is reported with the fix ("put it in quotes") rather than taken as a word."""
    if not isinstance(raw, list) or (not raw and not allow_empty):
        problems.append(f"{where}: must be a {'' if allow_empty else 'non-empty '}list of words or phrases, one a line")
        return []
    out: list[str] = []
    seen: set[str] = set()
    for i, item in enumerate(raw, 1):
        if isinstance(item, bool):
            problems.append(f"{where} item {i}: YAML read a bare word as {str(item).lower()} "
                            "(yes, no, on, off, true, false); put the word in quotes")
        elif not isinstance(item, (str, int, float)) or not has_words(str(item)):
            problems.append(f"{where} item {i}: empty or not text")
        elif unique and str(item) in seen:
            problems.append(f"{where} item {i}: {item!r} is listed twice")
        else:
            seen.add(str(item))
            out.append(str(item))
    return out


def number_in(value: Any, where: str, low: float, high: float, problems: list[str], *, whole: bool = False,
              default: float | None = None) -> Any:
    """``value`` when it is a number (a whole one with ``whole``) from ``low`` to ``high``; else a
    problem naming ``where`` (file and field) and ``default`` (``low`` unless given)."""
    if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)) or not low <= value <= high:
        kind = "a whole number" if whole else "a number"
        problems.append(f"{where}: must be {kind} from {low:g} to {high:g} (got {value!r})")
        return low if default is None else default
    return value


def unknown_fields(spec: dict, known: list[str] | tuple[str, ...], where: str, problems: list[str]) -> None:
    """A problem per key of ``spec`` (one entry of a file) that is not one of ``known``."""
    for key in sorted(set(spec) - set(known), key=str):
        problems.append(f"{where} field '{key}': unknown field (known: {', '.join(known)})")


def entry_id_list(raw: Any, where: str, problems: list[str], known: set[str] | None, *, required: bool) -> list[str]:
    """A list of FAQ entry ids (``required``: at least one); each checked against ``known`` when given."""
    if not isinstance(raw, list) or (required and not raw) or not all(isinstance(i, str) for i in raw):
        problems.append(f"{where}: must be a list of FAQ entry ids")
        return []
    for i in raw:
        if known is not None and i not in known:
            problems.append(f"{where}: unknown FAQ entry id '{i}'")
    return raw


def named_mapping(raw: Any, where: str, explain: str, problems: list[str], *, required: tuple[str, ...] = (),
                  missing: Callable[[str], str] = str) -> dict:
    """A section mapping names to their specs ("``where``: must map ``explain``" if it is not), with
    the problem ``missing(name)`` for each ``required`` name it lacks."""
    if not isinstance(raw, dict):
        problems.append(f"{where}: must map {explain}")
        raw = {}
    problems.extend(missing(name) for name in required if name not in raw)
    return raw


def range_problem(key: str, value: float, low: float, high: float) -> str | None:
    """The one wording of a setting outside its range (the bot's config and the matcher's settings)."""
    if low <= value <= high:
        return None
    shown = f"{value:g}" if isinstance(value, float) else repr(value)
    return f"{key}: must be between {low:g} and {high:g} (got {shown})"
