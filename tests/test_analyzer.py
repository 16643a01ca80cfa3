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


# Whose it is (language.yaml `experiencer`): what a clause says after "my mum", "he" is also read as said of
# someone else (o:), until the writer speaks of themself again ("me", "i").
@pytest.mark.parametrize("text, others, not_others", [
    ("will my mum die soon?", {"o:#survival"}, set()),
    ("my dad cant breathe", {"o:breath"}, set()),
    ("my kids would be better off without me", {"o:better"}, set()),
    ("i told my dad i want to die", set(), {"o:#survival"}),      # "i" brings it back to the writer
    ("i want to die", set(), {"o:#survival"}),
    ("what causes it? my mum has flushing", {"o:#flushing"}, {"o:#cause"}),
])
def test_what_is_said_of_someone_else_is_marked(analyzer, text, others, not_others):
    features = set(reading_features(analyzer.analyze(text)))
    assert others <= features and not not_others & features
    # The reading of the words themselves stays: "o:" adds, it never takes a feature away.
    if "#survival" in {t for c in analyzer.analyze(text).clauses for t in c.tokens}:
        assert "#survival@asked" in features or "#survival@said" in features


def test_experiencer_problems_name_the_file_and_field(tmp_path):
    from faq.language import DEFAULT_LANGUAGE_PATH, load_language
    from faq.yamlfile import DataFileError

    text = DEFAULT_LANGUAGE_PATH.read_text(encoding="utf-8")
    start = text.index("experiencer:\n")
    end = text.index("\n\n", start)
    bad = tmp_path / "language.yaml"
    bad.write_text(text[:start] + "experiencer:\n  others: [mum, my dad, me]\n  self: [i, me]" + text[end:],
                   encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_language(bad)
    assert f"{bad}: field 'experiencer.others' item 'my dad': one word only" in str(info.value)
    assert "field 'experiencer' item 'me': in both others and self" in str(info.value)
    bad.write_text(text[:start] + "experiencer: [mum]" + text[end:], encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_language(bad)
    assert "field 'experiencer': must be a mapping with others and self" in str(info.value)


# A negation's reach (language.yaml `negation`, NegEx's scope): the tokens after "dont", "not"... are also read as
# negated (n:), so a fear of dying ("i dont want to die yet") need not weigh as the wish ("i want to die").
@pytest.mark.parametrize("text, negated, not_negated", [
    ("i dont want to die yet", {"n:#survival"}, set()),
    ("i want to die", set(), {"n:#survival"}),
    ("no flushing, but what are the symptoms?", {"n:#flushing"}, {"n:#symptom"}),   # the next clause is not reached
    ("i never knew it could spread", set(), {"n:#spread"}),                        # a pseudo-negation negates nothing
])
def test_what_a_negation_reaches_is_marked(analyzer, text, negated, not_negated):
    features = set(reading_features(analyzer.analyze(text)))
    assert negated <= features and not not_negated & features, features


@pytest.mark.parametrize("text, only", [
    ("will my mum die soon?", True),
    ("my dad will die soon, the doctors said", True),
    ("im scared my mum will die soon", True),      # a carer's fear for her: "scared" is no token of its own
    ("my mum will die soon and i cant cope", False),   # the writer says something of themself too
    ("i want to die", False),
    ("hello", False),                              # says nothing at all
])
def test_a_message_about_someone_else_only(analyzer, text, only):
    assert analyzer.analyze(text).of_others_only is only
