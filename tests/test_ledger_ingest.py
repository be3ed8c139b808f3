"""Ingest into a ledger and the ledger commands: skips, recorded errors, show/query/export,
and an ingest killed with SIGKILL then run again."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SEED_PATH, SEED_PUBLISHED, SHARED
from spacy.language import Language
from spacy.tokens import Doc
from test_ledger import CHILD_TABLES, orphans
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.extract import EXTRACTORS
from newsledger.ingest import ingest, language_problem
from newsledger.ledger import Ledger
from newsledger.pipeline import Analyzer

WIDE = {"COLUMNS": "300"}
ENGLISH = [
    "The minister said on Tuesday that taxes would rise next year, and that the budget "
    "would be presented to parliament in the spring.",
    "Police said the suspect was arrested in Leeds after a search that lasted for two days, "
    "and that he would appear in court on Monday.",
    "“We have no plans to leave,” the mayor told reporters, adding that the city would "
    "keep its offices open for as long as it was safe to do so.",
]
GERMAN = (
    "Die Bundesregierung hat am Dienstag beschlossen, die Steuern im kommenden Jahr zu "
    "erhöhen. Der Finanzminister erklärte, der Haushalt werde im Frühjahr dem Parlament "
    "vorgelegt, und die Opposition kündigte Widerstand gegen die Pläne an."
)


def write_inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {}
    for i, text in enumerate(ENGLISH):
        files[f"en{i}"] = folder / f"en{i}.txt"
        files[f"en{i}"].write_text(text, encoding="utf-8")
    files["dup"] = folder / "dup.txt"
    files["dup"].write_text(ENGLISH[0], encoding="utf-8")  # same text as en0
    files["de"] = folder / "de.txt"
    files["de"].write_text(GERMAN, encoding="utf-8")
    files["empty"] = folder / "empty.txt"
    files["empty"].write_text("  \n", encoding="utf-8")
    files["binary"] = folder / "binary.txt"
    files["binary"].write_bytes(b"\x00\x01\x02" * 100)
    return files


def test_language_check() -> None:
    for text in ENGLISH:
        assert language_problem(text) is None
    assert "not English" in (language_problem(GERMAN) or "")
    french = (
        "Le gouvernement a annoncé mardi une hausse des impôts pour l'année prochaine. Le "
        "ministre des Finances a déclaré que le budget serait présenté au Parlement au printemps."
    )
    assert "not English" in (language_problem(french) or "")
    assert language_problem("   ") == "empty article"
    assert "no words" in (language_problem("12 345 -- 678") or "")
    assert language_problem("Kim said troops were sent.") is None  # short English


def test_ingest_batch_goes_on_records_errors_and_skips(tmp_path: Path, analyzer: Analyzer) -> None:
    files = write_inputs(tmp_path / "in")
    missing = str(tmp_path / "missing.txt")
    with Ledger(tmp_path / "l.db") as ledger:
        stats = ingest(ledger, [str(tmp_path / "in"), missing], analyzer=analyzer)
        assert stats.stored == len(ENGLISH)
        assert stats.skipped == 1  # en0.txt, the same text as dup.txt (read first)
        errors = ledger.errors(stats.run_id)
        reasons = {Path(e["origin"]).name: e["reason"] for e in errors}
        assert set(reasons) == {"de.txt", "empty.txt", "binary.txt", "missing.txt"}
        assert "not English" in reasons["de.txt"]
        assert "binary" in reasons["binary.txt"]
        assert "no such file" in reasons["missing.txt"]
        assert stats.failed == len(errors)
        run = ledger.con.execute("SELECT * FROM runs WHERE id = ?", (stats.run_id,)).fetchone()
        assert (run["stored"], run["skipped"], run["failed"]) == (3, 1, 4)
        assert run["finished_at"] is not None
        stored = {Path(r[0]).name for r in ledger.con.execute("SELECT origin FROM articles")}
        assert stored == {"dup.txt", "en1.txt", "en2.txt"}

        # a rerun stores nothing new and skips before analysing
        counts = {t: ledger.count(t) for t in ("articles", *CHILD_TABLES)}

        class NoAnalysis(Analyzer):
            def pipe(self, articles, jobs=1):  # type: ignore[no-untyped-def]
                for article in articles:
                    raise AssertionError(f"analysed a stored article: {article.origin}")
                yield from ()

        again = ingest(
            ledger, [str(files[k]) for k in ("en0", "en1", "dup")], analyzer=NoAnalysis()
        )
        assert (again.stored, again.skipped, again.failed) == (0, 3, 0)
        assert {t: ledger.count(t) for t in counts} == counts


def test_an_article_the_analyzer_fails_on_is_recorded(
    tmp_path: Path, analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(EXTRACTORS, next(iter(EXTRACTORS)), "test_fails_on_leeds")
    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(ENGLISH):
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    with Ledger(tmp_path / "l.db") as ledger:
        stats = ingest(ledger, [str(folder)], analyzer=Analyzer())
        assert (stats.stored, stats.failed) == (2, 1)
        [error] = ledger.errors(stats.run_id)
        assert error["origin"].endswith("1.txt")
        assert "analysis failed: RuntimeError: boom" in error["reason"]


@Language.component("test_fails_on_leeds")
def _fails_on_leeds(doc: Doc) -> Doc:
    if "Leeds" in doc.text:
        raise RuntimeError("boom")
    return doc


# ---------------------------------------------------------------------- the commands


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("ledger") / "seed.db"
    result = CliRunner().invoke(
        app,
        ["ingest", str(SEED_PATH), "--db", str(db), "--published", SEED_PUBLISHED],
        env=WIDE,
    )
    assert result.exit_code == 0, result.output
    assert "1 stored, 0 skipped, 0 failed" in result.output
    return db


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "300"}
    return subprocess.run(
        [sys.executable, "-m", "newsledger", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def test_show_json_is_the_analyze_record(seed_db: Path) -> None:
    runner = CliRunner()
    analyzed = runner.invoke(
        app, ["analyze", str(SEED_PATH), "--published", SEED_PUBLISHED, "--format", "json"]
    )
    assert analyzed.exit_code == 0
    record = json.loads(analyzed.stdout)
    shown = runner.invoke(
        app, ["show", record["article"]["id"], "--db", str(seed_db), "-f", "json"]
    )
    assert shown.exit_code == 0, shown.output
    assert shown.stdout == analyzed.stdout
    text = runner.invoke(
        app, ["show", record["article"]["id"], "--db", str(seed_db), "-f", "text"], env=WIDE
    )
    assert text.exit_code == 0
    assert "Kim Jong Un" in text.stdout
    missing = runner.invoke(app, ["show", "nope", "--db", str(seed_db)])
    assert missing.exit_code == 1
    assert "no article 'nope'" in missing.output


def test_query_commands_in_every_format(seed_db: Path) -> None:
    runner = CliRunner()
    base = ["--db", str(seed_db)]
    for args in (["sources"], ["said", "--by", "Kim Jong Un"], ["about", "troops"],
                 ["relays", "--source", "KCNA"]):  # fmt: skip
        as_json = runner.invoke(app, ["query", *args, *base, "--format", "json"])
        assert as_json.exit_code == 0, as_json.output
        rows = json.loads(as_json.stdout)
        assert rows, args
        as_csv = runner.invoke(app, ["query", *args, *base, "--format", "csv"])
        assert as_csv.exit_code == 0
        parsed = list(csv.DictReader(io.StringIO(as_csv.stdout)))
        assert len(parsed) == len(rows)
        table = runner.invoke(app, ["query", *args, *base], env=WIDE)
        assert table.exit_code == 0
    said = json.loads(
        runner.invoke(app, ["query", "said", "--by", "kim jong un", *base, "-f", "json"]).stdout
    )
    assert all(r["source"] == "Kim Jong Un" or "Kim Jong Un" in r["chain"] for r in said)
    nasty = runner.invoke(app, ["query", "about", 'NEAR( "troops* OR %', *base, "-f", "json"])
    assert nasty.exit_code == 0
    assert runner.invoke(app, ["query", "sources", "--db", "/nonexistent/x.db"]).exit_code == 2


def test_export_formats(seed_db: Path, tmp_path: Path) -> None:
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    runner = CliRunner()
    out = tmp_path / "all.jsonl"
    result = runner.invoke(app, ["export", "--db", str(seed_db), "-f", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    [line] = out.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    shown = runner.invoke(
        app, ["show", record["article"]["id"], "--db", str(seed_db), "-f", "json"]
    )
    assert json.loads(shown.stdout) == record
    with Ledger(seed_db) as ledger:
        counts = {t: ledger.count(t) for t in ("articles", "attributions", "chains", "entities")}
    for fmt, read in (("parquet", pq.read_table), ("csv", pcsv.read_csv)):
        folder = tmp_path / fmt
        result = runner.invoke(app, ["export", "--db", str(seed_db), "-f", fmt, "-o", str(folder)])
        assert result.exit_code == 0, result.output
        for table, n in counts.items():
            assert read(folder / f"{table}.{fmt}").num_rows == n
    chains = pq.read_table(tmp_path / "parquet" / "chains.parquet").to_pylist()
    assert {c["name"] for c in chains} >= {"Korean Central News Agency", "Kim Jong Un"}


def test_ingest_usage_errors_and_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "u.db")
    bad_date = runner.invoke(app, ["ingest", str(SEED_PATH), "--db", db, "--published", "May"])
    assert bad_date.exit_code == 2
    assert runner.invoke(app, ["ingest", "--db", db]).exit_code == 2  # no PATH
    # an input that fails is recorded and the run goes on; the exit code says some failed
    ran = runner.invoke(app, ["ingest", str(tmp_path / "missing.txt"), "--db", db], env=WIDE)
    assert ran.exit_code == 1
    assert "0 stored, 0 skipped, 1 failed" in ran.output
    not_a_db = tmp_path / "not.db"
    not_a_db.write_text("hello", encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(SEED_PATH), "--db", str(not_a_db)]).exit_code == 2


# ---------------------------------------------------------------------- kill -9, then rerun

WIKINEWS = SHARED / "wikinews"


@pytest.mark.slow
@pytest.mark.data
def test_ingest_killed_with_sigkill_then_rerun_stores_each_article_once(tmp_path: Path) -> None:
    files = sorted(WIKINEWS.glob("*.csv")) if WIKINEWS.is_dir() else []
    if not files:
        pytest.skip(f"Wikinews data not found in {WIKINEWS} (see ../shared/data/README.md)")
    db = tmp_path / "kill.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "newsledger", "ingest", *map(str, files), "--db", str(db)]
    proc = subprocess.Popen(
        [*cmd, "--jobs", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: SIGKILL reaches the workers too
    )
    try:
        deadline = time.monotonic() + 240
        stored = 0
        while stored == 0:
            ended = proc.poll() is not None
            stored = _stored(db)
            assert stored or not ended, "ingest ended before storing anything"
            assert time.monotonic() < deadline, "no article stored within 240 s"
            time.sleep(0.2)
        time.sleep(random.uniform(0, 4))
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:  # it had already finished
            pass
        proc.wait()
    first = _stored(db)
    assert first >= 1
    rerun = subprocess.run([*cmd, "--jobs", "2"], env=env, capture_output=True, text=True,
                           timeout=600)  # fmt: skip
    con = sqlite3.connect(db)
    total = _count_records(files)
    n_articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    last_run = con.execute("SELECT max(id) FROM runs").fetchone()[0]
    failed = con.execute(
        "SELECT count(DISTINCT origin) FROM ingest_errors WHERE run_id = ?", (last_run,)
    ).fetchone()[0]
    assert rerun.returncode == (1 if failed else 0), rerun.stderr  # 1: some inputs failed
    assert n_articles + failed == total
    # the cross-document update covers every article, the killed run's included
    assert con.execute("SELECT count(*) FROM crossdoc_pending").fetchone()[0] == 0
    assert (
        con.execute(
            "SELECT count(DISTINCT e.article_id) FROM entities e WHERE NOT EXISTS"
            " (SELECT 1 FROM ledger_entity_members m WHERE m.article_id = e.article_id)"
        ).fetchone()[0]
        == 0
    )
    assert n_articles > first or failed or first == total
    assert (
        con.execute("SELECT count(*) - count(DISTINCT text_sha256) FROM articles").fetchone()[0]
        == 0
    )
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.row_factory = sqlite3.Row
    assert all(n == 0 for n in orphans(con).values()), orphans(con)
    # attributions and chains agree: each chain row has its attribution and vice versa
    assert (
        con.execute(
            "SELECT count(*) FROM chains c LEFT JOIN attributions t"
            " ON t.article_id = c.article_id AND t.id = c.attribution_id WHERE t.id IS NULL"
        ).fetchone()[0]
        == 0
    )
    assert (
        con.execute(
            "SELECT count(*) FROM attributions t LEFT JOIN chains c"
            " ON c.article_id = t.article_id AND c.attribution_id = t.id WHERE c.name IS NULL"
        ).fetchone()[0]
        == 0
    )
    con.execute("INSERT INTO attributions_fts(attributions_fts) VALUES ('integrity-check')")
    con.close()


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:  # not created or migrated yet
        return 0


def _count_records(files: list[Path]) -> int:
    csv.field_size_limit(sys.maxsize)
    n = 0
    for f in files:
        with open(f, newline="", encoding="utf-8") as handle:
            n += sum(1 for _ in csv.DictReader(handle))
    return n
