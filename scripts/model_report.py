"""The honest figures for the README: held-out batches only, plus the ablation and the learning curve.

Run:  .venv/bin/python scripts/model_report.py [--no-curve]
- the committed model on every held-out batch (answers: in-scope top-1, asked back, wrong, out of
  scope answered; safety: recall at any tier and full reply, full alarms and check-ins);
- per voice and per category on the held-out batches;
- the ablation: rules only, model only (n-grams, no reading features), both (what the bot runs);
- the learning curve: the model trained on 25, 50 and 100 % of the training messages (seeded).
Trains in memory for the ablation and the curve (needs scikit-learn); never writes a model, and
nothing is tuned here: the figures only report.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core import SAFETY_MAX_CHARS  # noqa: E402
from bot.safety import load_safety  # noqa: E402
from bot.safety_net import CHECK_IN, FULL, SafetyNet  # noqa: E402
from faq.classifier import TextModel  # noqa: E402
from faq.corpus import OUT, load_corpus  # noqa: E402
from faq.loader import load_knowledge_base  # noqa: E402
from faq.matcher import Matcher, Outcome, bounded  # noqa: E402


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f} %" if d else "n/a"


def answer_counts(matcher: Matcher, messages) -> Counter:  # noqa: ANN001
    c: Counter = Counter()
    for m in messages:
        r = matcher.match(m.text)
        if m.answer == OUT:
            c["out"] += 1
            c["out_answered"] += r.outcome is Outcome.ANSWER
            c["out_clarified"] += r.outcome is Outcome.CLARIFY
        else:
            c["in"] += 1
            right = r.outcome is Outcome.ANSWER and r.entry_id in (m.answer, m.also)
            c["right"] += right
            c["hedged"] += right and r.hedged
            c["clarified"] += r.outcome is Outcome.CLARIFY
            c["wrong"] += r.outcome is Outcome.ANSWER and not right
    return c


def answer_row(name: str, c: Counter) -> str:
    return (f"| {name} | {pct(c['right'], c['in'])} ({c['right']}/{c['in']}) | {pct(c['clarified'], c['in'])} | "
            f"{pct(c['wrong'], c['in'])} ({c['wrong']}) | {pct(c['out_answered'], c['out'])} "
            f"({c['out_answered']}/{c['out']}) |")


def safety_counts(net: SafetyNet, messages, ordinary: bool) -> Counter:  # noqa: ANN001
    """``ordinary``: the batch holds plain questions only (no emergency written into it), so its
    non-urgent messages count as ordinary questions; elsewhere as non-urgent with frightening words."""
    c: Counter = Counter()
    for m in messages:
        a = net.assess(bounded(m.text, SAFETY_MAX_CHARS))
        if m.safety:
            c["urgent"] += 1
            c["caught"] += a.tier is not None
            c["full"] += a.tier in FULL and (m.safety == "emergency" or a.tier == "crisis")
        else:
            kind = "question" if ordinary else "frightening"
            c[kind] += 1
            c[f"{kind}_alarm"] += a.tier in FULL
            c[f"{kind}_checkin"] += a.tier == CHECK_IN
    return c


def safety_row(name: str, c: Counter) -> str:
    return (f"| {name} | {pct(c['caught'], c['urgent'])} ({c['caught']}/{c['urgent']}) | "
            f"{pct(c['full'], c['urgent'])} | {pct(c['frightening_alarm'], c['frightening'])} "
            f"({c['frightening_alarm']}/{c['frightening']}) | {pct(c['question_alarm'], c['question'])} | "
            f"{pct(c['question_checkin'], c['question'])} |")


ANSWER_HEAD = "| | in-scope top-1 | asked back | wrong | out of scope answered |\n| --- | --- | --- | --- | --- |"
SAFETY_HEAD = ("| | recall, any tier | recall, full reply | full alarms, non-urgent (frightening words) | "
               "full alarms, ordinary questions | check-ins, ordinary questions |\n| --- | --- | --- | --- | --- | --- |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-curve", action="store_true", help="skip the ablation and the learning curve")
    args = parser.parse_args()
    kb = load_knowledge_base()
    matcher = Matcher(kb)
    rules = Matcher(kb, use_model=False)
    batches = load_corpus(entry_ids={e.id for e in kb.entries}, decline_ids={d.id for d in matcher.declines})
    held = [b for b in batches if b.split == "heldout"]
    # An emergency or a crisis gets its reply instead of an answer: the matcher never reads it.
    held_answers = [m for b in held if "answer" in b.labeled for m in b.messages if m.answer and not m.safety]
    safety_batches = [b for b in held if "safety" in b.labeled]
    plain = {b.name: not any(m.safety for m in b.messages) for b in safety_batches}

    def all_safety(n: SafetyNet) -> Counter:
        total: Counter = Counter()
        for b in safety_batches:
            total += safety_counts(n, b.messages, plain[b.name])
        return total

    checker = load_safety()
    net = SafetyNet(checker, matcher.model, matcher.analyzer)

    print("## Held-out batches, the committed model\n")
    print(ANSWER_HEAD)
    for b in held:
        ms = [m for m in b.messages if m.answer and not m.safety]
        if ms:
            print(answer_row(b.name, answer_counts(matcher, ms)))
    print(answer_row("all held-out", answer_counts(matcher, held_answers)))
    print()
    print(SAFETY_HEAD)
    for b in safety_batches:
        if not plain[b.name]:
            print(safety_row(b.name, safety_counts(net, b.messages, False)))
    print(safety_row("plain-question batches", sum((safety_counts(net, b.messages, True) for b in safety_batches
                                                    if plain[b.name]), Counter())))
    print(safety_row("all held-out", all_safety(net)))

    print("\n## Per voice (held-out answers)\n\n| voice | right (in scope answered right, out of scope declined) |\n"
          "| --- | --- |")
    by_voice = defaultdict(list)
    for m in held_answers:
        by_voice[m.voice].append(m)
    for voice, ms in sorted(by_voice.items()):
        c = answer_counts(matcher, ms)
        right = c["right"] + c["out"] - c["out_answered"] - c["out_clarified"]
        print(f"| {voice} | {pct(right, len(ms))} ({right}/{len(ms)}) |")
    print("\n## Per category (held-out answers)\n\n| label | right |\n| --- | --- |")
    by_label = defaultdict(list)
    for m in held_answers:
        by_label[m.answer].append(m)
    for label, ms in sorted(by_label.items()):
        c = answer_counts(matcher, ms)
        right = c["right"] if label != OUT else c["out"] - c["out_answered"] - c["out_clarified"]
        print(f"| {label} | {pct(right, len(ms))} ({right}/{len(ms)}) |")

    if args.no_curve:
        return 0
    from faq.training import train

    limit = matcher.settings.max_input_chars
    bound = lambda t: bounded(t, limit)  # noqa: E731
    quiet = lambda *_: None  # noqa: E731
    print("\n## Ablation on the held-out batches\n")
    model_only = TextModel(train(batches, None, bound, log=quiet))
    variants = [("rules only", rules, SafetyNet(checker, None, None, "rules")),
                ("model only (n-grams)", Matcher(kb, use_model=model_only),
                 SafetyNet(checker, model_only, None, "model")),
                ("both (the bot)", matcher, net)]
    print(ANSWER_HEAD)
    for name, m, _ in variants:
        print(answer_row(name, answer_counts(m, held_answers)))
    print()
    print(SAFETY_HEAD)
    for name, _, n in variants:
        print(safety_row(name, all_safety(n)))

    print("\n## Learning curve (trained on part of the training messages, held-out batches)\n")
    print(ANSWER_HEAD)
    rng = random.Random(20261206)
    for share in (0.25, 0.5, 1.0):
        part = [replace(b, messages=tuple(m for m in b.messages if b.split == "heldout" or rng.random() < share))
                for b in batches]
        model = TextModel(train(part, rules.analyzer, bound, log=quiet))
        print(answer_row(f"{share:.0%} of training", answer_counts(Matcher(kb, use_model=model), held_answers)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
