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

from newsledger.errors import InputError
from newsledger.model import Analysis
from newsledger.pipeline import Analyzer
from newsledger.readers import iter_articles
from newsledger.scale.dask_runner import dask_client, run_dask
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
    with dask_client(workers=2, dashboard_address=None) as client:
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
    assert len(shards) == len(partitions) == report.computed  # nothing twice, nothing missing
    assert not [p for p in os.listdir(out) if p.endswith(".tmp")]
    assert victim not in client.run(os.getpid)  # the worker was really killed


@pytest.mark.slow
@pytest.mark.data
def test_wikinews_through_dask_equals_single_process(
    client: object, analyzer: Analyzer, tmp_path: Path
) -> None:
    if not WIKINEWS.exists():
        pytest.skip(f"Wikinews data not found at {WIKINEWS}")
    paths = [str(WIKINEWS)]
    partitions = plan_partitions(paths, 32 << 10)
    assert len(partitions) > 8 and {p["kind"] for p in partitions} == {"csv"}
    report = run_dask(partitions, tmp_path, client=client, progress=False)
    assert report.ok and report.articles == 171
    records, errors = from_shards(report)
    assert (records, errors) == single_process(analyzer, paths, None)
    assert sum(len(r["attributions"]) for r in records) > 500
    assert all(Analysis.from_dict(r).to_dict(include_text=True) == r for r in records)
