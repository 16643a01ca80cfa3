"""Time from starting `python -m bot console` to its first prompt, in a pseudo-terminal.

Run:  .venv/bin/python scripts/bench_startup.py [--runs N]
Prints the median and the spread; the aim is under 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parent.parent


def once() -> float:
    env = {**os.environ, "TERM": "xterm", "NO_COLOR": "1"}
    start = time.perf_counter()
    child = pexpect.spawn(sys.executable, ["-m", "bot", "console"], cwd=str(ROOT), env=env, encoding="utf-8",
                          timeout=30)
    child.expect_exact("you> ")
    elapsed = time.perf_counter() - start
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    once()  # warm the OS file cache and .pyc files, as a second start would find them
    times = sorted(once() for _ in range(args.runs))
    print(f"start to first prompt over {args.runs} runs: median {statistics.median(times):.3f} s, "
          f"min {times[0]:.3f} s, max {times[-1]:.3f} s")


if __name__ == "__main__":
    main()
