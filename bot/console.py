"""The console adapter: the same conversation core as Telegram, in a terminal or a pipe.

Interactive on a terminal (prompt, line editing and history through readline, colours
unless NO_COLOR is set); plain replies when input is piped; one JSON object per line
with --json, for scripted evaluation.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TextIO

from bot import feedback, texts
from bot.channel import Channel
from bot.core import Conversation
from bot.replies import Kind, Reply

CHAT_ID = "console"
QUIT = {"/quit", "/exit"}
_COLOURS = {Kind.SAFETY: "\033[1;31m", Kind.CLARIFY: "\033[33m", Kind.FALLBACK: "\033[35m"}
_DIM, _BOLD, _CYAN, _RESET = "\033[2m", "\033[1m", "\033[36m", "\033[0m"


def reply_to_json(reply: Reply) -> str:
    """The --json contract: one line per message, documented in the README."""
    return json.dumps({
        "kind": reply.kind.value,
        "id": reply.entry_id,
        "ids": [reply.entry_id, *reply.also_ids] if reply.entry_id else [],
        "score": None if reply.score is None else round(reply.score, 1),
        "reply": reply.plain(),
        "suggestions": [{"id": s.entry_id, "label": s.label} for s in reply.suggestions],
        "context": reply.context,
        "language": reply.language,
        "tier": reply.tier,
        "hedged": reply.hedged,
        "feeling": reply.feeling,
        "decline": reply.decline,
        "why": list(reply.reasons),
    }, ensure_ascii=False)


def render(reply: Reply, colour: bool) -> str:
    if not colour:
        return reply.plain()
    head = _COLOURS.get(reply.kind, "")
    parts = [f"{head}{reply.text}{_RESET if head else ''}"]
    if reply.safety_note:
        parts.insert(0, f"{_COLOURS[Kind.SAFETY]}{reply.safety_note}{_RESET}")
    if reply.source_note:
        parts.append(f"{_DIM}{reply.source_note}{_RESET}")
    if reply.suggestions:
        lines = [f"{_BOLD}{reply.suggestions_title}{_RESET}"] if reply.suggestions_title else []
        lines += [f"  {_CYAN}{i}.{_RESET} {s.label}" for i, s in enumerate(reply.suggestions, 1)]
        parts.append("\n".join(lines))
    if reply.hint:
        parts.append(f"{_DIM}{reply.hint}{_RESET}")
    return "\n\n".join(parts)


class ConsoleChannel(Channel[str]):
    """The console as a channel (bot/channel.py): plain or coloured text, or one JSON object a line
    (``json_lines``). /good and /bad rate the answer just given (bot/feedback.py): only those exact
    words, so "/bad, I have chest pain" goes to the core and its safety check."""

    def __init__(self, conversation: Conversation, colour: bool = False, json_lines: bool = False):
        super().__init__(conversation)
        self.colour = colour
        self.json_lines = json_lines
        self._last_answer: str | None = None

    def render(self, reply: Reply) -> str:
        return reply_to_json(reply) if self.json_lines else render(reply, self.colour)

    def reply_to(self, chat_id: str | int, text: str) -> Reply:
        helpful = feedback.CONSOLE_COMMANDS.get(text.strip().lower()) if isinstance(text, str) else None
        if helpful is None:
            reply = self.conversation.handle(chat_id, text)
            self._last_answer = reply.entry_id if reply.kind is Kind.ANSWER else None
            return reply
        if self.conversation.recorder is None:
            return Reply(Kind.COMMAND, texts.FEEDBACK_NOT_RECORDED)
        if self._last_answer is None:
            return Reply(Kind.COMMAND, texts.FEEDBACK_NOTHING_TO_RATE)
        entry_id, self._last_answer = self._last_answer, None  # one vote an answer
        return Reply(Kind.COMMAND, feedback.record(self.conversation, entry_id, helpful))


def _wants_colour(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def run_json(channel: ConsoleChannel, stdin: TextIO, stdout: TextIO) -> int:
    for line in stdin:
        stdout.write(channel.answer(CHAT_ID, line.rstrip("\r\n"))[1] + "\n")
        stdout.flush()
    return 0


def run_piped(channel: ConsoleChannel, stdin: TextIO, stdout: TextIO) -> int:
    for line in stdin:
        text = line.rstrip("\r\n")
        if text.strip() in QUIT:
            break
        stdout.write(channel.answer(CHAT_ID, text)[1] + "\n\n")
        stdout.flush()
    return 0


def run_interactive(channel: ConsoleChannel, stdout: TextIO) -> int:
    try:
        import readline  # noqa: F401  (line editing and in-memory history for input())
    except ImportError:  # not on every platform; input() still works
        pass
    colour = channel.colour
    prompt = f"{_BOLD}you>{_RESET} " if colour else "you> "
    stdout.write(channel.answer(CHAT_ID, "/start")[1] + "\n")
    stdout.write(("\n" + _DIM if colour else "\n") + texts.CONSOLE_HOW_TO_LEAVE
                 + (_RESET if colour else "") + "\n\n")
    stdout.flush()
    while True:
        try:
            text = input(prompt)
        except EOFError:
            break
        except KeyboardInterrupt:
            stdout.write("\n")
            break
        if text.strip() in QUIT:
            break
        try:
            _, shown = channel.answer(CHAT_ID, text)
        except KeyboardInterrupt:
            stdout.write("\n")
            break
        stdout.write("\n" + shown + "\n\n")
        stdout.flush()
    stdout.write(texts.CONSOLE_GOODBYE + "\n")
    stdout.flush()
    return 0


def run_console(conversation: Conversation, json_mode: bool) -> int:
    # Bad bytes on stdin become U+FFFD instead of a crash.
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")
    if json_mode:
        return run_json(ConsoleChannel(conversation, json_lines=True), sys.stdin, sys.stdout)
    if sys.stdin.isatty():
        return run_interactive(ConsoleChannel(conversation, colour=_wants_colour(sys.stdout)), sys.stdout)
    return run_piped(ConsoleChannel(conversation), sys.stdin, sys.stdout)
