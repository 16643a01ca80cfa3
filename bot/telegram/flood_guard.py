"""Flood control as python-telegram-bot does it: a TypeHandler in group -1 that runs before
every other handler and raises ApplicationHandlerStop to drop an update.

Typed messages are timed by their date (when the patient wrote them), so a backlog
after an outage is not mistaken for a flood. Typed messages and button taps have
separate budgets: a tap is one quick interaction
and must never be muted by a limit meant for typed floods, so taps get their own, three
times larger, budget. Every tap, dropped or not, gets answerCallbackQuery so its spinner
stops.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes, TypeHandler

from bot import metrics, texts
from bot.config import FloodSettings
from bot.flood import FloodControl, Verdict
from bot.log_setup import pseudonym
from bot.telegram.addressing import addressed_text, is_command_for_us
from bot.telegram.chat_locks import ChatLocks
from bot.telegram.sending import Sender

log = logging.getLogger("bot.telegram")

TAP_BUDGET_FACTOR = 3


async def answer_callback(update: Update, text: str | None = None) -> None:
    """Stop a button's spinner; best effort, never retried (it expires by itself)."""
    try:
        await update.callback_query.answer(text)
    except TelegramError as exc:
        log.warning("could not answer a button tap (update %s): %s", update.update_id, type(exc).__name__)


class FloodGuard:
    def __init__(self, settings: FloodSettings, sender: Sender, locks: ChatLocks):
        self.typed = FloodControl(settings)
        self.taps = FloodControl(replace(settings, messages=settings.messages * TAP_BUDGET_FACTOR))
        self.sender = sender
        self.locks = locks

    def handler(self) -> TypeHandler:
        return TypeHandler(Update, self.check)

    @staticmethod
    def _counts(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        """Only messages the bot would answer count: group chatter it ignores does not."""
        message = update.message  # edited messages are ignored anyway
        if message is None:
            return False
        if message.chat.type == ChatType.PRIVATE:
            return True
        username = context.bot.username
        return addressed_text(message, context.bot.id, username) is not None or is_command_for_us(message, username)

    async def check(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        chat = update.effective_chat
        if update.callback_query is not None:
            if self.taps.check(user.id if user else "-") is Verdict.ALLOW:
                return
            log.info("%s tap dropped (flood)", pseudonym(user.id if user else None))
            metrics.flood_drop("tap")
            await answer_callback(update, texts.TAP_NOTICE)
            raise ApplicationHandlerStop
        if not self._counts(update, context):
            return
        # When it was written, not when it arrived: a backlog delivered at once after an outage
        # (or replayed from the inbox) is not a flood, unless it was typed as one.
        verdict = self.typed.check(user.id if user else chat.id, update.message.date.timestamp())
        if verdict is Verdict.ALLOW:
            return
        who = pseudonym(user.id if user else None)
        metrics.flood_drop("message")
        if verdict is Verdict.NOTIFY:
            log.info("%s flood notice", who)
            reply_to = update.message.message_id if chat.type != ChatType.PRIVATE else None
            await self.locks.run(chat.id, lambda: self.sender.text(context.bot, chat.id, texts.FLOOD_NOTICE, reply_to))
        else:
            log.info("%s message dropped (flood)", who)
        raise ApplicationHandlerStop
