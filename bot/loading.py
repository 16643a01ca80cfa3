"""Every data file the bot loads, with the config's own paths: one list, read by start-up
(``Conversation.from_config``: the first broken file stops it) and by ``python -m bot check``
(every problem collected, each file checked that can be)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from bot.choices import Choices, load_choices
from bot.config import BotConfig
from bot.context import DEFAULT_CONTEXT_PATH, Cues, load_cues
from bot.declines import DeclineReplies, load_decline_replies
from bot.feelings import FeelingLexicon, load_feelings
from bot.languages import DEFAULT_LANGUAGES_PATH, Languages, load_languages
from bot.safety import DEFAULT_SAFETY_PATH, SafetyCheck, load_safety
from bot.smalltalk import DEFAULT_SMALLTALK_PATH, SmallTalk, load_smalltalk
from faq.language import DEFAULT_LANGUAGE_PATH, Language, load_language
from faq.loader import DEFAULT_FAQ_PATH, load_knowledge_base
from faq.matcher import Matcher
from faq.model import KnowledgeBase
from faq.yamlfile import DataFileError

T = TypeVar("T")


@dataclass
class BotData:
    """What the conversation is built from; a part is None where its file (or one it needs) is broken."""
    kb: KnowledgeBase | None = None
    language: Language | None = None
    matcher: Matcher | None = None
    safety: SafetyCheck | None = None
    smalltalk: SmallTalk | None = None
    languages: Languages | None = None
    cues: Cues | None = None
    choices: Choices | None = None
    feelings: FeelingLexicon | None = None
    declines: DeclineReplies | None = None
    problems: list[str] = field(default_factory=list)


def collecting(problems: list[str], read: Callable[[], T]) -> T | None:
    """``read()``, or None with its DataFileError's problems added to ``problems``."""
    try:
        return read()
    except DataFileError as exc:
        problems.extend(exc.problems)
        return None


def load_bot_data(config: BotConfig, collect: bool = False) -> BotData:
    """Load every data file the config names (or the bundled ones). ``collect``: keep going past a
    broken file and list every problem in ``problems``; else the first DataFileError is raised."""
    d = config.data
    data = BotData()

    def load(read: Callable[[], T]) -> T | None:
        return collecting(data.problems, read) if collect else read()

    data.kb = load(lambda: load_knowledge_base(d.faq or DEFAULT_FAQ_PATH))
    data.language = load(lambda: load_language(d.language or DEFAULT_LANGUAGE_PATH))
    if data.kb is not None and data.language is not None:
        data.matcher = load(lambda: Matcher(data.kb, data.language, config.matcher, concepts=d.concepts,
                                            declines=d.declines))
    # The language file's chat spellings ("u", "pls") are read before each file's own.
    chat = data.language.chat_spellings if data.language is not None else None
    data.safety = load(lambda: load_safety(d.safety or DEFAULT_SAFETY_PATH, chat_spellings=chat))
    data.smalltalk = load(lambda: load_smalltalk(d.smalltalk or DEFAULT_SMALLTALK_PATH, chat_spellings=chat))
    data.languages = load(lambda: load_languages(d.languages or DEFAULT_LANGUAGES_PATH))
    data.cues = load(lambda: load_cues(d.context or DEFAULT_CONTEXT_PATH))
    data.choices = load(load_choices)
    # Their suggestions name the bundled knowledge base's entries: checked against it, and left
    # out where another knowledge base lacks them.
    bundled = {e.id for e in data.kb.entries} if data.kb is not None and d.faq is None else None
    data.feelings = load(lambda: load_feelings(entry_ids=bundled))
    if data.matcher is not None:
        data.declines = load(lambda: load_decline_replies(decline_ids={x.id for x in data.matcher.declines},
                                                          entry_ids=bundled))
    return data
