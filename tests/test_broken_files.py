"""Broken configuration and data files: one clear message naming the file and the
problem, exit code 2 and no traceback, in every entry point."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

MODES = {
    "console": ["console", "--json"],
    "telegram": ["telegram"],
    "check": ["check"],
}
ENV = {**os.environ, "TELEGRAM_BOT_TOKEN": "12345:not-used-because-start-up-fails-first"}


def run(args, stdin="hi\n"):
    return subprocess.run([sys.executable, "-m", *args], input=stdin, capture_output=True, text=True, cwd=ROOT,
                          env=ENV, timeout=60)


def broken_config(tmp_path, kind):
    path = tmp_path / "config.yaml"
    if kind == "missing":
        return path, "file not found"
    content, expect = {
        "malformed": ("telegram: {mode: polling\n", "malformed YAML"),
        "wrong-type": ("telegram:\n  flood:\n    messages: lots\n", "telegram.flood.messages: must be a whole number"),
        "unknown-key": ("telegrm:\n  mode: polling\n", "telegrm: unknown key"),
    }[kind]
    path.write_text(content, encoding="utf-8")
    return path, expect


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", ["missing", "malformed", "wrong-type", "unknown-key"])
def test_broken_config(tmp_path, mode, kind):
    path, expect = broken_config(tmp_path, kind)
    result = run(["bot", "--config", str(path), *MODES[mode]])
    assert result.returncode == 2
    assert str(path) in result.stderr and expect in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


DATA_BREAKAGE = {
    "faq-missing": ("faq", None, "file not found"),
    "faq-malformed": ("faq", "entries:\n  - id: [\n", "malformed YAML"),
    "faq-wrong-type": ("faq", "source: just text\nentries: 5\n", "entries: missing, empty or not a list"),
    "faq-unknown-key": ("faq", "sourcee: {}\n", "top-level field 'sourcee': unknown field"),
    "language-wrong-type": ("language", "stop_words: 7\n", "field 'stop_words': must be a list of words"),
    "safety-unknown-key": ("safety", "emergency: [collapse]\ncrisis: [suicide]\nother: [x]\n",
                           "field 'other': unknown section"),
    "smalltalk-malformed": ("smalltalk", "hi: {phrases: [hi], reply: 'unclosed\n", "malformed YAML"),
    "languages-missing-field": ("languages", "languages: {}\n", "field 'detect_among': missing"),
    "context-wrong-type": ("context", "more: 5\n", "field 'more': must be a non-empty list"),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", DATA_BREAKAGE)
def test_broken_data_file_named_in_config(tmp_path, mode, case):
    key, content, expect = DATA_BREAKAGE[case]
    data = tmp_path / f"{key}.yaml"
    if content is not None:
        data.write_text(content, encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(f"data:\n  {key}: {data.name}\n", encoding="utf-8")
    result = run(["bot", "--config", str(config), *MODES[mode]])
    assert result.returncode == 2, result.stderr
    assert str(data) in result.stderr and expect in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("case", [c for c in DATA_BREAKAGE if c.startswith("faq")])
def test_broken_knowledge_base_in_faq_check(tmp_path, case):
    _, content, expect = DATA_BREAKAGE[case]
    path = tmp_path / "faq.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run(["faq", "check", str(path)], stdin="")
    assert result.returncode == 2
    assert str(path) in result.stderr and expect in result.stderr
    assert "Traceback" not in result.stderr
