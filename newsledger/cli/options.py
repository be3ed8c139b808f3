"""Input options shared by the commands that read articles (``analyze``, ``ingest``).

Each option is an ``Annotated`` type to use as a command parameter; :func:`reader_kwargs`
turns their values into keyword arguments for :func:`newsledger.readers.iter_articles`::

    def ingest(
        paths: ...,
        input_format: options.InputFormatOption = None,
        field: options.FieldOption = None,
        allow_private: options.AllowPrivateOption = False,
        timeout: options.TimeoutOption = 10.0,
        fetch_links: options.FetchLinksOption = None,
    ) -> None:
        kwargs = options.reader_kwargs(input_format, field, allow_private, timeout, fetch_links)
        for item in iter_articles(paths, published=published, max_bytes=max_bytes, **kwargs):
            ...

The input format is ``--input-format`` because ``analyze`` already uses ``--format`` for
its output.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from newsledger.pipeline import ATTRIBUTION_MODES
from newsledger.readers.tabular import FIELDS, field_names


class InputFormat(StrEnum):
    text = "text"
    html = "html"
    jsonl = "jsonl"
    csv = "csv"
    warc = "warc"
    rss = "rss"


InputFormatOption = Annotated[
    InputFormat | None,
    typer.Option(
        "--input-format",
        help="Read every input with this reader instead of choosing by extension.",
        case_sensitive=False,
    ),
]
FieldOption = Annotated[
    list[str] | None,
    typer.Option(
        "--field",
        metavar="NAME=COLUMN",
        help=(
            "Read the article field NAME from the JSONL field or CSV column COLUMN "
            f"(NAME is one of {', '.join(FIELDS)}); repeatable, e.g. --field text=body."
        ),
    ),
]
AllowPrivateOption = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Let URL fetches reach private, loopback, link-local and other non-public hosts.",
    ),
]
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        min=0.1,
        metavar="SECONDS",
        help="Seconds to wait when connecting and for each read of a URL.",
    ),
]
FetchLinksOption = Annotated[
    bool | None,
    typer.Option(
        "--fetch-links/--no-fetch-links",
        help=(
            "Fetch each feed entry's page instead of using the feed's own text "
            "(default: on for feed URLs, off for feed files)."
        ),
        show_default=False,
    ),
]

AttributionsOption = Annotated[
    str,
    typer.Option(
        "--attributions",
        help="rules: the rule layer alone; trained: the rules merged with the trained tagger.",
    ),
]


def check_attributions(mode: str) -> str:
    """``mode`` when it is a known attributions mode, else a usage error naming the choices."""
    if mode not in ATTRIBUTION_MODES:
        raise typer.BadParameter(
            f"{mode!r} is not one of {', '.join(ATTRIBUTION_MODES)}", param_hint="--attributions"
        )
    return mode


def parse_fields(values: list[str] | None) -> dict[str, str]:
    """``["text=body", "published=date"]`` -> ``{"text": "body", "published": "date"}``."""
    fields: dict[str, str] = {}
    for value in values or []:
        name, sep, column = value.partition("=")
        name, column = name.strip().lower(), column.strip()
        if not sep or not name or not column:
            raise typer.BadParameter(
                f"{value!r} is not NAME=COLUMN (e.g. text=body)", param_hint="--field"
            )
        fields[name] = column
    try:
        field_names(fields)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--field") from e
    return fields


def reader_kwargs(
    input_format: InputFormat | str | None,
    field: list[str] | None,
    allow_private: bool,
    timeout: float,
    fetch_links: bool | None = None,
) -> dict[str, Any]:
    """Keyword arguments for ``iter_articles`` from the shared options' values."""
    return {
        "format": str(input_format) if input_format is not None else None,
        "fields": parse_fields(field) or None,
        "allow_private": allow_private,
        "fetch_timeout": timeout,
        "fetch_links": fetch_links,
    }
