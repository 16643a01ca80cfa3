"""``python -m bot check --config FILE``: what an operator runs before a restart.

Loads the config (already done by the caller) and every data file the bot loads, with the config's
own paths and the same loaders as start-up, and lists every problem at once, each naming its file,
entry and field. A file that cannot be read leaves out the checks that need it (the matcher needs the
knowledge base and its language); every other file is still checked.
"""

from __future__ import annotations

from bot.config import BotConfig
from bot.core import Conversation
from bot.loading import collecting, load_bot_data
from bot.masking import DEFAULT_MASKING_PATH, load_rules
from faq.classifier import DEFAULT_MODEL_PATH
from faq.corpus import DEFAULT_CORPUS_DIR
from faq.model_check import check_model
from faq.yamlfile import DataFileError


def check(config: BotConfig) -> int:
    """Summarise every data file the bot loads; DataFileError listing all problems when any is broken."""
    data = load_bot_data(config, collect=True)
    problems = data.problems
    if data.matcher is not None:
        problems.extend(data.matcher.problems())
    masking = collecting(problems, lambda: load_rules(config.data.masking or DEFAULT_MASKING_PATH))
    model = None
    if data.matcher is not None:
        model = collecting(problems, lambda: check_model(DEFAULT_MODEL_PATH, DEFAULT_CORPUS_DIR,
                                                          {e.id for e in data.kb.entries},
                                                          {x.id for x in data.matcher.declines}))
    if problems:
        raise DataFileError(problems)
    conversation = Conversation(data.kb, data.matcher, data.safety, data.smalltalk, config,
                                languages=data.languages, cues=data.cues, choices=data.choices,
                                feelings=data.feelings, declines=data.declines)
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
