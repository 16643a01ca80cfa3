"""Read a message into what the matcher scores: per clause, the concepts it mentions and its
other content words (stemmed), plus what it says about the disease.

Per clause: words -> spellings -> drop scene-setting phrases -> typo correction ->
stems -> concepts (longest form first) -> negation -> drop stop words and disease words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

from faq.concepts import ConceptLexicon, concept_token
from faq.language import Language
from faq.normalize import Corrector, stem
from faq.question_words import ASKS_WHAT, AUXILIARIES, WH_WORDS
from faq.segment import clauses

# "NET" or "NETs" in capitals is the disease; "net" alone may be a fishing net.
_CAPITAL_NET = re.compile(r"\bNET[sS]?\b")
_CANCER = frozenset({"cancer", "cancers"})
_TUMOR = frozenset({"tumor", "tumors", "tumour", "tumours"})
# Pasted or typed markup ("<b>what</b>") is not part of the question.
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,40}>")
# Typos are corrected towards words that carry meaning and towards long stop words
# ("diffrent"); a short unknown word is more likely one we do not know than a misspelt "can't".
_LONG_STOP_WORD = 6
OTHER_CANCER = "other-cancer"
NAMED_TYPE = "named-type"
DEFINITION = "definition"
MALIGNANCY = "malignancy"

@dataclass(frozen=True)
class ReadClause:
    tokens: tuple[str, ...]   # concept tokens ("#flushing") and stems of other content words
    asks: bool
    story: frozenset[str] = frozenset()  # tokens said as past, setting or negated ("after my biopsy"): count less
    names_disease: bool = False          # "what does neuroendocrine mean": a definition asked of the disease
    points_back: bool = False            # opens "does it", "can that": asks about what the clause before named
    words: tuple[str, ...] = ()          # the clause's words as written (lowercase)
    of_others: frozenset[str] = frozenset()  # tokens said of someone else ("will my mum die soon": her death)
    negated: frozenset[str] = frozenset()    # tokens a negation reaches ("i don't want to die": want, death)


@dataclass(frozen=True)
class Analysis:
    clauses: tuple[ReadClause, ...]
    names_nets_clearly: bool          # "neuroendocrine", "NET", "net tumor" (model feature f:about_nets)
    may_name_nets: bool               # says "net" or a specific word, even if it may be a fishing net
    names_any_disease: bool           # "tumor", "cancer", "net" included
    names_nets_or_tumour: bool = False  # NETs, or a tumor or cancer, not just a lowercase "net" (f:names_disease)
    taken_as_about_nets: bool = False   # names a disease, or asks about "it" or "these" (f:refers)

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for c in self.clauses for t in c.tokens))

    @property
    def of_others_only(self) -> bool:
        """Everything it says is said of someone else ("will my mum die soon?"): nothing of the writer."""
        tokens = [(t, c) for c in self.clauses for t in c.tokens]
        return bool(tokens) and all(t in c.of_others for t, c in tokens)

    @property
    def questions(self) -> list[int]:
        """Indexes of the asking clauses that say something beyond the disease's name."""
        out = []
        for i, c in enumerate(self.clauses):
            if c.asks and c.tokens:
                out.append(i)
            elif c.asks and c.points_back and i and self.clauses[i - 1].tokens:
                out.append(i - 1)  # "Do some of these tumours really do that?": what "that" is, is asked
        return list(dict.fromkeys(out))


class Analyzer:
    def __init__(self, language: Language, concepts: ConceptLexicon, known_words: set[str]):
        self.language = language
        self.concepts = concepts
        self.faq_words = frozenset(known_words)
        vocabulary = language.surface_vocabulary() | concepts.surface_words | known_words
        self.corrector = Corrector(vocabulary, (w for w in vocabulary if len(w) >= 4 and (
            w not in language.stop_words or len(w) >= _LONG_STOP_WORD)), min_length=5)
        self.vocabulary = self.corrector.vocabulary
        self._stop_stems = frozenset(stem(w) for w in language.stop_words) | frozenset(language.stop_words)
        self._ignore_longest = max((len(p) for p in language.ignore_phrases), default=0)
        self._story_longest = max((len(p) for p in language.historical), default=0)
        # A one-word form never matches a stop word by stem alone ("medical" is not "medication").
        self._stop_words = language.stop_words
        self._disease_words = language.disease_words
        # A misspelling the stemmer joins to a disease word ("endocrin") names the disease too;
        # typo correction leaves it alone, as its stem is known.
        self._disease_by_stem = {stem(w): w for w in sorted(language.disease_words)}
        # First words of the phrases looked for, so most words are passed over at once.
        self._ignore_starts = frozenset(p[0] for p in language.ignore_phrases)
        self._story_starts = frozenset(p[0] for p in language.historical)
        # The safety net and the matcher read the same message: the reading (immutable) is kept.
        self.analyze = lru_cache(maxsize=256)(self.analyze)  # type: ignore[method-assign]

    def _story_ends(self, ws: list[str]) -> list[int]:
        """Indexes just after each historical trigger ("after my" in "after my biopsy")."""
        ends = []
        for i in range(len(ws)):
            if ws[i] not in self._story_starts:
                continue
            for n in range(min(self._story_longest, len(ws) - i), 0, -1):
                if tuple(ws[i:i + n]) in self.language.historical:
                    ends.append(i + n)
                    break
        return ends

    def _drop_ignored(self, ws: list[str]) -> list[str]:
        out, i = [], 0
        ignore = self.language.ignore_phrases
        while i < len(ws):
            if ws[i] not in self._ignore_starts:
                out.append(ws[i])
                i += 1
                continue
            for n in range(min(self._ignore_longest, len(ws) - i), 0, -1):
                if tuple(ws[i:i + n]) in ignore:
                    i += n
                    break
            else:
                out.append(ws[i])
                i += 1
        return out

    def _read(self, ws: list[str], flags: dict[str, bool], asks: bool) -> tuple[list[str], set[str], set[str], set[str]]:
        """(tokens of one clause, those said only as past, setting or negated, those said of someone else, those a
        negation reaches); notes in ``flags`` which disease words it says."""
        ws = self._respelt(ws)
        self._note_disease_words(ws, flags)
        tokens, ws = self._other_cancers(ws)
        story, of_others, negated = self._concepts_and_words(ws, asks, tokens)
        return list(dict.fromkeys(tokens)), story, of_others, negated

    def _said_of_others(self, ws: list[str]) -> list[bool]:
        """Per word, whether the clause speaks of someone else there: from a word of ``experiencer.others``
        on, until one of ``experiencer.self`` (ConText's experiencer, forward to the clause's end)."""
        others, self_words = self.language.others, self.language.self_words
        out, other = [], False
        for w in ws:
            if w in others:
                other = True
            elif w in self_words:
                other = False
            out.append(other)
        return out

    def _respelt(self, ws: list[str]) -> list[str]:
        """Spellings, scene-setting phrases dropped, typos corrected, a misspelt disease word known."""
        spell = self.language.spellings
        ws = self._drop_ignored([spell.get(w, w) for w in ws])
        ws = [spell.get(c, c) for c in map(self.corrector.correct, ws)]
        return [w if w in self.vocabulary else self._disease_by_stem.get(stem(w), w) for w in ws]

    def _note_disease_words(self, ws: list[str], flags: dict[str, bool]) -> None:
        """Which kinds of disease word the clause says (specific, ambiguous, general, a named type)."""
        lang = self.language
        for w in ws:
            if w in lang.specific_disease_words or w in lang.general_disease_words:
                flags["here"] = True
            if w in lang.specific_disease_words:
                flags["specific"] = True
                if w in lang.named_types:
                    flags["named_type"] = flags["named_type_here"] = True
            elif w in lang.ambiguous_disease_words:
                flags["ambiguous"] = True
            elif w in lang.general_disease_words:
                flags["general"] = True

    def _other_cancers(self, ws: list[str]) -> tuple[list[str], list[str]]:
        """An other-cancer token for each "breast cancer", "brain tumor" (another condition), and
        the words without its site, which names that condition, not a place a NET grows."""
        lang = self.language
        tokens: list[str] = []
        site_at: set[int] = set()
        for i, w in enumerate(ws):
            prev = ws[i - 1] if i else ""
            if prev and prev not in self._disease_words and (
                    (w in _CANCER and (prev in lang.cancer_sites or prev not in self.vocabulary))
                    or (w in _TUMOR and prev in lang.cancer_sites and prev not in self.faq_words)):
                tokens.append(concept_token(OTHER_CANCER))
                site_at.add(i - 1)
        if site_at:
            ws = [w for i, w in enumerate(ws) if i not in site_at]
        return tokens, ws

    def _concepts_and_words(self, ws: list[str], asks: bool,
                            tokens: list[str]) -> tuple[set[str], set[str], set[str]]:
        """Appends to ``tokens`` the concepts (longest form first) and the stems of the other content
        words; returns (the concepts said only as past, setting or negated, the tokens said of someone else, the
        tokens a negation reaches, asked or not: NegEx's scope)."""
        lang = self.language
        stems = [stem(w) for w in ws]
        # A negation that does not negate what follows ("I never knew", "no idea") is left out.
        negated_at = [i for i, w in enumerate(ws) if w in lang.negators
                      and not any(tuple(ws[i:i + len(p)]) == p for p in lang.pseudo_negations)]
        # Whether a negation reaches each word (NegEx's scope: at most negation_window words after it).
        reached = [any(k - lang.negation_window <= j < k for j in negated_at) for k in range(len(ws))]
        story_at = self._story_ends(ws)
        skippable = [w in lang.fillers for w in ws]
        of_other = self._said_of_others(ws)
        of_others: set[str] = set()
        negated_tokens: set[str] = set()
        story: set[str] = set()
        plain: set[str] = set()
        meanings = lang.negated_meanings or {}
        i = 0
        while i < len(ws):
            found = self.concepts.longest_at(stems, i, skippable)
            if found and found[1] == 1 and ws[i] in self._stop_words and ws[i] not in self.concepts.single_words:
                found = None
            if found:
                concept, n = found
                after = ws[i + n: i + n + 2]
                if after and after[0] in AUXILIARIES | {"have", "had"} and len(after) > 1:
                    after = after[1:]  # "my GP has referred me"
                if after and after[0] in lang.reporting_verbs and concept in lang.reporters:
                    i += n  # "the GP thinks", "my doctor said": who reports it, not what is asked
                    continue
                tokens.append(concept_token(concept))
                if of_other[i]:
                    of_others.add(concept_token(concept))
                negated = reached[i]
                if negated:
                    negated_tokens.add(concept_token(concept))
                # Said in a statement as past or setting ("after my biopsy") or negated ("no
                # flushing, no diarrhoea"): counts less, unless also said plainly elsewhere.
                if (not asks and any(0 <= i - j < lang.historical_window for j in story_at)) or (negated and not asks):
                    story.add(concept_token(concept))
                else:
                    plain.add(concept_token(concept))
                if concept in meanings and negated:
                    tokens.append(concept_token(meanings[concept]))
                i += n
                continue
            w = ws[i]
            i += 1
            if w in self._disease_words or w in lang.stop_words or w in lang.negators \
                    or stems[i - 1] in self._stop_stems or w.isdigit():
                continue
            tokens.append(stems[i - 1])
            if of_other[i - 1]:
                of_others.add(stems[i - 1])
            if reached[i - 1]:
                negated_tokens.add(stems[i - 1])
        return story - plain, of_others, negated_tokens

    def analyze(self, text: str) -> Analysis:
        text = _TAG.sub(" ", text)
        flags: dict[str, bool] = {}
        read = []
        clauses_ = clauses(text)
        for c in clauses_:
            before = dict(flags)
            flags.pop("here", None)
            flags.pop("named_type_here", None)
            tokens, story, of_others, negated = self._read(list(c.words), flags, c.asks)
            here = flags.pop("here", False)
            if c.asks and flags.pop("named_type_here", False) \
                    and all(self.concepts.weights.get(t[1:], 1.0) < 1 for t in tokens):
                tokens = [concept_token(NAMED_TYPE)]  # "what's the difference between a NET and a carcinoid, and ...?"
            if c.asks and here and not tokens:
                if ASKS_WHAT & set(c.words):
                    tokens = [concept_token(DEFINITION)]
                elif _CANCER & set(c.words) and set(c.words) & (self._disease_words - _CANCER):
                    tokens = [concept_token(MALIGNANCY)]  # "is a NET actually cancer?"
            pointing = self.language.pointing_words
            opening = c.words[1:] if c.words[0] in WH_WORDS else c.words  # "why is this happening?"
            points_back = (len(opening) > 1 and opening[0] in AUXILIARIES and opening[1] in pointing) \
                or (c.asks and not tokens and bool(set(c.words) & pointing))
            read.append(ReadClause(tuple(tokens), c.asks, frozenset(story), here, points_back, c.words,
                                   frozenset(of_others) & set(tokens), frozenset(negated) & set(tokens)))
            flags.update({k: v or before.get(k, False) for k, v in flags.items()})
        if flags.get("named_type") and all(self.concepts.weights.get(t[1:], 1.0) < 1 for c in read for t in c.tokens):
            read = [ReadClause((concept_token(NAMED_TYPE),), True)]  # "what is a carcinoid?"
        specific, ambiguous, general = (flags.get(k, False) for k in ("specific", "ambiguous", "general"))
        clearly = specific or (ambiguous and (bool(_CAPITAL_NET.search(text)) or general))
        refers = any(c.asks and set(c.words) & self.language.referring_words for c in clauses_)
        return Analysis(tuple(read), clearly, specific or ambiguous, specific or ambiguous or general,
                        clearly or specific or general, refers or ambiguous or clearly or specific or general)
