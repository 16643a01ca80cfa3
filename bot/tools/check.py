"""``python -m bot check --config FILE``: what an operator runs before a restart.

Loads the config (already done by the caller) and every data file the bot loads, with the config's
own paths and the same loaders as start-up, and lists every problem at once, each naming its file,
entry and field. A file that cannot be read leaves out the checks that need it (the matcher needs the
knowledge base and its language); every other file is still checked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from bot.choices import load_choices
from bot.config import BotConfig
from bot.context import DEFAULT_CONTEXT_PATH, load_cues
from bot.core import Conversation
from bot.declines import load_decline_replies
from bot.feelings import load_feelings
from bot.languages import DEFAULT_LANGUAGES_PATH, load_languages
from bot.masking import DEFAULT_MASKING_PATH, load_rules
from bot.safety import DEFAULT_SAFETY_PATH, load_safety
from bot.smalltalk import DEFAULT_SMALLTALK_PATH, load_smalltalk
from faq.classifier import DEFAULT_MODEL_PATH
from faq.corpus import DEFAULT_CORPUS_DIR
from faq.language import DEFAULT_LANGUAGE_PATH, load_language
from faq.loader import DEFAULT_FAQ_PATH, load_knowledge_base
from faq.matcher import Matcher
from faq.model_check import check_model
from faq.yamlfile import DataFileError

T = TypeVar("T")


class _Problems:
    """Runs each load, keeping its problems instead of stopping at the first broken file."""

    def __init__(self) -> None:
        self.all: list[str] = []

    def load(self, load: Callable[[], T]) -> T | None:
        try:
            return load()
        except DataFileError as exc:
            self.all.extend(exc.problems)
            return None


def check(config: BotConfig) -> int:
    """Summarise every data file the bot loads; DataFileError listing all problems when any is broken."""
    d = config.data
    problems = _Problems()
    kb = problems.load(lambda: load_knowledge_base(d.faq or DEFAULT_FAQ_PATH))
    language = problems.load(lambda: load_language(d.language or DEFAULT_LANGUAGE_PATH))
    matcher = None
    if kb is not None and language is not None:
        matcher = problems.load(lambda: Matcher(kb, language, config.matcher, concepts=d.concepts,
                                                declines=d.declines))
    if matcher is not None:
        problems.all.extend(matcher.problems())
    # As at start-up: the chat spellings of the configured language file ("u", "pls") are read first.
    chat = language.chat_spellings if language is not None else None
    safety = problems.load(lambda: load_safety(d.safety or DEFAULT_SAFETY_PATH, chat_spellings=chat))
    smalltalk = problems.load(lambda: load_smalltalk(d.smalltalk or DEFAULT_SMALLTALK_PATH, chat_spellings=chat))
    languages = problems.load(lambda: load_languages(d.languages or DEFAULT_LANGUAGES_PATH))
    cues = problems.load(lambda: load_cues(d.context or DEFAULT_CONTEXT_PATH))
    choices = problems.load(load_choices)
    # As at start-up: suggestions name the bundled knowledge base's entries (bot/core.py).
    bundled = {e.id for e in kb.entries} if kb is not None and d.faq is None else None
    feelings = problems.load(lambda: load_feelings(entry_ids=bundled))
    declines = None
    if matcher is not None:
        declines = problems.load(lambda: load_decline_replies(decline_ids={x.id for x in matcher.declines},
                                                              entry_ids=bundled))
    masking = problems.load(lambda: load_rules(d.masking or DEFAULT_MASKING_PATH))
    model = None
    if matcher is not None:
        model = problems.load(lambda: check_model(DEFAULT_MODEL_PATH, DEFAULT_CORPUS_DIR,
                                                  {e.id for e in kb.entries}, {x.id for x in matcher.declines}))
    if problems.all:
        raise DataFileError(problems.all)
    conversation = Conversation(kb, matcher, safety, smalltalk, config, languages=languages, cues=cues,
                                choices=choices, feelings=feelings, declines=declines)
    print("\n".join(_summary(conversation, masking, model)))
    return 0


def _summary(conversation: Conversation, masking, model: str) -> list[str]:  # noqa: ANN001
    kb, matcher = conversation.kb, conversation.matcher
    langs = conversation.languages.languages
    cues = conversation.context.cues
    feelings = conversation.feelings
    return [
        "bot data: OK (every file the bot loads, with this config's paths)",
        f"  knowledge base: {len(kb.entries)} entries, {kb.phrasing_count} phrasings, "
        f"{len(matcher.concepts.concepts)} concepts, {len(matcher.declines)} topics the page does not cover",
        f"  model:     {model}",
        f"  safety:    {conversation.safety.summary()}",
        f"  small talk: {conversation.smalltalk.summary()}",
        f"  languages: {len(langs)} with their own lines ({', '.join(langs)}), "
        f"{sum(len(l.emergency) + len(l.crisis) for l in langs.values())} emergency and crisis phrases",
        f"  context:   {len(cues.more)} 'more' phrases, {len(cues.corrections)} correction openers, "
        f"{len(cues.followups)} follow-up openers",
        f"  feelings:  {len(feelings.lexicon.feelings)}, "
        f"{sum(len(f.replies) for f in feelings.lexicon.feelings.values())} lines, read by the {feelings.by}",
        f"  declines:  {len(conversation.declines.by_id)} topics with their own reply",
        f"  choices:   {len(conversation.choices.ordinals)} ordinals, {len(conversation.choices.neither)} ways "
        "of saying none",
        f"  masking:   {len(masking.rules)} rules for the review record, {len(masking.first_names)} first names",
    ]
