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
from bot.evaluate_conversations import CONTEXT_TURNS, load_conversations  # noqa: E402
from faq.evaluate import load_labeled_set  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def figures(times: list[float]) -> str:
    times = sorted(times)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return f"p50 {statistics.median(times):6.3f} ms   p99 {p99:6.3f} ms   ({len(times)} messages)"


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
                t0 = time.perf_counter()
                reply = conversation.handle(chat, turn.text)
                took = (time.perf_counter() - t0) * 1000
                # Messages in other languages run the language identifier: timed on their own.
                (foreign if reply.language else later if i else first).append(took)
    for n, message in enumerate(singles):
        chat = f"single-{n}"
        conversation.handle(chat, CONTEXT_TURNS[n % len(CONTEXT_TURNS)])
        t0 = time.perf_counter()
        conversation.handle(chat, message)
        single_after.append((time.perf_counter() - t0) * 1000)

    matcher_only = []
    for d in dialogues:
        for turn in d.turns:
            t0 = time.perf_counter()
            conversation.matcher.match(turn.text)
            matcher_only.append((time.perf_counter() - t0) * 1000)

    print(f"knowledge base: {len(conversation.kb.entries)} entries; chats remembered: {len(conversation._chats)}")
    print(f"first turns (no context yet)        {figures(first)}")
    print(f"later turns (context on)            {figures(later)}")
    print(f"dev-set questions after a question  {figures(single_after)}")
    print(f"English messages, all               {figures(first + later + single_after)}")
    print(f"messages in other languages         {figures(foreign)}")
    print(f"for scale, the matcher alone        {figures(matcher_only)}")


if __name__ == "__main__":
    main()
