"""Helpers every reader shares: decoding, validation, limits, dates, building an Article."""

from __future__ import annotations

import os
import re
from datetime import datetime

from newsledger.errors import InputError
from newsledger.model import Article

#: Extensions a directory walk picks up (any other single file is read as text); ``.xml``
#: files are taken only when they look like an RSS or Atom feed.
EXTENSIONS = (
    ".txt",
    ".jsonl",
    ".ndjson",
    ".csv",
    ".html",
    ".htm",
    ".warc",
    ".warc.gz",
    ".rss",
    ".atom",
    ".xml",
)
#: Reader names for ``format=`` (``--input-format``), overriding the extension.
FORMATS = ("text", "html", "jsonl", "csv", "warc", "rss")
#: The largest article accepted by default, in bytes.
MAX_BYTES = 10_000_000
#: The flag set on an article whose bytes were not valid UTF-8.
INVALID_UTF8 = "invalid_utf8"
#: The flag set on an article whose name (file name, id, origin) was not valid UTF-8.
INVALID_NAME = "invalid_utf8_name"

SNIFF_BYTES = 8192
_BOM = b"\xef\xbb\xbf"
# Control bytes that never occur in text (tab, LF, FF, CR, ESC and backspace do).
_CONTROL = frozenset(range(32)) - {8, 9, 10, 12, 13, 27} | {127}
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Lone surrogates: undecodable bytes of a file name (surrogateescape) or "\udcff" in JSON.
_SURROGATE = re.compile("[\ud800-\udfff]")
_SHOWN_CHARS = 200


def has_surrogates(value: str) -> bool:
    return _SURROGATE.search(value) is not None


def without_surrogates(value: str) -> str:
    """``value`` with each lone surrogate replaced by U+FFFD (same length, so offsets hold):
    what can be stored in SQLite and written as UTF-8."""
    return _SURROGATE.sub("\ufffd", value) if has_surrogates(value) else value


def describe_exception(exc: BaseException) -> str:
    """``Type: message`` of an unexpected exception for a one-line report: the message
    shortened, control characters and raw bytes escaped."""
    message = str(exc)
    if len(message) > _SHOWN_CHARS:
        message = message[:_SHOWN_CHARS] + "…"
    shown = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in message)
    return f"{type(exc).__name__}: {without_surrogates(shown)}" if shown else type(exc).__name__


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


def records_binary_reason(head: bytes) -> str | None:
    """Why the first bytes of a record file (JSONL, CSV) say the whole file is binary, or None.

    Stricter than :func:`binary_reason`: a NUL byte alone does not reject the file (the
    line holding it is an error of its own); NUL bytes together with undecodable bytes or
    many control bytes do.
    """
    head = head[:SNIFF_BYTES]
    if b"\x00" not in head:
        return binary_reason(head)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return binary_reason(head)
    undecodable = head[:-4].decode("utf-8", "replace").count("\ufffd")  # a cut-off last char
    control = sum(1 for b in head if b in _CONTROL)
    if undecodable > len(head) // 100 or control / len(head) > 0.30:
        return "looks like a binary file (contains NUL bytes), not text"
    return None


def too_large(size: int, max_bytes: int, what: str = "file") -> str:
    return (
        f"{what} is too large ({size:,} bytes; the limit is {max_bytes:,} bytes); "
        "raise the limit with --max-bytes"
    )


def read_limited(path: str, max_bytes: int) -> bytes | InputError:
    """The bytes of the file at ``path``, or the error when it is unreadable or too large.

    The size is checked before reading, and again after, as the file may have grown since.
    """
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            return InputError(path, too_large(size, max_bytes))
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        return InputError(path, e.strerror or str(e))
    if len(data) > max_bytes:
        return InputError(path, too_large(len(data), max_bytes))
    return data


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
    site: str | None = None,
    invalid_utf8: bool = False,
) -> Article | InputError:
    """Build an article, or the error for an empty one. ``published`` must be normalised.

    Lone surrogates (undecodable bytes) in the text or the fields become U+FFFD and flag the
    article (:data:`INVALID_UTF8` for the text and fields, :data:`INVALID_NAME` for the
    origin and id), so it can be stored and printed as UTF-8.
    """
    if not text.strip():
        return InputError(without_surrogates(origin), "empty article")
    if has_surrogates(text):
        text, invalid_utf8 = without_surrogates(text), True
    fields = [title, url, site]
    if any(f is not None and has_surrogates(f) for f in fields):
        title, url, site = (None if f is None else without_surrogates(f) for f in fields)
        invalid_utf8 = True
    bad_name = has_surrogates(origin) or (id is not None and has_surrogates(id))
    flags = ((INVALID_UTF8,) if invalid_utf8 else ()) + ((INVALID_NAME,) if bad_name else ())
    return Article(
        text=text,
        id=None if id is None else without_surrogates(id),
        title=title,
        published=published,
        url=url,
        site=site,
        origin=without_surrogates(origin),
        flags=flags,
    )


FEED_ROOT = re.compile(rb"<(?:[a-z0-9]+:)?(?:rss|feed|rdf)[\s>/]")


def looks_like_feed(head: bytes) -> bool:
    """Whether the first bytes of a document look like an RSS, RDF or Atom feed."""
    head = head[:4096].lower()
    return b"<html" not in head and FEED_ROOT.search(head) is not None
