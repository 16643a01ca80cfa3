"""``python -m bot console [--json]``, ``python -m bot telegram`` (the two channels), ``python -m bot check``,
``python -m bot review``, ``python -m bot eval-safety FILE``, ``python -m bot eval-smalltalk FILE`` and the
other evaluations (bot/tools/), ``health`` and ``backup``, each with ``--config PATH``.

The one place where a broken config or data file, or an unusable database, becomes one message and exit 2."""

from __future__ import annotations

import argparse
import signal
import sys

from bot.config import ConfigError, load_config, without_review
from bot.storage import StorageError
from bot.tools import commands as tools
from faq.yamlfile import DataFileError


def _error(problems: list[str]) -> int:
    print("The bot cannot start:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    config_help = "YAML config (default: ./config.yaml if present); its relative paths are read from its folder"
    parser = argparse.ArgumentParser(prog="python -m bot", description="The NET FAQ bot.")
    parser.add_argument("--config", metavar="PATH", help=config_help)
    # --config before or after the mode; shown in every mode's --help.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help=config_help)
    sub = parser.add_subparsers(dest="mode", required=True)

    def mode(name: str, **kwargs) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], **kwargs)

    console = mode("console", help="chat in this terminal (no token, no network)")
    console.add_argument("--json", action="store_true", help="one message per input line, one JSON object per reply")
    mode("telegram", help="run the Telegram bot")
    for name, what in (("eval-safety", "recall and false alarms of the safety net on a labelled set"),
                       ("eval-smalltalk", "small talk on a labelled set")):
        ev = mode(name, help=what)
        ev.add_argument("files", nargs="+", metavar="FILE", help="corpus batches (YAML files, or a folder of them)")
        if name == "eval-safety":
            ev.add_argument("--reader", choices=("both", "rules", "model", "bot"), default="both",
                            help="the rules OR the model (the safety net the bot runs), or either alone (for the "
                                 "ablation); bot: the reply the bot gives each message sent first, through its core "
                                 "(other languages' phrases, and the check-in under the English-only reply, included)")
        else:
            ev.add_argument("--reader", choices=("both", "phrases"), default="both",
                            help="the phrases and the model's small-talk head (what the bot runs), or the phrases alone")
    mode("health", help="is the running Telegram bot ready? one line, exit 0 (ready) or 1 (not ready)")
    backup = mode("backup", help="a consistent copy of the database, also while the bot runs")
    backup.add_argument("dest", help="the backup file to create, or a folder for a dated one")
    mode("check", help="validate the config and every data file the bot loads, with the config's paths "
                        "(run it before a restart); all problems at once, exit 2 on any")
    tools.review_arguments(mode("review", help=tools.REVIEW_HELP))
    conv = mode("eval-conversations", help="measure follow-ups on a conversation set")
    conv.add_argument("file", help="conversations YAML (turns with the reply each must get)")
    alone = mode("eval-standalone", help="count replies to single questions that change after an earlier question")
    alone.add_argument("files", nargs="+", help="corpus batches (corpus/matcher-dev.yaml, corpus/matcher-fresh.yaml)")
    args = parser.parse_args(argv)

    if args.mode == "review":   # it reads the config itself: a missing database is not an error there
        return tools.review(args)
    try:
        # Only the Telegram bot needs the secrets; operators' tools work without access to them.
        config = load_config(args.config, with_secrets=args.mode == "telegram")
    except ConfigError as exc:
        return _error(exc.problems)

    # Only a real conversation is recorded for review: evaluations and checks replay sets of
    # test messages, which must never land in an operator's record.
    if args.mode not in ("console", "telegram"):
        config = without_review(config)
    # A broken data file or an unusable database: one clear message and exit 2, in every mode.
    try:
        return _run(args, config)
    except DataFileError as exc:
        return _error(exc.problems)
    except StorageError as exc:
        return _error([str(exc)])


def _run(args: argparse.Namespace, config) -> int:  # noqa: ANN001
    if args.mode == "console":
        from bot.console import run_console
        from bot.core import Conversation

        return run_console(Conversation.from_config(config), args.json)
    if args.mode == "check":
        from bot.tools.check import check

        return check(config)
    if args.mode == "health":
        return _health(config)
    if args.mode == "backup":
        return _backup(config, args.dest)
    if args.mode in ("eval-conversations", "eval-standalone"):
        return tools.evaluate_conversations(args, config)
    if args.mode.startswith("eval-"):
        return tools.evaluate_safety_or_smalltalk(args, config)

    from bot.telegram import run_telegram

    return run_telegram(config)


def _health(config) -> int:
    """What the running bot last wrote next to its database (bot/health.py)."""
    from bot.health import report, status_path

    ready, line = report(status_path(config.storage.path))
    print(line)
    return 0 if ready else 1


def _backup(config, dest: str) -> int:
    from bot.backup import BackupError, backup

    try:
        path, version = backup(config.storage.path, dest)
    except BackupError as exc:
        print(f"The backup failed: {exc}", file=sys.stderr)
        return 2
    print(f"backed up {config.storage.path} to {path} (layout version {version})")
    return 0


if __name__ == "__main__":
    # Only as a program, never when a test calls main(): `python -m bot console --json < q.txt | head` ends quietly
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
