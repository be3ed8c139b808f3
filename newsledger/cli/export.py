"""``newsledger export``: a ledger as JSON Lines records, or one Parquet/CSV file per table."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from newsledger.cli.common import DEFAULT_DB, DbOpt, fail, open_existing
from newsledger.ledger.export import RECORDS, export_records, export_tables


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    parquet = "parquet"
    csv = "csv"


class Records(StrEnum):
    """What ``--records`` chooses (:data:`newsledger.ledger.export.RECORDS`)."""

    analyses = "analyses"
    claims = "claims"
    conflicts = "conflicts"


def export(
    out: Annotated[
        str,
        typer.Option(
            "--out",
            "-o",
            metavar="PATH",
            help="jsonl: a file (- for stdout), or a directory (one NAME.jsonl per kind of "
            "record); parquet, csv: a directory, one file per table.",
        ),
    ],
    db: DbOpt = DEFAULT_DB,
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="jsonl, parquet or csv.")
    ] = ExportFormat.jsonl,
    records: Annotated[
        list[Records] | None,
        typer.Option(
            "--records",
            help="jsonl: which records (repeatable; default: analyses in a file, all three "
            "in a directory).",
        ),
    ] = None,
    text: Annotated[bool, typer.Option("--text", help="jsonl: include article texts.")] = False,
) -> None:
    """Export a ledger: records as JSON Lines, or tables as Parquet or CSV.

    jsonl: analyses as `show --format json` prints them, claims and conflicts as
    `/api/claims` and `/api/conflicts` serve them (and `claims`, `conflicts --format json`
    print them). parquet, csv: every data table as stored (articles, attributions, chains,
    entities, …), and claims.EXT, claim_members.EXT and conflicts.EXT in the flat form of
    `claims --format csv` and `conflicts --format csv` (sides as a.value, b.source, …).
    """
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    chosen = [str(r) for r in records or []]
    with open_existing(db) as ledger:
        if format is not ExportFormat.jsonl:
            if chosen:
                raise fail("--records is for --format jsonl (parquet and csv write every table)", 2)
            written = export_tables(ledger, Path(out), format.value)
            for table, (path, rows) in written.items():
                err.print(f"{table}: {rows} rows -> {path}")
            return
        path = Path(out)
        if out != "-" and path.is_dir():
            for what in chosen or RECORDS:
                target = path / f"{what}.jsonl"
                with open(target, "w", encoding="utf-8") as f:
                    n = export_records(ledger, what, f, include_text=text)
                err.print(f"{what}: {n} records -> {target}")
            return
        if len(chosen) > 1:
            raise fail("several --records need a directory as --out", 2)
        what = chosen[0] if chosen else "analyses"
        if out == "-":
            n = export_records(ledger, what, sys.stdout, include_text=text)
            err.print(f"{what}: {n} records")
            return
        with open(path, "w", encoding="utf-8") as f:
            n = export_records(ledger, what, f, include_text=text)
        err.print(f"{what}: {n} records -> {path}")
