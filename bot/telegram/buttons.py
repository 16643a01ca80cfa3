"""Telegram's button data: what a tap sends back, within Telegram's 64 bytes.

"e:<entry id>" (or "e:#<hash>" for long ids) asks for that FAQ entry; "fb:+:<entry id>" and
"fb:-:<entry id>" rate an answer (bot/telegram/feedback.py). bot/telegram/handlers.py routes taps
by these prefixes.
"""

from __future__ import annotations

import hashlib

MAX_CALLBACK_DATA = 64   # bytes, Telegram's limit
CALLBACK_PREFIX = "e:"   # picks an FAQ entry
FEEDBACK_PREFIX = "fb:"  # rates an answer
_HASH_MARK = "#"


def _short_hash(entry_id: str) -> str:
    return hashlib.sha256(entry_id.encode()).hexdigest()[:20]


def entry_callback_data(entry_id: str, prefix: str = CALLBACK_PREFIX) -> str:
    """``prefix`` and the entry's id when that fits Telegram's 64 bytes (readable, and what older
    buttons carry), else ``prefix`` and a short hash of it, mapped back by ``entry_from_callback``."""
    data = f"{prefix}{entry_id}"
    if len(data.encode()) <= MAX_CALLBACK_DATA and not entry_id.startswith(_HASH_MARK):
        return data
    return f"{prefix}{_HASH_MARK}{_short_hash(entry_id)}"


def entry_from_callback(payload: str, entry_ids) -> str | None:  # noqa: ANN001
    """The entry id a button's payload (the data after the prefix) names, among ``entry_ids``."""
    if payload.startswith(_HASH_MARK):
        wanted = payload[len(_HASH_MARK):]
        return next((e for e in entry_ids if _short_hash(e) == wanted), None)
    return payload if payload in entry_ids else None


def vote_callback_data(entry_id: str, helpful: bool) -> str:
    """A rating button's data, within Telegram's 64 bytes whatever the id, as the entry buttons are."""
    return entry_callback_data(entry_id, f"{FEEDBACK_PREFIX}{'+' if helpful else '-'}:")


def parse_vote(data: str | None) -> tuple[str, bool] | None:
    """(entry id or its button payload, helpful?) from callback data, or None if it is not a vote."""
    if not data or not data.startswith(FEEDBACK_PREFIX) or data[len(FEEDBACK_PREFIX):][1:2] != ":":
        return None
    sign, entry_id = data[len(FEEDBACK_PREFIX)], data[len(FEEDBACK_PREFIX) + 2:]
    if sign not in "+-" or not entry_id:
        return None
    return entry_id, sign == "+"
