"""Configuration: defaults, the documented example, environment secrets and clear errors."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.config import BotConfig, ConfigError, StorageSettings, load_config
from bot.storage import DEFAULT_STORAGE_PATH
from tests.conftest import ROOT


def test_example_config_is_valid_and_documents_the_defaults():
    config = load_config(ROOT / "config.example.yaml", environ={})
    # The default database path is the one thing read from the config's folder.
    assert config.storage.path == ROOT / DEFAULT_STORAGE_PATH
    assert replace(config, storage=StorageSettings()) == BotConfig()


def test_token_comes_from_the_environment_and_is_not_in_repr(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("telegram:\n  token: from-file\n", encoding="utf-8")
    assert load_config(path, environ={}).telegram.token == "from-file"
    config = load_config(path, environ={"TELEGRAM_BOT_TOKEN": "123:from-env"})
    assert config.telegram.token == "123:from-env"
    assert "from-env" not in repr(config)


def test_relative_data_paths_are_read_from_the_config_folder(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("data:\n  faq: mine/faq.yaml\n", encoding="utf-8")
    assert load_config(path, environ={}).data.faq == tmp_path / "mine" / "faq.yaml"


def test_all_problems_are_reported_with_file_and_key(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("matcher:\n  clarify_threshold: 90\n  max_suggestions: 2.5\n"
                    "telegram:\n  mode: carrier-pigeon\n  webhook: {port: 70000}\n  flood: {messages: true}\n"
                    "logging: {level: LOUD}\nextra: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path, environ={})
    problems = info.value.problems
    expected = [
        "extra: unknown key",
        "matcher.max_suggestions: must be a whole number (got 2.5)",
        "telegram.mode: must be one of polling, webhook (got 'carrier-pigeon')",
        "telegram.webhook.port: must be between 1 and 65535 (got 70000)",
        "telegram.flood.messages: must be a whole number (got True)",
        "logging.level: must be one of DEBUG, INFO, WARNING, ERROR (got 'LOUD')",
        "matcher.clarify_threshold: must not be above answer_threshold",
    ]
    for fragment in expected:
        assert any(p.startswith(f"{path}: ") and fragment in p for p in problems), fragment


def test_empty_config_file_means_defaults(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("# nothing\n", encoding="utf-8")
    assert load_config(path, environ={}) == BotConfig(storage=StorageSettings(tmp_path / DEFAULT_STORAGE_PATH))


def test_retry_budgets_are_checked(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("telegram:\n  send_retry_seconds: -1\n  startup_retry_seconds: soon\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path, environ={})
    problems = " ".join(info.value.problems)
    assert "telegram.send_retry_seconds: must be between 0 and 3600 (got -1)" in problems
    assert "telegram.startup_retry_seconds: must be a number (got 'soon')" in problems
