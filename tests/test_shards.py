"""process_shard and the Parquet shard format, in this process (no cluster)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newsledger.extract import EXTRACTORS
from newsledger.pipeline import Analyzer, AnalyzerOptions
from newsledger.scale.local_runner import run_local
from newsledger.scale.partition import plan_partitions
from newsledger.scale.shards import (
    SHARD_FORMAT,
    Problem,
    iter_shard,
    read_shard,
    shard_info,
    write_shard,
)
from newsledger.scale.work import ShardOptions, process_shard

GOOD = "The minister said that taxes would rise next year."
OTHER = "Officials said on Monday that the bridge would reopen."


def write_feed(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_problems_keep_their_place_among_the_articles(analyzer: Analyzer, tmp_path: Path) -> None:
    feed = write_feed(
        tmp_path / "feed.jsonl",
        [json.dumps({"text": GOOD}), "{bad", json.dumps({"text": ""}), json.dumps({"text": OTHER})],
    )
    (partition,) = plan_partitions([feed])
    result = process_shard(partition)
    assert [a.text for a in result.analyses] == [GOOD, OTHER]
    assert result.positions == [0, 3]
    assert [(p.position, p.kind, p.origin) for p in result.problems] == [
        (1, "input", f"{feed}:2"),
        (2, "input", f"{feed}:3"),
    ]
    assert [str(e) for e in result.errors][1] == f"{feed}:3: empty article"
    assert result.analyses[0].to_dict() == analyzer.analyze(GOOD, id="feed:1").to_dict()
    # shard round trip, in input order, problems interleaved
    path = write_shard(
        tmp_path / "s.parquet",
        result.analyses,
        origins=result.origins,
        positions=result.positions,
        problems=result.problems,
        key="k",
        partition=partition,
    )
    items = list(iter_shard(path))
    assert [type(x).__name__ for _, x in items] == ["Analysis", "Problem", "Problem", "Analysis"]
    assert [o for o, _ in items] == [f"{feed}:{n}" for n in (1, 2, 3, 4)]
    assert [a.to_dict(include_text=True) for a in read_shard(path)] == [
        a.to_dict(include_text=True) for a in result.analyses
    ]
    info = shard_info(path)
    assert (info.key, info.rows, info.partition, info.problems) == (
        "k",
        2,
        partition,
        result.problems,
    )


@Language.component("test_breaks_on_boom")
def _breaks_on_boom(doc: Doc) -> Doc:
    if "BOOM" in doc.text:
        raise RuntimeError("extractor broke")
    return doc


def test_a_failing_article_does_not_sink_its_partition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(EXTRACTORS, "boom", "test_breaks_on_boom")
    feed = write_feed(
        tmp_path / "f.jsonl",
        [
            json.dumps({"text": GOOD}),
            json.dumps({"text": "BOOM said the bomb."}),
            json.dumps({"text": OTHER}),
        ],
    )
    (partition,) = plan_partitions([feed])
    result = process_shard(partition, AnalyzerOptions(extractors=(*EXTRACTORS,)))
    assert [a.text for a in result.analyses] == [GOOD, OTHER]
    (problem,) = result.problems
    assert problem.kind == "failed" and problem.position == 1
    assert problem.reason == "analysis failed: RuntimeError: extractor broke"
    assert problem.article_id == "f:2" and problem.sha256


def test_filters_reject_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsledger.scale import work

    monkeypatch.setitem(work.FILTERS, "no_taxes", f"{__name__}:_no_taxes")
    feed = write_feed(
        tmp_path / "f.jsonl", [json.dumps({"text": GOOD}), json.dumps({"text": OTHER})]
    )
    (partition,) = plan_partitions([feed])
    result = process_shard(partition, filters=["no_taxes"])
    assert [a.text for a in result.analyses] == [OTHER]
    assert [(p.kind, p.reason, p.position) for p in result.problems] == [("rejected", "taxes", 0)]
    with pytest.raises(ValueError, match="unknown filter"):
        ShardOptions(filters=("nope",))


def _no_taxes(text: str) -> str | None:
    return "taxes" if "taxes" in text else None


def test_shard_write_is_atomic_and_checked(tmp_path: Path) -> None:
    path = write_shard(tmp_path / "out" / "x.parquet", [], problems=[Problem("a.txt", "gone", 0)])
    assert os.listdir(tmp_path / "out") == ["x.parquet"]
    assert pq.read_table(path).num_rows == 0
    assert shard_info(path).errors[0].origin == "a.txt"
    plain = tmp_path / "plain.parquet"
    pq.write_table(pq.read_table(path).replace_schema_metadata({}), plain)
    with pytest.raises(ValueError, match="not a newsledger shard"):
        shard_info(plain)
    (tmp_path / "junk.parquet").write_text("no")
    with pytest.raises(ValueError, match="not a readable Parquet shard"):
        shard_info(tmp_path / "junk.parquet")
    assert json.loads(pq.read_schema(path).metadata[b"newsledger"])["format"] == SHARD_FORMAT


def test_local_runner_with_two_processes(analyzer: Analyzer, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"a{i}.txt").write_text(f"{GOOD} Story {i}.", encoding="utf-8")
    partitions = plan_partitions([str(folder)], 60)
    assert len(partitions) >= 3
    report = run_local(partitions, tmp_path / "shards", ShardOptions(), jobs=2, progress=False)
    assert report.ok and report.computed == len(partitions) and report.articles == 6
    got = [a.to_dict() for p in report.shards for a in read_shard(p)]
    want = [
        analyzer.analyze(f"{GOOD} Story {i}.", id=str(folder / f"a{i}")).to_dict() for i in range(6)
    ]
    assert got == want
