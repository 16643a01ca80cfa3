"""Per-message match latency for the real knowledge base and synthetic larger ones.

Run:  .venv/bin/python scripts/bench_matcher.py [--messages N]
Prints p50/p99 in milliseconds for each size and how p99 grows with size. Figures,
not asserts: these machines are shared and noisy.
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
from faq.evaluate import load_labeled_set  # noqa: E402
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


def measure(matcher: Matcher, messages: list[str]) -> tuple[float, float]:
    for text in messages[:50]:  # warm caches, as a running bot has them
        matcher.match(text)
    times = []
    for text in messages:
        start = time.perf_counter()
        matcher.match(text)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000, help="messages timed per size")
    args = parser.parse_args()
    rng = random.Random(7)
    real = load_knowledge_base()
    labeled = load_labeled_set(ROOT / "tests" / "data" / "dev_set.yaml", {e.id for e in real.entries})
    questions = [q for q, _ in labeled.in_scope] + list(labeled.out_of_scope)
    messages = [rng.choice(questions) for _ in range(args.messages)]

    print(f"{'entries':>8} {'phrasings':>10} {'build s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    rows = []
    for size in (len(real.entries), 1_000, 10_000):
        kb = real if size == len(real.entries) else synthetic_kb(real, size, rng)
        start = time.perf_counter()
        matcher = Matcher(kb)
        build = time.perf_counter() - start
        p50, p99 = measure(matcher, messages)
        rows.append((size, p99))
        print(f"{size:>8} {kb.phrasing_count:>10} {build:>8.2f} {p50:>8.3f} {p99:>8.3f}")
    base_size, base_p99 = rows[0]
    for size, p99 in rows[1:]:
        print(f"p99 grows {p99 / base_p99:.1f}x for {size / base_size:.0f}x the entries")


if __name__ == "__main__":
    main()
