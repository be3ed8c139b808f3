"""Every input is an item: a fault while reading, analyzing or storing one input is a failure
recorded for that input and the batch goes on (ingest and analyze); a full disk is one clear
line; a run completes the cross-document update an interrupted one left.

Faults are injected at the layers around the analysis: a reader, the Analyzer object passed
in, the Ledger."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import newsledger.cli.ingest as cli_ingest
import newsledger.readers.text as text_reader
from newsledger.cli import app
from newsledger.errors import InputError, ModelNotFound
from newsledger.ingest import ingest
from newsledger.ledger import Ledger
from newsledger.model import Analysis, Article
from newsledger.pipeline import Analyzer

WIDE = {"COLUMNS": "300"}
TEXTS = [
    "The minister said on Tuesday that taxes would rise next year, and that the budget "
    "would be presented to parliament in the spring.",
    "Police said the suspect was arrested in Leeds after a search that lasted for two days, "
    "and that he would appear in court on Monday.",
    "“We have no plans to leave,” the mayor told reporters, adding that the city would "
    "keep its offices open for as long as it was safe to do so.",
    "The company said its profits fell by a third last year, blaming the cost of energy and "
    "a drop in sales in Europe, according to its annual report.",
]


def inputs(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for i, text in enumerate(TEXTS):
        paths.append(folder / f"a{i}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    return paths


@pytest.fixture()
def broken_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """The text reader raises on a1.txt, as a reader bug (or a hostile input) would."""
    real = text_reader.read_file

    def read_file(path: str, *args: Any) -> Article | InputError:
        if path.endswith("a1.txt"):
            raise RuntimeError("malformed input in the reader")
        return real(path, *args)

    monkeypatch.setattr(text_reader, "read_file", read_file)


def test_a_reader_raising_mid_batch_is_one_failure_and_the_rest_are_stored(
    tmp_path: Path, analyzer: Analyzer, broken_reader: None
) -> None:
    paths = inputs(tmp_path / "in")
    with Ledger(tmp_path / "l.db") as ledger:
        stats = ingest(ledger, [str(tmp_path / "in")], analyzer=analyzer)
        assert (stats.stored, stats.skipped, stats.failed) == (3, 0, 1)
        (error,) = ledger.errors(stats.run_id)
        assert error["origin"] == str(paths[1])
        assert "RuntimeError: malformed input in the reader" in error["reason"]
        assert stats.crossdoc is not None and stats.crossdoc["articles"] == 3

    result = CliRunner().invoke(
        app, ["ingest", *map(str, paths), "--db", str(tmp_path / "cli.db")], env=WIDE
    )
    assert result.exit_code == 1, result.output
    assert "3 stored, 0 skipped, 1 failed" in result.stderr
    assert f"failed: {paths[1]}: could not be read" in result.stderr
    assert "Traceback" not in result.output


class ExplodingAnalyzer:
    """The analyzer passed in fails on one article (like an extractor bug would)."""

    def __init__(self, inner: Analyzer) -> None:
        self.inner = inner

    def pipe(self, articles: Iterable[Article], jobs: int = 1) -> Iterator[Analysis]:
        for article in articles:
            if "Leeds" in article.text:
                raise ValueError("extractor bug")
            yield from self.inner.pipe([article])


def test_an_analysis_that_raises_is_one_failure(tmp_path: Path, analyzer: Analyzer) -> None:
    inputs(tmp_path / "in")
    with Ledger(tmp_path / "l.db") as ledger:
        flaky = ExplodingAnalyzer(analyzer)
        stats = ingest(ledger, [str(tmp_path / "in")], analyzer=flaky)  # type: ignore[arg-type]
        assert (stats.stored, stats.failed) == (3, 1)
        (error,) = ledger.errors(stats.run_id)
        assert error["origin"].endswith("a1.txt")
        assert error["reason"] == "analysis failed: ValueError: extractor bug"


class PickyLedger(Ledger):
    """A ledger that cannot hold one record (a value SQLite refuses)."""

    def add(self, analysis: Analysis, text: str | None = None, **kwargs: Any) -> bool:
        if analysis.article.id.endswith("a2"):
            raise sqlite3.IntegrityError("CHECK constraint failed: articles")
        return super().add(analysis, text, **kwargs)


def test_a_record_the_ledger_refuses_is_one_failure(tmp_path: Path, analyzer: Analyzer) -> None:
    inputs(tmp_path / "in")
    with PickyLedger(tmp_path / "l.db") as ledger:
        stats = ingest(ledger, [str(tmp_path / "in")], analyzer=analyzer)
        assert (stats.stored, stats.skipped, stats.failed) == (3, 0, 1)
        (error,) = ledger.errors(stats.run_id)
        assert error["origin"].endswith("a2.txt")
        assert error["reason"] == (
            "could not be stored: IntegrityError: CHECK constraint failed: articles"
        )
        assert ledger.count() == 3 and ledger.check().ok


class FullLedger(Ledger):
    """A ledger on a disk that fills up after the first article."""

    def add(self, analysis: Analysis, text: str | None = None, **kwargs: Any) -> bool:
        if self.count() >= 1:
            self.con.execute(f"PRAGMA max_page_count = {self.page_count()}")
            text = (text or analysis.text) * 2000  # more than the pages left can hold
        return super().add(analysis, text, **kwargs)

    def page_count(self) -> int:
        return int(self.con.execute("PRAGMA page_count").fetchone()[0])


def test_a_full_disk_stops_the_ingest_with_one_line_and_keeps_the_ledger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = inputs(tmp_path / "in")
    db = tmp_path / "full.db"
    monkeypatch.setattr(cli_ingest, "Ledger", FullLedger)
    result = CliRunner().invoke(app, ["ingest", *map(str, paths), "--db", str(db)], env=WIDE)
    assert result.exit_code == 2, result.output
    (line,) = [x for x in result.stderr.splitlines() if x.strip()]
    assert line.startswith(f"error: cannot write to the ledger {db}: database or disk is full")
    with Ledger(db) as ledger:
        assert ledger.count() == 1  # what was committed stays
        check = ledger.check(repair=True)  # and the pending cross-document row is completed
        assert check.ok, check.problems


def test_a_file_name_that_is_not_utf8_is_stored_and_flagged(
    tmp_path: Path, analyzer: Analyzer
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.path.join(os.fsencode(folder), b"caf\xff.txt")
    with open(bad, "wb") as f:
        f.write(TEXTS[0].encode())
    with Ledger(tmp_path / "l.db") as ledger:
        stats = ingest(ledger, [str(folder)], analyzer=analyzer)
        assert (stats.stored, stats.failed) == (1, 0)
        (origin,) = [r[0] for r in ledger.con.execute("SELECT origin FROM articles")]
        assert origin == f"{folder}/caf\ufffd.txt"
        stored = ledger.get(stats.stored_ids[0])
        assert stored is not None
        assert "invalid_utf8_name" in {i.kind for i in stored.issues}

        # named on the command line: the run's inputs are stored too
        again = ingest(ledger, [os.fsdecode(bad)], analyzer=analyzer)
        assert (again.stored, again.skipped, again.failed) == (0, 1, 0)
        (inputs_row,) = ledger.con.execute(
            "SELECT inputs FROM runs WHERE id = ?", (again.run_id,)
        ).fetchone()
        assert json.loads(inputs_row) == [f"{folder}/caf\ufffd.txt"]

    result = CliRunner().invoke(app, ["analyze", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout_bytes.decode("utf-8"))  # valid UTF-8
    assert record["article"]["id"] == f"{folder}/caf\ufffd"


def test_analyze_goes_on_past_a_failing_reader(tmp_path: Path, broken_reader: None) -> None:
    paths = inputs(tmp_path / "in")
    result = CliRunner().invoke(app, ["analyze", *map(str, paths), "--format", "jsonl"])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout_bytes.decode("utf-8").splitlines()]
    assert [r["article"]["id"] for r in records] == [str(p.with_suffix("")) for p in paths[:1]] + [
        str(p.with_suffix("")) for p in paths[2:]
    ]
    assert f"error: {paths[1]}: could not be read: RuntimeError" in result.stderr
    assert "Traceback" not in result.output


def test_a_run_completes_the_crossdoc_update_an_interrupted_one_left(
    tmp_path: Path, analyzer: Analyzer
) -> None:
    paths = inputs(tmp_path / "in")
    with Ledger(tmp_path / "clean.db") as clean:
        ingest(clean, [str(p) for p in paths], analyzer=analyzer)
        expected = _crossdoc_state(clean)
    with Ledger(tmp_path / "cut.db") as cut:
        # the first run stored two articles and stopped before the cross-document update
        first = ingest(cut, [str(p) for p in paths[:2]], analyzer=analyzer, crossdoc=False)
        assert first.crossdoc is None and len(cut.pending_crossdoc()) == 2
        again = ingest(cut, [str(p) for p in paths], analyzer=analyzer)
        assert (again.stored, again.skipped) == (2, 2)
        assert again.crossdoc is not None and again.crossdoc["articles"] == 4
        assert cut.pending_crossdoc() == [] and _crossdoc_state(cut) == expected


def _crossdoc_state(ledger: Ledger) -> tuple[set[str], int, int]:
    con = ledger.con
    articles = {
        r[0]
        for r in con.execute(
            "SELECT article_id FROM ledger_entity_members"
            " UNION SELECT article_id FROM claim_members"
        )
    }
    claims = con.execute("SELECT count(*) FROM claims").fetchone()[0]
    members = con.execute("SELECT count(*) FROM claim_members").fetchone()[0]
    return {Path(a).name for a in articles}, claims, members


class NoModel:
    """An analyzer that cannot start: it fails before reading any article."""

    def pipe(self, articles: Iterable[Article], jobs: int = 1) -> Iterator[Analysis]:
        raise ModelNotFound("no English spaCy pipeline is installed")
        yield from ()


def test_an_analyzer_that_cannot_start_is_raised_not_blamed_on_inputs(tmp_path: Path) -> None:
    inputs(tmp_path / "in")
    with Ledger(tmp_path / "l.db") as ledger:
        with pytest.raises(ModelNotFound):
            ingest(ledger, [str(tmp_path / "in")], analyzer=NoModel())  # type: ignore[arg-type]
        assert ledger.errors() == [] and ledger.count() == 0
