"""Curator commands for the knowledge base in faq/data/: ``python -m faq check [PATH]``,
``python -m faq eval FILE`` and ``python -m faq train``.

faq/ never imports the bot. What needs the bot's config or its storage reaches this command line
through entry points (pyproject.toml): ``--config`` is read by the reader registered under
``CONFIG_READERS``, and ``python -m faq review`` is a command registered under ``COMMANDS``
(both in bot/tools/commands.py).
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections import Counter
from importlib.metadata import entry_points
from pathlib import Path

from faq.concepts import DEFAULT_CONCEPTS_PATH
from faq.declines import DEFAULT_DECLINES_PATH
from faq.language import DEFAULT_LANGUAGE_PATH, Language, load_language
from faq.loader import DEFAULT_FAQ_PATH, load_knowledge_base
from faq.matcher import Matcher, MatcherSettings
from faq.model import KnowledgeBase
from faq.model_check import check_model
from faq.yamlfile import DataFileError

# Entry-point groups through which other installed packages extend this command line.
CONFIG_READERS = "net_faq.faq_config"   # name -> callable(path) -> (data paths by key, MatcherSettings)
COMMANDS = "net_faq.faq_commands"       # name -> callable(subparsers) adding that subcommand
BUNDLED = {"faq": DEFAULT_FAQ_PATH, "language": DEFAULT_LANGUAGE_PATH, "concepts": DEFAULT_CONCEPTS_PATH,
           "declines": DEFAULT_DECLINES_PATH}


def _fail(error: DataFileError) -> int:
    print(f"{len(error.problems)} problem(s) found:", file=sys.stderr)
    for problem in error.problems:
        print(f"  {problem}", file=sys.stderr)
    return 2


def _load(args: argparse.Namespace, kb_arg: str, use_model: bool = True) -> tuple[KnowledgeBase, Language, Matcher]:
    """The knowledge base (``args.<kb_arg>``), its language and the matcher over them. A file not given
    on the command line is the bot's config's (``--config``), else the bundled one; the matcher
    thresholds are the config's, else the defaults. DataFileError when the config or a file is bad."""
    paths: dict[str, Path | None] = {}
    settings = MatcherSettings()
    if args.config:
        readers = entry_points(group=CONFIG_READERS)
        if not readers:
            raise DataFileError(["--config needs the bot's config reader, which is not installed"])
        paths, settings = next(iter(readers)).load()(args.config)
    for arg, key in {kb_arg: "faq", "language": "language", "concepts": "concepts", "declines": "declines"}.items():
        if getattr(args, arg) is None:
            setattr(args, arg, paths.get(key) or BUNDLED[key])
    kb = load_knowledge_base(getattr(args, kb_arg))
    language = load_language(args.language)
    return kb, language, Matcher(kb, language, settings, concepts=args.concepts, declines=args.declines,
                                 use_model=use_model)


def cmd_check(args: argparse.Namespace) -> int:
    try:
        kb, language, matcher = _load(args, "path", use_model=False)
        problems = matcher.problems()
        if problems:
            raise DataFileError(problems)
        model = check_model(args.model, args.corpus, {e.id for e in kb.entries}, {d.id for d in matcher.declines})
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
    print(f"  model:     {model}")
    print(f"  topics ({len(topics)}):")
    for entry in kb.entries:
        print(f"    {entry.id:<28} {entry.topic} ({len(entry.questions)} phrasings)")
    print("The bot's own data files (safety, small talk, languages...): python -m bot check")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from faq.evaluate import LabeledSet, evaluate, load_labeled_set

    try:
        kb, _, matcher = _load(args, "kb")
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


def main(argv: list[str] | None = None) -> int:
    config_help = ("the bot's YAML config: its data files and matcher thresholds are used "
                   "(options given here win; default: the bundled files and default thresholds)")
    parser = argparse.ArgumentParser(prog="python -m faq", description="Check and measure the NET FAQ knowledge base.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="the curator's check of faq/data/ (the knowledge base, its language, "
                           "concepts, declines and the model); python -m bot check validates everything the bot loads")
    check.add_argument("path", nargs="?", type=Path, help="FAQ YAML (default: the config's, else the bundled one)")
    check.add_argument("--language", type=Path, help="synonyms and stop words YAML")
    check.add_argument("--concepts", type=Path, help="concepts YAML")
    check.add_argument("--declines", type=Path, help="declines YAML")
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
    for command in entry_points(group=COMMANDS):   # python -m faq review (bot/tools/commands.py)
        command.load()(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    # Only as a program, never when a test calls main(): `python -m faq check | head` ends quietly
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
