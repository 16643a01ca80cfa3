"""The labeled corpus: every message the bot must learn to recognise, in one format.

One YAML file per batch (``corpus/*.yaml``)::

    # FIRST RUN ... (a held-out batch's first run, recorded before anything was fitted to it)
    batch: matcher-15
    split: heldout          # train | heldout: decided before the batch is first run
    writer: "blind helper (source page, topics and voices only)"
    messages:
      - {text: "what r the simptoms", answer: symptoms, voice: phone-typo}
      - {text: "does insurance cover it", answer: out, decline: costs, voice: american}
      - {text: "he's collapsed and won't wake", safety: emergency, voice: anxious}
      - {text: "evening folks, first post", smalltalk: greeting, voice: forum-backstory}
      - {text: "I'm so scared", feeling: fear, voice: patient}

Labels, each optional (``text`` and ``voice`` are required):
  answer     an FAQ entry id, or ``out`` (the page does not cover it); ``also`` a second right entry
  decline    with ``out``: the nearest topic of declines.yaml
  safety     ``emergency`` or ``crisis``; absent means none
  smalltalk  an intent of bot/data/smalltalk.yaml, or ``question`` (small talk beside a question)
  feeling    fear, shock, grief, anger, loneliness, relief, gratitude
  followup   true for a turn of a conversation that leans on the turn before ("and the pancreas?",
             "what about my sister"); a message without it stands alone, as every message written
             as a first message does

``labeled`` (default: answer, safety, smalltalk, feeling, followup) says which kinds a batch labels
completely, so that a message without that label means "none"; batches written for one job list only
theirs. ``clarify`` is listed by a batch whose every message asking about two topics has its ``also``.
``vocabulary: false`` (default true): a batch written to teach one head adds labels but no features,
like the conversations' turns, so the heads it does not label (safety above all) are trained as before.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from faq.dialogues import read_conversations, with_earlier
from faq.labels import FEELINGS, OUT, SAFETY, SMALLTALK, SPLITS
from faq.yamlfile import DataFileError, read_yaml

__all__ = ["FEELINGS", "OUT", "SAFETY", "SMALLTALK", "SPLITS", "Batch", "Message", "load_corpus"]
_FIELDS = frozenset({"text", "voice", "answer", "also", "decline", "safety", "smalltalk", "feeling", "followup"})
_BATCH_KEYS = frozenset({"batch", "split", "writer", "labeled", "vocabulary", "messages"})
# What a batch labels completely: a message without that label is a "no" (no question, no
# emergency...), not unknown. Older batches were written for one job each. "clarify" (whether a message
# asks about two topics, ``also``) is labelled completely only by batches that say so: older writers
# often labelled a second question by its first alone.
LABEL_KINDS = ("answer", "safety", "smalltalk", "feeling", "followup", "clarify")
DEFAULT_LABELED = ("answer", "safety", "smalltalk", "feeling", "followup")
DEFAULT_CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"


@dataclass(frozen=True)
class Message:
    text: str
    voice: str
    batch: str
    split: str
    answer: str | None = None     # entry id or "out"
    also: str | None = None
    decline: str | None = None
    safety: str | None = None     # "emergency", "crisis" or None
    smalltalk: str | None = None
    feeling: str | None = None
    followup: bool = False        # leans on the turn before (a conversation's turn)
    clarify: bool = False         # a conversation's turn the bot must ask back about (two topics, or unclear)
    urgent: bool = False          # a conversation's turn that needs the safety reply, its kind not said
    after: str | None = None      # a conversation's turn read as said right after this entry's answer

    @property
    def two_topics(self) -> bool:
        """It asks about two entries the page answers (``answer`` and a different ``also``)."""
        return self.answer not in (None, OUT) and self.also not in (None, OUT, self.answer)


@dataclass(frozen=True)
class Batch:
    name: str
    split: str
    writer: str
    path: Path
    messages: tuple[Message, ...]
    labeled: tuple[str, ...] = DEFAULT_LABELED
    conversations: bool = False   # the turns of corpus/conversations/, not messages written to stand alone
    # False: a batch written to teach one head adds labels, not words (like the conversations' turns), so
    # the features, and every head it does not label, stay as they were.
    vocabulary: bool = True


def _label(m: dict, key: str, allowed: tuple[str, ...] | frozenset[str] | None, where: str,
           problems: list[str]) -> str | None:
    value = m.get(key)
    if value is None:
        return None
    value = str(value)
    if allowed is not None and value not in allowed:
        problems.append(f"{where}: field '{key}': unknown value '{value}'")
        return None
    return value


def _flag(m: dict, key: str, where: str, problems: list[str]) -> bool:
    value = m.get(key, False)
    if not isinstance(value, bool):
        problems.append(f"{where}: field '{key}': must be true or false")
        return False
    return value


def load_batch(path: str | Path, entry_ids: set[str] | None = None, decline_ids: set[str] | None = None) -> Batch:
    """One batch file, every problem named at once (file, message number, field)."""
    path = Path(path)
    raw = read_yaml(path)
    problems: list[str] = []
    if not isinstance(raw, dict) or not isinstance(raw.get("messages"), list):
        raise DataFileError([f"{path}: needs 'batch', 'split' and a 'messages' list"])
    for key in sorted(set(raw) - _BATCH_KEYS):
        problems.append(f"{path}: unknown top-level key '{key}'")
    name, split = str(raw.get("batch") or path.stem), raw.get("split")
    if split not in SPLITS:
        problems.append(f"{path}: split: must be 'train' or 'heldout' (got {split!r})")
    labeled = raw.get("labeled", list(DEFAULT_LABELED))
    if not isinstance(labeled, list) or set(map(str, labeled)) - set(LABEL_KINDS):
        problems.append(f"{path}: labeled: must be a list of {', '.join(LABEL_KINDS)}")
        labeled = list(DEFAULT_LABELED)
    answers = None if entry_ids is None else frozenset(entry_ids) | {OUT}
    messages = []
    for n, m in enumerate(raw["messages"], 1):
        where = f"{path}: message #{n}"
        if not isinstance(m, dict) or not str(m.get("text") or "").strip():
            problems.append(f"{where}: needs a non-empty 'text'")
            continue
        for key in sorted(set(m) - _FIELDS):
            problems.append(f"{where}: unknown field '{key}'")
        answer = _label(m, "answer", answers, where, problems)
        decline = _label(m, "decline", None if decline_ids is None else frozenset(decline_ids), where, problems)
        if decline and answer != OUT:
            problems.append(f"{where}: field 'decline': only with 'answer: out'")
        messages.append(Message(
            str(m["text"]), str(m.get("voice") or ""), name, str(split), answer,
            _label(m, "also", answers, where, problems), decline,
            _label(m, "safety", SAFETY, where, problems), _label(m, "smalltalk", SMALLTALK, where, problems),
            _label(m, "feeling", FEELINGS, where, problems), _flag(m, "followup", where, problems)))
    vocabulary = raw.get("vocabulary", True)
    if not isinstance(vocabulary, bool):
        problems.append(f"{path}: vocabulary: must be true or false")
    if problems:
        raise DataFileError(problems)
    return Batch(name, str(split), str(raw.get("writer") or ""), path, tuple(messages), tuple(map(str, labeled)),
                 vocabulary=vocabulary)


# Whole conversations written for training (the format of tests/data/conversations*.yaml, with a
# batch's `batch`, `split` and `writer`): what a conversation labels completely is which turns lean on
# the turn before, which carry a feeling, which the bot must ask back about and which need the safety
# reply (every other turn is not urgent: short, casual turns teach the safety head what plain talk looks
# like, "where in the body would it be"). Its stand-alone turns also teach the answer head what they
# ask, and its follow-ups do so read with the turn before (a companion batch, ``<name>-in-context``, that
# labels the answer alone). Every turn after an answer also teaches the model's ``after`` prior, kept as
# said right after that answer (``<name>-after``), as the bot first reads a follow-up.
CONVERSATIONS = "conversations"
CONVERSATION_LABELS = ("followup", "feeling", "clarify", "safety")
IN_CONTEXT = "-in-context"
PICKS = "-picks"
# A pick ("the second one", "Both, if you would be so kind") answers what was offered, never the page: it teaches the
# safety and feeling heads what such a message is, and nothing what it asks.
PICK_LABELS = ("feeling", "safety")
SAID_AFTER = "-after"
AFTER_LABEL = "after"   # what learns them: the model's after prior (faq.classifier.AFTER_HEAD)
# What a turn asks nothing of the page with: the answer head learns to leave it alone, as it does
# a single message that only says a feeling or thanks.
_ASKS_NOTHING = ("feeling", "smalltalk")


def load_conversation_batch(path: str | Path, entry_ids: set[str] | None = None) -> list[Batch]:
    """A file of conversations (checked by faq.dialogues, with ``batch``, ``split`` and ``writer``) as four
    batches. The turns: each turn is a message (but a choice among what the bot offered, "the second
    one", which is read against the offer: it is learnt only as the picks are); "tell me more" leans on the turn before like
    any follow-up; a stand-alone turn carries what it asks. The follow-ups in context: each follow-up
    after a turn that asked the page something, read with that turn's words before it (the bot's
    second reading, bot/context.py), labelled with what it asks; alone it says too little. Said after:
    each turn (but a choice) once an entry has been answered, its own words said right after that answer
    (``after``, the entry the bot would remember), labelled with what it asks of the page (feelings and
    small talk ask nothing of it): "so could I get it too?" after the risk factors asks them again, "how
    long has she got?" is beyond the page, whatever came before. The picks: each choice, for the safety and
    feeling heads alone (no alarm; the feeling its writer saw), so a polite pick is not read as a crisis."""
    path = Path(path)
    raw = read_yaml(path)
    problems: list[str] = []
    try:
        dialogues = read_conversations(raw, path, entry_ids)
    except DataFileError as exc:
        problems, dialogues = list(exc.problems), ()
    raw = raw if isinstance(raw, dict) else {}
    name, split = str(raw.get("batch") or path.stem), raw.get("split")
    if split not in SPLITS:
        problems.append(f"{path}: split: must be 'train' or 'heldout' (got {split!r})")
    if problems:
        raise DataFileError(problems)
    writer = str(raw.get("writer") or "")
    turns: list[Message] = []
    in_context: list[Message] = []
    said_after: list[Message] = []
    picks: list[Message] = []
    for d in dialogues:
        before = None
        after = None   # the entry last answered, as the bot remembers it (a decline, a feeling or a list keep it)
        for t in d.turns:
            asks = OUT if t.expect == "decline" or t.expect in _ASKS_NOTHING else t.entry
            if after is not None and asks is not None and not t.choice:
                said_after.append(Message(t.text, d.voice, name + SAID_AFTER, str(split), answer=asks, after=after))
            if t.entry is not None:
                after = t.entry
            elif t.expect == "safety" or "+" in t.expect:
                after = None   # the safety reply forgets the conversation; two answers at once leave no one entry
            if t.choice:
                before = None      # what a choice answered is the offer's, not its words
                picks.append(Message(t.text, d.voice, name + PICKS, str(split), feeling=t.feeling,
                                     urgent=t.expect == "safety"))
                continue
            lean = t.followup or t.expect == "more"
            answer = OUT if t.expect == "decline" else t.entry    # what it asks the page, if anything
            alone = None if lean else OUT if t.expect in _ASKS_NOTHING else answer
            turns.append(Message(t.text, d.voice, name, str(split), answer=alone, feeling=t.feeling,
                                 followup=lean, clarify=t.expect == "clarify", urgent=t.expect == "safety"))
            if t.followup and before is not None and answer is not None:
                in_context.append(Message(with_earlier(before, t.text), d.voice, name + IN_CONTEXT, str(split),
                                          answer=answer))
            before = t.text if answer is not None else None
    return [Batch(name, str(split), writer, path, tuple(turns), CONVERSATION_LABELS, True),
            Batch(name + IN_CONTEXT, str(split), writer, path, tuple(in_context), ("answer",), True, False),
            Batch(name + SAID_AFTER, str(split), writer, path, tuple(said_after), (AFTER_LABEL,), True, False),
            Batch(name + PICKS, str(split), writer, path, tuple(picks), PICK_LABELS, True, False)]


def batch_paths(folder: str | Path = DEFAULT_CORPUS_DIR) -> list[Path]:
    """The corpus's batches of single messages (``corpus/*.yaml``)."""
    return sorted(Path(folder).glob("*.yaml"))


def load_corpus(folder: str | Path = DEFAULT_CORPUS_DIR, entry_ids: set[str] | None = None,
                decline_ids: set[str] | None = None) -> list[Batch]:
    """Every batch: the single messages, and the conversations in ``corpus/conversations/``."""
    batches, problems = [], []
    for path in batch_paths(folder):
        try:
            batches.append(load_batch(path, entry_ids, decline_ids))
        except DataFileError as exc:
            problems += exc.problems
    for path in sorted((Path(folder) / CONVERSATIONS).glob("*.yaml")):
        try:
            batches += load_conversation_batch(path, entry_ids)
        except DataFileError as exc:
            problems += exc.problems
    names = [b.name for b in batches]
    problems += [f"batch name '{n}' is used by two files" for n in sorted({n for n in names if names.count(n) > 1})]
    if problems:
        raise DataFileError(problems)
    return batches


def training_messages(batches: list[Batch]) -> list[Message]:
    return [m for b in batches if b.split == "train" for m in b.messages]


def corpus_hash(batches: list[Batch]) -> str:
    """SHA-256 over the training messages and their labels, and the held-out messages' texts: what a
    model was trained on (training drops a message that nearly repeats a held-out one, so a new
    held-out batch changes it: "NET rare?"). Comments are left out, so recording a first run never
    makes the model stale."""
    digest = hashlib.sha256()
    ordered = sorted(batches, key=lambda b: b.name)
    for b in ordered:
        if b.split == "heldout":
            digest.update(f"{b.name}\x1f".encode() + "\x1f".join(m.text for m in b.messages).encode() + b"\x1e")
    for b in ordered:
        if b.split == "train":
            words_too = "" if b.vocabulary else "\x1fno vocabulary"
            digest.update(f"{b.name}\x1f{','.join(b.labeled)}{words_too}\x1e".encode())
    for m in training_messages(ordered):
        fields = (m.batch, m.text, m.voice, m.answer, m.also, m.decline, m.safety, m.smalltalk, m.feeling,
                  "followup" if m.followup else None, "clarify" if m.clarify else None, "urgent" if m.urgent else None,
                  *([f"after {m.after}"] if m.after else []))
        digest.update("\x1f".join(f or "" for f in fields).encode() + b"\x1e")
    return digest.hexdigest()
