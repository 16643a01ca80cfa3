"""Table tests for faq/analyzer.py: what a message says about the disease, and the feature
strings the trained model reads from it (which must never change without retraining)."""

import pytest

from faq.features import reading_features


@pytest.fixture(scope="module")
def analyzer(matcher):
    return matcher.analyzer


# (text, names_nets_clearly, may_name_nets, names_any_disease, names_nets_or_tumour, taken_as_about_nets)
@pytest.mark.parametrize("text, flags", [
    ("What causes neuroendocrine tumours?", (True, True, True, True, True)),
    ("what is a NET", (True, True, True, True, True)),
    ("I caught it in a net", (False, True, True, False, True)),
    ("is a tumor always cancer?", (False, False, True, True, True)),
    ("does it come back?", (False, False, False, False, True)),
    ("what time is it", (False, False, False, False, True)),   # "it" is taken as the disease
    ("hot flushes and diarrhoea", (False, False, False, False, False)),
])
def test_disease_flags(analyzer, text, flags):
    a = analyzer.analyze(text)
    assert (a.names_nets_clearly, a.may_name_nets, a.names_any_disease, a.names_nets_or_tumour,
            a.taken_as_about_nets) == flags


@pytest.mark.parametrize("text, present, absent", [
    ("What causes neuroendocrine tumours?", {"f:about_nets", "f:names_disease", "f:refers", "f:questions=1"}, set()),
    ("does it come back?", {"f:refers"}, {"f:about_nets", "f:names_disease"}),
    ("hot flushes and diarrhoea", {"f:questions=0"}, {"f:about_nets", "f:names_disease", "f:refers"}),
])
def test_flag_feature_strings_stay_as_the_model_was_trained(analyzer, text, present, absent):
    features = set(reading_features(analyzer.analyze(text)))
    assert present <= features and not absent & features


@pytest.mark.parametrize("text, asks", [
    ("My dad had a scan last week. Is it hereditary?", [False, True]),
    ("hot flushes and diarrhoea", [False]),   # no asking clause: all of it is the focus
])
def test_clauses_and_what_they_ask(analyzer, text, asks):
    a = analyzer.analyze(text)
    assert [c.asks for c in a.clauses] == asks
