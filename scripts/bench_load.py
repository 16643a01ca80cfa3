"""Load: simulated patients chat with the real bot process through the Bot API emulator.

Run:  .venv/bin/python scripts/bench_load.py [--users 50] [--messages 20] [--think 2.0]
      .venv/bin/python scripts/bench_load.py --metrics-cost [--scrape-every 1.0]

Each user sends a question, waits for the reply, thinks, and asks the next one. Two
runs: paced (users think between messages, below Telegram's ~30 messages/s cap) and
saturating (no thinking: throughput meets the cap, which AIORateLimiter enforces).
Prints answered, lost, duplicated, throughput and reply latency p50/p95. Everything
stays on 127.0.0.1 and every wait is bounded.

``--metrics-cost`` runs the saturating load three times: without metrics, with them on but
never scraped, and scraped over HTTP every ``--scrape-every`` seconds (Prometheus' default is 15 s; 1 s is
harsh on purpose), and adds the bot process's CPU seconds per 1,000 messages: throughput
meets Telegram's cap either way, so CPU is where a cost would show first.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from faq import load_knowledge_base  # noqa: E402
from faq.evaluate import load_labeled_set  # noqa: E402
from tests.e2e.botapi_emulator import BotApiEmulator  # noqa: E402
from tests.e2e.harness import TOKEN, start_bot  # noqa: E402

REPLY_TIMEOUT = 60.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scraper(port: int, every: float, stop: threading.Event, counts: list[int]) -> None:
    import urllib.request

    while not stop.wait(every):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
            answer.read()
        counts[0] += 1


def run(users: int, messages: int, think: float, questions: list[str], metrics: bool = False,
        scrape_every: float = 1.0) -> dict:
    emulator = BotApiEmulator(TOKEN).start()
    with tempfile.TemporaryDirectory() as tmp:
        # Flood control is for humans typing; the simulated users are deliberately fast.
        port = free_port()   # both runs log at WARNING: the port is chosen here, not read from the log
        bot = start_bot(emulator, Path(tmp), level="WARNING",
                        telegram_config="  flood:\n    messages: 1000\n    per_seconds: 1\n",
                        extra_config=f"metrics:\n  enabled: true\n  port: {port}\n" if metrics else "")
        scrapes, stop_scraping = [0], threading.Event()
        if metrics:
            threading.Thread(target=scraper, args=(port, scrape_every, stop_scraping, scrapes), daemon=True).start()
        cpu_before = cpu_seconds(bot.process.pid)
        latencies: list[float] = []
        lost = 0
        lock = threading.Lock()

        def user(chat_id: int) -> None:
            nonlocal lost
            for i in range(messages):
                text = questions[(chat_id * 7 + i) % len(questions)]
                start = time.monotonic()
                emulator.send_text(chat_id, text)
                replies = emulator.wait_for(i + 1, chat_id, timeout=REPLY_TIMEOUT)
                with lock:
                    if len(replies) > i:
                        latencies.append(replies[i].at - start)
                    else:
                        lost += 1
                if think:
                    time.sleep(think)

        began = time.monotonic()
        threads = [threading.Thread(target=user, args=(10_000 + u,)) for u in range(users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(REPLY_TIMEOUT * messages)
        elapsed = time.monotonic() - began
        cpu = cpu_seconds(bot.process.pid) - cpu_before
        stop_scraping.set()
        time.sleep(1.0)  # late duplicates, if any, arrive now
        sent = {10_000 + u: len(emulator.sent(chat_id=10_000 + u)) for u in range(users)}
        alive = bot.process.poll() is None
        bot.stop()
    emulator.stop()
    duplicated = sum(max(0, n - messages) for n in sent.values())
    latencies.sort()
    return {
        "answered": len(latencies), "lost": lost, "duplicated": duplicated, "elapsed": elapsed,
        "throughput": len(latencies) / elapsed, "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan"), "alive": alive,
        "cpu_per_1000": cpu / max(1, len(latencies)) * 1000, "scrapes": scrapes[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--think", type=float, default=2.0, help="seconds a user waits between messages (paced)")
    parser.add_argument("--metrics-cost", action="store_true",
                        help="saturating runs without and with metrics scraped every --scrape-every seconds")
    parser.add_argument("--scrape-every", type=float, default=1.0)
    args = parser.parse_args()
    kb = load_knowledge_base()
    labeled = load_labeled_set(ROOT / "corpus" / "matcher-dev.yaml", {e.id for e in kb.entries})
    questions = [q for q, _ in labeled.in_scope]

    print(f"{args.users} users x {args.messages} messages = {args.users * args.messages} per run")
    if args.metrics_cost:
        print(f"{'run':<22} {'answered':>8} {'lost':>5} {'msg/s':>6} {'p50 ms':>7} {'p95 ms':>7} "
              f"{'CPU s/1000 msg':>14} {'scrapes':>7}")
        for name, on, every in (("saturating", False, 0.0), ("+ metrics, no scrape", True, 1e9),
                                (f"+ metrics, scrape/{args.scrape_every:g}s", True, args.scrape_every)):
            r = run(args.users, args.messages, 0.0, questions, metrics=on, scrape_every=every)
            print(f"{name:<22} {r['answered']:>8} {r['lost']:>5} {r['throughput']:>6.1f} {r['p50'] * 1000:>7.0f} "
                  f"{r['p95'] * 1000:>7.0f} {r['cpu_per_1000']:>14.2f} {r['scrapes']:>7}")
        return
    print(f"{'run':<12} {'answered':>8} {'lost':>5} {'dup':>4} {'secs':>6} {'msg/s':>6} {'p50 ms':>7} "
          f"{'p95 ms':>7}  bot alive")
    for name, think in (("paced", args.think), ("saturating", 0.0)):
        r = run(args.users, args.messages, think, questions)
        print(f"{name:<12} {r['answered']:>8} {r['lost']:>5} {r['duplicated']:>4} {r['elapsed']:>6.1f} "
              f"{r['throughput']:>6.1f} {r['p50'] * 1000:>7.0f} {r['p95'] * 1000:>7.0f}  {r['alive']}")


if __name__ == "__main__":
    main()
