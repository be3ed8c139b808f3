"""``newsledger show ARTICLE_ID``: one stored analysis."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

from newsledger.cli.common import DEFAULT_DB, DbOpt, open_existing
from newsledger.cli.render import render_analysis


class ShowFormat(StrEnum):
    json = "json"
    text = "text"


def show(
    article_id: Annotated[str, typer.Argument(help="The article id.")],
    db: DbOpt = DEFAULT_DB,
    format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.json,
) -> None:
    """Print a stored analysis: json is the same record `newsledger analyze --format json`
    prints for the article."""
    with open_existing(db) as ledger:
        analysis = ledger.get(article_id)
    if analysis is None:
        Console(stderr=True, highlight=False).print(
            f"[red]error:[/] no article {article_id!r} in {db}"
        )
        raise typer.Exit(1)
    if format is ShowFormat.json:
        sys.stdout.write(analysis.to_json(indent=2) + "\n")
    else:
        render_analysis(analysis, Console())
