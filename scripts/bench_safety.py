"""Per-message time of the safety check and the small-talk split, with the real lexicons.

Run:  .venv/bin/python scripts/bench_safety.py [--messages N]
Times every corpus message
(warm caches, as a running bot has them), then messages as long as the core lets through
(matcher.max_input_chars, by default 1 000 characters; the safety check reads up to
SAFETY_MAX_CHARS), and a cold pass of new words.
Prints p50/p99 in milliseconds. Figures, not asserts: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core import SAFETY_MAX_CHARS  # noqa: E402
from bot.safety import load_safety  # noqa: E402
from bot.smalltalk import load_smalltalk  # noqa: E402
from bot.safety_net import SafetyNet  # noqa: E402
from faq.corpus import load_corpus  # noqa: E402
from faq.loader import load_knowledge_base  # noqa: E402
from faq.matcher import Matcher, MatcherSettings, bounded  # noqa: E402


def timed(fn, messages: list[str]) -> tuple[float, float]:
    times = []
    for text in messages:
        start = time.perf_counter()
        fn(text)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000, help="messages timed per row")
    args = parser.parse_args()
    rng = random.Random(7)
    start = time.perf_counter()
    check, smalltalk = load_safety(), load_smalltalk()
    print(f"load both lexicons: {(time.perf_counter() - start) * 1000:.0f} ms")
    matcher = Matcher(load_knowledge_base())
    net = SafetyNet(check, matcher.model, matcher.analyzer)

    texts = [m.text for b in load_corpus(ROOT / "corpus") for m in b.messages]
    limit = MatcherSettings().max_input_chars
    both = lambda t: (net.assess(t), smalltalk.split(t))  # noqa: E731

    for text in texts:  # warm the typo and stem caches
        both(text)
    everyday = [rng.choice(texts) for _ in range(args.messages)]
    long = [bounded(" ".join(rng.choices(texts, k=30)), limit) for _ in range(max(50, args.messages // 10))]
    longest = [bounded(" ".join(rng.choices(texts, k=200)), SAFETY_MAX_CHARS) for _ in range(50)]
    # New words every time: the typo corrector's cache cannot help.
    cold = [f"{rng.choice(texts)} {''.join(rng.choices('abcdefghijklmnopqrstuvwxyz', k=8))}"
            for _ in range(max(50, args.messages // 10))]
    print(f"{'messages':<44} {'n':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for name, messages, fn in (
        ("safety rules, everyday messages", everyday, check.check),
        ("safety net (rules + model), everyday messages", everyday, net.assess),
        ("small-talk split, everyday messages", everyday, smalltalk.split),
        ("both, everyday messages", everyday, both),
        (f"both, {limit}-character messages", long, both),
        (f"safety net, {SAFETY_MAX_CHARS}-character messages", longest, net.assess),
        ("both, with an unseen word (typo search)", cold, both),
    ):
        p50, p99 = timed(fn, messages)
        print(f"{name:<44} {len(messages):>6} {p50:>8.3f} {p99:>8.3f}")


if __name__ == "__main__":
    main()
