"""``newsledger ingest PATH…``: analyze articles into a ledger database."""

from __future__ import annotations

import time
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from newsledger.cli import options, output
from newsledger.cli.common import DB_HELP, DEFAULT_DB
from newsledger.cli.ingest_dask import ingest_on_dask
from newsledger.errors import NewsledgerError
from newsledger.ingest import IngestStats, ingest
from newsledger.ledger import Ledger
from newsledger.pipeline import DEFAULT_ATTRIBUTIONS, Analyzer, AnalyzerOptions
from newsledger.readers import normalize_date

PLAIN_EVERY_S = 10.0


class Engine(StrEnum):
    local = "local"
    dask = "dask"


def ingest_command(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="Files, directories, or - for stdin."),
    ],
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="FILE",
            help=f"{DB_HELP} (default: {DEFAULT_DB}; with --engine dask and --out, "
            "only shards are written unless --db is given)",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")] = 1,
    published: Annotated[
        str | None,
        typer.Option(metavar="YYYY-MM-DD", help="Article date for inputs that have none."),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option(min=1, help="Largest article accepted, in bytes.")
    ] = 10_000_000,
    input_format: options.InputFormatOption = None,
    field: options.FieldOption = None,
    allow_private: options.AllowPrivateOption = False,
    timeout: options.TimeoutOption = 10.0,
    fetch_links: options.FetchLinksOption = None,
    attributions: options.AttributionsOption = DEFAULT_ATTRIBUTIONS,
    engine: Annotated[
        Engine,
        typer.Option(
            help="local: this machine (--jobs); dask: a Dask cluster (--workers or "
            "--scheduler), through Parquet shards (--out).",
            case_sensitive=False,
        ),
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (tcp://HOST:8786); default: a local cluster."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, help="Worker processes of the local Dask cluster (default: CPU count)."
        ),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(help="Folder of the Parquet shards (--engine dask; default: DB.shards)."),
    ] = None,
    partition_size: Annotated[
        int | None,
        typer.Option(
            min=1024,
            help="Bytes of input per partition (--engine dask; default: about 4 per worker).",
        ),
    ] = None,
) -> None:
    """Analyze articles and store them in a ledger.

    Articles already stored (same text or id) are skipped before analysis; unreadable, empty
    and non-English inputs, and inputs whose reading, analysis or storing failed, are
    recorded in the ledger's ingest_errors table and the batch goes on. Each article is
    committed on its own, so an interrupted ingest can simply be run again; every run also
    completes the cross-document update an interrupted one left. Exit code: 0 when every
    input was stored or skipped, 1 when some inputs failed (they are listed), 2 for a usage
    error or a ledger that cannot be opened or written (a full disk: what was stored stays).

    With --engine dask the inputs are split into partitions analyzed on a Dask cluster, each
    into a Parquet shard in --out (a rerun reuses the shards it finds), and the shards are
    loaded into the ledger at the end; the ledger is the one the local engine builds.
    """
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    if published is not None and normalize_date(published) is None:
        err.print(f"[red]error:[/] --published {published!r} is not a date (expected YYYY-MM-DD)")
        raise typer.Exit(2)
    reader_options = options.reader_kwargs(input_format, field, allow_private, timeout, fetch_links)
    if engine is Engine.dask:
        if jobs != 1:
            err.print("[red]error:[/] --jobs is for --engine local; use --workers with Dask")
            raise typer.Exit(2)
        ingest_on_dask(
            paths,
            db=db,
            out=out,
            scheduler=scheduler,
            workers=workers,
            partition_size=partition_size,
            published=published,
            max_bytes=max_bytes,
            reader=reader_options,
            err=err,
            analyzer=AnalyzerOptions(attributions=options.check_attributions(attributions)),
        )
        return
    dask_only = [
        name
        for name, value in (
            ("--scheduler", scheduler),
            ("--workers", workers),
            ("--out", out),
            ("--partition-size", partition_size),
        )
        if value is not None
    ]
    if dask_only:
        err.print(f"[red]error:[/] {', '.join(dask_only)} need --engine dask")
        raise typer.Exit(2)
    db = db or DEFAULT_DB
    try:
        ledger = Ledger(db)
    except Exception as exc:  # sqlite3.DatabaseError, OSError, newer schema
        err.print(f"[red]error:[/] cannot open ledger {db}: {exc}")
        raise typer.Exit(2) from exc
    # the same description of the analyzer the Dask workers get
    analyzer = Analyzer.from_options(
        AnalyzerOptions(attributions=options.check_attributions(attributions))
    )
    started = time.monotonic()
    try:
        if output.show_progress():
            stats = _ingest_with_bar(
                ledger, paths, jobs, published, max_bytes, err, reader_options, analyzer
            )
        else:
            last = [started]

            def due() -> bool:
                t = time.monotonic()
                if t - last[0] < PLAIN_EVERY_S:
                    return False
                last[0] = t
                return True

            def plain(stats: IngestStats) -> None:
                if due():
                    err.print(_progress_line(stats, time.monotonic() - started))

            def plain_crossdoc(done: int, total: int) -> None:
                if due():
                    err.print(f"across articles: {done} of {total} articles")

            stats = ingest(
                ledger, paths, jobs=jobs, published=published, max_bytes=max_bytes,
                progress=plain, count=False, reader_options=reader_options, analyzer=analyzer,
                crossdoc_progress=plain_crossdoc,
            )  # fmt: skip
    except NewsledgerError as exc:  # LedgerWriteError: disk full, I/O error, read-only
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    except OSError as exc:  # outside the ledger (a worker pipe, the terminal): one line
        err.print(f"[red]error:[/] ingest stopped: {escape(exc.strerror or str(exc))}")
        raise typer.Exit(2) from exc
    finally:
        ledger.close()
    for error in stats.errors[:20]:
        err.print(f"[yellow]failed:[/] {escape(str(error))}")
    if len(stats.errors) > 20:
        err.print(f"… and {len(stats.errors) - 20} more (see the ingest_errors table)")
    elapsed = time.monotonic() - started
    if stats.crossdoc:
        err.print(
            f"across articles: {stats.crossdoc['members']} attributions clustered, "
            f"{stats.crossdoc['claims_new']} new claims"
        )
    err.print(
        f"{db}: {stats.stored} stored, {stats.skipped} skipped, {stats.failed} failed "
        f"in {elapsed:.1f} s (run {stats.run_id})"
    )
    if stats.failed:
        raise typer.Exit(1)


def _progress_line(stats: IngestStats, elapsed: float) -> str:
    rate = stats.stored / elapsed if elapsed > 0 else 0.0
    return (
        f"ingest: {stats.done} done ({stats.stored} stored, {stats.skipped} skipped, "
        f"{stats.failed} failed), {rate:.1f} articles/s"
    )


def _ingest_with_bar(
    ledger: Ledger,
    paths: list[str],
    jobs: int,
    published: str | None,
    max_bytes: int,
    console: Console,
    reader_options: dict[str, Any],
    analyzer: Analyzer,
) -> IngestStats:
    columns = (
        TextColumn("[bold]{task.description:<9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[info]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("ingest", total=None, info="")
        started = time.monotonic()
        seeded = [False]
        crossdoc: list[TaskID] = []

        def update(stats: IngestStats) -> None:
            if not seeded[0] and stats.total is not None:
                bar.update(task, total=stats.total)
                seeded[0] = True
            elapsed = time.monotonic() - started
            rate = stats.stored / elapsed if elapsed > 0 else 0.0
            info = (
                f"{rate:.1f} articles/s stored {stats.stored} skipped {stats.skipped} "
                f"failed {stats.failed}"
            )
            bar.update(task, completed=stats.done, info=info)

        def across(done: int, total: int) -> None:
            if not crossdoc:
                crossdoc.append(bar.add_task("crossdoc", total=total, info="across articles"))
            bar.update(crossdoc[0], completed=done, total=total)

        return ingest(
            ledger, paths, jobs=jobs, published=published, max_bytes=max_bytes,
            progress=update, count=True, reader_options=reader_options, analyzer=analyzer,
            crossdoc_progress=across,
        )  # fmt: skip
