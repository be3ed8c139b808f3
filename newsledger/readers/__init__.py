"""Input readers: turn paths (files, directories, ``-`` for stdin) into articles.

:func:`iter_articles` yields :class:`~newsledger.model.Article` or
:class:`~newsledger.errors.InputError` in input order and never raises for bad
input, so a batch goes on with the rest. The format modules (:mod:`.text`,
:mod:`.tabular`) share the decoding and validation helpers defined here.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import BinaryIO, TextIO

from newsledger.errors import InputError
from newsledger.model import Article

__all__ = [
    "EXTENSIONS",
    "INVALID_UTF8",
    "decode_bytes",
    "iter_articles",
    "normalize_date",
]

#: Extensions a directory walk picks up (any other single file is read as text).
EXTENSIONS = (".txt", ".jsonl", ".ndjson", ".csv")
#: The flag set on an article whose bytes were not valid UTF-8.
INVALID_UTF8 = "invalid_utf8"

SNIFF_BYTES = 8192
_BOM = b"\xef\xbb\xbf"
# Control bytes that never occur in text (tab, LF, FF, CR, ESC and backspace do).
_CONTROL = frozenset(range(32)) - {8, 9, 10, 12, 13, 27} | {127}
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def decode_bytes(data: bytes, origin: str) -> tuple[str, bool]:
    """Decode UTF-8 (dropping a BOM); return (text, had_invalid_utf8).

    Invalid sequences become U+FFFD instead of failing; the caller records the flag.
    ``origin`` names the input; it is not needed today, as decoding cannot fail.
    """
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), True


def binary_reason(head: bytes) -> str | None:
    """Why ``head`` (the first bytes of an input) looks binary, or None if it looks like text."""
    head = head[:SNIFF_BYTES]
    if not head:
        return None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "looks like a binary file (UTF-16 byte order mark), not text; re-save it as UTF-8"
    if b"\x00" in head:
        return "looks like a binary file (contains NUL bytes), not text"
    control = sum(1 for b in head if b in _CONTROL)
    if control / len(head) > 0.30:
        share = round(100 * control / len(head))
        return f"looks like a binary file ({share}% control bytes), not text"
    return None


def too_large(size: int, max_bytes: int, what: str = "file") -> str:
    return (
        f"{what} is too large ({size:,} bytes; the limit is {max_bytes:,} bytes); "
        "raise the limit with --max-bytes"
    )


def normalize_date(value: object) -> str | None:
    """``YYYY-MM-DD`` from a date or ISO datetime string; None when absent or unparseable."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not _DATE_RE.match(value):
        return None
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        return None


def make_article(
    text: str,
    origin: str,
    *,
    id: str | None,
    title: str | None = None,
    published: str | None = None,
    url: str | None = None,
    invalid_utf8: bool = False,
) -> Article | InputError:
    """Build an article, or the error for an empty one. ``published`` must be normalised."""
    if not text.strip():
        return InputError(origin, "empty article")
    return Article(
        text=text,
        id=id,
        title=title,
        published=published,
        url=url,
        origin=origin,
        flags=(INVALID_UTF8,) if invalid_utf8 else (),
    )


def iter_articles(
    paths: Sequence[str],
    *,
    published: str | None = None,
    stdin: TextIO | BinaryIO | None = None,
    max_bytes: int = 10_000_000,
) -> Iterator[Article | InputError]:
    """Yield every article (or input error) from ``paths``, in order.

    ``-`` reads one article from ``stdin`` (default ``sys.stdin.buffer``). ``.jsonl``,
    ``.ndjson`` and ``.csv`` files hold one article per record; any other file is one
    text article. Directories are walked recursively in sorted order, taking only
    files with the :data:`EXTENSIONS`. ``published`` fills in records without a
    (parseable) date of their own.
    """
    default_date = normalize_date(published)
    used_ids: set[str] = set()
    for path in paths:
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield text.read_stream(stream, "-", "stdin", default_date, max_bytes)
        elif os.path.isdir(path):
            found = False
            for item in _walk(path):
                found = True
                if isinstance(item, InputError):
                    yield item
                else:
                    yield from _read_file(item, default_date, max_bytes, used_ids)
            if not found:
                yield InputError(path, "directory has no .txt, .jsonl, .ndjson or .csv files")
        elif not os.path.lexists(path):
            yield InputError(path, "no such file or directory")
        else:
            yield from _read_file(path, default_date, max_bytes, used_ids)


def _read_file(
    path: str, published: str | None, max_bytes: int, used_ids: set[str]
) -> Iterator[Article | InputError]:
    ext = os.path.splitext(path)[1].lower()
    if ext in (".jsonl", ".ndjson"):
        yield from tabular.read_jsonl(path, published, max_bytes)
    elif ext == ".csv":
        yield from tabular.read_csv(path, published, max_bytes)
    else:
        yield text.read_file(path, _unique_id(path, used_ids), published, max_bytes)


def _unique_id(path: str, used: set[str]) -> str:
    """The path without its extension; the full path, then a ``#n`` suffix, if taken."""
    candidates = [os.path.splitext(path)[0], path]
    n = 2
    while candidates[-1] in used:
        candidates.append(f"{path}#{n}")
        n += 1
    chosen = next(c for c in candidates if c not in used)
    used.add(chosen)
    return chosen


def _walk(root: str) -> Iterator[str | InputError]:
    """Files under ``root`` with a known extension, depth first, sorted by name; skips hidden."""
    try:
        with os.scandir(root) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        yield InputError(root, e.strerror or str(e))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path)
        elif entry.is_file() and os.path.splitext(entry.name)[1].lower() in EXTENSIONS:
            yield entry.path


# The format modules import the helpers above, so they come last.
from newsledger.readers import tabular, text  # noqa: E402
