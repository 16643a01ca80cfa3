from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.config import SKIP_LOCAL_CONFIG_ENV
from faq import load_knowledge_base

ROOT = Path(__file__).resolve().parent.parent

# An operator's ./config.yaml in the repository root (the README's default) is never read by
# the tests, nor by the bots and consoles they start: its review record stays theirs.
os.environ[SKIP_LOCAL_CONFIG_ENV] = "1"


@pytest.fixture(scope="session")
def kb():
    return load_knowledge_base()


@pytest.fixture(scope="session")
def matcher(kb):
    from faq.matcher import Matcher

    return Matcher(kb)
