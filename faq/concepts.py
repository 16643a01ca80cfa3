"""Concepts patients talk about and their surface forms (faq/data/concepts.yaml).

A form is matched on stemmed, respelt words, longest form first, so inflections share
one form and "the runs", "loose stools" and "diarrhoea" all land on one concept id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from faq.language import Language, word_list
from faq.loader import DATA_DIR
from faq.normalize import stem
from faq.yamlfile import DataFileError, read_yaml

DEFAULT_CONCEPTS_PATH = DATA_DIR / "concepts.yaml"
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# How a concept appears among a message's tokens: never equal to a stemmed word.
CONCEPT_MARK = "#"


def concept_token(concept: str) -> str:
    return CONCEPT_MARK + concept


@dataclass(frozen=True)
class ConceptLexicon:
    forms: dict[tuple[str, ...], str]       # stemmed, respelt form -> concept id
    concepts: tuple[str, ...]               # ids in file order
    surface_words: frozenset[str]           # every word of every form, as written (for typo correction)
    longest: int                            # words in the longest form
    weights: dict[str, float]               # concept id -> weight, for the few that count more or less than 1
    single_words: frozenset[str] = frozenset()  # one-word forms as written (respelt)
    pointing: frozenset[str] = frozenset()  # concepts that ask about what the story said ("is that linked?")
    everyday: frozenset[str] = frozenset()  # body parts and complaints that exist without any NET ("the pancreas")

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
    pointing: set[str] = set()
    everyday: set[str] = set()
    for concept, items in raw.items():
        concept = str(concept)
        where = f"{path}: concept '{concept}'"
        if not _ID_RE.match(concept):
            problems.append(f"{where}: use lowercase letters, digits and hyphens for the id")
        if isinstance(items, dict):  # {weight: 0.3, forms: [...]}
            weight = items.get("weight", 1.0)
            if items.get("points_back") is True:
                pointing.add(concept)
            if items.get("everyday") is True:
                everyday.add(concept)
            if set(items) - {"weight", "forms", "points_back", "everyday"} or isinstance(weight, bool) \
                    or not isinstance(weight, (int, float)) \
                    or not 0 < weight <= 2:
                problems.append(f"{where}: a mapping needs 'forms' and may have 'weight' (a number above 0, at most 2), "
                                "'points_back: true' and 'everyday: true'")
                continue
            if weight != 1:
                weights[concept] = float(weight)
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
    if problems:
        raise DataFileError(problems)
    return ConceptLexicon(forms, tuple(str(c) for c in raw), frozenset(surface), max(len(k) for k in forms),
                          weights, frozenset(single), frozenset(pointing), frozenset(everyday))
