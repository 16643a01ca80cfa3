"""Spot emergencies and crises before anything else (bot/data/safety.yaml).

Recall first: a message is read as concepts (chest, pain, collapse, "no point carrying
on"...) spotted with typos, inflections and words in between, and a rule fires when
its combination of concepts is in one sentence. ConText-style modifiers from the same
file decide whether a mention is happening now: negated ("no chest pain"), historical
("back in 2015"), long past ("as a teenager") or hypothetical, i.e. a general question
("can a NET cause chest pain?") or a recurring pattern ("my fainting spells").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from bot.spotting import Match, Normaliser, PhraseSet, Token, phrase_list, spellings_map
from faq.language import words
from faq.yamlfile import DataFileError, read_mapping

DEFAULT_SAFETY_PATH = Path(__file__).resolve().parent / "data" / "safety.yaml"
SECTIONS = ("spellings", "gap_words", "concepts", "emergency", "crisis", "context")
CATEGORIES = ("emergency", "crisis")
_MODIFIERS = {"negated": ("before", "after"), "historical": ("either",), "distant": ("either",),
              "hypothetical": ("before", "after")}
_TIME = ("present", "historical", "distant")   # the nearest time cue decides; a tie goes to "now"
_CONTEXT_LISTS = ("present", "terminators", "negation_stops", "pseudo", "figures_of_speech")
NEGATION_WINDOW = 5   # words a negation reaches ("no [sudden crushing] chest pain")


class Status(int, Enum):
    """What a mention means, best first."""
    NOW = 0
    HYPOTHETICAL = 1
    HISTORICAL = 2
    DISTANT = 3        # long ago ("as a teenager", "years ago")
    NEGATED = 4


@dataclass(frozen=True)
class SafetyHit:
    category: str        # "emergency" or "crisis"
    rule: str            # the rule's name in safety.yaml
    say: str             # how the safety line names it ("chest pain or pressure")
    general: bool = False  # only a general question about it: a safety line, then the answer
    outright: bool = False  # said outright, now ("I'm feeling suicidal"): the full reply whatever the model reads


@dataclass(frozen=True)
class Rule:
    category: str
    name: str
    say: str
    combinations: tuple[tuple[str, ...], ...]
    outright: bool = False   # needs no second reading when it fires now (safety.yaml: `outright: true`)


@dataclass(frozen=True)
class Mention:
    concepts: tuple[str, ...]
    match: Match
    sentence: int
    status: Status


class SafetyCheck:
    def __init__(self, normaliser: Normaliser, phrases: PhraseSet, rules: list[Rule]):
        self._normaliser = normaliser
        self._phrases = phrases
        # Crisis first: a message with both gets the crisis line as well as the emergency number; and
        # within each, a rule said outright before the others, so its hit says so.
        self._rules = sorted(rules, key=lambda r: (r.category != "crisis", not r.outright))

    # -- reading -----------------------------------------------------------------
    def mentions(self, text: str) -> list[Mention]:
        """Every concept mention in ``text`` with what the context makes of it."""
        tokens = self._normaliser.tokens(text)
        found = self._phrases.find(tokens, set())
        scope = _scopes(tokens, [m for m, tags in found if ("terminator",) in tags])
        stops = {p for m, tags in found if ("negation_stop",) in tags for p in m.positions}
        # A negation reaches through a list of concepts: "not having any chest pain or trouble breathing".
        listed = {p for m, tags in found if any(t[0] == "concept" for t in tags) for p in m.positions}
        triggers: dict[int, list[tuple[Match, tuple]]] = {}   # by scope: a modifier reaches only its own
        for m, tags in found:
            for tag in tags:
                if tag[0] in _MODIFIERS or tag[0] == "present":
                    triggers.setdefault(scope[m.start], []).append((m, tag))
        out = []
        for match, tags in found:
            concepts = tuple(t[1] for t in tags if t[0] == "concept")
            if concepts:
                out.append(Mention(concepts, match, tokens[match.start].sentence,
                                   _status(match, triggers.get(scope[match.start], ()), stops, listed)))
        return out

    def check(self, text: str) -> SafetyHit | None:
        mentions = self.mentions(text)
        if not mentions:
            return None
        general: SafetyHit | None = None
        sentences = _by_sentence(mentions)
        for rule in self._rules:
            status = _rule_status(rule, sentences)
            if status is None:
                continue
            if rule.category == "crisis":
                if status < Status.DISTANT:  # a crisis in any tense or mood gets the crisis reply
                    return SafetyHit("crisis", rule.name, rule.say, outright=rule.outright and status is Status.NOW)
                if status is Status.DISTANT and general is None:  # "self-harmed as a teenager": the crisis line
                    general = SafetyHit("crisis", rule.name, rule.say, general=True)
            elif status is Status.NOW:
                return SafetyHit("emergency", rule.name, rule.say, outright=rule.outright)
            elif status is Status.HYPOTHETICAL and general is None:
                general = SafetyHit("emergency", rule.name, rule.say, general=True)
        return general

    def denied_crisis(self, text: str) -> bool:
        """Whether a crisis rule's words are all here but only negated ("I don't want to die", "I'm not suicidal"):
        the fear of dying, or a crisis ruled out, in the very words of one."""
        sentences = _by_sentence(self.mentions(text))
        found = [s for rule in self._rules if rule.category == "crisis"
                 if (s := _rule_status(rule, sentences)) is not None]
        return bool(found) and min(found) is Status.NEGATED

    def summary(self) -> str:
        counts = {c: sum(r.category == c for r in self._rules) for c in CATEGORIES}
        return (f"{counts['emergency']} emergency rules, {counts['crisis']} crisis rules, "
                f"{self._phrases.size} phrases")

    def explain(self, text: str) -> str:
        """One line for a report: the mentions and their status."""
        return "; ".join(f"{'+'.join(m.concepts)}={m.match.phrase.text!r}/{m.status.name.lower()}"
                         for m in self.mentions(text)) or "no concepts"


def _scopes(tokens: list[Token], terminators: list[Match]) -> list[int]:
    """A modifier reaches only its clause, and a terminator ("but") starts a new one."""
    cuts = {m.start for m in terminators}
    scope, out, last = 0, [], None
    for i, t in enumerate(tokens):
        if t.clause != last or i in cuts:
            scope += 1
            last = t.clause
        out.append(scope)
    return out


def _status(match: Match, triggers, stops: set[int], listed: set[int] = frozenset()) -> Status:
    """What the triggers of the mention's own clause make of it."""
    hypothetical = False
    time: tuple[int, bool] | None = None   # (distance, in the past) of the nearest time cue
    distant = False
    for trig, tag in triggers:
        kind, direction = tag[0], tag[1] if len(tag) > 1 else "either"
        before = trig.end < match.start          # the trigger comes first: "no chest pain"
        after = trig.start > match.end           # the trigger comes last: "chest pain, gone now"
        if kind == "negated":
            # "can't walk straight AND his words are mixed up": the negation stops at "and";
            # other concepts in between do not count towards its reach.
            between = range(trig.end + 1, match.start) if before else range(match.end + 1, trig.start)
            if ((direction == "before" and before) or (direction == "after" and after)) and \
                    len([p for p in between if p not in listed]) < NEGATION_WINDOW and \
                    not stops.intersection(between):
                return Status.NEGATED
            continue
        if kind in _TIME:
            # "had a stroke five years ago and now she's got a NET": the nearest time cue decides
            # between now and the past; the past is long ago if any cue says so ("used to, as a teenager").
            distance = match.start - trig.end if before else trig.start - match.end if after else 0
            if time is None or (distance, kind != "present") < time:
                time = (distance, kind != "present")
            distant = distant or kind == "distant"
        elif (direction == "before" and before) or (direction == "after" and after):
            hypothetical = True
    if time is not None and time[1]:
        return Status.DISTANT if distant else Status.HISTORICAL
    if hypothetical and time is None:
        return Status.HYPOTHETICAL
    return Status.NOW


def _by_sentence(mentions: list[Mention]) -> list[dict[str, Status]]:
    """For each sentence, the best status of each concept mentioned in it."""
    sentences: dict[int, dict[str, Status]] = {}
    for m in mentions:
        best = sentences.setdefault(m.sentence, {})
        for concept in m.concepts:
            if concept not in best or m.status < best[concept]:
                best[concept] = m.status
    return list(sentences.values())


def _rule_status(rule: Rule, sentences: list[dict[str, Status]]) -> Status | None:
    """The best status with which one of the rule's combinations is in one sentence."""
    best: Status | None = None
    for concepts in sentences:
        for combination in rule.combinations:
            if all(c in concepts for c in combination):
                worst = max(concepts[c] for c in combination)
                if best is None or worst < best:
                    best = worst
    return best


# -- loading ----------------------------------------------------------------------
def english_words() -> set[str]:
    """Words known to be real (the FAQ's source page, its entries and the matcher's lexicon):
    never read as a typo of a concept word ("every" is not "ever")."""
    from faq.language import DEFAULT_LANGUAGE_PATH, load_language
    from faq.loader import DATA_DIR

    known = set(load_language(DEFAULT_LANGUAGE_PATH).surface_vocabulary())
    for name in ("source.txt", "faq.yaml"):
        known.update(words((DATA_DIR / name).read_text(encoding="utf-8")))
    return known


def load_safety(path: str | Path = DEFAULT_SAFETY_PATH, known_words: set[str] | None = None,
                chat_spellings: dict[str, str] | None = None) -> SafetyCheck:
    """``known_words``: real words never corrected as typos (default: english_words()); ``chat_spellings``:
    language.yaml's, read before this file's own spellings (default: the bundled language.yaml's)."""
    path = Path(path)
    raw, problems = read_mapping(path, SECTIONS, what="section")
    for key in SECTIONS:
        if key not in raw:
            problems.append(f"{path}: section '{key}': missing")

    spellings = spellings_map(raw.get("spellings"), path, problems, chat_spellings)
    gap_raw = phrase_list(raw.get("gap_words"), f"{path}: section 'gap_words'", problems)
    texts: list[tuple[str, tuple]] = []   # (phrase text, tag)
    concepts = _concept_phrases(raw, path, problems, texts)
    rules = _rules(raw, concepts, path, problems)
    _context_phrases(raw, path, problems, texts)

    normaliser = _normaliser(texts, spellings, known_words)
    entries = []
    for text, tag in texts:
        phrase = normaliser.phrase(text)
        if phrase is None:
            problems.append(f"{path}: phrase {text!r}: has no words")
        else:
            entries.append((phrase, tag))
    if problems:
        raise DataFileError(problems)
    gap_words = frozenset(gap_raw) | frozenset(normaliser.stem(w) for w in gap_raw)
    phrases = PhraseSet(entries, gap_words, max_gap=3, prefer=lambda tag: tag[0] == "concept")
    return SafetyCheck(normaliser, phrases, rules)


def _concept_phrases(raw: dict, path: Path, problems: list[str], texts: list[tuple[str, tuple]]) -> dict:
    """The 'concepts' section: each concept's phrases join ``texts``; returns the section."""
    concepts = raw.get("concepts")
    if not isinstance(concepts, dict) or not concepts:
        problems.append(f"{path}: section 'concepts': must map concept names to lists of phrases")
        concepts = {}
    for name, forms in concepts.items():
        for form in phrase_list(forms, f"{path}: concept '{name}'", problems):
            texts.append((form, ("concept", str(name))))
    return concepts


def _rules(raw: dict, concepts: dict, path: Path, problems: list[str]) -> list[Rule]:
    """The emergency and crisis rules, each combination made only of known concepts; then
    every concept no rule uses is a problem."""
    rules: list[Rule] = []
    used: set[str] = set()
    for category in CATEGORIES:
        group = raw.get(category)
        if not isinstance(group, dict) or not group:
            problems.append(f"{path}: section '{category}': must map rule names to 'say' and 'when'")
            continue
        for name, body in group.items():
            where = f"{path}: {category} rule '{name}'"
            if not isinstance(body, dict) or "when" not in body or set(body) - {"say", "when", "outright"}:
                problems.append(f"{where}: needs 'when' (a list of combinations) and may have 'say' and 'outright'")
                continue
            outright = body.get("outright", False)
            if not isinstance(outright, bool):
                problems.append(f"{where} field 'outright': must be true or false")
                continue
            say = body.get("say", str(name))
            if not isinstance(say, str) or not say.strip():
                problems.append(f"{where} field 'say': empty or not text")
                continue
            combos = []
            for i, combo in enumerate(phrase_list(body["when"], f"{where} field 'when'", problems), 1):
                parts = tuple(p.strip() for p in combo.split("+"))
                unknown = [p for p in parts if p not in concepts]
                if unknown:
                    problems.append(f"{where} field 'when' item {i}: unknown concept "
                                    f"{', '.join(repr(u) for u in unknown)} (concepts are defined under 'concepts')")
                    continue
                used.update(parts)
                combos.append(parts)
            rules.append(Rule(category, str(name), say.strip(), tuple(combos), outright))
    for name in concepts:
        if name not in used:
            problems.append(f"{path}: concept '{name}': no rule uses it (add it to a rule's 'when' or remove it)")
    return rules


def _context_phrases(raw: dict, path: Path, problems: list[str], texts: list[tuple[str, tuple]]) -> None:
    """The 'context' section: modifier triggers and the other cue lists join ``texts``, tagged."""
    context = raw.get("context")
    if not isinstance(context, dict):
        problems.append(f"{path}: section 'context': must map {', '.join([*_MODIFIERS, *_CONTEXT_LISTS])}")
        context = {}
    for key in sorted(set(context) - set(_MODIFIERS) - set(_CONTEXT_LISTS), key=str):
        problems.append(f"{path}: context '{key}': unknown (known: {', '.join([*_MODIFIERS, *_CONTEXT_LISTS])})")
    for kind, directions in _MODIFIERS.items():
        body = context.get(kind)
        if not isinstance(body, dict) or not body or set(body) - set(directions):
            problems.append(f"{path}: context '{kind}': must map {' and/or '.join(directions)} to lists of triggers")
            continue
        for direction, items in body.items():
            for item in phrase_list(items, f"{path}: context '{kind}.{direction}'", problems):
                texts.append((item, (kind, direction)))
    tags = {"present": ("present",), "terminators": ("terminator",), "negation_stops": ("negation_stop",),
            "pseudo": ("pseudo",), "figures_of_speech": ("figure",)}
    for key in _CONTEXT_LISTS:
        if key in context:
            for item in phrase_list(context[key], f"{path}: context '{key}'", problems):
                texts.append((item, tags[key]))


def _normaliser(texts: list[tuple[str, tuple]], spellings: dict[str, tuple[str, ...]],
                known_words: set[str] | None) -> Normaliser:
    """Reads words as this file's phrases need: every word of the file and of ``known_words`` is real."""
    vocabulary = {w for text, _ in texts for w in words(text.replace("=", " "))}
    vocabulary |= {w for v in spellings.values() for w in v}
    # Typos are corrected towards concept words only: a trigger or a figure of speech is
    # no reason to read "doing" as "dying".
    targets = {w for text, tag in texts if tag[0] == "concept" for w in words(text.replace("=", " "))}
    known = english_words() if known_words is None else known_words
    return Normaliser(spellings, vocabulary | known, targets=targets)
