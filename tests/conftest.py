from __future__ import annotations

from pathlib import Path

import pytest

from faq import load_knowledge_base

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def kb():
    return load_knowledge_base()


@pytest.fixture(scope="session")
def matcher(kb):
    from faq.matcher import Matcher

    return Matcher(kb)
