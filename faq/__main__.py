"""Curator commands: ``python -m faq check [PATH]``, ``python -m faq eval FILE`` and ``python -m faq review``."""

from __future__ import annotations

import argparse
import signal
import sys
from collections import Counter
from pathlib import Path

from faq.language import DEFAULT_LANGUAGE_PATH, load_language
from faq.loader import DEFAULT_FAQ_PATH, load_knowledge_base
from faq.matcher import Matcher
from faq.yamlfile import DataFileError


def _fail(error: DataFileError) -> int:
    print(f"{len(error.problems)} problem(s) found:", file=sys.stderr)
    for problem in error.problems:
        print(f"  {problem}", file=sys.stderr)
    return 2


def _follow_config(args: argparse.Namespace, keys: dict[str, str]) -> int | None:
    """Fill the data paths not given on the command line from the bot's config (``--config``),
    else the bundled files; keep its matcher thresholds in ``args.settings``. 2 if the config is bad."""
    from bot.config import BotConfig, ConfigError, load_config  # the bot's config locates the data files

    try:
        config = load_config(args.config, with_secrets=False) if args.config else BotConfig()
    except ConfigError as exc:
        return _fail(exc)
    bundled = _bundled_paths()
    for arg, key in keys.items():
        if getattr(args, arg) is None:
            setattr(args, arg, getattr(config.data, key) or bundled[key])
    args.settings = config.matcher
    return None


def _bundled_paths() -> dict[str, Path]:
    from bot.safety import DEFAULT_SAFETY_PATH
    from bot.smalltalk import DEFAULT_SMALLTALK_PATH
    from faq.concepts import DEFAULT_CONCEPTS_PATH
    from faq.declines import DEFAULT_DECLINES_PATH

    return {"faq": DEFAULT_FAQ_PATH, "language": DEFAULT_LANGUAGE_PATH, "concepts": DEFAULT_CONCEPTS_PATH,
            "declines": DEFAULT_DECLINES_PATH, "safety": DEFAULT_SAFETY_PATH, "smalltalk": DEFAULT_SMALLTALK_PATH}


_MATCHER_FILES = {"language": "language", "concepts": "concepts", "declines": "declines"}


def cmd_check(args: argparse.Namespace) -> int:
    failed = _follow_config(args, {"path": "faq", **_MATCHER_FILES, "safety": "safety", "smalltalk": "smalltalk"})
    if failed is not None:
        return failed
    try:
        kb = load_knowledge_base(args.path)
        language = load_language(args.language)
        matcher = Matcher(kb, language, args.settings, concepts=args.concepts, declines=args.declines,
                          use_model=False)
        problems = matcher.problems()
        if problems:
            raise DataFileError(problems)
        safety, smalltalk = _check_bot_data(args)
        model = _check_model(args, matcher)
    except DataFileError as exc:
        return _fail(exc)
    topics = Counter(e.topic for e in kb.entries)
    print(f"{args.path}: OK")
    print(f"  source:    {kb.source.title} ({kb.source.publisher}, retrieved {kb.source.retrieved})")
    print(f"  entries:   {len(kb.entries)}")
    print(f"  phrasings: {kb.phrasing_count}")
    print(f"  quotes:    {sum(len(e.source) for e in kb.entries)}, all found in the source copy")
    print(f"  language:  {Path(args.language).name}: {len(language.spellings)} spellings, "
          f"{len(language.stop_words)} stop words")
    print(f"  concepts:  {Path(args.concepts).name}: {len(matcher.concepts.concepts)}, with {len(matcher.concepts.forms)} surface forms")
    print(f"  declines:  {Path(args.declines).name}: {len(matcher.declines)} topics the page does not cover")
    print(f"  safety:    {Path(args.safety).name}: {safety}")
    print(f"  smalltalk: {Path(args.smalltalk).name}: {smalltalk}")
    print(f"  model:     {model}")
    print(f"  topics ({len(topics)}):")
    for entry in kb.entries:
        print(f"    {entry.id:<28} {entry.topic} ({len(entry.questions)} phrasings)")
    return 0


def _check_model(args: argparse.Namespace, matcher: Matcher) -> str:
    """The model must have been trained on the corpus as it is now (its training batches' hash)."""
    from faq.classifier import load_model
    from faq.corpus import corpus_hash, load_corpus

    model = load_model(args.model)
    if not args.corpus.is_dir():
        return f"{args.model.name}: not compared with a corpus ({args.corpus} is not here, as in an installed copy)"
    batches = load_corpus(args.corpus, {e.id for e in matcher.kb.entries}, {d.id for d in matcher.declines})
    now, trained = corpus_hash(batches), model.meta.get("corpus_sha256")
    if now != trained:
        raise DataFileError([f"{args.model}: is stale: trained on corpus {str(trained)[:12]}, the corpus is now "
                             f"{now[:12]}; rebuild it with `python -m faq train`"])
    n = sum(len(b.messages) for b in batches)
    return (f"current (corpus {now[:12]}: {len(batches)} batches, {n} messages; "
            f"{args.model.stat().st_size / 1e6:.1f} MB)")


def _check_bot_data(args: argparse.Namespace) -> tuple[str, str]:
    """The bot's safety and small-talk files are curated data too: validate them here, all problems at once."""
    from bot.safety import load_safety
    from bot.smalltalk import load_smalltalk

    problems: list[str] = []
    summaries = []
    for load, path in ((load_safety, args.safety), (load_smalltalk, args.smalltalk)):
        try:
            summaries.append(load(path).summary())
        except DataFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataFileError(problems)
    return summaries[0], summaries[1]


def cmd_eval(args: argparse.Namespace) -> int:
    from faq.evaluate import LabeledSet, evaluate, load_labeled_set

    failed = _follow_config(args, {"kb": "faq", **_MATCHER_FILES})
    if failed is not None:
        return failed
    try:
        kb = load_knowledge_base(args.kb)
        matcher = Matcher(kb, load_language(args.language), args.settings,
                          concepts=args.concepts, declines=args.declines)
        known = {e.id for e in kb.entries}
        items = tuple(item for path in args.file for item in load_labeled_set(path, known).items)
    except DataFileError as exc:
        return _fail(exc)
    report = evaluate(matcher, LabeledSet(items))
    print("\n".join(report.lines()))
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    try:
        from faq.training import train, write_model
    except ImportError as exc:
        print(f"training needs scikit-learn: pip install -e '.[train]' ({exc})", file=sys.stderr)
        return 2
    from faq.corpus import load_corpus
    from faq.matcher import bounded

    try:
        kb = load_knowledge_base(args.kb)
        matcher = Matcher(kb, load_language(args.language), use_model=False)
        batches = load_corpus(args.corpus, {e.id for e in kb.entries}, {d.id for d in matcher.declines})
    except DataFileError as exc:
        return _fail(exc)
    limit = matcher.settings.max_input_chars
    model = train(batches, matcher.analyzer, lambda t: bounded(t, limit))
    size = write_model(model, args.output)
    print(f"wrote {args.output} ({size / 1e6:.1f} MB), corpus {model['corpus_sha256'][:12]}")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from bot.review_report import run_review  # the review record lives with the bot's storage

    return run_review(args.config, args.since, args.export, args.purge)


def _days(text: str) -> int:
    from bot.config import RETENTION_DAYS_RANGE

    low, high = RETENTION_DAYS_RANGE
    if not text.isdigit() or not low <= int(text) <= high:
        raise argparse.ArgumentTypeError(f"must be a whole number of days from {low} to {high} (got {text!r})")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    config_help = ("the bot's YAML config: its data files and matcher thresholds are used "
                   "(options given here win; default: the bundled files and default thresholds)")
    parser = argparse.ArgumentParser(prog="python -m faq", description="Check and measure the NET FAQ knowledge base.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate the knowledge base and print a summary")
    check.add_argument("path", nargs="?", type=Path, help="FAQ YAML (default: the config's, else the bundled one)")
    check.add_argument("--language", type=Path, help="synonyms and stop words YAML")
    check.add_argument("--concepts", type=Path, help="concepts YAML")
    check.add_argument("--declines", type=Path, help="declines YAML")
    check.add_argument("--safety", type=Path, help="safety lexicon YAML")
    check.add_argument("--smalltalk", type=Path, help="small-talk YAML")
    check.add_argument("--config", metavar="PATH", help=config_help)
    from faq.classifier import DEFAULT_MODEL_PATH
    from faq.corpus import DEFAULT_CORPUS_DIR

    check.add_argument("--model", type=Path, default=DEFAULT_MODEL_PATH, help="model file (faq/data/model.json)")
    check.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS_DIR, help="corpus folder it was trained on")
    check.set_defaults(func=cmd_check)
    ev = sub.add_parser("eval", help="measure the matcher on a labeled question set")
    ev.add_argument("file", type=Path, nargs="+",
                    help="labeled set YAML (messages: [{text, expect, voice}], or in_scope / out_of_scope)")
    ev.add_argument("--kb", type=Path, help="FAQ YAML (default: the config's, else the bundled one)")
    ev.add_argument("--language", type=Path, help="synonyms and stop words YAML")
    ev.add_argument("--concepts", type=Path, help="concepts YAML")
    ev.add_argument("--declines", type=Path, help="declines YAML")
    ev.add_argument("--config", metavar="PATH", help=config_help)
    ev.set_defaults(func=cmd_eval)
    tr = sub.add_parser("train", help="build the models from the corpus's training batches (needs scikit-learn)")
    tr.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS_DIR, help="corpus folder (default: corpus/)")
    tr.add_argument("--output", type=Path, default=DEFAULT_MODEL_PATH, help="model file to write")
    tr.add_argument("--kb", type=Path, default=DEFAULT_FAQ_PATH, help="FAQ YAML (default: the bundled one)")
    tr.add_argument("--language", type=Path, default=DEFAULT_LANGUAGE_PATH, help="synonyms and stop words YAML")
    tr.set_defaults(func=cmd_train)
    rv = sub.add_parser("review", help="what the opt-in review record holds: unsure messages, feedback, rates")
    rv.add_argument("--config", metavar="PATH", help="the bot's YAML config; locates the database (storage.path)")
    rv.add_argument("--since", metavar="DAYS", type=_days, help="only the last DAYS days (default: all kept)")
    action = rv.add_mutually_exclusive_group()
    action.add_argument("--export", metavar="FILE", type=Path, help="write a YAML proposal for curators to FILE")
    action.add_argument("--purge", action="store_true", help="delete everything the review record holds")
    rv.set_defaults(func=cmd_review)
    args = parser.parse_args(argv)
    if args.command == "review" and args.purge and args.since:
        rv.error("--purge deletes everything recorded, not only the last --since days; leave --since out")
    return args.func(args)


if __name__ == "__main__":
    # Only as a program, never when a test calls main(): `python -m faq check | head` ends quietly
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
