"""Mask what identifies a person in a message before the review record keeps it.

Fixed shapes first (e-mail addresses, links, @handles, dates, phone numbers, long digit
runs), then the operator's name patterns (review.mask_patterns). Each becomes a placeholder
that still tells a curator what kind of thing was there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Endings that make "word.word" a web address rather than "e.g." or "2.5".
_TLDS = frozenset("com org net gov edu info io co uk ie de fr nl es it ca au nz us ly health".split())
_MONTH = (r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")


def _link_if_known_ending(match: re.Match) -> str:
    host, slash, _ = match.group().partition("/")
    ending = host.rsplit(".", 1)[-1].lower()
    # With a path, any ending of letters (t.me/name); without one, only the known endings.
    return "[link]" if ending in _TLDS or (slash and ending.isalpha() and len(ending) > 1) else match.group()


# Order matters: an address ends like a bare domain, and addresses, links and dates hold
# digits. Each pattern starts only where a word does, so the work stays linear in the text.
_FIXED = (
    (re.compile(r"(?<![\w.+%-])[\w.+%-]+@[\w-]+(?:\.[\w-]+)*"), "[email]"),
    (re.compile(r"(?i)(?:\b(?:https?|ftp)://|(?<![\w.@-])www\.)\S+"), "[link]"),
    (re.compile(r"(?<![\w.@-])[\w-]+(?:\.[\w-]+)+(?:/\S*)?"), _link_if_known_ending),   # mychart.com
    (re.compile(r"(?<![\w@])@\w{3,}"), "[handle]"),
    # A whole date (a birth date identifies): 12/03/1961, 1961-03-12, 3rd of May 1958, 12-Mar-61, March 12, 1961.
    (re.compile(r"(?<![\d/.-])(?:\d{1,2}(?P<sep>[/.-])\d{1,2}(?P=sep)(?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2})(?![\d/])"
                rf"|\b\d{{1,2}}(?i:st|nd|rd|th)?(?:\s+of)?[\s-]+{_MONTH}\.?,?[\s-]+(?:\d{{4}}|'?\d{{2}})\b"
                rf"|\b{_MONTH}\.?\s+\d{{1,2}}(?i:st|nd|rd|th)?,?\s+\d{{4}}\b"), "[date]"),
    # Seven or more digits, perhaps split by spaces, dots, dashes, brackets, after an optional +.
    (re.compile(r"(?<!\w)\+?\(?\d(?:[\s().\-–]{0,3}\d){6,}"), "[phone]"),
    # Five or more digits in a row: record, insurance or card numbers, postcodes.
    (re.compile(r"\d{5,}"), "[number]"),
)
NAME = "[name]"
PLACEHOLDERS = ("[email]", "[link]", "[handle]", "[date]", "[phone]", "[number]", NAME)


class Masker:
    def __init__(self, name_patterns: Iterable[str]):
        self._names = [re.compile(p) for p in name_patterns]  # validated in bot.config

    def mask(self, text: str) -> str:
        for pattern, placeholder in _FIXED:
            text = pattern.sub(placeholder, text)
        for pattern in self._names:
            text = pattern.sub(NAME, text)
        return text
