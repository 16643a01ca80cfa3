"""Mask what identifies a person in a message before the review record keeps it.

The rules are data (bot/data/masking.yaml, or ``data.masking``): e-mail addresses (also
spelled out), links, handles, identifying numbers after their name (NHS, hospital,
record), dates of birth and whole dates, addresses and postcodes of several countries,
phone numbers, long digit runs, then names: after a title or role, a person naming
themselves, a relative's name, a greeting or sign-off, a listed first name anywhere.
The operator's own regexes (review.mask_patterns) come last. Each match becomes a
placeholder that still tells a curator what kind of thing was there.

Why rules and not a library: Microsoft Presidio finds names with a spaCy model that has
to be downloaded from a model hub (this project's machines and CI reach package
registries only) and weighs hundreds of MB; scrubadub's name detectors need the same
kind of model or textblob corpora, and its rule detectors cover e-mails, URLs and phone
numbers we already mask. Patients' messages are short and their names come with cues
("my husband John", "I'm Sarah"), which rules catch; rules are also data a curator can
read and extend, and run in microseconds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faq.yamlfile import DataFileError, read_yaml

DEFAULT_MASKING_PATH = Path(__file__).resolve().parent / "data" / "masking.yaml"
MASKS = ("email", "link", "handle", "date", "address", "number", "phone", "name")
PLACEHOLDERS = tuple(f"[{m}]" for m in MASKS)
NAME = "[name]"
_REF = re.compile(r"<<(\w+)>>")


@dataclass(frozen=True)
class Rule:
    name: str
    placeholder: str
    pattern: re.Pattern
    known_ending: bool = False


@dataclass(frozen=True)
class MaskingRules:
    rules: tuple[Rule, ...]
    tlds: frozenset[str]
    first_names: frozenset[str]   # lower case: the listed first names and the word-like ones

    def is_name(self, word: str) -> bool:
        return word.lower() in self.first_names


def _alternation(items: list[str]) -> str:
    # Longest first, so "kind regards" wins over "kind"; whitespace in a phrase matches any run of it.
    return "(?:" + "|".join(re.escape(i).replace(r"\ ", r"\s+") for i in sorted(set(items), key=len, reverse=True)) + ")"


def _problem(path: Path, where: str, text: str) -> str:
    return f"{path}: {where}: {text}"


def parse_rules(raw: Any, path: Path) -> MaskingRules:
    """Check and compile the rules file's content; DataFileError lists every problem."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise DataFileError([_problem(path, "top level", "must be a mapping with rules, lists and macros")])
    for key in raw:
        if key not in ("rules", "lists", "macros"):
            problems.append(_problem(path, str(key), "unknown key (known: lists, macros, rules)"))
    lists: dict[str, str] = {}
    raw_lists = raw.get("lists") or {}
    if not isinstance(raw_lists, dict):
        problems.append(_problem(path, "lists", "must be a mapping of names to lists of words"))
        raw_lists = {}
    for name, items in raw_lists.items():
        if not isinstance(items, list) or not items:
            problems.append(_problem(path, f"lists.{name}", "must be a non-empty list of words or phrases"))
            continue
        bad = [(n, i) for n, i in enumerate(items, 1) if not isinstance(i, str) or not i.strip()]
        for n, item in bad:   # YAML reads a bare no, on, yes as true/false: they need quotes
            problems.append(_problem(path, f"lists.{name}, item {n}", f"must be a word or phrase (got {item!r}; "
                                     "quote it if it is yes, no, on, off or a number)"))
        if not bad:
            lists[str(name)] = _alternation([i.strip() for i in items])
    macros = raw.get("macros") or {}
    if not isinstance(macros, dict) or not all(isinstance(v, str) for v in macros.values()):
        problems.append(_problem(path, "macros", "must be a mapping of names to regular expressions"))
        macros = {}

    def expand(text: str, where: str, depth: int = 0) -> str:
        def one(match: re.Match) -> str:
            ref = match.group(1)
            if ref in lists:
                return lists[ref]
            if ref in macros and depth < 5:
                return expand(macros[ref], f"{where} (in macro {ref})", depth + 1)
            problems.append(_problem(path, where.split(" (in macro")[0], f"unknown list or macro <<{ref}>>"))
            return ""
        return _REF.sub(one, text)

    rules: list[Rule] = []
    raw_rules = raw.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        problems.append(_problem(path, "rules", "must be a non-empty list"))
        raw_rules = []
    for i, entry in enumerate(raw_rules, 1):
        where = f"rule {i}"
        if not isinstance(entry, dict):
            problems.append(_problem(path, where, "must be a mapping with name, mask and pattern"))
            continue
        where = f"rule {i} ({entry.get('name', 'no name')})"
        unknown = set(entry) - {"name", "mask", "pattern", "known_ending"}
        if unknown:
            problems.append(_problem(path, where, f"unknown field(s) {', '.join(sorted(unknown))}"))
        if not isinstance(entry.get("name"), str) or not entry["name"].strip():
            problems.append(_problem(path, where, "name: must be a non-empty text"))
        if entry.get("mask") not in MASKS:
            problems.append(_problem(path, where, f"mask: must be one of {', '.join(MASKS)} (got {entry.get('mask')!r})"))
            continue
        if not isinstance(entry.get("pattern"), str) or not entry["pattern"].strip():
            problems.append(_problem(path, where, "pattern: must be a regular expression (text)"))
            continue
        known_ending = entry.get("known_ending", False)
        if not isinstance(known_ending, bool):
            problems.append(_problem(path, where, "known_ending: must be true or false"))
        before = len(problems)
        regex = expand(entry["pattern"], f"{where}: pattern")
        if len(problems) > before:
            continue
        try:
            compiled = re.compile(regex)
        except re.error as exc:
            problems.append(_problem(path, where, f"pattern: not a valid regular expression ({exc})"))
            continue
        rules.append(Rule(entry["name"], f"[{entry['mask']}]", compiled, bool(known_ending)))
    if problems:
        raise DataFileError(list(dict.fromkeys(problems)))   # a list used by many rules is named once
    names = [n.lower() for key in ("first_names", "cue_names") for n in raw_lists.get(key) or []]
    return MaskingRules(tuple(rules), frozenset(t.lower() for t in raw_lists.get("tlds") or []), frozenset(names))


@functools.lru_cache(maxsize=8)
def load_rules(path: Path = DEFAULT_MASKING_PATH) -> MaskingRules:
    return parse_rules(read_yaml(Path(path)), Path(path))


class Masker:
    def __init__(self, name_patterns: Iterable[str] = (), rules_path: Path | None = None):
        self.rules = load_rules(Path(rules_path) if rules_path else DEFAULT_MASKING_PATH)
        self._extra = [re.compile(p) for p in name_patterns]  # the operator's; validated in bot.config

    def _replace(self, rule: Rule, match: re.Match) -> str:
        text = match.group()
        if rule.known_ending:
            host, slash, _ = text.partition("/")
            ending = host.rsplit(".", 1)[-1].lower()
            # With a path, any ending of letters (t.me/name); without one, only the known endings.
            if not (ending in self.rules.tlds or (slash and ending.isalpha() and len(ending) > 1)):
                return text
        spans = [match.span(g) for g in rule.pattern.groupindex if g.startswith("mask") and match.group(g) is not None]
        if not spans:
            return rule.placeholder
        for start, end in sorted(spans, reverse=True):   # only the named parts: the cue around them stays
            text = text[:start - match.start()] + rule.placeholder + text[end - match.start():]
        return text

    def mask(self, text: str) -> str:
        for rule in self.rules.rules:
            text = rule.pattern.sub(functools.partial(self._replace, rule), text)
        for pattern in self._extra:
            text = pattern.sub(NAME, text)
        return text
