"""Picking from what the bot just offered, in plain words (bot/data/choices.yaml).

After a "Did you mean" list, the patient's own two questions, or numbered topics, a patient
answers "the second one", "number 2", "2nd", "the last one", "both", "neither", "now the other
one", "the hormone one", or "yes" to a "Did you mean" with one option. ``Choices.read`` turns such a message into a ``Choice`` (which options, or
none of them), or None when the message is not a choice and should be read as a question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein

from faq.language import words
from faq.normalize import Corrector, plausible_slip, stem
from faq.yamlfile import DataFileError, number_in, read_mapping, text_items

DEFAULT_CHOICES_PATH = Path(__file__).resolve().parent / "data" / "choices.yaml"
_FIELDS = ("ordinals", "last", "other", "both", "neither", "yes", "fillers", "pointing", "in_order", "adverbs",
           "max_words", "closings", "sign_offs", "salutations", "back", "idioms")

# A word this long that starts an option's word, or is started by one, names it ("sympt", "formation").
_MIN_PREFIX = 4
# A slip in a choice's own words is read as meant from this length (faq/normalize.py plausible_slip).
_MIN_SLIP = 5
# "one" is a filler ("the second one") unless it stands alone or after these ("number one").
_BEFORE_ONE = frozenset({"number", "option", "no"})
# What was offered, as the core remembers it. ASKED: the topics of the patient's own two questions
# ("symptoms and causes?"), offered until both are answered or the talk moves on.
CLARIFY, LIST, ASKED = "clarify", "list", "asked"
_PICK_BY_WORDS = (CLARIFY, ASKED)
# Words that make a pick's words say more ("take them all", "i just want the rest", "i need rest"): the safety
# model reads such a message, as it reads any that is more than a bare pick.
_SAYS_MORE = frozenset({"take", "taking", "want", "need", "give", "done", "end", "enough", "over", "anymore", "just",
                        "go", "going", "gone", "tired", "sleep", "forever", "good"})
# What a choice says.
PICK, ALL, NONE = "pick", "all", "none"
# Bounds of what is kept of the messages read: their words (the last few), and each word as respelt.
_WORDS_KEPT = 16
_RESPELLINGS_KEPT = 50_000


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
    out_of_range: bool = False      # a number with no option behind it ("5" of two), or "yes" to several


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
    in_order: frozenset[str] = frozenset()   # "2 then 1": words that join options in the order wanted
    adverbs: frozenset[str] = frozenset()    # "the second first": an ordinal that says when, beside another
    closings: frozenset[tuple[str, ...]] = frozenset()   # "yours faithfully": a letter's closing and signature
    sign_offs: frozenset[tuple[str, ...]] = frozenset()  # "that's all": the chat closed, not a pick of "all"
    salutations: frozenset[tuple[str, ...]] = frozenset()  # "Dear team,": a letter's opening, not read
    back: frozenset[tuple[str, ...]] = frozenset()  # "the first thing I asked": the list before the last reply
    idioms: frozenset[tuple[str, ...]] = frozenset()  # "first of all", "all good": a pick's words, no pick
    # Respells a slip of a choice's own words ("secnd", "the ither one"); a known word stays itself.
    speller: Corrector | None = field(default=None, compare=False, repr=False)
    # The words of the last few messages read, and each word as respelt: a message is read up to five
    # times a turn (picks, "the other", bare or not), and most words have been seen before. New with the speller.
    _read_words: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    _respellings: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def with_vocabulary(self, known: Iterable[str]) -> Choices:
        """The same choices, reading a misspelt ordinal, "other" or "latter" as that word when it is no
        word of ``known`` ("mother" stays "mother") and a slip of the finger: a letter left out ("secnd"),
        two swapped ("frist") or a neighbouring key ("ither"); never a word of four letters or fewer, nor
        one with a letter more, which are mostly other words ("past", "bath", "booth", "reset")."""
        targets = {w for w in (*self.ordinals, *self.last, *self.other, *(p[0] for p in self.both if len(p) == 1))
                   if w.isalpha() and len(w) >= _MIN_SLIP}
        return replace(self, speller=Corrector(set(known) | targets | self.fillers, targets, min_length=_MIN_SLIP,
                                               plausible=_finger_slip), _read_words={}, _respellings={})

    def _words(self, text: str) -> tuple[str, ...]:
        found = self._read_words.get(text)
        if found is None:
            ws = self._without_closing(words(self._without_salutation(text)))
            ws = tuple(self._respelt(w) for w in ws) if self.speller else tuple(ws)
            while (said := _span(ws, self.idioms)) is not None:   # "first of all", "all good": no pick
                ws = (*ws[:said[0]], *ws[said[1]:])
            if len(self._read_words) >= _WORDS_KEPT:
                self._read_words.pop(next(iter(self._read_words)))
            found = self._read_words[text] = ws
        return found

    def _respelt(self, word: str) -> str:
        said = self._respellings.get(word)
        if said is None:
            said = self._respell(word)
            if len(self._respellings) < _RESPELLINGS_KEPT:
                self._respellings[word] = said
        return said

    def _respell(self, word: str) -> str:
        """A slip of the finger ("secnd", "ither"), or a choice's word as sounded out: its vowels left
        out as in a text ("frst", "scnd", "bth") or a vowel written "u" ("secund", "uther")."""
        said = self.speller.correct(word)
        if said != word or word in self.speller.vocabulary or not word.isalpha():
            return said
        return next((t for t in self._sounded if _sounded_out(word, t) or _th_fronted(word, t)), word)

    @cached_property
    def _sounded(self) -> tuple[str, ...]:
        return tuple(sorted(w for w in (*self.ordinals, *self.last, *self.other, *(p[0] for p in self.both if len(p) == 1))
                            if w.isalpha() and len(w) >= _MIN_PREFIX))

    @cached_property
    def _pick_words(self) -> frozenset[str]:
        """Every one-word pick: ordinals, "last", "other", "both", "neither", "yes"."""
        return frozenset({*self.ordinals, *self.last, *self.other,
                          *(p[0] for p in (*self.both, *self.neither, *self.yes) if len(p) == 1)})

    def _without_salutation(self, text: str) -> str:
        """The text after a letter's salutation, up to its first comma, colon or line break ("Dear team, the
        second, if you please", "To whom it may concern: both please", "Hello, the second one please")."""
        opened = _SALUTATION_RE.match(text)
        said = tuple(words(opened.group(1))) if opened else ()
        if opened and words(opened.group(2)) and any(said[:len(o)] == o for o in self.salutations):
            return opened.group(2)
        return text

    def _without_closing(self, ws: list[str]) -> list[str]:
        """The words before a letter's closing ("... if you please. Yours faithfully, D. Ames"), without the
        words that close the chat ("the first please, that's all": the pick; "thanks, that's all for now":
        nothing picked, not "all of them")."""
        closing = _span(ws, self.closings)
        ws = ws[:closing[0]] if closing and closing[0] else ws
        while (said := _span(ws, self.sign_offs)) is not None:
            ws = ws[:said[0]] + ws[said[1]:]
        return ws

    def read(self, text: str, offer: Offer | None) -> Choice | None:
        if offer is None or not offer.ids:
            return None
        return self._read(self._pointed_back(self._words(text))[0], offer)

    def _pointed_back(self, ws: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
        """The words without those that point back to a list ("the first thing I asked"), and whether any did."""
        pointed = False
        while (back := _span(ws, self.back)) is not None:
            ws, pointed = (*ws[:back[0]], *ws[back[1]:]), True
        return ws, pointed

    def read_back(self, text: str, offer: Offer, just_picked: bool = False) -> Choice | None:
        """A pick from a list shown before the last reply: said as pointing back ("and the first thing I
        asked?", "the 2nd one u said", "go back to the first one"); or, right after one of its options was
        picked (``just_picked``) and while another waits, one option said in words that count or ask for
        the other ("and the second?", "n the other one"). A bare number ("2", "option 1"), "both" or "no"
        is read against the list on show, as a tapped button would be; after a question of the patient's
        own, only words that point back reach the old list."""
        ws, pointed = self._pointed_back(self._words(text))
        if pointed:
            return self._read(ws, offer)
        if not (just_picked and offer.answered and offer.waiting) or any(w.isdigit() for w in ws) \
                or {"option", "options", "number", "no"} & set(ws):
            return None
        choice = self._read(ws, offer)
        return choice if choice is not None and choice.what == PICK and not choice.out_of_range else None

    def refusal(self, text: str) -> tuple[str, str] | None:
        """(the words refused, the rest) of a pick said beside what it is not: "not the symptoms, the other
        one", "no not the cause - the spreading one", "the spreading one, not the cause"; else None."""
        said = _REFUSED_FIRST.match(text) or _REFUSED_LAST.match(text)
        if said is None:
            return None
        refused, rest = said.group("refused"), said.group("rest")
        return (refused, rest) if words(refused) and words(rest) else None

    def says_other(self, text: str) -> bool:
        """Whether the words only ask for the other option ("the other one", "the other thing")."""
        ws = [w for w in self._words(text) if w not in self.fillers and w not in self.pointing]
        return bool(ws) and set(ws) <= self.other

    def counts(self, text: str) -> bool:
        """Whether the message says an ordinal, a number, "last" or "other" ("simptums frst"): the order of
        what was offered, which the model cannot read."""
        return any(w in self.other or self._number(w, 99) is not None for w in self._words(text))

    def says_nothing(self, text: str) -> bool:
        """Whether nothing is left to read once a letter's opening and closing, sign-offs and idioms are
        taken out ("other than that, all good")."""
        return not self._words(text)

    def is_bare(self, text: str) -> bool:
        """Whether the message says nothing but a pick and its fillers ("2", "the second one please", "The latter,
        if you please"): the safety model has nothing to read in it. "take them all" or "i want the rest" say
        more."""
        ws = self._words(text)
        return bool(ws) and not _SAYS_MORE & set(ws) and all(
            w in self._pick_words or w in self.fillers or self._number(w, 99) is not None for w in ws)

    def _read(self, ws: tuple[str, ...], offer: Offer) -> Choice | None:
        if not ws or len(ws) > self.max_words:
            return None
        several = offer.kind in (CLARIFY, ASKED) and len(offer.ids) > 1
        if offer.kind == CLARIFY and len(offer.ids) == 1 and ws in self.yes:   # "Did you mean" one topic
            return Choice(PICK, offer.ids[:1])
        if several and ws in self.yes:   # "yes" to several: asked which, like a number with no option behind it
            return Choice(PICK, (), out_of_range=True)
        if offer.kind in _PICK_BY_WORDS and ws in self.neither:
            return Choice(NONE)
        if several and ws in self.both:
            return Choice(ALL, offer.ids)
        rest = [w for w in ws if w not in self.fillers]
        if several and rest and all(self._says_both(w) for w in rest):
            return Choice(ALL, offer.ids)   # "both of them please", "boht"
        count = len(offer.ids)
        numbered = [w for w in rest if self._number(w, count) is not None]
        ordered = self._in_order(ws, rest, numbered, offer) if several else None
        if ordered is not None:
            return ordered
        if len(numbered) == 2 and numbered[0] != numbered[1]:
            # "First the second one please", "the second first": one ordinal says when, the other which.
            when = [w for w in numbered if w in self.adverbs and self._says_when(ws, w)]
            if len(when) == 1:
                rest = [w for w in rest if w != when[0]]
        if ws[-1] == "one" and set(ws[:-1]) <= _BEFORE_ONE:
            rest = ["one"]              # "one", "number one": the first ("the second one": "one" is a filler)
        if offer.answered and len(offer.waiting) == 1 and rest and set(rest) <= self.other:
            return Choice(PICK, offer.waiting)   # "now the other one": the option not yet answered
        if len(rest) == 1 and (n := self._number(rest[0], count)) is not None:
            return self._numbered(n, offer)
        if offer.kind in _PICK_BY_WORDS and rest and offer.labels:
            # "do the where one first": the option's own words say which, whatever ordinal is beside them.
            named = [w for w in rest if w not in numbered]
            return self._by_words(named, offer) if named else None
        return None

    def _in_order(self, ws: tuple[str, ...], rest: list[str], numbered: list[str], offer: Offer) -> Choice | None:
        """ "2 then 1", "the second first, then the first", "both, the latter first": every option,
        in the order said (two different numbers joined by "then", "and"..., or "both" beside one), and
        nothing else said ("1 year ago and 2 sisters" is no choice)."""
        numbers = [self._number(w, len(offer.ids)) for w in numbered]
        if any(not 1 <= n <= len(offer.ids) for n in numbers):
            return None
        said_both = any((w,) in self.both for w in rest)
        if set(rest) - set(numbered) - self.in_order - self.adverbs - {w for (w, *more) in self.both if not more}:
            return None
        joined = len(set(numbers)) >= 2 and bool(self.in_order & set(ws))
        if not (joined or (said_both and numbers)):
            return None
        order = [offer.ids[n - 1] for n in dict.fromkeys(numbers)]
        return Choice(ALL, (*order, *(i for i in offer.ids if i not in order)))

    @staticmethod
    def _says_when(ws: tuple[str, ...], word: str) -> bool:
        """ "first" says when unless it names an option: "the first (one)"."""
        i = ws.index(word)
        return not (i and ws[i - 1] == "the") and not (i + 1 < len(ws) and ws[i + 1] in ("one", "ones"))

    def _says_both(self, word: str) -> bool:
        """ "both", or "both" with two letters swapped ("boht")."""
        if (word,) in self.both:
            return True
        return len(word) >= _MIN_PREFIX and any(len(p) == 1 and len(p[0]) >= _MIN_PREFIX and _one_slip(word, p[0])
                                                for p in self.both)

    @staticmethod
    def _numbered(n: int, offer: Offer) -> Choice:
        if 1 <= n <= len(offer.ids):
            return Choice(PICK, (offer.ids[n - 1],))
        return Choice(PICK, (), out_of_range=True)

    def _number(self, word: str, count: int) -> int | None:
        if word in self.last:
            return count
        if word in self.ordinals:
            return self.ordinals[word]
        digits = word.removesuffix("st").removesuffix("nd").removesuffix("rd").removesuffix("th")
        digits = digits[1:] if digits[:1] == "q" else digits   # "Q2": the second question
        return int(digits) if digits.isdigit() and len(digits) <= 3 else None

    def _by_words(self, rest: list[str], offer: Offer) -> Choice | None:
        """The one option whose label holds every word said ("the hormone one")."""
        said = {stem(w) for w in rest}
        fits = [i for i, label in zip(offer.ids, offer.labels)
                if all(any(_same_word(s, stem(w)) for w in words(label)) for s in said)]
        return Choice(PICK, (fits[0],), by_words=True) if len(fits) == 1 else None


# A pick beside what it is not: "not X, Y" ("no, not the symptoms - the other one") and "Y, not X".
_REFUSED_FIRST = re.compile(r"^\W*(?:(?:no+|nah|nope)\W+)?not\s+(?P<refused>[^,;:.!?\-–—]+?)"
                            r"(?:\s*[,;:.!?]+\s*|\s+[-–—]\s*|\s+(?=but\s))(?:but\s+)?(?:i\s+meant?\s+|i\s+want\s+)?"
                            r"(?P<rest>.+)$", re.IGNORECASE | re.DOTALL)
_REFUSED_LAST = re.compile(r"^\W*(?P<rest>[^,;:.!?]+?)(?:\s*[,;:]\s*|\s+[-–—]\s*|\s+(?=not\s))(?:but\s+)?not\s+"
                           r"(?P<refused>[^,;:.!?]+?)\W*$", re.IGNORECASE | re.DOTALL)
_SALUTATION_RE = re.compile(r"([^,:\n]*)[,:\n](.*)", re.DOTALL)   # (before the first break, the rest)


def _span(ws, phrases: frozenset[tuple[str, ...]]) -> tuple[int, int] | None:  # noqa: ANN001
    """Where the first of ``phrases`` among the words ``ws`` starts and ends, else None."""
    starting = _by_first_word(phrases)
    return next(((i, i + len(p)) for i, w in enumerate(ws) for p in starting.get(w, ())
                 if tuple(ws[i:i + len(p)]) == p), None)


@lru_cache(maxsize=32)
def _by_first_word(phrases: frozenset[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The phrases by their first word, each word's in the order the set gives them (as a scan of all would)."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:
        if p:
            index.setdefault(p[0], []).append(p)
    return {w: tuple(ps) for w, ps in index.items()}


_VOWELS = frozenset("aeiou")


def _sounded_out(said: str, word: str) -> bool:
    """ ``said`` is ``word`` with some of its vowels left out ("frst", "scnd", "bth"; three letters or more),
    or spelt as it sounds, a vowel written "u", in a word of five letters or more ("secund", "uther",
    "thurd"); another vowel changed is mostly another word ("farmer", "ether")."""
    if len(said) == len(word):
        diffs = [(a, b) for a, b in zip(said, word) if a != b]
        return len(word) >= _MIN_SLIP and len(diffs) == 1 and diffs[0][0] == "u" and diffs[0][1] in _VOWELS
    if len(said) < 3 or len(said) > len(word) or said[0] != word[0]:
        return False
    i = 0
    for letter in word:
        if i < len(said) and said[i] == letter:
            i += 1
        elif letter not in _VOWELS:
            return False
    return i == len(said)


def _th_fronted(said: str, word: str) -> bool:
    """ ``word`` said with "th" sounded "f" or "v", as in London or Essex speech, and written so ("bofe", "boff",
    "uvver"): a doubled letter and a final silent "e" are how such a word is spelt by ear."""
    if "th" not in word or len(said) < 3:
        return False
    said = re.sub(r"(.)\1", r"\1", said)
    said = said[:-1] if said.endswith("e") and not word.endswith("e") else said
    return any(said == word.replace("th", sound) or _sounded_out(said, word.replace("th", sound))
               for sound in ("f", "v"))


def _finger_slip(said: str, word: str) -> bool:
    """A slip of the finger that adds no letter ("reset" is a word, not "rest" mistyped)."""
    return len(said) <= len(word) and plausible_slip(said, word)


def _one_slip(said: str, word: str) -> bool:
    """Two letters swapped ("boht"); never a letter changed or added ("bath", "booth" are words)."""
    return len(said) == len(word) and sorted(said) == sorted(word) and DamerauLevenshtein.distance(said, word) == 1


def _same_word(said: str, label: str) -> bool:
    """A word of an option's label, or cut short ("sympt"), or grown from it ("formation" for "form")."""
    if said == label:
        return True
    short, long = sorted((said, label), key=len)
    return len(short) >= _MIN_PREFIX and long.startswith(short)


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
             for k in ("last", "other", "both", "neither", "yes", "fillers", "pointing", "in_order", "adverbs",
                       "closings", "sign_offs", "salutations", "back", "idioms")}
    for key in ("last", "other", "fillers", "pointing", "in_order", "adverbs"):
        for phrase in sorted(lists[key]):
            if len(phrase) != 1:
                problems.append(f"{path}: field '{key}' item {' '.join(phrase)!r}: one word only")
    for a, b in (("yes", "neither"), ("both", "neither"), ("both", "yes")):
        for phrase in sorted(lists[a] & lists[b]):
            problems.append(f"{path}: field '{b}': {' '.join(phrase)!r} is also under '{a}'")
    for phrase in sorted(lists["adverbs"]):
        if len(phrase) == 1 and phrase[0] not in ordinals:
            problems.append(f"{path}: field 'adverbs' item {phrase[0]!r}: not one of the ordinals")
    max_words = number_in(raw.get("max_words"), f"{path}: field 'max_words'", 1, 20, problems, whole=True)
    if problems:
        raise DataFileError(problems)
    return Choices(ordinals, frozenset(p[0] for p in lists["last"]), frozenset(p[0] for p in lists["other"]),
                   lists["both"], lists["neither"], lists["yes"],
                   frozenset(p[0] for p in lists["fillers"]), max_words, frozenset(p[0] for p in lists["pointing"]),
                   frozenset(p[0] for p in lists["in_order"]), frozenset(p[0] for p in lists["adverbs"]),
                   lists["closings"], lists["sign_offs"], lists["salutations"], lists["back"], lists["idioms"])
