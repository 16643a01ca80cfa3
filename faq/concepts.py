"""Concepts patients talk about and their surface forms (faq/data/concepts.yaml).

A form is matched on stemmed, respelt words, longest form first, so inflections share
one form and "the runs", "loose stools" and "diarrhoea" all land on one concept id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from faq.language import Language, word_list
from faq.loader import DATA_DIR
from faq.normalize import stem
from faq.yamlfile import DataFileError, read_yaml, unknown_fields

DEFAULT_CONCEPTS_PATH = DATA_DIR / "concepts.yaml"
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# How a concept appears among a message's tokens: never equal to a stemmed word.
CONCEPT_MARK = "#"


def concept_token(concept: str) -> str:
    return CONCEPT_MARK + concept


# The attributes a concept may carry in its mapping form, besides its forms (what each means
# for matching is said in concepts.yaml's header; faq.matcher applies them).
_FLAGS = ("points_back", "complaint", "asks_where", "frames_question", "about_the_bot", "who_is_ill")
_EVERYDAY_KINDS = ("body-part", "substance")
_FIELDS = ("weight", "forms", "everyday", "read_from", "not_with", *_FLAGS)


@dataclass(frozen=True)
class ReadFrom:
    """``concept`` is asked when ``source`` is, in a message naming no NET, with none of ``not_with``
    beside it ("how is it treated?" asks for treatment methods, which the page does not give)."""
    concept: str
    source: str
    not_with: frozenset[str]


@dataclass(frozen=True)
class MatchingRules:
    """Concept ids the matcher treats specially, each set read from an attribute in concepts.yaml."""
    body_parts: frozenset[str] = frozenset()       # everyday: body-part
    complaints: frozenset[str] = frozenset()       # complaint: true ("pain", "lump")
    asks_where: frozenset[str] = frozenset()       # asks_where: true ("where", "start in")
    frames_question: frozenset[str] = frozenset()  # frames_question: true ("what is", "where")
    about_the_bot: frozenset[str] = frozenset()    # about_the_bot: true ("this bot", "source")
    who_is_ill: frozenset[str] = frozenset()       # who_is_ill: true ("my son", "children")
    read_from: tuple[ReadFrom, ...] = ()           # read_from: + not_with:


@dataclass(frozen=True)
class ConceptLexicon:
    forms: dict[tuple[str, ...], str]       # stemmed, respelt form -> concept id
    concepts: tuple[str, ...]               # ids in file order
    surface_words: frozenset[str]           # every word of every form, as written (for typo correction)
    longest: int                            # words in the longest form
    weights: dict[str, float]               # concept id -> weight, for the few that count more or less than 1
    single_words: frozenset[str] = frozenset()  # one-word forms as written (respelt)
    pointing: frozenset[str] = frozenset()  # concepts that ask about what the story said ("is that linked?")
    everyday: frozenset[str] = frozenset()  # body parts and substances that exist without any NET ("the pancreas")
    rules: MatchingRules = field(default_factory=lambda: MatchingRules())

    def __contains__(self, concept: object) -> bool:
        return concept in self._ids  # type: ignore[attr-defined]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_ids", frozenset(self.concepts))
        object.__setattr__(self, "_prefixes", frozenset(k[:n] for k in self.forms for n in range(1, len(k) + 1)))

    def longest_at(self, stems: list[str], i: int, skippable: list[bool] | None = None) -> tuple[str, int] | None:
        """(concept, number of message words) of the longest form starting at stems[i], or None.

        Inside a form, up to two message words marked ``skippable`` (filler such as "even",
        "a", "usually") may be passed over: "is it even a cancer" says the form "is it cancer".
        """
        prefixes = self._prefixes  # type: ignore[attr-defined]
        key: tuple[str, ...] = ()
        best, j, skips = None, i, 0
        while j < len(stems) and len(key) < self.longest:
            step = (*key, stems[j])
            if step in prefixes:
                key, j = step, j + 1
                if key in self.forms:
                    best = (self.forms[key], j - i)
            elif key and skippable is not None and skippable[j] and skips < 2:
                j, skips = j + 1, skips + 1
            else:
                break
        return best


def load_concepts(language: Language, path: str | Path = DEFAULT_CONCEPTS_PATH) -> ConceptLexicon:
    """Load and check the concept file; a DataFileError names the file, concept and form of each problem."""
    path = Path(path)
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not raw:
        raise DataFileError([f"{path}: top level must map concept ids to lists of surface forms"])
    problems: list[str] = []
    forms: dict[tuple[str, ...], str] = {}
    written: dict[tuple[str, ...], str] = {}   # stemmed form -> the form as first written
    surface: set[str] = set()
    weights: dict[str, float] = {}
    single: set[str] = set()
    flagged: dict[str, set[str]] = {flag: set() for flag in _FLAGS}
    everyday: dict[str, str] = {}       # concept -> body-part or substance
    read_from: list[tuple[str, Any, Any]] = []
    for concept, items in raw.items():
        concept = str(concept)
        where = f"{path}: concept '{concept}'"
        if not _ID_RE.match(concept):
            problems.append(f"{where}: use lowercase letters, digits and hyphens for the id")
        if isinstance(items, dict):  # {weight: 0.3, forms: [...], and attributes}
            if not _read_attributes(items, concept, where, problems, weights, flagged, everyday, read_from):
                continue
            items = items.get("forms")
        if not isinstance(items, list) or not items:
            problems.append(f"{where}: must be a non-empty list of surface forms, one a line")
            continue
        for form in word_list(items, f"{concept}", path, problems):
            ws = [language.spellings.get(w, w) for w in form.split()]
            if len(ws) == 1:
                single.add(ws[0])
            surface.update(form.split())
            key = tuple(stem(w) for w in ws)
            owner = forms.get(key)
            if owner is None:
                forms[key] = concept
                written[key] = form
            elif owner != concept:
                problems.append(f"{where} form '{form}': already a form of concept '{owner}'"
                                + (f" (as '{written[key]}')" if written[key] != form else "")
                                + "; a form belongs to one concept")
            elif form == written[key]:
                problems.append(f"{where} form '{form}': listed twice")
            else:
                problems.append(f"{where} form '{form}': the stemmer already joins it with '{written[key]}'; "
                                "keep one of them")
    rules = _matching_rules(flagged, everyday, read_from, {str(c) for c in raw}, path, problems)
    if problems:
        raise DataFileError(problems)
    return ConceptLexicon(forms, tuple(str(c) for c in raw), frozenset(surface), max(len(k) for k in forms),
                          weights, frozenset(single), frozenset(flagged["points_back"]), frozenset(everyday), rules)


def _read_attributes(items: dict, concept: str, where: str, problems: list[str], weights: dict[str, float],
                     flagged: dict[str, set[str]], everyday: dict[str, str],
                     read_from: list[tuple[str, Any, Any]]) -> bool:
    """A concept's mapping form: its weight and attributes noted, each bad field a problem naming
    it; False when the forms cannot be read."""
    before = len(problems)
    unknown_fields(items, _FIELDS, where, problems)
    if "forms" not in items:
        problems.append(f"{where}: a mapping needs 'forms' (its surface forms, one a line)")
    weight = items.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 2:
        problems.append(f"{where} field 'weight': must be a number above 0, at most 2 (got {weight!r})")
    elif weight != 1:
        weights[concept] = float(weight)
    for flag in _FLAGS:
        if flag not in items:
            continue
        if items[flag] is True:
            flagged[flag].add(concept)
        else:
            problems.append(f"{where} field '{flag}': write '{flag}: true' or leave it out (got {items[flag]!r})")
    if "everyday" in items:
        if items["everyday"] in _EVERYDAY_KINDS:
            everyday[concept] = items["everyday"]
        else:
            problems.append(f"{where} field 'everyday': must be one of {', '.join(_EVERYDAY_KINDS)} "
                            f"(got {items['everyday']!r})")
    if "read_from" in items or "not_with" in items:
        read_from.append((concept, items.get("read_from"), items.get("not_with", [])))
    return len(problems) == before


def _matching_rules(flagged: dict[str, set[str]], everyday: dict[str, str], read_from: list[tuple[str, Any, Any]],
                    known: set[str], path: Path, problems: list[str]) -> MatchingRules:
    """The matcher's special concepts; a ``read_from`` or ``not_with`` naming no concept is a problem."""
    rules = []
    for concept, source, not_with in read_from:
        where = f"{path}: concept '{concept}'"
        if not isinstance(source, str) or source not in known:
            problems.append(f"{where} field 'read_from': must be the id of another concept in this file "
                            f"(got {source!r})")
            continue
        if not isinstance(not_with, list) or not all(isinstance(c, str) for c in not_with):
            problems.append(f"{where} field 'not_with': must be a list of concept ids")
            continue
        problems.extend(f"{where} field 'not_with': unknown concept '{c}'" for c in not_with if c not in known)
        rules.append(ReadFrom(concept, source, frozenset(not_with)))
    return MatchingRules(frozenset(c for c, kind in everyday.items() if kind == "body-part"),
                         *(frozenset(flagged[flag]) for flag in _FLAGS[1:]), tuple(rules))
