"""Table tests for faq/scoring.py: how well each target explains a message, on a tiny knowledge base
of hand-made tokens (concept tokens start with '#', other tokens are stems)."""

from __future__ import annotations

import math

import pytest

from faq.scoring import Scorer, Target

TARGETS = [
    Target("symptoms", "Symptoms", False, (("symptom",), ("sign", "#flushing")), ("#flushing",),
           frozenset({"tired", "weight"})),
    Target("causes", "Causes", False, (("caus",), ("whi", "get")), ("#cause",), frozenset({"unknown"})),
    Target("what-are-nets", "What NETs are", False, ((), ("explain",)), ("#definition",)),
    Target("diet", "Diet", True, (), ("#diet",)),
]


@pytest.fixture(scope="module")
def scorer():
    return Scorer(TARGETS)


def _best(scorer: Scorer, query: dict[str, float]) -> tuple[str, float]:
    scores = scorer.score(query, keep=3)
    i = max(scores, key=scores.get)
    return TARGETS[i].id, scores[i]


@pytest.mark.parametrize("query, best", [
    ({"symptom": 1.0}, "symptoms"),                      # a phrasing said word for word
    ({"#flushing": 1.0}, "symptoms"),                    # a concept the entry is about counts as a phrasing
    ({"sign": 1.0, "#flushing": 1.0}, "symptoms"),       # a two-token phrasing
    ({"whi": 1.0, "get": 1.0}, "causes"),
    ({"#diet": 1.0}, "diet"),                            # declines compete on the same evidence
    ({"explain": 1.0}, "what-are-nets"),
    ({"caus": 1.0, "symptom": 0.2}, "causes"),           # the question outweighs its backstory
    ({"caus": 0.2, "symptom": 1.0}, "symptoms"),
    ({"unknown": 1.0}, "causes"),                        # a word of the answer only, explained in part
])
def test_the_target_that_explains_the_message_scores_best(scorer, query, best):
    assert _best(scorer, query)[0] == best


@pytest.mark.parametrize("query", [{"symptom": 1.0}, {"#flushing": 1.0}, {"#diet": 1.0}, {"whi": 1.0, "get": 1.0}])
def test_a_phrasing_said_exactly_scores_100(scorer, query):
    assert _best(scorer, query)[1] == pytest.approx(100.0)


@pytest.mark.parametrize("query, below", [
    ({"unknown": 1.0}, 50.0),               # answer words alone explain half at most
    ({"sign": 1.0}, 100.0),                 # half a phrasing
    ({"symptom": 1.0, "zzz": 1.0}, 100.0),  # a word no target knows is left unexplained
])
def test_partial_evidence_scores_less(scorer, query, below):
    assert 0 < _best(scorer, query)[1] < below


@pytest.mark.parametrize("query", [{}, {"zzz": 1.0}, {"zzz": 1.0, "qqq": 0.5}])
def test_nothing_known_scores_nothing(scorer, query):
    assert scorer.score(query, keep=3) == {}


def test_scores_stay_between_0_and_100(scorer):
    for query in ({"symptom": 1.0, "caus": 1.0}, {"#flushing": 2.0}, {"sign": 0.1, "tired": 1.0, "explain": 1.0}):
        assert all(0 <= s <= 100 + 1e-9 for s in scorer.score(query, keep=4).values())


def test_weights_rarity_and_unknown_words(scorer):
    n = len(TARGETS)
    assert scorer.knows("symptom") and not scorer.knows("zzz")
    assert scorer.weight("symptom") == pytest.approx(math.log(1 + n / 1))
    # A word no target knows weighs half the median known weight.
    idf = sorted(scorer._idf.values())
    assert scorer.weight("zzz") == pytest.approx(0.5 * idf[len(idf) // 2])


def test_a_target_with_an_empty_phrasing_is_the_default(scorer):
    assert scorer.default_targets == [2]


def test_a_common_token_does_not_bring_targets_into_the_running():
    many = [Target(f"t{i}", f"T{i}", False, ((f"w{i}", "common"),), ()) for i in range(300)]
    scorer = Scorer(many)
    # "common" reaches all 300 (over 100): only the rare word's target is scored, common word included.
    scores = scorer.score({"w123": 1.0, "common": 0.5}, keep=3)
    assert list(scores) == [123]
    # With no rare word, the common one reaches every target; at least ``keep`` are scored.
    assert len(scorer.score({"common": 1.0}, keep=3)) >= 3
