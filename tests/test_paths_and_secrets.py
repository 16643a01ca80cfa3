"""An operator's config: every path read from the config file's folder, whatever the working
directory, and secrets from the environment, a file or a systemd credential."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from bot.credentials import CREDENTIALS_DIR_ENV, TOKEN_ENV, WEBHOOK_SECRET_ENV
from tests.conftest import ROOT


def run(args: list[str], cwd: Path, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    """A command as an operator runs it: from ``cwd``, never the repository."""
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, input=stdin, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


@pytest.fixture
def server(tmp_path) -> tuple[Path, Path]:
    """(config folder, another working directory)."""
    etc, elsewhere = tmp_path / "etc", tmp_path / "home"
    etc.mkdir()
    elsewhere.mkdir()
    return etc, elsewhere


def test_default_database_sits_next_to_the_config_not_in_the_working_directory(server):
    etc, elsewhere = server
    (etc / "config.yaml").write_text("review:\n  enabled: true\n", encoding="utf-8")
    said = run(["bot", "console", "--config", str(etc / "config.yaml")], elsewhere, "what is the cost of a scan\n")
    assert said.returncode == 0, said.stderr
    assert (etc / "var" / "net-faq-bot.sqlite3").is_file()
    assert not (elsewhere / "var").exists()
    # A curator reading the record from yet another folder finds what was recorded.
    review = run(["faq", "review", "--config", str(etc / "config.yaml")], etc.parent)
    assert review.returncode == 0, review.stderr
    assert "cost of a scan" in review.stdout


def test_concepts_and_declines_come_from_the_config_in_every_tool(server):
    etc, elsewhere = server
    (etc / "kb").mkdir()
    shutil.copy(ROOT / "faq" / "data" / "declines.yaml", etc / "kb" / "declines.yaml")
    concepts = (ROOT / "faq" / "data" / "concepts.yaml").read_text(encoding="utf-8")
    (etc / "kb" / "concepts.yaml").write_text(concepts + "\nmade-up-concept:\n  forms:\n    - zzq wibble\n",
                                              encoding="utf-8")
    (etc / "config.yaml").write_text("data:\n  concepts: kb/concepts.yaml\n  declines: kb/declines.yaml\n",
                                     encoding="utf-8")
    config = str(etc / "config.yaml")
    for args in (["bot", "check", "--config", config], ["faq", "check", "--config", config],
                 ["faq", "eval", str(ROOT / "corpus" / "matcher-dev.yaml"), "--config", config]):
        said = run(args, elsewhere)
        assert said.returncode == 2, (args, said.stdout, said.stderr)
        assert "made-up-concept" in said.stderr, args
    # The same files without the extra concept pass, and faq check names them.
    shutil.copy(ROOT / "faq" / "data" / "concepts.yaml", etc / "kb" / "concepts.yaml")
    said = run(["faq", "check", "--config", config], elsewhere)
    assert said.returncode == 0, said.stderr


def test_faq_eval_follows_the_configs_thresholds(server):
    etc, elsewhere = server
    dev = str(ROOT / "corpus" / "matcher-dev.yaml")
    (etc / "config.yaml").write_text("matcher:\n  use_model: false\n  answer_threshold: 99\n", encoding="utf-8")
    plain = run(["faq", "eval", dev], elsewhere)
    strict = run(["faq", "eval", dev, "--config", str(etc / "config.yaml")], elsewhere)
    assert plain.returncode == strict.returncode == 0, strict.stderr

    def hedged(out: str) -> int:
        line = next(l for l in out.splitlines() if "top-1 accuracy" in l)
        return int(line.split(",")[1].split()[0])

    assert hedged(strict.stdout) > hedged(plain.stdout)


def test_every_mode_shows_config_in_its_help(server):
    _, elsewhere = server
    for mode in ("telegram", "console", "check", "eval-safety", "health", "backup"):
        said = run(["bot", mode, "--help"], elsewhere)
        assert said.returncode == 0 and "--config PATH" in said.stdout, mode
    said = run(["faq", "eval", "--help"], elsewhere)
    assert "--config PATH" in said.stdout


# -- secrets --------------------------------------------------------------------------------

def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_token_and_webhook_secret_from_files_relative_to_the_config(tmp_path):
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "token").write_text("123:from-file\n", encoding="utf-8")
    (tmp_path / "secrets" / "hook").write_text("  hook-from-file \n", encoding="utf-8")
    path = config_file(tmp_path, "telegram:\n  token: in-config\n  token_file: secrets/token\n"
                                 "  webhook:\n    secret_token_file: secrets/hook\n")
    config = load_config(path, environ={})
    assert config.telegram.token == "123:from-file"
    assert config.telegram.webhook.secret_token == "hook-from-file"
    assert "from-file" not in repr(config)
    # The environment wins over the file.
    config = load_config(path, environ={TOKEN_ENV: "123:env", WEBHOOK_SECRET_ENV: "hook-env"})
    assert (config.telegram.token, config.telegram.webhook.secret_token) == ("123:env", "hook-env")


def test_systemd_credentials_are_read_when_no_file_or_variable_names_the_secret(tmp_path):
    creds = tmp_path / "creds"
    creds.mkdir()
    (creds / "telegram-token").write_text("123:credential", encoding="utf-8")
    (creds / "webhook-secret").write_text("hook-credential", encoding="utf-8")
    path = config_file(tmp_path, "telegram:\n  token: in-config\n")
    config = load_config(path, environ={CREDENTIALS_DIR_ENV: str(creds)})
    assert config.telegram.token == "123:credential"
    assert config.telegram.webhook.secret_token == "hook-credential"
    # Without credentials, the value in the config is the last resort.
    assert load_config(path, environ={}).telegram.token == "in-config"


def test_a_named_secret_file_that_is_missing_or_empty_is_a_config_error(tmp_path):
    (tmp_path / "empty").write_text("\n", encoding="utf-8")
    path = config_file(tmp_path, "telegram:\n  token_file: nowhere\n  webhook:\n    secret_token_file: empty\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, environ={})
    problems = "\n".join(info.value.problems)
    assert "telegram.token_file: cannot read" in problems and "nowhere" in problems
    assert "telegram.webhook.secret_token_file:" in problems and "is empty" in problems
    # Curator tools never need the secrets, so they work without them.
    assert load_config(path, environ={}, with_secrets=False).telegram.token is None


def test_bot_with_a_missing_token_file_exits_2_naming_the_key(tmp_path):
    path = config_file(tmp_path, "telegram:\n  token_file: nowhere\n")
    env = {k: v for k, v in os.environ.items() if k not in (TOKEN_ENV, CREDENTIALS_DIR_ENV)}
    said = subprocess.run([sys.executable, "-m", "bot", "telegram", "--config", str(path)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, env=env)
    assert said.returncode == 2
    assert "telegram.token_file: cannot read" in said.stderr
