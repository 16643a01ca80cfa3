"""Answer feedback: a "Helpful? 👍 👎" row under Telegram answers, /good and /bad in the console.

A vote is stored only as (day, entry id, 👍 or 👎) in the review record, so the buttons
show only when review.enabled is on (a button that records nothing would mislead) and
review.feedback_buttons is not switched off.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the console uses this module too, without loading the Telegram library
    from telegram import Update
    from telegram.ext import ContextTypes

    from bot.core import Conversation

log = logging.getLogger("bot.feedback")

CALLBACK_PREFIX = "fb:"        # "fb:+:<entry id>" or "fb:-:<entry id>" (a short hash for long ids)
HELPFUL_LABEL, UNHELPFUL_LABEL = "Helpful? 👍", "👎"
THANKS_HELPFUL = "Thank you! Glad it helped."
THANKS_UNHELPFUL = "Thank you for telling us; we'll use it to improve this answer. Your care team can help too."
ALREADY = "Thanks, you already rated this answer."
NOTHING_TO_RATE = "There is no new answer to rate: /good or /bad rate the answer I just gave."
NOT_RECORDED = "Feedback isn't recorded here (the review record is off)."
CONSOLE_COMMANDS = {"/good": True, "/bad": False}
_MAX_REMEMBERED = 10_000       # rated messages remembered (memory only), so a double tap counts once


def wanted(conversation: Conversation) -> bool:
    return conversation.recorder is not None and conversation.config.review.feedback_buttons


def callback_data(entry_id: str, helpful: bool) -> str:
    """Within Telegram's 64 bytes whatever the id, as the adapter's own buttons are."""
    from bot.telegram.render import entry_callback_data

    return entry_callback_data(entry_id, f"{CALLBACK_PREFIX}{'+' if helpful else '-'}:")


def parse(data: str | None) -> tuple[str, bool] | None:
    """(entry id or its button payload, helpful?) from callback data, or None if it is not a vote."""
    if not data or not data.startswith(CALLBACK_PREFIX) or data[len(CALLBACK_PREFIX):][1:2] != ":":
        return None
    sign, entry_id = data[len(CALLBACK_PREFIX)], data[len(CALLBACK_PREFIX) + 2:]
    if sign not in "+-" or not entry_id:
        return None
    return entry_id, sign == "+"


def record(conversation: Conversation, entry_id: str, helpful: bool) -> str:
    """Store one vote for a known entry; the short thanks to show."""
    if conversation.recorder is None:
        return NOT_RECORDED
    if entry_id in conversation.kb:
        conversation.recorder.vote(entry_id, helpful)
    return THANKS_HELPFUL if helpful else THANKS_UNHELPFUL


def telegram_route(conversation: Conversation):
    """The route the Telegram adapter registers for taps on the feedback row (prefix "fb:");
    like every route it answers its own tap, here with the short thanks as the notice."""
    from telegram.error import TelegramError

    from bot.telegram.render import entry_from_callback

    entry_ids = [e.id for e in conversation.kb.entries]
    rated: OrderedDict[tuple[int, int], None] = OrderedDict()

    async def on_feedback(update: Update, context: ContextTypes.DEFAULT_TYPE, payload: str) -> None:
        query = update.callback_query
        vote = parse(query.data)
        entry_id = entry_from_callback(vote[0], entry_ids) if vote else None
        message = query.message
        key = (message.chat.id, message.message_id) if message else None
        if vote is None or entry_id is None:
            text = NOT_RECORDED
        elif key is not None and key in rated:
            text = ALREADY
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
