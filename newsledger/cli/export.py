"""``newsledger export``: a ledger as JSON Lines records, or one Parquet/CSV file per table."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from newsledger.cli.common import DEFAULT_DB, DbOpt, open_existing
from newsledger.ledger.export import export_jsonl, export_tables


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    parquet = "parquet"
    csv = "csv"


def export(
    out: Annotated[
        str,
        typer.Option(
            "--out",
            "-o",
            help="jsonl: a file (- for stdout; a directory gets analyses.jsonl); "
            "parquet/csv: a directory, one file per table.",
        ),
    ],
    db: DbOpt = DEFAULT_DB,
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.jsonl,
    text: Annotated[bool, typer.Option("--text", help="jsonl: include article texts.")] = False,
) -> None:
    """Export a ledger: records (jsonl, as `show` prints them) or tables (parquet, csv)."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    with open_existing(db) as ledger:
        if format is ExportFormat.jsonl:
            if out == "-":
                n = export_jsonl(ledger, sys.stdout, include_text=text)
                err.print(f"{n} records")
                return
            path = Path(out)
            if path.is_dir():
                path = path / "analyses.jsonl"
            with open(path, "w", encoding="utf-8") as f:
                n = export_jsonl(ledger, f, include_text=text)
            err.print(f"{n} records -> {path}")
        else:
            written = export_tables(ledger, Path(out), format.value)
            for table, (path, rows) in written.items():
                err.print(f"{table}: {rows} rows -> {path}")
