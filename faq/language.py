"""The matcher's word knowledge (faq/data/language.yaml): spellings, synonyms, stop words,
disease words, other conditions and uncovered topics, validated on load."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faq.loader import DATA_DIR
from faq.yamlfile import DataFileError, read_mapping

DEFAULT_LANGUAGE_PATH = DATA_DIR / "language.yaml"

_FIELDS = {
    "spellings", "ignore_phrases", "synonyms", "negation", "disease_words", "cancer_sites",
    "other_conditions", "uncovered_topics", "stop_words",
}
_DISEASE_KINDS = ("specific", "ambiguous", "general", "named_types")
# Curly quotes, dashes and the like that NFKC leaves alone.
_PUNCT_MAP = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def clean_text(text: str) -> str:
    """Unicode clean-up every comparison goes through: NFKC, case, accents, quotes."""
    if text.isascii():  # most messages: nothing to normalise but case and backticks, much faster
        return text.translate(_PUNCT_MAP).lower()
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT_MAP).casefold()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return text


def words(text: str) -> list[str]:
    """Lowercase words of ``text``; apostrophes inside words are dropped ("what's" -> "whats")."""
    return [w.replace("'", "") for w in _WORD_RE.findall(clean_text(text))]


@dataclass(frozen=True)
class Language:
    spellings: dict[str, str]
    ignore_phrases: frozenset[tuple[str, ...]]
    synonyms: dict[tuple[str, ...], tuple[str, ...]]
    specific_disease_words: frozenset[str]   # always mean NETs
    ambiguous_disease_words: frozenset[str]  # "net": NETs only in capitals or beside a disease word
    general_disease_words: frozenset[str]    # "tumor", "cancer"
    named_types: frozenset[str]              # "carcinoid": alone, it asks about that kind of NET
    cancer_sites: frozenset[str]
    other_conditions: frozenset[str]
    uncovered: dict[tuple[str, ...], str]  # cue phrase -> topic name
    stop_words: frozenset[str]
    negators: frozenset[str] = frozenset()
    negation_window: int = 3
    negated_meanings: dict[str, str] | None = None  # word after a negation -> meaning added

    @property
    def longest_phrase(self) -> int:
        return max([len(k) for k in self.synonyms] + [len(k) for k in self.uncovered]
                   + [len(k) for k in self.ignore_phrases] + [1])

    @property
    def disease_words(self) -> frozenset[str]:
        return self.specific_disease_words | self.ambiguous_disease_words | self.general_disease_words

    def surface_vocabulary(self) -> set[str]:
        """Every word this file knows, for typo correction."""
        vocab = set(self.spellings) | set(self.spellings.values())
        vocab |= self.disease_words | self.cancer_sites | self.other_conditions | self.stop_words | self.negators
        for phrase_map in (self.synonyms, self.uncovered, dict.fromkeys(self.ignore_phrases)):
            for key in phrase_map:
                vocab.update(key)
        for value in self.synonyms.values():
            vocab.update(value)
        return vocab


def _word_list(raw: Any, field: str, path: Path, problems: list[str]) -> list[str]:
    if not isinstance(raw, list):
        problems.append(f"{path}: field '{field}': must be a list of words, not {type(raw).__name__}")
        return []
    out = []
    for i, item in enumerate(raw, 1):
        if isinstance(item, bool):
            problems.append(f"{path}: field '{field}' item {i}: YAML read a bare word as {str(item).lower()} "
                            "(yes, no, on, off, true, false); put the word in quotes")
        elif not isinstance(item, (str, int)) or not words(str(item)):
            problems.append(f"{path}: field '{field}' item {i}: empty or not text")
        else:
            out.append(" ".join(words(str(item))))
    return out


def _phrase_map(raw: Any, field: str, path: Path, problems: list[str]) -> dict[tuple[str, ...], tuple[str, ...]]:
    if not isinstance(raw, dict):
        problems.append(f"{path}: field '{field}': must be a mapping of 'word or phrase: replacement'")
        return {}
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key, value in raw.items():
        k, v = tuple(words(str(key))), tuple(words(str(value))) if value is not None else ()
        if not k:
            problems.append(f"{path}: field '{field}' entry {key!r}: has no words")
        elif not v:
            problems.append(f"{path}: field '{field}' entry {key!r}: replacement is empty")
        elif k in out and out[k] != v:
            problems.append(f"{path}: field '{field}' entry {key!r}: listed twice with different replacements")
        else:
            out[k] = v
    return out


def load_language(path: str | Path = DEFAULT_LANGUAGE_PATH) -> Language:
    path = Path(path)
    raw, problems = read_mapping(path, sorted(_FIELDS))
    for key in sorted(_FIELDS - set(raw)):
        problems.append(f"{path}: field '{key}': missing")

    spellings = _phrase_map(raw.get("spellings", {}), "spellings", path, problems)
    for k, v in spellings.items():
        if len(k) != 1 or len(v) != 1:
            problems.append(f"{path}: field 'spellings' entry {' '.join(k)!r}: one word on each side")
    synonyms = _phrase_map(raw.get("synonyms", {}), "synonyms", path, problems)
    for key, value in synonyms.items():
        for word in value:
            if (word,) in synonyms and synonyms[(word,)] != (word,):
                problems.append(f"{path}: field 'synonyms' entry {' '.join(key)!r}: replacement word {word!r} is "
                                f"itself replaced by {' '.join(synonyms[(word,)])!r}; write that instead")

    disease = raw.get("disease_words", {})
    if not isinstance(disease, dict) or set(disease) - set(_DISEASE_KINDS):
        problems.append(f"{path}: field 'disease_words': must be a mapping with lists "
                        f"{', '.join(_DISEASE_KINDS)}")
        disease = {}
    kinds = {k: frozenset(_word_list(disease.get(k, []), f"disease_words.{k}", path, problems))
             for k in _DISEASE_KINDS}
    if not kinds["specific"] and not problems:
        problems.append(f"{path}: field 'disease_words.specific': needs at least one word")
    for word in sorted(kinds["named_types"] - kinds["specific"]):
        problems.append(f"{path}: field 'disease_words.named_types' item {word!r}: must also be listed under 'specific'")

    uncovered: dict[tuple[str, ...], str] = {}
    topics = raw.get("uncovered_topics", {})
    if not isinstance(topics, dict):
        problems.append(f"{path}: field 'uncovered_topics': must map a topic name to a list of cue words")
    else:
        for name, cues in topics.items():
            for cue in _word_list(cues, f"uncovered_topics.{name}", path, problems):
                uncovered[tuple(cue.split())] = str(name)

    negation = raw.get("negation", {})
    negators: list[str] = []
    meanings: dict[str, str] = {}
    window = 3
    if not isinstance(negation, dict) or set(negation) != {"words", "within", "meanings"}:
        problems.append(f"{path}: field 'negation': must be a mapping with words, within and meanings")
    else:
        negators = _word_list(negation["words"], "negation.words", path, problems)
        window = negation["within"]
        if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 6:
            problems.append(f"{path}: field 'negation.within': must be a whole number from 1 to 6")
            window = 3
        pairs = _phrase_map(negation["meanings"], "negation.meanings", path, problems)
        meanings = {k[0]: v[0] for k, v in pairs.items() if len(k) == len(v) == 1}
        if len(meanings) != len(pairs):
            problems.append(f"{path}: field 'negation.meanings': one word on each side")

    stop_words = _word_list(raw.get("stop_words", []), "stop_words", path, problems)
    for word in stop_words:
        if " " in word:
            problems.append(f"{path}: field 'stop_words' item {word!r}: one word only (phrases go in 'synonyms')")

    ignore = [tuple(p.split()) for p in _word_list(raw.get("ignore_phrases", []), "ignore_phrases", path, problems)]

    # Phrases are matched on words already respelt ("my" reads as "the"), so respell them too.
    spelled = {k[0]: v[0] for k, v in spellings.items() if len(k) == len(v) == 1}
    respell = lambda phrase: tuple(spelled.get(w, w) for w in phrase)  # noqa: E731

    lang = Language(
        spellings=spelled,
        ignore_phrases=frozenset(map(respell, ignore)),
        synonyms={respell(k): v for k, v in synonyms.items()},
        specific_disease_words=kinds["specific"],
        ambiguous_disease_words=kinds["ambiguous"],
        general_disease_words=kinds["general"],
        named_types=kinds["named_types"],
        cancer_sites=frozenset(_word_list(raw.get("cancer_sites", []), "cancer_sites", path, problems)),
        other_conditions=frozenset(_word_list(raw.get("other_conditions", []), "other_conditions", path, problems)),
        uncovered={respell(k): v for k, v in uncovered.items()},
        stop_words=frozenset(stop_words),
        negators=frozenset(negators),
        negation_window=window,
        negated_meanings=meanings,
    )
    if problems:
        raise DataFileError(problems)
    return lang
