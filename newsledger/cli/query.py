"""``newsledger query …``: sources, what a source said, attributions about a topic, relays."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from newsledger.cli import output
from newsledger.cli.common import DEFAULT_DB, DbOpt, LimitOpt, open_existing
from newsledger.cli.helptext import Group, command
from newsledger.cli.output import Format, FormatOpt
from newsledger.ledger import query as q
from newsledger.model import SPEECH_ACTS
from newsledger.records import AttributionRow
from newsledger.resources import speech_acts

query_app = typer.Typer(
    cls=Group,
    help="Query a ledger: top sources, what a source said, attributions about a topic, relays.",
    no_args_is_help=True,
)

AliasOpt = Annotated[
    bool, typer.Option("--aliases/--no-aliases", help="Also match names the query is an alias of.")
]


def _emit(rows: list[dict[str, Any]], columns: Sequence[str], format: Format, empty: str) -> None:
    """The records in ``format``; in text, a table of ``columns``."""

    def text(out: Console) -> None:
        table = output.table(*columns)
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        out.print(table)

    output.emit(format, rows, text, empty=empty)


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
        help="Only these acts (repeatable): speech, writing, request, stance, finding, thought, "
        "intent, perception, decision, question, or all. Default: the claims (speech, writing, "
        "request, stance, finding).",
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


@command(query_app, "sources")
def sources(
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = Format.text,
    limit: LimitOpt = 20,
) -> None:
    """Top sources by number of attributions."""
    with open_existing(db) as ledger:
        rows = [s.to_dict() for s in q.sources(ledger.con, limit=limit)]
    columns = ("source", "attributions", "articles", "first_published", "last_published")
    _emit(rows, columns, format, "no sources found")


@command(query_app, "said")
def said(
    by: Annotated[str, typer.Option("--by", help="Source name, e.g. 'Kim Jong Un'.")],
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = Format.text,
    limit: LimitOpt = 100,
    aliases: AliasOpt = True,
    act: ActOpt = None,
) -> None:
    """Everything attributed to a source, directly or through a chain of relays (its claims:
    speech, writing, stances and findings, unless --act says otherwise).

    With --act all, --format json prints the attributions /api/sources/NAME serves.
    """
    with open_existing(db) as ledger:
        found = q.said(ledger.con, by, limit=limit, aliases=aliases, acts=_chosen_acts(act))
    rows = [AttributionRow.from_row(r).to_dict() for r in found]
    columns = ("article_id", "published", "kind", "act", "source", "content", "chain")
    _emit(rows, columns, format, f"no attributions found for {by!r}")


@command(query_app, "about")
def about(
    text: Annotated[str, typer.Argument(help="Words to look for in attributed contents.")],
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = Format.text,
    limit: LimitOpt = 20,
    act: ActOpt = None,
) -> None:
    """Claims whose content mentions all the given words, best matches first (--act all:
    thoughts, intentions and the rest too).

    A word of several parts ("14,000", "Jong-un") is matched as one phrase. The search is
    the one of /api/search (bm25 over the newest 1,000 matches); the snippet marks each
    match with square brackets.
    """
    with open_existing(db) as ledger:
        found = q.search_attributions(ledger.con, text, limit=limit, acts=_chosen_acts(act))
    rows = [AttributionRow.from_row(r).to_dict() for r in found]
    columns = ("article_id", "published", "source", "snippet", "chain")
    _emit(rows, columns, format, f"no attributions found about {text!r}")


@command(query_app, "relays")
def relays(
    source: Annotated[
        str | None, typer.Option("--source", help="Only links where this source takes part.")
    ] = None,
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = Format.text,
    limit: LimitOpt = 50,
    aliases: AliasOpt = True,
) -> None:
    """Who reports through whom: relay -> origin links of source chains, with counts."""
    with open_existing(db) as ledger:
        rows = [r.to_dict() for r in q.relays(ledger.con, source, limit=limit, aliases=aliases)]
    _emit(rows, ("relay", "origin", "attributions", "articles"), format, "no relays found")
