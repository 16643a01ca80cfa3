"""The review record's masking on a blind set (tests/data/pii_set.yaml, written by someone who had
not read the masking rules): recall of identifying spans, and medical words left readable."""

from __future__ import annotations

from bot.tools.evaluate import evaluate_masking
from bot.masking import Masker
from faq.yamlfile import read_yaml
from tests.conftest import ROOT

SET = ROOT / "tests" / "data" / "pii_set.yaml"


def test_masking_keeps_at_least_its_first_run_on_the_blind_set():
    messages = read_yaml(SET)["messages"]
    report = evaluate_masking(Masker().mask, messages)
    assert len(messages) >= 200 and report.spans >= 800
    # First run, after issue 17's rules: 89.0 % (778/874) caught, 0.7 % of medical words masked.
    # Below the 98 % target (see the set's header); a floor against losing ground.
    assert report.caught >= 778, "\n".join(report.lines()[:2])
    assert report.over_rate <= 0.05, "\n".join(report.lines())
