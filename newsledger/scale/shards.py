"""Parquet shards (``newsledger.shard/1``): one file per partition, one row per article.

Each row holds the full ``newsledger.analysis/1`` record as JSON (``record``, the record of
truth, without the text), the article ``text``, key columns for filtering, and the
attributions and entities as nested columns for queries. The file's key-value metadata
(key ``newsledger``) holds the partition, the options, and the partition's problems (inputs
that gave no analysis, with their place among the rows).
The layout is documented in ``docs/ledger.md`` ("Parquet shards").

A shard is written under a temporary name in the same folder and renamed into place
(``os.replace``), so a reader sees a whole shard or none.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsledger.errors import InputError
from newsledger.model import Analysis

SHARD_FORMAT = "newsledger.shard/1"
METADATA_KEY = b"newsledger"

_SPAN = pa.struct([("text", pa.string()), ("start", pa.int32()), ("end", pa.int32())])
ATTRIBUTION = pa.struct(
    [
        ("id", pa.string()),
        ("kind", pa.string()),
        ("cue", _SPAN),
        ("content", _SPAN),
        ("source", pa.string()),  # canonical source name, null when none
        ("source_type", pa.string()),
        ("source_entity", pa.string()),
        ("parent", pa.string()),
        ("chain", pa.list_(pa.string())),
        ("confidence", pa.float64()),
    ]
)
ENTITY = pa.struct(
    [
        ("id", pa.string()),
        ("name", pa.string()),
        ("type", pa.string()),
        ("aliases", pa.list_(pa.string())),
        ("mentions", pa.int32()),
    ]
)
SCHEMA = pa.schema(
    [
        ("position", pa.int32()),  # place among the partition's items (problems included)
        ("article_id", pa.string()),
        ("sha256", pa.string()),
        ("published", pa.string()),  # YYYY-MM-DD
        ("site", pa.string()),
        ("title", pa.string()),
        ("url", pa.string()),
        ("origin", pa.string()),  # where it was read from ("file.jsonl:12")
        ("text", pa.large_string()),
        ("record", pa.large_string()),  # newsledger.analysis/1 JSON, without the text
        ("attributions", pa.list_(ATTRIBUTION)),
        ("entities", pa.list_(ENTITY)),
    ]
)


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that gave no analysis: unreadable, rejected by a filter, or failed analysis.

    ``position`` is its place among the partition's items (articles and problems), so a
    loader can replay them in input order. An article that was read but rejected or failed
    keeps its ``sha256`` and ``article_id``: a ledger that already holds it skips it instead.
    """

    origin: str
    reason: str
    position: int
    kind: str = "input"  # input (unreadable) | rejected (by a filter) | failed (analysis raised)
    sha256: str | None = None
    article_id: str | None = None

    def error(self) -> InputError:
        return InputError(self.origin, self.reason)


@dataclass(frozen=True, slots=True)
class ShardInfo:
    """A shard's metadata: which partition, with which options, and its problems."""

    path: Path
    key: str
    partition: dict[str, Any]
    options: dict[str, Any]
    problems: list[Problem]
    rows: int

    @property
    def errors(self) -> list[InputError]:
        return [p.error() for p in self.problems]

    @property
    def order(self) -> tuple[str, int]:
        """Sort key putting the shards of one run back in input order."""
        p = self.partition
        first = p["files"][0][0] if p.get("kind") == "files" and p["files"] else p.get("path", "")
        return (os.path.abspath(first), int(p.get("start", 0)))


def write_shard(
    path: str | Path,
    analyses: Sequence[Analysis],
    *,
    origins: Sequence[str | None] | None = None,
    positions: Sequence[int] | None = None,
    problems: Sequence[Problem] = (),
    key: str = "",
    partition: dict[str, Any] | None = None,
    options: dict[str, Any] | None = None,
) -> Path:
    """Write one shard atomically (temporary file in the same folder, then ``os.replace``)."""
    path = Path(path)
    origins = list(origins) if origins is not None else [None] * len(analyses)
    positions = list(positions) if positions is not None else list(range(len(analyses)))
    table = _table(analyses, origins, positions)
    meta = {
        "format": SHARD_FORMAT,
        "key": key,
        "partition": partition or {},
        "options": options or {},
        "problems": [asdict(p) for p in problems],
        "rows": len(analyses),
    }
    table = table.replace_schema_metadata({METADATA_KEY: json.dumps(meta, ensure_ascii=False)})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        pq.write_table(table, tmp, compression="zstd")
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def shard_info(path: str | Path) -> ShardInfo:
    """Read a shard's metadata only (the footer), not its rows."""
    path = Path(path)
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowException) as e:
        raise ValueError(f"{path}: not a readable Parquet shard ({e})") from e
    raw = (schema.metadata or {}).get(METADATA_KEY)
    if raw is None:
        raise ValueError(f"{path}: not a newsledger shard (no '{METADATA_KEY.decode()}' metadata)")
    meta = json.loads(raw)
    if meta.get("format") != SHARD_FORMAT:
        raise ValueError(f"{path}: shard format {meta.get('format')!r}, expected {SHARD_FORMAT}")
    return ShardInfo(
        path=path,
        key=meta.get("key", ""),
        partition=meta.get("partition", {}),
        options=meta.get("options", {}),
        problems=[Problem(**p) for p in meta.get("problems", [])],
        rows=int(meta.get("rows", 0)),
    )


def read_shard(path: str | Path) -> Iterator[Analysis]:
    """The analyses stored in a shard, in input order, each with its text."""
    for _, item in iter_shard(path):
        if isinstance(item, Analysis):
            yield item


def iter_shard(path: str | Path) -> Iterator[tuple[str | None, Analysis | Problem]]:
    """Everything a shard holds, in input order: ``(origin, analysis)`` for each article and
    ``(origin, problem)`` for each problem."""
    info = shard_info(path)
    table = pq.read_table(path, columns=["position", "origin", "text", "record"])
    table = table.sort_by("position")
    problems = iter(info.problems)
    problem = next(problems, None)
    for batch in table.to_batches():
        columns = [batch.column(n).to_pylist() for n in ("position", "origin", "text", "record")]
        for position, origin, text, record in zip(*columns, strict=True):
            while problem is not None and problem.position < position:
                yield problem.origin, problem
                problem = next(problems, None)
            yield origin, Analysis.from_dict(json.loads(record), text=text)
    while problem is not None:
        yield problem.origin, problem
        problem = next(problems, None)


def write_manifest(directory: str | Path, shards: Sequence[Path]) -> Path:
    """Record the input order of a run's shards (``_manifest-<hash>.json``), for ``load``.

    The leading underscore keeps the folder a clean Parquet dataset: pyarrow (and Spark,
    Hive-style readers) skip such names.
    """
    names = [Path(p).name for p in shards]
    digest = hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]
    path = Path(directory) / f"_manifest-{digest}.json"
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        tmp.write_text(json.dumps({"format": SHARD_FORMAT, "shards": names}, indent=1))
        os.replace(tmp, path)
    return path


def list_shards(directory: str | Path) -> list[ShardInfo]:
    """The shards in ``directory``, in input order.

    The order is the one the runs' manifests record (oldest run first); shards no manifest
    names follow, by first input path and byte offset.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"{directory}: not a directory")
    infos = {p.name: shard_info(p) for p in sorted(directory.glob("shard-*.parquet"))}
    ordered: list[ShardInfo] = []
    manifests = sorted(directory.glob("_manifest-*.json"), key=lambda p: (p.stat().st_mtime, p))
    for manifest in manifests:
        try:
            names = json.loads(manifest.read_text()).get("shards", [])
        except (OSError, ValueError, AttributeError):
            continue  # a damaged manifest only loses its order
        for name in names:
            if name in infos:
                ordered.append(infos.pop(name))
    return ordered + sorted(infos.values(), key=lambda i: i.order)


def _table(
    analyses: Sequence[Analysis], origins: Sequence[str | None], positions: Sequence[int]
) -> pa.Table:
    columns: dict[str, list[Any]] = {name: [] for name in SCHEMA.names}
    for analysis, origin, position in zip(analyses, origins, positions, strict=True):
        info = analysis.article
        columns["position"].append(position)
        columns["article_id"].append(info.id)
        columns["sha256"].append(info.text_sha256)
        columns["published"].append(info.published)
        columns["site"].append(info.site)
        columns["title"].append(info.title)
        columns["url"].append(info.url)
        columns["origin"].append(origin)
        columns["text"].append(analysis.text)
        columns["record"].append(analysis.to_json())
        columns["attributions"].append(
            [
                {
                    "id": a.id,
                    "kind": a.kind,
                    "cue": {"text": a.cue.text, "start": a.cue.start, "end": a.cue.end},
                    "content": {
                        "text": a.content.text,
                        "start": a.content.start,
                        "end": a.content.end,
                    },
                    "source": a.source.name if a.source else None,
                    "source_type": a.source.type if a.source else None,
                    "source_entity": a.source.entity if a.source else None,
                    "parent": a.parent,
                    "chain": list(a.chain),
                    "confidence": a.confidence,
                }
                for a in analysis.attributions
            ]
        )
        columns["entities"].append(
            [
                {
                    "id": e.id,
                    "name": e.name,
                    "type": e.type,
                    "aliases": list(e.aliases),
                    "mentions": len(e.mentions),
                }
                for e in analysis.entities
            ]
        )
    return pa.Table.from_pydict(columns, schema=SCHEMA)
