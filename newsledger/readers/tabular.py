"""Record inputs: JSON Lines (``.jsonl``/``.ndjson``) and CSV, one article per record.

Both know the fields ``id``, ``text`` (required), ``title``, ``published``, ``url`` and
``site``; ``fields`` renames them (``{"text": "body"}`` reads the article from ``body``).
The files are read line by line: a bad record (invalid JSON, NUL bytes, no text field, a
malformed CSV row) yields an :class:`InputError` whose origin is ``file:LINE`` and the file
goes on; only a file-level problem (unreadable, binary, no ``text`` column) stops it. A NUL
byte near the start of a file that is otherwise text does not make the file binary.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from newsledger.errors import InputError
from newsledger.model import Article
from newsledger.readers.common import (
    SNIFF_BYTES,
    decode_bytes,
    describe_exception,
    make_article,
    normalize_date,
    records_binary_reason,
    too_large,
)

FIELDS = ("id", "text", "title", "published", "url", "site")
#: Read as ``published`` when a record has no ``published`` field and none was mapped.
DATE_FALLBACK = "date"
_CHUNK = 1 << 20
NUL_LINE = "the line contains NUL bytes (not text)"


def field_names(fields: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every article field mapped to its record field name: the defaults, then ``fields``.

    Raises ``ValueError`` for a name that is not an article field or an empty column name.
    """
    names = {name: name for name in FIELDS}
    for name, column in (fields or {}).items():
        if name not in FIELDS:
            known = ", ".join(FIELDS)
            raise ValueError(f"unknown article field {name!r} (the fields are: {known})")
        if not column or not column.strip():
            raise ValueError(f"empty record field name for {name!r}")
        names[name] = column.strip()
    return names


def read_jsonl(
    path: str,
    published: str | None,
    max_bytes: int,
    fields: Mapping[str, str] | None = None,
) -> Iterator[Article | InputError]:
    """One article per non-blank line; each line is at most ``max_bytes`` long."""
    names = field_names(fields)
    stem = Path(path).stem
    try:
        with open(path, "rb") as f:
            if error := _check_head(f, path):
                yield error
                return
            lineno = 0
            while line := f.readline(max_bytes + 1):
                lineno += 1
                item = jsonl_line(f, line, path, lineno, stem, published, max_bytes, names)
                if item is not None:
                    yield item
    except OSError as e:
        yield InputError(path, e.strerror or str(e))


def read_csv(
    path: str,
    published: str | None,
    max_bytes: int,
    fields: Mapping[str, str] | None = None,
) -> Iterator[Article | InputError]:
    """One article per row; columns are matched to :data:`FIELDS` case-insensitively."""
    names = field_names(fields)
    wanted: dict[str, str] = {}
    raise_field_size_limit()
    stem = Path(path).stem
    try:
        with open(path, "rb") as f:
            if error := _check_head(f, path):
                yield error
                return
            bad_lines: set[int] = set()
            nul_lines: set[int] = set()
            reader = csv.reader(_decoded_lines(f, path, bad_lines.add, nul_lines.add))
            columns: dict[str, int] = {}
            row_start = 1
            for row in csv_rows(reader, path):
                if isinstance(row, InputError):
                    yield row
                    row_start = reader.line_num + 1
                    continue
                start, row_start = row_start, reader.line_num + 1
                if not any(cell.strip() for cell in row):
                    continue  # blank row
                if not columns:
                    header = [name.strip() for name in row]
                    columns = csv_columns(header)
                    if names["text"].lower() not in columns:
                        yield InputError(path, no_text_column(header, names["text"]))
                        return
                    wanted = csv_wanted(names, columns)
                    continue
                if any(n in nul_lines for n in range(start, reader.line_num + 1)):
                    yield InputError(f"{path}:{start}", NUL_LINE)
                    continue
                yield csv_record(
                    row, columns, wanted, path, start, reader.line_num, bad_lines, stem,
                    published, max_bytes,
                )  # fmt: skip
            if not columns:
                yield InputError(path, "empty CSV file (no header row)")
    except OSError as e:
        yield InputError(path, e.strerror or str(e))


def csv_rows(reader: Any, path: str, line_base: int = 0) -> Iterator[list[str] | InputError]:
    """The rows of ``reader`` (a ``csv.reader``), a malformed one as an error naming its line
    (``line_base`` plus the reader's line number); reading goes on after it."""
    while True:
        before = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield InputError(f"{path}:{line_base + reader.line_num}", f"malformed CSV: {e}")
            if reader.line_num == before:  # nothing consumed: it would fail again
                return
            continue
        yield row


def jsonl_line(
    f: BinaryIO,
    line: bytes,
    path: str,
    lineno: int,
    stem: str,
    published: str | None,
    max_bytes: int,
    names: Mapping[str, str],
) -> Article | InputError | None:
    """The article (or error) of line ``lineno`` just read from ``f``; None for a blank line.

    A line longer than ``max_bytes`` was read only in part: the rest is skipped in ``f``.
    Shared by :func:`read_jsonl` and the byte-range reader of :mod:`newsledger.scale`.
    """
    origin = f"{path}:{lineno}"
    if len(line) > max_bytes and not line.endswith(b"\n"):
        size = len(line) + skip_line(f)
        return InputError(origin, too_large(size, max_bytes, "record"))
    if b"\x00" in line:
        return InputError(origin, NUL_LINE)
    text, invalid = decode_bytes(line, origin)
    if not text.strip():
        return None
    try:
        return _parse_json(text, origin, f"{stem}:{lineno}", published, invalid, names)
    except Exception as e:  # noqa: BLE001 - one record must not stop the file
        return InputError(origin, f"could not be read: {describe_exception(e)}")


def csv_columns(header: list[str]) -> dict[str, int]:
    """Column name (lower case) → index of its first occurrence in the header row."""
    return {name.lower(): i for i, name in reversed(list(enumerate(header)))}


def csv_wanted(names: Mapping[str, str], columns: Mapping[str, int]) -> dict[str, str]:
    """CSV column (lower case) → article field, with ``date`` read as ``published`` when the
    file has no ``published`` column and none was mapped."""
    wanted = {column.lower(): name for name, column in names.items()}
    if names["published"] == "published" and "published" not in columns:
        wanted.setdefault(DATE_FALLBACK, "published")
    return wanted


def csv_record(
    row: list[str],
    columns: Mapping[str, int],
    wanted: Mapping[str, str],
    path: str,
    first: int,
    last: int,
    bad_lines: set[int],
    stem: str,
    published: str | None,
    max_bytes: int,
) -> Article | InputError:
    """The article (or error) of a CSV row that spans lines ``first`` to ``last``.

    Shared by :func:`read_csv` and the byte-range reader of :mod:`newsledger.scale`.
    """
    origin = f"{path}:{first}"
    record = {wanted[k]: row[i] for k, i in columns.items() if k in wanted and i < len(row)}
    size = sum(len(cell.encode("utf-8")) for cell in row)
    if size > max_bytes:
        return InputError(origin, too_large(size, max_bytes, "record"))
    invalid = any(n in bad_lines for n in range(first, last + 1))
    return _record(record, origin, f"{stem}:{first}", published, invalid)


def _check_head(f: BinaryIO, path: str) -> InputError | None:
    """An error if the file looks binary; otherwise rewinds it."""
    reason = records_binary_reason(f.read(SNIFF_BYTES))
    f.seek(0)
    return InputError(path, reason) if reason else None


def skip_line(f: BinaryIO) -> int:
    """Consume the rest of an over-long line without keeping it; return its length."""
    skipped = 0
    while chunk := f.readline(_CHUNK):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _decoded_lines(
    f: BinaryIO, origin: str, mark_bad: Callable[[int], None], mark_nul: Callable[[int], None]
) -> Iterator[str]:
    """Decode line by line, so an invalid-UTF-8 flag (or a NUL byte) lands on the rows that
    contain it."""
    for n, raw in enumerate(f, 1):
        if b"\x00" in raw:
            mark_nul(n)
            raw = raw.replace(b"\x00", b"")
        text, invalid = decode_bytes(raw, origin)
        if invalid:
            mark_bad(n)
        yield text


def _parse_json(
    line: str,
    origin: str,
    default_id: str,
    published: str | None,
    invalid: bool,
    names: Mapping[str, str],
) -> Article | InputError:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as e:
        return InputError(origin, f"not valid JSON: {e.msg} (column {e.colno})")
    except (ValueError, RecursionError) as e:
        return InputError(origin, f"not valid JSON: {e}")
    if not isinstance(value, dict):
        return InputError(origin, f"not a JSON object (got {_json_type(value)})")
    key = names["text"]
    if key not in value or value[key] is None:
        return InputError(origin, f"no {key!r} field")
    if not isinstance(value[key], str):
        return InputError(origin, f"{key!r} is not a string (got {_json_type(value[key])})")
    record = {name: value[column] for name, column in names.items() if column in value}
    if "published" not in record and names["published"] == "published" and DATE_FALLBACK in value:
        record["published"] = value[DATE_FALLBACK]
    return _record(record, origin, default_id, published, invalid)


def _record(
    fields: Mapping[str, object],
    origin: str,
    default_id: str,
    published: str | None,
    invalid: bool,
) -> Article | InputError:
    text = fields.get("text")
    return make_article(
        text if isinstance(text, str) else "",
        origin,
        id=_optional(fields.get("id")) or default_id,
        title=_optional(fields.get("title")),
        published=normalize_date(fields.get("published")) or published,
        url=_optional(fields.get("url")),
        site=_optional(fields.get("site")),
        invalid_utf8=invalid,
    )


def _optional(value: object) -> str | None:
    if value is None:
        return None
    return str(value).strip() or None


def _json_type(value: object) -> str:
    names = {
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)


def no_text_column(header: list[str], column: str) -> str:
    listed = ", ".join(repr(name) for name in header)
    if column == "text":
        fix = "name the article column 'text' or map it with --field text=COLUMN"
    else:
        fix = "fix --field text=COLUMN"
    return f"no {column!r} column (the columns are: {listed}); {fix}"


def raise_field_size_limit() -> None:
    """Let a field be as long as the platform allows (articles can exceed 128 KiB)."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 10
