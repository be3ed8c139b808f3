"""Options and helpers shared by the ledger commands."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from newsledger.cli.output import print_json
from newsledger.ledger import Ledger

__all__ = ["DB_HELP", "DEFAULT_DB", "DbOpt", "LimitOpt", "fail", "open_existing", "print_json"]

DEFAULT_DB = "newsledger.db"
DB_HELP = "Ledger database file."
DbOpt = Annotated[str, typer.Option("--db", metavar="FILE", help=DB_HELP)]
LimitOpt = Annotated[int, typer.Option("--limit", min=1, help="At most N rows.")]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` on stderr; return the exit to raise."""
    Console(stderr=True, soft_wrap=True, highlight=False).print(f"[red]error:[/] {escape(message)}")
    return typer.Exit(code)


def open_existing(db: str) -> Ledger:
    """Open the ledger at ``db`` for reading; exit 2 with a clear message when it is missing."""
    if not os.path.isfile(db):
        raise fail(f"no ledger at {db} (create one with `newsledger ingest`)", 2)
    try:
        return Ledger(db)
    except Exception as exc:  # sqlite3.DatabaseError: not a database, newer schema
        raise fail(f"cannot open ledger {db}: {exc}", 2) from exc
