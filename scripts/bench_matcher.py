"""Per-message match latency for the real knowledge base and synthetic larger ones.

Run:  .venv/bin/python scripts/bench_matcher.py [--messages N]
Prints p50/p99 in milliseconds for each size and how p99 grows with size, as wall time
and as the thread's CPU time. On a shared machine the wall p99 includes time the process
waited for a core (a 4 ms scheduler slice shows up as a 4 ms match); the CPU p99 is what
the matcher itself costs. Figures, not asserts: these machines are shared and noisy.
Messages: every corpus message with an answer label (corpus/), long stories included.
At the real size the trained model decides; the synthetic 1,000 and 10,000-entry knowledge
bases run the rules alone (the model's classes are the real entries).
And, at the real size, whole Telegram-length messages (stories of about 4,000 characters,
the matcher reading up to matcher.max_input_chars = 4,096) with their question at the end.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from faq import load_knowledge_base  # noqa: E402
from faq.corpus import load_corpus  # noqa: E402
from faq.matcher import Matcher  # noqa: E402
from faq.model import Entry, KnowledgeBase  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def synthetic_kb(real: KnowledgeBase, size: int, rng: random.Random) -> KnowledgeBase:
    """``size`` entries whose phrasings recombine words of the real ones, plus the real entries."""
    vocab = sorted({w for e in real.entries for q in e.questions for w in q.lower().strip("?").split()})
    made = [f"{w}{i}" for i, w in enumerate(rng.choices(vocab, k=size // 2))]  # rare words, as a big KB has
    pool = vocab + made
    entries = list(real.entries)
    for i in range(size - len(entries)):
        questions = tuple(" ".join(rng.choices(pool, k=rng.randint(3, 8))) + f" {i}?" for _ in range(6))
        entries.append(Entry(f"synthetic-{i}", f"Synthetic topic {i}", questions, "Synthetic answer.", ("x",)))
    return KnowledgeBase(real.source, tuple(entries), real.source_text)


def long_story(questions: list[str], rng: random.Random, size: int = 4000) -> str:
    """About ``size`` characters of corpus messages, a question last: a whole Telegram message."""
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < size - 200:
        parts.append(rng.choice(questions).rstrip("?") + ".")
    return " ".join(parts + [rng.choice(questions)])[:4096]


def measure(matcher: Matcher, messages: list[str]) -> tuple[float, float, float, float]:
    """(wall p50, wall p99, CPU p50, CPU p99) in milliseconds."""
    for text in messages[:50]:  # warm caches, as a running bot has them
        matcher.match(text)
    wall, cpu = [], []
    for text in messages:
        start, start_cpu = time.perf_counter(), time.thread_time()
        matcher.match(text)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    p99 = lambda xs: sorted(xs)[min(len(xs) - 1, int(len(xs) * 0.99))]  # noqa: E731
    return statistics.median(wall), p99(wall), statistics.median(cpu), p99(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000, help="messages timed per size")
    args = parser.parse_args()
    rng = random.Random(7)
    real = load_knowledge_base()
    known = {e.id for e in real.entries}
    questions = [m.text for b in load_corpus(ROOT / "corpus") for m in b.messages if m.answer]
    messages = [rng.choice(questions) for _ in range(args.messages)]

    print(f"{len(questions)} distinct messages, {args.messages} timed per size")
    print(f"{'entries':>8} {'phrasings':>10} {'build s':>8} {'p50 ms':>8} {'p99 ms':>8} {'cpu p50':>8} {'cpu p99':>8}")
    rows = []
    for size in (len(real.entries), 1_000, 10_000):
        kb = real if size == len(real.entries) else synthetic_kb(real, size, rng)
        start = time.perf_counter()
        # The model's classes are the real entries: larger synthetic knowledge bases run the rules,
        # which is what grows with the number of entries.
        matcher = Matcher(kb, use_model=size == len(real.entries))
        build = time.perf_counter() - start
        p50, p99, cpu50, cpu99 = measure(matcher, messages)
        rows.append((size, p99))
        print(f"{size:>8} {kb.phrasing_count:>10} {build:>8.2f} {p50:>8.3f} {p99:>8.3f} {cpu50:>8.3f} {cpu99:>8.3f}")
        if size == len(real.entries):
            stories = [long_story(questions, rng) for _ in range(max(50, args.messages // 10))]
            p50, p99, cpu50, cpu99 = measure(matcher, stories)
            print(f"{'4k-char':>8} {'messages':>10} {'':>8} {p50:>8.3f} {p99:>8.3f} {cpu50:>8.3f} {cpu99:>8.3f}")
    base_size, base_p99 = rows[0]
    for size, p99 in rows[1:]:
        print(f"p99 grows {p99 / base_p99:.1f}x for {size / base_size:.0f}x the entries")


if __name__ == "__main__":
    main()
