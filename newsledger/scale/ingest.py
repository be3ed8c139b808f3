"""``newsledger ingest --engine dask``: partitions → Dask → Parquet shards → (ledger).

The shards go to ``--out`` (default: ``DB.shards`` next to the ledger). A rerun with the same
inputs and options finds its finished shards there and computes only the missing ones; when
every shard is there no cluster is started at all. With a ledger, the shards are loaded into
it at the end (:func:`newsledger.scale.load.load_shards`), giving the ledger that
``newsledger ingest`` builds from the same inputs on one machine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any, TextIO

from newsledger.ingest import IngestStats
from newsledger.ledger import Ledger
from newsledger.pipeline import AnalyzerOptions
from newsledger.scale.load import load_shards
from newsledger.scale.partition import auto_partition_bytes, plan_partitions
from newsledger.scale.runner import RunReport
from newsledger.scale.work import DEFAULT_MAX_BYTES, ShardOptions

#: The filters a ledger ingest applies before analysis (see newsledger.ingest).
INGEST_FILTERS = ("language",)


@dataclass(slots=True)
class DistributedIngest:
    run: RunReport
    load: IngestStats | None  # None when no ledger was given
    partitions: int
    partition_bytes: int


def ingest_dask(
    paths: Sequence[str],
    *,
    db: str | None = None,
    out: str | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    published: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    reader: Mapping[str, Any] | None = None,
    partition_bytes: int | None = None,
    progress: bool = True,
    stream: TextIO | None = None,
    on_load: Callable[[IngestStats], None] | None = None,
    analyzer: AnalyzerOptions | None = None,
) -> DistributedIngest:
    """Analyze ``paths`` on Dask into shards in ``out``, then load them into ledger ``db``.

    ``reader`` holds :func:`~newsledger.readers.iter_articles` options (``format``,
    ``fields``, ``allow_private``, ``fetch_timeout``, ``fetch_links``), as for the ingest;
    ``analyzer`` describes the analyzer every worker builds (default: the default one).
    """
    # dask.distributed (heavy) is imported when a Dask run starts, not by every command
    from newsledger.scale.dask_runner import dask_client, run_dask  # noqa: PLC0415 - dask extra

    if out is None:
        if db is None:
            raise ValueError("give a folder for the shards (--out), a ledger (--db), or both")
        out = f"{db}.shards"
    reader = {k: v for k, v in (reader or {}).items() if v is not None}
    options = ShardOptions(
        published=published,
        max_bytes=max_bytes,
        filters=INGEST_FILTERS,
        analyzer=analyzer or AnalyzerOptions(),
        reader=ShardOptions.reader_options(**reader),
    )
    with dask_client(scheduler) if scheduler else nullcontext() as client:
        if partition_bytes is None:
            n = _worker_threads(client) if client is not None else (workers or 1)
            partition_bytes = auto_partition_bytes(paths, n)
        partitions = plan_partitions(
            paths, partition_bytes, format=reader.get("format"), fields=reader.get("fields")
        )
        # without a scheduler, run_dask starts a local cluster only if a shard is missing
        report = run_dask(
            partitions,
            out,
            options,
            client=client,
            workers=workers,
            progress=progress,
            stream=stream,
        )
    stats = None
    if db is not None and report.ok:
        with Ledger(db) as ledger:
            stats = load_shards(ledger, report.shards, inputs=list(paths), progress=on_load)
    return DistributedIngest(report, stats, len(partitions), partition_bytes)


def _worker_threads(client: object) -> int:
    try:
        return max(1, sum(client.nthreads().values()))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a guess is enough for sizing partitions
        return 1
