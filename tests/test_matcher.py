"""The matcher's behaviour as a patient meets it: answers, clarifications and honest declines."""

from __future__ import annotations

import pytest

from faq.language import load_language
from faq.matcher import Matcher, MatcherSettings, Outcome


def answer_of(matcher, text):
    result = matcher.match(text)
    return result.entry_id if result.outcome is Outcome.ANSWER else result.outcome.value


@pytest.mark.parametrize("text, entry", [
    ("symptoms?", "symptoms"),
    ("What are the sypmtoms of a neuroendocrine tumour?", "symptoms"),
    ("is it herditary", "risk-factors"),
    ("Does it run in the family?", "risk-factors"),
    ("can a NET cause diarrhoea", "functional-symptoms"),
    ("do NETs metastasise", "growth-and-spread"),
    ("What is a NET?", "what-are-nets"),
    ("what is a NEN", "what-are-nets"),
    ("is a pNET a kind of NET", "types"),
    ("is there a support group", "support-group"),
    ("WHERE   DO NETS GROW??", "where-in-body"),
    ("what causes it", "causes"),
])
def test_paraphrases_typos_and_lay_words_are_answered(matcher, text, entry):
    assert answer_of(matcher, text) == entry


@pytest.mark.parametrize("text", [
    "What's the net worth of Elon Musk?",
    "how do i fix my home network",
    "What is breast cancer?",
    "symptoms of diabetes",
    "what are the symptoms of lung cancer",
    "what is the survival rate for neuroendocrine tumors",
    "what is the life expectancy with a NET",
    "is there a special diet for NETs",
    "what dose of octreotide should i take",
    "will insurance cover my NET treatment",
    "is a NET contagious",
    "asdfghjkl",
    "what is a brain tumour",
    "can children get NETs",
    "how old are people with NETs",
    "which specialist treats NETs",
    "what is carcinoid heart disease",
])
def test_out_of_scope_questions_get_the_fallback(matcher, text):
    result = matcher.match(text)
    assert result.outcome is Outcome.FALLBACK, result
    assert result.entry_id is None


def test_disease_words_alone_never_carry_a_match_to_a_topic(matcher):
    # Every entry mentions the disease; only "what it is" may answer a bare mention.
    for text in ("neuroendocrine tumour", "NET cancer tumor", "tumors?"):
        result = matcher.match(text)
        assert result.entry_id in (None, "what-are-nets"), (text, result)


def test_a_named_type_alone_asks_about_types_beside_other_words_it_names_nets(matcher):
    assert answer_of(matcher, "carcinoid?") == "types"
    assert answer_of(matcher, "does carcinoid cause flushing") == "functional-symptoms"


def test_organs_the_page_does_not_name_are_still_places(matcher):
    assert answer_of(matcher, "can a NET spread to the liver or bones") == "growth-and-spread"
    assert answer_of(matcher, "will my kids get it") == "risk-factors"


@pytest.mark.parametrize("text", ["I don't have any symptoms, is that normal?", "no signs at all?",
                                  "can you have a NET without symptoms"])
def test_negated_symptoms_mean_having_none(matcher, text):
    assert answer_of(matcher, text) == "no-early-symptoms"


def test_scene_setting_is_not_the_question(matcher):
    # "diagnosed" and "doctor" set the scene here; the question is what a NET is.
    assert answer_of(matcher, "My doctor said I was diagnosed with a NET. What is it in plain english?") \
        == "what-are-nets"


def test_uncovered_topic_is_named_in_the_result(matcher):
    result = matcher.match("how long will I live with a NET?")
    assert result.outcome is Outcome.FALLBACK
    assert result.uncovered_topic == "survival and prognosis"


@pytest.mark.parametrize("text, first, second", [
    ("types and symptoms", "types", "symptoms"), ("symptoms + causes??", "symptoms", "causes"),
    ("is it cancer and does it spread", "what-are-nets", "growth-and-spread"),
    # The whole reads as its second question; the first, read on its own, asks another.
    ("What are the symptoms, and when should I see a doctor about them?", "symptoms", "when-to-see-doctor"),
    ("can you have one with no symptoms at all and when should I see a doctor", "no-early-symptoms",
     "when-to-see-doctor"),
])
def test_two_topics_joined_in_one_request_are_two_questions_in_the_order_asked(matcher, text, first, second):
    result = matcher.match(text)
    assert (result.outcome, result.entry_id, result.secondary.entry_id) == (Outcome.ANSWER, first, second), result


@pytest.mark.parametrize("text", ["signs and symptoms", "functional and non-functional", "diagnosis and treatment",
                                  "flushing and diarrhoea", "pancreas and lungs"])
def test_one_topic_said_twice_is_one_question(matcher, text):
    assert matcher.match(text).secondary is None


@pytest.mark.parametrize("text", ["what causes a sore throat", "why am i always tired", "what causes a stiff neck"])
def test_question_that_may_not_be_about_nets_is_never_answered_as_certain(matcher, text):
    result = matcher.match(text)
    assert result.outcome is not Outcome.ANSWER or result.hedged, result


def test_result_is_deterministic_and_ranked(matcher):
    first = matcher.match("what are the signs of a net")
    for _ in range(3):
        assert matcher.match("what are the signs of a net") == first
    scores = [c.score for c in first.candidates]
    assert scores == sorted(scores, reverse=True)
    assert first.entry_id == first.candidates[0].entry_id


def test_candidates_are_distinct_entries(matcher):
    result = matcher.match("symptoms of functional tumours")
    ids = [c.entry_id for c in result.candidates]
    assert len(ids) == len(set(ids))


def test_the_rules_thresholds_come_from_settings(kb):
    story = "the consultant wrote neuroendocrine in the letter after my biopsy, what does that mean for me"
    strict = Matcher(kb, settings=MatcherSettings(use_model=False, answer_threshold=100, lone_answer_threshold=100,
                                                  clarify_threshold=100))
    assert strict.match(story).outcome is Outcome.FALLBACK
    lax = Matcher(kb, settings=MatcherSettings(use_model=False, clarify_threshold=0, lone_answer_threshold=0,
                                               answer_threshold=0, margin=0, lone_margin=0))
    result = lax.match(story)
    assert result.outcome is Outcome.ANSWER and not result.hedged


def test_settings_are_validated():
    assert MatcherSettings().problems() == []
    problems = MatcherSettings(answer_threshold=120, clarify_threshold=80, max_suggestions=0).problems()
    assert any("answer_threshold: must be between 0 and 100" in p for p in problems)
    assert any("max_suggestions" in p for p in problems)


def test_only_a_bounded_prefix_is_matched(kb):
    matcher = Matcher(kb, settings=MatcherSettings(max_input_chars=40))
    long_text = "what causes neuroendocrine tumors " + "diabetes " * 10_000
    assert matcher.match(long_text).entry_id == "causes"


def test_unicode_and_curly_quotes_are_normalised(matcher):
    assert answer_of(matcher, "What’s the ＣＡＵＳＥ of a neuroendocrine tumour?") == "causes"
    assert answer_of(matcher, "Is a NET héréditary?") == "risk-factors"


def test_language_file_problems_name_file_and_field(tmp_path):
    from faq.yamlfile import DataFileError

    bad = tmp_path / "language.yaml"
    bad.write_text("spellings: {tumour: tumor, colour: colour}\nstop_words: [a, no, kind of, a]\nbogus: 1\n",
                   encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_language(bad)
    text = str(info.value)
    assert f"{bad}: field 'bogus': unknown field" in text
    assert "field 'disease_words': missing" in text
    assert "'colour': replaces a word with itself" in text
    assert "put the word in quotes" in text            # bare `no` is a YAML boolean
    assert "'kind of': one word only" in text
    assert "item 'a': listed twice" in text


def test_a_key_listed_twice_is_an_error_not_silently_overridden(tmp_path):
    from faq.yamlfile import DataFileError

    bad = tmp_path / "language.yaml"
    bad.write_text("spellings:\n  tumour: tumor\n  tumour: tumors\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_language(bad)
    assert "line 3" in str(info.value) and "'tumour' is listed twice" in str(info.value)


@pytest.mark.parametrize("text", ["in children", "in kids", "is it different in children", "how comon are nets in kids"])
def test_children_as_the_subject_is_declined_as_age(matcher, text):
    result = matcher.match(text)
    assert result.outcome is Outcome.FALLBACK and result.uncovered_topic == "age and sex"


def test_children_inheriting_is_still_heredity(matcher):
    result = matcher.match("Could my children inherit this?")
    assert result.outcome is Outcome.ANSWER and result.entry_id == "risk-factors"


@pytest.mark.parametrize("text", ["how is it treated?", "what about treatment for that?", "treatment for an appendix one"])
def test_treatment_asked_without_what_decides_it_is_declined_as_methods_by_the_rules(rules, text):
    # The model, trained on the team's labels ("how is a NET treated" -> what treatment depends
    # on), answers these with what the page says treatment depends on, hedged.
    result = rules.match(text)
    assert result.outcome is Outcome.FALLBACK and result.uncovered_topic == "treatment methods and drugs"


@pytest.mark.parametrize("text, entry", [("how is a NET treated", "diagnosis-and-treatment"),
                                         ("what does the treatment depend on", "diagnosis-and-treatment"),
                                         ("can I get treatment at mayo clinic", "care-at-mayo")])
def test_what_decides_treatment_and_care_at_mayo_are_still_answered(matcher, text, entry):
    result = matcher.match(text)
    assert result.outcome is Outcome.ANSWER and result.entry_id == entry


@pytest.mark.parametrize("typo, word", [("suport", "support"), ("comon", "common"), ("spred", "spread")])
def test_a_dropped_letter_beats_a_changed_one(matcher, typo, word):
    assert matcher.analyzer.corrector.correct(typo) == word


def test_sorry_is_not_a_typo_for_worry(matcher):
    assert "#worry" not in matcher.analyzer.analyze("sorry. what are neuroendocrine tumors?").tokens


def test_a_misspelt_disease_word_names_the_disease(matcher):
    result = matcher.match("wat r neuro endocrin tumers exactley")
    assert result.outcome is Outcome.ANSWER and result.entry_id == "what-are-nets"


@pytest.mark.parametrize("text", ["what is a hormone", "where is the pancreas", "what is the appendix"])
def test_an_everyday_thing_asked_about_itself_is_not_a_net_question(matcher, text):
    assert matcher.match(text).outcome is Outcome.FALLBACK


@pytest.mark.parametrize("text, entry", [("can you get one in the lung", "where-in-body"),
                                         ("where in the body do NETs grow", "where-in-body"),
                                         ("what is MEN1", "risk-factors")])
def test_the_same_words_about_nets_are_still_answered(matcher, text, entry):
    result = matcher.match(text)
    assert result.outcome is Outcome.ANSWER and result.entry_id == entry


def test_unknown_words_in_the_story_do_not_make_the_question_foreign(matcher):
    result = matcher.match("is it herditary? my dr hartmann asked")
    assert result.outcome is Outcome.ANSWER and result.entry_id == "risk-factors"


def test_what_about_a_place_is_not_asking_what_the_place_is(matcher):
    assert matcher.match("what about in the rectum").reason != "asks about the thing itself, not NETs"


def test_a_body_part_beside_a_complaint_says_where_the_complaint_is(matcher):
    result = matcher.match("ive got a bump under the skin on my tummy thats getting bigger, could that be a NET")
    assert result.outcome is Outcome.ANSWER and result.entry_id == "symptoms"


def test_a_named_type_in_one_of_two_questions_asks_about_types(matcher):
    result = matcher.match("What's the difference between a NET and a carcinoid, and how fast do they grow?")
    assert result.outcome is Outcome.ANSWER and result.entry_id == "types"


def test_who_is_ill_never_changes_the_topic_in_the_rules(rules):
    """A rule (the model's reading features): who is ill is story, not the topic."""
    result = rules.match("my son has been told he might have a NET, what is that")
    assert result.outcome is Outcome.ANSWER and result.entry_id == "what-are-nets"
    result = rules.match("Could my children inherit this?")
    assert result.outcome is Outcome.ANSWER and result.entry_id == "risk-factors"


def test_survival_asked_of_a_spread_net_is_declined(matcher):
    result = matcher.match("what are the odds of survival once a NET has spread to the bones")
    assert result.outcome is Outcome.FALLBACK and result.uncovered_topic


def test_politeness_opens_a_statement_not_a_question(matcher):
    result = matcher.match("Please my father has a NET in his lung. Kindly, is it hereditary?")
    assert result.outcome is Outcome.ANSWER and result.entry_id == "risk-factors"


def test_an_instruction_is_not_the_question(matcher):
    result = matcher.match("Don't send me to my GP again. I'm after the prognosis for a NET")
    assert result.outcome is Outcome.FALLBACK


@pytest.mark.parametrize("text, entry", [
    ("so is a NET a cancer or more like a cyst", "what-are-nets"),
    ("can a tumour be there and you not feel a thing", "no-early-symptoms"),
    ("my NET is not a chill one apparently, what does hereditary risk look like", "risk-factors"),
])
def test_lay_forms_of_the_question(matcher, text, entry):
    result = matcher.match(text)
    assert result.outcome is Outcome.ANSWER and result.entry_id == entry, result


@pytest.mark.parametrize("text, first, second", [
    ("is it common or is it rare and where does it grow", "how-common", "where-in-body"),
    ("symptons n causes", "symptoms", "causes"),
    ("symptoms n causes?", "symptoms", "causes"),          # "n" joins two questions as "and" does
    ("what are the symptoms and what causes them?", "symptoms", "causes"),
])
def test_two_questions_are_asked_back_in_the_order_asked(matcher, text, first, second):
    """ "Which first" (an answer with a second question) or "Did you mean", the two in the order asked."""
    result = matcher.match(text)
    offered = (result.entry_id, result.secondary.entry_id) if result.secondary is not None else \
        tuple(c.entry_id for c in result.candidates) if result.outcome is Outcome.CLARIFY else ()
    assert offered == (first, second), result
