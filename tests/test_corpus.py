"""The labeled corpus (corpus/*.yaml) and the model trained on it (faq/data/model.json)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pytest

from faq.corpus import OUT, Batch, Message, load_conversation_batch, load_corpus
from faq.training import (RECALL_SLACK, answer_label, build_dataset, choose_feeling_threshold, clarify_label,
                          feeling_figures)
from faq.evaluate import evaluate, load_labeled_set
from faq.yamlfile import DataFileError
from tests.conftest import CORPUS, ROOT
from tests.test_faq_cli import run_faq

# "# FIRST RUN (...): in-scope top-1 82.9 % (29/35) ... out-of-scope answered 0 (0/15)"
_FIRST_RUN = re.compile(r"^# FIRST RUN", re.M)
# A held-out batch's first run with a trained model: "in-scope top-1 88.0 % (95/108) ... answered 4.8 % (2/42)".
_MODEL_FLOOR = re.compile(r"^# (?:MODEL )?FIRST RUN \((?:2026-12-06|the first trained model).*?in-scope top-1 [\d.]+ % "
                          r"\((\d+)/(\d+)\).*?answered [\d.]+ ?%? ?\((\d+)/(\d+)\)", re.M | re.S)


@pytest.fixture(scope="module")
def batches(kb, matcher):
    return load_corpus(CORPUS, {e.id for e in kb.entries}, {d.id for d in matcher.declines})


def test_every_batch_says_how_it_may_be_used_and_held_out_ones_record_their_first_run(batches):
    assert {b.split for b in batches} == {"train", "heldout"}
    for b in batches:
        if b.split == "heldout":
            assert _FIRST_RUN.search(b.path.read_text(encoding="utf-8")), f"{b.path.name}: no FIRST RUN header"


def test_the_corpus_covers_every_entry_and_what_the_page_does_not_cover(kb, batches):
    train = [m for b in batches if b.split == "train" for m in b.messages]
    per_entry = {e.id: sum(m.answer == e.id for m in train) for e in kb.entries}
    assert min(per_entry.values()) >= 40, per_entry
    assert sum(m.answer == OUT for m in train) >= 400
    assert sum(m.safety == "emergency" for m in train) >= 300
    assert sum(m.safety == "crisis" for m in train) >= 100


def test_the_model_is_current_with_the_corpus():
    """`make test` trains nothing: it checks the committed model was built from this corpus."""
    result = subprocess.run([sys.executable, "-m", "faq", "check"], capture_output=True, text=True, cwd=ROOT,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "model:     current" in result.stdout


def test_faq_check_fails_on_a_stale_model(tmp_path):
    model = json.loads((ROOT / "faq" / "data" / "model.json").read_text(encoding="utf-8"))
    model["corpus_sha256"] = "0" * 64
    stale = tmp_path / "model.json"
    stale.write_text(json.dumps(model), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "faq", "check", "--model", str(stale)], capture_output=True,
                            text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 2
    assert "is stale" in result.stderr and "python -m faq train" in result.stderr


def test_the_cross_validated_figures_saved_with_the_model_meet_their_floors(matcher):
    cv = matcher.model.meta["figures"]["cross_validated"]
    # Figures of the model trained on corpus 50eb883b535f: top-1 79.1 %, wrong 1.4 %, out answered 4.3 %.
    assert cv["answer"]["top1"] >= 0.75 and cv["answer"]["wrong"] <= 0.02, cv["answer"]
    assert cv["answer"]["out_answered"] <= 0.05, cv["answer"]
    assert cv["safety"]["recall_any_tier"] >= 0.99, cv["safety"]


def test_the_model_file_is_small_and_no_pickle():
    path = ROOT / "faq" / "data" / "model.json"
    # Six heads (answer, safety, feeling, small talk, followup, clarify): 5.9 MB.
    assert path.stat().st_size <= 6_500_000
    json.loads(path.read_text(encoding="utf-8"))  # plain JSON: loading it runs no code


# Drops beyond the slack that a round's closing note reports, per batch. Round 17's retrain asked back one more of
# heldout-safety-02's in-scope questions (the right entry offered) that main, already at this floor (45 of 61), had
# answered: 44. Over all held-out batches its in-scope top-1 went 1,608 -> 1,600 of 1,880.
_KNOWN_DROPS = {"heldout-safety-02.yaml": 1}


@pytest.mark.parametrize("path", sorted(p for p in CORPUS.glob("*.yaml")
                                        if _MODEL_FLOOR.search(p.read_text(encoding="utf-8"))),
                         ids=lambda p: p.name)
def test_held_out_batches_stay_near_the_models_first_run(kb, matcher, path):
    """A held-out batch is never trained or tuned on. Retraining on more data moves its figures a
    little either way; a drop of more than 5 % of the batch (at least two messages) is a regression."""
    right, total, answered, out = map(int, _MODEL_FLOOR.search(path.read_text(encoding="utf-8")).groups())
    slack = max(2, round(0.05 * total))
    report = evaluate(matcher, load_labeled_set(path, {e.id for e in kb.entries}))
    assert report.correct >= right - slack - _KNOWN_DROPS.get(path.name, 0), "\n".join(report.lines())
    assert report.out_answered <= answered + max(2, round(0.05 * out)), "\n".join(report.lines())


def test_eval_reads_the_corpus_format_and_reports_voices(tmp_path):
    path = tmp_path / "batch.yaml"
    path.write_text("batch: t\nsplit: heldout\nmessages:\n  - {text: 'is a NET hereditary', answer: risk-factors, "
                    "voice: short}\n  - {text: 'what chemo is best for a NET', answer: out, voice: lay}\n",
                    encoding="utf-8")
    result = run_faq("eval", str(path))
    assert result.returncode == 0, result.stderr
    assert "right per voice" in result.stdout and "short" in result.stdout and "lay" in result.stdout


def test_eval_counts_two_questions_asked_back_and_both_offered(tmp_path):
    """Asking "which first" counts the first entry right, so the report also says how often it asked."""
    path = tmp_path / "batch.yaml"
    path.write_text("batch: t\nsplit: heldout\nmessages:\n"
                    "  - {text: 'what are the symptoms and what causes them?', answer: symptoms, also: causes, "
                    "voice: a}\n"
                    "  - {text: 'is a NET hereditary', answer: risk-factors, voice: a}\n", encoding="utf-8")
    result = run_faq("eval", str(path))
    assert "asked which first      50.0 %  (1; 1 of them labelled with a second entry)" in result.stdout, result.stdout
    assert "two entries labelled  1, both offered 100.0 %  (1)" in result.stdout, result.stdout


def test_a_batch_with_a_bad_label_is_named(tmp_path):
    path = tmp_path / "batch.yaml"
    path.write_text("batch: t\nsplit: later\nmessages:\n  - {text: hi, answer: nonsense, feeling: meh, colour: red}\n",
                    encoding="utf-8")
    result = run_faq("eval", str(path))
    assert result.returncode == 2
    for problem in ("split: must be 'train' or 'heldout'", "message #1: field 'answer': unknown value 'nonsense'",
                    "message #1: field 'feeling': unknown value 'meh'", "message #1: unknown field 'colour'"):
        assert problem in result.stderr


def test_a_conversation_file_is_a_batch_of_its_turns_its_follow_ups_in_context_and_its_turns_said_after(tmp_path):
    path = tmp_path / "talk.yaml"
    path.write_text("""batch: talk
split: train
conversations:
  - voice: anxious
    turns:
      - {text: "symptoms and causes?", expect: clarify, options: [symptoms, causes]}
      - {text: "the second one", expect: causes, choice: true}
      - {text: "and in the lungs?", expect: where-in-body, followup: true}
      - {text: "tell me more", expect: more}
      - {text: "im terrified", expect: feeling, feeling: fear}
      - {text: "what makes them grow?", expect: how-nets-form}
      - {text: "and how is that treated?", expect: decline, followup: true}
      - {text: "and in kids?", expect: decline, followup: true}
      - {text: "does it run in families", expect: risk-factors}
""", encoding="utf-8")
    turns, in_context, said_after, picks = load_conversation_batch(path)
    assert turns.conversations and turns.labeled == ("followup", "feeling", "clarify", "safety") and turns.split == "train"
    # The choice is read against the offer, never learnt from; "tell me more" leans like a follow-up; the
    # bot must ask back about "symptoms and causes?"; a stand-alone turn teaches what it asks (a feeling
    # alone: nothing the page answers); a follow-up alone teaches no answer.
    assert [(m.text, m.followup, m.feeling, m.clarify, m.answer) for m in turns.messages] == [
        ("symptoms and causes?", False, None, True, None), ("and in the lungs?", True, None, False, None),
        ("tell me more", True, None, False, None), ("im terrified", False, "fear", False, OUT),
        ("what makes them grow?", False, None, False, "how-nets-form"),
        ("and how is that treated?", True, None, False, None), ("and in kids?", True, None, False, None),
        ("does it run in families", False, None, False, "risk-factors")]
    # In context: only a follow-up after a turn that asked the page something (not after a choice), read
    # with that turn's words as the answer head learns follow-ups; it labels the answer alone and adds no words.
    assert in_context.name == "talk-in-context" and in_context.labeled == ("answer",) and not in_context.vocabulary
    assert [(m.text, m.answer) for m in in_context.messages] == [
        ("what makes them grow and how is that treated?", OUT), ("and how is that treated and in kids?", OUT)]
    # Said after: every turn but a choice once an entry was answered, its own words said right after the entry
    # the bot remembers (a decline, a feeling or "tell me more" keep it), labelled with what it asks of the
    # page, for the after prior alone.
    assert said_after.name == "talk-after" and said_after.labeled == ("after",) and not said_after.vocabulary
    assert [(m.text, m.after, m.answer) for m in said_after.messages] == [
        ("and in the lungs?", "causes", "where-in-body"), ("im terrified", "where-in-body", OUT),
        ("what makes them grow?", "where-in-body", "how-nets-form"), ("and how is that treated?", "how-nets-form", OUT),
        ("and in kids?", "how-nets-form", OUT), ("does it run in families", "how-nets-form", "risk-factors")]
    assert all(m.after is None for m in [*turns.messages, *in_context.messages])
    # The picks: each choice, for the safety and feeling heads alone, adding no words.
    assert picks.name == "talk-picks" and picks.labeled == ("feeling", "safety") and not picks.vocabulary
    assert [(m.text, m.answer, m.safety, m.urgent) for m in picks.messages] == [("the second one", None, None, False)]


def test_a_bad_conversation_file_is_named(tmp_path):
    path = tmp_path / "talk.yaml"
    path.write_text("batch: talk\nsplit: someday\nconversations:\n  - turns:\n"
                    "      - {text: hi, followup: perhaps, feeling: meh, colour: red}\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_conversation_batch(path)
    said = "\n".join(caught.value.problems)
    for problem in ("split: must be 'train' or 'heldout'", "conversation #1 turn 1: followup must be true or false",
                    "conversation #1 turn 1: feeling 'meh' is not one of", "conversation #1 turn 1: unknown field 'colour'",
                    "conversation #1 turn 1: needs 'expect'"):
        assert problem in said, said


def test_a_conversation_file_is_checked_like_the_evaluation_sets(tmp_path, kb):
    """One loader (faq.dialogues) for both: what a turn expects, and the conversation's own fields."""
    from faq.yamlfile import DataFileError

    path = tmp_path / "talk.yaml"
    path.write_text("batch: talk\nsplit: train\nspeaker: me\nconversations:\n  - voise: anxious\n    turns:\n"
                    "      - {text: tell me more, expect: mroe}\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_conversation_batch(path, {e.id for e in kb.entries})
    said = "\n".join(caught.value.problems)
    for problem in ("unknown top-level key 'speaker'", "conversation #1: unknown field 'voise'",
                    "turn 1: expect 'mroe' is neither an entry id"):
        assert problem in said, said


def test_the_followup_head_is_trained_on_the_conversations_and_no_other_head_learns_their_words(matcher, batches):
    talks = [b for b in batches if b.conversations]
    assert talks and all(b.split == "train" for b in talks)
    head = matcher.model.heads["followup"]
    assert head.classes == ("followup", "none") or head.classes == ("none", "followup")
    cv = matcher.model.meta["figures"]["cross_validated"]["followup"]
    # Corpus c2947b08c47d: recall 50.9 %, precision 54.5 % on the conversations' turns against every message.
    assert cv["recall"] >= 0.45 and cv["precision"] >= 0.45, cv


def test_the_clarify_head_learns_from_batches_that_label_two_topics_completely(matcher):
    """A message asking about two topics (``also``) is "clarify" wherever it is; "none" only in a batch
    that labels it completely (the conversations, two-questions-01): older writers often labelled a
    second question by its first alone. Such a message teaches the answer head nothing."""
    old = Batch("old", "train", "", ROOT, ())
    complete = Batch("new", "train", "", ROOT, (), labeled=("answer", "clarify"))
    two = Message("symptoms + causes?", "keyword", "x", "train", answer="symptoms", also="causes")
    one = Message("signs and symptoms?", "keyword", "x", "train", answer="symptoms")
    second_uncovered = Message("is there a group, and is it free?", "keyword", "x", "train", answer="support-group",
                               also="out")
    assert [clarify_label(m, old) for m in (two, one, second_uncovered)] == ["clarify", None, None]
    assert [clarify_label(m, complete) for m in (two, one, second_uncovered)] == ["clarify", "none", "none"]
    assert answer_label(two, complete) is None and answer_label(one, complete) == "symptoms"
    cv = matcher.model.meta["figures"]["cross_validated"]["clarify"]
    # Corpus 20235616894f: recall 69.5 %, precision 72.0 % at the best F1.
    assert cv["recall"] >= 0.6 and cv["precision"] >= 0.6, cv


def test_the_feeling_cut_takes_more_feelings_at_practically_the_best_f1():
    """Feelings scored 0.05-0.9, four times as many messages without one scored 0-0.7: small talk cuts at
    the best F1; feelings at the lowest cut within RECALL_SLACK of it, finding more."""
    classes = ["fear", "none"]
    y = ["fear"] * 50 + ["none"] * 200
    p_fear = np.concatenate([np.linspace(0.05, 0.9, 50), np.linspace(0.0, 0.7, 200)])
    probs = np.stack([p_fear, 1 - p_fear], axis=1)
    feeling = choose_feeling_threshold(probs, y, classes, "feeling")["feeling"]
    plain = choose_feeling_threshold(probs, y, classes, "smalltalk")["smalltalk"]
    assert feeling < plain
    f1 = {c: feeling_figures(probs, y, classes, {"x": c}, "x") for c in (feeling, plain)}
    f1 = {c: 2 * f["precision"] * f["recall"] / (f["precision"] + f["recall"]) for c, f in f1.items()}
    assert f1[feeling] >= f1[plain] - RECALL_SLACK["feeling"] - 1e-9, f1


def test_a_batch_without_vocabulary_adds_labels_but_no_features(tmp_path):
    """``vocabulary: false`` (two-questions-01, written for the clarify head): its messages come after the
    single messages that give the features, like conversation turns, so the heads it does not label
    (safety) are trained exactly as before."""
    for name, extra in (("a", ""), ("b", "vocabulary: false\n")):
        (tmp_path / f"{name}.yaml").write_text(f"batch: {name}\nsplit: train\n{extra}messages:\n"
                                              f"  - {{text: 'what causes it {name}', answer: causes, voice: x}}\n",
                                              encoding="utf-8")
    batches = load_corpus(tmp_path)
    assert [b.vocabulary for b in batches] == [True, False]
    data = build_dataset(batches, None, lambda t: t)
    assert [m.batch for m in data.messages] == ["a", "b"] and data.single == 1
    (tmp_path / "c.yaml").write_text("batch: c\nsplit: train\nvocabulary: maybe\nmessages:\n"
                                     "  - {text: hi, voice: x}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="vocabulary: must be true or false"):
        load_corpus(tmp_path)


def test_a_new_held_out_batch_makes_the_model_stale_but_its_first_run_header_does_not(tmp_path):
    """Training drops a message that nearly repeats a held-out one, so a held-out batch changes what a
    model is trained on: its texts are in the corpus hash; its comments (the first run) are not."""
    from faq.corpus import corpus_hash

    (tmp_path / "a.yaml").write_text("batch: a\nsplit: train\nmessages:\n"
                                     "  - {text: 'NET rare?', answer: how-common, voice: x}\n", encoding="utf-8")
    before = corpus_hash(load_corpus(tmp_path))
    held = tmp_path / "h.yaml"
    held.write_text("batch: h\nsplit: heldout\nmessages:\n  - {text: 'NET rare??', answer: how-common, voice: x}\n",
                    encoding="utf-8")
    added = corpus_hash(load_corpus(tmp_path))
    held.write_text("# FIRST RUN: top-1 100 %\n" + held.read_text(encoding="utf-8"), encoding="utf-8")
    assert before != added == corpus_hash(load_corpus(tmp_path))


def test_a_conversation_turn_that_needs_the_safety_reply_changes_the_corpus_hash(tmp_path):
    """A turn expecting the safety reply teaches the safety head nothing, where any other turn teaches it
    "none": saying so of a turn changes what the model learns, so the model must go stale."""
    from faq.corpus import corpus_hash

    talks = tmp_path / "conversations"
    talks.mkdir()
    path = talks / "t.yaml"
    turn = '      - {text: "je ne peux plus", expect: %s}\n'
    head = "batch: t\nsplit: train\nconversations:\n  - voice: x\n    turns:\n"
    path.write_text(head + turn % "english-only", encoding="utf-8")
    plain = corpus_hash(load_corpus(tmp_path))
    path.write_text(head + turn % "safety", encoding="utf-8")
    assert corpus_hash(load_corpus(tmp_path)) != plain

