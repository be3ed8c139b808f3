"""Input readers: turn paths (files, directories, URLs, ``-`` for stdin) into articles.

:func:`iter_articles` yields :class:`~newsledger.model.Article` or
:class:`~newsledger.errors.InputError` in input order and never raises for bad
input, so a batch goes on with the rest: an unexpected exception inside a reader becomes an
error for the input it was reading, and the next input is read. Names that are not valid
UTF-8 (file names with undecodable bytes) have U+FFFD in place of the bad bytes and the
article is flagged :data:`INVALID_NAME`. One module per format (:mod:`.text`,
:mod:`.tabular`, :mod:`.html`, :mod:`.warc`, :mod:`.feeds`) plus :mod:`.fetch` for
URLs; they share the decoding and validation helpers of :mod:`.common`, re-exported here.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, TextIO

from newsledger.errors import InputError
from newsledger.model import Article
from newsledger.readers import feeds, fetch, html, tabular, text, warc
from newsledger.readers.common import (
    EXTENSIONS,
    FORMATS,
    INVALID_NAME,
    INVALID_UTF8,
    MAX_BYTES,
    SNIFF_BYTES,
    binary_reason,
    decode_bytes,
    describe_exception,
    has_surrogates,
    make_article,
    normalize_date,
    read_limited,
    records_binary_reason,
    too_large,
    without_surrogates,
)

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "INVALID_NAME",
    "INVALID_UTF8",
    "MAX_BYTES",
    "SNIFF_BYTES",
    "binary_reason",
    "clean_names",
    "decode_bytes",
    "describe_exception",
    "file_format",
    "is_url",
    "iter_articles",
    "make_article",
    "normalize_date",
    "read_limited",
    "records_binary_reason",
    "too_large",
    "unique_id",
    "walk",
    "without_surrogates",
]


def iter_articles(
    paths: Sequence[str],
    *,
    published: str | None = None,
    stdin: TextIO | BinaryIO | None = None,
    max_bytes: int = MAX_BYTES,
    format: str | None = None,
    fields: Mapping[str, str] | None = None,
    allow_private: bool = False,
    fetch_timeout: float = 10.0,
    fetch_links: bool | None = None,
) -> Iterator[Article | InputError]:
    """Yield every article (or input error) from ``paths``, in order.

    ``-`` reads one article from ``stdin`` (default ``sys.stdin.buffer``); ``http(s)://``
    inputs are fetched (:mod:`.fetch`): an HTML page is one article, a feed one per entry.
    Files are read by extension: ``.jsonl``/``.ndjson`` and ``.csv`` hold one article per
    record, ``.html``/``.htm`` one page, ``.warc``/``.warc.gz`` one per HTML response,
    ``.rss``/``.atom`` (and ``.xml`` that looks like a feed) one per entry; any other file
    is one text article. ``format`` (one of :data:`FORMATS`) forces a reader instead.
    Directories are walked recursively in sorted order, taking only files with the
    :data:`EXTENSIONS`. ``published`` fills in records without a (parseable) date of
    their own. ``fields`` renames record fields for JSONL/CSV (``{"text": "body"}``).
    ``allow_private`` lets fetches reach private, loopback and other non-public addresses;
    ``fetch_timeout`` is the connect and read timeout in seconds. ``fetch_links`` makes feed
    entries be fetched from their links (default: yes for feed URLs, no for feed files).

    Raises ``ValueError`` for an unknown ``format`` or ``fields`` name (a caller's mistake,
    not bad input).
    """
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown input format {format!r} (expected one of {', '.join(FORMATS)})")
    names = tabular.field_names(fields)
    options = fetch.FetchOptions(
        timeout=fetch_timeout, max_bytes=max_bytes, allow_private=allow_private
    )
    ctx = _Context(normalize_date(published), max_bytes, format, names, options, fetch_links)
    for path in paths:
        yield from _guarded(_read_path(path, ctx, stdin), path)


def _read_path(
    path: str, ctx: _Context, stdin: TextIO | BinaryIO | None
) -> Iterator[Article | InputError]:
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield text.read_stream(stream, "-", "stdin", ctx.published, ctx.max_bytes)
    elif is_url(path):
        links = True if ctx.fetch_links is None else ctx.fetch_links
        yield from feeds.read_url(path, ctx.published, ctx.fetch, links)
    elif os.path.isdir(path):
        found = False
        for item in walk(path):
            found = True
            if isinstance(item, InputError):
                yield item
            else:
                yield from _guarded(_read_file(item, ctx), item)
        if not found:
            listed = ", ".join(EXTENSIONS[:-2]) + f", {EXTENSIONS[-2]} or feed .xml"
            yield InputError(path, f"directory has no {listed} files")
    elif not os.path.lexists(path):
        yield InputError(path, "no such file or directory")
    else:
        yield from _read_file(path, ctx)


def _guarded(items: Iterator[Article | InputError], path: str) -> Iterator[Article | InputError]:
    """The items of one input with clean names; an exception from its reader becomes a last
    error for it (the input's remaining records are lost, the next inputs are read)."""
    last: str | None = None
    try:
        for item in items:
            last = item.origin
            yield clean_names(item)
    except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the batch
        where = without_surrogates(path)
        after = f" (after {last})" if last and last != where else ""
        yield InputError(where, f"could not be read{after}: {describe_exception(exc)}")


def clean_names(item: Article | InputError) -> Article | InputError:
    """``item`` with lone surrogates in its origin and id (from a file name that is not
    UTF-8) replaced by U+FFFD; such an article is flagged :data:`INVALID_NAME`."""
    if isinstance(item, InputError):
        if has_surrogates(item.origin) or has_surrogates(item.reason):
            return InputError(without_surrogates(item.origin), without_surrogates(item.reason))
        return item
    names = [item.origin or "", item.id or ""]
    if not any(has_surrogates(n) for n in names):
        return item
    return dataclasses.replace(
        item,
        origin=None if item.origin is None else without_surrogates(item.origin),
        id=None if item.id is None else without_surrogates(item.id),
        flags=(*item.flags, INVALID_NAME) if INVALID_NAME not in item.flags else item.flags,
    )


def is_url(path: str) -> bool:
    return path.lower().startswith(("http://", "https://"))


def file_format(path: str) -> str:
    """The reader for ``path`` by its extension (and, for ``.xml``, its first bytes)."""
    name = path.lower()
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith((".html", ".htm")):
        return "html"
    if name.endswith((".warc", ".warc.gz")):
        return "warc"
    if name.endswith((".rss", ".atom")):
        return "rss"
    if name.endswith(".xml"):
        return "rss" if feeds.looks_like_feed_file(path) else "xml"
    return "text"


@dataclass(frozen=True, slots=True)
class _Context:
    published: str | None
    max_bytes: int
    format: str | None
    fields: Mapping[str, str]
    fetch: fetch.FetchOptions
    fetch_links: bool | None
    used_ids: set[str] = field(default_factory=set)


def _read_file(path: str, ctx: _Context) -> Iterator[Article | InputError]:
    kind = ctx.format or file_format(path)
    if kind == "jsonl":
        yield from tabular.read_jsonl(path, ctx.published, ctx.max_bytes, ctx.fields)
    elif kind == "csv":
        yield from tabular.read_csv(path, ctx.published, ctx.max_bytes, ctx.fields)
    elif kind == "html":
        yield html.read_file(path, unique_id(path, ctx.used_ids), ctx.published, ctx.max_bytes)
    elif kind == "warc":
        yield from warc.read_warc(path, ctx.published, ctx.max_bytes)
    elif kind == "rss":
        yield from feeds.read_feed_file(path, ctx.published, ctx.fetch, bool(ctx.fetch_links))
    elif kind == "xml":
        yield InputError(path, "XML file is not an RSS or Atom feed")
    else:
        yield text.read_file(path, unique_id(path, ctx.used_ids), ctx.published, ctx.max_bytes)


def unique_id(path: str, used: set[str]) -> str:
    """The path without its extension; the full path, then a ``#n`` suffix, if taken."""
    candidates = [os.path.splitext(path)[0], path]
    n = 2
    while candidates[-1] in used:
        candidates.append(f"{path}#{n}")
        n += 1
    chosen = next(c for c in candidates if c not in used)
    used.add(chosen)
    return chosen


def walk(root: str) -> Iterator[str | InputError]:
    """Files under ``root`` with a known extension, depth first, sorted by name; skips hidden.

    ``.xml`` files are taken only when they look like a feed (sitemaps and the like are not).
    """
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
            yield from walk(entry.path)
        elif entry.is_file() and entry.name.lower().endswith(EXTENSIONS):
            if entry.name.lower().endswith(".xml") and not feeds.looks_like_feed_file(entry.path):
                continue
            yield entry.path
