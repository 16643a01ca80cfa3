"""Mask what identifies a person in a message before the review record keeps it.

Fixed shapes first (links, e-mail addresses, @handles, phone numbers, long digit runs),
then the operator's name patterns (review.mask_patterns). Each becomes a placeholder
that still tells a curator what kind of thing was there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Order matters: an address ends like a bare domain, and addresses and links hold digits.
_FIXED = (
    (re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"(?i)\b(?:https?://|ftp://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|uk|de|fr|io|info|co)"
                r"(?:/\S*)?(?![\w.@-])"), "[link]"),
    (re.compile(r"(?<![\w@])@\w{3,}"), "[handle]"),
    # Seven or more digits, perhaps split by spaces, dots, dashes, brackets, after an optional +.
    (re.compile(r"(?<!\w)\+?\(?\d(?:[\s().-]{0,2}\d){6,}"), "[phone]"),
    # Five or more digits in a row: record, insurance or card numbers, postcodes.
    (re.compile(r"\d{5,}"), "[number]"),
)
NAME = "[name]"


class Masker:
    def __init__(self, name_patterns: Iterable[str]):
        self._names = [re.compile(p) for p in name_patterns]  # validated in bot.config

    def mask(self, text: str) -> str:
        for pattern, placeholder in _FIXED:
            text = pattern.sub(placeholder, text)
        for pattern in self._names:
            text = pattern.sub(NAME, text)
        return text
