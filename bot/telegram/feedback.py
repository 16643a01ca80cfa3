"""The route for taps on Telegram's "Helpful? 👍 👎" row under answers (its button data is
bot/telegram/buttons.py's, what a vote stores bot/feedback.py's)."""

from __future__ import annotations

import logging
from collections import OrderedDict

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import texts
from bot.core import Conversation
from bot.feedback import record
from bot.telegram.buttons import entry_from_callback, parse_vote

log = logging.getLogger("bot.feedback")

_MAX_REMEMBERED = 10_000       # rated messages remembered (memory only), so a double tap counts once


def telegram_route(conversation: Conversation):
    """The route the Telegram adapter registers for taps on the feedback row (prefix "fb:");
    registered by bot/telegram/handlers.py; like every route it answers its own tap, here with the short thanks as the notice."""
    entry_ids = [e.id for e in conversation.kb.entries]
    rated: OrderedDict[tuple[int, int], None] = OrderedDict()

    async def on_feedback(update: Update, context: ContextTypes.DEFAULT_TYPE, payload: str) -> None:
        query = update.callback_query
        vote = parse_vote(query.data)
        entry_id = entry_from_callback(vote[0], entry_ids) if vote else None
        message = query.message
        key = (message.chat.id, message.message_id) if message else None
        if vote is None or entry_id is None:
            text = texts.FEEDBACK_NOT_RECORDED
        elif key is not None and key in rated:
            text = texts.FEEDBACK_ALREADY
        else:
            text = record(conversation, entry_id, vote[1])
            if key is not None:
                rated[key] = None
                while len(rated) > _MAX_REMEMBERED:
                    rated.popitem(last=False)
        try:
            await query.answer(text)  # a brief notice on the user's screen, nothing added to the chat
        except TelegramError as exc:
            log.warning("could not answer the feedback tap: %s", type(exc).__name__)

    return on_feedback
