"""``newsledger watch``: poll feeds and pages, ingest what is new, report new conflicts."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from newsledger.cli import options
from newsledger.cli.common import DEFAULT_DB, DbOpt, fail
from newsledger.cli.output import Format, FormatOpt
from newsledger.errors import NewsledgerError
from newsledger.ledger import Ledger
from newsledger.pipeline import Analyzer
from newsledger.readers import fetch as fetching
from newsledger.readers import is_url
from newsledger.records import Conflict, flat_columns, flatten
from newsledger.watch import Round, Watcher, WatchOptions, parse_interval, post_webhook


def _when(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def conflict_line(c: Conflict) -> str:
    """One line for a person: ``conflict 12 (quantity): 14,000 (A) vs 11,000 (B) — why``."""

    def side(value: str | None, source: str | None) -> str:
        return f"{value or '?'} ({source or 'unknown source'})"

    return (
        f"conflict {c.id} ({c.kind}): {side(c.a.value, c.a.source)} vs"
        f" {side(c.b.value, c.b.source)} — {c.explanation}"
    )


def conflict_printer(format: Format) -> Callable[[Conflict], None]:
    """What prints each new conflict on stdout in ``format`` (csv: the header first)."""
    if format is Format.jsonl:
        return lambda c: print(json.dumps(c.to_dict(), ensure_ascii=False))
    if format is Format.csv:
        columns = flat_columns(Conflict)
        table = csv.writer(sys.stdout, lineterminator="\n")
        table.writerow(columns)

        def row(c: Conflict) -> None:
            flat = flatten(c.to_dict())
            table.writerow(flat.get(name) for name in columns)

        return row
    return lambda c: print(conflict_line(c))


def watch_command(
    feeds: Annotated[
        list[str], typer.Argument(help="Feed or page URLs (http:// or https://) to watch.")
    ],
    every: Annotated[
        str, typer.Option(help="How often each feed is polled: 90, 30s, 10m, 1h.")
    ] = "10m",
    db: DbOpt = DEFAULT_DB,
    max_items: Annotated[
        int, typer.Option(min=1, help="New entries read per feed and poll; the rest wait.")
    ] = 20,
    iterations: Annotated[
        int | None, typer.Option(min=1, help="Stop after N rounds of polls (default: never).")
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="One round of polls (--iterations 1).")] = (
        False
    ),
    webhook: Annotated[
        str | None,
        typer.Option(help="POST each round's new conflicts as JSON to this http(s) URL."),
    ] = None,
    webhook_timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds to wait for the webhook's answer.")
    ] = 10.0,
    format: FormatOpt = Format.text,
    max_backoff: Annotated[
        str, typer.Option(help="The longest wait after a feed's errors (it doubles each time).")
    ] = "1d",
    max_bytes: Annotated[
        int, typer.Option(min=1, help="Largest feed or page accepted, in bytes.")
    ] = 10_000_000,
    allow_private: options.AllowPrivateOption = False,
    timeout: options.TimeoutOption = 10.0,
    fetch_links: Annotated[
        bool,
        typer.Option(
            "--fetch-links/--no-fetch-links",
            help="Read each feed entry's page (default) or the feed's own text.",
        ),
    ] = True,
) -> None:
    """Poll feeds and pages, ingest what is new and print the conflicts it brings.

    Each feed is fetched every --every, with the ETag / Last-Modified of its last answer (a
    304 costs nothing); a feed that fails waits twice as long each time (up to
    --max-backoff) while the others go on. What was seen is kept in the ledger, so a watch
    stopped and started again ingests nothing twice. New conflicts go to stdout (and to
    --webhook); the progress of each poll to stderr. With --once or --iterations, exits 1
    when a feed failed in the last round.

    New conflicts print as text (one line each), jsonl (the records /api/conflicts serves,
    one a line) or csv (the columns of `conflicts --format csv`, the header first); json,
    one document, does not fit a stream and is refused.
    """
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    if format is Format.json:
        raise fail("--format json: watch prints a stream; use jsonl (one conflict a line)", 2)
    try:
        interval, backoff = parse_interval(every), parse_interval(max_backoff)
    except ValueError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    bad = [f for f in feeds if not is_url(f)]
    if bad:
        err.print(f"[red]error:[/] not an http(s) URL: {escape(', '.join(bad))}")
        raise typer.Exit(2)
    if webhook is not None and not is_url(webhook):
        err.print(f"[red]error:[/] --webhook {escape(webhook)!r} is not an http(s) URL")
        raise typer.Exit(2)
    rounds = 1 if once else iterations
    try:
        ledger = Ledger(db)
    except Exception as exc:  # sqlite3.DatabaseError, OSError, newer schema
        err.print(f"[red]error:[/] cannot open ledger {db}: {exc}")
        raise typer.Exit(2) from exc
    fetch = fetching.FetchOptions(timeout=timeout, max_bytes=max_bytes, allow_private=allow_private)
    opts = WatchOptions(
        every=interval, max_items=max_items, max_backoff=backoff, fetch=fetch,
        fetch_links=fetch_links,
    )  # fmt: skip
    watcher = Watcher(ledger, feeds, opts, analyzer=Analyzer())
    printed = conflict_printer(format)

    def report(r: Round) -> None:
        for p in r.polls:
            if p.status == "waiting":
                continue
            name = escape(p.url)
            if p.status == "error":
                err.print(
                    f"[yellow]{name}[/]: {escape(p.error or 'error')}; next try"
                    f" {_when(p.next_poll)}"
                )
            elif p.status == "new":
                left = f", {p.left} left for the next poll" if p.left else ""
                err.print(f"{name}: {p.new} new, {p.stored} stored, {p.failed} failed{left}")
            else:
                err.print(f"{name}: {p.status}")
        for c in r.conflicts:
            printed(c)
        sys.stdout.flush()
        if not r.conflicts and any(p.status != "waiting" for p in r.polls):
            err.print("no new conflicts found")
        if r.conflicts:
            err.print(f"{len(r.conflicts)} new conflict(s)")
            if webhook is not None:
                problem = post_webhook(webhook, r, timeout=webhook_timeout)
                if problem:
                    err.print(f"[yellow]warning:[/] {escape(problem)}")

    try:
        last = watcher.run(rounds, report=report)
    except KeyboardInterrupt:
        err.print("stopped; the next watch goes on from here")
        return
    except NewsledgerError as exc:  # LedgerWriteError: disk full, I/O error, read-only
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    finally:
        ledger.close()
    if rounds is not None and last is not None and last.failed_feeds:
        raise typer.Exit(1)
