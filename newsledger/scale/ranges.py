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
from newsledger.readers import decode_bytes, too_large
from newsledger.readers.tabular import (
    DATE_FALLBACK,
    _no_text_column,
    _parse_json,
    _raise_field_size_limit,
    _record,
    _skip_line,
    field_names,
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
                    _skip_line(f)  # the end of a line that started in the range before
                    lineno += 1
            while end is None or f.tell() < end:
                line = f.readline(max_bytes + 1)
                if not line:
                    break
                lineno += 1
                origin = f"{path}:{lineno}"
                if len(line) > max_bytes and not line.endswith(b"\n"):
                    size = len(line) + _skip_line(f)
                    yield InputError(origin, too_large(size, max_bytes, "record"))
                    continue
                text, invalid = decode_bytes(line, origin)
                if text.strip():
                    yield _parse_json(text, origin, f"{stem}:{lineno}", published, invalid, names)
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
    wanted = {column.lower(): name for name, column in names.items()}
    _raise_field_size_limit()
    stem = Path(path).stem
    try:
        with open(path, "rb") as f:
            columns = _header(f, header_end, path)
            if columns is None or names["text"].lower() not in columns:
                yield InputError(path, _no_text_column(list(columns or ()), names["text"]))
                return
            if names["published"] == "published" and "published" not in columns:
                wanted.setdefault(DATE_FALLBACK, "published")  # as read_csv does
            f.seek(start)
            bad_lines: set[int] = set()
            lines = _range_lines(f, end, path, line_base, bad_lines.add)
            reader = csv.reader(lines)
            row_start = line_base + 1
            try:
                for row in reader:
                    first, row_start = row_start, line_base + reader.line_num + 1
                    if not any(cell.strip() for cell in row):
                        continue
                    origin = f"{path}:{first}"
                    record = {
                        wanted[k]: row[i]
                        for k, i in columns.items()
                        if k in wanted and i < len(row)
                    }
                    size = sum(len(cell.encode("utf-8")) for cell in row)
                    if size > max_bytes:
                        yield InputError(origin, too_large(size, max_bytes, "record"))
                        continue
                    last = line_base + reader.line_num
                    invalid = any(n in bad_lines for n in range(first, last + 1))
                    yield _record(record, origin, f"{stem}:{first}", published, invalid)
            except csv.Error as e:
                yield InputError(f"{path}:{line_base + reader.line_num}", f"malformed CSV: {e}")
    except OSError as e:
        yield InputError(path, e.strerror or str(e))


def _header(f: BinaryIO, header_end: int, origin: str) -> dict[str, int] | None:
    """Column name (lower case) -> index, from the first non-blank row before ``header_end``."""
    lines = (decode_bytes(raw, origin)[0] for raw in io.BytesIO(f.read(header_end)))
    for row in csv.reader(lines):
        if any(cell.strip() for cell in row):
            header = [name.strip() for name in row]
            return {name.lower(): i for i, name in reversed(list(enumerate(header)))}
    return None


def _range_lines(
    f: BinaryIO, end: int | None, origin: str, line_base: int, mark_bad: Callable[[int], None]
) -> Iterator[str]:
    position = f.tell()
    n = line_base
    while end is None or position < end:
        raw = f.readline()
        if not raw:
            return
        position += len(raw)
        n += 1
        text, invalid = decode_bytes(raw, origin)
        if invalid:
            mark_bad(n)
        yield text
