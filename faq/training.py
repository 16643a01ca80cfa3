"""``python -m faq train``: build the models from the corpus's training batches with scikit-learn.

Deterministic (fixed seeds, sorted inputs), a few tens of seconds on two cores. Heads over one
set of features (faq.features):
- answer: an FAQ entry id or ``out`` (the page does not cover it);
- safety: ``none``, ``emergency`` or ``crisis``;
- feeling, smalltalk: the corpus's feeling label or small-talk intent, or ``none``;
- followup: ``followup`` for a conversation's turn that leans on the turn before, else ``none``;
- clarify: ``clarify`` for a message the bot must ask back about (two topics at once), else ``none``.
Decision thresholds are chosen on five-fold cross-validated probabilities (repeated REPEATS times) of the training
batches (never on held-out batches) and saved with the model; so are the cross-validated figures.
scikit-learn is needed here only: the bot scores with faq.classifier.
"""

from __future__ import annotations

import json
import platform
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
import sklearn
from joblib import Parallel, delayed
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from faq.analyzer import Analyzer
from faq.classifier import AFTER_HEAD, FORMAT
from faq.corpus import OUT, Batch, Message, corpus_hash, training_messages
from faq.features import BLOCKS, RESPELL_MIN_LENGTH, WordSpeller, char_ngrams, extract, word_ngrams
from faq.normalize import words

SEED = 20261206
MAX_FEATURES = {"c": 16000, "w": 7000, "k": 3000}
# The word block takes words before word pairs: at most this many words, the most frequent first, then the pairs
# most frequent first. Chosen by frequency alone, pairs ("what are", "is it") had pushed out words the feelings and
# safety heads need ("hate", "guilty": 26 and 25 messages, under the 7,000th feature's 29), which the model then read
# only by their letters. By cross-validation (round 19), 3,000 words against frequency alone: the answer head's cost
# (a miss, plus WRONG_COST per wrong or out-of-scope answer) 4,663 -> 4,623, the safety head's full-tier recall
# 93.3 -> 93.5 % with check-ins 9.7 -> 9.5 %, the other heads even; 4,000 words cost the answer head 4,662. At
# 3,000, "hate" is a word feature and "guilty" still is not.
MAX_WORDS = 3000
MIN_DF = 2
C = 10.0
DIGITS = 4          # coefficients are stored rounded; the rounded model is the one evaluated
FOLDS = 5
REPEATS = 2          # cross-validation repeated with this many fold seeds (see out_of_fold)
# A wrong answer, or an answer to what the page does not cover, costs this many missed answers
# when the thresholds are chosen: a near miss presented as THE answer is the graver error.
WRONG_COST = 5
NONE = "none"


# -- which messages each head learns from -------------------------------------------------------
def answer_label(m: Message, batch: Batch) -> str | None:
    if m.after:
        return None  # a turn said after an answer teaches the after prior (what it asks there is not what it asks alone)
    if m.safety:
        return None  # an emergency or a crisis gets its reply instead: the matcher never reads it
    if m.two_topics:
        # Two topics at once ("symptoms + causes?") is the clarify head's to learn: labelled by its
        # first alone it would teach the answer head that the second topic's words mean the first.
        return None
    if m.answer:
        return m.answer
    # A message of a fully labeled batch that asks nothing (a feeling, small talk, a worry) is not
    # a question the page answers: the model learns to leave it alone.
    if "answer" in batch.labeled and m.safety is None and m.smalltalk != "question":
        return OUT
    return None


def safety_label(m: Message, batch: Batch) -> str | None:
    if m.safety:
        return m.safety
    if m.urgent:
        return None   # an emergency or a crisis, the writer did not say which
    return NONE if "safety" in batch.labeled else None


def feeling_label(m: Message, batch: Batch) -> str | None:
    if m.feeling:
        return m.feeling
    return NONE if "feeling" in batch.labeled else None


def smalltalk_label(m: Message, batch: Batch) -> str | None:
    """A message that is only small talk ("thank you period", "salamat po") has its intent; one
    that asks something or raises an alarm is "none": the small-talk reply would not do."""
    if m.smalltalk and m.smalltalk != "question" and not m.answer and not m.safety:
        return m.smalltalk
    return NONE if "smalltalk" in batch.labeled else None


FOLLOWUP = "followup"


def followup_label(m: Message, batch: Batch) -> str | None:
    """A conversation's turn that leans on the turn before ("and the pancreas?") is "followup";
    every other message of a batch that labels it stands alone ("none"), as first messages do."""
    if "followup" not in batch.labeled:
        return None
    return FOLLOWUP if m.followup else NONE


CLARIFY = "clarify"


def clarify_label(m: Message, batch: Batch) -> str | None:
    """A message the bot must ask back about is "clarify": it asks about two topics the page answers
    ("symptoms n causes?", a single message with both ``answer`` and ``also``), or a conversation's
    writer expected the bot to ask back. Only batches that label it completely say "none"."""
    if m.safety:
        return None
    if m.clarify or m.two_topics:
        return CLARIFY
    return NONE if "clarify" in batch.labeled else None


def is_ordinary(m: Message) -> bool:
    """A plain question: the page covers it, and it carries no feeling and no emergency."""
    return m.safety is None and m.answer not in (None, OUT) and m.feeling is None and not m.batch.startswith(
        ("nonurgent", "safety-"))


HEADS = {"answer": answer_label, "safety": safety_label, "feeling": feeling_label, "smalltalk": smalltalk_label,
         "followup": followup_label, "clarify": clarify_label}
# Heads that name one label of several or none, cut at the best F1 on the likeliest label.
F1_HEADS = ("feeling", "smalltalk", "followup", "clarify")
# For feelings, the lowest cut within this much of the best cross-validated F1 (see choose_feeling_threshold).
RECALL_SLACK = {"feeling": 0.005}


@dataclass
class Dataset:
    messages: list[Message]
    counts: list[dict[str, Counter[str]]]
    labels: dict[str, list[str | None]]
    single: int = 0     # the first ``single`` messages give the features; the rest (conversation turns...) add labels


NEAR_DUPLICATE = 95   # rapidfuzz ratio (0-100) of two messages' words at which they count as one


def without_near_duplicates(messages: list[Message], held_out: list[Message]) -> list[Message]:
    """Keep the first of each group of near-identical training messages, and none that nearly
    repeats a held-out message (which would leak it into training)."""
    keys = [" ".join(words(m.text)) for m in messages]
    held = [" ".join(words(m.text)) for m in held_out]
    similar = process.cdist(keys, keys + held, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE, dtype=np.uint8,
                            workers=-1)
    kept: list[int] = []
    for i in range(len(messages)):
        if similar[i, len(keys):].any() or similar[i, kept].any():
            continue
        kept.append(i)
    return [messages[i] for i in kept]


def build_dataset(batches: list[Batch], analyzer: Analyzer | None, bound) -> Dataset:  # noqa: ANN001
    """The single messages first, then the conversations' turns and the batches that add labels but
    no features (``vocabulary: false``), less any that nearly repeat one of them (a turn labels fewer
    heads: "what are the symptoms" keeps its answer label)."""
    by_name = {b.name: b for b in batches}
    ordered = sorted(batches, key=lambda b: b.name)
    held_out = [m for b in ordered if b.split == "heldout" for m in b.messages]
    talks = [b for b in ordered if b.conversations or not b.vocabulary]
    single = without_near_duplicates(training_messages([b for b in ordered if b not in talks]), held_out)
    spoken = training_messages(talks)
    turns = without_near_duplicates([m for m in spoken if not m.after], [*held_out, *single])
    # A turn read after an answer repeats its own words: near copies are dropped among the turns read after
    # the same answer.
    after = [m for entry in sorted({m.after for m in spoken if m.after})
             for m in without_near_duplicates([m for m in spoken if m.after == entry], held_out)]
    messages = [*single, *turns, *after]
    counts = [extract(m.text, analyzer.analyze(bound(m.text)) if analyzer else None) for m in messages]
    labels = {h: [f(m, by_name[m.batch]) for m in messages] for h, f in HEADS.items()}
    return Dataset(messages, counts, labels, len(single))


# -- features ------------------------------------------------------------------------------------
@dataclass
class Vocabulary:
    features: dict[str, list[str]]
    idf: dict[str, np.ndarray]
    # Unknown words of at least this length are read as the known word a slip away (faq.features.WordSpeller);
    # None: as written (a model trained before it).
    respell_min_length: int | None = RESPELL_MIN_LENGTH

    def matrix(self, counts: list[dict[str, Any]]) -> sp.csr_matrix:
        speller = WordSpeller(self.features["w"], self.respell_min_length) if self.respell_min_length else None
        blocks = []
        for block in BLOCKS:
            index = {f: i for i, f in enumerate(self.features[block])}
            rows, cols, vals = [], [], []
            for r, c in enumerate(counts):
                raw = c[block]
                if speller and block == "w":
                    raw = word_ngrams(speller.respell(c["words"]))
                elif speller and block == "c":
                    raw = raw + char_ngrams(speller.slips(c["words"]))
                for f, n in raw.items():
                    j = index.get(f)
                    if j is not None:
                        rows.append(r)
                        cols.append(j)
                        vals.append(n)
            raw = sp.csr_matrix((vals, (rows, cols)), shape=(len(counts), len(index)), dtype=np.float64)
            # A block with no features (the reading, for a model trained without it) stays empty.
            blocks.append(_tfidf(self.idf[block]).transform(raw) if index else raw)
        return sp.hstack(blocks, format="csr")


def _tfidf(idf: np.ndarray) -> TfidfTransformer:
    t = TfidfTransformer(sublinear_tf=True, norm="l2", smooth_idf=True)
    t.idf_ = idf
    return t


def fit_vocabulary(counts: list[dict[str, Any]]) -> Vocabulary:
    features, idf = {}, {}
    for block in BLOCKS:
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c[block].keys())
        ranked = sorted((f for f, n in df.items() if n >= MIN_DF), key=lambda f: (-df[f], f))
        if block == "w":   # words first, then pairs (MAX_WORDS)
            single = [f for f in ranked if " " not in f][:MAX_WORDS]
            ranked = single + [f for f in ranked if " " in f]
        kept = ranked[: MAX_FEATURES[block]]
        kept.sort()
        features[block] = kept
        # scikit-learn's smooth IDF: ln((1 + n) / (1 + df)) + 1
        idf[block] = np.log((1 + len(counts)) / (1 + np.array([df[f] for f in kept], dtype=np.float64))) + 1
    return Vocabulary(features, idf)


def fit_head(x: sp.csr_matrix, y: list[str], c: float = C) -> LogisticRegression:
    clf = LogisticRegression(C=c, max_iter=3000, random_state=SEED)
    clf.fit(x, y)
    clf.coef_ = np.round(clf.coef_, DIGITS)
    clf.intercept_ = np.round(clf.intercept_, DIGITS)
    return clf


def out_of_fold(x: sp.csr_matrix, y: list[str], classes: list[str], c: float = C) -> np.ndarray:
    """Cross-validated probabilities, REPEATS times five folds with seeds SEED, SEED + 1, ... stacked
    (rows: every message once per repeat, in order), columns in ``classes`` order (folds fitted in
    parallel). A cut chosen on one split of the folds moved with the split alone (on one corpus the
    follow-up cut was 0.28 with one seed and 0.22 with the next); on two it holds steadier."""
    out = []
    for repeat in range(REPEATS):
        probs = np.zeros((len(y), len(classes)))
        split = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED + repeat)
        folds = list(split.split(np.zeros(len(y)), y))
        fitted = Parallel(n_jobs=2)(delayed(fit_head)(x[train], [y[i] for i in train], c) for train, _ in folds)
        for (_, test), clf in zip(folds, fitted):
            cols = [classes.index(c) for c in clf.classes_]
            probs[np.ix_(test, cols)] = clf.predict_proba(x[test])
        out.append(probs)
    return np.vstack(out)


# -- thresholds ----------------------------------------------------------------------------------
def answer_decision(p: np.ndarray, classes: list[str], t: dict[str, float]) -> tuple[str, str | None, list[str]]:
    """(outcome, entry, offered) for one message's probabilities: the rule faq.matcher applies."""
    order = list(np.argsort(-p, kind="stable"))
    entries = [i for i in order if classes[i] != OUT]
    top = order[0]
    best = entries[0]
    if classes[top] == OUT and p[top] >= t["decline"]:
        return "fallback", None, []
    close = [i for i in entries[:3] if p[i] >= t["offer"] and p[i] >= t["ratio"] * p[best]]
    if len(close) >= 2 and sum(p[i] for i in close) >= t["answer"]:
        return "clarify", None, [classes[i] for i in close]   # two close entries: "Did you mean"
    if p[best] >= t["answer"]:
        return "answer", classes[best], []
    return "fallback", None, []


def answer_figures(probs: np.ndarray, y: list[str], classes: list[str], t: dict[str, float]) -> dict[str, float]:
    n_in = sum(1 for v in y if v != OUT)
    n_out = len(y) - n_in
    right = wrong = clarified = out_answered = confident_wrong = 0
    for p, label in zip(probs, y):
        outcome, entry, offered = answer_decision(p, classes, t)
        if label == OUT:
            out_answered += outcome == "answer"
            continue
        if outcome == "answer":
            right += entry == label
            wrong += entry != label
            confident_wrong += entry != label and p[classes.index(entry)] >= t["confident"]
        clarified += outcome == "clarify"
    return {"in_scope": n_in, "out_of_scope": n_out, "top1": right / max(n_in, 1), "wrong": wrong / max(n_in, 1),
            "clarified": clarified / max(n_in, 1), "out_answered": out_answered / max(n_out, 1),
            "confident_wrong": confident_wrong / max(n_in, 1)}


def choose_answer_thresholds(probs: np.ndarray, y: list[str], classes: list[str]) -> dict[str, float]:
    """Least cost on the cross-validated probabilities (WRONG_COST; asking back costs half a miss)."""
    best = None
    grid = [(round(float(a), 2), d, r) for a in np.arange(0.30, 0.91, 0.02) for d in (0.3, 0.4, 0.5)
            for r in (0.3, 0.35, 0.4, 0.5, 0.6, 0.8)]
    for answer, decline, ratio in grid:
        if True:
            t = {"answer": answer, "decline": decline, "ratio": ratio, "offer": 0.15, "confident": 1.0}
            f = answer_figures(probs, y, classes, t)
            cost = (1 - f["top1"] - f["clarified"]) * f["in_scope"] + 0.5 * f["clarified"] * f["in_scope"] \
                + WRONG_COST * (f["wrong"] * f["in_scope"] + f["out_answered"] * f["out_of_scope"])
            if best is None or cost < best[0]:
                best = (cost, t)
    t = best[1]
    # Answers at or above "confident" have no hedge: at most 1 in 100 of them wrong, cross-validated.
    answered = []
    for p, label in zip(probs, y):
        outcome, entry, _ = answer_decision(p, classes, t)
        if outcome == "answer":
            answered.append((float(p[classes.index(entry)]), entry == label))
    # In steps of 0.005: on 0.01 steps one message decided between 0.98 (1.002 % wrong) and 0.99, which
    # hedges 6 answers in 100 more.
    for c in np.arange(t["answer"], 1.0, 0.005):
        above = [ok for pr, ok in answered if pr >= c]
        if above and sum(not ok for ok in above) / len(above) <= 0.01:
            t["confident"] = round(float(c), 3)
            break
    return t


CHECK_IN_RECALL = 0.99      # the check-in cut keeps at least this recall (cross-validated)...
CHECK_IN_ORDINARY = 0.05    # ...and, within that, check-ins on at most this share of plain questions
ALERT_FALSE = 0.02          # full alarms on at most this share of non-urgent messages


def choose_safety_thresholds(probs: np.ndarray, y: list[str], classes: list[str],
                             ordinary: np.ndarray) -> dict[str, float]:
    """Recall first. ``alert``: the lowest cut that keeps full alarms on non-urgent messages at or
    under ALERT_FALSE. ``check_in``: the lowest cut that checks in on at most CHECK_IN_ORDINARY of
    plain questions, unless that loses recall below CHECK_IN_RECALL: then the highest cut that
    keeps it (a check-in too many is a sentence; a miss could be a life)."""
    urgent = probs[:, classes.index("emergency")] + probs[:, classes.index("crisis")]
    is_urgent = np.array([v != NONE for v in y])
    cuts = [round(float(c), 3) for c in np.arange(0.005, 0.96, 0.005)]
    recall = {c: float((urgent[is_urgent] >= c).mean()) for c in cuts}
    alert = next((c for c in cuts if (urgent[~is_urgent] >= c).mean() <= ALERT_FALSE), cuts[-1])
    quiet = next((c for c in cuts if ordinary.any() and (urgent[ordinary] >= c).mean() <= CHECK_IN_ORDINARY), cuts[0])
    keeps = max((c for c in cuts if recall[c] >= CHECK_IN_RECALL), default=cuts[0])
    check_in = min(quiet, keeps)
    return {"check_in": check_in, "alert": max(alert, check_in)}


def safety_figures(probs: np.ndarray, y: list[str], classes: list[str], t: dict[str, float],
                   ordinary: np.ndarray | None = None) -> dict[str, float]:
    """``ordinary``: the non-urgent messages that are plain questions (no feeling, no fright)."""
    urgent = probs[:, classes.index("emergency")] + probs[:, classes.index("crisis")]
    is_urgent = np.array([v != NONE for v in y])
    ordinary = np.zeros(len(y), dtype=bool) if ordinary is None else ordinary
    return {"urgent": int(is_urgent.sum()), "non_urgent": int((~is_urgent).sum()),
            "ordinary": int(ordinary.sum()),
            "check_ins_ordinary": float((urgent[ordinary] >= t["check_in"]).mean()) if ordinary.any() else 0.0,
            "full_alarms_ordinary": float((urgent[ordinary] >= t["alert"]).mean()) if ordinary.any() else 0.0,
            "recall_any_tier": float((urgent[is_urgent] >= t["check_in"]).mean()),
            "recall_full_tier": float((urgent[is_urgent] >= t["alert"]).mean()),
            "full_alarms": float((urgent[~is_urgent] >= t["alert"]).mean()),
            "check_ins": float(((urgent[~is_urgent] >= t["check_in"]) & (urgent[~is_urgent] < t["alert"])).mean())}


def feeling_figures(probs: np.ndarray, y: list[str], classes: list[str], t: dict[str, float],
                    key: str = "feeling") -> dict[str, float]:
    """Recall and precision of a head that names one label or none (feelings, small talk)."""
    none = classes.index(NONE)
    feel = probs.copy()
    feel[:, none] = -1
    best = feel.argmax(axis=1)
    said = feel.max(axis=1) >= t[key]
    has = np.array([v != NONE for v in y])
    right = np.array([classes[b] == v for b, v in zip(best, y)])
    return {"with_feeling": int(has.sum()), "without": int((~has).sum()),
            "recall": float((said & has).sum() / max(has.sum(), 1)),
            "precision": float((said & has).sum() / max(said.sum(), 1)),
            "right_feeling": float((said & has & right).sum() / max((said & has).sum(), 1))}


def choose_feeling_threshold(probs: np.ndarray, y: list[str], classes: list[str],
                             key: str = "feeling") -> dict[str, float]:
    """The cut on the likeliest label with the best F1 (a missed feeling gets a topic menu; a
    feeling line where there was none reads oddly, and may take the place of the answer: both count;
    likewise small talk, leaning on the turn before and asking back). F1 is flat near its best, so the
    cut would wander with each retraining: for feelings the lowest cut within RECALL_SLACK of the best
    F1 is taken, finding more feelings at practically the same F1."""
    cuts = np.round(np.arange(0.1, 0.91, 0.02), 2)
    scores = []
    for c in cuts:
        f = feeling_figures(probs, y, classes, {key: float(c)}, key)
        scores.append(2 * f["precision"] * f["recall"] / max(f["precision"] + f["recall"], 1e-9))
    best = max(scores)
    slack = RECALL_SLACK.get(key, 0.0)
    return {key: float(next(c for c, f1 in zip(cuts, scores) if f1 >= best - slack - 1e-12))}


# -- the whole build -----------------------------------------------------------------------------
def train(batches: list[Batch], analyzer: Analyzer | None, bound, *, cross_validate: bool = True,  # noqa: ANN001
          log=print) -> dict:  # noqa: ANN001
    data = build_dataset(batches, analyzer, bound)
    # The features are the single messages': the conversations' turns (and batches with ``vocabulary:
    # false``) add labels, not words.
    vocab = fit_vocabulary(data.counts[:data.single])
    x_all = vocab.matrix(data.counts)
    log(f"{len(data.messages)} training messages, {x_all.shape[1]} features "
        + ", ".join(f"{b}={len(vocab.features[b])}" for b in BLOCKS))
    heads, figures = {}, {}
    answer_fit = None   # the answer head's coefficients and intercepts, for the after prior
    for name in HEADS:
        rows = [i for i, v in enumerate(data.labels[name]) if v is not None]
        y = [data.labels[name][i] for i in rows]
        if len(set(y)) < 2:
            log(f"{name}: not enough labeled messages yet, head left out")
            continue
        x = x_all[rows]
        clf = fit_head(x, y)
        classes = [str(c) for c in clf.classes_]
        thresholds: dict[str, float] = {}
        if cross_validate:
            probs = out_of_fold(x, y, classes)
            y_cv = y * REPEATS   # the labels of the stacked repeats
            # The answer and safety heads are cut on the single messages' rows: see below.
            single = np.array([i < data.single for i in rows] * REPEATS)
            y_single = [v for v, keep in zip(y_cv, single) if keep]
            if name == "answer":
                # A conversation's turn (a story's aside, a follow-up read with the turn before) teaches the
                # head, but its writer's label is a looser judge of a confident answer (with the turns no
                # cut kept wrong answers under 1 in 100). A message that asks nothing (a feeling, thanks) teaches
                # it to leave such words alone, but is no judge of when to answer a question: the bot meets it
                # with a feeling or small-talk reply before the matcher reads it (round 21: the cut rose 0.68 ->
                # 0.74 when three batches of hard news and feelings said alone joined the corpus).
                asks = np.array([data.messages[i].answer is not None for i in rows] * REPEATS)
                judged = single & asks
                y_judged = [v for v, keep in zip(y_cv, judged) if keep]
                thresholds = choose_answer_thresholds(probs[judged], y_judged, classes)
                figures[name] = answer_figures(probs[judged], y_judged, classes, thresholds)
            elif name in F1_HEADS:
                thresholds = choose_feeling_threshold(probs, y_cv, classes, name)
                figures[name] = feeling_figures(probs, y_cv, classes, thresholds, name)
            else:
                # A conversation's casual turns are easy non-urgent examples: counted here they would
                # loosen "full alarms on at most 2 in 100".
                plain = np.array([is_ordinary(data.messages[i]) for i in rows] * REPEATS)[single]
                thresholds = choose_safety_thresholds(probs[single], y_single, classes, plain)
                figures[name] = safety_figures(probs[single], y_single, classes, thresholds, plain)
            # Counts over the stacked repeats, given per message once.
            figures[name] = {k: v // REPEATS if isinstance(v, int) else v for k, v in figures[name].items()}
            log(f"{name}: {len(y)} messages, {dict(sorted(Counter(y).items(), key=lambda kv: -kv[1])[:4])}..., "
                f"thresholds {thresholds}, cross-validated {_fmt(figures[name])}")
        coef, intercept = clf.coef_, clf.intercept_
        if name == "answer":
            answer_fit = (coef.T, intercept)
        if len(classes) == 2:
            # A two-class head is one logistic function; as a softmax over both classes the first
            # class's column is zero (faq.classifier scores every head as a softmax).
            coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
        heads[name] = {"classes": classes, "intercept": intercept.tolist(),
                       "coef": coef.T.tolist(), "thresholds": thresholds,
                       "uses_reading": analyzer is not None, "trained_on": len(y)}
    model = {
        "format": FORMAT,
        "corpus_sha256": corpus_hash(batches),
        "versions": {"scikit-learn": sklearn.__version__, "numpy": np.__version__,
                     "python": platform.python_version()},
        "trained": {"seed": SEED, "C": C, "min_df": MIN_DF, "max_features": MAX_FEATURES, "max_words": MAX_WORDS,
                    "folds": FOLDS, "repeats": REPEATS,
                    "messages": len(data.messages)},
        "figures": {"cross_validated": figures},
        "blocks": {b: {"features": vocab.features[b], "idf": np.round(vocab.idf[b], 6).tolist(),
                       **({"respell_min_length": vocab.respell_min_length} if b == "w" else {})} for b in BLOCKS},
        "heads": heads,
    }
    if answer_fit is not None:
        answer = heads["answer"]
        said_after = [i for i, m in enumerate(data.messages) if m.after and m.answer in answer["classes"]]
        if said_after:
            logits = x_all[said_after] @ answer_fit[0] + answer_fit[1]
            shift, seen = fit_after_prior(logits, [data.messages[i].after for i in said_after],
                                          [answer["classes"].index(data.messages[i].answer) for i in said_after],
                                          len(answer["classes"]))
            model[AFTER_HEAD] = {"classes": answer["classes"], "trained_on": len(said_after), "penalty": AFTER_PENALTY,
                                  "shift": {e: np.round(v, 4).tolist() for e, v in shift.items()}}
            log(f"{AFTER_HEAD}: {len(said_after)} turns said after an answer; the answer head's top-1 on them "
                f"{seen[0]:.1%} alone, {seen[1]:.1%} shifted (in sample)")
    return model


# A turn said right after an answer: the answer head's logits, shifted by which answers follow that one in
# the training conversations. One vector per entry answered last (the classes' log-odds of coming next,
# beyond what the words say), fitted by L2-penalised maximum likelihood; small and reviewable, and the
# answer head itself never learns a follow-up's label from its words alone.
AFTER_PENALTY = 1.0


def fit_after_prior(logits: np.ndarray, afters: list[str], y: list[int],
                    n_classes: int) -> tuple[dict[str, np.ndarray], tuple[float, float]]:
    """Per entry answered last, the shift of the answer head's ``logits`` that best predicts ``y`` (the
    class asked next); and the top-1 share before and after the shift."""
    from scipy.optimize import minimize

    entries = sorted(set(afters))
    row_entry = np.array([entries.index(a) for a in afters])
    target = np.zeros((len(y), n_classes))
    target[np.arange(len(y)), y] = 1.0

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        b = flat.reshape(len(entries), n_classes)
        z = logits + b[row_entry]
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        grad_rows = np.exp(log_p) - target
        grad = np.zeros_like(b)
        np.add.at(grad, row_entry, grad_rows)
        return float(-(target * log_p).sum() + AFTER_PENALTY / 2 * (b * b).sum()), (grad + AFTER_PENALTY * b).ravel()

    fitted = minimize(loss, np.zeros(len(entries) * n_classes), jac=True, method="L-BFGS-B",
                      options={"maxiter": 2000}).x.reshape(len(entries), n_classes)
    before = float((logits.argmax(axis=1) == np.asarray(y)).mean())
    after = float(((logits + fitted[row_entry]).argmax(axis=1) == np.asarray(y)).mean())
    return {e: fitted[k] for k, e in enumerate(entries)}, (before, after)


def _fmt(figures: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.1%}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items())


def write_model(model: dict, path: Path) -> int:
    """Compact JSON, one feature's coefficients per line (integers, in units of 10^-DIGITS), so a
    diff shows what moved and the file stays small."""
    scale = 10 ** DIGITS
    rows = {name: head.pop("coef") for name, head in model["heads"].items()}
    model["coef_scale"] = scale
    text = json.dumps(model, ensure_ascii=False, separators=(",", ":"))[:-1]
    for name, coef in rows.items():
        model["heads"][name]["coef"] = coef
    parts = [text]
    for name, coef in rows.items():
        lines = ",\n".join(json.dumps([round(v * scale) for v in r], separators=(",", ":")) for r in coef)
        parts.append(f',\n"coef:{name}":[\n{lines}]')
    path.write_text("".join(parts) + "}\n", encoding="utf-8")
    return path.stat().st_size
