from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.config import SKIP_LOCAL_CONFIG_ENV
from faq import load_knowledge_base

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
# The two oldest matcher batches, 918 NET questions (in and out of scope) the tests reuse.
QUESTION_BATCHES = (CORPUS / "matcher-dev.yaml", CORPUS / "matcher-fresh.yaml")

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


@pytest.fixture(scope="session")
def rules(kb):
    """The hand-weighted rules alone (no model): the features the model reads, tested on their own."""
    from faq.matcher import Matcher

    return Matcher(kb, use_model=False)
