"""The conversation core: (chat id, text) -> Reply. Both adapters call only ``handle``."""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, replace

from bot import texts
from bot.choices import ALL, ASKED, CLARIFY, LIST, NONE, PICK, Choice, Choices, Offer, load_choices
from bot.config import BotConfig
from bot.context import (CORRECTION, FOLLOWUP, MORE, ContextReader, Cues, Memory, load_cues,
                         more_reply, page_sections)
from bot.declines import DeclineReplies, load_decline_replies
from bot.feelings import FeelingLexicon, FeelingReader, load_feelings
from bot.languages import ForeignHit, ForeignLanguage, Languages, load_languages
from bot.loading import load_bot_data   # the one list of data files, shared with `bot check`
from bot.replies import RELATED_SHOWN, Kind, Reply, Suggestion
from bot.review import ReviewRecorder
from bot.safety import SafetyCheck
from bot.safety_net import CHECK_IN, CRISIS, EMERGENCY, FULL, SafetyNet
from bot.smalltalk import SmallTalk, SmallTalkReader, SmallTalkSplit
from faq.concepts import CONCEPT_MARK, concept_token
from faq.language import words
from faq.matcher import Matcher, MatchResult, Outcome, bounded
from faq.model import Entry, KnowledgeBase
from faq.question_words import OPENERS

_FEELINGS_KEPT = 12   # feelings a chat remembers, for taking their lines in turn
_COMMAND_RE = re.compile(r"^/([A-Za-z0-9_]+)(?:@\S+)?(?:\s|$)")
SAFETY_MAX_CHARS = 8192   # two full Telegram messages; a few milliseconds to check
CHOICE = "choice"         # Reply.context of a reply to an offer ("the second one", "both", "neither")
# The model picks an offered option by the message's words when that option is this many times
# likelier than any other offered, and at least this likely. From a list the patient was asked to pick
# from ("Did you mean", their two questions) the floor asks for evidence, not belief: the model reads a
# pick's few words as mostly beyond the page ("the kids one": 0.0035 for the risk factors, against 0.0001
# for "the one" or "the long one"). The related topics under an answer need more: "the DNA one" there
# is a question of its own.
_PICK_RATIO, _PICK_FLOOR, _PICK_FLOOR_ASKED = 2.0, 0.05, 0.002
# Asked to pick, a message of at most this many words of its own may name an option with no "one" or "bit".
_UNPOINTED_WORDS = 3
_UNPOINTED_PICK = (0.01, 10.0)   # its (floor, ratio): the few words are read as mostly beyond the page
# A "Did you mean" list or the patient's own two questions can still be picked from this many replies
# after it was shown or last picked from ("and the first thing I asked?" after a question between).
_PENDING_REPLIES = 3
# Where a pick said beside an aside ends or starts: a sentence's end, a comma, a dash.
_ASIDE_SPLIT = re.compile(r"(?<=[.!;,])\s+|\s+[-–—]\s+")
# Thanks (the small-talk intent of bot/data/smalltalk.yaml) after a feeling was met in the chat is
# met as gratitude (the corpus's feeling label, bot/data/feelings.yaml).
THANKS, GRATITUDE, BYE = "thanks", "gratitude", "bye"
# A message in another language is taken as small talk only up to this many words ("merci beaucoup", "salamat po").
_FOREIGN_SMALL_TALK_WORDS = 3
# Besides the experiencer words of faq/data/language.yaml ("i", "mum", "he"), the words that say whose a symptom is
# ("my flushing", "our son's diarrhoea"); they are not experiencer words, since "my mum" speaks of someone else.
_POSSESSIVE = frozenset({"my", "our"})
COMMANDS = {
    "start": "Start here: what this bot is",
    "help": "How to ask questions",
    "topics": "Everything I can answer",
    "about": "Where the answers come from",
}


@dataclass(frozen=True)
class _ChatState:
    offer: Offer | None = None          # what the last reply offered to pick from (bot/choices.py)
    memory: Memory = Memory()           # last answered entry and last question (bot/context.py)
    feelings: tuple[str, ...] = ()      # feelings met so far (the last few), so their lines come in turn
    pending: Offer | None = None        # the last "Did you mean" or two questions, and which are answered
    pending_age: int = 0                # replies since it was shown or picked from


class Conversation:
    def __init__(self, kb: KnowledgeBase, matcher: Matcher, safety: SafetyCheck, smalltalk: SmallTalk,
                 config: BotConfig | None = None, recorder: ReviewRecorder | None = None,
                 languages: Languages | None = None, cues: Cues | None = None,
                 safety_net: SafetyNet | None = None, choices: Choices | None = None,
                 feelings: FeelingLexicon | None = None, declines: DeclineReplies | None = None):
        self.kb = kb
        self.matcher = matcher
        self.safety = safety
        # The rules OR the corpus-trained safety head, which rides with the matcher's model.
        self.safety_net = safety_net or SafetyNet(safety, matcher.model, matcher.analyzer, plain=smalltalk.is_plain)
        self.smalltalk = smalltalk
        # The phrases, and the model's small-talk head for what they miss (bot/smalltalk.py).
        self.small_talk = SmallTalkReader(smalltalk, matcher.model, matcher.analyzer)
        self.config = config or BotConfig()
        self._chats: OrderedDict[str, _ChatState] = OrderedDict()
        # Chats given a safety reply (the last few hundred), and the kind of the last full one ("crisis", "emergency";
        # False: check-ins only): after any, a plain "goodbye" keeps the safety model's own reading
        # (bot/safety_net.py); after the full one, a goodbye the model reads as a check-in gets the crisis reply.
        self._alarmed: OrderedDict[str, str | bool] = OrderedDict()
        self._by_label = {" ".join(words(e.topic)): e.id for e in kb.entries}
        self.recorder = recorder   # the opt-in review record (review.enabled), else None
        # The FAQ's own words count as English too ("tumor", "neuroendocrine").
        self.languages = (languages or load_languages()).with_vocabulary(
            w for e in kb.entries for t in (e.topic, e.answer, *e.questions) for w in words(t))
        self.context = ContextReader(cues or load_cues(), self.config.matcher.clarify_threshold, matcher.model,
                                     matcher.analyzer, getattr(matcher, "match_after", None), self.small_talk.by_model,
                                     knows=self._caught)
        self._sections = page_sections(kb)
        self._entry_ids = frozenset(e.id for e in kb.entries)
        # A slip in a choice's own words is read as it was meant; the FAQ's and the matcher's words stay.
        self.choices = (choices or load_choices()).with_vocabulary(
            matcher.analyzer.vocabulary | self.languages.english_words)
        # Each uncovered topic declined in its own words (bot/declines.py); the matcher names it by topic.
        self.declines = declines or load_decline_replies(decline_ids={d.id for d in matcher.declines})
        self._decline_by_topic = {d.topic: d.id for d in matcher.declines}
        # The model's feeling head where it has one, else the curated phrases (bot/feelings.py).
        self.feelings = FeelingReader(feelings or load_feelings(),
                                      matcher.model, matcher.analyzer)

    @classmethod
    def from_config(cls, config: BotConfig, record: bool = True) -> Conversation:
        """Load every data file the config names (or the bundled ones); DataFileError on problems.
        ``record=False`` (evaluation commands) never opens the review record."""
        data = load_bot_data(config)
        # Opened last, so a bad data file creates no database (StorageError on problems).
        recorder = (ReviewRecorder.open(config.storage.path, config.review, config.data.masking)
                    if config.review.enabled and record else None)
        return cls(data.kb, data.matcher, data.safety, data.smalltalk, config, recorder, languages=data.languages,
                   cues=data.cues, choices=data.choices, feelings=data.feelings, declines=data.declines)

    # -- the one entry point ---------------------------------------------------
    def handle(self, chat_id: str | int, text: str) -> Reply:
        reply = self._respond(str(chat_id), text)
        if self.recorder is not None:
            self.recorder.observe(str(chat_id), text, reply)
        return reply

    def _respond(self, chat: str, text: str) -> Reply:
        """The whole pipeline for one message: safety first, then commands, choices, feelings,
        small talk, language and the matcher (``_reply``)."""
        raw = text if isinstance(text, str) else ""
        # Everything below reads a bounded prefix: a 100 kB message costs what a long one does.
        text = bounded(raw, self.config.matcher.max_input_chars)
        if not text.strip():
            return Reply(Kind.SMALLTALK, texts.EMPTY)
        # Safety reads the whole text first, commands included ("/help my husband is unconscious"),
        # and further than the matcher: an emergency at the end of a long story still counts.
        # A message that is wholly a choice of what the bot just offered ("2", "the second one")
        # holds nothing the model could read: its prior alone would speak. The rules still read it.
        state = self._chats.get(chat)
        only_a_choice = state is not None and self.choices.is_bare(text) \
            and self.choices.read(text, state.offer) is not None
        safety = self.safety_net.assess(bounded(raw, SAFETY_MAX_CHARS), use_model=not only_a_choice,
                                        plain_lower=chat not in self._alarmed,
                                        points_back=self._asks_of_the_answer(state, text))
        alarmed = self._alarmed.get(chat)
        if alarmed and safety.tier in (None, CHECK_IN) and BYE in self.small_talk.read(text).intents:
            # A goodbye after the full reply in this chat ("bye bye everyone, love u all"): a warning sign, whatever the
            # model reads in it (round 20: "bye" two messages after "I'm going to end it tonight" got "Take care").
            safety = replace(safety, tier=CRISIS)
        right_after = bool(alarmed) and state is None and safety.tier in (None, CHECK_IN)
        if right_after and safety.tier is None:
            # The message right after the full reply (which clears the chat's state): the way to urgent help stays
            # above whatever it gets, as a check-in of the same kind (round 19's safety review: "I'm going to end it
            # tonight", then "ok thanks", got "You're welcome" alone; "60 morphine tablets saved up", then "why
            # not?", the causes of NETs alone); small talk there gets words for after an alarm (texts.AFTER_ALARM).
            safety = replace(safety, tier=CHECK_IN, leans=alarmed)
        hit = safety.hit
        # Emergency words of another language come before the model's own alarm: the same reply,
        # plus a line in that language.
        foreign = self.languages.safety_check(raw) if safety.by != "rules" else None
        if foreign or safety.tier is not None:
            full = foreign.category if foreign else safety.tier if safety.tier in FULL else None
            self._alarmed[chat] = full or self._alarmed.get(chat, False)
            self._alarmed.move_to_end(chat)
            while len(self._alarmed) > self.config.conversation.max_chats:
                self._alarmed.popitem(last=False)
        if foreign:
            self._chats.pop(chat, None)
            return self._foreign_safety(foreign)
        if safety.tier in FULL:
            self._chats.pop(chat, None)  # a number sent next must not pick an FAQ answer
            reply = replace(self._safety(safety.tier), reasons=safety.reasons)
            # The model's alarm on a message wholly in another language: its lines too, as its own phrases give them.
            lang = self.languages.language(code) if safety.by == "model" and (code := self._unread(text)) else None
            return self._in_language(reply, lang, safety.tier) if lang is not None else reply
        reply = self._reply(chat, text)
        if hit:  # a general question about a serious symptom: one safety line, then the answer
            e = self.config.emergency   # a crisis long past ("self-harmed as a teenager"): the crisis line
            reply = replace(reply, safety_note=e.crisis_text if hit.category == "crisis"
                            else e.note_text.replace("{symptom}", hit.say))
        elif safety.tier == CHECK_IN:
            e = self.config.emergency
            note = e.check_in_emergency_text if safety.leans == EMERGENCY \
                else e.check_in_other_text if safety.of_others else e.check_in_text
            lang = self.languages.language(reply.language) if reply.language else None
            if lang is not None:   # a reply naming the patient's language: the way to help in it stays under the check-in
                note = "\n\n".join([note, *self._lines(lang, safety.leans == CRISIS)])
            reply = replace(reply, safety_note=note, tier=CHECK_IN)
            if right_after and reply.kind is Kind.SMALLTALK and reply.context is None:
                reply = replace(reply, text=texts.AFTER_ALARM, suggestions=(), suggestions_title="", hint="")
        return reply

    def _reply(self, chat: str, text: str) -> Reply:
        command = _COMMAND_RE.match(text.strip())
        if command:
            name, rest = command.group(1).lower(), text.strip()[command.end():]
            if name not in COMMANDS or not words(rest):
                reply = self._command(name)   # /help, /about: what was offered may still be picked
                return self._remember(chat, reply) if reply.suggestions else reply
            text = rest  # "/start what kinds of NET are there": the question is what gets answered
        picked = self._pick(chat, text)
        if picked is not None:
            question = (self.kb.get(picked.entry_id).topic,) if picked.entry_id else ()
            return self._remember(chat, picked, question)
        language = self.languages.not_english(text)
        if language and not self.languages.english_piece(text):
            # Wholly another language: the English-only reply (with how to get urgent help) whatever else is read in
            # it; a feeling is met first ("mijn moeder is bewusteloos" had got a fear line and no English-only reply).
            return self._other_language(chat, text, language)
        small = self.small_talk.read(text)
        feeling = self.feelings.read(text)
        if feeling is not None and small.only_small_talk and set(small.intents) == {BYE} \
                and self.feelings.lexicon.by_phrases(text) is None:
            # "goodbye for now": wholly a sign-off, with no word of a feeling the lexicon knows; the model's
            # reading alone does not turn it into grief ("thanks, I feel calmer now" is still met as relief).
            feeling = None
        if feeling is not None:
            return self._feeling(chat, feeling, text, small)
        if small.only_small_talk:   # "ok", "thanks", "ok nvm thx": what was offered may still be picked
            return self._small_talk(chat, small.intents[0])
        # Next to small talk, the question is what gets answered ("hi! is it hereditary?").
        reply, asked, rejected = self._understand(chat, small.question if small.intents else text)
        if language:
            # Two languages at once ("Hola, mi mamá tiene un NET. What are the usual symptoms?"): the
            # whole message is read, its other language's words unknown, and kept when the page answers,
            # declines or asks back about it; what else it asks may be in the words not read.
            if not self._read_in_english(reply):
                return self._other_language(chat, text, language)
            reply = self._english_part(reply)
        intent = self._small_talk_left(reply, text)
        if intent is not None:   # what was offered may still be picked
            return self._small_talk(chat, intent)
        return self._remember(chat, reply, asked, rejected)

    def _unread(self, text: str) -> str | None:
        """The language of a message wholly in another language, with no piece in English; else None."""
        code = self.languages.not_english(text)
        return code if code and not self.languages.english_piece(text) else None

    @staticmethod
    def _english_part(reply: Reply) -> Reply:
        """The reply to a message in two languages, saying it went by the English words."""
        return replace(reply, text=f"{reply.text}\n\n{texts.ENGLISH_PART}")

    def _other_language(self, chat: str, text: str, language: str) -> Reply:
        """A message the bot cannot read: "merci beaucoup", "salamat po" are small talk it can still
        meet in English; the rest gets the English-only reply with a line in the patient's language."""
        # Only a short message is taken as small talk: the small-talk head read "Jag vill ta livet av mig" (Swedish: I
        # want to take my life) as thanks, and that reply carries no way to urgent help.
        intent = self.small_talk.by_model(text) if len(words(text)) <= _FOREIGN_SMALL_TALK_WORDS else None
        if intent:
            return self._small_talk(chat, intent)
        reply = self._english_only(language)
        feeling = self.feelings.read(text)
        if feeling is not None:
            # "Estou com muito medo": its words are not read, but a feeling the model finds in them is met first.
            state = self._chats.get(chat)
            line = self.feelings.lexicon.line(feeling, state.feelings.count(feeling) if state else 0)
            reply = replace(reply, text=f"{line}\n\n{reply.text}", feeling=feeling)
        return reply

    @staticmethod
    def _read_in_english(reply: Reply) -> bool:
        """Whether a message in two languages was understood by its English words: answered, asked
        back about, or declined for a topic the page does not cover."""
        return reply.kind in (Kind.ANSWER, Kind.CLARIFY) or (reply.kind is Kind.FALLBACK and bool(reply.decline))

    def _small_talk(self, chat: str, intent: str) -> Reply:
        """The intent's reply; but thanks from someone whose feelings the bot has met in this chat is
        met warmly, as gratitude ("thank you, I'll look at that tonight"). Like all small talk it keeps
        what was offered: "thanks" then "the first one" still picks from it."""
        state = self._chats.get(chat)
        if intent == THANKS and state is not None and state.feelings:
            text = self.feelings.lexicon.said_alone(GRATITUDE, state.feelings.count(GRATITUDE))
            return Reply(Kind.FEELING, text, feeling=GRATITUDE)
        return Reply(Kind.SMALLTALK, self.smalltalk.reply(intent))

    def small_talk_of(self, text: str) -> SmallTalkSplit:
        """Small talk as a first message is read (for ``bot eval-smalltalk``): the phrases, then, for
        a message the page neither answers nor declines, the model's head."""
        split = self.small_talk.read(text)
        if split.only_small_talk:
            return split
        question = split.question if split.intents else text
        intent = self._small_talk_left(self._match_reply(self.matcher.match(question), question), text)
        return SmallTalkSplit((intent,), "") if intent else split

    def _small_talk_left(self, reply: Reply, text: str) -> str | None:
        """Where the page neither answers, asks back about nor declines the message, the intent the
        model's small-talk head reads in it ("ok nvm thx", "Thank you, you are kind"), else None."""
        plain = reply.kind is Kind.FALLBACK and not reply.decline and reply.context is None and not reply.language
        return self.small_talk.by_model(text) if plain else None

    # -- pieces ----------------------------------------------------------------
    def _remember(self, chat: str, reply: Reply, question: tuple[str, ...] = (),
                  rejected: tuple[str, ...] = ()) -> Reply:
        """Keep what the reply offers, so "2" or "the second one" picks from it (a reply that offers
        nothing forgets the last offer: it is used, or the talk moved on), and what was last asked
        and answered (bot/context.py); bounded, least recent dropped."""
        state = self._chats.get(chat) or _ChatState()
        memory = state.memory
        if question and reply.context != MORE:
            answered = reply.entry_id if reply.kind is Kind.ANSWER else memory.last_entry
            memory = Memory(answered, question, rejected)
        offer = self._offer(reply, state.offer, state.pending)
        feelings = (*state.feelings, reply.feeling)[-_FEELINGS_KEPT:] if reply.feeling else state.feelings
        pending, age = self._pending(reply, state, offer)
        if offer != state.offer or memory != state.memory or feelings != state.feelings \
                or pending != state.pending or age != state.pending_age:
            self._chats[chat] = _ChatState(offer, memory, feelings, pending, age)
            self._chats.move_to_end(chat)
            while len(self._chats) > self.config.conversation.max_chats:
                self._chats.popitem(last=False)
        return reply

    @staticmethod
    def _pending(reply: Reply, state: _ChatState, offer: Offer | None) -> tuple[Offer | None, int]:
        """The "Did you mean" list or two questions a later message may still pick from, with the options
        answered since, and how many replies ago it was shown or picked from; forgotten after
        ``_PENDING_REPLIES`` replies."""
        if offer is not None and offer.kind in (CLARIFY, ASKED) and len(offer.ids) > 1:
            return offer, 0
        before = state.pending
        if before is None or (reply.context == CHOICE and reply.kind is Kind.SMALLTALK):
            return None, 0   # none of them ("neither"): the list is forgotten
        said = (reply.entry_id, *reply.also_ids) if reply.kind is Kind.ANSWER else ()
        taken = tuple(i for i in said if i in before.ids and i not in before.answered)
        pending = replace(before, answered=(*before.answered, *taken)) if taken else before
        age = 0 if taken else state.pending_age + 1   # picked, or asked in words ("simptums"): the list is fresh
        return (pending, age) if age <= _PENDING_REPLIES else (None, 0)

    @staticmethod
    def _offer(reply: Reply, *shown: Offer | None) -> Offer | None:
        """What the reply offers; ``shown``: the lists shown before, the last one and the one pending."""
        if not reply.suggestions:
            return None
        ids, labels = tuple(s.entry_id for s in reply.suggestions), tuple(s.label for s in reply.suggestions)
        if reply.suggestions_title == texts.ASKED_TITLE:
            # The patient's own two questions: which are answered, so "now the other one" finds the rest.
            before = next((o for o in shown if o is not None and o.kind == ASKED and o.ids == ids), None)
            answered = (*before.answered, reply.entry_id, *reply.also_ids) if before else ()
            return Offer(ASKED, ids, labels, tuple(dict.fromkeys(i for i in answered if i)))
        asks = reply.kind is Kind.CLARIFY or reply.suggestions_title == texts.UNSURE_TITLE   # "Did you mean": "yes" picks
        return Offer(CLARIFY if asks else LIST, ids, labels)

    def _feeling(self, chat: str, feeling: str, text: str, small: SmallTalkSplit) -> Reply:
        """A warm line first; then the answer when the message asked something the page answers or
        declines, else what the bot can help with (what NETs are, the support group, the care team)."""
        lexicon = self.feelings.lexicon
        state = self._chats.get(chat)
        said_before = state.feelings.count(feeling) if state else 0
        line = lexicon.line(feeling, said_before)
        said = small.question if small.intents else text
        # The question without the clauses that only say the feeling; all of it when nothing else
        # is left ("I'm scared it has spread": the matcher may still be sure what it is about).
        question = lexicon.without_feeling(said) or said
        language = self.languages.not_english(question)
        if words(question) and not small.only_small_talk and (not language or self.languages.english_piece(question)):
            reply, asked, rejected = self._understand(chat, question)
            # "Thank you, you are kind": nothing asked after all, only thanks the phrases did not know.
            thanks_only = self._small_talk_left(reply, text) is not None
            understood = not language or self._read_in_english(reply)   # two languages at once, as in _reply
            if self._asks(question, reply) and not thanks_only and understood:
                if language:
                    reply = self._english_part(reply)
                elif reply.kind is Kind.FALLBACK and not reply.decline:
                    # A question the page does not answer, said with a feeling: what the bot can help with.
                    reply = replace(reply, text=f"{texts.FALLBACK} {lexicon.then(feeling)}", suggestions=self._suggestions(
                        self._known(lexicon.suggest) or self._starters()), suggestions_title=texts.FEELING_TITLE)
                reply = replace(reply, text=f"{line}\n\n{reply.text}", feeling=feeling)
                return self._remember(chat, reply, asked, rejected)
        reply = Reply(Kind.FEELING, lexicon.said_alone(feeling, said_before), feeling=feeling,
                      suggestions=self._suggestions(self._known(lexicon.suggest) or self._starters()),
                      suggestions_title=texts.FEELING_TITLE)
        return self._remember(chat, reply)

    def _asks(self, question: str, reply: Reply) -> bool:
        """Whether a message with a feeling also asked something to answer: a question the page
        answers or declines, or a confident answer where no clause asks ("I'm scared it's hereditary")."""
        if reply.context in (MORE, CHOICE):
            return True
        lexicon = self.feelings.lexicon
        clause_asks = any(c.asks and not lexicon.exclaims(list(c.words))
                          for c in self.matcher.analyzer.analyze(question).clauses)
        asks = clause_asks or lexicon.has_asking_word(words(question))
        if reply.kind is Kind.ANSWER:
            return asks or not reply.hedged
        if reply.kind is Kind.CLARIFY:
            return asks
        # A decline: for a topic it names, or a question said as one ("Do NETs come back?").
        return (asks and bool(reply.decline)) or clause_asks

    def _understand(self, chat: str, text: str) -> tuple[Reply, tuple[str, ...], tuple[str, ...]]:
        """Match the message, alone or with the last turn (bot/context.py decides and says which):
        (the reply, the question it answers, entries rejected so far), not yet remembered."""
        state = self._chats.get(chat)
        reading = self.context.read(text, state.memory if state else None, self.matcher.match)
        if reading.context == MORE:
            reply = more_reply(self.kb, self.kb.get(reading.more_entry), self._sections)
        else:
            # The match rides along: the review record reads it.
            reply = replace(self._match_reply(reading.result, text), match=reading.result,
                            context=reading.context)
            if reading.context == CORRECTION and reply.kind is Kind.CLARIFY:
                reply = replace(reply, text=texts.CORRECTION_CLARIFY)
            elif reading.context == CORRECTION and reply.kind is Kind.FALLBACK and not reply.decline:
                reply = replace(reply, text=texts.CORRECTION_FALLBACK)
            if reading.context == CORRECTION:   # never offer again what was just rejected
                reply = replace(reply, suggestions=tuple(s for s in reply.suggestions
                                                         if s.entry_id not in reading.rejected))
            elif reading.again and reply.kind is Kind.ANSWER:   # "which ones?" right after the answer that names them
                reply = replace(reply, text=f"{texts.AGAIN}\n\n{reply.text}")
            elif reading.someone_else and reply.kind is Kind.ANSWER and not reply.hedged:   # "what about his brother?"
                reply = replace(reply, text=f"{texts.SAME_FOR_THEM}\n\n{reply.text}")
        return reply, reading.question, reading.rejected

    def _asks_of_the_answer(self, state: _ChatState | None, text: str) -> bool:
        """A question right after an answer that points back at it ("would she have all of them?"): it asks, says
        "them", "those", "it"... and the followup head reads it as leaning on the turn before."""
        if state is None or state.memory.last_entry is None or not words(text):
            return False
        analysis = self.matcher.analyzer.analyze(text)
        pointing = self.matcher.analyzer.language.pointing_words
        return any(c.asks and set(c.words) & pointing for c in analysis.clauses) and self.context.leans_by_model(text)

    def _english_only(self, code: str) -> Reply:
        """A message the bot cannot read: it cannot rule out an emergency either, so how to get urgent help comes
        first (in that language too where languages.yaml has its line), as a check-in: "mijn moeder is
        bewusteloos" and "ik wil dood" (Dutch, which the file does not list) had got the English-only reply alone."""
        lang = self.languages.language(code)
        text = texts.ENGLISH_ONLY + (f"\n\n{lang.english_only}" if lang else "")
        e = self.config.emergency
        note = "\n\n".join([e.unread_text, *([lang.emergency_line] if lang else [])])
        return Reply(Kind.FALLBACK, text, language=code, safety_note=note, tier=CHECK_IN)

    def _foreign_safety(self, hit: ForeignHit) -> Reply:
        return self._in_language(self._safety(hit.category), hit.language, hit.category)

    def _in_language(self, reply: Reply, lang: ForeignLanguage, category: str) -> Reply:
        """The safety reply with that language's way to help under it, and the language named."""
        return replace(reply, text="\n\n".join([reply.text, *self._lines(lang, category == CRISIS)]), language=lang.code)

    @staticmethod
    def _lines(lang: ForeignLanguage, crisis: bool) -> list[str]:
        """A language's way to help: its crisis line for a crisis, then its emergency line."""
        return [lang.crisis_line, lang.emergency_line] if crisis else [lang.emergency_line]

    def _pick(self, chat: str, text: str) -> Reply | None:
        """A reply to what the last reply offered: "2", "the second one", "both", "neither", "the
        hormone one", "yes"; or the text of a suggestion (a tapped button, or typed out). A list shown
        before it ("Did you mean", two questions) is picked from when the message points back to it or
        counts its options in words while only related topics were offered since ("now the second")."""
        state = self._chats.get(chat)
        offer = state.offer if state else None
        earlier = state.pending if state else None
        if earlier is not None and offer is not None and offer.kind != LIST:
            earlier = None   # a list is on show: its numbers and words are what the patient sees
        just_picked = state is not None and state.pending_age == 0
        refused = self._refusing_pick(text, offer)
        if refused is not None:
            return self._chosen(chat, *refused)
        entry_id = self._by_label.get(" ".join(words(text)))
        choice, used = self._choice(text, offer, earlier, entry_id, just_picked)
        # With a list to pick from and something left once idioms and sign-offs are out ("other than that, all
        # good" is none), the pick may sit beside small talk or an aside.
        if choice is None and (offer is not None or earlier is not None) and not self.choices.says_nothing(text):
            small = self.small_talk.read(text)   # "Makes sense. And the first?", "thanks! now the other one"
            if small.intents and words(small.question) not in ([], ["one"]):   # "nice one" is thanks
                choice, used = self._choice(small.question, offer, earlier, None, just_picked)
            if choice is None and ((offer is not None and offer.kind in (CLARIFY, ASKED)) or earlier is not None):
                choice, used = self._choice_beside_aside(text, offer, earlier, just_picked)
        if choice is not None:
            return self._chosen(chat, choice, used)
        if entry_id:
            return self._answer(self.kb.get(entry_id), 100.0)
        return None

    def _choice(self, text: str, offer: Offer | None, earlier: Offer | None, entry_id: str | None,
                just_picked: bool = False) -> tuple[Choice | None, Offer | None]:
        """What the message picks and from which list: the earlier list when it points back to it, or
        counts in words right after a pick from it; else the list on show; by a tapped button; by the
        option's own words."""
        choice, used = None, offer
        if earlier is not None:
            choice, used = self.choices.read_back(text, earlier, just_picked), earlier
        if choice is None:
            choice, used = self.choices.read(text, offer), offer
        if choice is not None and choice.by_words and not self._points_at_option(text, choice.ids):
            choice = None
        if choice is None and entry_id and offer is not None and offer.kind == ASKED and entry_id in offer.ids:
            choice, used = Choice(PICK, (entry_id,)), offer   # a tapped button of the two questions: the other stays
        for candidate in (earlier if earlier is not None and earlier.waiting and just_picked else None, offer):
            if choice is None and candidate is not None:
                choice, used = self._model_pick(text, candidate), candidate
        return choice, used

    def _refusing_pick(self, text: str, offer: Offer | None) -> tuple[Choice, Offer] | None:
        """A pick said beside the option it is not ("not the symptoms, the other one", "the spreading one, not
        the cause"): from a "Did you mean" or the patient's two questions, the option the rest picks, or, when
        the rest only says "the other one", the one option the refused words do not name."""
        if offer is None or offer.kind not in (CLARIFY, ASKED) or len(offer.ids) < 2:
            return None
        said = self.choices.refusal(text)
        if said is None:
            return None
        refused_words, rest = said
        refused = self._named_option(refused_words, offer)
        if refused is None:
            return None
        if self.choices.says_other(rest):
            left = [i for i in offer.ids if i != refused]
            return (Choice(PICK, (left[0],)), offer) if len(left) == 1 else None
        choice, _ = self._choice(rest, offer, None, self._by_label.get(" ".join(words(rest))))
        if choice is None or choice.what != PICK or choice.out_of_range or refused in choice.ids:
            return None
        return choice, offer

    def _named_option(self, text: str, offer: Offer) -> str | None:
        """The option a few words name ("the symptoms", "the cause", "the growing bit"): by its label's words,
        else the one the model reads far likelier than the others."""
        named = self.choices.read(text, replace(offer, kind=CLARIFY))
        if named is not None and named.what == PICK and named.by_words and named.ids:
            return named.ids[0]
        if self.matcher.model is None or not words(text):
            return None
        return self._likeliest_offered(text, self.matcher.analyzer.analyze(text), offer, *_UNPOINTED_PICK)

    def _likeliest_offered(self, text: str, analysis, offer: Offer, floor: float, ratio: float) -> str | None:  # noqa: ANN001
        """The offered option the model reads at ``floor`` or more and ``ratio`` times likelier than any other."""
        scores = self.matcher.model.score("answer", text, analysis)
        ranked = sorted(((scores.p(i), i) for i in offer.ids), reverse=True)
        (p1, best), p2 = ranked[0], ranked[1][0] if len(ranked) > 1 else 0.0
        return best if p1 >= floor and p1 >= ratio * p2 else None

    def _choice_beside_aside(self, text: str, offer: Offer | None, earlier: Offer | None,
                             just_picked: bool) -> tuple[Choice | None, Offer | None]:
        """A pick in one sentence or clause of its own, the rest an aside that asks nothing and says no
        feeling: "The second, I already know mine's a NET", "my doc said it's in the lung, so that tracks.
        now the growing one". A lone word or number opening a message opens a story or a list ("First, my
        husband...", "3. She also gets wheezy"), not a pick."""
        parts = [p for p in _ASIDE_SPLIT.split(text) if words(p)]
        if len(parts) < 2:
            return None, None
        offer = offer if offer is not None and offer.kind in (CLARIFY, ASKED) else None   # never the related topics
        for i in (0, len(parts) - 1):
            if i == 0 and len(words(parts[0])) < 2:
                continue
            rest = " ".join(parts[:i] + parts[i + 1:])
            choice, used = self._choice(parts[i], offer, earlier, None, just_picked)
            if choice is None or choice.by_words or choice.what == NONE or choice.out_of_range:
                continue   # "no, my husband has it", "im 52": a "no" or a number beside more is read with the rest
            beside, _ = self._choice(rest, offer, earlier, None, just_picked)
            if beside is not None and beside != choice:
                return None, None   # "the first thing, the MEN 1 one": the rest picks too, and not the same
            if "?" in rest or any(c.asks for c in self.matcher.analyzer.analyze(rest).clauses) \
                    or self.feelings.read(rest) is not None:
                return None, None
            return choice, used
        return None, None

    def _points_at_option(self, text: str, picked: tuple[str, ...] = ()) -> bool:
        """Whether a short message naming an option's words picks it: "the hormone one" does; a
        question the matcher answers alone stays a question when it is sure, or when its answer is
        not the option picked ("is a NET a type of cancer" is not "Types"), so it reads the same alone
        as after the offer; a correction ("no I meant the hormone symptoms") rejects the last answer."""
        if self.context.corrects(text):
            return False
        if self.choices.pointing & set(words(text)):
            return True
        alone = self.matcher.match(text)
        return not (alone.outcome is Outcome.ANSWER and (not alone.hedged or alone.entry_id not in picked))

    def _model_pick(self, text: str, offer: Offer) -> Choice | None:
        """ "the genes one", "the doc one": said with "one" or "bit" and asking nothing, a short message
        points at an option (of a "Did you mean", two questions, or the topics under an answer) in its
        own words; the model reads which, when one option is clearly likelier than the others. Without
        such a word, or asking, the message is read as a question of its own."""
        model = self.matcher.model
        ws = words(text)
        asked_to_pick = offer.kind in (CLARIFY, ASKED) and len(offer.ids) > 1
        pointed = bool(self.choices.pointing & set(ws))
        if model is None or not (pointed or asked_to_pick) or len(ws) > self.choices.max_words \
                or self.context.corrects(text) \
                or self.feelings.read(text) is not None:   # never over a feeling ("the scary part is the flushing")
            return None
        named = [w for w in ws if w not in self.choices.fillers and w not in self.choices.pointing]
        if not named or (not pointed and len(named) > _UNPOINTED_WORDS):
            return None   # "that one", "the one": no word of an option's own
        analysis = self.matcher.analyzer.analyze(text)
        if analysis.questions:
            return None   # "what is the most common one?": a question of its own
        if not pointed:
            # Asked to pick, a few words with no "one" or "bit" ("the kinds, if you please", "lungs please") name an
            # option when the model reads one far likelier than the others, with no ordinal beside them, and the
            # words alone are no sure answer elsewhere.
            if self.choices.counts(text) or any(w in OPENERS for w in ws):
                return None   # "simptums frst"; "nets what are they", "what time is it": a question of its own
            alone = self.matcher.match(text)
            if alone.uncovered_topic or (alone.outcome is Outcome.ANSWER and alone.entry_id not in offer.ids):
                return None   # "symptoms of the flu": declined alone, as it is after the offer
            if alone.secondary is not None:
                return None   # "types and symptoms" again: two questions of its own, not one pick
        # The faint reading only for an option named in a word or two ("the kids one"), not beside a number.
        faint = pointed and offer.kind in (CLARIFY, ASKED) and len(named) <= 2 and not any(w.isdigit() for w in ws)
        floor, ratio = (_PICK_FLOOR_ASKED if faint else _PICK_FLOOR, _PICK_RATIO) if pointed else _UNPOINTED_PICK
        best = self._likeliest_offered(text, analysis, offer, floor, ratio)
        if best is None and faint:
            # "the kids one": read too faintly to pick (round 20's retrain: 0.0019), but a concept it names that only
            # one of the patient's options answers (the entry's `about`) names that option.
            said = set(analysis.tokens)
            owners = [i for i in offer.ids if said & {concept_token(c) for c in self.kb.get(i).about}]
            best = owners[0] if len(owners) == 1 else None
        return Choice(PICK, (best,), by_words=True) if best is not None else None

    def _chosen(self, chat: str, choice: Choice, offer: Offer) -> Reply:
        if choice.out_of_range:
            text = texts.PICK_OUT_OF_RANGE_ONE if len(offer.ids) == 1 else \
                texts.PICK_OUT_OF_RANGE.format(count=len(offer.ids))
            return Reply(Kind.CLARIFY, text,
                         suggestions=self._suggestions(offer.ids), context=CHOICE,
                         suggestions_title=texts.ASKED_TITLE if offer.kind == ASKED else "")
        if choice.what == NONE:   # a reply with no suggestions: the offer is forgotten
            return Reply(Kind.SMALLTALK, texts.CONFIRM_NO, context=CHOICE)
        if choice.what == ALL:
            return replace(self._answers([self.kb.get(i) for i in choice.ids]), context=CHOICE)
        reply = replace(self._answer(self.kb.get(choice.ids[0]), None), context=CHOICE)
        if offer.kind == ASKED and set(offer.waiting) - set(choice.ids):
            # One of the patient's two questions: the list stays, so "the second" or "the other one" follows.
            reply = replace(reply, suggestions=self._suggestions(offer.ids), suggestions_title=texts.ASKED_TITLE)
        return reply

    def _answers(self, entries: list[Entry]) -> Reply:
        """Several answers, one after the other ("both"), each under its topic."""
        src = self.kb.source
        text = "\n\n".join(f"{e.topic}:\n{e.answer}" for e in entries)
        related = [i for e in entries for i in e.related if i not in {x.id for x in entries}]
        return Reply(Kind.ANSWER, text, entries[0].id, None,
                     suggestions=self._suggestions(list(dict.fromkeys(related))[:RELATED_SHOWN]),
                     suggestions_title=texts.RELATED_TITLE, also_ids=tuple(e.id for e in entries[1:]),
                     source_note=texts.SOURCE_NOTE.format(publisher=src.publisher, title=src.title))

    def _suggestions(self, ids) -> tuple[Suggestion, ...]:
        return tuple(Suggestion(i, self.kb.get(i).topic) for i in ids)

    def _known(self, ids) -> list[str]:
        """The ids a data file suggests that this knowledge base has (another may lack them)."""
        return [i for i in ids if i in self._entry_ids]

    def _answer(self, entry: Entry, score: float | None, hedged: bool = False) -> Reply:
        src = self.kb.source
        text = f"{texts.HEDGE.format(topic=entry.topic)}\n\n{entry.answer}" if hedged else entry.answer
        return Reply(Kind.ANSWER, text, entry.id, score, suggestions=self._suggestions(entry.related[:RELATED_SHOWN]),
                     suggestions_title=texts.RELATED_TITLE,
                     source_note=texts.SOURCE_NOTE.format(publisher=src.publisher, title=src.title))

    def _match_reply(self, result: MatchResult, text: str) -> Reply:
        if result.outcome is Outcome.ANSWER and result.secondary is not None:
            # Two questions on two topics ("symptoms and causes?"): which first, or both.
            return Reply(Kind.CLARIFY, texts.ASKED, None, result.score,
                         suggestions=self._suggestions([result.entry_id, result.secondary.entry_id]),
                         suggestions_title=texts.ASKED_TITLE, hint=texts.ASKED_HINT, reasons=result.reasons)
        if result.outcome is Outcome.ANSWER:
            entry = self.kb.get(result.entry_id)
            reply = self._answer(entry, result.score, result.hedged)
            if entry.when_reported and self._reports(text, entry):
                # "I keep flushing, is that from it?": the list of symptoms, then the page's advice on seeing a doctor.
                advice = self.kb.get(entry.when_reported)
                reply = replace(reply, text=f"{reply.text}\n\n{advice.topic}: {advice.answer}", also_ids=(advice.id,),
                                suggestions=tuple(s for s in reply.suggestions if s.entry_id != advice.id))
            return replace(reply, hedged=result.hedged, reasons=result.reasons)
        ids = [c.entry_id for c in result.candidates]
        if result.outcome is Outcome.CLARIFY:
            return Reply(Kind.CLARIFY, texts.CLARIFY, None, result.score,
                         suggestions=self._suggestions(ids), hint=texts.CLARIFY_HINT, reasons=result.reasons)
        decline = self.declines.choose(text, self._decline_by_topic.get(result.uncovered_topic or ""))
        if decline is not None:   # a topic the page does not cover, declined in words written for it
            if result.secondary is not None:   # "is it contagious, and what are the symptoms?": the second
                suggested, title = [result.secondary.entry_id], texts.SECOND_QUESTION_TITLE
            else:
                suggested, title = self._known(decline.suggest) or ids or self._starters(), texts.FALLBACK_TITLE
            return Reply(Kind.FALLBACK, decline.reply, None, result.score, suggestions=self._suggestions(suggested),
                         suggestions_title=title, hint=texts.FALLBACK_HINT, reasons=result.reasons,
                         decline=decline.id)
        if not self._caught(text):   # "asdfgh", "🙂🙂", "???": not a question at all
            return Reply(Kind.FALLBACK, texts.NOT_CAUGHT, None, result.score,
                         suggestions=self._suggestions(self._starters()), hint=texts.FALLBACK_HINT,
                         reasons=result.reasons)
        if result.unsure and ids:   # not declined for its topic: only not read surely
            return Reply(Kind.FALLBACK, texts.UNSURE, None, result.score, suggestions=self._suggestions(ids),
                         suggestions_title=texts.UNSURE_TITLE, hint=texts.FALLBACK_HINT, reasons=result.reasons)
        return Reply(Kind.FALLBACK, f"{texts.FALLBACK} {texts.FALLBACK_CARE_TEAM}", None, result.score,
                     suggestions=self._suggestions(ids or self._starters()), suggestions_title=texts.FALLBACK_TITLE,
                     hint=texts.FALLBACK_HINT, reasons=result.reasons)

    def _reports(self, text: str, entry: Entry) -> bool:
        """Whether the message says the writer or someone close has one of the entry's concepts (a symptom), not
        negated and not only as the story: a person ("i", "my", "mum", "he") and the concept in one clause."""
        language = self.matcher.analyzer.language
        people = language.self_words | language.others | _POSSESSIVE
        concepts = {concept_token(c) for c in entry.about}
        return any(set(c.words) & people and (set(c.tokens) & concepts) - c.negated - c.story
                   for c in self.matcher.analyzer.analyze(text).clauses)

    def _caught(self, text: str) -> bool:
        """Whether the message holds any word the bot knows (English, the FAQ's, a concept's)."""
        ws = words(text)
        return any(w in self.languages.english_words for w in ws) or any(
            t.startswith(CONCEPT_MARK) for t in self.matcher.analyzer.analyze(text).tokens)

    def _starters(self) -> list[str]:
        """Where a newcomer is best started: the overview and its related entries."""
        first = self.kb.entries[0]
        return [first.id, *first.related][: self.config.matcher.max_suggestions]

    def _safety(self, category: str) -> Reply:
        e = self.config.emergency
        lines = [e.crisis_text, e.call_text] if category == "crisis" else [e.call_text]
        return Reply(Kind.SAFETY, "\n\n".join([*lines, texts.SAFETY_TAIL]), tier=category)

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
