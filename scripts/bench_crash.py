"""Crash safety: kill -9 the real bot mid-burst, start it again, count what was lost or repeated.

Run:  .venv/bin/python scripts/bench_crash.py [--rounds 10] [--chats 5] [--delay 0.3] [--seed N]

Each round: a fresh emulator and database; the bot starts; each chat sends four questions
(whose answers can be told apart); sendMessage is slowed to --delay s (Telegram has the
message, the answer is slow), so replies are in flight; SIGKILL at a random moment; the
bot starts again on the same database and must answer the rest. Printed per round:
answered, lost, duplicated, and the replies in flight at the kill (sent to Telegram, but
not yet marked done in the inbox), the bound for duplicates.
Everything stays on 127.0.0.1 and every wait is bounded.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.botapi_emulator import BotApiEmulator  # noqa: E402
from tests.e2e.harness import TOKEN, start_bot  # noqa: E402

QUESTIONS = [("what causes a NET?", "exact cause"), ("symptoms?", "pain from a growing tumor"),
             ("is it hereditary?", "MEN 1"), ("where do NETs grow?", "small intestine")]
NO_FLOOD = "  flood:\n    messages: 1000\n    per_seconds: 1\n"


def one_round(chats: int, delay: float, rng: random.Random) -> dict:
    emulator = BotApiEmulator(TOKEN).start()
    emulator.send_delay = delay
    chat_ids = [20_000 + c for c in range(chats)]
    expected = len(QUESTIONS) * chats
    with tempfile.TemporaryDirectory() as tmp:
        bot = start_bot(emulator, Path(tmp), level="WARNING", telegram_config=NO_FLOOD)
        for text, _ in QUESTIONS:
            for chat in chat_ids:
                emulator.send_text(chat, text)
        # Any moment of the burst, which takes about len(QUESTIONS) * delay s (chats run in parallel).
        time.sleep(rng.uniform(0.1, len(QUESTIONS) * delay + 0.1))
        bot.kill()
        sent_at_kill = emulator.sent()
        # In flight: replies Telegram has whose update the inbox had not yet marked done
        # (each update here gets exactly one message, so done rows match sent replies one to one).
        with sqlite3.connect(Path(tmp) / "bot.sqlite3") as db:
            done_at_kill = db.execute("SELECT COUNT(done_at) FROM telegram_inbox").fetchone()[0]
        in_flight = len(sent_at_kill) - done_at_kill
        bot = start_bot(emulator, Path(tmp), level="WARNING", telegram_config=NO_FLOOD, log_name="bot2.log")
        deadline = time.monotonic() + 60
        for chat in chat_ids:
            emulator.wait_for(len(QUESTIONS), chat, timeout=max(0.1, deadline - time.monotonic()))
        time.sleep(1.0)   # a late duplicate would arrive by now
        bot.stop()
    emulator.stop()
    answered = duplicated = 0
    for chat in chat_ids:
        texts = [c.params["text"] for c in emulator.sent(chat_id=chat)]
        for _, phrase in QUESTIONS:
            n = sum(phrase in t for t in texts)
            answered += n > 0
            duplicated += max(0, n - 1)
    return {"before_kill": len(sent_at_kill), "in_flight": in_flight, "answered": answered,
            "lost": expected - answered, "duplicated": duplicated, "expected": expected}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--chats", type=int, default=5)
    parser.add_argument("--delay", type=float, default=0.3, help="seconds each sendMessage takes")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(f"{args.rounds} rounds, {args.chats} chats x {len(QUESTIONS)} questions, sends slowed to {args.delay} s")
    print(f"{'round':>5} {'sent before kill':>16} {'in flight':>9} {'answered':>8} {'lost':>5} {'dup':>4}")
    totals = {"answered": 0, "lost": 0, "duplicated": 0, "in_flight": 0, "expected": 0}
    within_bound = True
    for i in range(1, args.rounds + 1):
        r = one_round(args.chats, args.delay, rng)
        for key in totals:
            totals[key] += r[key]
        within_bound &= r["duplicated"] <= r["in_flight"]
        print(f"{i:>5} {r['before_kill']:>16} {r['in_flight']:>9} {r['answered']:>5}/{r['expected']:<2} "
              f"{r['lost']:>5} {r['duplicated']:>4}")
    print(f"total: answered {totals['answered']}/{totals['expected']}, lost {totals['lost']}, "
          f"duplicated {totals['duplicated']} (in flight at the kills: {totals['in_flight']}); "
          f"duplicates within the bound in every round: {within_bound}")


if __name__ == "__main__":
    main()
