"""Read the articles of one byte range of a JSON Lines or CSV file.

The records, errors, ids and origins are those :mod:`newsledger.readers.tabular` gives for
the same records when it reads the whole file (``tests/test_partition.py`` checks that the
ranges of a file, concatenated, read exactly like the file).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from newsledger.errors import InputError
from newsledger.model import Article
from newsledger.readers import decode_bytes
from newsledger.readers.tabular import (
    NUL_LINE,
    csv_columns,
    csv_record,
    csv_rows,
    csv_wanted,
    field_names,
    jsonl_line,
    no_text_column,
    raise_field_size_limit,
    skip_line,
)


def read_jsonl_range(
    path: str,
    start: int,
    end: int | None,
    line_base: int,
    published: str | None,
    max_bytes: int,
    fields: Mapping[str, str] | None = None,
) -> Iterator[Article | InputError]:
    """The records of ``path`` whose line starts in ``[start, end)``.

    ``line_base`` is the number of newlines before ``start``. A line that starts before
    ``start`` belongs to the range before, even when it runs on into this one. ``fields``
    renames record fields, as for :func:`newsledger.readers.tabular.read_jsonl`.
    """
    names = field_names(fields)
    stem = Path(path).stem
    try:
        with open(path, "rb") as f:
            lineno = line_base
            if start > 0:
                f.seek(start - 1)
                if f.read(1) != b"\n":
                    skip_line(f)  # the end of a line that started in the range before
                    lineno += 1
            while end is None or f.tell() < end:
                line = f.readline(max_bytes + 1)
                if not line:
                    break
                lineno += 1
                item = jsonl_line(f, line, path, lineno, stem, published, max_bytes, names)
                if item is not None:
                    yield item
    except OSError as e:
        yield InputError(path, e.strerror or str(e))


def read_csv_range(
    path: str,
    header_end: int,
    start: int,
    end: int | None,
    line_base: int,
    published: str | None,
    max_bytes: int,
    fields: Mapping[str, str] | None = None,
) -> Iterator[Article | InputError]:
    """The CSV rows in ``[start, end)``, which the planner put on record boundaries.

    The header row is read from ``[0, header_end)``; ``line_base`` is the number of lines
    before ``start``. ``fields`` renames columns, as for ``tabular.read_csv``.
    """
    names = field_names(fields)
    raise_field_size_limit()
    stem = Path(path).stem
    try:
        with open(path, "rb") as f:
            columns = _header(f, header_end, path)
            if columns is None or names["text"].lower() not in columns:
                yield InputError(path, no_text_column(list(columns or ()), names["text"]))
                return
            wanted = csv_wanted(names, columns)
            f.seek(start)
            bad_lines: set[int] = set()
            nul_lines: set[int] = set()
            lines = _range_lines(f, end, path, line_base, bad_lines.add, nul_lines.add)
            reader = csv.reader(lines)
            row_start = line_base + 1
            for row in csv_rows(reader, path, line_base):
                if isinstance(row, InputError):
                    yield row
                    row_start = line_base + reader.line_num + 1
                    continue
                first, row_start = row_start, line_base + reader.line_num + 1
                if not any(cell.strip() for cell in row):
                    continue
                last = line_base + reader.line_num
                if any(n in nul_lines for n in range(first, last + 1)):
                    yield InputError(f"{path}:{first}", NUL_LINE)
                    continue
                yield csv_record(
                    row, columns, wanted, path, first, last, bad_lines, stem, published,
                    max_bytes,
                )  # fmt: skip
    except OSError as e:
        yield InputError(path, e.strerror or str(e))


def _header(f: BinaryIO, header_end: int, origin: str) -> dict[str, int] | None:
    """Column name (lower case) -> index, from the first non-blank row before ``header_end``."""
    lines = (decode_bytes(raw, origin)[0] for raw in io.BytesIO(f.read(header_end)))
    for row in csv.reader(lines):
        if any(cell.strip() for cell in row):
            return csv_columns([name.strip() for name in row])
    return None


def _range_lines(
    f: BinaryIO,
    end: int | None,
    origin: str,
    line_base: int,
    mark_bad: Callable[[int], None],
    mark_nul: Callable[[int], None],
) -> Iterator[str]:
    position = f.tell()
    n = line_base
    while end is None or position < end:
        raw = f.readline()
        if not raw:
            return
        position += len(raw)
        n += 1
        if b"\x00" in raw:
            mark_nul(n)
            raw = raw.replace(b"\x00", b"")
        text, invalid = decode_bytes(raw, origin)
        if invalid:
            mark_bad(n)
        yield text
