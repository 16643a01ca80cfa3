"""The matcher's word knowledge that is not about topics (faq/data/language.yaml):
spellings, scene-setting phrases, negation, disease words, cancer sites and stop words,
validated on load. What patients talk about lives in concepts.yaml (faq/concepts.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faq.loader import DATA_DIR
from faq.normalize import clean_text, words  # noqa: F401  (re-exported: callers import them from here)
from faq.yamlfile import DataFileError, number_in, read_mapping, text_items

DEFAULT_LANGUAGE_PATH = DATA_DIR / "language.yaml"

_FIELDS = {"chat_spellings", "spellings", "ignore_phrases", "negation", "historical", "reporting", "experiencer", "disease_words", "cancer_sites",
           "referring_words", "fillers", "stop_words"}
_DISEASE_KINDS = ("specific", "ambiguous", "general", "named_types")


@dataclass(frozen=True)
class Language:
    spellings: dict[str, str]
    ignore_phrases: frozenset[tuple[str, ...]]
    specific_disease_words: frozenset[str]   # always mean NETs
    ambiguous_disease_words: frozenset[str]  # "net": NETs only in capitals or beside a disease word
    general_disease_words: frozenset[str]    # "tumor", "cancer"
    named_types: frozenset[str]              # "carcinoid": alone, it asks about that kind of NET
    cancer_sites: frozenset[str]
    stop_words: frozenset[str]
    negators: frozenset[str] = frozenset()
    negation_window: int = 3
    negated_meanings: dict[str, str] | None = None  # concept after a negation -> concept added
    pseudo_negations: frozenset[tuple[str, ...]] = frozenset()  # "never knew": a negation word that negates nothing
    historical: frozenset[tuple[str, ...]] = frozenset()  # "after my", "waiting for": what follows is the story
    historical_window: int = 3
    reporters: frozenset[str] = frozenset()        # concepts that may report ("doctor")...
    reporting_verbs: frozenset[str] = frozenset()  # ...when a reporting verb follows ("said", "thinks")
    referring_words: frozenset[str] = frozenset()  # "it", "they": a question that points back at the disease
    fillers: frozenset[str] = frozenset()          # may sit inside a surface form ("is it even a cancer")
    chat_spellings: dict[str, str] | None = None    # "u", "r", "pls": also read so by the safety check and small talk
    others: frozenset[str] = frozenset()     # "mum", "he": what follows in the clause is said of someone else...
    self_words: frozenset[str] = frozenset()  # ..."i", "me": until the writer speaks of themself again

    @property
    def pointing_words(self) -> frozenset[str]:
        """Words that point back at what was just said ("does it hurt?", "what does that mean?")."""
        return self.referring_words | {"that"}

    @property
    def disease_words(self) -> frozenset[str]:
        return self.specific_disease_words | self.ambiguous_disease_words | self.general_disease_words

    def surface_vocabulary(self) -> set[str]:
        """Every word this file knows, for typo correction."""
        vocab = set(self.spellings) | set(self.spellings.values())
        vocab |= self.disease_words | self.cancer_sites | self.stop_words | self.negators
        for phrase in self.ignore_phrases:
            vocab.update(phrase)
        return vocab


def word_list(raw: Any, field: str, path: Path, problems: list[str]) -> list[str]:
    """A YAML list of words or phrases, normalised ("Hot Flushes" -> "hot flushes"); problems named."""
    where = f"{path}: field '{field}'"
    return [" ".join(words(item)) for item in text_items(raw, where, problems, has_words=words, allow_empty=True)]


def _one_word_map(raw: Any, field: str, path: Path, problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict):
        problems.append(f"{path}: field '{field}': must be a mapping of 'word: replacement'")
        return {}
    out: dict[str, str] = {}
    for key, value in raw.items():
        k, v = words(str(key)), words(str(value)) if value is not None else []
        if len(k) != 1 or len(v) != 1:
            problems.append(f"{path}: field '{field}' entry {key!r}: one word on each side")
        elif k == v:
            problems.append(f"{path}: field '{field}' entry {key!r}: replaces a word with itself; delete it")
        else:
            out[k[0]] = v[0]
    return out


def load_language(path: str | Path = DEFAULT_LANGUAGE_PATH) -> Language:
    path = Path(path)
    raw, problems = read_mapping(path, _FIELDS, required=True)

    chat = _one_word_map(raw.get("chat_spellings", {}), "chat_spellings", path, problems)
    own = _one_word_map(raw.get("spellings", {}), "spellings", path, problems)
    problems.extend(f"{path}: field 'spellings' entry {word!r}: already in 'chat_spellings'; delete one"
                    for word in own if word in chat)
    spellings = {**chat, **own}

    kinds = _disease_kinds(raw.get("disease_words", {}), path, problems)
    negators, window, meanings, pseudo = _negation(raw.get("negation", {}), path, problems)
    hist_words, hist_window = _historical(raw.get("historical", {}), path, problems)
    reporters, verbs = _reporting(raw.get("reporting", {}), path, problems)
    stop_words = _stop_words(raw.get("stop_words", []), path, problems)
    others, self_words = _experiencer(raw.get("experiencer", {}), path, problems)

    ignore = [tuple(p.split()) for p in word_list(raw.get("ignore_phrases", []), "ignore_phrases", path, problems)]
    # Phrases are matched on words already respelt ("my" reads as "the"), so respell them too.
    respell = lambda phrase: tuple(spellings.get(w, w) for w in phrase)  # noqa: E731

    lang = Language(
        spellings=spellings,
        ignore_phrases=frozenset(map(respell, ignore)),
        specific_disease_words=kinds["specific"],
        ambiguous_disease_words=kinds["ambiguous"],
        general_disease_words=kinds["general"],
        named_types=kinds["named_types"],
        cancer_sites=frozenset(word_list(raw.get("cancer_sites", []), "cancer_sites", path, problems)),
        stop_words=frozenset(stop_words),
        negators=frozenset(negators),
        negation_window=window,
        negated_meanings=meanings,
        pseudo_negations=frozenset(tuple(p.split()) for p in pseudo),
        historical=frozenset(respell(tuple(w.split())) for w in hist_words),
        historical_window=hist_window,
        reporters=frozenset(reporters),
        referring_words=frozenset(word_list(raw.get("referring_words", []), "referring_words", path, problems)),
        fillers=frozenset(word_list(raw.get("fillers", []), "fillers", path, problems)),
        reporting_verbs=frozenset(verbs),
        chat_spellings=chat,
        others=frozenset(others),
        self_words=frozenset(self_words),
    )
    if problems:
        raise DataFileError(problems)
    return lang


def _disease_kinds(disease: Any, path: Path, problems: list[str]) -> dict[str, frozenset[str]]:
    """disease_words: specific, ambiguous, general and named_types (each named type also specific)."""
    if not isinstance(disease, dict) or set(disease) - set(_DISEASE_KINDS):
        problems.append(f"{path}: field 'disease_words': must be a mapping with lists "
                        f"{', '.join(_DISEASE_KINDS)}")
        disease = {}
    kinds = {k: frozenset(word_list(disease.get(k, []), f"disease_words.{k}", path, problems))
             for k in _DISEASE_KINDS}
    if not kinds["specific"] and not problems:
        problems.append(f"{path}: field 'disease_words.specific': needs at least one word")
    for word in sorted(kinds["named_types"] - kinds["specific"]):
        problems.append(f"{path}: field 'disease_words.named_types' item {word!r}: must also be listed under 'specific'")
    return kinds


def _negation(negation: Any, path: Path, problems: list[str]) -> tuple[list[str], int, dict[str, str], list[str]]:
    """negation: (its words, how many words it reaches, concept meanings when negated, pseudo-negations)."""
    negators: list[str] = []
    meanings: dict[str, str] = {}
    window = 3
    pseudo: list[str] = []
    if not isinstance(negation, dict) or set(negation) != {"words", "within", "meanings", "pseudo"}:
        problems.append(f"{path}: field 'negation': must be a mapping with words, within, meanings and pseudo")
    else:
        negators = word_list(negation["words"], "negation.words", path, problems)
        pseudo = word_list(negation["pseudo"], "negation.pseudo", path, problems)
        window = number_in(negation["within"], f"{path}: field 'negation.within'", 1, 6, problems, whole=True,
                           default=3)
        if not isinstance(negation["meanings"], dict):
            problems.append(f"{path}: field 'negation.meanings': must map a concept id to a concept id")
        else:
            meanings = {str(k): str(v) for k, v in negation["meanings"].items()}
    return negators, window, meanings, pseudo


def _historical(historical: Any, path: Path, problems: list[str]) -> tuple[list[str], int]:
    """historical: (the words that make what follows the story, how many words they reach)."""
    if not isinstance(historical, dict) or set(historical) != {"words", "within"}:
        problems.append(f"{path}: field 'historical': must be a mapping with words and within")
        return [], 3
    return (word_list(historical["words"], "historical.words", path, problems),
            number_in(historical["within"], f"{path}: field 'historical.within'", 1, 6, problems, whole=True,
                      default=3))


def _reporting(reporting: Any, path: Path, problems: list[str]) -> tuple[list[str], list[str]]:
    """reporting: (the concepts that may report, the verbs that make them report)."""
    if not isinstance(reporting, dict) or set(reporting) != {"concepts", "verbs"}:
        problems.append(f"{path}: field 'reporting': must be a mapping with concepts and verbs")
        return [], []
    reporters = [str(c) for c in reporting["concepts"]] if isinstance(reporting["concepts"], list) else []
    return reporters, word_list(reporting["verbs"], "reporting.verbs", path, problems)


def _experiencer(experiencer: Any, path: Path, problems: list[str]) -> tuple[list[str], list[str]]:
    """experiencer: (the words after which a clause speaks of someone else, those that bring it back), single
    words, none in both lists."""
    if not isinstance(experiencer, dict) or set(experiencer) != {"others", "self"}:
        problems.append(f"{path}: field 'experiencer': must be a mapping with others and self")
        return [], []
    lists = {k: word_list(experiencer[k], f"experiencer.{k}", path, problems) for k in ("others", "self")}
    for key, items in lists.items():
        problems.extend(f"{path}: field 'experiencer.{key}' item {w!r}: one word only" for w in items if " " in w)
    problems.extend(f"{path}: field 'experiencer' item {w!r}: in both others and self; keep one"
                    for w in sorted(set(lists["others"]) & set(lists["self"])))
    return lists["others"], lists["self"]


def _stop_words(raw: Any, path: Path, problems: list[str]) -> list[str]:
    """stop_words: single words, each listed once."""
    stop_words = word_list(raw, "stop_words", path, problems)
    seen: set[str] = set()
    for word in stop_words:
        if " " in word:
            problems.append(f"{path}: field 'stop_words' item {word!r}: one word only (phrases go in concepts.yaml)")
        elif word in seen:
            problems.append(f"{path}: field 'stop_words' item {word!r}: listed twice")
        seen.add(word)
    return stop_words
