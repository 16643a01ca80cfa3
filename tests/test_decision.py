"""Table tests for faq/decision.py: answer (plain or hedged), ask, or decline, from the scores alone."""

import pytest

from faq.decision import Candidate, Evidence, MatcherSettings, Outcome, decide

S = MatcherSettings()   # answer 70, margin 6, lone answer 45, lone margin 6, clarify 45, decline margin 20


def _ev(*scores, decline=None, named=True, refers=True, unknown=0.0, decline_margin=None):
    entries = [Candidate(f"e{i}", f"Topic {i}", s) for i, s in enumerate(scores)]
    dec = Candidate("d", "an uncovered topic", decline) if decline is not None else None
    return Evidence(entries, dec, named, refers, unknown, decline_margin)


@pytest.mark.parametrize("evidence, outcome, entry, hedged, reason", [
    (_ev(90, 40), Outcome.ANSWER, "e0", False, "confident"),
    (_ev(90, 40, named=False), Outcome.ANSWER, "e0", True, "clear leader, middling score"),
    (_ev(60, 30), Outcome.ANSWER, "e0", True, "clear leader, middling score"),
    (_ev(80, 77), Outcome.CLARIFY, None, False, "close candidates"),
    (_ev(40, 10), Outcome.FALLBACK, None, False, "nothing close"),
    (_ev(), Outcome.FALLBACK, None, False, "nothing close"),
    (_ev(90, 40, decline=75), Outcome.FALLBACK, None, False, "explained best by: an uncovered topic"),
    (_ev(90, 40, decline=75, decline_margin=10), Outcome.ANSWER, "e0", False, "confident"),
    (_ev(90, 40, decline=40), Outcome.ANSWER, "e0", False, "confident"),
    (_ev(75, 10, refers=False, unknown=0.5), Outcome.FALLBACK, None, False, "may not be about NETs"),
    (_ev(80, 10, refers=False, unknown=0.5), Outcome.ANSWER, "e0", False, "confident"),
])
def test_decide(evidence, outcome, entry, hedged, reason):
    result = decide(evidence, S)
    assert (result.outcome, result.entry_id, result.hedged, result.reason) == (outcome, entry, hedged, reason)


def test_a_decline_is_named_and_the_entries_still_shown():
    result = decide(_ev(60, 50, 48, 47, decline=70), S)
    assert result.uncovered_topic == "an uncovered topic"
    assert [c.entry_id for c in result.candidates] == ["e0", "e1", "e2"]   # max_suggestions


@pytest.mark.parametrize("settings, problem", [
    (MatcherSettings(), None),
    (MatcherSettings(margin=150), "margin: must be between 0 and 100 (got 150)"),
    (MatcherSettings(context_weight=1.5), "context_weight: must be between 0 and 1 (got 1.5)"),
    (MatcherSettings(max_suggestions=9), "max_suggestions: must be between 1 and 5 (got 9)"),
    (MatcherSettings(clarify_threshold=80), "clarify_threshold: must not be above answer_threshold"),
])
def test_settings_problems(settings, problem):
    assert settings.problems() == ([problem] if problem else []) or problem in settings.problems()
