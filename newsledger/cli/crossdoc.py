"""``newsledger claims|conflicts|timeline`` and ``newsledger crossdoc rebuild``."""

from __future__ import annotations

import time
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from newsledger.cli import output
from newsledger.cli.common import DEFAULT_DB, DbOpt, LimitOpt, fail, open_existing
from newsledger.cli.entities import resolve
from newsledger.cli.helptext import Group, command
from newsledger.cli.output import Format, FormatOpt
from newsledger.ledger import claims as claims_mod
from newsledger.ledger import timeline
from newsledger.ledger.conflicts import read_conflicts, set_verdict
from newsledger.records import CONFLICT_KINDS, INDEPENDENCE

crossdoc_app = typer.Typer(
    cls=Group, help="Cross-document tables: rebuild them.", no_args_is_help=True
)


def _short(text: str | None, n: int = 90) -> str:
    text = " ".join((text or "").split())
    return escape(text if len(text) <= n else text[: n - 1] + "…")


def claims_command(
    about: Annotated[
        str | None, typer.Option("--about", help="Only claims whose contents have these words.")
    ] = None,
    independence: Annotated[
        str | None,
        typer.Option(metavar="|".join(INDEPENDENCE), help="Only claims with this verdict."),
    ] = None,
    min_articles: Annotated[int, typer.Option(min=1, help="Reported by at least N articles.")] = 1,
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = Format.text,
    limit: LimitOpt = 50,
) -> None:
    """Claim clusters: the same proposition across articles, with its sources and whether they
    are independent or one origin relayed.

    --format json prints the records /api/claims serves.
    """
    if independence is not None and independence not in INDEPENDENCE:
        raise fail(f"--independence {independence!r}: use independent, relay_only or single", 2)
    with open_existing(db) as ledger:
        rows = claims_mod.list_claims(
            ledger.con, about=about, independence=independence, min_articles=min_articles,
            limit=limit,
        )  # fmt: skip

    def text(out: Console) -> None:
        table = output.table("id", "articles", "independence", "figure", "origins", "claim")
        for r in rows:
            table.add_row(
                str(r.id), str(r.articles), r.independence, escape(r.facet or ""),
                escape(", ".join(o.name or o.key for o in r.origins)), _short(r.label),
            )  # fmt: skip
        out.print(table)

    output.emit(format, [r.to_dict() for r in rows], text, empty="no claims found")


def conflicts_command(
    kind: Annotated[
        str | None,
        typer.Option(metavar="|".join(CONFLICT_KINDS), help="Only conflicts of this kind."),
    ] = None,
    min_confidence: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Only conflicts at least this sure (0–1)."),
    ] = None,
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = Format.text,
    limit: LimitOpt = 100,
) -> None:
    """Conflicts between claims, the surest first: figures or dates that disagree, denials,
    and revisions (a source's new value). Each has a confidence (0–1) and, in JSON, the
    sentences each side is stated in, with their offsets.

    --format json prints the records /api/conflicts serves.
    """
    if kind is not None and kind not in CONFLICT_KINDS:
        raise fail(f"--kind {kind!r}: use {', '.join(CONFLICT_KINDS)}", 2)
    with open_existing(db) as ledger:
        rows = read_conflicts(ledger.con, kind=kind, limit=limit, min_confidence=min_confidence)

    def text(out: Console) -> None:
        table = output.table(
            "id", "kind", "conf", "a", "source a", "b", "source b", "why", "verdict"
        )
        for r in rows:
            conf = "" if r.confidence is None else f"{r.confidence:.2f}"
            table.add_row(
                str(r.id), r.kind, conf, escape(r.a.value or r.a.ref), escape(r.a.source or ""),
                escape(r.b.value or r.b.ref), escape(r.b.source or ""),
                _short(r.explanation, 140), escape(r.verdict or ""),
            )  # fmt: skip
        out.print(table)

    output.emit(format, [r.to_dict() for r in rows], text, empty="no conflicts found")


def verdict_command(
    conflict: Annotated[int, typer.Argument(help="Conflict id (see `newsledger conflicts`).")],
    verdict: Annotated[str, typer.Argument(metavar="confirm|dismiss|clear", help="The verdict.")],
    note: Annotated[str | None, typer.Option(help="Why, in your words.")] = None,
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = Format.text,
) -> None:
    """Confirm or dismiss a conflict (or clear the verdict). The verdict is kept by what the
    conflict sets against what, so it survives re-ingest and `crossdoc rebuild`.

    json, jsonl and csv print the conflict with its verdict, the record `conflicts` prints.
    """
    stored = {"confirm": "confirmed", "dismiss": "dismissed", "clear": None}
    if verdict not in stored:
        raise fail(f"verdict {verdict!r}: use confirm, dismiss or clear", 2)
    with open_existing(db) as ledger:
        if not set_verdict(ledger.con, conflict, stored[verdict], note):
            raise fail(f"no conflict {conflict} in {db} (see `newsledger conflicts`)")
        found = read_conflicts(ledger.con, ids=[conflict], limit=1)
    done = f"conflict {conflict}: {stored[verdict] or 'verdict cleared'}"
    if format is Format.text or not found:
        typer.echo(done, err=True)
        return
    output.emit(format, found[0].to_dict(), lambda out: out.print(done, markup=False))


def timeline_command(
    entity: Annotated[str, typer.Argument(help="Ledger entity id or name.")],
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = Format.text,
    limit: LimitOpt = 500,
) -> None:
    """What an entity said and what was said about it, by date.

    csv and jsonl print one item a line, its side ("said" or "about") first.
    """
    with open_existing(db) as ledger:
        lid = resolve(ledger.con, entity)
        result = timeline.timeline(ledger.con, str(lid), limit=limit)
    if result is None:
        raise fail(f"no ledger entity {entity!r} (see `newsledger entities list`)")
    items: list[dict[str, Any]] = [
        {"side": side, **item} for side in ("said", "about") for item in result[side]
    ]

    def text(out: Console) -> None:
        out.print(f"[bold]{escape(result['name'])}[/] ({result['type']}, id {result['id']})")
        for title, key in (("said", "said"), ("said about it", "about")):
            if not result[key]:
                out.print(f"{title}: none found")
                continue
            table = output.table("date", "article", "source", "content")
            for i in result[key]:
                table.add_row(
                    i["date"] or "", escape(i["article_id"]), escape(" > ".join(i["chain"])),
                    _short(i["content"]),
                )  # fmt: skip
            output.print_table(out, table, title)

    if format is Format.jsonl:
        output.write_jsonl(items)
    else:
        output.emit(format, result, text, csv_rows=lambda: items)


@command(crossdoc_app, "rebuild")
def rebuild_command(db: DbOpt = DEFAULT_DB) -> None:
    """Recompute entities, claims and conflicts from every stored article (hand rules are
    kept and applied again)."""
    started = time.monotonic()
    with open_existing(db) as ledger, output.progress_bar() as bar:
        stats = ledger.rebuild_crossdoc(progress=bar.callback("crossdoc"))
        n_claims = ledger.con.execute("SELECT count(*) FROM claims").fetchone()[0]
        n_conf = ledger.con.execute("SELECT count(*) FROM conflicts").fetchone()[0]
    typer.echo(
        f"{db}: {stats['articles']} articles, {stats['members']} attributions in "
        f"{n_claims} claims, {n_conf} conflicts in {time.monotonic() - started:.1f} s",
        err=True,
    )
