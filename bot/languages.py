"""Messages in other languages (bot/data/languages.yaml): spot them, say the bot reads
English only in the patient's language, and catch emergencies written in them.

Language identification is py3langid's (its model ships in the package). It is loaded
on the first message that could need it, not at start-up, and it is trusted only with
two other signals: almost no English words and a message long enough to judge.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from faq.language import clean_text, words
from faq.yamlfile import (DataFileError, named_mapping, number_in, read_mapping, text_items,
                          unknown_fields)

DEFAULT_LANGUAGES_PATH = Path(__file__).resolve().parent / "data" / "languages.yaml"
REQUIRED = ("es", "fr", "de", "pt", "it", "pl", "ar", "hi", "zh")
_TOP = ("detect_among", "min_confidence", "max_english_share", "min_words", "english_words", "languages",
        "nearly_no_english")
_LANGUAGE_FIELDS = ("name", "english_only", "emergency_line", "crisis_line", "emergency", "crisis", "negations")
_TOKEN = re.compile(r"\w+")
_LATIN = re.compile(r"[a-z]")
# Where one piece of a message ends and the next begins, for messages in two languages: a sentence's
# end, a comma, a colon, a dash, a line break ("Hola, mi mamá tiene un NET. What are the symptoms?").
# A clause's end for a negation's reach ("no, quiero morir": the "no" answers something else).
_CLAUSE_END = re.compile(r"[.!?;:,¿¡()\n]+")
_BREAK = "0clausebreak0"   # a token no phrase of any language holds
_PIECES = re.compile(r"(?<=[.!?;:,¿¡])\s+|\s+[-–—]\s+|\n+")


def _tokens(text: str) -> list[str]:
    """Words of any script, case, accents and apostrophes folded ("j'étouffe" -> "jetouffe")."""
    return _TOKEN.findall(clean_text(text).replace("'", ""))


def _spaced_script(phrase: str) -> bool:
    """Whether words of this phrase are whole words between spaces (Latin, Cyrillic, Greek...)."""
    return all(unicodedata.name(ch, "").startswith(("LATIN", "CYRILLIC", "GREEK", "DIGIT"))
               for ch in phrase if ch.isalnum())


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]   # for spaced scripts; a last word ending in "*" matches any ending
    glued: str               # for the rest: matched anywhere in the message, spaces ignored


@dataclass(frozen=True)
class ForeignLanguage:
    code: str
    name: str
    english_only: str
    emergency_line: str
    crisis_line: str
    emergency: tuple[_Phrase, ...]
    crisis: tuple[_Phrase, ...]
    negations: frozenset[str] = frozenset()   # words that, right before a crisis phrase, deny it


@dataclass(frozen=True)
class ForeignHit:
    language: ForeignLanguage
    category: str            # "emergency" or "crisis", as bot.safety names them


@lru_cache(maxsize=4)
def _identifier(detect_among: tuple[str, ...]):
    """py3langid's identifier, restricted to ``detect_among``: loaded on first use (about a
    second) and shared by every conversation; most messages never need it."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(detect_among))
    return identifier


# A phrase of this many words or more may have one other word between any two of its words ("dor forte no
# peito" for "dor no peito"; "dolor muy fuerte en el pecho" has two: not), as the English rules allow words in between.
_GAP_FROM = 3


def _word_hit(word: str, token: str) -> bool:
    return token == word or (word.endswith("*") and token.startswith(word[:-1]))


def _phrase_at(phrase: _Phrase, tokens: list[str], glued: str) -> tuple[int, int] | None:
    """Where the phrase is among the tokens, (first, last + 1); (0, 0) for a phrase of a script without spaces."""
    if not phrase.words:
        return (0, 0) if phrase.glued in glued else None
    ws = phrase.words
    gap = 1 if len(ws) >= _GAP_FROM else 0

    def end_from(k: int, at: int) -> int | None:   # phrase words from k on, the first at token ``at`` or ``at`` + gap
        if k == len(ws):
            return at
        for g in range(gap + 1):
            if at + g < len(tokens) and _word_hit(ws[k], tokens[at + g]):
                end = end_from(k + 1, at + g + 1)
                if end is not None:
                    return end
        return None
    for i, t in enumerate(tokens):
        end = end_from(1, i + 1) if _word_hit(ws[0], t) else None
        if end is not None:
            return i, end
    return None


def _denied(phrase: _Phrase, span: tuple[int, int], tokens: list[str], negations: frozenset[str]) -> bool:
    """A crisis phrase said with a negation of its own language right before it or inside it, in the same clause:
    "no quiero morir", "ik wil niet dood" (I don't want to die) are fear, not a wish to die. A phrase that holds a
    negation itself ("nie chcę już żyć", "nicht mehr leben") is never denied so, nor one a comma parts from the
    negation ("no, quiero morir")."""
    first, end = span
    if negations & set(phrase.words):
        return False
    return bool(negations & set(tokens[max(first - 1, 0):end]))


class Languages:
    def __init__(self, languages: dict[str, ForeignLanguage], english_words: Iterable[str],
                 detect_among: tuple[str, ...], min_confidence: float, max_english_share: float, min_words: int,
                 nearly_no_english: tuple[float, float] = (0.0, 1.0)):
        self.languages = languages
        self._ordered = list(languages.values())   # a phrase's language by its order, as indexed below
        # (share, confidence): a message with at most this share of English words needs only this confidence.
        self.nearly_no_english = nearly_no_english
        self.english_words = frozenset(english_words)
        self.detect_among = detect_among
        self.min_confidence = min_confidence
        self.max_english_share = max_english_share
        self.min_words = min_words
        # Emergency phrases indexed by their first word, so a message costs a few look-ups
        # rather than a pass over every phrase of every language.
        self._by_first: dict[str, list[tuple[_Phrase, int, str]]] = {}
        self._starred: list[tuple[_Phrase, int, str]] = []     # first word ends in "*"
        self._glued: list[tuple[_Phrase, int, str]] = []       # scripts without spaces between words
        for order, lang in enumerate(languages.values()):
            for category in ("crisis", "emergency"):
                for phrase in getattr(lang, category):
                    item = (phrase, order, category)
                    if not phrase.words:
                        self._glued.append(item)
                    elif phrase.words[0].endswith("*"):
                        self._starred.append(item)
                    else:
                        self._by_first.setdefault(phrase.words[0], []).append(item)
        self._star_prefixes = tuple(sorted({item[0].words[0][:-1] for item in self._starred}))

    def with_vocabulary(self, extra: Iterable[str]) -> Languages:
        """The same settings, with more words counted as English (the FAQ's own words)."""
        return Languages(self.languages, self.english_words | frozenset(extra), self.detect_among,
                         self.min_confidence, self.max_english_share, self.min_words, self.nearly_no_english)

    # -- emergencies -------------------------------------------------------------
    def safety_check(self, text: str) -> ForeignHit | None:
        """An emergency or crisis phrase of one of the listed languages; crisis first, as in English. A crisis
        phrase its language's negation denies (``_denied``) does not count."""
        # A negation counts only within its clause: the clause breaks are kept as tokens no phrase word matches.
        clauses = _tokens(_CLAUSE_END.sub(f" {_BREAK} ", text))
        tokens = [t for t in clauses if t != _BREAK]
        if not tokens:
            return None
        glued = "".join(tokens)
        candidates = [item for t in set(tokens) for item in self._by_first.get(t, ())]
        # Only the words that start like some starred phrase are looked at (one C call a word).
        starting = [t for t in set(tokens) if t.startswith(self._star_prefixes)] if self._star_prefixes else []
        candidates += [item for item in self._starred if any(t.startswith(item[0].words[0][:-1]) for t in starting)]
        if not glued.isascii():
            candidates += self._glued
        found = []
        for phrase, order, category in candidates:
            span = _phrase_at(phrase, clauses if phrase.words else tokens, glued)
            if span is not None:
                denied = category == "crisis" and bool(phrase.words) \
                    and _denied(phrase, span, clauses, self._ordered[order].negations)
                found.append((span, order, category, denied))
        # A phrase inside a longer one that is denied is denied with it: "no me quiero morir" holds "quiero morir".
        hits = [(category != "crisis", order, category) for span, order, category, denied in found
                if not denied and not any(d and o == order and s[0] <= span[0] and span[1] <= s[1]
                                          for s, o, _, d in found)]
        if not hits:
            return None
        _, order, category = min(hits)   # crisis first, then the language listed first
        return ForeignHit(self._ordered[order], category)

    # -- identification ----------------------------------------------------------
    def _identify(self, text: str) -> tuple[str, float]:
        lang, confidence = _identifier(self.detect_among).classify(text)
        return lang, float(confidence)

    def not_english(self, text: str) -> str | None:
        """The language code when ``text`` is clearly not English, else None (English, or unsure)."""
        tokens = _tokens(text)
        if not tokens:
            return None
        latin = words(text)
        latin_letters = sum(len(w) for w in latin if _LATIN.search(w))
        other_letters = sum(len(t) for t in tokens) - latin_letters
        needed = self.min_confidence
        if latin_letters >= other_letters:     # mostly Latin script: judge by its words
            if len(latin) < self.min_words:
                return None
            share = sum(w in self.english_words for w in latin) / len(latin)
            if share > self.max_english_share:
                return None
            if share <= self.nearly_no_english[0]:   # "Ist ein neuroendokriner Tumor erblich?": one English word
                needed = min(needed, self.nearly_no_english[1])
        lang, confidence = self._identify(text)
        if lang == "en" or confidence < needed:
            return None
        return lang

    def english_piece(self, text: str) -> str | None:
        """The first piece of a message in two languages that is itself English, else None: at least two
        Latin words, more than ``max_english_share`` of them English, and no other language named surely
        ("c'est à cause des hormones?" shares "a", "cause" and "hormones" with English). "Hola, mi mamá
        tiene un tumor neuroendocrino en el páncreas. What are the usual symptoms?" has one."""
        for piece in _PIECES.split(text):
            latin = [w for w in words(piece) if _LATIN.search(w)]
            if len(latin) >= 2 and sum(w in self.english_words for w in latin) / len(latin) > self.max_english_share:
                lang, confidence = self._identify(piece)
                if lang == "en" or confidence < self.min_confidence:
                    return piece.strip()
        return None

    def language(self, code: str) -> ForeignLanguage | None:
        return self.languages.get(code)


# -- loading ---------------------------------------------------------------------

def _text(raw: Any, where: str, problems: list[str]) -> str:
    if not isinstance(raw, str) or not raw.strip():
        problems.append(f"{where}: must be non-empty text")
        return ""
    return raw.strip()


def _phrases(raw: Any, where: str, problems: list[str]) -> tuple[_Phrase, ...]:
    out = []
    for text in text_items(raw, where, problems, has_words=_tokens):
        star = text.rstrip().endswith("*")
        tokens = _tokens(text)
        if _spaced_script(text):
            ws = tokens[:-1] + [tokens[-1] + "*"] if star else tokens
            out.append(_Phrase(tuple(ws), ""))
        else:
            out.append(_Phrase((), "".join(tokens)))
    return tuple(out)


def _number(raw: dict, key: str, low: float, high: float, path: Path, problems: list[str], whole: bool = False):
    return number_in(raw.get(key), f"{path}: field '{key}'", low, high, problems, whole=whole)


def load_languages(path: str | Path = DEFAULT_LANGUAGES_PATH) -> Languages:
    path = Path(path)
    raw, problems = read_mapping(path, _TOP, required=True)
    detect = raw.get("detect_among")
    if not isinstance(detect, list) or not all(isinstance(c, str) and c.strip() for c in detect) \
            or "en" not in detect:
        problems.append(f"{path}: field 'detect_among': must be a list of language codes, 'en' included "
                        "(quote \"no\" for Norwegian)")
        detect = ["en"]
    english = raw.get("english_words")
    if not isinstance(english, list) or not english:
        problems.append(f"{path}: field 'english_words': must be a non-empty list of words")
        english = []
    for i, word in enumerate(english, 1):
        if isinstance(word, bool) or not isinstance(word, str) or len(words(word)) != 1:
            problems.append(f"{path}: field 'english_words' item {i}: must be one word "
                            f"(got {word!r}; quote yes, no, on, off)")

    languages: dict[str, ForeignLanguage] = {}
    raw_langs = named_mapping(raw.get("languages"), f"{path}: field 'languages'",
                              "language codes to their texts and phrases", problems, required=REQUIRED,
                              missing=lambda code: f"{path}: languages: '{code}' is missing "
                                                   f"(needed: {', '.join(REQUIRED)})")
    for code, body in raw_langs.items():
        where = f"{path}: language '{code}'"
        if not isinstance(body, dict):
            problems.append(f"{where}: must be a mapping with {', '.join(_LANGUAGE_FIELDS)}")
            continue
        unknown_fields(body, _LANGUAGE_FIELDS, where, problems)
        if isinstance(detect, list) and code not in detect:
            problems.append(f"{where}: not in detect_among, so it could never be detected")
        texts = {k: _text(body.get(k), f"{where} field '{k}'", problems)
                 for k in ("name", "english_only", "emergency_line", "crisis_line")}
        if texts["english_only"] and "/topics" not in texts["english_only"]:
            problems.append(f"{where} field 'english_only': must mention /topics")
        negations = body.get("negations", [])
        denying = []
        for word in text_items(negations, f"{where} field 'negations'", problems, has_words=_tokens,
                               allow_empty=True):
            if len(_tokens(word)) != 1:
                problems.append(f"{where} field 'negations': {word!r} must be one word")
            else:
                denying.append(_tokens(word)[0])
        languages[str(code)] = ForeignLanguage(
            str(code), texts["name"], texts["english_only"], texts["emergency_line"], texts["crisis_line"],
            _phrases(body.get("emergency"), f"{where} field 'emergency'", problems),
            _phrases(body.get("crisis"), f"{where} field 'crisis'", problems), frozenset(denying))
    nearly = raw.get("nearly_no_english")
    if not isinstance(nearly, dict) or set(nearly) != {"max_english_share", "min_confidence"}:
        problems.append(f"{path}: field 'nearly_no_english': must have max_english_share and min_confidence")
        nearly = {"max_english_share": 0.0, "min_confidence": 1.0}
    nearly_settings = (_number(nearly, "max_english_share", 0.0, 1.0, path, problems),
                       _number(nearly, "min_confidence", 0.5, 1.0, path, problems))
    settings = (_number(raw, "min_confidence", 0.5, 1.0, path, problems),
                _number(raw, "max_english_share", 0.0, 1.0, path, problems),
                _number(raw, "min_words", 1, 20, path, problems, whole=True))
    if problems:
        raise DataFileError(problems)
    return Languages(languages, (w.lower() for w in english), tuple(detect), *settings, nearly_settings)
