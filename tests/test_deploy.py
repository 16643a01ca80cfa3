"""deploy/net-faq-bot.service: valid for systemd, hardened, and in step with the bot's exit codes
and notify protocol."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

UNIT = ROOT / "deploy" / "net-faq-bot.service"
INSTALLED_PYTHON = "/opt/net-faq-bot/bin/python"


def directives() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            out.setdefault(key, []).append(value)
    return out


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed (Debian package systemd; `make test` installs it "
                           "when run as root with apt-get)")
def test_systemd_analyze_verify_finds_nothing_to_say(tmp_path):
    # verify checks that ExecStart's program exists; this machine has the bot in the test venv,
    # not in /opt, so the copy points there. Nothing else is changed.
    text = UNIT.read_text(encoding="utf-8")
    assert text.count(INSTALLED_PYTHON) == 1
    copy = tmp_path / UNIT.name
    copy.write_text(text.replace(INSTALLED_PYTHON, sys.executable), encoding="utf-8")
    said = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60)
    # It warns (exit 0) about unknown keys and bad values: any output is a finding.
    assert said.returncode == 0 and not (said.stdout + said.stderr).strip(), said.stdout + said.stderr


def test_unit_is_hardened_and_matches_the_bots_behaviour():
    d = directives()
    expected = {
        "Type": ["notify"], "NotifyAccess": ["main"], "DynamicUser": ["yes"], "StateDirectory": ["net-faq-bot"],
        "ProtectSystem": ["strict"], "NoNewPrivileges": ["yes"], "RestartPreventExitStatus": ["2"],
        "Restart": ["on-failure"], "ProtectHome": ["yes"], "PrivateTmp": ["yes"], "CapabilityBoundingSet": [""],
    }
    for key, value in expected.items():
        assert d.get(key) == value, key
    watchdog = int(d["WatchdogSec"][0])
    from bot.health import PROBE_EVERY, PROBE_TIMEOUT
    assert watchdog >= 5 * (PROBE_EVERY + PROBE_TIMEOUT)   # a few missed probes before systemd acts
    from bot.config import TelegramSettings
    assert int(d["TimeoutStartSec"][0]) > TelegramSettings().startup_retry_seconds
    start = d["ExecStart"][0].split()
    assert start[:4] == [INSTALLED_PYTHON, "-m", "bot", "telegram"] and start[4] == "--config"
    assert any(v.startswith("telegram-token:") for v in d["LoadCredential"])
    from bot.credentials import TOKEN
    assert TOKEN.credential == "telegram-token"
