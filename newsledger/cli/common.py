"""Options and helpers shared by the ledger commands."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from newsledger.ledger import Ledger

DEFAULT_DB = "newsledger.db"
DB_HELP = "Ledger database file."
DbOpt = Annotated[str, typer.Option("--db", help=DB_HELP)]


class Fmt(StrEnum):
    table = "table"
    json = "json"


FmtOpt = Annotated[Fmt, typer.Option("--format", "-f", help="Output format.")]


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` on stderr; return the exit to raise."""
    Console(stderr=True, soft_wrap=True, highlight=False).print(f"[red]error:[/] {escape(message)}")
    return typer.Exit(code)


def open_existing(db: str) -> Ledger:
    """Open the ledger at ``db`` for reading; exit 2 with a clear message when it is missing."""
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    if not os.path.isfile(db):
        err.print(f"[red]error:[/] no ledger at {db} (create one with `newsledger ingest`)")
        raise typer.Exit(2)
    try:
        return Ledger(db)
    except Exception as exc:  # sqlite3.DatabaseError: not a database, newer schema
        err.print(f"[red]error:[/] cannot open ledger {db}: {exc}")
        raise typer.Exit(2) from exc
