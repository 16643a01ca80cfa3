"""Where the bot's secrets come from: the bot token and the webhook secret.

Each may be given, first found wins:
1. an environment variable (``TELEGRAM_BOT_TOKEN``, ``TELEGRAM_WEBHOOK_SECRET``);
2. a file named in the config (``telegram.token_file``, ``telegram.webhook.secret_token_file``),
   read whole with surrounding whitespace stripped;
3. a systemd credential (``LoadCredential=telegram-token:...`` in the unit puts the file in
   ``$CREDENTIALS_DIRECTORY``, readable by the service only, never in its environment);
4. the value in the config file itself (``telegram.token``, ``telegram.webhook.secret_token``).
A file that is named but missing, unreadable or empty is a config problem (exit 2), not a
silent fall-through to the next source.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import BotConfig

TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
WEBHOOK_SECRET_ENV = "TELEGRAM_WEBHOOK_SECRET"
CREDENTIALS_DIR_ENV = "CREDENTIALS_DIRECTORY"   # set by systemd when the unit has LoadCredential=


@dataclass(frozen=True)
class Secret:
    key: str          # the config key holding the value itself
    file_key: str     # the config key naming a file that holds it
    env: str          # the environment variable
    credential: str   # the systemd credential's name


TOKEN = Secret("telegram.token", "telegram.token_file", TOKEN_ENV, "telegram-token")
WEBHOOK_SECRET = Secret("telegram.webhook.secret_token", "telegram.webhook.secret_token_file",
                        WEBHOOK_SECRET_ENV, "webhook-secret")


def _read(path: Path, what: str, problems: list[str]) -> str | None:
    try:
        value = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{what}: cannot read {path} ({getattr(exc, 'strerror', None) or type(exc).__name__})")
        return None
    if not value:
        problems.append(f"{what}: {path} is empty")
        return None
    return value


def find_secret(secret: Secret, in_config: str | None, file: Path | None, environ: Mapping[str, str],
                problems: list[str]) -> str | None:
    """The secret from the first source that has it (see the module's docstring), else None."""
    value = environ.get(secret.env, "").strip()
    if value:
        return value
    if file is not None:
        return _read(file, secret.file_key, problems)
    folder = environ.get(CREDENTIALS_DIR_ENV, "").strip()
    if folder and (Path(folder) / secret.credential).is_file():
        return _read(Path(folder) / secret.credential, f"systemd credential {secret.credential}", problems)
    return in_config or None


def read_secrets(config: BotConfig, environ: Mapping[str, str] | None = None) -> tuple[BotConfig, list[str]]:
    """``config`` with the token and webhook secret filled in from their sources, and any problems."""
    environ = os.environ if environ is None else environ
    problems: list[str] = []
    tg = config.telegram
    token = find_secret(TOKEN, tg.token, tg.token_file, environ, problems)
    secret = find_secret(WEBHOOK_SECRET, tg.webhook.secret_token, tg.webhook.secret_token_file, environ, problems)
    tg = replace(tg, token=token, webhook=replace(tg.webhook, secret_token=secret))
    return replace(config, telegram=tg), problems
