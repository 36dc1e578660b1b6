"""Shared fixtures.

The labelled corpora live in ``../shared/corpora`` beside the clone (or wherever
``ARTICLE_VALIDATORS_CORPORA`` points). Tests that read them skip with a reason when they are absent,
except under ``CI=true``, where their absence is an error.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _corpora_dir() -> Path:
    configured = os.environ.get("ARTICLE_VALIDATORS_CORPORA")
    return Path(configured) if configured else REPO.parent / "shared" / "corpora"


def _seeds_dir() -> Path:
    return _corpora_dir().parent / "seeds"


def _require(path: Path, what: str) -> Path:
    if path.exists():
        return path
    message = f"{what} not found at {path}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must have ../shared beside the clone", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def corpora_dir() -> Path:
    """The folder of labelled corpora (``langmix.jsonl.gz``, ``boilerplate.jsonl.gz`` ...)."""
    return _require(_corpora_dir(), "labelled corpora")


@pytest.fixture(scope="session")
def seed_article() -> Path:
    """The user's example article: English body, a lone X and a Turkish cookie banner."""
    return _require(_seeds_dir() / "000_2c47240ee14d3b05.txt", "seed article")
