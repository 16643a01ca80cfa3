"""The conversation core: (chat id, text) -> Reply. Both adapters call only ``handle``."""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from bot import texts
from bot.config import BotConfig
from bot.replies import Kind, Reply, Suggestion
from bot.safety import DEFAULT_SAFETY_PATH, SafetyCheck, load_safety
from bot.smalltalk import DEFAULT_SMALLTALK_PATH, SmallTalk, load_smalltalk
from faq.language import DEFAULT_LANGUAGE_PATH, load_language, words
from faq.loader import DEFAULT_FAQ_PATH, load_knowledge_base
from faq.matcher import Matcher, MatchResult, Outcome, bounded
from faq.model import Entry, KnowledgeBase

_COMMAND_RE = re.compile(r"^/([A-Za-z0-9_]+)(?:@\S+)?(?:\s|$)")
_NUMBER_RE = re.compile(r"^\s*#?(\d{1,3})\s*[.)]?\s*$")
# Answers to a one-option "Did you mean" (normalised words).
_YES = frozenset({"yes", "yeah", "yep", "yup", "ya", "yes please", "that one", "yes that one", "correct", "right",
                  "thats right", "thats it", "exactly", "ok", "okay", "sure", "y"})
_NO = frozenset({"no", "nope", "nah", "no thanks", "not that", "not that one", "wrong", "n"})
COMMANDS = {
    "start": "Start here: what this bot is",
    "help": "How to ask questions",
    "topics": "Everything I can answer",
    "about": "Where the answers come from",
}


@dataclass(frozen=True)
class _ChatState:
    suggestions: tuple[str, ...]   # entry ids offered last, in the order shown


class Conversation:
    def __init__(self, kb: KnowledgeBase, matcher: Matcher, safety: SafetyCheck, smalltalk: SmallTalk,
                 config: BotConfig | None = None):
        self.kb = kb
        self.matcher = matcher
        self.safety = safety
        self.smalltalk = smalltalk
        self.config = config or BotConfig()
        self._chats: OrderedDict[str, _ChatState] = OrderedDict()
        self._by_label = {" ".join(words(e.topic)): e.id for e in kb.entries}

    @classmethod
    def from_config(cls, config: BotConfig) -> Conversation:
        """Load every data file the config names (or the bundled ones); DataFileError on problems."""
        d = config.data
        kb = load_knowledge_base(d.faq or DEFAULT_FAQ_PATH)
        matcher = Matcher(kb, load_language(d.language or DEFAULT_LANGUAGE_PATH), config.matcher)
        return cls(kb, matcher, load_safety(d.safety or DEFAULT_SAFETY_PATH),
                   load_smalltalk(d.smalltalk or DEFAULT_SMALLTALK_PATH), config)

    # -- the one entry point ---------------------------------------------------
    def handle(self, chat_id: str | int, text: str) -> Reply:
        chat = str(chat_id)
        # Everything below reads a bounded prefix: a 100 kB message costs what a long one does.
        text = bounded(text if isinstance(text, str) else "", self.config.matcher.max_input_chars)
        if not text.strip():
            return Reply(Kind.SMALLTALK, texts.EMPTY)
        command = _COMMAND_RE.match(text.strip())
        if command:
            return self._remember(chat, self._command(command.group(1).lower()))
        hit = self.safety.check(text)
        if hit:
            self._chats.pop(chat, None)  # a number sent next must not pick an FAQ answer
            return self._safety(hit.category)
        picked = self._pick(chat, text)
        if picked is not None:
            return self._remember(chat, picked)
        small = self.smalltalk.reply_for(text)
        if small:
            return Reply(Kind.SMALLTALK, small[1])
        return self._remember(chat, self._from_match(self.matcher.match(text)))

    # -- pieces ----------------------------------------------------------------
    def _remember(self, chat: str, reply: Reply) -> Reply:
        """Keep the suggestions just shown so "2" picks the second; bounded, least recent dropped."""
        if reply.suggestions:
            self._chats[chat] = _ChatState(tuple(s.entry_id for s in reply.suggestions))
            self._chats.move_to_end(chat)
            while len(self._chats) > self.config.conversation.max_chats:
                self._chats.popitem(last=False)
        return reply

    def _pick(self, chat: str, text: str) -> Reply | None:
        number = _NUMBER_RE.match(text)
        if number:
            state = self._chats.get(chat)
            if state is None:
                return None
            n = int(number.group(1))
            if 1 <= n <= len(state.suggestions):
                return self._answer(self.kb.get(state.suggestions[n - 1]), None)
            return Reply(Kind.CLARIFY, texts.PICK_OUT_OF_RANGE.format(count=len(state.suggestions)),
                         suggestions=self._suggestions(state.suggestions))
        said = " ".join(words(text))
        state = self._chats.get(chat)
        if state is not None and len(state.suggestions) == 1 and (said in _YES or said in _NO):
            # A yes or no to the one option offered.
            self._chats.pop(chat, None)
            if said in _YES:
                return self._answer(self.kb.get(state.suggestions[0]), None)
            return Reply(Kind.SMALLTALK, texts.CONFIRM_NO)
        entry_id = self._by_label.get(said)
        if entry_id:  # the text of a suggestion (a tapped button, or typed out)
            return self._answer(self.kb.get(entry_id), 100.0)
        return None

    def _suggestions(self, ids) -> tuple[Suggestion, ...]:
        return tuple(Suggestion(i, self.kb.get(i).topic) for i in ids)

    def _answer(self, entry: Entry, score: float | None, hedged: bool = False,
                also: str | None = None) -> Reply:
        src = self.kb.source
        text = f"{texts.HEDGE.format(topic=entry.topic)}\n\n{entry.answer}" if hedged else entry.answer
        if also:  # a second question in the message: offered alone, so "1" picks it
            suggestions, title = self._suggestions([also]), texts.SECOND_QUESTION_TITLE
        else:
            suggestions, title = self._suggestions(entry.related[:3]), texts.RELATED_TITLE
        return Reply(Kind.ANSWER, text, entry.id, score, suggestions=suggestions, suggestions_title=title,
                     source_note=texts.SOURCE_NOTE.format(publisher=src.publisher, title=src.title))

    def _from_match(self, result: MatchResult) -> Reply:
        if result.outcome is Outcome.ANSWER:
            also = result.secondary.entry_id if result.secondary else None
            return self._answer(self.kb.get(result.entry_id), result.score, result.hedged, also)
        ids = [c.entry_id for c in result.candidates]
        if result.outcome is Outcome.CLARIFY:
            return Reply(Kind.CLARIFY, texts.CLARIFY, None, result.score,
                         suggestions=self._suggestions(ids), hint=texts.CLARIFY_HINT)
        if not ids:
            ids = self._starters()
        opening = (texts.FALLBACK_UNCOVERED.format(topic=result.uncovered_topic) if result.uncovered_topic
                   else texts.FALLBACK)
        return Reply(Kind.FALLBACK, f"{opening} {texts.FALLBACK_CARE_TEAM}", None, result.score,
                     suggestions=self._suggestions(ids), suggestions_title=texts.FALLBACK_TITLE,
                     hint=texts.FALLBACK_HINT)

    def _starters(self) -> list[str]:
        """Where a newcomer is best started: the overview and its related entries."""
        first = self.kb.entries[0]
        return [first.id, *first.related][: self.config.matcher.max_suggestions]

    def _safety(self, category: str) -> Reply:
        e = self.config.emergency
        lines = [e.crisis_text, e.call_text] if category == "crisis" else [e.call_text]
        return Reply(Kind.SAFETY, "\n\n".join([*lines, texts.SAFETY_TAIL]))

    def _command(self, name: str) -> Reply:
        src = self.kb.source
        if name == "start":
            return Reply(Kind.COMMAND, texts.START, suggestions=self._suggestions(self._starters()),
                         suggestions_title=texts.START_SUGGESTIONS_TITLE)
        if name == "help":
            return Reply(Kind.COMMAND, texts.HELP)
        if name == "topics":
            return Reply(Kind.COMMAND, texts.TOPICS_TEXT, suggestions=self._suggestions(e.id for e in self.kb.entries))
        if name == "about":
            return Reply(Kind.COMMAND, texts.ABOUT.format(publisher=src.publisher, title=src.title, url=src.url,
                                                          retrieved=src.retrieved))
        return Reply(Kind.COMMAND, f"{texts.UNKNOWN_COMMAND.format(command='/' + name)}\n\n{texts.HELP}")
