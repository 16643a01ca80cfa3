"""The conversation core: (chat id, text) -> Reply. Both adapters call only ``handle``."""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, replace

from bot import texts
from bot.config import BotConfig
from bot.context import (CORRECTION, DEFAULT_CONTEXT_PATH, MORE, ContextReader, Cues, Memory, load_cues,
                         more_reply, page_sections)
from bot.languages import DEFAULT_LANGUAGES_PATH, ForeignHit, Languages, load_languages
from bot.replies import Kind, Reply, Suggestion
from bot.review import ReviewRecorder
from bot.safety import DEFAULT_SAFETY_PATH, SafetyCheck, load_safety
from bot.smalltalk import DEFAULT_SMALLTALK_PATH, SmallTalk, load_smalltalk
from faq.language import DEFAULT_LANGUAGE_PATH, load_language, words
from faq.loader import DEFAULT_FAQ_PATH, load_knowledge_base
from faq.matcher import Matcher, MatchResult, Outcome, bounded
from faq.model import Entry, KnowledgeBase

_COMMAND_RE = re.compile(r"^/([A-Za-z0-9_]+)(?:@\S+)?(?:\s|$)")
_NUMBER_RE = re.compile(r"^\s*#?(\d{1,3})\s*[.)]?\s*$")
SAFETY_MAX_CHARS = 8192   # two full Telegram messages; a few milliseconds to check
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
    suggestions: tuple[str, ...] = ()   # entry ids offered last, in the order shown
    memory: Memory = Memory()           # last answered entry and last question (bot/context.py)


class Conversation:
    def __init__(self, kb: KnowledgeBase, matcher: Matcher, safety: SafetyCheck, smalltalk: SmallTalk,
                 config: BotConfig | None = None, recorder: ReviewRecorder | None = None,
                 languages: Languages | None = None, cues: Cues | None = None):
        self.kb = kb
        self.matcher = matcher
        self.safety = safety
        self.smalltalk = smalltalk
        self.config = config or BotConfig()
        self._chats: OrderedDict[str, _ChatState] = OrderedDict()
        self._by_label = {" ".join(words(e.topic)): e.id for e in kb.entries}
        self.recorder = recorder   # the opt-in review record (review.enabled), else None
        # The FAQ's own words count as English too ("tumor", "neuroendocrine").
        self.languages = (languages or load_languages()).with_vocabulary(
            w for e in kb.entries for t in (e.topic, e.answer, *e.questions) for w in words(t))
        self.context = ContextReader(cues or load_cues(), self.config.matcher.clarify_threshold)
        self._sections = page_sections(kb)

    @classmethod
    def from_config(cls, config: BotConfig) -> Conversation:
        """Load every data file the config names (or the bundled ones); DataFileError on problems."""
        d = config.data
        kb = load_knowledge_base(d.faq or DEFAULT_FAQ_PATH)
        matcher = Matcher(kb, load_language(d.language or DEFAULT_LANGUAGE_PATH), config.matcher,
                          concepts=d.concepts, declines=d.declines)
        safety = load_safety(d.safety or DEFAULT_SAFETY_PATH)
        smalltalk = load_smalltalk(d.smalltalk or DEFAULT_SMALLTALK_PATH)
        languages = load_languages(d.languages or DEFAULT_LANGUAGES_PATH)
        cues = load_cues(d.context or DEFAULT_CONTEXT_PATH)
        # Opened last, so a bad data file creates no database (StorageError on problems).
        recorder = (ReviewRecorder.open(config.storage.path, config.review, d.masking)
                    if config.review.enabled else None)
        return cls(kb, matcher, safety, smalltalk, config, recorder, languages=languages, cues=cues)

    # -- the one entry point ---------------------------------------------------
    def handle(self, chat_id: str | int, text: str) -> Reply:
        reply = self._safety_first(str(chat_id), text)
        if self.recorder is not None:
            self.recorder.observe(str(chat_id), text, reply)
        return reply

    def _safety_first(self, chat: str, text: str) -> Reply:
        raw = text if isinstance(text, str) else ""
        # Everything below reads a bounded prefix: a 100 kB message costs what a long one does.
        text = bounded(raw, self.config.matcher.max_input_chars)
        if not text.strip():
            return Reply(Kind.SMALLTALK, texts.EMPTY)
        # Safety reads the whole text first, commands included ("/help my husband is unconscious"),
        # and further than the matcher: an emergency at the end of a long story still counts.
        hit = self.safety.check(bounded(raw, SAFETY_MAX_CHARS))
        if hit and not hit.general:
            self._chats.pop(chat, None)  # a number sent next must not pick an FAQ answer
            return self._safety(hit.category)
        foreign = self.languages.safety_check(raw)   # right after the English check: same rule, other words
        if foreign:
            self._chats.pop(chat, None)
            return self._foreign_safety(foreign)
        reply = self._reply(chat, text)
        if hit:  # a general question about a serious symptom: one safety line, then the answer
            e = self.config.emergency   # a crisis long past ("self-harmed as a teenager"): the crisis line
            reply = replace(reply, safety_note=e.crisis_text if hit.category == "crisis"
                            else e.note_text.replace("{symptom}", hit.say))
        return reply

    def _reply(self, chat: str, text: str) -> Reply:
        command = _COMMAND_RE.match(text.strip())
        if command:
            name, rest = command.group(1).lower(), text.strip()[command.end():]
            if name not in COMMANDS or not words(rest):
                return self._remember(chat, self._command(name))
            text = rest  # "/start what kinds of NET are there": the question is what gets answered
        picked = self._pick(chat, text)
        if picked is not None:
            question = (self.kb.get(picked.entry_id).topic,) if picked.entry_id else ()
            return self._remember(chat, picked, question)
        small = self.smalltalk.split(text)
        if small.only_small_talk:
            return Reply(Kind.SMALLTALK, self.smalltalk.reply(small.intents[0]))
        language = self.languages.not_english(text)
        if language:
            return self._english_only(language)
        # Next to small talk, the question is what gets answered ("hi! is it hereditary?").
        return self._read(chat, small.question if small.intents else text)

    # -- pieces ----------------------------------------------------------------
    def _remember(self, chat: str, reply: Reply, question: tuple[str, ...] = (),
                  rejected: tuple[str, ...] = ()) -> Reply:
        """Keep the suggestions just shown so "2" picks the second, and what was last asked and
        answered (bot/context.py); bounded, least recent dropped."""
        state = self._chats.get(chat) or _ChatState()
        memory = state.memory
        if question and reply.context != MORE:
            answered = reply.entry_id if reply.kind is Kind.ANSWER else memory.last_entry
            memory = Memory(answered, question, rejected)
        suggestions = tuple(s.entry_id for s in reply.suggestions) if reply.suggestions else state.suggestions
        if reply.suggestions or memory != state.memory:
            self._chats[chat] = _ChatState(suggestions, memory)
            self._chats.move_to_end(chat)
            while len(self._chats) > self.config.conversation.max_chats:
                self._chats.popitem(last=False)
        return reply

    def _read(self, chat: str, text: str) -> Reply:
        """Match the message, alone or with the last turn (bot/context.py decides and says which)."""
        state = self._chats.get(chat)
        reading = self.context.read(text, state.memory if state else None, self.matcher.match)
        if reading.context == MORE:
            reply = more_reply(self.kb, self.kb.get(reading.more_entry), self._sections)
        else:
            reply = replace(self._from_match(reading.result), context=reading.context)
            if reading.context == CORRECTION and reply.kind is Kind.CLARIFY:
                reply = replace(reply, text=texts.CORRECTION_CLARIFY)
            elif reading.context == CORRECTION and reply.kind is Kind.FALLBACK and not reading.result.uncovered_topic:
                reply = replace(reply, text=texts.CORRECTION_FALLBACK)
        return self._remember(chat, reply, reading.question, reading.rejected)

    def _english_only(self, code: str) -> Reply:
        lang = self.languages.language(code)
        text = texts.ENGLISH_ONLY + (f"\n\n{lang.english_only}" if lang else "")
        return Reply(Kind.FALLBACK, text, language=code)

    def _foreign_safety(self, hit: ForeignHit) -> Reply:
        lang = hit.language
        lines = [lang.crisis_line, lang.emergency_line] if hit.category == "crisis" else [lang.emergency_line]
        reply = self._safety(hit.category)
        return replace(reply, text="\n\n".join([reply.text, *lines]), language=lang.code)

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
        return replace(self._match_reply(result), match=result)  # the review record reads it

    def _match_reply(self, result: MatchResult) -> Reply:
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
        return Reply(Kind.SAFETY, "\n\n".join([*lines, texts.SAFETY_TAIL]),
                     safety_tier="crisis" if category == "crisis" else "emergency")

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
