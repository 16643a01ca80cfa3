"""Bot configuration: YAML (safe_load) over built-in defaults, secrets from the environment.

Every problem is reported at once, naming the file and the key; the entry points turn
a ConfigError into one clear message and exit code 2.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable

from bot.credentials import read_secrets
from bot.storage import DEFAULT_STORAGE_PATH
from faq.matcher import MatcherSettings
from faq.yamlfile import DataFileError, range_problem, read_yaml

DEFAULT_CONFIG_NAME = "config.yaml"
# Set (to anything but empty) by the test suite: ./config.yaml is not read without --config,
# so tests never write to an operator's review record or use their settings.
SKIP_LOCAL_CONFIG_ENV = "NET_FAQ_BOT_SKIP_LOCAL_CONFIG"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigError(DataFileError):
    """The configuration is missing, malformed or has invalid values."""


@dataclass(frozen=True)
class EmergencySettings:
    call_text: str = ("If this is an emergency, call your local emergency number now "
                      "(911 in the US and Canada, 999 in the UK, 112 in the EU and many other countries), "
                      "or go to the nearest emergency department.")
    crisis_text: str = ("If you are thinking about suicide or hurting yourself, please reach out now: "
                        "call or text 988 in the US, call Samaritans on 116 123 in the UK and Ireland, "
                        "or your local crisis line. You are not alone.")
    # Above the answer to a general question about a serious symptom; {symptom} is the
    # safety rule's name for it ("chest pain or pressure").
    # Above the reply when the safety model reads a weak or ambiguous sign of a crisis or emergency.
    check_in_text: str = ("I want to check in with you. If you are thinking about ending your life or hurting "
                          "yourself, you can call or text 988 in the US or call Samaritans on 116 123 in the UK "
                          "and Ireland, any time. If you or someone with you is in danger now, call your local "
                          "emergency number (911, 999 or 112).")
    # The same check-in when the sign points to a medical emergency rather than a crisis ("my mum is vomiting
    # blood", weakly read): the emergency first.
    check_in_emergency_text: str = ("I want to check in with you. If you or someone with you is unwell or in danger "
                                    "now, call your local emergency number (911 in the US and Canada, 999 in the UK, "
                                    "112 in the EU) or go to the nearest emergency department. If you are thinking "
                                    "about ending your life or hurting yourself, you can call or text 988 in the US "
                                    "or call Samaritans on 116 123 in the UK and Ireland, any time.")
    # The crisis-leaning check-in when the message speaks only of someone else ("will my mum die soon?"): a carer is
    # not asked whether they are thinking of ending their life, and the lines still stand, for them and for the
    # person they care for (988 and Samaritans take calls from people worried about someone).
    check_in_other_text: str = ("Caring for someone through this is hard. If they or you are in danger now, call your "
                                "local emergency number (911, 999 or 112). If it ever feels too much, for them or for "
                                "you, you can call or text 988 in the US or call Samaritans on 116 123 in the UK and "
                                "Ireland, any time.")
    # Above the English-only reply to a message the bot cannot read (another language): it cannot rule out an
    # emergency, so how to get urgent help comes first, shortly (with the language's own line where it has one).
    unread_text: str = ("If this is urgent, call your local emergency number now (911, 999 or 112). If you are "
                        "thinking about suicide, call or text 988 in the US or call Samaritans on 116 123 in the UK "
                        "and Ireland.")
    note_text: str = ("If you have {symptom} now, call your local emergency number (911 in the US and Canada, "
                      "999 in the UK, 112 in the EU) or go to the nearest emergency department.")


@dataclass(frozen=True)
class DataPaths:
    faq: Path | None = None        # None: the bundled files
    language: Path | None = None
    safety: Path | None = None
    smalltalk: Path | None = None
    languages: Path | None = None  # replies and emergency words in other languages
    context: Path | None = None    # follow-up, correction and "tell me more" cues
    concepts: Path | None = None   # what patients talk about and their words (faq/data/concepts.yaml)
    declines: Path | None = None   # topics the page does not cover (faq/data/declines.yaml)
    masking: Path | None = None    # what the review record masks (bot/data/masking.yaml)


@dataclass(frozen=True)
class FloodSettings:
    messages: int = 8              # more than this many messages...
    per_seconds: float = 10.0      # ...within this many seconds...
    mute_seconds: float = 30.0     # ...and the rest are ignored for this long, after one notice


@dataclass(frozen=True)
class WebhookSettings:
    url: str | None = None         # public HTTPS URL Telegram posts updates to
    listen: str = "127.0.0.1"
    port: int = 8443
    secret_token: str | None = field(default=None, repr=False)
    secret_token_file: Path | None = None  # or from a file (systemd LoadCredential), or TELEGRAM_WEBHOOK_SECRET
    path: str = "telegram"


@dataclass(frozen=True)
class TelegramSettings:
    token: str | None = field(default=None, repr=False)
    token_file: Path | None = None # or from a file (systemd LoadCredential), or TELEGRAM_BOT_TOKEN
    mode: str = "polling"          # or "webhook"
    base_url: str | None = None    # another Bot API server (tests use a local emulator)
    webhook: WebhookSettings = WebhookSettings()
    flood: FloodSettings = FloodSettings()
    startup_retry_seconds: float = 300.0   # keep retrying an unreachable Bot API at start this long
    send_retry_seconds: float = 60.0       # a reply failing this long is logged at ERROR (still retried)


@dataclass(frozen=True)
class LoggingSettings:
    level: str = "INFO"
    format: str = "text"            # text (one line each) or json (one object each, for log shippers)
    log_message_text: bool = False  # patients' words are health data: off unless an operator turns it on


@dataclass(frozen=True)
class MetricsSettings:
    # Prometheus metrics of the Telegram bot (bot/metrics.py); off unless an operator turns them on.
    enabled: bool = False
    listen: str = "127.0.0.1"      # loopback: let the local Prometheus (or a proxy) reach it, nobody else
    port: int = 9464               # 0: any free port (logged at start)


@dataclass(frozen=True)
class ConversationSettings:
    max_chats: int = 10_000        # chats whose last suggestions are remembered (least recent dropped)


@dataclass(frozen=True)
class StorageSettings:
    # The bot's SQLite database (Telegram inbox, opt-in review record); a relative path,
    # the default included, is read from the config file's folder (without a config file,
    # from the working directory).
    path: Path = DEFAULT_STORAGE_PATH


# The operator's own patterns masked as [name] (review.mask_patterns), after the built-in
# rules of bot/data/masking.yaml (titles, cues, relatives, first names, addresses...).
DEFAULT_NAME_PATTERNS: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReviewSettings:
    # Opt-in: declined and unsure messages (masked) and answer feedback, for curators
    # (python -m faq review). Off, nothing is opened, created or written.
    enabled: bool = False
    retention_days: int = 30
    mask_patterns: tuple[str, ...] = DEFAULT_NAME_PATTERNS
    feedback_buttons: bool = True  # the "Helpful?" row on Telegram; shown only when enabled

    def problems(self) -> list[str]:
        out = []
        for i, pattern in enumerate(self.mask_patterns):
            try:
                re.compile(pattern)
            except re.error as exc:
                out.append(f"mask_patterns[{i}]: not a valid regular expression ({exc})")
        return out


@dataclass(frozen=True)
class BotConfig:
    matcher: MatcherSettings = MatcherSettings()
    emergency: EmergencySettings = EmergencySettings()
    data: DataPaths = DataPaths()
    telegram: TelegramSettings = TelegramSettings()
    logging: LoggingSettings = LoggingSettings()
    conversation: ConversationSettings = ConversationSettings()
    storage: StorageSettings = StorageSettings()
    review: ReviewSettings = ReviewSettings()
    metrics: MetricsSettings = MetricsSettings()


# How many days of review record may be kept or asked for (`python -m faq review --since` too).
RETENTION_DAYS_RANGE = (1, 3650)
# Allowed ranges for numbers, by dotted key.
_RANGES: dict[str, tuple[float, float]] = {
    "telegram.webhook.port": (1, 65535),
    "telegram.flood.messages": (1, 1000),
    "telegram.flood.per_seconds": (0.1, 3600),
    "telegram.flood.mute_seconds": (0, 86400),
    "conversation.max_chats": (1, 10_000_000),
    "review.retention_days": RETENTION_DAYS_RANGE,
    "telegram.startup_retry_seconds": (0, 86400),
    "telegram.send_retry_seconds": (0, 3600),
    "metrics.port": (0, 65535),
}
_CHOICES: dict[str, tuple[str, ...]] = {
    "telegram.mode": ("polling", "webhook"),
    "logging.level": LOG_LEVELS,
    "logging.format": ("text", "json"),
}


def _is_number(value: Any, whole: bool) -> bool:
    return not isinstance(value, bool) and isinstance(value, int if whole else (int, float))


# What a setting of each kind (its annotation's start) must be: (the test, the problem if it fails).
_LEAF_KINDS: tuple[tuple[str, Callable[[Any], bool], str], ...] = (
    ("tuple[str", lambda v: isinstance(v, list) and all(isinstance(i, str) and i for i in v),
     "must be a list of non-empty texts"),
    ("bool", lambda v: isinstance(v, bool), "must be true or false (got {value!r})"),
    ("int", lambda v: _is_number(v, whole=True), "must be a whole number (got {value!r})"),
    ("float", lambda v: _is_number(v, whole=False), "must be a number (got {value!r})"),
    ("str", lambda v: isinstance(v, str), "must be text (got {value!r})"),
)


def _coerce(value: Any, default: Any, annotation: str, key: str, base: Path, problems: list[str]) -> Any:
    """Check one leaf value against the type of its default (dataclass annotations are strings here)."""
    optional = "None" in annotation
    if value is None:
        if optional:
            return None
        problems.append(f"{key}: must not be empty")
        return default
    if "Path" in annotation:
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{key}: must be a file path (text)")
            return default
        path = Path(value).expanduser()
        return path if path.is_absolute() else base / path
    for kind, fits, wrong in _LEAF_KINDS:
        if annotation.startswith(kind):
            if not fits(value):
                problems.append(f"{key}: {wrong.format(value=value)}")
                return default
            break
    if annotation.startswith("tuple[str"):
        return tuple(value)
    if annotation.startswith("bool"):
        return value
    if annotation.startswith(("int", "float")):
        low, high = _RANGES.get(key, (float("-inf"), float("inf")))
        problem = range_problem(key, value, low, high)
        if problem:
            problems.append(problem)
            return default
        return int(value) if annotation.startswith("int") else float(value)
    if annotation.startswith("str"):
        choices = _CHOICES.get(key)
        if choices and value not in choices:
            problems.append(f"{key}: must be one of {', '.join(choices)} (got {value!r})")
            return default
        return value
    raise AssertionError(f"unhandled annotation {annotation} for {key}")


def _merge(section: Any, raw: Any, prefix: str, base: Path, problems: list[str]) -> Any:
    if not isinstance(raw, dict):
        problems.append(f"{prefix or 'top level'}: must be a mapping of keys to values (got {type(raw).__name__})")
        return section
    known = {f.name: f for f in fields(section)}
    for key in raw:
        if key not in known:
            where = f"{prefix}.{key}" if prefix else str(key)
            problems.append(f"{where}: unknown key (known: {', '.join(sorted(known))})")
    changes = {}
    for name, f in known.items():
        if name not in raw:
            continue
        key = f"{prefix}.{name}" if prefix else name
        current = getattr(section, name)
        if hasattr(current, "__dataclass_fields__"):
            changes[name] = _merge(current, raw[name] if raw[name] is not None else {}, key, base, problems)
        else:
            changes[name] = _coerce(raw[name], current, str(f.type), key, base, problems)
    return replace(section, **changes)


def without_review(config: BotConfig) -> BotConfig:
    """``config`` with the review record off: for evaluation runs, which must never write to it."""
    return replace(config, review=replace(config.review, enabled=False))


def load_config(path: str | Path | None = None, environ: dict[str, str] | None = None,
                with_secrets: bool = True) -> BotConfig:
    """The config at ``path`` (or ./config.yaml if present, else defaults), with its secrets read
    (bot.credentials: environment, ``*_file`` keys, systemd credentials) unless ``with_secrets``
    is false (curator tools, which never need them, then work without access to them)."""
    environ = os.environ if environ is None else environ
    problems: list[str] = []
    config = BotConfig()
    if path is None and not environ.get(SKIP_LOCAL_CONFIG_ENV) and Path(DEFAULT_CONFIG_NAME).is_file():
        path = DEFAULT_CONFIG_NAME
    if path is not None:
        path = Path(path)
        try:
            raw = read_yaml(path)
        except DataFileError as exc:
            raise ConfigError(exc.problems) from None
        if raw is not None:
            config = _merge(config, raw, "", path.resolve().parent, problems)
        problems = [f"{path}: {p}" for p in problems]
        for p in config.matcher.problems():
            problems.append(f"{path}: matcher.{p}")
        for p in config.review.problems():
            problems.append(f"{path}: review.{p}")
        if not config.storage.path.is_absolute():   # the default: next to the config, like every other path
            config = replace(config, storage=replace(config.storage, path=path.resolve().parent / config.storage.path))
    if with_secrets:
        config, secret_problems = read_secrets(config, environ)
        problems += secret_problems
    if problems:
        raise ConfigError(problems)
    return config
