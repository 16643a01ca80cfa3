"""A Telegram Bot API emulator on 127.0.0.1, for end-to-end tests of the real adapter.

The bot under test talks to it over HTTP through python-telegram-bot's own client
(``base_url`` pointed here); tests play the user through the Python methods below.
It implements the methods the bot uses, with the Bot API's types and error format,
and can inject faults: HTTP 429 with retry_after, 5xx, hangs past the client's
timeout, and refused connections (stop(), then start() again on the same port).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "NET FAQ", "username": "net_faq_test_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
LONG_POLL_CAP = 2.0   # seconds a getUpdates may hold, whatever timeout the bot asks for


@dataclass
class Fault:
    kind: str              # "429", "500", "502", "403" (blocked), "400chat" (chat not found),
                           # "hang" (no answer, not processed), "outage" (port closed)
    times: int
    retry_after: int = 1
    hang_seconds: float = 0.0
    until: float | None = None      # time.monotonic() it ends at, instead of a count
    chat_id: int | None = None      # only calls to this chat

    def active(self) -> bool:
        return time.monotonic() < self.until if self.until is not None else self.times > 0


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    result: Any = None
    at: float = field(default_factory=time.monotonic)


class _QuietServer(ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gave up (timeout, shutdown) closes its end: expected, not worth a traceback.
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class BotApiEmulator:
    def __init__(self, token: str, host: str = "127.0.0.1", port: int = 0):
        self.token = token
        self.host, self.port = host, port
        self._lock = threading.Condition()
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self.calls: list[Call] = []          # every bot call that succeeded, in order
        self.failed_calls: list[Call] = []   # calls answered with an injected fault
        self.faults: dict[str, list[Fault]] = {}
        self.commands: list[dict] = []
        self.webhook_url: str | None = None
        self.send_delay = 0.0                # seconds each sendMessage takes, after Telegram has it
        self.get_updates_calls = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- server lifecycle ----------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    def start(self) -> BotApiEmulator:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # the test output stays clean
                pass

            def do_GET(self):
                self._handle(b"")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self._handle(self.rfile.read(length) if length else b"")

            def _handle(self, body: bytes):
                status, payload = emulator._dispatch(self.path, self.headers.get("Content-Type", ""), body)
                if status is None:  # a hang: say nothing, then drop the connection
                    self.close_connection = True
                    return
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = _QuietServer((self.host, self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the port: the bot's next calls get 'connection refused'."""
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self._lock:
            self._lock.notify_all()

    def _outage(self, seconds: float) -> None:
        self.stop()
        time.sleep(seconds)
        self.start()

    @property
    def running(self) -> bool:
        return self._server is not None

    # -- faults ----------------------------------------------------------------------
    def inject(self, method: str, kind: str, times: int = 1, retry_after: int = 1, hang_seconds: float = 0.0,
               seconds: float | None = None, chat_id: int | None = None) -> Fault:
        """Fail the next ``times`` calls of ``method`` (or every call for ``seconds``), perhaps to one chat only."""
        fault = Fault(kind, times, retry_after, hang_seconds,
                      until=None if seconds is None else time.monotonic() + seconds, chat_id=chat_id)
        with self._lock:
            self.faults.setdefault(method, []).append(fault)
        return fault

    def _take_fault(self, method: str, params: dict) -> Fault | None:
        queue = self.faults.get(method) or []
        queue[:] = [f for f in queue if f.active()]
        for fault in queue:
            if fault.chat_id is not None and str(params.get("chat_id")) != str(fault.chat_id):
                continue
            fault.times -= 1
            return fault
        return None

    # -- the Bot API side ------------------------------------------------------------
    def _dispatch(self, path: str, content_type: str, body: bytes) -> tuple[int | None, dict]:
        parts = urlsplit(path).path.strip("/").split("/")
        if len(parts) != 2 or parts[0] != f"bot{self.token}":
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        method = parts[1]
        params = self._params(content_type, body, urlsplit(path).query)
        with self._lock:
            fault = self._take_fault(method, params)
        if fault:
            with self._lock:
                self.failed_calls.append(Call(method, params))
            if fault.kind == "hang":
                time.sleep(fault.hang_seconds)
                return None, {}
            if fault.kind == "outage":  # close the port for a while: connections are refused
                threading.Thread(target=self._outage, args=(fault.hang_seconds,), daemon=True).start()
                return None, {}
            if fault.kind == "429":
                return 429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry later",
                             "parameters": {"retry_after": fault.retry_after}}
            if fault.kind == "403":
                return 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
            if fault.kind == "400chat":
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
            code = int(fault.kind)
            return code, {"ok": False, "error_code": code, "description": "Internal Server Error"}
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        try:
            result = handler(params)
        except ValueError as exc:
            return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}
        if method != "getUpdates":
            with self._lock:
                self.calls.append(Call(method, params, result))
                self._lock.notify_all()
        if method == "sendMessage" and self.send_delay:
            time.sleep(self.send_delay)  # delivered, but the answer is slow: a kill now leaves it in flight
        return 200, {"ok": True, "result": result}

    @staticmethod
    def _params(content_type: str, body: bytes, query: str) -> dict[str, Any]:
        if "application/json" in content_type and body:
            return json.loads(body)
        raw = dict(parse_qsl(query))
        raw.update(parse_qsl(body.decode()))
        params: dict[str, Any] = {}
        for key, value in raw.items():  # PTB sends non-string values JSON-encoded
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
        return params

    def _api_getMe(self, params):
        return BOT_USER

    def _api_deleteWebhook(self, params):
        self.webhook_url = None
        return True

    def _api_setWebhook(self, params):
        self.webhook_url = params.get("url")
        return True

    def _api_setMyCommands(self, params):
        self.commands = params.get("commands") or []
        return True

    def _api_getMyCommands(self, params):
        return self.commands

    def _api_sendChatAction(self, params):
        return True

    def _api_answerCallbackQuery(self, params):
        return True

    def _api_close(self, params):
        return True

    def _api_sendMessage(self, params):
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ValueError("message text is empty")
        if len(text) > 4096:
            raise ValueError("message is too long")
        if params.get("parse_mode") == "HTML":
            _check_html(text)
        chat_id = int(params["chat_id"])
        message = {"message_id": next(self._message_ids), "date": int(time.time()),
                   "chat": _chat(chat_id), "from": BOT_USER, "text": _strip_tags(text)}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    def _api_getUpdates(self, params):
        with self._lock:
            self.get_updates_calls += 1
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), LONG_POLL_CAP)
        deadline = time.monotonic() + timeout
        with self._lock:
            if offset:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]  # confirmed ones go
            while not self._updates and self._server is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._lock.wait(left)
            limit = int(params.get("limit") or 100)
            return self._updates[:limit]

    # -- the user side -------------------------------------------------------------------
    def _push(self, update: dict) -> dict:
        with self._lock:
            update["update_id"] = next(self._update_ids)
            self._updates.append(update)
            self._lock.notify_all()
        return update

    def _message(self, chat_id: int, user_id: int, chat_type: str | None = None, **fields) -> dict:
        return {"message_id": next(self._message_ids), "date": int(time.time()),
                "chat": _chat(chat_id, chat_type), "from": _user(user_id), **fields}

    def push_raw(self, update: dict) -> dict:
        """Any update as given (update_id added), e.g. one the Bot API would never send."""
        return self._push(dict(update))

    def send_text(self, chat_id: int, text: str, user_id: int | None = None, chat_type: str | None = None,
                  reply_to: dict | None = None) -> dict:
        fields: dict[str, Any] = {"text": text}
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        for word_start, word in _words_with_offsets(text):
            if word.startswith("@") and len(word) > 1:
                entities.append({"type": "mention", "offset": word_start, "length": len(word)})
        if entities:
            fields["entities"] = entities
        if reply_to:
            fields["reply_to_message"] = reply_to
        return self._push({"message": self._message(chat_id, user_id or chat_id, chat_type, **fields)})

    def send_sticker(self, chat_id: int, user_id: int | None = None) -> dict:
        sticker = {"file_id": "CAACAgIAAxk", "file_unique_id": "AgAD", "type": "regular", "width": 512,
                   "height": 512, "is_animated": False, "is_video": False, "emoji": "👍"}
        return self._push({"message": self._message(chat_id, user_id or chat_id, sticker=sticker)})

    def send_photo(self, chat_id: int, user_id: int | None = None) -> dict:
        photo = [{"file_id": "AgACAgIAAxk", "file_unique_id": "AQAD", "width": 90, "height": 90}]
        return self._push({"message": self._message(chat_id, user_id or chat_id, photo=photo)})

    def send_location(self, chat_id: int, user_id: int | None = None) -> dict:
        return self._push({"message": self._message(chat_id, user_id or chat_id,
                                                    location={"latitude": 44.02, "longitude": -92.47})})

    def edit_text(self, original: dict, new_text: str) -> dict:
        message = dict(original["message"], text=new_text, edit_date=int(time.time()))
        return self._push({"edited_message": message})

    def tap(self, bot_message: dict, button_text: str, user_id: int | None = None) -> dict:
        """Tap the inline button labelled ``button_text`` under one of the bot's messages."""
        for row in bot_message["reply_markup"]["inline_keyboard"]:
            for button in row:
                if button["text"] == button_text:
                    chat_id = bot_message["chat"]["id"]
                    return self._push({"callback_query": {
                        "id": str(next(self._message_ids)), "from": _user(user_id or chat_id),
                        "chat_instance": f"ci{chat_id}", "data": button["callback_data"],
                        "message": bot_message}})
        raise AssertionError(f"no button {button_text!r} under that message")

    # -- observing the bot ------------------------------------------------------------------
    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method
                    and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)]

    def wait_for(self, count: int, chat_id: int | None = None, method: str = "sendMessage",
                 timeout: float = 15.0) -> list[Call]:
        """The first ``count`` calls of ``method`` (to ``chat_id``), waiting at most ``timeout`` s."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [c for c in self.calls if c.method == method
                         and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)]
                left = deadline - time.monotonic()
                if len(found) >= count or left <= 0:
                    return found
                self._lock.wait(min(left, 0.5))

    def pending_updates(self) -> int:
        with self._lock:
            return len(self._updates)


def _chat(chat_id: int, chat_type: str | None = None) -> dict:
    chat_type = chat_type or ("private" if chat_id > 0 else "group")
    chat = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = f"Patient{chat_id}"
    else:
        chat["title"] = f"Group {chat_id}"
    return chat


def _user(user_id: int) -> dict:
    return {"id": user_id, "is_bot": False, "first_name": f"Patient{user_id}", "last_name": f"Family{user_id}",
            "username": f"handle{user_id}", "language_code": "en"}


def _words_with_offsets(text: str):
    offset = 0
    for word in text.split(" "):
        yield offset, word
        offset += len(word) + 1


_ALLOWED_TAGS = {"b", "i", "u", "s", "code", "pre", "a", "strong", "em"}


def _check_html(text: str) -> None:
    """Reject what Telegram rejects: unknown tags, unbalanced tags, a bare '<' or '&'."""
    import re

    stack = []
    for match in re.finditer(r"<(/?)([a-zA-Z]*)[^>]*>|<|&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", text):
        token = match.group(0)
        if token in ("<", "&") or not match.group(2):
            raise ValueError(f"can't parse entities: unsupported start tag or bare character {token!r}")
        closing, tag = match.group(1), match.group(2).lower()
        if tag not in _ALLOWED_TAGS:
            raise ValueError(f"can't parse entities: unsupported start tag {tag!r}")
        if closing:
            if not stack or stack.pop() != tag:
                raise ValueError(f"can't parse entities: unexpected end tag {tag!r}")
        else:
            stack.append(tag)
    if stack:
        raise ValueError(f"can't parse entities: unclosed tag {stack[-1]!r}")


def _strip_tags(text: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", text))
