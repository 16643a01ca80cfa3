"""A 429 storm and a 5xx outage through the real bot process: are the replies all sent,
in order per chat, soon after the fault ends, without a restart?

Run:  .venv/bin/python scripts/bench_outage.py [--seconds 120] [--chats 20] [--every 10]

For each fault, sendMessage fails for ``--seconds`` (429 with retry_after 1, or 500)
while ``--chats`` patients each write every ``--every`` seconds. Prints, per fault:
messages, replies sent, lost, duplicated, chats out of order, and how long after the
fault ended the last reply (and the median chat's last reply) was sent. Target (issue
17): every reply within 10 s of the fault ending. Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import statistics
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


def run(kind: str, seconds: float, chats: int, every: float) -> dict:
    emulator = BotApiEmulator(TOKEN).start()
    with tempfile.TemporaryDirectory() as tmp:
        bot = start_bot(emulator, Path(tmp), level="WARNING", telegram_config=NO_FLOOD)
        fault = emulator.inject("sendMessage", kind, retry_after=1, seconds=seconds)
        ids = [20_000 + c for c in range(chats)]
        asked: dict[int, int] = {c: 0 for c in ids}
        began = time.monotonic()
        while time.monotonic() - began < seconds:
            for chat in ids:
                emulator.send_text(chat, QUESTIONS[asked[chat] % len(QUESTIONS)][0])
                asked[chat] += 1
            time.sleep(every)
        for chat in ids:
            emulator.wait_for(asked[chat], chat, timeout=60)
        time.sleep(2.0)   # late duplicates, if any, arrive now
        alive = bot.process.poll() is None   # the same process throughout: never restarted
        bot.stop()
    emulator.stop()
    sent = {c: [call for call in emulator.sent(chat_id=c)] for c in ids}
    out_of_order = sum(1 for c in ids if any(QUESTIONS[i % len(QUESTIONS)][1] not in call.params["text"]
                                             for i, call in enumerate(sent[c])))
    lasts = sorted(max(call.at for call in sent[c]) - fault.until for c in ids if sent[c])
    return {"messages": sum(asked.values()), "sent": sum(min(len(sent[c]), asked[c]) for c in ids),
            "lost": sum(max(0, asked[c] - len(sent[c])) for c in ids),
            "dup": sum(max(0, len(sent[c]) - asked[c]) for c in ids), "out_of_order": out_of_order,
            "last": lasts[-1] if lasts else float("nan"), "median_last": statistics.median(lasts) if lasts else
            float("nan"), "failed_calls": len(emulator.failed_calls), "alive": alive}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--chats", type=int, default=20)
    parser.add_argument("--every", type=float, default=10.0, help="seconds between a patient's messages")
    args = parser.parse_args()
    print(f"sendMessage failing for {args.seconds:g} s; {args.chats} chats, each writing every {args.every:g} s")
    print(f"{'fault':<10} {'msgs':>5} {'sent':>5} {'lost':>5} {'dup':>4} {'disorder':>8} {'failed':>7} "
          f"{'last after end':>15} {'median chat':>12}  no restart")
    for name, kind in (("429 storm", "429"), ("5xx", "500")):
        r = run(kind, args.seconds, args.chats, args.every)
        print(f"{name:<10} {r['messages']:>5} {r['sent']:>5} {r['lost']:>5} {r['dup']:>4} {r['out_of_order']:>8} "
              f"{r['failed_calls']:>7} {r['last']:>13.1f} s {r['median_last']:>10.1f} s  {r['alive']}")


if __name__ == "__main__":
    main()
