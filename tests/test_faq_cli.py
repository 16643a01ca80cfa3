"""`python -m faq check` as a curator runs it: a real process, its output and exit code."""

from __future__ import annotations

import shutil
import subprocess
import sys

import yaml

from faq.loader import DATA_DIR
from tests.conftest import ROOT


def run_faq(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "faq", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)


def test_check_on_the_real_knowledge_base_prints_a_summary():
    result = run_faq("check")
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout
    assert "entries:   18" in result.stdout
    assert "risk-factors" in result.stdout
    assert len(result.stdout.splitlines()) <= 40  # one screen


def test_check_on_a_broken_file_lists_problems_and_exits_2(tmp_path):
    shutil.copy(DATA_DIR / "source.txt", tmp_path / "source.txt")
    raw = yaml.safe_load((DATA_DIR / "faq.yaml").read_text(encoding="utf-8"))
    raw["entries"][0]["related"] = ["ghost"]
    raw["entries"][1]["source"] = ["Made-up sentence."]
    bad = tmp_path / "faq.yaml"
    bad.write_text(yaml.safe_dump(raw), encoding="utf-8")
    result = run_faq("check", str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "2 problem(s) found" in result.stderr
    assert "entry 'what-are-nets' field 'related': unknown entry id 'ghost'" in result.stderr
    assert "entry 'neuroendocrine-cells' field 'source': quote 'Made-up sentence.' not found" in result.stderr


def test_check_on_malformed_yaml_names_the_line(tmp_path):
    bad = tmp_path / "faq.yaml"
    bad.write_text("entries:\n  - id: x\n   bad indent: [\n", encoding="utf-8")
    result = run_faq("check", str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "malformed YAML" in result.stderr and "line 3" in result.stderr


def test_check_on_missing_file(tmp_path):
    result = run_faq("check", str(tmp_path / "absent.yaml"))
    assert result.returncode == 2
    assert "absent.yaml: file not found" in result.stderr
    assert "Traceback" not in result.stderr
