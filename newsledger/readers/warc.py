"""Web archives (``.warc``, ``.warc.gz``): one article per archived HTML page.

Only ``response`` records with HTTP status 200 and an HTML content type are read; each
goes through the HTML extractor (:mod:`.html`). The article's url is the record's
WARC-Target-URI, its id the WARC-Record-ID, and its date the page's own or else the
WARC-Date. A truncated or corrupt archive yields an error naming the byte offset of the
record where it broke, in plain words (never the parser's own message or the raw bytes);
the records before it are still read. Errors for one record have the origin
``file@OFFSET``.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

import newsledger.readers.html as pages
from newsledger.errors import InputError
from newsledger.model import Article
from newsledger.readers.common import normalize_date, too_large
from newsledger.readers.fetch import HTML_TYPES

_CHUNK = 1 << 16
_SHOWN = 200


def read_warc(path: str, published: str | None, max_bytes: int) -> Iterator[Article | InputError]:
    """Every HTML page archived in ``path``; ``published`` fills in pages without any date."""
    try:
        size = os.stat(path).st_size
        f = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is done
    except OSError as e:
        yield InputError(path, e.strerror or str(e))
        return
    with f:
        records = 0
        pages_found = 0
        end = 0  # where the last complete record ended
        it = ArchiveIterator(f)
        offset = 0
        try:
            for record in it:
                offset = it.offset
                records += 1
                item = _record_article(record, path, offset, published, max_bytes)
                end = it.get_record_offset() + it.get_record_length()
                if problem := _truncation(it, record, f, offset, size):
                    yield InputError(f"{path}@{offset}", _broken(offset, problem))
                    return
                if item is not None:
                    pages_found += 1
                    yield item
        except Exception as e:  # noqa: BLE001 - warcio raises many kinds on damaged input
            where = max(end, offset)
            yield InputError(f"{path}@{where}", _broken(where, what_broke(e)))
            return
        if problem := _trailing_garbage(f, end, size):
            yield InputError(f"{path}@{end}", _broken(end, problem))
            return
    if records == 0:
        yield InputError(path, "no WARC records found (empty, or not a WARC file)")
    elif pages_found == 0:
        yield InputError(path, f"no HTML responses with status 200 among {records} records")


def _record_article(
    record: Any, path: str, offset: int, published: str | None, max_bytes: int
) -> Article | InputError | None:
    """The article of one record, or None when the record is not an HTML 200 response.

    The record's content is always read to its end, so that truncation can be checked.
    """
    stream = record.content_stream()
    if not _is_html_page(record):
        while stream.read(_CHUNK):
            pass
        return None
    data = stream.read(max_bytes + 1)
    url = record.rec_headers.get_header("WARC-Target-URI")
    origin = f"{path}@{offset}"
    shown = shown_url(url)
    if len(data) > max_bytes:
        size = len(data)
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
        return InputError(origin, f"{shown}: {too_large(size, max_bytes, 'page')}")
    record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<> ") or url
    dated = normalize_date(record.rec_headers.get_header("WARC-Date")) or published
    article = pages.page_article(
        data, origin, id=record_id, published=dated, url=url, prefer_page_url=False
    )
    if isinstance(article, InputError) and url:
        return InputError(origin, f"{shown}: {article.reason}")
    return article


def shown_url(url: str | None) -> str:
    """A record's target URI for a message: control characters escaped, at most 200 chars."""
    text = url or ""
    shown = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text[:_SHOWN])
    return shown + ("…" if len(text) > _SHOWN else "")


def what_broke(exc: BaseException) -> str:
    """What went wrong, in plain words, for an exception warcio raised on damaged input."""
    if isinstance(exc, ArchiveLoadFailed):
        return "not a WARC record header"
    if isinstance(exc, zlib.error | EOFError):
        return "damaged gzip data"
    if isinstance(exc, UnicodeError):
        return "a record header that is not text"
    if isinstance(exc, ValueError | KeyError | IndexError):
        return "a malformed record header"
    return f"an unreadable record ({type(exc).__name__})"


def _is_html_page(record: Any) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    if record.http_headers.get_statuscode() != "200":
        return False
    content_type = record.http_headers.get_header("Content-Type") or ""
    return content_type.split(";")[0].strip().lower() in HTML_TYPES


def _truncation(it: ArchiveIterator, record: Any, f: Any, offset: int, size: int) -> str | None:
    """Why the record just read is incomplete, if it is (warcio itself does not say)."""
    if record.raw_stream.limit > 0:
        return "the file ends inside this record"
    decompressor = it.reader.decompressor if it.reader is not None else None
    if decompressor is not None:
        if not getattr(decompressor, "eof", True):
            return "the file ends inside this record's gzip member"
        return None
    # Uncompressed: the header block and Content-Length must fit in the file.
    head = os.pread(f.fileno(), _CHUNK, offset)
    header_end = head.find(b"\r\n\r\n")
    length = record.rec_headers.get_header("Content-Length") or ""
    if header_end < 0 or not length.strip().isdigit():
        return "no complete WARC header block"
    if offset + header_end + 4 + int(length) > size:
        return "the file ends inside this record"
    return None


def _trailing_garbage(f: Any, end: int, size: int) -> str | None:
    """Why the bytes after the last complete record are not just padding, if they are not."""
    if end >= size:
        return None
    f.seek(end)
    rest = f.read(_CHUNK)
    if rest.strip() or size - end > _CHUNK:
        return f"{size - end:,} bytes after the last complete record are not a whole record"
    return None


def _broken(offset: int, detail: str) -> str:
    return f"truncated or corrupt WARC at byte offset {offset:,} ({detail})"
