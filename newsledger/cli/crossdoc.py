"""``newsledger claims|conflicts|timeline`` and ``newsledger crossdoc rebuild``."""

from __future__ import annotations

import time
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
from newsledger.ledger import claims as claims_mod
from newsledger.ledger import timeline
from newsledger.ledger.conflicts import read_conflicts, set_verdict
from newsledger.records import CONFLICT_KINDS, INDEPENDENCE

crossdoc_app = typer.Typer(help="Cross-document tables: rebuild them.", no_args_is_help=True)


def _short(text: str | None, n: int = 90) -> str:
    text = " ".join((text or "").split())
    return escape(text if len(text) <= n else text[: n - 1] + "…")


def claims_command(
    about: Annotated[
        str | None, typer.Option("--about", help="Only claims whose contents have these words.")
    ] = None,
    independence: Annotated[
        str | None, typer.Option(help="independent | relay_only | single")
    ] = None,
    min_articles: Annotated[int, typer.Option(min=1, help="Reported by at least N articles.")] = 1,
    db: DbOpt = DEFAULT_DB,
    format: FmtOpt = Fmt.table,
    limit: Annotated[int, typer.Option(min=1)] = 50,
) -> None:
    """Claim clusters: the same proposition across articles, with its sources and whether they
    are independent or one origin relayed."""
    if independence is not None and independence not in INDEPENDENCE:
        raise fail(f"--independence {independence!r}: use independent, relay_only or single", 2)
    with open_existing(db) as ledger:
        rows = claims_mod.list_claims(
            ledger.con, about=about, independence=independence, min_articles=min_articles,
            limit=limit,
        )  # fmt: skip
    if format is Fmt.json:
        print_json([r.to_dict() for r in rows])
        return
    table = Table()
    for c in ("id", "articles", "independence", "figure", "origins", "claim"):
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(
            str(r.id), str(r.articles), r.independence, escape(r.facet or ""),
            escape(", ".join(o.name or o.key for o in r.origins)), _short(r.label),
        )  # fmt: skip
    Console().print(table)


def conflicts_command(
    kind: Annotated[str | None, typer.Option(help=" | ".join(CONFLICT_KINDS))] = None,
    db: DbOpt = DEFAULT_DB,
    format: FmtOpt = Fmt.table,
    limit: Annotated[int, typer.Option(min=1)] = 100,
) -> None:
    """Conflicts between claims: figures or dates that disagree, denials, and revisions (a
    source's new value). --format json prints the records /api/conflicts serves."""
    if kind is not None and kind not in CONFLICT_KINDS:
        raise fail(f"--kind {kind!r}: use {', '.join(CONFLICT_KINDS)}", 2)
    with open_existing(db) as ledger:
        rows = read_conflicts(ledger.con, kind=kind, limit=limit)
    if format is Fmt.json:
        print_json([r.to_dict() for r in rows])
        return
    table = Table()
    for c in ("id", "kind", "a", "source a", "b", "source b", "why", "verdict"):
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(
            str(r.id), r.kind, escape(r.a.ref), escape(r.a.source or ""),
            escape(r.b.ref), escape(r.b.source or ""), _short(r.explanation, 140),
            escape(r.verdict or ""),
        )  # fmt: skip
    Console().print(table)


def verdict_command(
    conflict: Annotated[int, typer.Argument(help="Conflict id (see `newsledger conflicts`).")],
    verdict: Annotated[str, typer.Argument(help="confirm | dismiss | clear")],
    note: Annotated[str | None, typer.Option(help="Why, in your words.")] = None,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Confirm or dismiss a conflict (or clear the verdict). The verdict is kept by what the
    conflict sets against what, so it survives re-ingest and `crossdoc rebuild`."""
    stored = {"confirm": "confirmed", "dismiss": "dismissed", "clear": None}
    if verdict not in stored:
        raise fail(f"verdict {verdict!r}: use confirm, dismiss or clear", 2)
    with open_existing(db) as ledger:
        if not set_verdict(ledger.con, conflict, stored[verdict], note):
            raise fail(f"no conflict {conflict} in {db} (see `newsledger conflicts`)")
    typer.echo(f"conflict {conflict}: {stored[verdict] or 'verdict cleared'}", err=True)


def timeline_command(
    entity: Annotated[str, typer.Argument(help="Ledger entity id or name.")],
    db: DbOpt = DEFAULT_DB,
    format: FmtOpt = Fmt.table,
    limit: Annotated[int, typer.Option(min=1)] = 500,
) -> None:
    """What an entity said and what was said about it, by date."""
    with open_existing(db) as ledger:
        result = timeline.timeline(ledger.con, entity, limit=limit)
    if result is None:
        raise fail(f"no ledger entity {entity!r} (see `newsledger entities list`)")
    if format is Fmt.json:
        print_json(result)
        return
    out = Console()
    out.print(f"[bold]{escape(result['name'])}[/] ({result['type']}, id {result['id']})")
    for title, items in (("said", result["said"]), ("said about it", result["about"])):
        table = Table(title=title)
        for c in ("date", "article", "source", "content"):
            table.add_column(c, overflow="fold")
        for i in items:
            table.add_row(
                i["date"] or "", escape(i["article_id"]), escape(" > ".join(i["chain"])),
                _short(i["content"]),
            )  # fmt: skip
        out.print(table)


@crossdoc_app.command("rebuild")
def rebuild_command(db: DbOpt = DEFAULT_DB) -> None:
    """Recompute entities, claims and conflicts from every stored article (hand rules are
    kept and applied again)."""
    started = time.monotonic()
    with open_existing(db) as ledger:
        stats = ledger.rebuild_crossdoc()
        n_claims = ledger.con.execute("SELECT count(*) FROM claims").fetchone()[0]
        n_conf = ledger.con.execute("SELECT count(*) FROM conflicts").fetchone()[0]
    typer.echo(
        f"{db}: {stats['articles']} articles, {stats['members']} attributions in "
        f"{n_claims} claims, {n_conf} conflicts in {time.monotonic() - started:.1f} s",
        err=True,
    )
