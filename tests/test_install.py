"""A normal (non-editable) install works outside the source tree: the wheel built from this
repository, installed into a fresh venv, runs every command with a config in another folder.

Fast and offline: the wheel is built without build isolation (setuptools from the test venv),
and the fresh venv borrows the test venv's dependencies through a path file (their folder
only: not the editable install of this project, whose hook that folder's own .pth holds).
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.botapi_emulator import BotApiEmulator
from tests.e2e.harness import TOKEN

pytestmark = pytest.mark.install


def sh(*args, cwd: Path, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    said = subprocess.run([str(a) for a in args], cwd=cwd, input=stdin, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})
    return said


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The python of a fresh venv with the wheel installed."""
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"   # a copy, so the build leaves nothing in the checkout
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for package in ("bot", "faq"):
        shutil.copytree(ROOT / package, src / package, ignore=shutil.ignore_patterns("__pycache__"))
    built = sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
               "-w", tmp / "dist", src, cwd=tmp)
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = next((tmp / "dist").glob("net_faq_bot-*.whl"))
    venv = tmp / "venv"
    made = sh(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    purelib = Path(sh(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                      cwd=tmp).stdout.strip())
    (purelib / "zz_test_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    done = sh(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel, cwd=tmp)
    assert done.returncode == 0, done.stdout + done.stderr
    return python


@pytest.fixture
def server(tmp_path) -> tuple[Path, Path]:
    """(a config in /etc-like folder, a working directory elsewhere)."""
    etc, home = tmp_path / "etc", tmp_path / "home"
    etc.mkdir()
    home.mkdir()
    config = etc / "config.yaml"
    config.write_text("storage:\n  path: state/bot.sqlite3\n", encoding="utf-8")
    return config, home


def test_the_package_comes_from_the_wheel_not_the_checkout(installed, server):
    _, home = server
    said = sh(installed, "-c", "import bot, faq; print(bot.__file__); print(faq.__file__)", cwd=home)
    assert said.returncode == 0, said.stderr
    for line in said.stdout.splitlines():
        assert str(installed.parent.parent) in line and str(ROOT) not in line


def test_console_check_and_evaluations_run_from_the_installed_wheel(installed, server):
    config, home = server
    said = sh(installed, "-m", "bot", "console", "--json", "--config", config, cwd=home,
              stdin="is it hereditary?\n")
    assert said.returncode == 0 and '"kind": "answer"' in said.stdout, said.stderr
    for args in (["bot", "check"], ["faq", "check"]):
        said = sh(installed, "-m", *args, "--config", config, cwd=home)
        assert said.returncode == 0 and "OK" in said.stdout, (args, said.stderr)
    data = ROOT / "corpus"
    said = sh(installed, "-m", "bot", "eval-safety", data / "safety-1.yaml", "--config", config, cwd=home)
    assert said.returncode == 0 and "recall" in said.stdout, said.stderr
    said = sh(installed, "-m", "faq", "eval", data / "matcher-dev.yaml", "--config", config, cwd=home)
    assert said.returncode == 0 and "top-1 accuracy" in said.stdout, said.stderr


def test_telegram_health_and_backup_from_the_installed_wheel(installed, server):
    config, home = server
    emulator = BotApiEmulator(TOKEN).start()
    config.write_text(config.read_text(encoding="utf-8") + f"telegram:\n  base_url: {emulator.base_url}\n",
                      encoding="utf-8")
    log = home / "bot.log"
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen([installed, "-m", "bot", "telegram", "--config", config], cwd=home,
                                   stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env={**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN})
    try:
        emulator.send_text(42, "what causes NETs?")
        sent = emulator.wait_for(1, 42, timeout=30)
        assert sent and "exact cause" in sent[0].params["text"], log.read_text()
        deadline = time.monotonic() + 15
        while (health := sh(installed, "-m", "bot", "health", "--config", config, cwd=home)).returncode != 0 \
                and time.monotonic() < deadline:
            time.sleep(0.5)
        assert health.returncode == 0 and health.stdout.startswith("ready"), health.stdout
        backed = sh(installed, "-m", "bot", "backup", "--config", config, home / "copy.sqlite3", cwd=home)
        assert backed.returncode == 0, backed.stderr
        assert (config.parent / "state" / "bot.sqlite3").is_file()   # next to the config, not the cwd
    finally:
        process.terminate()
        process.wait(15)
        emulator.stop()
    assert process.returncode == 0
