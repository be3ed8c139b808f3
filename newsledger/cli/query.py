"""``newsledger query …``: sources, what a source said, attributions about a topic, relays."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newsledger.cli.common import DEFAULT_DB, DbOpt, open_existing
from newsledger.ledger import query as q

query_app = typer.Typer(
    help="Query a ledger: top sources, what a source said, attributions about a topic, relays.",
    no_args_is_help=True,
)


class OutFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOpt = Annotated[OutFormat, typer.Option("--format", "-f", help="Output format.")]
AliasOpt = Annotated[
    bool, typer.Option("--aliases/--no-aliases", help="Also match names the query is an alias of.")
]


def _emit(rows: list[dict[str, Any]], columns: Sequence[str], format: OutFormat) -> None:
    if format is OutFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif format is OutFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(
                " > ".join(v) if isinstance(v := row.get(c), list) else v for c in columns
            )
    else:
        table = Table(show_lines=False)
        for c in columns:
            table.add_column(c, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        Console().print(table)
        if not rows:
            Console(stderr=True).print("no results")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return escape(" > ".join(map(str, value)))
    if isinstance(value, float):
        return f"{value:.2f}"
    return escape(str(value))


@query_app.command("sources")
def sources(
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = OutFormat.table,
    limit: Annotated[int, typer.Option(min=1)] = 20,
) -> None:
    """Top sources by number of attributions."""
    with open_existing(db) as ledger:
        rows = [s.to_dict() for s in q.sources(ledger.con, limit=limit)]
    _emit(rows, ("source", "attributions", "articles", "first_published", "last_published"), format)


@query_app.command("said")
def said(
    by: Annotated[str, typer.Option("--by", help="Source name, e.g. 'Kim Jong Un'.")],
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = OutFormat.table,
    limit: Annotated[int, typer.Option(min=1)] = 100,
    aliases: AliasOpt = True,
) -> None:
    """Everything attributed to a source, directly or through a chain of relays."""
    with open_existing(db) as ledger:
        rows = q.said(ledger.con, by, limit=limit, aliases=aliases)
    columns = ("article_id", "published", "kind", "source", "content", "chain")
    _emit(rows, columns if format is OutFormat.table else (*columns, "attribution_id"), format)


@query_app.command("about")
def about(
    text: Annotated[str, typer.Argument(help="Words to look for in attributed contents.")],
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = OutFormat.table,
    limit: Annotated[int, typer.Option(min=1)] = 20,
) -> None:
    """Attributions whose content mentions all the given words, best matches first."""
    with open_existing(db) as ledger:
        rows = q.about(ledger.con, text, limit=limit)
    columns: tuple[str, ...] = ("article_id", "published", "source", "snippet", "chain")
    if format is not OutFormat.table:
        columns = (*columns, "attribution_id", "kind", "content", "score")
    _emit(rows, columns, format)


@query_app.command("relays")
def relays(
    source: Annotated[
        str | None, typer.Option("--source", help="Only links where this source takes part.")
    ] = None,
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = OutFormat.table,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    aliases: AliasOpt = True,
) -> None:
    """Who reports through whom: relay -> origin links of source chains, with counts."""
    with open_existing(db) as ledger:
        rows = [r.to_dict() for r in q.relays(ledger.con, source, limit=limit, aliases=aliases)]
    _emit(rows, ("relay", "origin", "attributions", "articles"), format)
