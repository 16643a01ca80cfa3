"""The words that make a clause a question, listed once, with the part each plays.

faq.segment finds the asking clauses with them, faq.analyzer reads what a question asks
("why is this happening?", "what does neuroendocrine mean?") and faq.matcher tells a
question about an everyday thing itself ("what is a hormone?"). Words are as faq.normalize
gives them: lowercase, apostrophes dropped ("what's" -> "whats").
"""

from __future__ import annotations

# Parts a word can play (a column of the table below):
#   opens       a clause opening with it (after "so", "ok", "hi"...) asks
#   after_and   "and", "also" or "but" before it start a new question ("symptoms and is it hereditary")
#   relative    after a comma it opens a relative clause, not a question ("..., which they said is a NET")
#   negative    opening a clause and followed by a verb, not a subject, it is an instruction ("don't tell me")
#   tag         a short clause of these ("is it", "right", "or not") makes the clause before a question
#   wh          a question word that may come before an auxiliary ("why is this happening?")
#   auxiliary   a verb that asks ("does it", "can that")
#   asks_what   with only the disease named, the question asks what it is ("can you explain what a NET is?")
#   what_where, is_are, whats_wheres   "what is", "where are", "what's": asks what a thing itself is
_TABLE = """
what       opens after_and wh asks_what what_where
whats      opens wh asks_what whats_wheres
how        opens after_and wh
hows       opens
why        opens after_and wh
when       opens after_and relative wh
where      opens after_and relative wh what_where
wheres     whats_wheres
which      opens after_and relative
who        opens after_and relative
whose      opens relative
is         opens after_and tag auxiliary is_are
are        opens after_and tag is_are
can        opens after_and tag auxiliary
could      opens after_and tag auxiliary
do         opens after_and tag auxiliary
does       opens after_and tag auxiliary
did        opens auxiliary
will       opens after_and tag auxiliary
would      opens after_and tag auxiliary
should     opens after_and auxiliary
may        opens auxiliary
might      opens auxiliary
has        opens auxiliary
have       opens
was        auxiliary
isnt       opens negative tag auxiliary
arent      opens negative tag
cant       opens negative tag auxiliary
dont       opens negative tag
doesnt     opens negative tag auxiliary
wont       opens negative tag auxiliary
hasnt      auxiliary
wouldnt    tag
any        opens
tell       opens
explain    opens asks_what
describe   opens
define     opens asks_what
mean       asks_what
means      asks_what
meaning    asks_what
wondering  opens
wonder     opens
whether    opens
need       opens
it         tag
they       tag
right      tag
or         tag
not        tag
eh         tag
yeah       tag
no         tag
"""
_PARTS = {word: frozenset(parts) for word, *parts in (line.split() for line in _TABLE.strip().splitlines())}


def _playing(part: str) -> frozenset[str]:
    return frozenset(w for w, parts in _PARTS.items() if part in parts)


OPENERS = _playing("opens")
NEW_QUESTION_AFTER_AND = _playing("after_and")
RELATIVES = _playing("relative")
NEGATIVE_OPENERS = _playing("negative")
TAG_WORDS = _playing("tag")
WH_WORDS = _playing("wh")
AUXILIARIES = _playing("auxiliary")
ASKS_WHAT = _playing("asks_what")
# "what is", "where are", "what's", "where's" (not "what about"): (question word, verb, the two in one)
ASKS_WHAT_A_THING_IS = (_playing("what_where"), _playing("is_are"), _playing("whats_wheres"))
