"""What a trained model sees of a message: three blocks of features, the same at training and run time.

- ``c``: character 2-5-grams inside word boundaries (typos and phonetic spelling still share most of them);
- ``w``: words and word pairs;
- ``k``: the analyzer's reading, the curator's lexicons as features: each concept marked by its role
  (``k:#flushing@asked`` in the asking clause, ``@story`` said as past, setting or negated, ``@said``
  elsewhere), the other content words of the asking clause, and what the message says about the disease.

Each block is weighted by TF-IDF (sublinear counts) and scaled to unit length on its own, as
scikit-learn's ``TfidfTransformer`` does, so no block drowns the others.
"""

from __future__ import annotations

from collections import Counter

from faq.analyzer import Analysis
from faq.concepts import CONCEPT_MARK
from faq.normalize import words

BLOCKS = ("c", "w", "k")
CHAR_NGRAMS = (2, 5)


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
    for flag, feature in _FLAG_FEATURES.items():
        if getattr(analysis, flag):
            out[f"f:{feature}"] = 1
    out[f"f:questions={min(len(questions), 2)}"] = 1
    return out


def text_words(text: str) -> list[str]:
    return words(text)  # words() cleans the text (Unicode, case, accents, quotes) first


def extract(text: str, analysis: Analysis | None) -> dict[str, Counter[str]]:
    """Raw counts per block; ``analysis`` may be None for a model trained without the reading."""
    ws = text_words(text)
    blocks = {"c": char_ngrams(ws), "w": word_ngrams(ws)}
    blocks["k"] = reading_features(analysis) if analysis is not None else Counter()
    return blocks
