"""Reading a message in the light of the last turn: follow-ups, corrections, "tell me more".

Each chat remembers its last answered entry and its last question (``Memory``). A
message that leans on them (cue phrases in bot/data/context.yaml: "what about...",
"and...", "no I meant...", a pronoun with no subject, or a very short message; or the
model's ``followup`` head, trained on blind conversations, reading it as leaning) is
matched alone and with the last question's words carried over (and, when the matcher
is unsure of it, with the conversation's subject). The rule that picks between the
readings is deterministic and works with any matcher exposing
``match(text) -> MatchResult``:

- A message with no cue, or with no memory behind it, is matched alone, exactly as
  without context; so is one naming a topic the page does not cover.
- The context reading is taken only when it is a confident answer, not the entry just
  answered, and one the message itself already points at (one of its own choices). The
  entry just answered again only for someone else ("what about his brother?") or after an
  opener when the message, unsure alone, already leans that way ("and the lungs yeah?").
  A confident answer alone is moved only by an opener ("what about..."); a message
  with an opener and nothing of its own to go on takes the context reading as it is.
- Where the model learnt which answers follow which (its ``after`` prior,
  ``Matcher.match_after``), a message that leans on the last turn for sure (an opener, or the
  followup head) is first read as said right after the last answer: its own words say what it
  asks, the last answer how likely each next topic is. That reading is taken when it answers the
  last entry again ("so could I get it too?" after the risk factors), or another entry when the
  message alone is declined for no uncovered topic, is torn between close entries or is an
  unsure answer, and the answer before decides it (see ``_said_after``). A message that only
  may lean (short, a pronoun) and is unsure alone takes that reading when it asks the last
  entry again ("which syndromes are you talking about?").
- A message the matcher is unsure of is also read with the conversation's subject
  ("is it cancer or not?"), taken when that answers one of its own choices.
- A correction ("no I meant the hormone ones") is read the same way but may never
  land on the entries the patient has just rejected.

The one place earlier words are combined with the new message is ``_in_context``, so
a matcher that learns to weigh context itself can be swapped in there.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from bot import texts
from bot.replies import RELATED_SHOWN, Kind, Reply, Suggestion
from faq.analyzer import Analyzer
from faq.classifier import TextModel
from faq.concepts import CONCEPT_MARK
from faq.dialogues import with_earlier
from faq.language import words
from faq.loader import FURNITURE_HEADING
from faq.matcher import Candidate, MatchResult, Outcome
from faq.model import Entry, KnowledgeBase
from faq.question_words import OPENERS
from faq.yamlfile import DataFileError, number_in, read_mapping, text_items

DEFAULT_CONTEXT_PATH = Path(__file__).resolve().parent / "data" / "context.yaml"
_FIELDS = ("subject", "subject_words", "more", "fillers", "pointers", "corrections", "negations", "followups",
           "weak_openers", "pronouns", "short_words", "people", "owners", "items")
# How many of the last questions a chain of follow-ups carries (bounds the text matched).
_FOCUS_TURNS = 2
# After an opener, a message this short with no question word is only what it is about ("and the pancreas?").
_FRAGMENT_WORDS = 4
# A message opening with one of these asks for the answer's items ("which ones", "what were they called", "like
# what"), with or without a "?", and so does a bare one of at most _ASKS_OF_THE_ANSWER_BARE words with a "?"
# ("those?"); "how do they stop it?" asks something the page does not cover (round 18's care review).
_ASKING_WORDS = frozenset({"which", "what", "whats", "like", "such"})
_ASKS_OF_THE_ANSWER_BARE = 3
# ...and is this short ("what else is on that list?"): a longer one with no word the page knows asks something else.
_ASKS_OF_THE_ANSWER_WORDS = 6

FOLLOWUP, CORRECTION, MORE = "followup", "correction", "more"
FOLLOWUP_HEAD = "followup"


@dataclass(frozen=True)
class Memory:
    """What a chat remembers of its last turns (kept by the core next to its suggestions)."""
    last_entry: str | None = None           # the entry answered last
    last_question: tuple[str, ...] = ()     # the question(s) that led to it, oldest first
    rejected: tuple[str, ...] = ()          # entries the patient said were not what they meant


@dataclass(frozen=True)
class Reading:
    """How to answer a message: a match result, or "more" on the last entry."""
    result: MatchResult | None              # None only for "more"
    context: str | None                     # None: read alone; "followup", "correction" or "more"
    question: tuple[str, ...]               # the question this reply answers, for the next turn
    rejected: tuple[str, ...] = ()
    more_entry: str | None = None
    someone_else: bool = False              # the last answer again, asked of someone else ("what about his brother?")
    again: bool = False                     # the last answer again, asked for what it holds ("which ones?")


@dataclass(frozen=True)
class Cues:
    more: frozenset[tuple[str, ...]]
    fillers: frozenset[tuple[str, ...]]
    pointers: tuple[tuple[str, ...], ...]
    corrections: tuple[tuple[str, ...], ...]    # longest first
    followups: tuple[tuple[str, ...], ...]      # longest first
    weak_openers: tuple[tuple[str, ...], ...]   # openers that may lean on the last turn ("why...")
    pronouns: frozenset[str]
    subject: str                # what the conversation is about, carried into a message that leans on it
    subject_words: frozenset[str]   # words naming the subject: a pronoun beside one has its subject
    negations: frozenset[str]       # "no", "not": a correction opener may come later in the message
    short_words: int                # a message this short may lean on the last turn
    people: frozenset[str] = frozenset()   # "brother", "mum": who else a follow-up may ask about
    owners: frozenset[str] = frozenset()   # "my", "his": words said beside them
    items: frozenset[str] = frozenset()    # "ones", "else", "list": a question asking what the last answer holds


def _opener(ws: list[str], openers: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
    for opener in openers:
        if tuple(ws[:len(opener)]) == opener:
            return opener
    return None


class ContextReader:
    def __init__(self, cues: Cues, clarify_threshold: float, model: TextModel | None = None,
                 analyzer: Analyzer | None = None,
                 read_after: Callable[[str, str | None], MatchResult | None] | None = None,
                 small_talk: Callable[[str], str | None] | None = None, knows: Callable[[str], bool] | None = None):
        self.cues = cues
        # Whether a message holds any word the bot knows (bot/core.py): "asdfghjkl" is never read as a follow-up.
        self.knows = knows
        # The model's small-talk head (bot/smalltalk.py SmallTalkReader.by_model): a message beyond the page that
        # it reads as small talk ("what is this bot") is about the bot, not the bot's subject.
        self.small_talk = small_talk
        # The model's reading of a message said right after an entry's answer (Matcher.match_after).
        self.read_after = read_after
        self.clarify_threshold = clarify_threshold   # a rejected answer's runners-up below this are not offered
        # The model's followup head, trained on blind conversations: a turn that leans on the one before
        # in words no cue lists ("wht about the brain", "is it like cancer cancer tho").
        head = model.heads.get(FOLLOWUP_HEAD) if model is not None else None
        self.model = model if head is not None and analyzer is not None else None
        self.analyzer = analyzer
        self.followup_threshold = head.thresholds.get(FOLLOWUP_HEAD, 0.5) if head is not None else 1.0
        # The language file's spellings ("wat": "what", "abt": "about"): an opener is found as the matcher
        # would read it ("wat abt the pancrease"); the words matched stay as written.
        self.spellings = analyzer.language.spellings if analyzer is not None else {}

    def _opener(self, ws: list[str], openers: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
        return _opener([self.spellings.get(w, w) for w in ws], openers)

    def leans_by_model(self, text: str) -> bool:
        """Whether the followup head reads the message as leaning on the turn before."""
        return self.followup_p(text) >= self.followup_threshold

    def followup_p(self, text: str) -> float:
        """The followup head's probability that the message leans on the turn before (0 without the head)."""
        if self.model is None or not words(text):
            return 0.0
        return self.model.score(FOLLOWUP_HEAD, text, self.analyzer.analyze(text)).p(FOLLOWUP_HEAD)

    def corrects(self, text: str) -> bool:
        """Whether the message opens like a correction ("no I meant...")."""
        return self._opener(self._without_fillers(words(text)), self.cues.corrections) is not None

    # -- the decision ------------------------------------------------------------
    def read(self, text: str, memory: Memory | None, match: Callable[..., MatchResult]) -> Reading:
        if memory is None or not memory.last_question:
            # The bot's subject is NETs from the first message on: an unsure reading is read with it
            # ("is it cancer or not?"), as after any earlier question, so a message that stands
            # alone gets the same reply first or later.
            alone = match(text)
            lead = self._without_fillers(words(text))
            opener = self._opener(lead, self.cues.followups)
            strong, weak = self._leans(words(text), lead, opener)
            rest = lead[len(opener):] if opener else lead
            subject = self._with_subject(alone, " ".join(rest), match, strong or weak)
            return Reading(subject or alone, None, (text,))
        ws = words(text)
        cues = self.cues
        if memory.last_entry and self._asks_more(ws):
            return Reading(None, MORE, memory.last_question, memory.rejected, memory.last_entry)
        lead = self._without_fillers(ws)           # "ok so what about..." leans like "what about..."
        correction = self._opener(lead, cues.corrections)
        if correction is None and lead and lead[0] in cues.negations:
            # "not the rash, I asked about the lump": the correction opener comes after what is rejected.
            for i in range(1, len(lead)):
                found = self._opener(lead[i:], cues.corrections)
                if found is not None and len(found) > 1:
                    lead, correction = lead[i:], found
                    break
        if correction is not None:
            rest_ws = lead[len(correction):]
            while True:  # "wrong answer, I asked about the ...": every opener goes
                rest_ws = self._without_fillers(rest_ws)
                again = self._opener(rest_ws, cues.corrections)
                if again is None:
                    break
                rest_ws = rest_ws[len(again):]
            rest = " ".join(rest_ws)
            rejected = tuple(dict.fromkeys([*memory.rejected, *([memory.last_entry] if memory.last_entry else [])]))
            return self._correct(rest, memory, rejected, match)
        alone = match(text)
        opener = self._opener(lead, cues.followups)
        rest = lead[len(opener):] if opener else lead
        # An opener ("what about...") leans on the last turn for sure. A very short message may,
        # and so may one that names no subject but points back ("they") or opens like a
        # follow-up ("why...").
        lean: list[float] = []

        def followup_p() -> float:   # the followup head's reading: worked out once, and only where it is needed
            if not lean:
                lean.append(self.followup_p(text))
            return lean[0]

        def by_model() -> bool:
            return followup_p() >= self.followup_threshold
        strong, weak = self._leans(ws, lead, opener, by_model)
        someone_else = strong and alone.outcome is Outcome.FALLBACK and not alone.uncovered_topic \
            and bool(set(rest) & self.cues.people) and set(rest) <= self.cues.people | self.cues.owners
        # Someone else ("what about his brother?") is read below: the last answer again, said to hold for them.
        if (strong or weak) and not alone.uncovered_topic and alone.secondary is None and not someone_else:
            after = self._said_after(text, memory, alone, lambda: strong or by_model(), match)
            if after is not None:
                subject = self._with_subject(alone, " ".join(rest), match, True)
                if subject is not None and subject.entry_id == after.entry_id:
                    return Reading(subject, None, (text,))   # as when first asked: it stands alone
                return Reading(after, FOLLOWUP, self._chain(memory, text))
        if not (strong or weak) or alone.uncovered_topic or (alone.outcome is Outcome.ANSWER and not strong):
            # Alone, or naming a topic the page does not cover ("and in children?" would be declined),
            # or a confident answer only an opener may move: no second reading needed; an unsure one is
            # read with the bot's subject, as when it is the first message ("what syndromes cause NETs").
            subject = self._with_subject(alone, " ".join(rest), match, strong or weak)
            return Reading(subject or alone, None, (text,))
        context = self._in_context(memory, " ".join(rest), match)
        if memory.last_entry and context.outcome is Outcome.ANSWER and self._asks_only_of_the_answer(text, ws, lead):
            # "which ones?", "what else is on that list?" right after the risk factors: nothing of its own to read,
            # so it asks what the answer just given holds: that answer again, saying so, not "I didn't catch that".
            return Reading(replace(context, hedged=False), FOLLOWUP, self._chain(memory, text), again=True)
        # "and the pancreas?", "and to the liver?": after an opener, no question of its own, only what it is
        # about, and that something the page's concepts know ("and you?", "and my cat?" are not).
        fragment = strong and len(rest) <= _FRAGMENT_WORDS and not any(w in OPENERS for w in rest) \
            and self._names_a_concept(rest)
        # The followup head's cut is set for recall (a message that may lean is read both ways); here, where its
        # reading alone decides, it must find leaning likelier than not.
        if not strong and followup_p() >= max(self.followup_threshold, 0.5) \
                and self._asks_the_answer_again(text, alone, context, memory.last_entry):
            return Reading(context, FOLLOWUP, self._chain(memory, text))
        if self._prefer_context(alone, context, memory.last_entry, strong, someone_else, fragment) and (
                alone.outcome is not Outcome.CLARIFY or strong or self._fits_before(context, memory, match)):
            return Reading(context, FOLLOWUP, self._chain(memory, text),
                           someone_else=someone_else and context.entry_id == memory.last_entry)
        subject = self._with_subject(alone, " ".join(rest), match, True)
        if subject is not None:
            return Reading(subject, None, (text,))   # the bot's subject, not the last turn: as when first asked
        return Reading(alone, None, (text,))

    def _said_after(self, text: str, memory: Memory, alone: MatchResult,
                    leans_surely: Callable[[], bool], match: Callable[..., MatchResult]) -> MatchResult | None:
        """The model's reading of the message as said right after the last answer, when it answers: the
        last entry again (a question its answer holds, "which syndromes exactly?", "where are they in the
        body?" after the cells); any entry when the message alone is declined for no topic it names ("can
        they end up in the liver then"); one of its own choices when it is unsure between close entries
        ("what symptoms does that cause?" after what functional means; when it leans for sure by the followup head
        too, not only by an opener), not when it asks about two topics ("causes symptoms": read alone by the
        caller, which asks back); another entry when the message alone is an unsure (hedged) answer. Never over
        two questions."""
        if self.read_after is None or memory.last_entry is None:
            return None
        # The last answer's pull is strongest on a message with few words of its own: only one that leans for sure
        # (an opener, or the followup head) is read in its light ("what time is it", "who made this bot" are not);
        # one that may lean (short, a pronoun), only when it is unsure alone and asks the last answer again
        # ("which syndromes are you talking about?" after the risk factors). ``leans_surely``: it leans for sure.
        sure = leans_surely()
        if not (sure or alone.unsure):
            return None
        after = self.read_after(text, memory.last_entry)
        if after is None or after.outcome is not Outcome.ANSWER or \
                (alone.outcome is Outcome.ANSWER and alone.entry_id == after.entry_id):
            return None   # nothing it would change: a question that stands alone gets the same reply as first
        if after.entry_id == memory.last_entry:
            return after
        if not sure:
            return None
        if alone.outcome is Outcome.ANSWER and alone.hedged:
            return after   # alone an unsure answer, after the last one another ("wat simptums wud i get from that")
        if not (alone.outcome is Outcome.FALLBACK or (alone.outcome is Outcome.CLARIFY and not alone.two_topics
                                                        and after.entry_id in _offered(alone))):
            return None
        # Another entry only when the answer before decides it: one the same reading gives with no answer before
        # ("mayo clinic connect what is it") stands alone, and gets the reply it gets when asked first.
        plain = self.read_after(text, None)
        return None if plain is not None and plain.outcome is Outcome.ANSWER and plain.entry_id == after.entry_id \
            else after

    @staticmethod
    def _fits_before(context: MatchResult, memory: Memory, match: Callable[..., MatchResult]) -> bool:
        """A message that names two topics itself ("types and symptoms") is not settled by an
        unrelated earlier question ("what causes NETs?"): the last question may pick among the
        message's own choices only one it pointed towards too (among its own candidates)."""
        return context.entry_id in _offered(match(" ".join(memory.last_question)))

    def _asks_only_of_the_answer(self, text: str, ws: list[str], lead: list[str]) -> bool:
        """A question with no word of its own for the matcher to read (no concept, no content word) that asks for
        what the answer holds (a word of context.yaml's ``items``): "which ones?", "what were they called again",
        "such as?". A remark ("thanks, this was useful") or another question ("what time is it") is not one."""
        if self.analyzer is None or len(ws) > _ASKS_OF_THE_ANSWER_WORDS \
                or not {self.spellings.get(w, w) for w in ws} & self.cues.items or self.analyzer.analyze(text).tokens:
            return False
        return bool(lead and self.spellings.get(lead[0], lead[0]) in _ASKING_WORDS) \
            or ("?" in text and len(ws) <= _ASKS_OF_THE_ANSWER_BARE)

    def _asks_the_answer_again(self, text: str, alone: MatchResult, context: MatchResult,
                               last_entry: str | None) -> bool:
        """A message with no opener that the followup head reads as leaning on the answer just given, declined alone
        with only that answer offered, and answered by it when read with the last question ("so nobody actually
        knows?? wild" after the causes, "what are those syndromes called" after the risk factors). Alone such a
        message is nearly always read as beyond the page: the reading with the last question decides. Not a
        topic the page does not cover ("should my kids be tested?"), small talk ("Thank you kindly. Good day"), a
        message with no word the bot knows ("asdfghjkl") or one with a subject of its own ("how do i reset my
        password" after the risk factors)."""
        return context.outcome is Outcome.ANSWER and context.entry_id == last_entry \
            and alone.outcome is Outcome.FALLBACK and not alone.uncovered_topic and _offered(alone) == {last_entry} \
            and self._no_subject_of_its_own(text) and (self.knows is None or self.knows(text)) \
            and not (self.small_talk is not None and self.small_talk(text))   # the small-talk head's call last

    def _no_subject_of_its_own(self, text: str) -> bool:
        """Whether every word the analyzer keeps is one of the page's concepts ("those syndromes", "the pancreas"): a
        word it keeps that no concept knows is a subject of the message's own ("how do i reset my password")."""
        return self.analyzer is None or all(t.startswith(CONCEPT_MARK) for t in self.analyzer.analyze(text).tokens)

    def _names_a_concept(self, ws: list[str]) -> bool:
        return self.analyzer is not None and any(
            t.startswith(CONCEPT_MARK) for t in self.analyzer.analyze(" ".join(ws)).tokens)

    def _leans(self, ws: list[str], lead: list[str], opener,  # noqa: ANN001
               by_model: Callable[[], bool] | None = None) -> tuple[bool, bool]:
        """(strong, weak): an opener leans for sure; a very short message may, and so may one that
        names no subject but points back ("they") or opens like a follow-up ("why..."), or one the followup
        head reads so (``by_model``, worked out here when not given)."""
        cues = self.cues
        unnamed = not any(w in cues.subject_words for w in ws)
        weak = len(ws) <= cues.short_words or (unnamed and (
            any(w in cues.pronouns for w in ws) or self._opener(lead, cues.weak_openers) is not None)) \
            or (self.leans_by_model(" ".join(ws)) if by_model is None else by_model())
        return opener is not None, weak

    def _with_subject(self, alone: MatchResult, rest: str, match: Callable[..., MatchResult],
                      leans: bool) -> MatchResult | None:
        """A message the matcher is unsure of alone, read with the conversation's subject carried over
        ("is it cancer or not?" asks it of NETs): taken only when it answers one of the message's own
        choices. It carries no earlier topic, so it may give the last answer again."""
        # Unsure ("Did you mean"), or declined with no uncovered topic named while the message leans
        # on a subject it does not name ("what about the lungs?").
        if not (alone.outcome is Outcome.CLARIFY or (leans and alone.outcome is Outcome.FALLBACK
                                                    and not alone.uncovered_topic)):
            return None
        if alone.beyond_page and self.small_talk is not None and self.small_talk(rest):
            return None   # "what is this bot": about the bot, which the page does not name
        reading = self._in_context(self.cues.subject, rest, match)
        if not reading.reasons:
            # The model did not read it: with the subject carried over only the disease's name was left ("what
            # other conditions are on that list?"), which alone would be answered, surely, as what NETs are.
            return None
        if reading.outcome is Outcome.ANSWER and reading.entry_id in _offered(alone):
            return reading
        return None

    def _without_fillers(self, ws: list[str], everywhere: bool = False) -> list[str]:
        """The words without fillers ("ok", "thank you"): leading ones only, or all of them."""
        kept, i = [], 0
        while i < len(ws):
            if not everywhere and kept:
                kept.extend(ws[i:])
                break
            n = 2 if tuple(ws[i:i + 2]) in self.cues.fillers else 1 if (ws[i],) in self.cues.fillers else 0
            if n:
                i += n
            else:
                kept.append(ws[i])
                i += 1
        return kept

    def _asks_more(self, ws: list[str]) -> bool:
        """ "tell me more", also as "ok, anything else on that please"."""
        cues = self.cues
        kept = self._without_fillers(ws, everywhere=True)
        for pointer in cues.pointers:
            if len(kept) > len(pointer) and tuple(kept[-len(pointer):]) == pointer:
                kept = kept[:-len(pointer)]
                break
        return bool(kept) and tuple(kept) in cues.more

    @staticmethod
    def _prefer_context(alone: MatchResult, context: MatchResult, last_entry: str | None, strong: bool,
                        about_someone_else: bool = False, fragment: bool = False) -> bool:
        """Whether the reading with the last question beats the message read alone (see the module doc)."""
        # The answer just given only in two cases below: a patient asking on rarely wants it again, and
        # repeating it for a question it does not answer ("and the treatment for that?") is a near miss.
        if context.outcome is not Outcome.ANSWER:
            return False
        if context.entry_id == last_entry:
            # Again for someone else ("what about his brother?"): what the page said holds for them too;
            # or when the message itself, unsure, leans towards that answer after an opener ("and the
            # lungs yeah?" after "where do they turn up", "and apendix"): the same answer covers it.
            if about_someone_else:
                return True
            if not strong or alone.outcome is not Outcome.FALLBACK or alone.uncovered_topic:
                return False
            # Only what it is about, after an opener ("and the pancreas?" after "can it grow in the lungs?"):
            # the same answer covers it. A message with a question of its own must lean that way itself,
            # and not read as beyond the page ("what about my brother, can kids get them?").
            return fragment or (not alone.beyond_page and last_entry in _offered(alone))
        if alone.outcome is Outcome.CLARIFY:
            return context.entry_id in _offered(alone)   # the last question picks among its own choices
        if alone.outcome is Outcome.ANSWER:
            # Confident alone: bent only by an opener, and only towards a reading it already offers.
            return strong and alone.entry_id != context.entry_id and context.entry_id in _offered(alone)
        if alone.uncovered_topic:
            return False
        # Nothing sure of its own: "what about those?" takes the last question's reading; a message
        # that leans more softly ("wht about the brain", "the pancreas one what is it") only when the
        # reading is one the message alone already gave a chance, and not one it reads as beyond the page.
        return strong or (not alone.beyond_page and context.entry_id in _offered(alone))

    def _correct(self, rest: str, memory: Memory, rejected: tuple[str, ...],
                 match: Callable[..., MatchResult]) -> Reading:
        """Ask again with the correction applied to the last question, never with a rejected entry."""
        if not words(rest):                        # "wrong answer": the last question, without that answer
            again = _without(match(" ".join(memory.last_question)), rejected, self.clarify_threshold)
            return Reading(again, CORRECTION, memory.last_question, rejected)
        alone = _without(match(rest), rejected, self.clarify_threshold)
        context = _without(self._in_context(memory, rest, match), rejected, self.clarify_threshold)
        subject = self._with_subject(alone, rest, match, True)
        subject = subject and _without(subject, rejected, self.clarify_threshold)
        if alone.uncovered_topic:
            chosen = alone
        elif self._prefer_context(alone, context, None, True):
            chosen = context
        elif subject is not None and subject.outcome is Outcome.ANSWER:
            chosen = subject
        elif alone.outcome is Outcome.ANSWER or _has_topic(alone) or not _has_topic(context):
            chosen = alone
        else:
            chosen = context
        question = self._chain(memory, rest) if chosen is context else (rest,)
        return Reading(chosen, CORRECTION, question, rejected)

    # -- the one place earlier words meet the new message ----------------------
    @staticmethod
    def _in_context(focus: Memory | str, text: str, match: Callable[..., MatchResult]) -> MatchResult:
        """``text`` matched with ``focus`` carried over: the last question(s), or the subject."""
        earlier = focus if isinstance(focus, str) else " ".join(focus.last_question)
        # One question (with the "?" left in, the matcher would read two and weigh the second as the first's
        # story); nor is it two topics (the bot's subject is no question: what the message asks is read as
        # when alone).
        return match(with_earlier(earlier, text), one_question=not isinstance(focus, str))

    @staticmethod
    def _chain(memory: Memory, text: str) -> tuple[str, ...]:
        return (*memory.last_question, text)[-_FOCUS_TURNS:]


def _offered(result: MatchResult) -> set[str]:
    return {c.entry_id for c in result.candidates}


def _has_topic(result: MatchResult) -> bool:
    """Whether the message, read alone, points anywhere at all."""
    return result.outcome is Outcome.ANSWER or bool(result.candidates) or bool(result.uncovered_topic)


def _without(result: MatchResult, rejected: tuple[str, ...], clarify_threshold: float) -> MatchResult:
    """The result with rejected entries taken out: a rejected answer becomes a question among the rest."""
    if not rejected:
        return result
    keep: tuple[Candidate, ...] = tuple(c for c in result.candidates if c.entry_id not in rejected)
    if result.outcome is Outcome.ANSWER and result.entry_id in rejected:
        close = tuple(c for c in keep if c.score >= clarify_threshold)
        outcome = Outcome.CLARIFY if close else Outcome.FALLBACK
        return replace(result, outcome=outcome, entry_id=None, candidates=close,
                       score=close[0].score if close else 0.0, reason=f"{result.reason}; rejected answer removed")
    if result.outcome is Outcome.CLARIFY:
        if not keep:
            return replace(result, outcome=Outcome.FALLBACK, candidates=(), score=0.0)
    return replace(result, candidates=keep)


def page_sections(kb: KnowledgeBase) -> dict[str, tuple[str, tuple[str, ...]]]:
    """entry id -> (the page section most of its quotes come from, the other entries quoting that section).

    "Tell me more" uses it to say what else the page covers around an answer.
    """
    sections: list[tuple[str, str]] = []
    heading, lines = "", []
    for line in kb.source_text.partition(FURNITURE_HEADING)[0].splitlines():
        if line.startswith("## "):
            if heading:
                sections.append((heading, " ".join(" ".join(lines).split())))
            heading, lines = line[3:].strip(), []
        elif not line.startswith("#"):
            lines.append(line.lstrip("- "))
    if heading:
        sections.append((heading, " ".join(" ".join(lines).split())))
    home: dict[str, str] = {}
    for entry in kb.entries:
        counts = [sum(" ".join(q.split()) in body for q in entry.source) for _, body in sections]
        if counts and max(counts):
            home[entry.id] = sections[counts.index(max(counts))][0]
    return {eid: (section, tuple(o for o, s in home.items() if s == section and o != eid))
            for eid, section in home.items()}


def more_reply(kb: KnowledgeBase, entry: Entry, sections: dict[str, tuple[str, tuple[str, ...]]]) -> Reply:
    """ "Tell me more": the answer's related topics, the page's link and what else its section covers."""
    section, siblings = sections.get(entry.id, ("", ()))
    if siblings:
        topics = "; ".join(kb.get(i).topic[0].lower() + kb.get(i).topic[1:] for i in siblings)
        covers = texts.MORE_SECTION.format(section=section, topics=topics)
    else:
        covers = texts.MORE_SECTION_ALONE.format(section=section) if section else ""
    src = kb.source
    return Reply(Kind.ANSWER, " ".join(p for p in (texts.MORE.format(topic=entry.topic), covers) if p), entry.id,
                 suggestions=tuple(Suggestion(i, kb.get(i).topic) for i in entry.related[:RELATED_SHOWN]),
                 suggestions_title=texts.MORE_RELATED_TITLE,
                 source_note=texts.MORE_SOURCE.format(publisher=src.publisher, title=src.title, url=src.url),
                 context=MORE)


# -- loading ---------------------------------------------------------------------

def _phrase_list(raw: Any, key: str, path: Path, problems: list[str]) -> list[tuple[str, ...]]:
    return [tuple(words(item)) for item in text_items(raw, f"{path}: field '{key}'", problems, has_words=words)]


def load_cues(path: str | Path = DEFAULT_CONTEXT_PATH) -> Cues:
    path = Path(path)
    raw, problems = read_mapping(path, _FIELDS, required=True)
    lists = {k: _phrase_list(raw.get(k), k, path, problems)
             for k in ("subject_words", "more", "fillers", "pointers", "corrections", "negations", "followups",
                       "weak_openers", "pronouns", "people", "owners", "items")}
    for key in ("pronouns", "subject_words", "negations", "people", "owners", "items"):
        for i, word in enumerate(lists[key], 1):
            if len(word) != 1:
                problems.append(f"{path}: field '{key}' item {i}: one word only")
    subject = raw.get("subject")
    if not isinstance(subject, str) or not words(subject):
        problems.append(f"{path}: field 'subject': must be text naming what the bot is about")
    short = number_in(raw.get("short_words"), f"{path}: field 'short_words'", 0, 8, problems, whole=True)
    if problems:
        raise DataFileError(problems)
    by_length = lambda phrases: tuple(sorted(set(phrases), key=lambda p: (-len(p), p)))  # noqa: E731
    return Cues(frozenset(lists["more"]), frozenset(lists["fillers"]), by_length(lists["pointers"]),
                by_length(lists["corrections"]), by_length(lists["followups"]),
                by_length(lists["weak_openers"]),
                frozenset(p[0] for p in lists["pronouns"]), str(subject),
                frozenset(p[0] for p in lists["subject_words"]), frozenset(p[0] for p in lists["negations"]), short,
                frozenset(p[0] for p in lists["people"]), frozenset(p[0] for p in lists["owners"]),
                frozenset(p[0] for p in lists["items"]))
