"""Telegram as a channel (bot/channel.py): a Reply becomes HTML messages with their buttons
(bot/telegram/render.py), with the "Helpful? 👍 👎" row under answers when feedback is wanted."""

from __future__ import annotations

from bot.channel import Channel
from bot.core import Conversation
from bot.feedback import wanted
from bot.replies import Reply
from bot.telegram.render import OutMessage, render


class TelegramChannel(Channel[list[OutMessage]]):
    def __init__(self, conversation: Conversation):
        super().__init__(conversation)
        self.rate_answers = wanted(conversation)   # only when the review record keeps the votes

    def render(self, reply: Reply) -> list[OutMessage]:
        return render(reply, rate=self.rate_answers)
