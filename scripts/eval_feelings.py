"""Feelings on single messages, through the conversation core: how many messages that carry a feeling are met with a
feeling line first, how many get a medical answer alone, and how many calm messages get a feeling line they did not
need. Each message is sent in a chat of its own; urgent ones (``safety:``) are left out, since safety comes first.

    .venv/bin/python scripts/eval_feelings.py corpus/feelings-mixed-01.yaml [more batches...]

`bot eval-conversations` measures the same in conversations; this is its single-message counterpart, for the
corpus batches written as messages.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import BotConfig  # noqa: E402
from bot.core import Conversation  # noqa: E402
from bot.replies import Kind  # noqa: E402
from faq.corpus import load_batch  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="corpus batches (YAML, messages:)")
    args = parser.parse_args(argv)
    conversation = Conversation.from_config(BotConfig(), record=False)
    met, total, alone, calm, calm_lines = Counter(), Counter(), 0, 0, 0
    for n, message in enumerate(m for path in args.files for m in load_batch(path).messages):
        if message.safety:
            continue
        reply = conversation.handle(f"feelings-{n}", message.text)
        if message.feeling:
            total[message.feeling] += 1
            met[message.feeling] += reply.feeling is not None
            alone += reply.feeling is None and reply.kind is Kind.ANSWER
        else:
            calm += 1
            calm_lines += reply.feeling is not None
    all_met, all_total = sum(met.values()), sum(total.values())
    print(f"messages with a feeling      {all_total}")
    print(f"  met with a feeling line    {100 * all_met / max(all_total, 1):5.1f} %  ({all_met})")
    print(f"  a medical answer alone     {alone}")
    for feeling, count in sorted(total.items()):
        print(f"    {feeling:<12} {met[feeling]}/{count}")
    print(f"calm messages                {calm}")
    print(f"  given a feeling line       {100 * calm_lines / max(calm, 1):5.1f} %  ({calm_lines})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
