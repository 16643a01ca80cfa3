"""What the core answers with: one reply object that each adapter renders its own way."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from faq.matcher import MatchResult


# How many related topics an answer offers under it (a plain answer, "both", "tell me more").
RELATED_SHOWN = 3


class Kind(str, Enum):
    ANSWER = "answer"
    CLARIFY = "clarify"
    FALLBACK = "fallback"
    SMALLTALK = "smalltalk"
    FEELING = "feeling"         # a feeling met with a warm line and what the bot can help with (no question)
    SAFETY = "safety"
    COMMAND = "command"


@dataclass(frozen=True)
class Suggestion:
    entry_id: str
    label: str      # the entry's topic; sending it back asks for that entry


@dataclass(frozen=True)
class Reply:
    kind: Kind
    text: str                                   # plain text, no markup; adapters escape and style it
    entry_id: str | None = None
    score: float | None = None
    suggestions: tuple[Suggestion, ...] = ()
    suggestions_title: str = ""                 # the line introducing the suggestions
    source_note: str = ""                       # "Source: ..." under an answer
    hint: str = ""                              # a last line on what to do next
    context: str | None = None                  # how the last turn was used: None, "followup", "correction", "more",
                                                # "choice" (a pick from what the last reply offered)
    language: str | None = None                 # the message's language when it was not English (ISO 639-1)
    safety_note: str = ""                       # a safety line above the reply ("If you have chest pain now…")
    tier: str | None = None                     # safety: "emergency", "crisis" or "check-in" (a line above the reply)
    hedged: bool = False                        # an answer the matcher was not sure of ("I think you're asking about")
    reasons: tuple[str, ...] = ()               # the features that weighed most in the decision, for curators
    decline: str | None = None                  # the uncovered topic declined (faq/data/declines.yaml id)
    feeling: str | None = None                  # the feeling met first ("fear"...): its line opens ``text``
    also_ids: tuple[str, ...] = ()              # more entries answered in the same reply ("both"), after entry_id
    # The matcher's result this reply came from (None for picks, commands, small talk...),
    # for the review record; adapters do not show it.
    match: MatchResult | None = field(default=None, compare=False, repr=False)

    def plain(self) -> str:
        """The whole reply as a user reads it in plain text, numbered suggestions included."""
        parts = [self.safety_note, self.text] if self.safety_note else [self.text]
        if self.source_note:
            parts.append(self.source_note)
        if self.suggestions:
            lines = [self.suggestions_title] if self.suggestions_title else []
            lines += [f"{i}. {s.label}" for i, s in enumerate(self.suggestions, 1)]
            parts.append("\n".join(lines))
        if self.hint:
            parts.append(self.hint)
        return "\n\n".join(parts)
