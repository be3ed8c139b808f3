"""``newsledger entities …``: ledger-wide entities; hand merges and splits."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newsledger.cli.common import (
    DEFAULT_DB,
    DbOpt,
    Fmt,
    FmtOpt,
    fail,
    open_existing,
    print_json,
)
from newsledger.ledger import entities as identity

entities_app = typer.Typer(
    help="Entities across the ledger: list, show, merge two, split one article's entity off.",
    no_args_is_help=True,
)


@entities_app.command("list")
def list_command(
    text: Annotated[str | None, typer.Argument(help="Only names containing this.")] = None,
    db: DbOpt = DEFAULT_DB,
    format: FmtOpt = Fmt.table,
    limit: Annotated[int, typer.Option(min=1)] = 50,
) -> None:
    """Ledger entities, the ones in most articles first."""
    with open_existing(db) as ledger:
        rows = identity.list_entities(ledger.con, text=text, limit=limit)
    if format is Fmt.json:
        print_json(rows)
        return
    table = Table()
    for c in ("id", "name", "type", "articles", "said"):
        table.add_column(c)
    for r in rows:
        table.add_row(*(escape(str(r[c])) for c in ("id", "name", "type", "articles", "said")))
    Console().print(table)


@entities_app.command("show")
def show_command(
    entity: Annotated[str, typer.Argument(help="Ledger entity id or name.")],
    db: DbOpt = DEFAULT_DB,
    format: FmtOpt = Fmt.json,
) -> None:
    """One ledger entity: its names, the article entities merged into it, its merge log."""
    with open_existing(db) as ledger:
        lid = identity.find_entity(ledger.con, entity)
        info = identity.show_entity(ledger.con, lid) if lid is not None else None
    if info is None:
        raise fail(f"no ledger entity {entity!r}")
    if format is Fmt.json:
        print_json(info)
        return
    out = Console()
    out.print(f"[bold]{escape(info['name'])}[/] ({info['type']}, id {info['id']})")
    out.print("names: " + escape(", ".join(info["names"])))
    for m in info["members"]:
        out.print(f"  {escape(m['article_id'])}:{m['entity_id']}  {escape(m['name'])}")


@entities_app.command("merge")
def merge_command(
    a: Annotated[str, typer.Argument(help="Ledger entity id or name.")],
    b: Annotated[str, typer.Argument(help="Ledger entity id or name, merged into A.")],
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Merge two ledger entities by hand (kept through re-ingest and rebuild)."""
    with open_existing(db) as ledger:
        try:
            with ledger.transaction() as con:
                kept = identity.add_rule(con, "merge", a, b)
        except (KeyError, ValueError) as exc:
            raise fail(str(exc).strip("'\"")) from exc
    typer.echo(f"merged into {kept}")


@entities_app.command("split")
def split_command(
    a: Annotated[str, typer.Argument(help="Ledger entity id or name.")],
    article_entity: Annotated[
        str, typer.Argument(help="ARTICLE_ID:ENTITY_ID of a member to give its own entity.")
    ],
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Split one article's entity off a ledger entity (kept through re-ingest and rebuild)."""
    if ":" not in article_entity:
        raise fail(f"{article_entity!r}: expected ARTICLE_ID:ENTITY_ID (e.g. my-article:e3)", 2)
    with open_existing(db) as ledger:
        try:
            with ledger.transaction() as con:
                new = identity.add_rule(con, "split", a, article_entity)
        except (KeyError, ValueError) as exc:
            raise fail(str(exc).strip("'\"")) from exc
    typer.echo(f"split off as {new}")
