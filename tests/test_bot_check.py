"""`python -m bot check --config FILE` as an operator runs it before a restart: a real process."""

from __future__ import annotations

import subprocess
import sys

import yaml

from faq.loader import DATA_DIR
from tests.conftest import ROOT


def run_check(config) -> subprocess.CompletedProcess:  # noqa: ANN001
    return subprocess.run([sys.executable, "-m", "bot", "check", "--config", str(config)], capture_output=True,
                          text=True, cwd=ROOT, timeout=90, stdin=subprocess.DEVNULL)


def test_every_broken_file_the_config_names_is_listed_at_once(tmp_path):
    (tmp_path / "source.txt").write_bytes((DATA_DIR / "source.txt").read_bytes())
    faq = yaml.safe_load((DATA_DIR / "faq.yaml").read_text(encoding="utf-8"))
    faq["entries"][0]["related"] = ["ghost"]
    (tmp_path / "faq.yaml").write_text(yaml.safe_dump(faq), encoding="utf-8")
    (tmp_path / "safety.yaml").write_text("concepts: {}\n", encoding="utf-8")
    (tmp_path / "smalltalk.yaml").write_text("intents:\n  hi:\n    phrases: [hi]\n", encoding="utf-8")
    (tmp_path / "masking.yaml").write_text("rules:\n  - {name: x, mask: name, pattern: '(oops'}\n", encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text("data:\n  faq: faq.yaml\n  safety: safety.yaml\n  smalltalk: smalltalk.yaml\n"
                      "  masking: masking.yaml\n", encoding="utf-8")
    result = run_check(config)
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr
    # Each file named with its entry and field, read from the config's own folder.
    assert f"{tmp_path / 'faq.yaml'}: entry 'what-are-nets' field 'related': unknown entry id 'ghost'" in result.stderr
    assert f"{tmp_path / 'safety.yaml'}: section 'emergency': missing" in result.stderr
    assert f"{tmp_path / 'smalltalk.yaml'}: intent 'hi': needs the fields 'phrases' and 'reply'" in result.stderr
    assert f"{tmp_path / 'masking.yaml'}: rule 1 (x): pattern: not a valid regular expression" in result.stderr


def test_a_bad_config_value_is_named(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("matcher:\n  nonsense: 1\n", encoding="utf-8")
    result = run_check(config)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "matcher.nonsense: unknown key" in result.stderr


def test_the_bundled_files_pass_and_each_is_summarised(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("{}\n", encoding="utf-8")
    result = run_check(config)
    assert result.returncode == 0, result.stderr
    for label in ("knowledge base: 18 entries", "model:     current", "safety:    15 emergency rules",
                  "small talk:", "languages:", "context:", "feelings:", "declines:", "choices:", "masking:"):
        assert label in result.stdout
