"""``newsledger show ARTICLE_ID``: one stored analysis."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from newsledger.cli import output
from newsledger.cli.common import DEFAULT_DB, DbOpt, fail, open_existing
from newsledger.cli.output import Format, FormatOpt
from newsledger.cli.render import ATTRIBUTION_COLUMNS, attribution_rows, render_analysis


def show(
    article_id: Annotated[str, typer.Argument(help="The article id.")],
    db: DbOpt = DEFAULT_DB,
    format: FormatOpt = Format.text,
    text: Annotated[
        bool, typer.Option("--text", help="json, jsonl: include the article's text.")
    ] = False,
) -> None:
    """Print a stored analysis.

    text is the report `newsledger analyze` prints; json is the record `newsledger analyze
    --format json` prints (with --text, the record /api/articles/ID serves); jsonl the same
    on one line; csv one row per attribution.
    """
    with open_existing(db) as ledger:
        analysis = ledger.get(article_id)
    if analysis is None:
        raise fail(f"no article {article_id!r} in {db}")
    if format is Format.json:
        sys.stdout.write(analysis.to_json(indent=2, include_text=text) + "\n")
    elif format is Format.jsonl:
        sys.stdout.write(analysis.to_json(include_text=text) + "\n")
    elif format is Format.csv:
        output.write_csv(attribution_rows(analysis), ATTRIBUTION_COLUMNS)
    else:
        render_analysis(analysis, output.console())
