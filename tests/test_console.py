"""The console as a real process: interactive through a pseudo-terminal, --json through a pipe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pexpect
import pytest

from tests.conftest import ROOT

PROMPT = "you> "


def run_bot(*args: str, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=60, env=env)


def chat(*lines: str) -> list[dict]:
    """One console --json process: one reply object per line sent."""
    result = run_bot("console", "--json", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines)
    return out


def spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm", "NO_COLOR": "1"}
    child = pexpect.spawn(sys.executable, ["-m", "bot", "console", *args], cwd=str(ROOT), env=env,
                          encoding="utf-8", timeout=20, dimensions=(40, 200))
    child.expect_exact(PROMPT)
    return child


def test_json_mode_writes_one_object_per_line():
    lines = ["hello", "what causes NETs?", "types and symptoms", "2",
             "what is the survival rate?", "I have chest pain", "", "/about"]
    result = run_bot("console", "--json", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines)
    for obj in out:
        assert {"kind", "id", "score", "reply", "suggestions"} <= set(obj)
    assert [o["kind"] for o in out] == ["smalltalk", "answer", "clarify", "answer", "fallback", "safety",
                                        "smalltalk", "command"]
    assert out[1]["id"] == "causes" and "Source: Mayo Clinic" in out[1]["reply"]
    assert out[3]["id"] == out[2]["suggestions"][1]["id"]
    assert "2. " in out[2]["reply"]
    assert out[5]["id"] is None and "emergency number" in out[5]["reply"]
    assert result.stderr == ""


def test_json_mode_survives_bad_bytes_and_huge_lines():
    data = b"\xff\xfe broken bytes\n" + b"what causes NETs " * 6000 + b"\n\x00\x07\x1b[31m\n"
    result = subprocess.run([sys.executable, "-m", "bot", "console", "--json"], input=data, capture_output=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(out) == 3
    assert out[1]["kind"] == "answer" and out[1]["id"] == "causes"


def test_piped_input_gets_replies_without_a_prompt():
    result = run_bot("console", stdin="symptoms?\n/quit\nnever read\n")
    assert result.returncode == 0
    assert PROMPT not in result.stdout
    assert "pain from a growing tumor" in result.stdout
    assert result.stdout.count("Source: Mayo Clinic") == 1


def test_interactive_chat_answers_and_quits():
    child = spawn()
    assert "NET FAQ bot" in child.before  # the /start greeting comes first
    child.sendline("is it herditary?")
    child.expect_exact(PROMPT)
    assert "multiple endocrine neoplasia" in child.before
    child.sendline("types and symptoms")
    child.expect_exact(PROMPT)
    assert "You asked about two things" in child.before
    assert "1. Types of neuroendocrine tumors" in child.before and "2. Signs and symptoms" in child.before
    child.sendline("2")
    child.expect_exact(PROMPT)
    assert "Symptoms depend on where the tumor is" in child.before
    child.sendline("/quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in child.before


def test_interactive_line_editing_history_is_available():
    child = spawn()
    child.sendline("causes?")
    child.expect_exact(PROMPT)
    child.send("\x1b[A")            # up arrow: readline brings the last line back
    child.sendline("")
    child.expect_exact(PROMPT)
    assert "exact cause" in child.before
    child.sendeof()
    child.expect(pexpect.EOF)


@pytest.mark.parametrize("key", ["\x04", "\x03"], ids=["ctrl-d", "ctrl-c"])
def test_ctrl_d_and_ctrl_c_exit_cleanly(key):
    child = spawn()
    # A Ctrl-C that lands between the prompt being drawn and readline waiting for a key is
    # only seen at the next key (CPython's readline checks signals when select() wakes), so
    # press it as a person does: once the prompt is up and waiting, and again if nothing happened
    # (on a loaded machine 0.3 s can still be too early). At most five presses, two seconds apart.
    time.sleep(0.3)
    for _ in range(5):
        child.send(key)
        if child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=2) == 0:
            break
    else:
        raise AssertionError(f"no exit after five presses: {child.before!r}")
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in child.before and "KeyboardInterrupt" not in child.before


def test_colours_only_on_a_terminal():
    env = {**os.environ, "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "bot", "console"], cwd=str(ROOT), env=env, encoding="utf-8",
                          timeout=20)
    child.expect("you>")
    assert "\x1b[" in child.before
    child.sendeof()
    child.expect(pexpect.EOF)
    piped = run_bot("console", stdin="symptoms?\n", env=env)
    assert "\x1b[" not in piped.stdout


def test_bad_config_gives_one_clear_message_and_exit_2(tmp_path):
    bad = tmp_path / "config.yaml"
    bad.write_text("matcher:\n  answer_threshold: high\n  margin: 500\ncolour: blue\n", encoding="utf-8")
    result = run_bot("--config", str(bad), "console", "--json", stdin="hi\n")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert f"{bad}: matcher.answer_threshold: must be a number (got 'high')" in result.stderr
    assert "matcher.margin: must be between 0 and 100" in result.stderr
    assert "colour: unknown key" in result.stderr


@pytest.mark.parametrize("content, fragment", [
    (None, "file not found"),
    ("matcher: [1, 2\n", "malformed YAML"),
    ("- a list\n", "top level: must be a mapping"),
    ("logging:\n  log_message_text: maybe\n", "logging.log_message_text: must be true or false"),
], ids=["missing", "malformed", "wrong-type", "wrong-leaf-type"])
def test_broken_config_files(tmp_path, content, fragment):
    path = tmp_path / "config.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run_bot("console", "--config", str(path), stdin="hi\n")
    assert result.returncode == 2
    assert fragment in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_knowledge_base_named_in_config(tmp_path):
    faq = tmp_path / "faq.yaml"
    faq.write_text("source: {}\nentries: []\n", encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(f"data:\n  faq: {faq.name}\n", encoding="utf-8")
    result = run_bot("console", "--config", str(config), stdin="hi\n")
    assert result.returncode == 2
    assert f"{faq}: entries: missing, empty or not a list" in result.stderr
    assert "Traceback" not in result.stderr
