"""Logging that keeps patients' words and the bot token out of the logs.

httpx logs every request URL at INFO, and the Bot API URL contains the token; PTB logs
request parameters (message texts) at DEBUG. Both are held at WARNING/INFO unless the
operator turns message logging on, and a filter masks the token in any record.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from datetime import datetime, timezone

from bot.config import LoggingSettings

_SALT = secrets.token_bytes(16)  # per process: ids link within one run's logs, not across runs


def pseudonym(user_id: int | str | None) -> str:
    if user_id is None:
        return "user:-"
    digest = hmac.new(_SALT, str(user_id).encode(), hashlib.sha256).hexdigest()
    return f"user:{digest[:10]}"


class RedactFilter(logging.Filter):
    """Masks secrets in a record's message and arguments, whoever logged it."""

    def __init__(self, secrets_: list[str]):
        super().__init__()
        self._secrets = [s for s in secrets_ if s]

    def _clean(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[REDACTED]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secrets:
            message = record.getMessage()
            cleaned = self._clean(message)
            if cleaned != message or record.exc_info or record.exc_text:
                record.msg, record.args = cleaned, None
                if record.exc_info:
                    record.exc_text = self._clean(logging.Formatter().formatException(record.exc_info))
                    record.exc_info = None
        return True


class NetworkNoiseFilter(logging.Filter):
    """PTB logs every failed Bot API round trip (start-up, polling) with a full traceback;
    a network outage is expected, so one line with the error's type and text is enough."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and "Network Retry Loop" in record.getMessage():
            exc = record.exc_info[1]
            record.msg = f"{record.getMessage()} ({type(exc).__name__}: {exc})"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


class RawUpdateFilter(logging.Filter):
    """python-telegram-bot logs an update it cannot parse in full (text, user ids, names) at
    CRITICAL. The bot's own intake never lets it parse raw updates, but should any path do so,
    the record keeps only the error's type."""

    MARKERS = ("Received data was", "Error while parsing updates", "Webhook received data")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram") and any(m in str(record.msg) for m in self.MARKERS):
            exc = record.exc_info[1] if record.exc_info else None
            record.msg = "python-telegram-bot could not read an update (%s); its data is not logged"
            record.args = (type(exc).__name__ if exc else "-",)
            record.exc_info = None
            record.exc_text = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line (time in UTC, level, logger, message, traceback if any), for log
    shippers and ``journalctl -o cat``; the filters above have already cleaned the record."""

    def format(self, record: logging.LogRecord) -> str:
        out = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
               "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            out["exception"] = record.exc_text
        return json.dumps(out, ensure_ascii=False)


def setup_logging(settings: LoggingSettings, token: str | None, handler: logging.Handler | None = None,
                  secrets_: list[str | None] | None = None) -> None:
    """Records go to stderr (or ``handler``), as text or JSON lines (``logging.format``), with
    ``token`` and any other ``secrets_`` masked."""
    root = logging.getLogger()
    handler = handler or logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if settings.format == "json"
                         else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(NetworkNoiseFilter())
    handler.addFilter(RawUpdateFilter())
    handler.addFilter(RedactFilter([s for s in (token, *(secrets_ or ())) if s]))
    root.handlers[:] = [handler]
    root.setLevel(settings.level)
    # Their INFO lines carry the request URL, token included.
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # PTB's DEBUG lines carry raw updates and request parameters: what patients wrote, their
    # user ids and names. Held at INFO even when message logging is on: the bot's own log line
    # then gives the text, with the user pseudonymized.
    for name in ("telegram", "telegram.ext", "telegram.bot", "tornado"):
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLevelName(settings.level)))
