"""Both adapters implement one channel interface (bot/channel.py): the core's reply, rendered their way."""

from __future__ import annotations

import json

from bot.channel import Channel
from bot.console import ConsoleChannel
from bot.core import Conversation
from bot.replies import Kind
from bot.safety import load_safety
from bot.smalltalk import load_smalltalk
from bot.telegram.channel import TelegramChannel


def test_each_channel_renders_the_same_reply_of_the_core(kb, matcher):
    conversation = Conversation(kb, matcher, load_safety(), load_smalltalk())
    console, lines, telegram = (ConsoleChannel(conversation), ConsoleChannel(conversation, json_lines=True),
                                TelegramChannel(conversation))
    assert all(isinstance(c, Channel) for c in (console, lines, telegram))
    reply, text = console.answer("a", "what are the symptoms?")
    assert reply.kind is Kind.ANSWER and reply.text in text
    assert json.loads(lines.answer("b", "what are the symptoms?")[1])["id"] == reply.entry_id
    _, messages = telegram.answer("c", "what are the symptoms?")
    assert reply.text.split("\n")[0][:40] in messages[0].html
    assert telegram.rate_answers is False   # no review record: no rating row


def test_the_console_answers_its_own_commands_before_the_core(kb, matcher):
    channel = ConsoleChannel(Conversation(kb, matcher, load_safety(), load_smalltalk()))
    reply, _ = channel.answer("a", "/good")
    assert reply.kind is Kind.COMMAND and "review record is off" in reply.text
