"""How every command prints: one ``--format`` vocabulary, one JSON form, tables and progress.

- ``--format text|json|jsonl|csv`` on every command that prints data, ``text`` the default.
  ``json`` is one document (a list of records, or one object); ``jsonl`` one record per
  line; ``csv`` one row per record, nested fields flattened (``a.value``, ``origin.key``),
  lists of names joined (a chain with ``" > "``, others with ``"; "``). ``table`` is still
  read as ``text`` (deprecated, with a warning).
- JSON comes from the records' ``to_dict()`` (:mod:`newsledger.records`), the same the REST
  API serves, so a command's ``--format json`` equals its endpoint's records.
- ``text`` on a terminal wraps tables to its width; piped or redirected, tables are printed
  at full width, one line per row (never folded at 80 columns), without colour.
- An empty result prints ``no … found`` in ``text`` (``[]`` in json, only the header in csv).
- Progress bars go to stderr, and only when stderr is a terminal and the ``CI``
  environment variable is not set.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.rule import Rule
from rich.table import Table

from newsledger.records import flatten

__all__ = [
    "Format",
    "FormatOpt",
    "ProgressBar",
    "console",
    "emit",
    "flatten",
    "JsonAlias",
    "chosen_format",
    "parse_format",
    "print_json",
    "print_report",
    "progress_bar",
    "show_progress",
    "write_csv",
    "write_jsonl",
]

T = TypeVar("T")

#: the width of piped text: wide enough that no table row is folded
PIPED_WIDTH = 100_000
#: a rule (a titled line) is at most this wide
RULE_WIDTH = 100


class Format(StrEnum):
    """What a command prints: ``text`` for a person, ``json``, ``jsonl``, ``csv``."""

    text = "text"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


#: old names still accepted, with a warning
DEPRECATED_FORMATS = {"table": Format.text}
FORMAT_METAVAR = "|".join(Format)


def parse_format(value: str | Format) -> Format:
    """A ``--format`` value: one of :class:`Format`, or a deprecated alias (warned about)."""
    if isinstance(value, Format):
        return value
    name = str(value).strip().lower()
    if name in DEPRECATED_FORMATS:
        new = DEPRECATED_FORMATS[name]
        typer.echo(f"warning: --format {name} is deprecated; use --format {new}", err=True)
        return new
    try:
        return Format(name)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not one of {', '.join(Format)}", param_hint="--format"
        ) from None


FORMAT_HELP = "text (for a person), json, jsonl (one record per line) or csv."
JsonAlias = Annotated[
    bool, typer.Option("--json", hidden=True, help="Same as --format json (deprecated).")
]


def chosen_format(format: Format, as_json: bool) -> Format:
    """The format asked for; ``--json`` (deprecated, on ``eval`` and ``train``) is
    ``--format json``."""
    if as_json:
        typer.echo("warning: --json is deprecated; use --format json", err=True)
        return Format.json
    return format


FormatOpt = Annotated[
    Format,
    typer.Option("--format", "-f", parser=parse_format, metavar=FORMAT_METAVAR, help=FORMAT_HELP),
]


# ------------------------------------------------------------------ consoles
def console(stderr: bool = False) -> Console:
    """A console for text output: the terminal's width on a terminal; piped or redirected,
    wide enough that tables keep one line per row, and no colour."""
    probe = Console(stderr=stderr)
    if probe.is_terminal:
        return Console(stderr=stderr, highlight=False)
    return Console(stderr=stderr, highlight=False, width=PIPED_WIDTH, no_color=True)


def rule(out: Console, title: str) -> None:
    """A titled line across the terminal (at most :data:`RULE_WIDTH` wide)."""
    out.print(Rule(title), width=min(out.width, RULE_WIDTH))


def table(*columns: str) -> Table:
    """A table with these columns; long cells fold on a terminal (piped: full width)."""
    t = Table(header_style="bold")
    for column in columns:
        t.add_column(column, overflow="fold")
    return t


def print_table(out: Console, t: Table, title: str | None = None) -> None:
    """``t``, under a bold ``title`` line when given."""
    if title:
        out.print(f"[bold]{title}[/]")
    out.print(t)


# ------------------------------------------------------------------ machine formats
def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def write_jsonl(records: Iterable[Any], out: Any = None) -> int:
    out = out or sys.stdout
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def print_report(format: Format, report: dict[str, Any]) -> None:
    """One report (``eval``, ``train``) in a machine format: json indented, jsonl on one
    line, csv one flat row."""
    if format is Format.json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    elif format is Format.jsonl:
        sys.stdout.write(json.dumps(report) + "\n")
    else:
        write_csv([report])


def write_csv(
    records: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None, out: Any = None
) -> int:
    """Write ``records`` flattened (:func:`flatten`) as CSV with a header; ``columns``:
    these columns in this order (default: every column, in the order first seen)."""
    rows: Iterable[dict[str, Any]] = (flatten(r) for r in records)
    if columns is None:  # every row is read first, for the header
        rows = list(rows)
        seen: dict[str, None] = {}
        for row in rows:
            seen.update(dict.fromkeys(row))
        columns = list(seen)
    writer = csv.writer(out or sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow(row.get(c) for c in columns)
        n += 1
    return n


def emit(
    format: Format,
    value: list[dict[str, Any]] | dict[str, Any],
    text: Callable[[Console], None],
    *,
    empty: str | None = None,
    columns: Sequence[str] | None = None,
    csv_rows: Callable[[], Iterable[Mapping[str, Any]]] | None = None,
) -> None:
    """Print ``value`` (records, or one record) in ``format``; ``text`` prints it for a
    person. An empty list prints ``empty`` in text. ``csv_rows``: the rows of the CSV when
    they are not the records themselves (a report's list, say)."""
    if format is Format.json:
        print_json(value)
    elif format is Format.jsonl:
        write_jsonl(value if isinstance(value, list) else [value])
    elif format is Format.csv:
        rows = csv_rows() if csv_rows else value if isinstance(value, list) else [value]
        write_csv(rows, columns)
    elif empty is not None and not value:
        console().print(empty, markup=False)
    else:
        text(console())


# ------------------------------------------------------------------ progress
def show_progress() -> bool:
    """Whether to draw progress bars: stderr is a terminal and ``CI`` is not set."""
    return sys.stderr.isatty() and not os.environ.get("CI")


class ProgressBar:
    """Bars for the steps of a long command (``bar.step("crossdoc", total)``), on stderr;
    a no-op when :func:`show_progress` is false."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def update(self, step: str, done: int, total: int | None = None) -> None:
        """``done`` of ``total`` items of ``step`` (a new bar the first time)."""
        if self.progress is None:
            return
        if step not in self.tasks:
            self.tasks[step] = self.progress.add_task(step, total=total)
        self.progress.update(self.tasks[step], completed=done, total=total)

    def callback(self, step: str) -> Callable[[int, int], None]:
        """``update`` for one step, as a ``(done, total)`` callback."""
        return lambda done, total: self.update(step, done, total)

    def count(self, step: str, items: Iterable[T], total: int | None = None) -> Iterator[T]:
        """``items``, advancing the bar of ``step`` by one for each."""
        done = 0
        self.update(step, 0, total)
        for item in items:
            yield item
            done += 1
            self.update(step, done, total)


@contextmanager
def progress_bar(enabled: bool | None = None) -> Iterator[ProgressBar]:
    """A :class:`ProgressBar` drawn on stderr while the block runs (when ``enabled``,
    default :func:`show_progress`); the bars stay when it ends."""
    if not (show_progress() if enabled is None else enabled):
        yield ProgressBar(None)
        return
    columns = (
        TextColumn("{task.description:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        yield ProgressBar(progress)
