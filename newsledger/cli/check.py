"""``newsledger check --db X [--repair]``: a ledger's integrity, and its repair."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from newsledger.cli import output
from newsledger.cli.common import DEFAULT_DB, DbOpt, open_existing
from newsledger.cli.output import Format, FormatOpt
from newsledger.errors import NewsledgerError
from newsledger.ledger import LedgerCheck


def check_command(
    db: DbOpt = DEFAULT_DB,
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help="Rebuild the full-text indexes and add the pending articles to the "
            "cross-document tables, then check.",
        ),
    ] = False,
    format: FormatOpt = Format.text,
) -> None:
    """Check a ledger: SQLite and full-text (FTS5) integrity, foreign keys, articles not yet
    in the cross-document tables (left by an interrupted ingest), row counts.

    csv prints one row, nested fields as columns (counts.articles, fts.attributions_fts…).

    Exit code: 0 when nothing is wrong (after --repair, if given), 1 when problems remain,
    2 when the ledger cannot be opened or written. A damaged database file is not repaired:
    restore a copy, or ingest again into a new ledger.
    """
    ledger = open_existing(db)
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    try:
        result = ledger.check(repair=repair)
    except NewsledgerError as exc:  # LedgerWriteError: disk full, read-only file
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    finally:
        ledger.close()
    output.emit(format, result.to_dict(), lambda out: _print(result, out))
    if not result.ok:
        raise typer.Exit(1)


def _print(result: LedgerCheck, out: Console) -> None:
    def state(ok: bool, text: str) -> str:
        return f"[green]{text}[/]" if ok else f"[red]{escape(text)}[/]"

    out.print(f"[bold]{escape(result.path)}[/]")
    for line in result.repaired:
        out.print(f"  repaired: {escape(line)}")
    integrity = "ok" if not result.integrity else "; ".join(result.integrity)
    out.print(f"  integrity_check: {state(not result.integrity, integrity)}")
    keys = "ok" if not result.foreign_keys else f"{result.foreign_keys} rows break a foreign key"
    out.print(f"  foreign keys: {state(not result.foreign_keys, keys)}")
    for index, fts in result.fts.items():
        out.print(f"  {index}: {state(fts == 'ok', fts)}")
    pending = result.pending_crossdoc
    out.print(f"  pending cross-document update: {state(not pending, f'{pending} articles')}")
    if result.unfinished_runs:
        out.print(f"  unfinished runs: {result.unfinished_runs} (killed, or still running)")
    counts = ", ".join(f"{table} {n:,}" for table, n in result.counts.items())
    out.print(f"  rows: {counts}")
    problems = result.problems
    if problems:
        out.print(f"[red]{len(problems)} problem(s):[/]")
        for problem in problems:
            out.print(f"  - {escape(problem)}")
    else:
        out.print("[green]ok[/]")
