"""Shared fixtures: one loaded Analyzer per test session and the seed (example) article."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from newsledger.ingest import ingest
from newsledger.ledger import Ledger
from newsledger.model import Analysis, Article
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


#: An article whose text, title and url try to inject markup and script into the web UI.
HOSTILE_TEXT = (
    'Officials said "<script>alert(1)</script> is not a threat," according to the ministry.'
    ' The spokesman said that "><img src=x onerror=alert(1)> was a test of 3,000 systems.'
)


@pytest.fixture(scope="session")
def example_ledger(analyzer: Analyzer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ledger of the example corpus (``examples/``) plus one hostile article (id
    ``hostile``), built once per session. Tests that write copy it first."""
    path = tmp_path_factory.mktemp("ledger") / "examples.db"
    with Ledger(path) as ledger:
        # from the repository root, as `newsledger ingest examples/` is run (ids are relative)
        cwd = os.getcwd()
        os.chdir(ROOT)
        try:
            stats = ingest(ledger, ["examples"], analyzer=analyzer)
        finally:
            os.chdir(cwd)
        assert stats.stored >= 17, stats
        hostile = Article(
            text=HOSTILE_TEXT,
            id="hostile",
            title='<script>alert("title")</script>',
            published="2019-01-01",  # oldest: out of the screenshots
            url="javascript:alert(1)",
            site='"><b>Evil Outlet</b>',
        )
        ledger.add(next(analyzer.pipe([hostile])))
    return path


@pytest.fixture(scope="session")
def example_seed_id(example_ledger: Path, seed_text: str) -> str:
    """The id the ingest gave the seed article (found by its text, not by the reader's id
    scheme)."""
    with sqlite3.connect(f"file:{example_ledger}?mode=ro", uri=True) as con:
        row = con.execute(
            "SELECT id FROM articles WHERE text_sha256 = ?", (Article(text=seed_text).sha256,)
        ).fetchone()
    assert row is not None, "the seed article is in the example ledger"
    return row[0]


#: The accuracy gates: whole evaluations over ../shared/data, checked against floors.
GATES = {
    "test_accuracy_gate.py::test_polnear_dev_meets_floors",
    "test_accuracy_gate.py::test_ggt_dev_meets_floors",
    "test_dates.py::test_tempeval3_value_f1_floor",
    "test_eval_quantities.py::test_quantulum3_meets_floor",
    "test_dask.py::test_wikinews_ledger_through_dask_equals_single_process",
}
#: Fixtures that load the spaCy English weights, directly or through another fixture.
MODEL_FIXTURES = {"analyzer", "seed", "example_ledger", "example_seed_id"}
#: Files whose tests build an Analyzer themselves.
MODEL_FILES = {"test_accuracy_gate.py", "test_ledger_ingest.py", "test_cli.py"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tiers: ``gate`` for the accuracy gates, ``model`` for tests that load weights."""
    for item in items:
        name = f"{item.path.name}::{item.name.partition('[')[0]}"
        if name in GATES:
            item.add_marker(pytest.mark.gate)
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & MODEL_FIXTURES or item.path.name in MODEL_FILES or name in GATES:
            item.add_marker(pytest.mark.model)
