"""What a trained model sees of a message: three blocks of features, the same at training and run time.

- ``c``: character 2-5-grams inside word boundaries (typos and phonetic spelling still share most of them);
- ``w``: words and word pairs; a word the model has no feature for is read as the known word a slip away
  ("sucidal" as "suicidal", "braething" as "breathing"; ``WordSpeller``), so a misspelt key word weighs as itself,
  and that known word's character n-grams are counted beside the slip's own;
- ``k``: the analyzer's reading, the curator's lexicons as features: each concept marked by its role
  (``k:#flushing@asked`` in the asking clause, ``@story`` said as past, setting or negated, ``@said``
  elsewhere), the other content words of the asking clause, what the message says about the disease, and
  each token said of someone else again as ``o:`` ("will my mum die soon": ``o:#survival``; faq/data/language.yaml
  ``experiencer``), so a linear model can tell a parent's death asked about from the writer's wish to die; and
  each token a negation reaches again as ``n:`` (NegEx's scope, faq/data/language.yaml ``negation``: "i don't want
  to die" gives ``n:want`` and ``n:#survival``), so the words of a fear of dying need not weigh as a wish to die.

Each block is weighted by TF-IDF (sublinear counts) and scaled to unit length on its own, as
scikit-learn's ``TfidfTransformer`` does, so no block drowns the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from faq.analyzer import Analysis
from faq.concepts import CONCEPT_MARK
from faq.normalize import Corrector, plausible_slip, words

BLOCKS = ("c", "w", "k")
CHAR_NGRAMS = (2, 5)
# Words shorter than this are never read as another word: "die" and "dye", "kil" and "kin" are too close to tell.
RESPELL_MIN_LENGTH = 5
_NEVER = 10 ** 6   # no word is long enough to be read two slips away


def char_ngrams(text_words: list[str]) -> Counter[str]:
    grams: Counter[str] = Counter()
    low, high = CHAR_NGRAMS
    for w in text_words:
        padded = f" {w} "
        size = len(padded)
        for n in range(low, min(high, size) + 1):
            for i in range(size - n + 1):
                grams[padded[i:i + n]] += 1
    return grams


def word_ngrams(text_words: list[str]) -> Counter[str]:
    grams = Counter(text_words)
    grams.update(f"{a} {b}" for a, b in zip(text_words, text_words[1:]))
    return grams


class WordSpeller:
    """Reads a word the model has no feature for as the known word one slip away, as the analyzer corrects typos
    (faq.normalize.Corrector): "feeling sucidal" weighs as "feeling suicidal". One slip only, and a letter swapped
    only for a neighbouring key's: the model's words are not a dictionary, so a real word it lacks ("burnt") must
    not become one it has ("burst"), nor a word two slips away another ("colasped" is not "classed")."""

    def __init__(self, features: Iterable[str], min_length: int = RESPELL_MIN_LENGTH):
        self._corrector = Corrector((f for f in features if " " not in f), min_length=min_length,
                                    long_word=_NEVER, plausible=plausible_slip)

    def respell(self, text_words: Sequence[str]) -> list[str]:
        return [self._corrector.correct(w) for w in text_words]

    def slips(self, text_words: Sequence[str]) -> list[str]:
        """The known words the message's slips are read as (their character n-grams count too)."""
        return [r for w in text_words if (r := self._corrector.correct(w)) != w]


# The reading's flags under the feature names the model was trained with (faq/data/model.json).
_FLAG_FEATURES = {"names_nets_clearly": "about_nets", "names_nets_or_tumour": "names_disease",
                  "taken_as_about_nets": "refers"}


def reading_features(analysis: Analysis) -> Counter[str]:
    out: Counter[str] = Counter()
    questions = analysis.questions
    focus = questions[0] if questions else None
    for i, clause in enumerate(analysis.clauses):
        for t in clause.tokens:
            if t.startswith(CONCEPT_MARK):
                role = "story" if t in clause.story else "asked" if (i == focus or focus is None) else "said"
                out[f"{t}@{role}"] += 1
            elif i == focus:
                out[f"q:{t}"] += 1
        for t in clause.of_others:
            out[f"o:{t}"] += 1
        for t in clause.negated:
            out[f"n:{t}"] += 1
    for flag, feature in _FLAG_FEATURES.items():
        if getattr(analysis, flag):
            out[f"f:{feature}"] = 1
    out[f"f:questions={min(len(questions), 2)}"] = 1
    return out


def text_words(text: str) -> list[str]:
    return words(text)  # words() cleans the text (Unicode, case, accents, quotes) first


def extract(text: str, analysis: Analysis | None) -> dict[str, Any]:
    """Raw counts per block, and the words (``words``: the ``w`` block is counted again once the model's
    words are known, with unknown words respelt); ``analysis`` may be None for a model trained without the
    reading."""
    ws = text_words(text)
    blocks: dict[str, Any] = {"c": char_ngrams(ws), "w": word_ngrams(ws), "words": tuple(ws)}
    blocks["k"] = reading_features(analysis) if analysis is not None else Counter()
    return blocks
