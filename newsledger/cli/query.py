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
from newsledger.model import SPEECH_ACTS
from newsledger.resources import speech_acts

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


ActOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--act",
        help="Only these acts (repeatable): speech, writing, stance, finding, thought, intent, "
        "perception, decision, or all. Default: the claims (speech, writing, stance, finding).",
    ),
]


def _chosen_acts(act: list[str] | None) -> frozenset[str] | None:
    """The acts asked for: the claim acts by default, None (every act) for ``all``."""
    if not act:
        return speech_acts().claim_acts
    if "all" in act:
        return None
    unknown = sorted(set(act) - set(SPEECH_ACTS))
    if unknown:
        raise typer.BadParameter(
            f"unknown act(s) {', '.join(unknown)}; use {', '.join(SPEECH_ACTS)} or all",
            param_hint="--act",
        )
    return frozenset(act)


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
    act: ActOpt = None,
) -> None:
    """Everything attributed to a source, directly or through a chain of relays (its claims:
    speech, writing, stances and findings, unless --act says otherwise)."""
    with open_existing(db) as ledger:
        rows = q.said(ledger.con, by, limit=limit, aliases=aliases, acts=_chosen_acts(act))
    columns = ("article_id", "published", "kind", "act", "source", "content", "chain")
    _emit(rows, columns if format is OutFormat.table else (*columns, "attribution_id"), format)


@query_app.command("about")
def about(
    text: Annotated[str, typer.Argument(help="Words to look for in attributed contents.")],
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = OutFormat.table,
    limit: Annotated[int, typer.Option(min=1)] = 20,
    act: ActOpt = None,
) -> None:
    """Claims whose content mentions all the given words, best matches first (--act all:
    thoughts, intentions and the rest too)."""
    with open_existing(db) as ledger:
        rows = q.about(ledger.con, text, limit=limit, acts=_chosen_acts(act))
    columns: tuple[str, ...] = ("article_id", "published", "source", "snippet", "chain")
    if format is not OutFormat.table:
        columns = (*columns, "attribution_id", "kind", "act", "content", "score")
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
