"""Map a patient's message to an FAQ entry, or ask, or decline.

Pipeline, one module per job:
  faq.normalize  Unicode clean-up, words, typo correction, stems
  faq.segment    clauses, and which of them ask (the question's focus)
  faq.analyzer   per clause: concepts (faq.concepts, concepts.yaml) and other content words
  faq.scoring    every FAQ entry and decline target (declines.yaml) scored on the same evidence
  faq.decision   answer, hedge, ask or decline
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from faq.analyzer import DEFINITION, Analysis, Analyzer
from faq.classifier import DEFAULT_MODEL_PATH, TextModel, load_model
from faq.concepts import CONCEPT_MARK, DEFAULT_CONCEPTS_PATH, ConceptLexicon, concept_token, load_concepts
from faq.decision import Candidate, Evidence, MatcherSettings, MatchResult, Outcome, decide
from faq.declines import DEFAULT_DECLINES_PATH, Decline, load_declines
from faq.language import Language, load_language, words
from faq.model import KnowledgeBase
from faq.question_words import ASKS_WHAT_A_THING_IS
from faq.scoring import Scorer, Target
from faq.segment import coordinated
from faq.yamlfile import DataFileError

# A concept said as past or setting ("after my biopsy") counts this much.
_STORY_WEIGHT = 0.25
_OTHER_QUESTION_WEIGHT = 0.1
_STORY_ASKED_WEIGHT = 0.7
_ASKED_SHARE = 0.5
# "a lump on my tummy": a body part (concepts.yaml `everyday: body-part`) beside a complaint
# (`complaint: true`) counts this much, as it says where the complaint is, unless the message asks where.
_BODY_PART_BESIDE_COMPLAINT = 0.3
# A message longer than this is a story around its question (characters).
_LONG_STORY = 400
_STORY_QUESTIONS = 3   # of its asking clauses, the last this many are read alone (bounds the work)
# "symptoms and causes?", "types + where they grow", "NET symptoms vs when to see a doc": two topics
# joined in one short request. Each side is read alone; two sure answers on different topics are
# two questions (faq.segment.coordinated finds the sides).
_TWO_TOPICS_MAX_WORDS = 14
# When the clarify head says "ask back", two sides of the message that each lean to an entry at least
# this much are two questions (chosen on the dev conversations and the training batches).
_SIDE_LEAN = 0.3
CLARIFY_HEAD = "clarify"

__all__ = ["Candidate", "Matcher", "MatchResult", "MatcherSettings", "Outcome", "bounded"]


def _short_sides(text: str) -> list[str]:
    """The sides of a short request joining things ("symptoms and causes?"); none for a longer message,
    whose "and" mostly joins the parts of a story."""
    return coordinated(text) if 2 <= len(words(text)) <= _TWO_TOPICS_MAX_WORDS else []


def bounded(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text``, cut at a word boundary so no half word is matched."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit].isspace() or not cut.strip() or " " not in cut.strip():
        return cut
    return cut.rsplit(None, 1)[0]


class Matcher:
    def __init__(self, kb: KnowledgeBase, language: Language | None = None,
                 settings: MatcherSettings | None = None, *, concepts: ConceptLexicon | str | Path | None = None,
                 declines: tuple[Decline, ...] | str | Path | None = None,
                 use_model: bool | str | Path | TextModel = True):
        self.kb = kb
        self.settings = settings or MatcherSettings()
        language = language or load_language()
        if not isinstance(concepts, ConceptLexicon):
            concepts = load_concepts(language, concepts or DEFAULT_CONCEPTS_PATH)
        if not isinstance(declines, tuple):
            declines = load_declines(declines or DEFAULT_DECLINES_PATH)
        self.concepts, self.declines = concepts, declines
        self._check_about(declines)
        known: set[str] = set()
        for entry in kb.entries:
            for text in (*entry.questions, entry.answer, entry.topic):
                known.update(words(text))
        self.analyzer = Analyzer(language, concepts, known)
        targets = [Target(e.id, e.topic, False, tuple(self.analyzer.analyze(q).tokens for q in e.questions),
                          tuple(concept_token(c) for c in e.about),
                          frozenset(self.analyzer.analyze(f"{e.topic} {e.answer}").tokens)) for e in kb.entries]
        targets += [Target(d.id, d.topic, True, (), tuple(concept_token(c) for c in d.about)) for d in declines]
        self._check_used(targets)
        self.scorer = Scorer(targets)
        self._concept_weights = {concept_token(c): w for c, w in concepts.weights.items()}
        self._decline_margins = {d.id: d.margin for d in declines if d.margin is not None}
        self._declines_by_id = {d.id: d for d in declines}
        self._definition = concept_token(DEFINITION)
        self._pointing = frozenset(concept_token(c) for c in concepts.pointing)
        self._passing_concepts = frozenset(concept_token(c) for d in declines if d.margin is not None for c in d.about)
        self._decline_concepts = frozenset(concept_token(c) for d in declines for c in d.about)
        self._entry_count = len(kb.entries)
        self._entry_ids = frozenset(e.id for e in kb.entries)
        self._topics = {e.id: e.topic for e in kb.entries}
        self._everyday = frozenset(concept_token(c) for c in concepts.everyday)
        # Concepts that change how the others are read, marked in concepts.yaml.
        rules = concepts.rules
        self._body_parts, self._complaints, self._asks_where, self._frames_question, self._about_the_bot, \
            self._who_is_ill = (frozenset(map(concept_token, ids)) for ids in (
                rules.body_parts, rules.complaints, rules.asks_where, rules.frames_question, rules.about_the_bot,
                rules.who_is_ill))
        self._read_from = tuple((concept_token(r.concept), concept_token(r.source),
                                 frozenset(map(concept_token, r.not_with))) for r in rules.read_from)
        # Who decides: the model trained on the corpus (faq.classifier), or with use_model=False the
        # hand-weighted rules alone (kept for the ablation and for training, which has no model yet).
        if isinstance(use_model, TextModel):
            self.model: TextModel | None = use_model
        elif use_model and self.settings.use_model:
            self.model = load_model(DEFAULT_MODEL_PATH if use_model is True else use_model)
        else:
            self.model = None

    def _check_about(self, declines: tuple[Decline, ...]) -> None:
        problems = []
        for file, kind, items in (("faq.yaml", "entry", self.kb.entries), ("declines.yaml", "decline", declines)):
            for item in items:
                for concept in item.about:
                    if concept not in self.concepts:
                        problems.append(f"{file}: {kind} '{item.id}' field 'about': unknown concept '{concept}' "
                                        "(concepts are listed in concepts.yaml)")
        if problems:
            raise DataFileError(problems)

    def _check_used(self, targets: list[Target]) -> None:
        """A concept no entry or decline is about, and no phrasing mentions, changes nothing."""
        used = {t for target in targets for t in (*target.about, *(t for p in target.phrasings for t in p))}
        unused = [c for c in self.concepts.concepts if concept_token(c) not in used]
        if unused:
            raise DataFileError([f"concepts.yaml: concept '{c}': no entry or decline is about it and no phrasing "
                                 "mentions it, so it changes nothing; add it to an `about:` list or delete it"
                                 for c in unused])

    def problems(self) -> list[str]:
        """Knowledge-base problems only the matcher can see, worded for curators."""
        defaults = [t for t in self.scorer.default_targets if t < self._entry_count]
        if len(defaults) > 1:
            ids = ", ".join(self.kb.entries[i].id for i in defaults)
            return [f"entries {ids}: each has a phrasing with no words beyond the disease's name "
                    "(like 'What is a NET?'); only one entry may, so such a question has one answer"]
        return []

    # -- evidence --------------------------------------------------------------
    def _query(self, analysis: Analysis, focus: int | None, context: tuple[str, ...]) -> dict[str, float]:
        """Token -> weight: the story around the question counts ``context_weight`` as much as the
        question, a weak concept ("what does it mean") and a past event ("after my biopsy") less."""
        strength = self._concept_weights
        context_scale = self.settings.context_weight
        # "What does that mean?": a question with no topic of its own asks about the clause before it.
        weak_focus = focus is not None and not self._defines_disease(analysis.clauses[focus]) \
            and all(strength.get(t, 1.0) < 1 for t in analysis.clauses[focus].tokens)
        if weak_focus and self._pointing & set(analysis.clauses[focus].tokens):
            # "Could it be one of these tumours?": the whole story is asked about, the clause just
            # before most ("I never knew a tumour could make hormones. Do they really do that?").
            context_scale = _STORY_ASKED_WEIGHT
        query: dict[str, float] = {}
        for i, clause in enumerate(analysis.clauses):
            # Another question in the message is not this one's context: it is offered on its own.
            scale = 1.0 if focus is None or i == focus or (weak_focus and i == focus - 1) \
                else _OTHER_QUESTION_WEIGHT if clause.asks and clause.tokens else context_scale
            # "what does neuroendocrine mean": a definition asked of the disease itself is the question.
            full = i == focus and self._defines_disease(clause)
            for t in clause.tokens:
                if t in self._who_is_ill and not clause.asks:
                    continue  # "my son has been told he has a NET": who is ill never changes the topic
                w = scale * (1.0 if full else strength.get(t, 1.0)) * (_STORY_WEIGHT if t in clause.story else 1.0)
                query[t] = max(query.get(t, 0.0), w)
        if focus is not None and focus > 0 and analysis.clauses[focus].points_back:
            # "I'm booked for a colonoscopy. Can it find a NET?": "it" is what the clause before named last.
            before = analysis.clauses[focus - 1]
            # Only when that is a topic the page does not cover, or the question has no topic of its own.
            named = [t for t in before.tokens if t.startswith(CONCEPT_MARK) and t not in before.story
                     and (before.asks or t not in self._who_is_ill)]
            own = [t for t in analysis.clauses[focus].tokens if strength.get(t, 1.0) >= 1]
            if named and (named[-1] in self._decline_concepts or not own):
                query[named[-1]] = max(query.get(named[-1], 0.0), strength.get(named[-1], 1.0))
        if not analysis.names_nets_or_tumour:
            # "how do I know if I have IBS?": a condition named in a message that does not name
            # NETs is its subject, wherever it is said.
            for t in self._passing_concepts & query.keys():
                query[t] = max(query[t], 1.0)
        if self._complaints & query.keys() and not self._asks_where & query.keys():
            for t in self._body_parts & query.keys():
                query[t] *= _BODY_PART_BESIDE_COMPLAINT
        for asked, source, not_with in self._read_from:
            # The page says only what treatment DEPENDS on: "how is it treated?", naming no NET and
            # not asking what decides it, asks for methods, which the page does not give.
            if not analysis.names_nets_or_tumour and source in query and not not_with & query.keys() \
                    and asked in self._decline_concepts:
                query[asked] = max(query.get(asked, 0.0), query[source])
        for t in context:  # an earlier message of the conversation: weaker still
            query.setdefault(t, context_scale / 2 * strength.get(t, 1.0))
        return query

    def _asks_about_itself(self, clause) -> bool:  # noqa: ANN001
        """ "What is a hormone?", "where is the pancreas?": asked of an everyday thing, naming no NET
        and pointing at nothing, the question is about the thing itself, not about NETs."""
        own = set(clause.tokens) - self._frames_question
        wh, be, wh_be = ASKS_WHAT_A_THING_IS
        ws = clause.words
        asks_what_it_is = any(w in wh_be or (w in wh and i + 1 < len(ws) and ws[i + 1] in be) for i, w in enumerate(ws))
        return bool(own) and own <= self._everyday and asks_what_it_is

    def _defines_disease(self, clause) -> bool:  # noqa: ANN001
        return clause.names_disease and clause.tokens == (self._definition,)

    def _evidence(self, analysis: Analysis, focus: int | None, context: tuple[str, ...]) -> Evidence:
        query = self._query(analysis, focus, context)
        scores = self.scorer.score(query, keep=self.settings.max_suggestions + 2)
        order = sorted(scores, key=lambda i: (-round(scores[i], 6), i))
        targets = self.scorer.targets
        entries = [Candidate(targets[i].id, targets[i].topic, round(scores[i], 1))
                   for i in order if not targets[i].decline]
        decline_at = next((i for i in order if targets[i].decline), None)
        decline = None if decline_at is None else Candidate(targets[decline_at].id, targets[decline_at].topic,
                                                             round(scores[decline_at], 1))
        # Whether the question may be about something else is read from the question itself:
        # unknown words in the story around it ("my wife won't stop nagging") say nothing of that.
        top = max(query.values(), default=1.0)
        asked = {t: w for t, w in query.items() if w >= top * _ASKED_SHARE}
        total = sum(self.scorer.weight(t) * w for t, w in asked.items())
        unknown = sum(self.scorer.weight(t) * w for t, w in asked.items() if not self.scorer.knows(t))
        margin = self._decline_margins.get(decline.entry_id) if decline else None
        if margin is not None and not analysis.names_nets_or_tumour:
            margin = None  # its own margin is for messages about NETs that name it in passing
        if decline and not any(query.get(concept_token(c), 0.0) >= self.settings.context_weight * top
                               for c in self._declines_by_id[decline.entry_id].about):
            margin = 0.0  # a topic only said as past or setting does not win a near tie
        # A question about the bot itself ("is your info from the NHS?") is about this service, NETs named or not.
        refers = analysis.taken_as_about_nets or any(asked.get(t, 0.0) >= top for t in self._about_the_bot)
        return Evidence(entries, decline, analysis.names_nets_or_tumour, refers, unknown / total if total else 0.0,
                        margin)

    def _starters(self) -> tuple[Candidate, ...]:
        picks = list(dict.fromkeys([*[t for t in self.scorer.default_targets if t < self._entry_count],
                                    *range(self._entry_count)]))
        return tuple(Candidate(self.kb.entries[i].id, self.kb.entries[i].topic, 0.0)
                     for i in picks[: self.settings.max_suggestions])

    # -- the model decides -------------------------------------------------------
    def _model_match(self, text: str, analysis: Analysis, questions: list[int],
                     context: tuple[str, ...], one_question: bool = False) -> MatchResult:
        # The whole message is read, as the model was trained (a message asking two things is
        # labeled by its first); a second question is offered, read on its own.
        result = self._model_decide(bounded(text, self.settings.max_input_chars), analysis, questions, context)
        if len(text) > _LONG_STORY and questions and (result.outcome is not Outcome.ANSWER or result.hedged):
            # A long story drowns its question's words in the model's bag of n-grams: its asking
            # clauses are read alone too, the last first, and a sure answer to one is taken.
            for q in reversed(questions[-_STORY_QUESTIONS:]):
                clause = " ".join(analysis.clauses[q].words)
                alone = self._model_decide(clause, self.analyzer.analyze(clause), [0], ())
                if alone.outcome is Outcome.ANSWER and not alone.hedged:
                    result = replace(alone, reason=f"the question of a long story, read alone ({alone.reason})")
                    break
        settled = False
        if len(questions) > 1 and not one_question:  # a second question: offer what it asks, read on its own
            second = self._read_alone(analysis.clauses[questions[1]].words)
            offered = {c.entry_id for c in result.candidates}
            first = next((c for c in result.candidates if c.entry_id != second.entry_id), None)
            if result.outcome is Outcome.CLARIFY and second.outcome is Outcome.ANSWER \
                    and second.entry_id in offered and first is not None:
                # Torn between what the two questions ask: the first is its answer, the second its secondary.
                result = replace(result, outcome=Outcome.ANSWER, entry_id=first.entry_id, score=first.score,
                                 hedged=True, reason=f"two questions; {result.reason}")
            before = result
            two_sure = second.outcome is Outcome.ANSWER and (result.outcome is not Outcome.ANSWER
                                                             or result.entry_id == second.entry_id)
            one_sure = result.outcome is not Outcome.ANSWER and not (result.uncovered_topic or result.beyond_page)
            first_alone = self._read_alone(analysis.clauses[questions[0]].words) if two_sure or one_sure else None
            if two_sure:
                # Unsure of the whole, or reading it as its second question ("what are the symptoms, and
                # when should I see a doctor about them?", "how do they start and can they spread to the
                # liver"): the first, sure on its own of another entry, makes two questions.
                result = self._first_question(first_alone, second, result)
            if result is before and one_sure:
                # Unsure of the whole, and one of the two asks nothing of its own ("what are the symptoms and
                # is that normal", "is it bad and how fast does it grow"): the other is the question, and
                # the clarify head is not asked about the whole again.
                result = self._the_side_that_asks(first_alone, second, result)
                settled = result is not before
            if second.outcome is Outcome.ANSWER and second.entry_id != result.entry_id and result.secondary is None:
                result = replace(result, secondary=second.candidates[0])
        if result.secondary is None and not one_question:
            result = self._two_topics(text, result)
        if not one_question and not settled:
            result = self._ask_back(text, analysis, result)
        return result

    def _read_alone(self, words: tuple[str, ...]) -> MatchResult:
        """One asking clause read as if sent on its own."""
        clause = " ".join(words)
        read = self.analyzer.analyze(clause)
        return self._model_decide(clause, read, read.questions, ())

    @staticmethod
    def _first_question(first: MatchResult, second: MatchResult, result: MatchResult) -> MatchResult:
        """The first of two questions, read on its own: when it is surely about another entry than the
        second, the two are two questions, in the order asked; else the whole message's reading stands."""
        if first.outcome is not Outcome.ANSWER or first.hedged or first.entry_id == second.entry_id:
            return result
        return replace(first, secondary=second.candidates[0], reasons=result.reasons,
                       reason=f"two questions, the first read on its own ({first.reason})")

    @staticmethod
    def _the_side_that_asks(first: MatchResult, second: MatchResult, result: MatchResult) -> MatchResult:
        """Of two questions the whole message is unsure about, each read on its own, the one that is sure, when
        the other is no answer on its own and the sure one is among the whole's candidates; else the whole's
        reading."""
        sure = [r for r in (first, second) if r.outcome is Outcome.ANSWER and not r.hedged]
        unanswered = [r for r in (first, second) if r.outcome is not Outcome.ANSWER]
        if len(sure) != 1 or len(unanswered) != 1 or sure[0].entry_id not in {c.entry_id for c in result.candidates}:
            return result
        which = "first" if sure[0] is first else "second"
        return replace(sure[0], reasons=result.reasons,
                       reason=f"the {which} question, read on its own ({sure[0].reason})")

    def _ask_back(self, text: str, analysis: Analysis, result: MatchResult) -> MatchResult:
        """The clarify head, trained on messages people wrote expecting the bot to ask back: a message
        that asks about two topics ("is it common or is it rare and where does it grow") or is torn
        between two is asked about. Two sides that each ask about a different entry are two questions,
        in the order asked; else the answer head's two likeliest entries are offered, when the second
        is one the model would offer itself and the first is not sure enough to answer."""
        head = self.model.heads.get(CLARIFY_HEAD) if self.model is not None else None
        if head is None or result.outcome is Outcome.CLARIFY or result.uncovered_topic or result.beyond_page or (
                result.outcome is Outcome.ANSWER and result.secondary is not None):
            return result   # already asked, declined, or two questions found
        read = bounded(text, self.settings.max_input_chars)
        vector = self.model.vector(read, analysis)   # one featurisation for both heads
        p_ask = self.model.score(CLARIFY_HEAD, read, analysis, vector=vector).p(CLARIFY_HEAD)
        if p_ask < head.thresholds[CLARIFY_HEAD]:
            return result
        sides = self._sides(read, analysis, answered=result.entry_id if result.outcome is Outcome.ANSWER else None)
        if sides is not None:
            (first, p_first), (second, p_second) = sides
            return MatchResult(Outcome.ANSWER, first, round(100 * p_first, 1),
                               (Candidate(first, self._topics[first], round(100 * p_first, 1)),),
                               f"asks back ({p_ask:.2f}): two questions, {first} ({p_first:.2f}) and {second} "
                               f"({p_second:.2f})", secondary=Candidate(second, self._topics[second],
                                                                        round(100 * p_second, 1)),
                               reasons=result.reasons)
        t = self.model.heads["answer"].thresholds
        ranked = self.model.score("answer", read, analysis, vector=vector).ranked
        entries = [(c, p) for c, p in ranked if c in self._topics][:2]
        if len(entries) < 2 or entries[1][1] < t["offer"] or entries[0][1] >= t["answer"]:
            return result
        offered = tuple(Candidate(c, self._topics[c], round(100 * p, 1)) for c, p in entries)
        torn = " and ".join(f"{c} ({p:.2f})" for c, p in entries)
        return MatchResult(Outcome.CLARIFY, None, offered[0].score, offered,
                           f"asks back ({p_ask:.2f}): torn between {torn}", reasons=result.reasons, two_topics=True)

    def _sides(self, text: str, analysis: Analysis,
               answered: str | None) -> tuple[tuple[str, float], tuple[str, float]] | None:
        """The entries two parts of the message ask about, in the order said: the sides of a short "x and
        y" (as _two_topics splits it), or its two asking clauses; None unless each names something of its
        own beyond the disease ("carcinoid and NET" is one question) and they ask about different entries.
        Each side leans to its entry with at least _SIDE_LEAN ("is it comon and were duz it grow"); over a
        message the model ``answered`` (its entry), that entry is one of the two ("what causes NETs and who
        is more likely to get them", "simptoms and were it grows"): a side that leans nowhere is no question
        of its own ("is it bad and how fast does it grow"), nor one the model reads, alone, as likeliest
        beyond the page when it names no topic of its own."""
        parts = _short_sides(text)
        if len(parts) != 2:
            parts = [" ".join(analysis.clauses[q].words) for q in analysis.questions]
        if len(parts) != 2:
            return None
        leans = []
        for part in parts:
            reading = self.analyzer.analyze(part)
            if not reading.tokens:
                return None
            ranked = self.model.score("answer", part, reading).ranked
            if ranked[0][0] not in self._topics and not self._names_a_topic(reading):
                return None   # "is that normal": likeliest beyond the page, and names no topic; no question of its own
            leans.append(next(((c, p) for c, p in ranked if c in self._topics), ("", 0.0)))
        first, second = leans
        if answered is not None and answered not in (first[0], second[0]):
            return None
        return (first, second) if first[0] != second[0] and min(first[1], second[1]) >= _SIDE_LEAN else None

    def _names_a_topic(self, reading: Analysis) -> bool:
        """Whether a part names a concept of full weight ("were it grows": growth), not only a weak one that
        asks about what was said ("is that normal", "what does that mean": faq/data/concepts.yaml)."""
        weights = self.analyzer.concepts.weights
        return any(t.startswith(CONCEPT_MARK) and weights.get(t[len(CONCEPT_MARK):], 1.0) >= 1.0 for t in reading.tokens)

    def _two_topics(self, text: str, result: MatchResult) -> MatchResult:
        """ "symptoms and causes?": a short request joining two topics is two questions, the first
        answered and the second offered, when each side alone is an answer and they differ; unless
        the model is sure of one topic for the whole and unsure of a side."""
        if result.uncovered_topic:
            return result   # "symptoms and treatment": a topic the page does not cover is declined first
        sides = _short_sides(text)
        if len(sides) != 2:
            return result
        read = []
        for side in sides:
            side_reading = self.analyzer.analyze(side)
            alone = self._model_decide(side, side_reading, side_reading.questions, ())
            if alone.outcome is not Outcome.ANSWER:
                return result
            read.append(alone)
        first, second = read
        if first.entry_id == second.entry_id:
            return result
        if result.outcome is Outcome.ANSWER and not result.hedged and (first.hedged or second.hedged):
            # The model is sure of one topic for the whole and unsure of a side ("signs and symptoms");
            # two sides it is sure of are two questions ("NET symptoms vs when to see a doc").
            return result
        if result.outcome is Outcome.FALLBACK and self._beyond_page(
                self.model.score("answer", text, self.analyzer.analyze(text))):
            return result   # the model reads the whole as beyond the page: declined, not split
        return replace(first, secondary=second.candidates[0],
                       reason=f"two topics joined: {first.entry_id} and {second.entry_id}")

    def _beyond_page(self, scores) -> bool:  # noqa: ANN001
        """The model's own decline: not an entry, at or above its ``decline`` threshold."""
        top, p_top = scores.best
        return top not in self._entry_ids and p_top >= self.model.heads["answer"].thresholds["decline"]

    def _model_decide(self, text: str, analysis: Analysis, questions: list[int],
                      context: tuple[str, ...], after: str | None = None) -> MatchResult:
        """The answer head's probabilities against the thresholds chosen by cross-validation
        (saved with the model): answer (hedged below ``confident``), ask between close entries,
        or decline, naming the uncovered topic the rules' evidence points to."""
        assert self.model is not None
        head = self.model.heads["answer"]
        t = head.thresholds
        scores = self.model.score("answer", text, analysis, explain=5, after=after)
        topics = {e.id: e.topic for e in self.kb.entries}
        entries = [(c, p) for c, p in scores.ranked if c in topics]
        # What the model offers: the likeliest entry and any other it gives a real chance (``offer``).
        shown = tuple(Candidate(c, topics[c], round(100 * p, 1)) for i, (c, p) in
                      enumerate(entries[: self.settings.max_suggestions]) if i == 0 or p >= t["offer"])
        top, p_top = scores.best
        best, p_best = entries[0]
        why = ", ".join(scores.reasons)
        if self._beyond_page(scores):
            # The topic is named when the rules, on their own evidence, decline it too.
            rules = decide(self._evidence(analysis, questions[0] if questions else None, context), self.settings)
            uncovered = rules.uncovered_topic if rules.outcome is Outcome.FALLBACK else None
            return MatchResult(Outcome.FALLBACK, None, round(100 * p_top, 1), shown,
                               f"model: not covered ({p_top:.2f}; {why})", uncovered, reasons=scores.reasons,
                               beyond_page=True)
        close = tuple(c for c in shown if c.score >= 100 * max(t["offer"], t["ratio"] * p_best))
        if len(close) >= 2 and sum(c.score for c in close) >= 100 * t["answer"]:
            return MatchResult(Outcome.CLARIFY, None, round(100 * p_best, 1), close,
                               f"model: close candidates ({why})", reasons=scores.reasons)
        if head.uses_reading and p_best < t["confident"] and len(entries) > 1:
            # Unsure, and the rules find the model's two likeliest entries close ("types and
            # symptoms"): ask, offering them, rather than decline or answer one of them.
            rules = decide(self._evidence(analysis, questions[0] if questions else None, context), self.settings)
            offered = {c.entry_id for c in rules.candidates}
            if rules.outcome is Outcome.CLARIFY and {best, entries[1][0]} <= offered:
                both = tuple(c for c in shown if c.entry_id in offered)
                return MatchResult(Outcome.CLARIFY, None, round(100 * p_best, 1), both,
                                   f"model unsure, rules find close candidates ({why})", reasons=scores.reasons)
        if p_best >= t["answer"]:
            # An answer also names the entries still possible (half the chance an offer needs), so a
            # follow-up with the last question may settle on one of them ("what about the hormone ones").
            possible = tuple(Candidate(c, topics[c], round(100 * p, 1)) for i, (c, p) in
                             enumerate(entries[: self.settings.max_suggestions]) if i == 0 or p >= t["offer"] / 2)
            return MatchResult(Outcome.ANSWER, best, round(100 * p_best, 1), possible,
                               f"model: {p_best:.2f} ({why})", hedged=p_best < t["confident"], reasons=scores.reasons)
        return MatchResult(Outcome.FALLBACK, None, round(100 * p_best, 1), shown,
                           f"model: nothing sure enough ({p_best:.2f}; {why})", reasons=scores.reasons, unsure=True)

    def match_after(self, text: str, after: str | None) -> MatchResult | None:
        """The model's reading of a message said right after the answer of entry ``after``: the answer head's
        reading of its own words, shifted by which answers follow that one in conversations (the model's
        ``after`` prior); one question. ``after`` None: the same reading with no answer before it. None when
        the model did not learn the prior (or there is no model)."""
        if self.model is None or not self.model.reads_after or not words(text):
            return None
        bound = bounded(text, self.settings.max_input_chars)
        analysis = self.analyzer.analyze(bound)
        return self._model_decide(bound, analysis, analysis.questions, (), after)

    # -- the one entry point ---------------------------------------------------
    def match(self, text: str, context_text: str | None = None, *, one_question: bool = False) -> MatchResult:
        """The outcome for one message. ``context_text`` (an earlier message, say) adds weaker evidence.
        ``one_question``: the text is one question put together by the caller (a follow-up read with
        the last question): no second question or second topic is looked for in it."""
        s = self.settings
        analysis = self.analyzer.analyze(bounded(text, s.max_input_chars))
        context = self.analyzer.analyze(bounded(context_text, s.max_input_chars)).tokens if context_text else ()
        if not analysis.tokens:
            # Only the disease's name: "what is a NET?" has one answer.
            defaults = [t for t in self.scorer.default_targets if t < self._entry_count]
            if analysis.names_any_disease and defaults:
                entry = self.kb.entries[defaults[0]]
                ranked = (Candidate(entry.id, entry.topic, 100.0),)
                return MatchResult(Outcome.ANSWER, entry.id, 100.0, ranked, "names the disease only",
                                   hedged=not analysis.may_name_nets)
            return MatchResult(Outcome.FALLBACK, None, 0.0, (), "no words to match")
        questions = analysis.questions
        if self.model is not None:
            return self._model_match(text, analysis, questions, context, one_question)
        if questions and not analysis.names_nets_or_tumour and not analysis.taken_as_about_nets \
                and not context and self._asks_about_itself(analysis.clauses[questions[0]]):
            return MatchResult(Outcome.FALLBACK, None, 0.0, (), "asks about the thing itself, not NETs")
        result = decide(self._evidence(analysis, questions[0] if questions else None, context), s)
        if result.outcome is Outcome.FALLBACK and not result.candidates and not result.uncovered_topic \
                and analysis.names_nets_clearly:
            result = replace(result, candidates=self._starters(), reason="names NETs, nothing else known")
        if len(questions) > 1 and not one_question:  # a second question: offer what it asks
            second = decide(self._evidence(analysis, questions[1], context), s)
            if second.outcome is Outcome.ANSWER and second.entry_id != result.entry_id:
                result = replace(result, secondary=second.candidates[0])
        return result
