"""The safety net: the rule detector (bot/safety.py) OR the corpus-trained safety model, graded.

Either may raise the alarm. Tiers, worst first:
- ``emergency`` / ``crisis``: the emergency or crisis reply and nothing else. Raised by a rule
  that reads a present emergency or any crisis while the model sees at least a weak sign (its
  ``check_in`` threshold), or by the model alone at or above its ``alert`` threshold (whichever
  of the two it finds likelier);
- ``check-in``: the model at or above ``check_in`` (or a rule's alarm the model does not share),
  a weak or ambiguous signal: a short, warm
  line naming the crisis line and the emergency number, above the normal reply. It is what lets
  the threshold sit low without frightening someone who asked a plain question;
- a rule's ``general`` hit ("can a NET cause chest pain?"): a one-line safety note, then the answer.
A message wholly a sign-off, thanks, "ok" or a greeting (``plain``: "goodbye", "fair enough") has the
model's alarm one tier lower: a full alarm becomes a check-in, a check-in nothing. The rules still
stand.
Both thresholds were chosen by cross-validation on the training batches, recall first, and are
saved with the model (faq/data/model.json).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.safety import SafetyCheck, SafetyHit
from faq.analyzer import Analyzer
from faq.classifier import TextModel
from faq.language import words
from faq.question_words import WH_WORDS

HEAD = "safety"
EMERGENCY, CRISIS, CHECK_IN = "emergency", "crisis", "check-in"
FULL = (EMERGENCY, CRISIS)
# A plain sign-off the model reads as urgent at or above this keeps its tier ("goodbye tonight": 0.985;
# "goodbye, take care": 0.907).
PLAIN_CEILING = 0.95
# A message of at most this many words, all stop words, negators or question words ("not now", "and?", "why not?"),
# gets from the model at most a check-in below SAYS_LITTLE_CEILING, and nothing below the alert: no urgent message of
# the training corpus is one, but the model reads some such words strongly ("i'm done": 0.88, a crisis reply; "not
# now": 0.37, "and?": 0.34, check-ins), and below the alert its reading is its prior ("why not?": 0.04).
SAYS_LITTLE_WORDS = 3
SAYS_LITTLE_CEILING = 0.6
# A question that points back at the answer just given ("would she have all of them?" after the symptoms) gets from
# the model alone at most a check-in below this: the model reads each message alone, so "them" has no referent for it
# ("all of them" is pills in the crises it learnt from; 0.49 here). A rule's alarm, or a stronger reading, still stands.
FOLLOW_UP_CEILING = 0.6
# A crisis rule's words said only negated ("I don't want to die", "I'm not suicidal, just ...") get from the model alone
# at most a check-in below this: the model reads "want to die" beside the "don't" (0.50 for the bare sentence in round
# 19, 0.67 with round 21's model). Midway between the training corpus's readings: its urgent messages that say so are
# read at 0.96 or more (the plan or the means said beside it), the non-urgent ones at 0.48 at most (round 21's model;
# round 20 chose 0.6 from 0.94 and 0.41).
DENIED_CEILING = 0.72


@dataclass(frozen=True)
class Assessment:
    tier: str | None                  # "emergency", "crisis", "check-in" or None
    hit: SafetyHit | None = None      # the rule's hit, general ones included
    urgent: float | None = None       # the model's P(emergency) + P(crisis), where it ran
    reasons: tuple[str, ...] = ()     # what weighed most: the rule's name, or the model's features
    by: str = ""                      # "rules", "model" or "" (nothing raised)
    leans: str | None = None          # a check-in's lean: "emergency" or "crisis", whichever the sign points to
    of_others: bool = False           # the message speaks only of someone else ("will my mum die soon?")


class SafetyNet:
    """``mode``: "both" (the bot), or "rules" / "model" alone for the ablation in ``bot eval-safety``."""

    def __init__(self, rules: SafetyCheck, model: TextModel | None, analyzer: Analyzer | None,
                 mode: str = "both", plain: Callable[[str], bool] | None = None):
        self.rules = rules
        self.plain = plain   # bot/smalltalk.py SmallTalk.is_plain
        self.model = model if model is not None and HEAD in model.heads else None
        self.analyzer = analyzer
        self.mode = mode
        if self.model is not None:
            t = self.model.heads[HEAD].thresholds
            self.check_in, self.alert = t["check_in"], t["alert"]

    def assess(self, text: str, use_model: bool = True, plain_lower: bool = True,
               points_back: bool = False) -> Assessment:
        """``use_model=False``: a message the model has nothing to read in (the core's call: a bare
        choice of an offered option); the rules alone. ``plain_lower=False``: a plain sign-off keeps the
        model's tier (the core's call after a crisis or emergency earlier in the chat). ``points_back``: a
        question about the answer just given (the core's call; ``FOLLOW_UP_CEILING``)."""
        hit = self.rules.check(text) if self.mode != "model" else None
        rule_alarm = hit is not None and not hit.general
        if self.model is None or self.mode == "rules" or not words(text) or not use_model:
            # No words ("🙂🙂", "???"): the model would give its prior alone, which says nothing of this message.
            if rule_alarm:
                return Assessment(hit.category, hit, reasons=(f"rule:{hit.rule}",), by="rules")
            return Assessment(None, hit)
        analysis = self.analyzer.analyze(text) if self.analyzer else None
        scores = self.model.score(HEAD, text, analysis, explain=5)
        of_others = analysis is not None and analysis.of_others_only
        emergency, crisis = scores.p(EMERGENCY), scores.p(CRISIS)
        urgent = emergency + crisis
        if rule_alarm:
            # A rule's alarm stands when the model sees at least a weak sign; alone, against the
            # model, it is a check-in. On the held-out batches the rules caught nothing the model
            # missed at some tier, and raised half the full alarms on non-urgent messages (the past
            # told as history, a film's plot): see README, "Measuring".
            # A rule said outright ("I'm feeling suicidal") stands whatever the model reads: beside two
            # questions, the model reads the questions ("..., what causes it and is it hereditary").
            if urgent >= self.check_in or hit.outright:
                # The crisis reply carries the emergency number too: it goes to a crisis by either reading.
                tier = CRISIS if hit.category == CRISIS or crisis > emergency else EMERGENCY
                return Assessment(tier, hit, urgent, (f"rule:{hit.rule}",), "rules")
            return Assessment(CHECK_IN, hit, urgent, (f"rule:{hit.rule}",), "rules", hit.category, of_others)
        if urgent < self.check_in:
            return Assessment(None, hit, urgent)
        lean = CRISIS if crisis >= emergency else EMERGENCY   # the full alarm's tier, or a check-in's lean
        if plain_lower and urgent < PLAIN_CEILING and self.plain is not None and self.plain(text):
            # "goodbye", "fair enough": one tier lower (a crisis said in a sign-off's words still gets the lines).
            return Assessment(CHECK_IN, hit, urgent, scores.reasons, "model", lean, of_others) if urgent >= self.alert \
                else Assessment(None, hit, urgent)
        if plain_lower and urgent < self.alert and self._says_little(text):
            # "why not?", "really?": below the alert, the model's reading of a few everyday words is its prior
            # speaking, not a sign (no urgent message of the training corpus says so little). After an alarm earlier
            # in the chat (``plain_lower`` False) the check-in stays.
            return Assessment(None, hit, urgent)
        if urgent >= self.alert and (urgent >= SAYS_LITTLE_CEILING or not self._says_little(text)) \
                and (urgent >= FOLLOW_UP_CEILING or not points_back) \
                and (urgent >= DENIED_CEILING or lean != CRISIS or self.mode == "model"
                     or not self.rules.denied_crisis(text)):
            return Assessment(lean, hit, urgent, scores.reasons, "model")
        # "not now", "and?": a few everyday words, which the model reads noisily when they stand alone; its
        # full alarm there is a check-in unless it is strong ("i'm done": 0.88). The rules still read "can't breathe".
        # So is a crisis's words said only negated ("I don't want to die"), unless the model reads it strongly.
        return Assessment(CHECK_IN, hit, urgent, scores.reasons, "model", lean, of_others)

    def _says_little(self, text: str) -> bool:
        """Whether the message is at most ``SAYS_LITTLE_WORDS`` words, each a stop word, a negator or a question word
        ("why", "how": faq.question_words ``wh``)."""
        if self.analyzer is None:
            return False
        ws = words(text)
        language = self.analyzer.language
        return len(ws) <= SAYS_LITTLE_WORDS and all(
            w in language.stop_words or w in language.negators or w in WH_WORDS for w in ws)
