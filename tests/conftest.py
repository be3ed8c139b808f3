"""Shared fixtures: one loaded Analyzer per test session and the seed (example) article."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsledger.model import Analysis
from newsledger.pipeline import Analyzer

ROOT = Path(__file__).resolve().parents[1]
#: The shared evaluation data (PolNeAR and others), next to the repository.
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SEED_PATH = ROOT / "examples" / "north-korea-kursk.txt"
SEED_PUBLISHED = "2025-04-29"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """One Analyzer (one loaded spaCy pipeline) for the whole session."""
    return Analyzer()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed(analyzer: Analyzer, seed_text: str) -> Analysis:
    """The analysis of the example article, published 2025-04-29."""
    return analyzer.analyze(seed_text, published=SEED_PUBLISHED, id="north-korea-kursk")
