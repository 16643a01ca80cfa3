"""The one interface every platform the bot speaks on implements: receive -> Conversation.handle -> render.

A channel receives what its platform delivers and turns it into (chat id, text); ``answer`` asks the
conversation core for the Reply and ``render`` turns it into what the platform shows (console text,
a JSON line, Telegram HTML messages with buttons); the channel then sends that its own way.
``reply_to`` is where a channel adds commands of its own before the core (the console's /good and /bad).

Adding a platform (a web page, WhatsApp) means one package (``bot/<platform>/``, with its Channel),
one subcommand in ``bot/__main__.py`` and one settings class in ``bot/config.py``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from bot.core import Conversation
    from bot.replies import Reply

Out = TypeVar("Out")


class Channel(ABC, Generic[Out]):
    def __init__(self, conversation: Conversation):
        self.conversation = conversation

    def reply_to(self, chat_id: str | int, text: str) -> Reply:
        """The core's reply; a channel with commands of its own answers them here first."""
        return self.conversation.handle(chat_id, text)

    @abstractmethod
    def render(self, reply: Reply) -> Out:
        """The reply as this platform shows it."""

    def answer(self, chat_id: str | int, text: str) -> tuple[Reply, Out]:
        reply = self.reply_to(chat_id, text)
        return reply, self.render(reply)
