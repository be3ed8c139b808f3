"""``newsledger load SHARDS_DIR``: merge Parquet shards into a ledger."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.console import Console

from newsledger.cli import output
from newsledger.cli.common import DEFAULT_DB, DbOpt
from newsledger.errors import NewsledgerError
from newsledger.ledger import Ledger
from newsledger.scale.load import load_shards
from newsledger.scale.shards import list_shards


def load(
    shards: Annotated[
        str, typer.Argument(help="Folder of Parquet shards (from ingest --engine dask --out).")
    ],
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Load Parquet shards into a ledger, in input order.

    Articles whose text or id the ledger already holds are skipped, so loading twice adds
    nothing; the problems recorded in the shards (unreadable or non-English inputs, failed
    analyses) go to the ledger's ingest_errors table. The exit code is 1 when some failed, 2
    when the folder holds no readable shards or the ledger cannot be opened or written.
    """
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    started = time.monotonic()
    try:
        infos = list_shards(shards)
    except ValueError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    if not infos:
        err.print(f"[red]error:[/] {shards}: no shards (shard-*.parquet) in this folder")
        raise typer.Exit(2)
    try:
        ledger = Ledger(db)
    except Exception as exc:  # sqlite3.DatabaseError, OSError, newer schema
        err.print(f"[red]error:[/] cannot open ledger {db}: {exc}")
        raise typer.Exit(2) from exc
    try:
        with output.progress_bar() as bar:
            stats = load_shards(
                ledger,
                infos,
                inputs=[shards],
                progress=lambda s: bar.update("load", s.done, s.total),
                crossdoc_progress=bar.callback("crossdoc"),
            )
    except NewsledgerError as exc:  # LedgerWriteError: disk full, I/O error, read-only
        err.print(f"[red]error:[/] {exc} (what was loaded before is kept)")
        raise typer.Exit(2) from exc
    finally:
        ledger.close()
    for error in stats.errors[:20]:
        err.print(f"[yellow]failed:[/] {error}")
    if len(stats.errors) > 20:
        err.print(f"… and {len(stats.errors) - 20} more (see the ingest_errors table)")
    err.print(
        f"{db}: {len(infos)} shards, {stats.stored} stored, {stats.skipped} skipped, "
        f"{stats.failed} failed in {time.monotonic() - started:.1f} s (run {stats.run_id})"
    )
    if stats.failed:
        raise typer.Exit(1)
