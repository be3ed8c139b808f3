"""``newsledger serve``: the local web UI and REST API over a ledger."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from newsledger.cli.common import DEFAULT_DB, DbOpt
from newsledger.web import create_app
from newsledger.web.db import LedgerNotFound

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and the localhost names."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    db: DbOpt = DEFAULT_DB,
    host: Annotated[
        str,
        typer.Option(
            help="Address to bind. Loopback by default; any other is served with a warning."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    allow_write: Annotated[
        bool,
        typer.Option(
            "--write",
            "--allow-write",
            help="Turn on writing from the browser and the API: ingest, verdicts, entity"
            " merges and splits (forms with a CSRF token), POST /api/analyze?store=true."
            " Loopback only; implies --allow-analyze.",
        ),
    ] = False,
    allow_analyze: Annotated[
        bool,
        typer.Option(
            "--allow-analyze",
            help="Turn on POST /api/analyze (JSON with the header X-Newsledger: 1; nothing"
            " stored). Off by default.",
        ),
    ] = False,
    analyze_time_limit: Annotated[
        float,
        typer.Option(
            min=0.1, help="Seconds one POST /api/analyze may take (then 503 with Retry-After)."
        ),
    ] = 30.0,
    time_limit: Annotated[
        float, typer.Option(min=0.01, help="Seconds any one SQL query may run (then 503).")
    ] = 1.0,
) -> None:
    """Serve the web UI and REST API over a ledger (read-only, no analysis over HTTP, unless
    --allow-analyze or --write)."""
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    loopback = is_loopback(host)
    if allow_write and not loopback:
        err.print(
            f"[red]error:[/] --write serves only on a loopback address (127.0.0.1, ::1), not"
            f" {host}: anyone who could reach it could change the ledger"
        )
        raise typer.Exit(2)
    if not loopback:
        err.print(
            f"[yellow]warning:[/] serving on {host}, not a loopback address: anyone who can"
            " reach this machine can read the ledger"
            + (" and have articles analyzed (--allow-analyze)" if allow_analyze else "")
        )
    try:
        app = create_app(
            db,
            allow_write=allow_write,
            allow_analyze=allow_analyze,
            time_limit=time_limit,
            analyze_time_limit=analyze_time_limit,
            # on loopback only the loopback names are accepted as Host (no DNS rebinding)
            allowed_hosts=None if loopback else ["*"],
        )
    except LedgerNotFound as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    except Exception as exc:  # sqlite3.DatabaseError: not a database, unreadable
        err.print(f"[red]error:[/] cannot open ledger {db}: {exc}")
        raise typer.Exit(2) from exc
    if app.state.analysis is not None:
        app.state.analysis.start()  # the worker process loads the model while we start up
    shown = f"[{host}]" if ":" in host else host
    mode = (
        "read-write: ingest, verdicts and entity edits on"
        if allow_write
        else "read-only, POST /api/analyze on"
        if allow_analyze
        else "read-only"
    )
    print(f"newsledger: serving {db} ({mode}) at http://{shown}:{port}/", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
