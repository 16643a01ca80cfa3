"""Picking from what the bot just offered, in plain words (bot/data/choices.yaml).

After a "Did you mean" list, the patient's own two questions, or numbered topics, a patient
answers "the second one", "number 2", "2nd", "the last one", "both", "neither", "now the other
one", "the hormone one", or "yes" to a "Did you mean" with one option. ``Choices.read`` turns such a message into a ``Choice`` (which options, or
none of them), or None when the message is not a choice and should be read as a question.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faq.language import words
from faq.normalize import stem
from faq.yamlfile import DataFileError, number_in, read_mapping, text_items

DEFAULT_CHOICES_PATH = Path(__file__).resolve().parent / "data" / "choices.yaml"
_FIELDS = ("ordinals", "last", "other", "both", "neither", "yes", "fillers", "pointing", "max_words")

# "one" is a filler ("the second one") unless it stands alone or after these ("number one").
_BEFORE_ONE = frozenset({"number", "option", "no"})
# What was offered, as the core remembers it. ASKED: the topics of the patient's own two questions
# ("symptoms and causes?"), offered until both are answered or the talk moves on.
CLARIFY, LIST, ASKED = "clarify", "list", "asked"
_PICK_BY_WORDS = (CLARIFY, ASKED)
# What a choice says.
PICK, ALL, NONE = "pick", "all", "none"


@dataclass(frozen=True)
class Offer:
    kind: str                       # CLARIFY ("Did you mean"), LIST (numbered
                                    # topics), ASKED (the patient's own two questions)
    ids: tuple[str, ...]            # entry ids, in the order shown
    labels: tuple[str, ...] = ()    # what each option says (its topic)
    answered: tuple[str, ...] = ()  # ASKED: the options already answered ("now the other one")

    @property
    def waiting(self) -> tuple[str, ...]:
        return tuple(i for i in self.ids if i not in self.answered)


@dataclass(frozen=True)
class Choice:
    what: str                       # PICK, ALL or NONE
    ids: tuple[str, ...] = ()       # the options chosen (PICK: one; ALL: every one)
    by_words: bool = False          # picked by the option's own words ("the hormone one")
    out_of_range: bool = False      # a number with no option behind it ("5" of two)


@dataclass(frozen=True)
class Choices:
    ordinals: dict[str, int]
    last: frozenset[str]
    other: frozenset[str]
    both: frozenset[tuple[str, ...]]
    neither: frozenset[tuple[str, ...]]
    yes: frozenset[tuple[str, ...]]
    fillers: frozenset[str]
    max_words: int
    pointing: frozenset[str] = frozenset()   # "the genes one": words that point at an option

    def read(self, text: str, offer: Offer | None) -> Choice | None:
        if offer is None or not offer.ids:
            return None
        ws = tuple(words(text))
        if not ws or len(ws) > self.max_words:
            return None
        several = offer.kind in (CLARIFY, ASKED) and len(offer.ids) > 1
        if offer.kind == CLARIFY and len(offer.ids) == 1 and ws in self.yes:   # "Did you mean" one topic
            return Choice(PICK, offer.ids[:1])
        if offer.kind in _PICK_BY_WORDS and ws in self.neither:
            return Choice(NONE)
        if several and ws in self.both:
            return Choice(ALL, offer.ids)
        rest = [w for w in ws if w not in self.fillers]
        if ws[-1] == "one" and set(ws[:-1]) <= _BEFORE_ONE:
            rest = ["one"]              # "one", "number one": the first ("the second one": "one" is a filler)
        if offer.kind == ASKED and len(offer.waiting) == 1 and rest and set(rest) <= self.other:
            return Choice(PICK, offer.waiting)   # "now the other one": the question not yet answered
        if len(rest) == 1:
            n = self._number(rest[0], len(offer.ids))
            if n is not None:
                if 1 <= n <= len(offer.ids):
                    return Choice(PICK, (offer.ids[n - 1],))
                return Choice(PICK, (), out_of_range=True)
        if offer.kind in _PICK_BY_WORDS and rest and offer.labels:
            # "do the where one first": the option's own words say which, whatever ordinal is beside them.
            named = [w for w in rest if self._number(w, len(offer.ids)) is None]
            return self._by_words(named, offer) if named else None
        return None

    def _number(self, word: str, count: int) -> int | None:
        if word in self.last:
            return count
        if word in self.ordinals:
            return self.ordinals[word]
        digits = word.removesuffix("st").removesuffix("nd").removesuffix("rd").removesuffix("th")
        return int(digits) if digits.isdigit() and len(digits) <= 3 else None

    def _by_words(self, rest: list[str], offer: Offer) -> Choice | None:
        """The one option whose label holds every word said ("the hormone one")."""
        said = {stem(w) for w in rest}
        fits = [i for i, label in zip(offer.ids, offer.labels) if said <= {stem(w) for w in words(label)}]
        return Choice(PICK, (fits[0],), by_words=True) if len(fits) == 1 else None


# -- loading ---------------------------------------------------------------------

def _phrases(raw: Any, key: str, path: Path, problems: list[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(words(item)) for item in text_items(raw, f"{path}: field '{key}'", problems,
                                                                has_words=words))


def load_choices(path: str | Path = DEFAULT_CHOICES_PATH) -> Choices:
    path = Path(path)
    raw, problems = read_mapping(path, _FIELDS, required=True)
    ordinals: dict[str, int] = {}
    body = raw.get("ordinals")
    if not isinstance(body, dict) or not body:
        problems.append(f"{path}: field 'ordinals': must map words to option numbers (second: 2)")
        body = {}
    for word, n in body.items():
        ws = words(str(word))
        if len(ws) != 1 or isinstance(word, bool):
            problems.append(f"{path}: field 'ordinals' item {word!r}: one word only (quote yes, no, on, off)")
        elif number_in(n, f"{path}: field 'ordinals' item {word!r}", 1, 20, problems, whole=True, default=0):
            ordinals[ws[0]] = n
    lists = {k: _phrases(raw.get(k), k, path, problems)
             for k in ("last", "other", "both", "neither", "yes", "fillers", "pointing")}
    for key in ("last", "other", "fillers", "pointing"):
        for phrase in sorted(lists[key]):
            if len(phrase) != 1:
                problems.append(f"{path}: field '{key}' item {' '.join(phrase)!r}: one word only")
    for a, b in (("yes", "neither"), ("both", "neither"), ("both", "yes")):
        for phrase in sorted(lists[a] & lists[b]):
            problems.append(f"{path}: field '{b}': {' '.join(phrase)!r} is also under '{a}'")
    max_words = number_in(raw.get("max_words"), f"{path}: field 'max_words'", 1, 20, problems, whole=True)
    if problems:
        raise DataFileError(problems)
    return Choices(ordinals, frozenset(p[0] for p in lists["last"]), frozenset(p[0] for p in lists["other"]),
                   lists["both"], lists["neither"], lists["yes"],
                   frozenset(p[0] for p in lists["fillers"]), max_words, frozenset(p[0] for p in lists["pointing"]))
