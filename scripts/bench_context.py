"""Per-message time through the conversation core with context on, at the real size.

Run:  .venv/bin/python scripts/bench_context.py [--rounds N]
Replays the conversations of tests/data/conversations.yaml (follow-ups, corrections,
"tell me more", other languages) and the single-message dev set each asked after an
earlier question, through Conversation.handle, and prints p50/p99 in milliseconds per
kind of turn (messages in other languages apart: they run the language identifier),
plus the one-off cost of loading the language identifier. Figures, not
asserts: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import BotConfig  # noqa: E402
from bot.core import Conversation  # noqa: E402
from bot.tools.evaluate_conversations import CONTEXT_TURNS, load_conversations  # noqa: E402
from faq.evaluate import load_labeled_set  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


class Clock:
    """Wall and CPU time of one call: on a shared machine the wall p99 includes time spent
    waiting for a core; the CPU p99 is what the core itself costs."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.thread_time()
        return self

    def __exit__(self, *exc):
        self.wall = (time.perf_counter() - self.wall) * 1000
        self.cpu = (time.thread_time() - self.cpu) * 1000


def figures(times: list) -> str:
    def p(xs, q):
        xs = sorted(xs)
        return statistics.median(xs) if q == 50 else xs[min(len(xs) - 1, int(len(xs) * 0.99))]
    wall, cpu = [t.wall for t in times], [t.cpu for t in times]
    return (f"p50 {p(wall, 50):6.3f} ms   p99 {p(wall, 99):6.3f} ms   cpu p50 {p(cpu, 50):6.3f}   "
            f"cpu p99 {p(cpu, 99):6.3f}   ({len(times)} messages)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="times each conversation is replayed")
    args = parser.parse_args()
    conversation = Conversation.from_config(BotConfig())
    ids = {e.id for e in conversation.kb.entries}

    start = time.perf_counter()
    conversation.languages.not_english("¿Qué es un tumor neuroendocrino?")
    print(f"language identifier, loaded once on first use: {(time.perf_counter() - start) * 1000:.0f} ms")

    dialogues = load_conversations(ROOT / "tests" / "data" / "conversations.yaml", ids)
    labeled = load_labeled_set(ROOT / "corpus" / "matcher-dev.yaml", ids)
    singles = [q for q, _ in labeled.in_scope] + list(labeled.out_of_scope)
    for d in dialogues[:20]:  # warm caches, as a running bot has them
        for turn in d.turns:
            conversation.handle("warm", turn.text)

    first, later, single_after, foreign = [], [], [], []
    for r in range(args.rounds):
        for n, d in enumerate(dialogues):
            chat = f"bench-{r}-{n}"
            for i, turn in enumerate(d.turns):
                with Clock() as took:
                    reply = conversation.handle(chat, turn.text)
                # Messages in other languages run the language identifier: timed on their own.
                (foreign if reply.language else later if i else first).append(took)
    for n, message in enumerate(singles):
        chat = f"single-{n}"
        conversation.handle(chat, CONTEXT_TURNS[n % len(CONTEXT_TURNS)])
        with Clock() as took:
            conversation.handle(chat, message)
        single_after.append(took)

    long_turns = []   # a whole Telegram message (about 4,000 characters), its question last
    for n in range(40):
        story = " ".join(singles[(n + k) % len(singles)].rstrip("?") + "." for k in range(60))[:3900]
        text = f"{story} {singles[n]}"
        with Clock() as took:
            conversation.handle(f"long-{n}", text)
        long_turns.append(took)

    matcher_only = []
    for d in dialogues:
        for turn in d.turns:
            with Clock() as took:
                conversation.matcher.match(turn.text)
            matcher_only.append(took)

    print(f"knowledge base: {len(conversation.kb.entries)} entries; chats remembered: {len(conversation._chats)}")
    print(f"first turns (no context yet)        {figures(first)}")
    print(f"later turns (context on)            {figures(later)}")
    print(f"dev-set questions after a question  {figures(single_after)}")
    print(f"English messages, all               {figures(first + later + single_after)}")
    print(f"messages in other languages         {figures(foreign)}")
    print(f"4,000-character messages            {figures(long_turns)}")
    print(f"for scale, the matcher alone        {figures(matcher_only)}")


if __name__ == "__main__":
    main()
