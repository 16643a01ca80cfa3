"""What the opt-in review record adds to each message.

Run:  .venv/bin/python scripts/bench_review.py [--messages N]
Sends the same messages (the dev set's questions, in- and out-of-scope, with picks and
votes mixed in) through Conversation.handle without and with the recorder on a
database in a temporary folder, and times the recorder's own work per message.
Prints median and p99 in milliseconds. Figures, not asserts: these machines are shared.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import ReviewSettings  # noqa: E402
from bot.core import Conversation  # noqa: E402
from bot.review import ReviewRecorder  # noqa: E402
from bot.safety import load_safety  # noqa: E402
from bot.smalltalk import load_smalltalk  # noqa: E402
from faq import load_knowledge_base  # noqa: E402
from faq.evaluate import load_labeled_set  # noqa: E402
from faq.language import load_language  # noqa: E402
from faq.matcher import Matcher  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def stats(times: list[float]) -> str:
    times = sorted(times)
    return f"median {statistics.median(times):.3f} ms   p99 {times[min(len(times) - 1, int(len(times) * 0.99))]:.3f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000, help="messages timed in each run")
    args = parser.parse_args()
    rng = random.Random(12)
    kb = load_knowledge_base()
    matcher = Matcher(kb, load_language())
    labeled = load_labeled_set(ROOT / "corpus" / "matcher-dev.yaml", {e.id for e in kb.entries})
    pool = [q for q, _ in labeled.in_scope] + list(labeled.out_of_scope) + ["1", "2", "types and symptoms"]
    messages = [(rng.randrange(50), rng.choice(pool)) for _ in range(args.messages)]

    def run(recorder: ReviewRecorder | None) -> tuple[list[float], list[float]]:
        conv = Conversation(kb, matcher, load_safety(), load_smalltalk(), recorder=recorder)
        for chat, text in messages[:100]:  # warm caches, as a running bot has them
            conv.handle(chat, text)
        whole, own = [], []
        for chat, text in messages:
            start = time.perf_counter()
            reply = conv._reply(chat, text)
            middle = time.perf_counter()
            if recorder is not None:
                recorder.observe(str(chat), text, reply)
            end = time.perf_counter()
            whole.append((end - start) * 1000)
            own.append((end - middle) * 1000)
        return whole, own

    with tempfile.TemporaryDirectory() as folder:
        recorder = ReviewRecorder.open(Path(folder) / "bench.sqlite3", ReviewSettings(enabled=True))
        without, _ = run(None)
        with_record, recording = run(recorder)
        kept = recorder.conn.execute("SELECT COUNT(*) FROM review_messages").fetchone()[0]
        recorder.close()
    print(f"{len(messages)} messages, {kept} kept for review (declined, asked back or hedged)")
    print(f"handle without the record   {stats(without)}")
    print(f"handle with the record      {stats(with_record)}")
    print(f"recording alone             {stats(recording)}")


if __name__ == "__main__":
    main()
