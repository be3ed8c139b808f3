"""Across articles: the stored tables, incremental and rebuilt, on the example corpus and
through the CLI (``ledger.crossdoc_store``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_crossdoc_common import (
    A1,
    A2,
    A3,
    C1,
    D1,
    K1,
    K2,
    ROOT,
    cli,
    snapshot,
)
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.ingest import ingest
from newsledger.ledger import Ledger
from newsledger.pipeline import Analyzer


@pytest.fixture(scope="module")
def example_db(tmp_path_factory: pytest.TempPathFactory, analyzer: Analyzer) -> Path:
    folder = tmp_path_factory.mktemp("examples")
    shutil.copy(ROOT / "examples" / "corpus.jsonl", folder / "corpus.jsonl")
    shutil.copy(ROOT / "examples" / "north-korea-kursk.txt", folder / "north-korea-kursk.txt")
    db = folder / "x.db"
    with Ledger(db) as ledger:
        stats = ingest(ledger, [str(folder)], published="2025-04-29", analyzer=analyzer)
        assert stats.stored == 18 and stats.crossdoc and stats.crossdoc["articles"] == 18
    return db


def test_incremental_update_equals_rebuild(tmp_path: Path) -> None:
    records = [A1, A2, A3, K1, K2, C1, D1]
    ledger = Ledger(tmp_path / "l.db")
    for r in records:  # one update per article, as separate ingests would do
        ledger.add(r)
        ledger.update_crossdoc([r.article.id])
    incremental = snapshot(ledger)
    assert incremental[2], "the records hold conflicts"
    ledger.rebuild_crossdoc()
    assert snapshot(ledger) == incremental
    # updating again changes nothing
    ledger.update_crossdoc([r.article.id for r in records])
    assert snapshot(ledger) == incremental


def test_example_ledger_shows_clusters_and_conflicts(example_db: Path) -> None:
    db = str(example_db)
    found = cli("claims", "--db", db, "--min-articles", "2", "--format", "json")
    verdicts = {c["independence"] for c in found}
    assert {"independent", "relay_only"} <= verdicts
    casualties = [c for c in found if c["facet"] == "troops/killed_or_injured"]
    assert casualties and casualties[0]["independence"] == "independent"
    assert len({m["article_id"] for m in casualties[0]["members"]}) >= 2
    rows = cli("conflicts", "--db", db, "--format", "json")
    values = {
        frozenset((r["a"]["value"], r["b"]["value"])) for r in rows if r["kind"] == "quantity"
    }
    assert frozenset(("14,000", "11,000")) in values
    assert {"quantity", "date", "denial"} <= {r["kind"] for r in rows}
    about = cli("claims", "--db", db, "--about", "killed", "--format", "json")
    assert about and all(any("kill" in m["content"].lower() for m in c["members"]) for c in about)
    t = cli("timeline", "KCNA", "--db", db, "--format", "json")
    assert t["name"] == "Korean Central News Agency" and len(t["said"]) >= 5
    listed = cli("entities", "list", "--db", db, "--format", "json")
    assert any(e["name"] == "Kim Jong Un" for e in listed)
    shown = cli("entities", "show", "Kim Jong-un", "--db", db, "--format", "json")
    assert {"Kim Jong Un", "Kim Jong-un"} <= set(shown["names"])


def test_cli_merge_split_rebuild_and_errors(example_db: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "copy.db")
    shutil.copy(example_db, db)
    runner = CliRunner()
    result = runner.invoke(app, ["entities", "merge", "Pentagon", "Defense Department", "--db", db])
    assert result.exit_code == 0, result.output
    shown = cli("entities", "show", "Pentagon", "--db", db, "--format", "json")
    assert {"Pentagon", "Defense Department"} <= set(shown["names"])
    result = runner.invoke(app, ["crossdoc", "rebuild", "--db", db])
    assert result.exit_code == 0, result.output
    shown = cli("entities", "show", "Pentagon", "--db", db, "--format", "json")
    assert {"Pentagon", "Defense Department"} <= set(shown["names"])
    member = shown["members"][0]
    ref = f"{member['article_id']}:{member['entity_id']}"
    result = runner.invoke(app, ["entities", "split", "Pentagon", ref, "--db", db])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["entities", "show", "no such thing", "--db", db]).exit_code == 1
    assert (
        runner.invoke(app, ["entities", "merge", "Pentagon", "nobody", "--db", db]).exit_code == 1
    )
    assert runner.invoke(app, ["entities", "split", "Pentagon", "noref", "--db", db]).exit_code == 2
    assert runner.invoke(app, ["timeline", "nobody", "--db", db]).exit_code == 1
    assert runner.invoke(app, ["conflicts", "--kind", "x", "--db", db]).exit_code == 2
    assert runner.invoke(app, ["claims", "--db", str(tmp_path / "none.db")]).exit_code == 2
