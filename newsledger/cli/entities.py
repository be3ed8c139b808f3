"""``newsledger entities …``: ledger-wide entities; hand merges and splits."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from newsledger.cli import output
from newsledger.cli.common import DEFAULT_DB, DbOpt, LimitOpt, fail, open_existing
from newsledger.cli.helptext import Group, command
from newsledger.cli.output import Format, FormatOpt
from newsledger.ledger import entities as identity

entities_app = typer.Typer(
    cls=Group,
    help="Entities across the ledger: list, show, merge two, split one article's entity off.",
    no_args_is_help=True,
)

COLUMNS = ("id", "name", "type", "articles", "said")


def _message(exc: Exception) -> str:
    """The message of a KeyError (whose str() is quoted) or another error."""
    return str(exc.args[0]) if exc.args else str(exc)


def resolve(con: sqlite3.Connection, ref: str) -> int:
    """The ledger entity ``ref`` names; exit 1 when none does or several do."""
    try:
        return identity.resolve_entity(con, ref)
    except (KeyError, ValueError) as exc:
        raise fail(_message(exc)) from exc


@command(entities_app, "list")
def list_command(
    text: Annotated[str | None, typer.Argument(help="Only names containing this.")] = None,
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = Format.text,
    limit: LimitOpt = 50,
) -> None:
    """Ledger entities, the ones in most articles first."""
    with open_existing(db) as ledger:
        rows = identity.list_entities(ledger.con, text=text, limit=limit)

    def show(out: Console) -> None:
        table = output.table(*COLUMNS)
        for r in rows:
            table.add_row(*(escape(str(r[c])) for c in COLUMNS))
        out.print(table)

    output.emit(format, [dict(r) for r in rows], show, empty="no entities found")


def emit_entity(con: sqlite3.Connection, ledger_id: int, format: Format) -> None:
    """Print ledger entity ``ledger_id`` in ``format``: json its record (names, members, log),
    csv and jsonl its members, one a line; text for a person."""
    info = identity.show_entity(con, ledger_id)
    if info is None:
        raise fail(f"no ledger entity {ledger_id}")
    members: list[dict[str, Any]] = [{"entity": info["id"], **m} for m in info["members"]]

    def show(out: Console) -> None:
        out.print(f"[bold]{escape(info['name'])}[/] ({info['type']}, id {info['id']})")
        out.print("names: " + escape(", ".join(info["names"])))
        if info["kb"]:
            kb = ", ".join(f"{k} {v}" for k, v in sorted(info["kb"].items()))
            out.print("knowledge base: " + escape(kb))
        out.print("members (ARTICLE_ID:ENTITY_ID, for `entities split`):")
        for m in info["members"]:
            out.print(f"  {escape(m['article_id'])}:{m['entity_id']}  {escape(m['name'])}")
        for entry in info["log"]:
            out.print(
                f"  {entry['at']} {entry['action']} {entry['a']} + {escape(entry['b'])}"
                f" by {entry['by']}: {escape(entry['reason'] or '')}"
            )

    if format is Format.jsonl:
        output.write_jsonl(members)
    else:
        output.emit(format, info, show, csv_rows=lambda: members)


@command(entities_app, "show")
def show_command(
    entity: Annotated[str, typer.Argument(help="Ledger entity id or name.")],
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = Format.text,
) -> None:
    """One ledger entity: its names, the article entities merged into it, its merge log.

    csv and jsonl print its members, one a line.
    """
    with open_existing(db) as ledger:
        emit_entity(ledger.con, resolve(ledger.con, entity), format)


@command(entities_app, "merge")
def merge_command(
    a: Annotated[str, typer.Argument(help="Ledger entity id or name.")],
    b: Annotated[str, typer.Argument(help="Ledger entity id or name, merged into A.")],
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = Format.text,
) -> None:
    """Merge two ledger entities by hand (kept through re-ingest and rebuild).

    Refused, with exit code 1: an entity merged with itself, and a name that several
    entities have (give the id; `entities list NAME` shows them). Entities of different
    types (a person and a place) may be merged: A keeps its name, type and knowledge-base
    ids, and none of B's are copied, so a place's GeoNames id never lands on a person.
    json, jsonl and csv print the merged entity as `entities show` does.
    """
    with open_existing(db) as ledger:
        try:
            with ledger.transaction() as con:
                kept = identity.add_rule(con, "merge", a, b)
                kept_name = identity.describe(con, kept)
        except (KeyError, ValueError) as exc:
            raise fail(_message(exc)) from exc
        if format is not Format.text:
            emit_entity(ledger.con, kept, format)
            return
    typer.echo(f"merged {a!r} and {b!r} into {kept_name}")


@command(entities_app, "split")
def split_command(
    a: Annotated[str, typer.Argument(help="Ledger entity id or name.")],
    article_entity: Annotated[
        str,
        typer.Argument(
            metavar="ARTICLE_ID:ENTITY_ID",
            help="A member to give its own entity (see `entities show`).",
        ),
    ],
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = Format.text,
) -> None:
    """Split one article's entity off a ledger entity (kept through re-ingest and rebuild).

    json, jsonl and csv print the new entity as `entities show` does.
    """
    if ":" not in article_entity:
        raise fail(f"{article_entity!r}: expected ARTICLE_ID:ENTITY_ID (e.g. my-article:e3)", 2)
    with open_existing(db) as ledger:
        try:
            with ledger.transaction() as con:
                new = identity.add_rule(con, "split", a, article_entity)
        except (KeyError, ValueError) as exc:
            raise fail(_message(exc)) from exc
        if format is not Format.text:
            emit_entity(ledger.con, new, format)
            return
    typer.echo(f"split off as {new}")
