"""Options and helpers shared by the ledger commands."""

from __future__ import annotations

import os

import typer
from rich.console import Console

from newsledger.ledger import Ledger

DEFAULT_DB = "newsledger.db"
DB_HELP = "Ledger database file."


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
