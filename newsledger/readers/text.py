"""Plain-text inputs: one file (or stdin) is one article."""

from __future__ import annotations

from typing import BinaryIO, TextIO

from newsledger.errors import InputError
from newsledger.model import Article
from newsledger.readers.common import (
    binary_reason,
    decode_bytes,
    make_article,
    read_limited,
    too_large,
)

_CHUNK = 1 << 20


def read_file(path: str, id: str, published: str | None, max_bytes: int) -> Article | InputError:
    """Read ``path`` as one UTF-8 article; the size is checked before reading."""
    data = read_limited(path, max_bytes)
    if isinstance(data, InputError):
        return data
    return _article(data, path, id, published)


def read_stream(
    stream: TextIO | BinaryIO, origin: str, id: str, published: str | None, max_bytes: int
) -> Article | InputError:
    """Read one article from a byte (or text) stream, keeping at most ``max_bytes`` in memory."""
    kept: list[bytes] = []
    size = 0
    try:
        while chunk := stream.read(_CHUNK):
            data = _as_bytes(chunk)
            if size + len(data) <= max_bytes:
                kept.append(data)
            else:
                kept.clear()  # too large: count the rest without keeping it
            size += len(data)
    except OSError as e:
        return InputError(origin, e.strerror or str(e))
    if size > max_bytes:
        return InputError(origin, too_large(size, max_bytes, "input"))
    return _article(b"".join(kept), origin, id, published)


def _as_bytes(chunk: str | bytes) -> bytes:
    if isinstance(chunk, bytes):
        return chunk
    try:  # undo a surrogateescape decoding, so invalid bytes are flagged as usual
        return chunk.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return chunk.encode("utf-8", "replace")


def _article(data: bytes, origin: str, id: str, published: str | None) -> Article | InputError:
    reason = binary_reason(data)
    if reason:
        return InputError(origin, reason)
    text, invalid = decode_bytes(data, origin)
    return make_article(text, origin, id=id, published=published, invalid_utf8=invalid)
