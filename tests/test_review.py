"""The review record's parts: masking, config, the recorder on a real database, feedback parsing."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import feedback, texts
from bot.telegram.buttons import parse_vote, vote_callback_data
from bot.config import DEFAULT_NAME_PATTERNS, BotConfig, ConfigError, ReviewSettings, load_config
from bot.core import Conversation
from bot.masking import Masker
from bot.replies import Kind
from bot.review import ReviewRecorder, open_review_database, purge_all
from bot.safety import load_safety
from bot.smalltalk import load_smalltalk
from bot.telegram.render import render

MASKER = Masker(DEFAULT_NAME_PATTERNS)


@pytest.mark.parametrize("text, hidden, kept", [
    ("write to jane.doe+net@example.co.uk please", "jane.doe", "[email]"),
    ("call me on +44 20 7946 0958 tonight", "7946", "[phone]"),
    ("my number is (555) 123-4567", "123-4567", "[phone]"),
    ("see https://example.org/my-scan?id=77 and www.mychart.de", "mychart", "[link]"),
    ("my record number is 48151623", "48151623", "[number]"),
    ("patient id 12345", "12345", "[number]"),
    ("Dr. Hartmann said it is slow growing", "Hartmann", "[name]"),
    ("dr okafor said it is slow growing", "okafor", "[name]"),
    ("my nurse Priya explained it", "Priya", "[name]"),
    ("hi, my name is Zelda and I am scared", "Zelda", "[name]"),
    ("ask @zelda_w about it", "zelda_w", "[handle]"),
    # Common forms the first masks missed.
    ("is mychart.com any good? I read nets.cancer.gov.", "cancer", "[link]"),
    ("my page is zelda-k.com.", "zelda-k", "[link]"),
    ("found it on bit.ly/3xYz", "3xYz", "[link]"),
    ("text me at zelda@home", "zelda", "[email]"),
    ("call 555 - 123 - 4567 after six", "4567", "[phone]"),
    ("my NHS number is 943 476 5919", "5919", "[number]"),
    ("I was born 12/03/1961 and diagnosed last year", "1961", "[date]"),
    ("dob 3rd of May 1958, is that too old for surgery", "1958", "[date]"),
    ("born March 12, 1961", "1961", "[date]"),
    ("born 1961-03-12", "1961", "[date]"),
    ("DOB: 12-Mar-1961", "1961", "[date]"),
    ("my channel t.me/zelda_k", "zelda_k", "[link]"),
    ("Dr. John Smith said it is slow growing", "Smith", "[name]"),
    ("my name is Zelda Kowalski", "Kowalski", "[name]"),
])
def test_masking_hides_what_identifies(text, hidden, kept):
    masked = MASKER.mask(text)
    assert hidden not in masked and kept in masked


def test_masking_keeps_the_question():
    for text in ["I am 45, diagnosed in 2024: what is the survival rate?", "my doctor said it is a NET",
                 "diagnosed in March 2024, e.g. stage 2.5 of 4, 2.5/10 pain", "i.e. is it slow, see the U.S. NIH",
                 "I have MS and a net tumor", "what are the symptoms of carcinoid syndrome"]:
        assert MASKER.mask(text) == text
    assert MASKER.mask("Dr Jones I'm scared") == "[name] I'm scared"   # a surname, not the next words


def test_operators_name_patterns_are_used_and_validated(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("review:\n  enabled: true\n  mask_patterns: ['\\bquorvath\\b', 'smithers']\n")
    settings = load_config(config, environ={}).review
    # Lower-case words no built-in rule would take for names: only the operator's patterns do.
    assert Masker(settings.mask_patterns).mask("ask quorvath and smithers") == "ask [name] and [name]"
    assert Masker().mask("ask quorvath and smithers") == "ask quorvath and smithers"
    config.write_text("review:\n  mask_patterns: ['(unclosed']\n  retention_days: 0\n")
    with pytest.raises(ConfigError) as err:
        load_config(config, environ={})
    text = "\n".join(err.value.problems)
    assert "review.mask_patterns[0]: not a valid regular expression" in text
    assert "review.retention_days: must be between 1 and 3650" in text
    config.write_text("review:\n  mask_patterns: Smith\n")
    with pytest.raises(ConfigError, match="must be a list"):
        load_config(config, environ={})


def test_review_is_off_by_default():
    assert BotConfig().review.enabled is False


class Clock:
    def __init__(self, day: date):
        self.day = day

    def __call__(self) -> date:
        return self.day


def conversation_with(recorder, kb, matcher) -> Conversation:
    return Conversation(kb, matcher, load_safety(), load_smalltalk(), recorder=recorder)


def rows(conn, sql):
    return conn.execute(sql).fetchall()


def test_recorder_keeps_unsure_messages_picks_and_counts(tmp_path, kb, matcher):
    clock = Clock(date(2026, 11, 25))
    recorder = ReviewRecorder(open_review_database(tmp_path / "db.sqlite3"), ReviewSettings(enabled=True), clock)
    conv = conversation_with(recorder, kb, matcher)
    assert conv.handle(7, "types and symptoms").kind is Kind.CLARIFY
    assert conv.handle(7, "1").entry_id == "types"   # offered first (the two topics in the order asked)
    conv.handle(8, "can I get a tattoo with a NET, ask Dr Jones")
    conv.handle(8, "NET lung")   # round 19's model answers "NET lungs" surely: not recorded
    conv.handle(8, "hello")
    conv.handle(8, "I have chest pain")   # safety: never recorded
    recorder.vote("risk-factors", helpful=False)
    conn = recorder.conn
    messages = rows(conn, "SELECT day, text, outcome, picked FROM review_messages ORDER BY id")
    assert messages[0] == ("2026-11-25", "types and symptoms", "clarify", "types")
    assert messages[1][1:] == ("can I get a tattoo with a NET, ask [name]", "fallback", None)
    assert messages[2][1:] == ("NET lung", "hedged", None)   # answered, but with "I think…"
    assert len(messages) == 3
    assert rows(conn, "SELECT entry_id, answers, helpful, unhelpful FROM review_entries ORDER BY entry_id") == [
        ("risk-factors", 0, 0, 1), ("types", 1, 0, 0), ("where-in-body", 1, 0, 0)]
    assert dict(rows(conn, "SELECT outcome, count FROM review_outcomes")) == {"clarify": 1, "fallback": 1,
                                                                              "hedged": 1}


def test_a_pick_counts_only_from_the_suggestions_shown(tmp_path, kb, matcher):
    recorder = ReviewRecorder(open_review_database(tmp_path / "db.sqlite3"), ReviewSettings(enabled=True))
    conv = conversation_with(recorder, kb, matcher)
    conv.handle(1, "types and symptoms")
    conv.handle(1, "/topics")
    conv.handle(1, "1")   # the first topic of /topics, not a pick from "Did you mean"
    assert rows(recorder.conn, "SELECT picked FROM review_messages") == [(None,)]


def test_a_pick_after_small_talk_or_a_command_still_counts(tmp_path, kb, matcher):
    # The core keeps the suggestions across /help, an empty message or a number out of range; so must
    # the record. ("thank you" is met as gratitude now, with suggestions of its own.)
    recorder = ReviewRecorder(open_review_database(tmp_path / "db.sqlite3"), ReviewSettings(enabled=True))
    conv = conversation_with(recorder, kb, matcher)
    for between in ["ok", "/help", "", "9"]:
        assert conv.handle(1, "types and symptoms").kind is Kind.CLARIFY
        conv.handle(1, between)
        assert conv.handle(1, "1").entry_id == "types"
    conv.handle(1, "types and symptoms")
    conv.handle(1, "I have chest pain")   # an emergency clears the choice, in the core and here
    assert conv.handle(1, "2").entry_id is None   # declined: kept as a message of its own
    assert rows(recorder.conn, "SELECT text, picked FROM review_messages") == \
        [("types and symptoms", "types")] * 4 + [("types and symptoms", None), ("2", None)]


def test_expired_rows_go_on_the_first_write_of_a_new_day(tmp_path, kb, matcher):
    clock = Clock(date(2026, 11, 1))
    recorder = ReviewRecorder(open_review_database(tmp_path / "db.sqlite3"),
                              ReviewSettings(enabled=True, retention_days=30), clock)
    conv = conversation_with(recorder, kb, matcher)
    conv.handle(1, "types and symptoms zebra")
    conv.handle(1, "what causes NETs?")
    clock.day += timedelta(days=30)
    conv.handle(1, "types and symptoms again")
    assert len(rows(recorder.conn, "SELECT id FROM review_messages")) == 2   # 30 days old: still kept
    clock.day += timedelta(days=1)
    conv.handle(1, "what are the types of symptoms")
    texts = [t for (t,) in rows(recorder.conn, "SELECT text FROM review_messages")]
    assert "types and symptoms zebra" not in texts and len(texts) == 2
    assert rows(recorder.conn, "SELECT MIN(day) FROM review_entries") == [(None,)]


def test_purge_overwrites_the_words(tmp_path, kb, matcher):
    path = tmp_path / "db.sqlite3"
    recorder = ReviewRecorder(open_review_database(path), ReviewSettings(enabled=True))
    conversation_with(recorder, kb, matcher).handle(1, "types and symptoms quokkaword")
    recorder.close()
    assert b"quokkaword" in path.read_bytes()   # so the check below can fail
    assert purge_all(path) == (2, True)   # the message and its outcome count; the log emptied
    assert b"quokkaword" not in path.read_bytes()
    assert not (tmp_path / "db.sqlite3-wal").exists() or b"quokkaword" not in (tmp_path / "db.sqlite3-wal").read_bytes()


def test_a_failing_database_never_costs_an_answer(tmp_path, kb, matcher):
    recorder = ReviewRecorder(open_review_database(tmp_path / "db.sqlite3"), ReviewSettings(enabled=True))
    recorder.conn.execute("DROP TABLE review_messages")
    conv = conversation_with(recorder, kb, matcher)
    assert conv.handle(1, "types and symptoms").kind is Kind.CLARIFY
    assert conv.handle(1, "what causes NETs?").entry_id == "causes"   # and the connection still works
    assert rows(recorder.conn, "SELECT answers FROM review_entries") == [(1,)]


def test_feedback_callback_data():
    data = vote_callback_data("symptoms", True)
    assert parse_vote(data) == ("symptoms", True)
    assert parse_vote(vote_callback_data("causes", False)) == ("causes", False)
    for bad in [None, "", "fb:", "fb:+", "fb:*:x", "fb:+:", "e:symptoms", "fb+:x"]:
        assert parse_vote(bad) is None
    assert len(vote_callback_data("x" * 100, True).encode()) <= 64


def test_feedback_row_only_under_answers_and_only_when_asked(kb, matcher):
    conv = conversation_with(None, kb, matcher)
    answer, clarify = conv.handle(1, "what causes NETs?"), conv.handle(1, "types and symptoms")

    def labels(reply, rate):
        markup = render(reply, rate=rate)[-1].keyboard
        return [[b.text for b in row] for row in markup.inline_keyboard] if markup else []

    assert labels(answer, True)[-1] == [texts.FEEDBACK_HELPFUL_LABEL, texts.FEEDBACK_UNHELPFUL_LABEL]
    assert labels(answer, True)[:-1] == labels(answer, False)
    assert texts.FEEDBACK_HELPFUL_LABEL not in str(labels(answer, False))
    assert labels(clarify, True) == labels(clarify, False)


def test_feedback_is_not_recorded_without_the_record(kb, matcher):
    assert feedback.record(conversation_with(None, kb, matcher), "causes", True) == texts.FEEDBACK_NOT_RECORDED


def test_the_database_opens_only_when_review_is_on(tmp_path):
    path = tmp_path / "db.sqlite3"
    config = BotConfig()
    from dataclasses import replace
    config = replace(config, storage=replace(config.storage, path=path))
    assert Conversation.from_config(config).recorder is None
    assert not path.exists()
    on = replace(config, review=ReviewSettings(enabled=True))
    conv = Conversation.from_config(on)
    assert conv.recorder is not None and path.exists()
    conv.recorder.close()
    assert sqlite3.connect(path).execute("SELECT part FROM schema_versions").fetchall() == [("review",)]


def test_similar_messages_group_and_the_export_is_a_labeled_set(tmp_path, kb, matcher):
    from bot.tools.review_report import Record, export_lines, group_messages, report_lines
    from faq.evaluate import load_labeled_set

    def row(text, outcome="fallback", ranked=(), picked=None):
        return (text, outcome, json.dumps([list(r) for r in ranked]), picked)

    rows = [row("can i get a tattoo with a NET"), row("tatoo with neuroendocrine tumor ok?"),
            row("can I get a tattoo with a NET"), row("tattoo and cancer, is it safe"),
            row("types and symptoms", "clarify", [("types", 66), ("symptoms", 63)], "symptoms"),
            row("symptoms and types?", "clarify", [("types", 64), ("symptoms", 62)], "symptoms"),
            row("how is a NET found sooner", "clarify", [("diagnosis-and-treatment", 60), ("symptoms", 50)]),
            row("[name] said [phone]"), row("my friend said Quorvath told her about tatoos, ask mohammed")]
    groups = group_messages(rows, matcher)
    assert [g.count for g in groups] == [4, 2, 1, 1, 1]
    tattoo, symptoms = groups[0], groups[1]
    assert tattoo.likely_entry()[0] is None                       # declined, nothing picked
    assert symptoms.likely_entry()[0] == "symptoms"                # what users picked wins
    assert symptoms.top_ranked()[0] == ("types", 65.0)
    record = Record(tmp_path / "x", date(2026, 11, 1), date(2026, 11, 25), groups,
                    [("symptoms", 3, 1, 2)], [(date(2026, 11, 23), Counter(answer=3, fallback=4, clarify=3))],
                    len(rows))
    text = "\n".join(report_lines(record))
    assert "Declined or unsure messages: 9 in 5 groups" in text and "40%" in text
    proposal = tmp_path / "proposal.yaml"
    proposal.write_text("\n".join(export_lines(record, matcher)) + "\n", encoding="utf-8")
    labeled = load_labeled_set(proposal, {e.id for e in kb.entries})
    by_entry = {}
    for question, entry in labeled.in_scope:
        by_entry.setdefault(entry, []).append(question)
    assert by_entry.pop("diagnosis-and-treatment") == ["how is a NET found sooner"]  # the matcher's first
    assert sorted(by_entry["symptoms"]) == ["symptoms and types?", "types and symptoms"] and len(by_entry) == 1
    assert "can i get a tattoo with a NET" in labeled.out_of_scope and len(labeled.out_of_scope) == 5
    assert "tatoo" in proposal.read_text()                          # an unknown word, for the language file
    candidates = [line for line in proposal.read_text().splitlines() if "spelling or synonym candidates" in line]
    assert any("tatoos" in line for line in candidates)             # so the check below can fail
    # Names the masking missed are never offered as words to add: a capitalised one, a listed one.
    assert not any("quorvath" in line or "mohammed" in line for line in candidates)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab19 .-+()@/:_'Dr\u00e9\u0660")), max_size=120) | st.text(max_size=80))
def test_masking_never_raises_and_leaves_no_long_number_or_address(text):
    masked = MASKER.mask(text)
    assert not re.search(r"\d{5,}", masked)
    assert not re.search(r"[\w.+%-]+@[\w-]+\.[\w-]+", masked)


def test_since_limits_the_report_to_recent_days(tmp_path, kb, matcher):
    from bot.tools.review_report import read_record

    clock = Clock(date(2026, 11, 10))
    path = tmp_path / "db.sqlite3"
    recorder = ReviewRecorder(open_review_database(path), ReviewSettings(enabled=True), clock)
    conv = conversation_with(recorder, kb, matcher)
    conv.handle(1, "can i get a tattoo with a NET")
    clock.day = date(2026, 11, 25)
    conv.handle(1, "types and symptoms")
    recorder.close()
    everything = read_record(path, 30, matcher, clock.day)
    assert everything.messages == 2 and len(everything.weeks) == 2
    last_week = read_record(path, 7, matcher, clock.day)
    assert last_week.messages == 1 and last_week.first_day == date(2026, 11, 19)
    assert last_week.groups[0].texts == Counter({"types and symptoms": 1})


@pytest.mark.parametrize("tail", ["write to zelda.k@example.com", "call +44 20 7946 0958", "see www.mychart.de/me"])
def test_what_straddles_the_cut_is_masked_whole(tmp_path, kb, matcher, tail):
    # A long message is cut to MAX_TEXT characters: cutting first would leave the start of an
    # address or number that no longer looks like one, and keep it unmasked.
    from bot.review import MAX_TEXT

    recorder = ReviewRecorder(open_review_database(tmp_path / "db.sqlite3"), ReviewSettings(enabled=True))
    for cut_in in range(3, len(tail) - 8, 4):   # the cut falls at several places inside the tail
        text = "can I get a tattoo " + "x" * (MAX_TEXT - 19 - len(tail) + cut_in) + " " + tail
        conversation_with(recorder, kb, matcher).handle(1, text)
    kept = [t for (t,) in rows(recorder.conn, "SELECT text FROM review_messages")]
    assert kept and all(len(t) <= MAX_TEXT for t in kept)
    for t in kept:
        assert not re.search(r"zelda|7946|mychart|@|\d{2} \d{2}", t), t[-40:]


def test_expired_words_leave_the_files_while_the_bot_runs(tmp_path, kb, matcher):
    # secure_delete overwrites the row in a new page, but under write-ahead logging the old
    # page stays in the log, and in the main file, until a checkpoint: weeks on a quiet bot.
    path = tmp_path / "db.sqlite3"
    clock = Clock(date(2026, 11, 1))
    recorder = ReviewRecorder(open_review_database(path), ReviewSettings(enabled=True, retention_days=30), clock)
    conv = conversation_with(recorder, kb, matcher)
    conv.handle(1, "types and symptoms wombatword")

    def file_bytes() -> bytes:
        return b"".join(p.read_bytes() for p in tmp_path.glob("db.sqlite3*"))

    assert b"wombatword" in file_bytes()   # so the check below can fail
    clock.day += timedelta(days=31)
    conv.handle(1, "types and symptoms")   # the first write of the day deletes the expired row
    assert rows(recorder.conn, "SELECT COUNT(*) FROM review_messages") == [(1,)]
    assert b"wombatword" not in file_bytes()


def test_the_report_reads_a_database_whose_path_has_uri_characters(tmp_path, kb, matcher):
    # The file is opened read-only through an SQLite URI: "#" or "?" in a folder's name must
    # not cut the path (which read, or created, another file and reported nothing).
    from bot.tools.review_report import read_record

    folder = tmp_path / "ward #3? 50%"
    recorder = ReviewRecorder(open_review_database(folder / "db.sqlite3"), ReviewSettings(enabled=True))
    conversation_with(recorder, kb, matcher).handle(1, "can i get a tattoo with a NET")
    recorder.close()
    assert read_record(folder / "db.sqlite3", 30, matcher, date.today()).messages == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name]


def test_purge_refuses_since_rather_than_delete_more_than_asked(tmp_path, kb, matcher, capsys):
    from faq.__main__ import main

    (tmp_path / "c.yaml").write_text("review:\n  enabled: true\nstorage:\n  path: db.sqlite3\n")
    recorder = ReviewRecorder(open_review_database(tmp_path / "db.sqlite3"), ReviewSettings(enabled=True))
    conversation_with(recorder, kb, matcher).handle(1, "can i get a tattoo with a NET")
    with pytest.raises(SystemExit) as exit_:
        main(["review", "--config", str(tmp_path / "c.yaml"), "--purge", "--since", "7"])
    assert exit_.value.code == 2 and "--since" in capsys.readouterr().err
    assert rows(recorder.conn, "SELECT COUNT(*) FROM review_messages") == [(1,)]
