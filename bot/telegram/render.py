"""Render a core Reply as Telegram messages: HTML with every dynamic text escaped,
split under Telegram's 4 096-character limit, suggestions as inline buttons."""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.replies import Kind, Reply
from bot.telegram.buttons import entry_callback_data, vote_callback_data

MAX_MESSAGE = 4096


def escape(text: str) -> str:
    """What Telegram's HTML mode needs escaped: &, < and > (quotes may stay as typed)."""
    return html.escape(text, quote=False)


@dataclass(frozen=True)
class OutMessage:
    html: str
    keyboard: InlineKeyboardMarkup | None = None


def keyboard(reply: Reply, rate: bool = False) -> InlineKeyboardMarkup | None:
    """One button a suggestion, numbered as the console numbers them, so "reply with a number"
    holds on Telegram too; with ``rate``, a last "Helpful? 👍 👎" row under an answer."""
    rows = [[InlineKeyboardButton(f"{i}. {s.label}", callback_data=entry_callback_data(s.entry_id))]
            for i, s in enumerate(reply.suggestions, 1)]
    if rate and reply.kind is Kind.ANSWER and reply.entry_id:
        votes = ((texts.FEEDBACK_HELPFUL_LABEL, True), (texts.FEEDBACK_UNHELPFUL_LABEL, False))
        rows.append([InlineKeyboardButton(label, callback_data=vote_callback_data(reply.entry_id, helpful))
                     for label, helpful in votes])
    return InlineKeyboardMarkup(rows) if rows else None


def _escaped_chunks(text: str, limit: int) -> list[str]:
    """Escape ``text``, cut into pieces of at most ``limit`` characters at whitespace where possible
    (never inside an HTML entity, since the text is cut before it is escaped)."""
    chunks: list[str] = []
    rest = text
    while rest:
        if len(escape(rest)) <= limit:
            chunks.append(escape(rest))
            break
        # Largest raw prefix whose escaped form fits, then back off to the last space or newline.
        low, high = 1, len(rest)
        while low < high:
            mid = (low + high + 1) // 2
            if len(escape(rest[:mid])) <= limit:
                low = mid
            else:
                high = mid - 1
        cut = max(rest.rfind("\n", 0, low + 1), rest.rfind(" ", 0, low + 1))
        if cut <= low // 2:  # one very long word: cut it hard
            cut = low
        chunks.append(escape(rest[:cut].rstrip()))
        rest = rest[cut:].lstrip()
    return [c for c in chunks if c]


def _blocks(reply: Reply, limit: int) -> list[str]:
    """The reply as HTML paragraphs, each no longer than ``limit``."""
    body = _escaped_chunks(reply.text, limit - 7)
    if reply.kind is Kind.SAFETY and body:
        body[0] = f"<b>{body[0]}</b>"  # emergency guidance stands out
    blocks = [f"<b>{c}</b>" for c in _escaped_chunks(reply.safety_note, limit - 7)] + body
    if reply.source_note:
        blocks += [f"<i>{c}</i>" for c in _escaped_chunks(reply.source_note, limit - 7)]
    if reply.suggestions_title:
        blocks += [f"<b>{c}</b>" for c in _escaped_chunks(reply.suggestions_title, limit - 7)]
    if reply.hint:
        blocks += [f"<i>{c}</i>" for c in _escaped_chunks(reply.hint, limit - 7)]
    return blocks


def render(reply: Reply, limit: int = MAX_MESSAGE, rate: bool = False) -> list[OutMessage]:
    """One or more messages; the buttons go with the last one, so they sit under the whole reply.
    ``rate``: add the answer-feedback row (bot/telegram/feedback.py)."""
    texts: list[str] = []
    for block in _blocks(reply, limit):
        if texts and len(texts[-1]) + 2 + len(block) <= limit:
            texts[-1] = f"{texts[-1]}\n\n{block}"
        else:
            texts.append(block)
    if not texts:
        texts = ["…"]
    markup = keyboard(reply, rate)
    return [OutMessage(t, markup if i == len(texts) - 1 else None) for i, t in enumerate(texts)]
