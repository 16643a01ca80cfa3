"""Sending replies: rendered HTML messages, retried through transient Bot API failures.

One layer retries: this one (bot/telegram/retry.py), for 5xx, timeouts, refused
connections and 429 alike, within ``telegram.send_retry_seconds``. AIORateLimiter only
paces requests under Telegram's caps (max_retries=0), so retries never stack. A reply
that still cannot be sent raises ReplyNotSent; the error handler logs it by update_id and
the update stays pending in the inbox for the next start.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from telegram import Bot, ReplyParameters
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter

from bot.replies import Reply
from bot.telegram.render import escape, render
from bot.telegram.retry import GaveUp, with_retries

log = logging.getLogger("bot.telegram")


class ReplyNotSent(Exception):
    """A reply could not be sent after retries, or the bot stopped first; keep the update pending."""


class MessageRateLimiter(AIORateLimiter):
    """AIORateLimiter pacing messages only; it never retries (the Sender does).

    The typing action is cosmetic and does not spend the budget: counting it would halve
    the replies a second the bot can send under Telegram's cap.
    """

    def __init__(self) -> None:
        super().__init__(max_retries=0)
        # Its only records are about its own retries, which are off: one traceback per 429.
        # The Sender logs each 429 it retries in one line.
        logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        if endpoint in ("sendChatAction", "answerCallbackQuery"):
            return await callback(*args, **kwargs)
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


class Sender:
    def __init__(self, retry_seconds: float, stop: asyncio.Event, rate_answers: bool = False,
                 on_retry: Callable[[], None] | None = None):
        self.retry_seconds = retry_seconds
        self.stop = stop
        self.rate_answers = rate_answers   # the "Helpful? 👍 👎" row under answers (bot/feedback.py)
        self.on_retry = on_retry           # counts retries (bot/metrics.py)

    async def reply(self, bot: Bot, chat_id: int, reply: Reply, reply_to: int | None) -> None:
        for i, out in enumerate(render(reply, rate=self.rate_answers)):
            await self.html(bot, chat_id, out.html, out.keyboard, reply_to if i == 0 else None)

    async def text(self, bot: Bot, chat_id: int, text: str, reply_to: int | None) -> None:
        await self.html(bot, chat_id, escape(text), None, reply_to)

    async def html(self, bot: Bot, chat_id: int, html_text: str, keyboard, reply_to: int | None) -> None:
        # Parse mode, link previews and "send even if the replied-to message is gone" come from Defaults.
        async def send():
            return await bot.send_message(chat_id, html_text, reply_markup=keyboard,
                                          reply_parameters=ReplyParameters(reply_to) if reply_to else None)
        try:
            await with_retries("sending a reply", send, self.retry_seconds, self.stop, on_retry=self.on_retry)
        except GaveUp as exc:
            raise ReplyNotSent(str(exc)) from exc

    async def typing(self, bot: Bot, chat_id: int) -> None:
        try:
            await bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as exc:  # cosmetic: never worth delaying the answer
            log.debug("typing action failed: %s", type(exc).__name__)
