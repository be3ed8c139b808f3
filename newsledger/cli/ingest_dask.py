"""``newsledger ingest … --engine dask``: the Dask path of the ingest command."""

from __future__ import annotations

import sys
import time
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from newsledger.cli.common import DEFAULT_DB
from newsledger.errors import NewsledgerError
from newsledger.ledger import Ledger
from newsledger.pipeline import AnalyzerOptions
from newsledger.scale.ingest import ingest_dask


def ingest_on_dask(
    paths: list[str],
    *,
    db: str | None,
    out: str | None,
    scheduler: str | None,
    workers: int | None,
    partition_size: int | None,
    published: str | None,
    max_bytes: int,
    reader: dict[str, Any] | None,
    err: Console,
    analyzer: AnalyzerOptions | None = None,
) -> None:
    """Run the analysis on Dask into Parquet shards, then load them into ``db`` (if any).

    Without ``--out`` the shards go to ``DB.shards``; with ``--out`` and no ``--db`` only
    the shards are written. Exit 1 when a partition failed (nothing is loaded then; a rerun
    computes only the missing shards) or when some inputs failed (as with the local engine),
    2 for bad options, an unreachable scheduler or a ledger that cannot be written.
    """
    if db is None and out is None:
        db = DEFAULT_DB
    if "-" in paths:
        err.print("[red]error:[/] standard input (-) cannot be split over Dask workers")
        raise typer.Exit(2)
    if db is not None:
        try:  # fail before the run, not after it
            Ledger(db).close()
        except Exception as exc:  # sqlite3.DatabaseError, OSError, newer schema
            err.print(f"[red]error:[/] cannot open ledger {db}: {exc}")
            raise typer.Exit(2) from exc
    started = time.monotonic()
    try:
        result = ingest_dask(
            paths,
            db=db,
            out=out,
            scheduler=scheduler,
            workers=workers,
            published=published,
            max_bytes=max_bytes,
            reader=reader,
            analyzer=analyzer,
            partition_bytes=partition_size,
            progress=True,
            stream=sys.stderr,
        )
    except (ValueError, OSError, NewsledgerError) as exc:  # bad options; no scheduler; disk
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    report = result.run
    err.print(
        f"{report.out_dir}: {len(report.shards)} shards ({report.computed} computed, "
        f"{report.reused} reused), {report.articles} articles analyzed, "
        f"{result.partitions} partitions of ~{result.partition_bytes:,} bytes "
        f"in {report.seconds:.1f} s"
    )
    if report.failed:
        for name, why in report.failed:
            err.print(f"[red]failed partition:[/] {name}: {why}")
        err.print(
            f"{len(report.failed)} partition(s) failed; nothing was loaded. "
            "Run the same command again to compute only the missing shards."
        )
        raise typer.Exit(1)
    errors = result.load.errors if result.load is not None else report.errors
    for error in errors[:20]:
        err.print(f"[yellow]failed:[/] {escape(str(error))}")
    if len(errors) > 20:
        more = "see the ingest_errors table" if result.load else "see the shards' metadata"
        err.print(f"… and {len(errors) - 20} more ({more})")
    if result.load is not None:
        stats = result.load
        err.print(
            f"{db}: {stats.stored} stored, {stats.skipped} skipped, {stats.failed} failed "
            f"in {time.monotonic() - started:.1f} s (run {stats.run_id})"
        )
    if errors:  # some inputs failed (listed above)
        raise typer.Exit(1)
