"""Recall of the review record's masking on the blind set of patient messages with identifying details.

Run:  .venv/bin/python scripts/eval_masking.py [tests/data/pii_set.yaml]
A span counts as caught when none of it survives masking; a medical word counts as masked by
mistake when it no longer appears. Figures, and every miss.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.tools.evaluate import evaluate_masking  # noqa: E402
from bot.masking import Masker  # noqa: E402
from faq.yamlfile import read_yaml  # noqa: E402


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "data" / "pii_set.yaml"
    report = evaluate_masking(Masker().mask, read_yaml(path)["messages"])
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
