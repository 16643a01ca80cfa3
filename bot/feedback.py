"""Answer feedback, whatever the channel: a vote is stored only as (day, entry id, 👍 or 👎) in the
review record. Telegram's "Helpful? 👍 👎" row is bot/telegram/feedback.py; the console's /good and
/bad are bot/console.py.

The buttons show only when review.enabled is on (a button that records nothing would mislead) and
review.feedback_buttons is not switched off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import texts

if TYPE_CHECKING:
    from bot.core import Conversation

CONSOLE_COMMANDS = {"/good": True, "/bad": False}


def wanted(conversation: Conversation) -> bool:
    return conversation.recorder is not None and conversation.config.review.feedback_buttons


def record(conversation: Conversation, entry_id: str, helpful: bool) -> str:
    """Store one vote for a known entry; the short thanks to show."""
    if conversation.recorder is None:
        return texts.FEEDBACK_NOT_RECORDED
    if entry_id in conversation.kb:
        conversation.recorder.vote(entry_id, helpful)
    return texts.FEEDBACK_THANKS_HELPFUL if helpful else texts.FEEDBACK_THANKS_UNHELPFUL
