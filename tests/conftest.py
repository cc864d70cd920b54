"""Shared pytest fixtures: a fresh application on a temporary database per test, and the shared corpora."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """The real export files in ../shared/corpora; skips only when ../shared is absent."""
    corpora = SHARED / "corpora"
    if not corpora.is_dir():
        pytest.skip("../shared/corpora is absent")
    return corpora
