"""Curator commands: ``python -m faq check [PATH]`` and ``python -m faq eval FILE``."""

from __future__ import annotations

import argparse
import signal
import sys
from collections import Counter

from faq.language import DEFAULT_LANGUAGE_PATH, load_language
from faq.loader import DEFAULT_FAQ_PATH, load_knowledge_base
from faq.matcher import Matcher
from faq.yamlfile import DataFileError


def _fail(error: DataFileError) -> int:
    print(f"{len(error.problems)} problem(s) found:", file=sys.stderr)
    for problem in error.problems:
        print(f"  {problem}", file=sys.stderr)
    return 2


def cmd_check(args: argparse.Namespace) -> int:
    try:
        kb = load_knowledge_base(args.path)
        language = load_language(args.language)
        matcher = Matcher(kb, language)
        problems = matcher.problems()
        if problems:
            raise DataFileError(problems)
    except DataFileError as exc:
        return _fail(exc)
    topics = Counter(e.topic for e in kb.entries)
    print(f"{args.path}: OK")
    print(f"  source:    {kb.source.title} ({kb.source.publisher}, retrieved {kb.source.retrieved})")
    print(f"  entries:   {len(kb.entries)}")
    print(f"  phrasings: {kb.phrasing_count}")
    print(f"  quotes:    {sum(len(e.source) for e in kb.entries)}, all found in the source copy")
    print(f"  language:  {args.language.name}: {len(language.spellings)} spellings, "
          f"{len(language.stop_words)} stop words")
    print(f"  concepts:  {len(matcher.concepts.concepts)}, with {len(matcher.concepts.forms)} surface forms")
    print(f"  declines:  {len(matcher.declines)} topics the page does not cover")
    print(f"  topics ({len(topics)}):")
    for entry in kb.entries:
        print(f"    {entry.id:<28} {entry.topic} ({len(entry.questions)} phrasings)")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from faq.evaluate import LabeledSet, evaluate, load_labeled_set

    try:
        kb = load_knowledge_base(args.kb)
        matcher = Matcher(kb, load_language(args.language))
        known = {e.id for e in kb.entries}
        items = tuple(item for path in args.file for item in load_labeled_set(path, known).items)
    except DataFileError as exc:
        return _fail(exc)
    report = evaluate(matcher, LabeledSet(items))
    print("\n".join(report.lines()))
    return 0


def main(argv: list[str] | None = None) -> int:
    from pathlib import Path

    if hasattr(signal, "SIGPIPE"):  # `python -m faq check | head` ends quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)

    parser = argparse.ArgumentParser(prog="python -m faq", description="Check and measure the NET FAQ knowledge base.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate the knowledge base and print a summary")
    check.add_argument("path", nargs="?", type=Path, default=DEFAULT_FAQ_PATH, help="FAQ YAML (default: the bundled one)")
    check.add_argument("--language", type=Path, default=DEFAULT_LANGUAGE_PATH, help="synonyms and stop words YAML")
    check.set_defaults(func=cmd_check)
    ev = sub.add_parser("eval", help="measure the matcher on a labeled question set")
    ev.add_argument("file", type=Path, nargs="+",
                    help="labeled set YAML (messages: [{text, expect, voice}], or in_scope / out_of_scope)")
    ev.add_argument("--kb", type=Path, default=DEFAULT_FAQ_PATH, help="FAQ YAML (default: the bundled one)")
    ev.add_argument("--language", type=Path, default=DEFAULT_LANGUAGE_PATH, help="synonyms and stop words YAML")
    ev.set_defaults(func=cmd_eval)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
