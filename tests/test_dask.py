"""Dask: shards built by a 2-worker local cluster equal a single-process run, survive a killed
worker, and are reused by a rerun."""

from __future__ import annotations

import io
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ROOT, SEED_PATH, SHARED
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.errors import InputError
from newsledger.ingest import ingest
from newsledger.ledger import Ledger
from newsledger.pipeline import Analyzer
from newsledger.readers import iter_articles
from newsledger.scale.dask_runner import dask_client, run_dask
from newsledger.scale.load import load_shards
from newsledger.scale.local_runner import run_local
from newsledger.scale.partition import plan_partitions
from newsledger.scale.runner import RunReport
from newsledger.scale.shards import list_shards, read_shard, shard_info
from newsledger.scale.work import ShardOptions

PUBLISHED = "2025-04-29"
WIKINEWS = SHARED / "wikinews" / "wikinews_2019.csv"
CORPUS = ROOT / "examples" / "corpus.jsonl"


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    """A local cluster of 2 single-threaded worker processes, shut down after the module."""
    with dask_client(workers=2, dashboard_address=":0") as client:
        yield client


def make_corpus(folder: Path, seed_text: str) -> list[str]:
    """Example inputs: the seed article, generated text files, JSONL and CSV with quoted
    newlines (articles made of the seed article's paragraphs), and one bad record."""
    paragraphs = [p for p in seed_text.split("\n") if p.strip()]
    folder.mkdir(parents=True, exist_ok=True)
    articles = []
    for i in range(12):
        chosen = [paragraphs[(i + k * 3) % len(paragraphs)] for k in range(3)]
        articles.append("\n\n".join(chosen))
    for i, text in enumerate(articles[:3]):
        (folder / f"gen-{i}.txt").write_text(text, encoding="utf-8")
    with open(folder / "feed.jsonl", "w", encoding="utf-8") as f:
        for i, text in enumerate(articles[3:9]):
            record = {"text": text, "title": f"Item {i}"}
            if i % 2:
                record["id"] = f"feed-{i}"
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        f.write("{broken json\n")
        f.write(json.dumps({"text": articles[0]}) + "\n")  # a duplicate text
        f.write(json.dumps({"id": "feed-1", "text": articles[11] + " Again."}) + "\n")  # same id
        german = "Der Minister sagte, dass die Steuern im nächsten Jahr steigen würden. " * 4
        f.write(json.dumps({"text": german}) + "\n")  # not English: rejected
    import csv

    with open(folder / "table.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "title", "text", "published"])
        for i, text in enumerate(articles[9:]):
            writer.writerow([f"row-{i}", f"Row {i}", text, "2024-02-0" + str(i + 1)])
    paths = [str(SEED_PATH), str(folder)]
    if CORPUS.exists():
        paths.append(str(CORPUS))
    return paths


def single_process(analyzer: Analyzer, paths: list[str], published: str | None) -> tuple:
    errors: list[tuple[str, str]] = []

    def articles():
        for item in iter_articles(paths, published=published):
            if isinstance(item, InputError):
                errors.append((item.origin, item.reason))
            else:
                yield item

    records = [a.to_dict(include_text=True) for a in analyzer.pipe(articles())]
    return records, errors


def from_shards(report: RunReport) -> tuple:
    records = [a.to_dict(include_text=True) for p in report.shards for a in read_shard(p)]
    return records, [(e.origin, e.reason) for e in report.errors]


@pytest.mark.slow  # starts a Dask cluster
def test_dask_shards_equal_single_process(
    client: object, analyzer: Analyzer, seed_text: str, tmp_path: Path
) -> None:
    paths = make_corpus(tmp_path / "in", seed_text)
    partitions = plan_partitions(paths, 1000)
    assert {p["kind"] for p in partitions} >= {"files", "jsonl", "csv"}
    options = ShardOptions(published=PUBLISHED)
    stream = io.StringIO()
    report = run_dask(partitions, tmp_path / "shards", options, client=client, stream=stream)
    assert report.ok and report.computed == len(partitions) and report.reused == 0
    expected = single_process(analyzer, paths, PUBLISHED)
    assert from_shards(report) == expected
    assert any(r["attributions"] for r in expected[0]) and expected[1]  # a real test
    # plain progress lines off a terminal, one per partition
    assert stream.getvalue().count("done: ") == len(partitions)
    # the same shards through the local process runner
    local = run_local(partitions, tmp_path / "local", options, jobs=1, progress=False)
    assert [p.name for p in local.shards] == [p.name for p in report.shards]
    assert from_shards(local) == expected
    # rerun: every shard reused; touch one input: only its partition is computed again
    again = run_dask(partitions, tmp_path / "shards", options, client=client, progress=False)
    assert (again.computed, again.reused) == (0, len(partitions))
    assert from_shards(again) == expected
    table = tmp_path / "in" / "table.csv"
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    third = run_dask(partitions, tmp_path / "shards", options, client=client, progress=False)
    assert third.computed == sum(1 for p in partitions if "table.csv" in json.dumps(p))
    assert third.computed >= 1 and third.reused == len(partitions) - third.computed


def test_shard_columns_match_the_record(
    client: object, analyzer: Analyzer, seed_text: str, tmp_path: Path
) -> None:
    paths = [str(SEED_PATH)]
    report = run_dask(
        plan_partitions(paths), tmp_path, ShardOptions(published=PUBLISHED), client=client
    )
    (path,) = report.shards
    table = pq.read_table(path)
    row = table.to_pylist()[0]
    record = json.loads(row["record"])
    assert record["schema"] == "newsledger.analysis/1" and "text" not in record
    assert row["text"] == seed_text
    assert (row["article_id"], row["sha256"], row["published"]) == (
        record["article"]["id"],
        record["article"]["text_sha256"],
        PUBLISHED,
    )
    assert row["origin"] == str(SEED_PATH)
    assert [a["id"] for a in row["attributions"]] == [a["id"] for a in record["attributions"]]
    for flat, full in zip(row["attributions"], record["attributions"], strict=True):
        assert flat["cue"] == full["cue"] and flat["content"] == full["content"]
        assert flat["source"] == (full["source"] or {}).get("name")
        assert flat["chain"] == full["chain"]
    assert [(e["name"], e["mentions"]) for e in row["entities"]] == [
        (e["name"], len(e["mentions"])) for e in record["entities"]
    ]
    info = shard_info(path)
    assert info.partition == plan_partitions(paths)[0] and info.errors == []
    assert [i.path for i in list_shards(tmp_path)] == [path]
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


@pytest.mark.slow  # starts a Dask cluster
def test_killed_worker_partition_is_retried(
    client: object, analyzer: Analyzer, seed_text: str, tmp_path: Path
) -> None:
    paths = make_corpus(tmp_path / "in", seed_text)
    partitions = plan_partitions(paths, 1000)
    options = ShardOptions(published=PUBLISHED)
    out = tmp_path / "shards"
    result: dict[str, RunReport] = {}
    runner = threading.Thread(
        target=lambda: result.update(
            report=run_dask(partitions, out, options, client=client, progress=False)
        )
    )
    pids = client.run(os.getpid)
    runner.start()
    victim = None
    deadline = time.monotonic() + 60
    while victim is None and time.monotonic() < deadline:
        busy = {w: ts for w, ts in client.processing().items() if ts}
        if busy:
            time.sleep(0.3)  # well inside the partition
            victim = next(iter(busy))
        else:
            time.sleep(0.05)
    assert victim is not None, "no task started within 60 s"
    os.kill(pids[victim], signal.SIGKILL)
    runner.join(timeout=300)
    assert not runner.is_alive()
    report = result["report"]
    assert report.ok, report.failed
    assert from_shards(report) == single_process(analyzer, paths, PUBLISHED)
    shards = sorted(p for p in os.listdir(out) if p.startswith("shard-"))
    # nothing twice, nothing missing (a try killed right after its rename is "reused")
    assert len(shards) == len(partitions) == report.computed + report.reused
    assert not [p for p in os.listdir(out) if p.endswith(".tmp")]
    assert victim not in client.run(os.getpid)  # the worker was really killed


def ledger_state(db: Path) -> tuple:
    """What a ledger holds, in ingest order: records, origins, errors, run counts."""
    with Ledger(db) as ledger:
        records = [a.to_dict(include_text=True) for a in ledger.iter_analyses()]
        origins = ledger.con.execute("SELECT id, origin FROM articles ORDER BY seq").fetchall()
        errors = [(e["origin"], e["reason"]) for e in ledger.errors()]
        runs = ledger.con.execute("SELECT stored, skipped, failed FROM runs ORDER BY id").fetchall()
    return records, [tuple(r) for r in origins], errors, [tuple(r) for r in runs]


def cli(*args: str) -> object:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "300"})
    return result


@pytest.mark.slow  # starts a Dask cluster
def test_dask_ingest_builds_the_local_ledger(
    client: object, seed_text: str, tmp_path: Path
) -> None:
    paths = make_corpus(tmp_path / "in", seed_text)
    local_db, dask_db = tmp_path / "local.db", tmp_path / "dask.db"
    # the corpus holds inputs that fail: both engines exit 1 (some inputs failed) alike
    done = cli("ingest", *paths, "--db", str(local_db), "--published", PUBLISHED)
    assert done.exit_code == 1, done.output
    address = client.scheduler.address
    args = ["--engine", "dask", "--scheduler", address, "--partition-size", "1024"]
    done = cli("ingest", *paths, "--db", str(dask_db), "--published", PUBLISHED, *args)
    assert done.exit_code == 1, done.output
    shards = Path(f"{dask_db}.shards")
    assert f"{shards}: " in done.output and " 0 reused" in done.output
    local = ledger_state(local_db)
    assert ledger_state(dask_db) == local
    records, _, errors, runs = local
    assert len(records) >= 10 and any("not English" in r for _, r in errors)
    assert runs[0][1] >= 2  # the duplicate text and the duplicate id were skipped
    # a rerun: every shard reused, every article skipped
    again = cli("ingest", *paths, "--db", str(dask_db), "--published", PUBLISHED, *args)
    assert again.exit_code == 1, again.output
    stored, skipped, failed = runs[0]
    assert "(0 computed" in again.output
    assert f" 0 stored, {len(records) + skipped} skipped, {failed} failed" in again.output
    # the folder reads as one Parquet table (manifests and temporary files are skipped)
    table = pq.read_table(shards)
    assert table.num_rows == sum(i.rows for i in list_shards(shards))
    assert table.num_rows == len(records) + skipped  # duplicates are analyzed, dropped at load
    assert set(table.column("sha256").to_pylist()) >= {r["article"]["text_sha256"] for r in records}
    # load: idempotent on the same ledger, and into a fresh ledger gives the same ledger
    # (the exit code is 1 when the shards record failed inputs, as ingest's is)
    loaded = cli("load", str(shards), "--db", str(dask_db))
    assert " 0 stored" in loaded.output, loaded.output
    assert loaded.exit_code == (1 if " 0 failed" not in loaded.output else 0), loaded.output
    fresh = tmp_path / "fresh.db"
    loaded = cli("load", str(shards), "--db", str(fresh))
    assert loaded.exit_code == (1 if failed else 0), loaded.output
    assert ledger_state(fresh)[:3] == local[:3]


def test_dask_ingest_usage_errors(tmp_path: Path) -> None:
    seed = str(SEED_PATH)
    assert cli("ingest", seed, "--workers", "2").exit_code == 2
    assert cli("ingest", seed, "--engine", "dask", "--jobs", "2").exit_code == 2
    stdin = cli("ingest", "-", "--engine", "dask", "--db", str(tmp_path / "x.db"))
    assert stdin.exit_code == 2 and "standard input" in stdin.output
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = cli("load", str(empty), "--db", str(tmp_path / "y.db"))
    assert missing.exit_code == 2 and "no shards" in missing.output
    not_dir = cli("load", str(tmp_path / "nope"), "--db", str(tmp_path / "y.db"))
    assert not_dir.exit_code == 2 and "not a directory" in not_dir.output


@pytest.mark.slow
@pytest.mark.data
def test_wikinews_ledger_through_dask_equals_single_process(
    client: object, analyzer: Analyzer, tmp_path: Path
) -> None:
    if not WIKINEWS.exists():
        pytest.skip(f"Wikinews data not found at {WIKINEWS}")
    paths = [str(WIKINEWS)]
    partitions = plan_partitions(paths, 32 << 10)
    assert len(partitions) > 8 and {p["kind"] for p in partitions} == {"csv"}
    options = ShardOptions(filters=("language",))
    result: dict[str, RunReport] = {}
    # the Dask run and the single-process ingest run side by side
    runner = threading.Thread(
        target=lambda: result.update(
            report=run_dask(partitions, tmp_path / "shards", options, client=client, progress=False)
        )
    )
    runner.start()
    with Ledger(tmp_path / "single.db") as ledger:
        ingest(ledger, paths, analyzer=analyzer)
    runner.join(timeout=600)
    report = result["report"]
    assert report.ok and report.articles + len(report.errors) == 171
    with Ledger(tmp_path / "dask.db") as ledger:
        load_shards(ledger, report.shards, inputs=paths)
    single = ledger_state(tmp_path / "single.db")
    assert ledger_state(tmp_path / "dask.db") == single
    records = single[0]
    assert len(records) >= 165 and sum(len(r["attributions"]) for r in records) > 500
    with Ledger(tmp_path / "dask.db") as ledger:  # Ledger.get gives the records of the shards
        for analysis in read_shard(report.shards[0]):
            stored = ledger.get(analysis.article.id)
            assert stored is not None
            assert stored.to_dict(include_text=True) == analysis.to_dict(include_text=True)


@pytest.mark.slow  # starts a Dask cluster
def test_local_cluster_leaves_no_processes() -> None:
    import psutil

    def children() -> set[int]:
        return {p.pid for p in psutil.Process().children(recursive=True)}

    before = children()
    with dask_client(workers=1, dashboard_address=":0") as own:
        workers = set(own.run(os.getpid).values())
        started = children() - before
        assert workers and workers <= started
    time.sleep(0.5)
    alive = [
        pid
        for pid in started
        if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    ]
    assert alive == []


def test_ingest_dask_passes_the_attributions_mode(monkeypatch, tmp_path):
    """`ingest --engine dask --attributions trained` reaches the workers' analyzer options."""
    import newsledger.scale.ingest as scale_ingest
    from newsledger.scale.work import ShardOptions, get_analyzer

    seen: dict[str, object] = {}

    def fake_run_dask(partitions, out, options, **kwargs):
        seen["options"] = options
        raise ValueError("stop before the cluster")

    monkeypatch.setattr("newsledger.scale.dask_runner.run_dask", fake_run_dask)
    monkeypatch.setattr(scale_ingest, "auto_partition_bytes", lambda paths, n: 1 << 20)
    result = CliRunner().invoke(
        app,
        [
            "ingest",
            str(SEED_PATH),
            "--engine",
            "dask",
            "--attributions",
            "trained",
            "--db",
            str(tmp_path / "t.db"),
        ],
    )
    assert result.exit_code == 2, result.output
    options = seen["options"]
    assert isinstance(options, ShardOptions)
    assert options.analyzer.attributions == "trained"
    assert options.key()["attributions"] == "trained"
    assert get_analyzer(options.analyzer).attributions == "trained"
