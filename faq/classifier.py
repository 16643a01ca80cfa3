"""Run a model trained by ``python -m faq train``: read its JSON file and score messages.

The file is plain JSON (never a pickle: loading a pickle runs code), reviewable in a diff:
per block the kept features and their IDF weights, per head (answer, safety...) its classes,
coefficients and intercepts, the thresholds chosen by cross-validation, and the corpus hash and
library versions it was trained with. Scoring is scikit-learn's arithmetic (TF-IDF with sublinear
counts and unit length per block, then a multinomial logistic regression) done with numpy;
tests/test_model.py proves it gives scikit-learn's probabilities on the whole corpus.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from faq.analyzer import Analysis
from faq.features import BLOCKS, WordSpeller, char_ngrams, reading_features, text_words, word_ngrams
from faq.yamlfile import DataFileError

FORMAT = 1
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "data" / "model.json"
AFTER_HEAD = "after"   # the answer head's shift for a message said right after an answer (faq.training)


@dataclass(frozen=True)
class Head:
    """One classifier over the shared features: its classes, weights and decision thresholds."""
    name: str
    classes: tuple[str, ...]
    coef: np.ndarray            # (features, classes)
    intercept: np.ndarray       # (classes,)
    thresholds: dict[str, float] = field(default_factory=dict)
    uses_reading: bool = True


@dataclass(frozen=True)
class Scores:
    """A head's probabilities for one message, best first, and the features that weighed most."""
    ranked: tuple[tuple[str, float], ...]
    reasons: tuple[str, ...] = ()

    def p(self, label: str) -> float:
        return next((p for c, p in self.ranked if c == label), 0.0)

    @property
    def best(self) -> tuple[str, float]:
        return self.ranked[0]


class TextModel:
    def __init__(self, data: dict, path: Path | str = "<model>"):
        self.path = Path(path)
        self.meta = {k: data[k] for k in ("format", "corpus_sha256", "versions", "trained", "figures") if k in data}
        self._index: dict[str, dict[str, int]] = {}
        self._offset: dict[str, int] = {}
        self._vectors: dict[tuple[str, bool], tuple[np.ndarray, np.ndarray]] = {}
        self._grams_of: dict[str, tuple[int, ...]] = {}
        self._idf: dict[str, np.ndarray] = {}
        self._names: list[str] = []
        offset = 0
        for block in BLOCKS:
            spec = data["blocks"][block]
            feats = spec["features"]
            self._index[block] = {f: offset + i for i, f in enumerate(feats)}
            self._offset[block] = offset
            self._idf[block] = np.asarray(spec["idf"], dtype=np.float64)
            self._names += [f"{block}:{f}" for f in feats]
            offset += len(feats)
        self.size = offset
        # Unknown words read as the known word a slip away, as at training (absent from a model trained before it).
        respell = data["blocks"]["w"].get("respell_min_length")
        self._speller = WordSpeller(data["blocks"]["w"]["features"], respell) if respell else None
        self.heads: dict[str, Head] = {}
        for name, h in data["heads"].items():
            coef = np.asarray(h["coef"] if "coef" in h else data[f"coef:{name}"], dtype=np.float64) \
                / data.get("coef_scale", 1)
            if coef.shape != (offset, len(h["classes"])):
                raise DataFileError([f"{self.path}: head '{name}': coef has shape {coef.shape}, "
                                     f"expected ({offset}, {len(h['classes'])})"])
            self.heads[name] = Head(name, tuple(h["classes"]), coef, np.asarray(h["intercept"], dtype=np.float64),
                                    dict(h.get("thresholds", {})), bool(h.get("uses_reading", True)))
        # Which answers follow which in conversations: per entry answered last, a shift of the answer head's
        # logits (faq.training.fit_after_prior). Absent from a model trained before it.
        prior = data.get(AFTER_HEAD, {})
        classes = self.heads["answer"].classes if "answer" in self.heads else ()
        if prior and tuple(prior.get("classes", ())) != classes:
            raise DataFileError([f"{self.path}: '{AFTER_HEAD}': its classes are not the answer head's"])
        self.after_prior: dict[str, np.ndarray] = {
            entry: np.asarray(shift, dtype=np.float64) for entry, shift in prior.get("shift", {}).items()}

    # -- features ----------------------------------------------------------------
    @property
    def reads_after(self) -> bool:
        """Whether the model learnt which answers follow which in conversations (its ``after`` prior)."""
        return bool(self.after_prior)

    def vector(self, text: str, analysis: Analysis | None) -> tuple[np.ndarray, np.ndarray]:
        """(feature indexes, TF-IDF values), each block at unit length. The last few messages'
        vectors are kept: the safety net and the matcher read the same message."""
        key = (text, analysis is not None)
        found = self._vectors.get(key)
        if found is None:
            found = self._vector(text, analysis)
            if len(self._vectors) >= 64:
                self._vectors.pop(next(iter(self._vectors)))
            self._vectors[key] = found
        return found

    def _word_grams(self, word: str) -> tuple[int, ...]:
        """A word's character n-grams that the model knows, as feature indexes (each word is
        read once and remembered: most words of a message have been seen before)."""
        grams = self._grams_of.get(word)
        if grams is None:
            index = self._index["c"]
            grams = tuple(i for g in char_ngrams([word]).elements() if (i := index.get(g)) is not None)
            if len(self._grams_of) < 50_000:
                self._grams_of[word] = grams
        return grams

    def _vector(self, text: str, analysis: Analysis | None) -> tuple[np.ndarray, np.ndarray]:
        idx: list[int] = []
        val: list[float] = []
        ws = text_words(text)
        slips = self._speller.slips(ws) if self._speller else []
        per_block = {"c": Counter(i for w in (*ws, *slips) for i in self._word_grams(w))}
        for block in ("w", "k"):
            index = self._index[block]
            if block == "w":
                raw = word_ngrams(self._speller.respell(ws) if self._speller else ws)
            else:
                raw = reading_features(analysis) if analysis is not None else {}
            per_block[block] = Counter({i: n for f, n in raw.items() if (i := index.get(f)) is not None})
        for block in BLOCKS:
            start, offset = len(idx), self._offset[block]
            idf = self._idf[block]
            for i, n in per_block[block].items():
                idx.append(i)
                val.append((1.0 + math.log(n)) * idf[i - offset])
            norm = math.sqrt(sum(v * v for v in val[start:]))
            if norm:
                val[start:] = [v / norm for v in val[start:]]
        return np.asarray(idx, dtype=np.int64), np.asarray(val, dtype=np.float64)

    def score(self, head: str, text: str, analysis: Analysis | None, *, explain: int = 0,
              vector: tuple[np.ndarray, np.ndarray] | None = None, after: str | None = None) -> Scores:
        """The head's probabilities; ``after``: for the answer head, the message said right after that
        entry's answer (its logits shifted by the ``after`` prior)."""
        h = self.heads[head]
        idx, val = vector if vector is not None else self.vector(text, analysis)
        logits = val @ h.coef[idx] + h.intercept if len(idx) else h.intercept.copy()
        if after is not None and head == "answer" and after in self.after_prior:
            logits = logits + self.after_prior[after]
        logits -= logits.max()
        probs = np.exp(logits)
        probs /= probs.sum()
        order = np.argsort(-probs, kind="stable")
        ranked = tuple((h.classes[i], float(probs[i])) for i in order)
        reasons: tuple[str, ...] = ()
        if explain and len(idx):
            top = order[0]
            weight = val * h.coef[idx, top]
            best = np.argsort(-weight, kind="stable")[:explain]
            reasons = tuple(self._names[idx[i]] for i in best if weight[i] > 0)
        return Scores(ranked, reasons)


def load_model(path: str | Path = DEFAULT_MODEL_PATH) -> TextModel:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError([f"{path}: model file not found (build it with `python -m faq train`)"]) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError([f"{path}: not a readable model file ({exc})"]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataFileError([f"{path}: not a model file of format {FORMAT} (rebuild it with `python -m faq train`)"])
    try:
        return TextModel(data, path)
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError([f"{path}: damaged model file ({type(exc).__name__}: {exc})"]) from None

