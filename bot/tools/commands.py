"""The tools' commands, for ``python -m bot`` and (through pyproject.toml's entry points) ``python -m faq``.

Each takes the parsed arguments and the loaded config and returns the exit code; a broken data file
raises DataFileError, which ``bot/__main__.py`` turns into one message and exit 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.config import RETENTION_DAYS_RANGE, BotConfig
from faq.matcher import MatcherSettings


def evaluate_safety_or_smalltalk(args: argparse.Namespace, config: BotConfig) -> int:
    from bot.core import Conversation
    from bot.safety_net import SafetyNet
    from bot.tools import evaluate

    conversation = Conversation.from_config(config, record=False)
    matcher = conversation.matcher
    messages = evaluate.load_messages(args.files, "safety" if args.mode == "eval-safety" else "smalltalk")
    if args.mode == "eval-safety" and args.reader == "bot":
        report = evaluate.evaluate_safety(evaluate.ThroughTheCore(conversation), messages)
    elif args.mode == "eval-safety":
        net = SafetyNet(conversation.safety, matcher.model, matcher.analyzer, args.reader,
                        plain=conversation.smalltalk.is_plain)
        report = evaluate.evaluate_safety(net, messages)
    else:
        # Small talk as the bot reads it (the phrases, then the model's head), or the phrases alone.
        read = conversation.small_talk_of if args.reader == "both" else conversation.small_talk.read
        report = evaluate.evaluate_smalltalk(read, conversation.safety_net, messages)
    print("\n".join(report.lines()))
    return 0


def evaluate_conversations(args: argparse.Namespace, config: BotConfig) -> int:
    from bot.core import Conversation
    from bot.tools import evaluate_conversations as ev
    from faq.evaluate import load_labeled_set

    conversation = Conversation.from_config(config, record=False)
    ids = {e.id for e in conversation.kb.entries}
    if args.mode == "eval-conversations":
        report = ev.evaluate_conversations(conversation, ev.load_conversations(args.file, ids))
        print("\n".join(report.lines()))
        return 0
    messages = []
    for path in args.files:
        labeled = load_labeled_set(path, ids)
        messages += [q for q, _ in labeled.in_scope] + list(labeled.out_of_scope)
    count, changed = ev.standalone_changes(conversation, messages)
    print(f"single messages         {count}, each alone and after {len(ev.CONTEXT_TURNS)} earlier questions")
    print(f"replies changed         {len(changed)}")
    for line in changed:
        print(f"  {line}")
    return 0


# -- the review record: python -m bot review, python -m faq review ----------------------------
def _days(text: str) -> int:
    low, high = RETENTION_DAYS_RANGE
    if not text.isdigit() or not low <= int(text) <= high:
        raise argparse.ArgumentTypeError(f"must be a whole number of days from {low} to {high} (got {text!r})")
    return int(text)


def review_arguments(rv: argparse.ArgumentParser) -> None:
    rv.add_argument("--since", metavar="DAYS", type=_days, help="only the last DAYS days (default: all kept)")
    action = rv.add_mutually_exclusive_group()
    action.add_argument("--export", metavar="FILE", type=Path, help="write a YAML proposal for curators to FILE")
    action.add_argument("--purge", action="store_true", help="delete everything the review record holds")
    rv.set_defaults(review_parser=rv)


def review(args: argparse.Namespace) -> int:
    from bot.tools.review_report import run_review

    if args.purge and args.since:
        args.review_parser.error("--purge deletes everything recorded, not only the last --since days; "
                                 "leave --since out")
    return run_review(args.config, args.since, args.export, args.purge)


REVIEW_HELP = "what the opt-in review record holds: unsure messages, feedback, rates"


# -- what python -m faq finds through its entry points (faq/__main__.py) ---------------------
def add_faq_review(sub: argparse._SubParsersAction) -> None:
    """``python -m faq review``, the curator's name for ``python -m bot review``."""
    rv = sub.add_parser("review", help=REVIEW_HELP)
    rv.add_argument("--config", metavar="PATH", help="the bot's YAML config; locates the database (storage.path)")
    review_arguments(rv)
    rv.set_defaults(func=review)


def read_faq_config(path: str) -> tuple[dict[str, Path | None], MatcherSettings]:
    """``python -m faq check|eval --config``: the knowledge base's files and the matcher thresholds the
    bot's config names (ConfigError, a DataFileError, when it is bad)."""
    from bot.config import load_config

    config = load_config(path, with_secrets=False)
    d = config.data
    return {"faq": d.faq, "language": d.language, "concepts": d.concepts, "declines": d.declines}, config.matcher
