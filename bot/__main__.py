"""``python -m bot console [--json]`` and ``python -m bot telegram``, with ``--config PATH``."""

from __future__ import annotations

import argparse
import signal
import sys

from bot.config import ConfigError, load_config
from bot.storage import StorageError
from faq.yamlfile import DataFileError


def _error(problems: list[str]) -> int:
    print("The bot cannot start:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="The NET FAQ bot.")
    parser.add_argument("--config", metavar="PATH", help="YAML config (default: ./config.yaml if present)")
    sub = parser.add_subparsers(dest="mode", required=True)
    console = sub.add_parser("console", help="chat in this terminal (no token, no network)")
    console.add_argument("--json", action="store_true", help="one message per input line, one JSON object per reply")
    console.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    telegram = sub.add_parser("telegram", help="run the Telegram bot")
    telegram.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        return _error(exc.problems)

    if args.mode == "console":
        from bot.console import run_console
        from bot.core import Conversation

        try:
            conversation = Conversation.from_config(config)
        except DataFileError as exc:
            return _error(exc.problems)
        except StorageError as exc:
            return _error([str(exc)])
        return run_console(conversation, args.json)

    from bot.telegram import run_telegram

    return run_telegram(config)


if __name__ == "__main__":
    # Only as a program, never when a test calls main(): `python -m bot console --json < q.txt | head` ends quietly
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
