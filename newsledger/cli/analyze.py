"""``newsledger analyze PATH…``: analyze articles and print their records."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import closing
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from newsledger.cli import options, output
from newsledger.cli.output import Format, FormatOpt
from newsledger.cli.render import ATTRIBUTION_COLUMNS, attribution_rows, render_analysis
from newsledger.errors import InputError, NewsledgerError
from newsledger.ingest import analyze_each, read_inputs
from newsledger.model import Analysis, Article
from newsledger.pipeline import DEFAULT_ATTRIBUTIONS, Analyzer
from newsledger.readers import normalize_date, without_surrogates


def analyze(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH|URL", help="Files, directories, http(s) URLs, or - for stdin."
        ),
    ],
    published: Annotated[
        str | None,
        typer.Option(metavar="YYYY-MM-DD", help="Article date for inputs that have none."),
    ] = None,
    format: FormatOpt = Format.text,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")] = 1,
    max_bytes: Annotated[
        int, typer.Option(help="Largest article accepted, in bytes.")
    ] = 10_000_000,
    input_format: options.InputFormatOption = None,
    field: options.FieldOption = None,
    allow_private: options.AllowPrivateOption = False,
    timeout: options.TimeoutOption = 10.0,
    fetch_links: options.FetchLinksOption = None,
    attributions: options.AttributionsOption = DEFAULT_ATTRIBUTIONS,
) -> None:
    """Analyze articles: attributions, source chains, figures, dates, entities, events, flags.

    text is a report per article; json prints one JSON object for one input and JSON Lines,
    one object per article in input order, for several; jsonl always one object per line;
    csv one row per attribution. Inputs that cannot be read or analyzed are reported on
    stderr (one line each), the rest go on, and the exit code is 1 when any input failed.
    """
    err = Console(stderr=True, soft_wrap=True)
    if published is not None and normalize_date(published) is None:
        err.print(f"[red]error:[/] --published {published!r} is not a date (expected YYYY-MM-DD)")
        raise typer.Exit(2)
    reading = options.reader_kwargs(input_format, field, allow_private, timeout, fetch_links)
    failures: list[InputError] = []

    def failed(error: InputError) -> None:
        failures.append(error)
        err.print(f"[red]error:[/] {escape(str(error))}", highlight=False)

    def articles() -> Iterator[Article]:
        items = read_inputs(paths, published=published, max_bytes=max_bytes, reader_options=reading)
        for item in items:
            if isinstance(item, InputError):
                failed(item)
            else:
                yield item

    def analyses(analyzer: Analyzer) -> Iterator[Analysis]:
        with closing(analyze_each(analyzer, articles(), jobs=jobs)) as outcomes:
            for _, outcome in outcomes:
                if isinstance(outcome, InputError):
                    failed(outcome)
                else:
                    yield outcome

    try:
        analyzer = Analyzer(attributions=options.check_attributions(attributions))
        results = analyses(analyzer)
        if format is Format.text:
            out = output.console()
            for analysis in results:
                render_analysis(analysis, out)
        elif format is Format.csv:
            rows = (row for analysis in results for row in attribution_rows(analysis))
            output.write_csv(rows, ATTRIBUTION_COLUMNS)
        else:
            # --format json: one article prints as one indented object, several as JSON Lines
            pending = None
            streaming = format is Format.jsonl
            for analysis in results:
                if not streaming and pending is None:
                    pending = analysis
                    continue
                if pending is not None:
                    sys.stdout.write(_utf8(pending.to_json()) + "\n")
                    pending = None
                streaming = True
                sys.stdout.write(_utf8(analysis.to_json()) + "\n")
            if pending is not None:
                sys.stdout.write(_utf8(pending.to_json(indent=2)) + "\n")
    except NewsledgerError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    if failures:
        err.print(f"{len(failures)} input(s) failed", highlight=False)
        raise typer.Exit(1)


def _utf8(text: str) -> str:
    """``text`` writable as UTF-8 (the readers already replace undecodable names)."""
    return without_surrogates(text)
