"""Which messages are meant for the bot: all in private chats; in groups only mentions and replies."""

from __future__ import annotations

from telegram import Message
from telegram.constants import ChatType, MessageEntityType


def addressed_text(message: Message, bot_id: int, username: str | None) -> str | None:
    """The text meant for the bot (a mention of it removed), "" for non-text, or None if not addressed."""
    text = message.text or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.id == bot_id:
        return text
    if username:
        for entity, value in message.parse_entities([MessageEntityType.MENTION]).items():
            if value.lstrip("@").lower() == username.lower():
                return (text[: entity.offset] + text[entity.offset + entity.length:]).strip()
    return None


def is_command_for_us(message: Message, username: str | None) -> bool:
    """"/topics" or "/topics@this_bot", not "/weather@another_bot"."""
    first = (message.text or "").split(maxsplit=1)[0] if message.text else ""
    if not first.startswith("/"):
        return False
    _, at, target = first.partition("@")
    return not at or (username is not None and target.lower() == username.lower())
