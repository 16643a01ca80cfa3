"""What curators read from the review record: ``python -m faq review``.

Similar declined or unsure messages are grouped (rapidfuzz token-set similarity of their
content words, greedy around the most frequent), each with the entries the matcher ranked
highest and what users picked next; then per-entry answers and votes, and weekly rates.
``--export`` writes the groups as a proposal a curator reviews by hand: a corpus batch
(faq/corpus.py) with each group labeled with the entry it most likely belongs to.
Nothing is ever merged automatically.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from rapidfuzz import fuzz, process

from bot import masking
from bot.review import TABLES
from faq.language import words
from faq.matcher import Matcher

SIMILAR = 75            # token-set similarity (0-100) at which two messages are one group
HOPS = 2                # how far similarity is followed from the group's first message
MOST_DISTINCT = 3000    # distinct messages compared (the most frequent); bounds time and memory
PLACEHOLDERS = frozenset(p.strip("[]") for p in masking.PLACEHOLDERS)  # as words() sees them


@dataclass
class Group:
    texts: Counter = field(default_factory=Counter)        # masked message -> times
    outcomes: Counter = field(default_factory=Counter)     # fallback / clarify / hedged -> times
    ranked: dict[str, list[float]] = field(default_factory=dict)  # entry -> its scores when ranked
    first: Counter = field(default_factory=Counter)        # entry ranked first -> times
    picked: Counter = field(default_factory=Counter)       # entry users picked next -> times
    why: Counter = field(default_factory=Counter)          # features that weighed most in the model's decisions

    @property
    def count(self) -> int:
        return sum(self.texts.values())

    def top_ranked(self, n: int = 3) -> list[tuple[str, float]]:
        """The entries the matcher ranked, most often and highest first, with their mean score."""
        order = sorted(self.ranked.items(), key=lambda kv: (-len(kv[1]), -sum(kv[1]) / len(kv[1]), kv[0]))
        return [(entry, sum(scores) / len(scores)) for entry, scores in order[:n]]

    def likely_entry(self) -> tuple[str | None, str]:
        """(entry the group most likely belongs to, why); None: probably not covered."""
        if self.picked:
            entry, times = self.picked.most_common(1)[0]
            return entry, f"users picked it {times} of {self.count} times"
        unsure = self.outcomes["clarify"] + self.outcomes["hedged"]
        if self.first and unsure * 2 >= self.count:
            entry, times = self.first.most_common(1)[0]
            return entry, f"the matcher ranked it first {times} of {self.count} times (nobody picked)"
        return None, "mostly declined and nothing picked: probably not covered by the source"


@dataclass(frozen=True)
class Record:
    path: Path
    first_day: date
    last_day: date
    groups: list[Group]
    entries: list[tuple[str, int, int, int]]         # entry, answers, helpful, unhelpful
    weeks: list[tuple[date, Counter]]                # Monday, outcome -> count
    messages: int                                    # declined or unsure messages read


def read_record(path: Path, since_days: int, matcher: Matcher, today: date) -> Record:
    first = today - timedelta(days=since_days - 1)
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)  # as_uri escapes "#", "?"
    try:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not set(TABLES) <= tables:  # review never on with this file: nothing to read, nothing created
            return Record(path, first, today, [], [], [], 0)
        # A record written before the model (no `why` column) reads with an empty one.
        why = "why" if "why" in {r[1] for r in conn.execute("PRAGMA table_info(review_messages)")} else "NULL"
        messages = conn.execute(f"SELECT text, outcome, candidates, picked, {why} FROM review_messages WHERE day >= ? "
                                "ORDER BY id", (first.isoformat(),)).fetchall()
        entries = conn.execute("SELECT entry_id, SUM(answers), SUM(helpful), SUM(unhelpful) FROM review_entries "
                               "WHERE day >= ? GROUP BY entry_id ORDER BY SUM(answers) DESC, entry_id",
                               (first.isoformat(),)).fetchall()
        outcomes = conn.execute("SELECT day, outcome, count FROM review_outcomes WHERE day >= ?",
                                (first.isoformat(),)).fetchall()
    finally:
        conn.close()
    weeks: dict[date, Counter] = {}
    for day, outcome, count in outcomes:
        d = date.fromisoformat(day)
        weeks.setdefault(d - timedelta(days=d.weekday()), Counter())[outcome] += count
    return Record(path, first, today, group_messages(messages, matcher),
                  [(e, a or 0, h or 0, u or 0) for e, a, h, u in entries], sorted(weeks.items()), len(messages))


def _key(text: str, common: frozenset[str]) -> str:
    """What a message is compared by: its words but stop words and the disease's names,
    which nearly every message has (all its words if it has no others)."""
    all_words = [w for w in words(text) if w not in PLACEHOLDERS]
    content = [w for w in all_words if w not in common]
    return " ".join(content or all_words)


def group_messages(rows: list[tuple], matcher: Matcher) -> list[Group]:
    """Greedy grouping: the most frequent message not yet grouped takes every similar one left.

    Messages past the MOST_DISTINCT most frequent are left out (the report says how many)."""
    language = matcher.analyzer.language
    common = language.stop_words | language.disease_words
    by_key: dict[str, list[tuple]] = {}
    for row in rows:
        by_key.setdefault(_key(row[0], common), []).append(row)
    forms: dict[str, str] = {}  # "Can I..." and "can i ..." are shown once, as first written
    # Most frequent first; among equals the shortest, which says the question most generally.
    keys = sorted(by_key, key=lambda k: (-len(by_key[k]), len(k), k))[:MOST_DISTINCT]
    left = dict(enumerate(keys))   # not yet in a group, most frequent first
    groups: list[Group] = []
    while left:
        seed = next(iter(left))
        members, frontier = [seed], [seed]
        del left[seed]
        # Two hops: "tatoo" finds "tattoo", which finds "tattoo mail"; no further, so a
        # chain of shared words does not sweep unrelated questions into one group.
        for _ in range(HOPS):
            found = [j for i in frontier if keys[i] for _, _, j in
                     process.extract(keys[i], left, scorer=fuzz.token_set_ratio, score_cutoff=SIMILAR, limit=None)]
            frontier = list(dict.fromkeys(found))
            for j in frontier:
                del left[j]
            members += frontier
        group = Group()
        for j in members:
            for text, outcome, candidates, picked, *why in by_key[keys[j]]:
                group.texts[forms.setdefault(" ".join(text.casefold().split()), text)] += 1
                group.outcomes[outcome] += 1
                ranked = json.loads(candidates)
                for entry, score in ranked:
                    group.ranked.setdefault(entry, []).append(score)
                if ranked:
                    group.first[ranked[0][0]] += 1
                if picked:
                    group.picked[picked] += 1
                group.why.update(json.loads(why[0]) if why and why[0] else [])
        groups.append(group)
    return sorted(groups, key=lambda g: -g.count)


# -- terminal tables ---------------------------------------------------------------------
def table(headers: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> list[str]:
    """Plain-text columns: right-aligned where ``right`` says (numbers), long cells cut with "…"."""
    widths = [min(48, max([len(h)] + [len(r[i]) for r in rows])) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            cell = cell if len(cell) <= widths[i] else cell[: widths[i] - 1] + "…"
            out.append(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]))
        return "  ".join(out).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


_OUTCOME_WORDS = {"fallback": "declined", "clarify": "asked", "hedged": "hedged"}


def report_lines(record: Record, top: int = 20) -> list[str]:
    out = [f"Review record {record.path}, {record.first_day} to {record.last_day}", ""]
    grouped = sum(g.count for g in record.groups)
    out.append(f"Declined or unsure messages: {record.messages} in {len(record.groups)} groups of similar ones"
               + (f" (the {top} largest)" if len(record.groups) > top else "")
               + (f"; {record.messages - grouped} rarer ones not grouped" if grouped < record.messages else ""))
    if record.groups:
        rows = []
        for n, g in enumerate(record.groups[:top], 1):
            mix = ", ".join(f"{c} {_OUTCOME_WORDS.get(o, o)}" for o, c in g.outcomes.most_common())
            ranked = ", ".join(f"{e} {s:.0f}" for e, s in g.top_ranked()) or "-"
            picked = ", ".join(f"{e} x{c}" for e, c in g.picked.most_common(2)) or "-"
            rows.append([str(n), str(g.count), g.texts.most_common(1)[0][0], mix, ranked, picked])
        out += table(["#", "times", "message (masked; most frequent of the group)", "outcomes",
                      "matcher ranked (mean score)", "users picked"], rows, right={0, 1})
    out.append("")
    out.append("Answers and feedback by entry")
    if record.entries:
        out += table(["entry", "answers", "helpful", "not helpful"],
                     [[e, str(a), str(h), str(u)] for e, a, h, u in record.entries], right={1, 2, 3})
    else:
        out.append("  (none recorded)")
    out.append("")
    out.append("Questions by week (the matcher's outcome; picks, commands and small talk not counted)")
    if record.weeks:
        rows = []
        for monday, c in record.weeks:
            asked = sum(c.values())
            rows.append([monday.isoformat(), str(asked), str(c["answer"]), str(c["hedged"]), str(c["clarify"]),
                         str(c["fallback"]), f"{100 * c['clarify'] / asked:.0f}%", f"{100 * c['fallback'] / asked:.0f}%"])
        out += table(["week of", "questions", "answered", "hedged", "asked back", "declined", "ask rate",
                      "decline rate"], rows, right=set(range(1, 8)))
    else:
        out.append("  (none recorded)")
    return out


# -- the proposal for curators -------------------------------------------------------------
def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _proper_nouns(text: str) -> set[str]:
    """Words written with a capital inside a sentence (names, places): never spelling candidates."""
    found = set()
    for sentence in re.split(r"[.!?\n]+", text):
        for word in re.findall(r"[^\W\d_][\w'’-]*", sentence)[1:]:
            if word[0].isupper() and not word.isupper():
                found.update(words(word))
    return found


def unknown_words(group: Group, matcher: Matcher) -> list[str]:
    """Words of the group the matcher does not know: spelling or synonym candidates.

    A name the masking missed must not be offered to a curator as a word to add: words
    the masking rules know as first names, and words capitalised inside a sentence, are
    left out."""
    vocabulary = matcher.analyzer.vocabulary
    names = masking.load_rules()
    proper = set().union(*(_proper_nouns(text) for text in group.texts)) if group.texts else set()
    found = Counter(w for text, n in group.texts.items() for w in words(text) for _ in range(n)
                    if w.isalpha() and len(w) > 2 and w not in vocabulary and w not in PLACEHOLDERS
                    and w not in proper and not names.is_name(w))
    return [w for w, _ in found.most_common(8)]


def export_lines(record: Record, matcher: Matcher, top_phrasings: int = 5) -> list[str]:
    out = [
        f"# Proposal from the review record, {record.first_day} to {record.last_day} (python -m faq review --export).",
        "# Nothing here is merged automatically. For each group, check the label it is filed under",
        "# (an entry id, or `out` for what the page does not cover), fix or delete it, and decide",
        "# BEFORE its first run whether the batch is for training or held out (`split:`); then copy it",
        "# into corpus/ and run `python -m faq eval` (held out) or `python -m faq train` (training).",
        "# Messages are masked: [name], [phone]...",
        f"batch: review-{record.first_day}-{record.last_day}",
        "split: heldout",
        "writer: \"real traffic, masked (the review record)\"",
        "labeled: [answer]",
        "messages:" if record.groups else "messages: []",
    ]
    for n, g in enumerate(record.groups, 1):
        entry, why = g.likely_entry()
        label = entry if entry is not None and entry in matcher.kb else "out"
        ranked = ", ".join(f"{e} {s:.0f}" for e, s in g.top_ranked()) or "nothing"
        out.append(f"  # group {n}: {g.count} message(s); {why}; the matcher ranked: {ranked}")
        if g.why:
            out.append(f"  # what weighed most: {', '.join(f for f, _ in g.why.most_common(5))}")
        unknown = unknown_words(g, matcher)
        if unknown:
            out.append(f"  # words the matcher does not know (spelling or synonym candidates): {', '.join(unknown)}")
        out += [f"  - {{text: {_quote(t)}, answer: {label}, voice: review}}" for t, _ in g.texts.most_common(top_phrasings)]
    return out


def run_review(config_path: str | None, since_days: int | None, export: Path | None, purge: bool,
               today: date | None = None) -> int:
    """``python -m faq review``: print the report, write the proposal, or delete everything (exit code)."""
    import sys

    from bot.config import ConfigError, load_config
    from bot.review import purge_all, utc_today
    from bot.storage import StorageError
    from faq.language import DEFAULT_LANGUAGE_PATH, load_language
    from faq.loader import DEFAULT_FAQ_PATH, load_knowledge_base
    from faq.yamlfile import DataFileError

    def fail(problems: list[str]) -> int:
        print("The review cannot run:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 2

    try:
        config = load_config(config_path, with_secrets=False)
    except ConfigError as exc:
        return fail(exc.problems)
    path = config.storage.path
    if not path.is_file():  # reading must not create the database
        print(f"Nothing recorded: there is no database at {path}"
              + ("" if config.review.enabled else " (review.enabled is off in this config)") + ".")
        return 0
    try:
        if purge:
            deleted, log_emptied = purge_all(path)
            print(f"Deleted everything in the review record at {path} ({deleted} rows).")
            if not log_emptied:
                print("The bot is using the file, so old copies may remain in its write-ahead log until it "
                      "stops; stop the bot and run --purge again to remove them too.")
            return 0
        d = config.data
        kb = load_knowledge_base(d.faq or DEFAULT_FAQ_PATH)
        matcher = Matcher(kb, load_language(d.language or DEFAULT_LANGUAGE_PATH), config.matcher,
                          concepts=d.concepts, declines=d.declines)
        record = read_record(path, since_days or config.review.retention_days, matcher, today or utc_today())
    except StorageError as exc:
        return fail([str(exc)])
    except sqlite3.Error as exc:
        return fail([f"{path}: cannot read the review record ({exc})"])
    except DataFileError as exc:
        return fail(exc.problems)
    if export is not None:
        try:
            export.write_text("\n".join(export_lines(record, matcher)) + "\n", encoding="utf-8")
        except OSError as exc:
            return fail([f"{export}: cannot write the proposal ({exc.strerror})"])
        print(f"Wrote a proposal of {len(record.groups)} group(s) to {export}; review it by hand before using it.")
        return 0
    print("\n".join(report_lines(record)))
    return 0
