"""Evaluation commands and the test suite never write to an operator's review record."""

from __future__ import annotations

import os
import subprocess
import sys

from bot.config import SKIP_LOCAL_CONFIG_ENV
from tests.conftest import ROOT

OPERATOR_CONFIG = "review:\n  enabled: true\nstorage:\n  path: record.sqlite3\n"
LABELLED = ("batch: t\nsplit: heldout\nmessages:\n  - {text: what causes a net, answer: causes}\n"
            "  - {text: what is the capital of peru, answer: out}\n")


def run(args: list[str], cwd, skip_local_config: bool, stdin: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != SKIP_LOCAL_CONFIG_ENV}
    env["PYTHONPATH"] = str(ROOT)
    if skip_local_config:
        env[SKIP_LOCAL_CONFIG_ENV] = "1"
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


def test_evaluations_and_checks_never_open_the_review_record(tmp_path):
    (tmp_path / "config.yaml").write_text(OPERATOR_CONFIG, encoding="utf-8")
    (tmp_path / "set.yaml").write_text(LABELLED, encoding="utf-8")
    for args in (["eval-standalone", "set.yaml"], ["check"]):
        result = run(args, tmp_path, skip_local_config=False)
        assert result.returncode == 0, result.stderr
        assert not (tmp_path / "record.sqlite3").exists(), args
    # The operator's config is read, so the check above can fail: a conversation is recorded.
    result = run(["console", "--json"], tmp_path, skip_local_config=False, stdin="what is the capital of peru\n")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "record.sqlite3").exists()


def test_the_test_suite_ignores_a_config_yaml_in_the_working_folder(tmp_path):
    assert os.environ.get(SKIP_LOCAL_CONFIG_ENV)   # set by tests/conftest.py for every test and child
    (tmp_path / "config.yaml").write_text(OPERATOR_CONFIG, encoding="utf-8")
    result = run(["console", "--json"], tmp_path, skip_local_config=True, stdin="what is the capital of peru\n")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "record.sqlite3").exists()
