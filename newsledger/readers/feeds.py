"""RSS and Atom feeds (files and fetched feed URLs): one article per entry.

An entry's text is its ``content`` (or else its ``summary``) with the HTML stripped; with
``fetch_links`` the page at the entry's link is fetched instead and its main text extracted.
Title, date, link and the feed's title (as the site) come from the feed. The feed is
parsed from bytes only, so feedparser itself never opens a file or a URL.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import feedparser

import newsledger.readers.fetch as fetching
import newsledger.readers.html as pages
from newsledger.errors import InputError
from newsledger.model import Article
from newsledger.readers.common import (
    binary_reason,
    describe_exception,
    looks_like_feed,
    make_article,
    read_limited,
)


def read_url(
    url: str, published: str | None, options: fetching.FetchOptions, fetch_links: bool = True
) -> Iterator[Article | InputError]:
    """The article at ``url``, or one article per entry when it is a feed."""
    try:
        page = fetching.fetch(url, options)
    except fetching.FetchError as e:
        yield InputError(url, str(e))
        return
    if page.is_feed:
        yield from read_feed_bytes(page.body, url, published, options, fetch_links)
    else:
        yield pages.page_article(page.text(), url, id=None, published=published, url=page.url)


def looks_like_feed_file(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return looks_like_feed(f.read(4096))
    except OSError:
        return False


def read_feed_file(
    path: str, published: str | None, options: fetching.FetchOptions, fetch_links: bool = False
) -> Iterator[Article | InputError]:
    """Every entry of the feed file at ``path``."""
    data = read_limited(path, options.max_bytes)
    if isinstance(data, InputError):
        yield data
        return
    yield from read_feed_bytes(data, path, published, options, fetch_links, Path(path).stem)


def read_feed_bytes(
    data: bytes,
    source: str,
    published: str | None,
    options: fetching.FetchOptions,
    fetch_links: bool = False,
    stem: str | None = None,
) -> Iterator[Article | InputError]:
    """Every entry of the feed document ``data``, read from ``source`` (a path or URL)."""
    feed = parse_feed(data, source)
    if isinstance(feed, InputError):
        yield feed
        return
    for entry in feed.entries:
        yield feed.read(entry, published, options, fetch_links, stem)


@dataclasses.dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a parsed feed: its place (1-based), the key it is known by across
    fetches of the feed (:func:`entry_key`) and feedparser's record of it."""

    n: int
    key: str
    data: Mapping[str, Any]


@dataclasses.dataclass(frozen=True, slots=True)
class Feed:
    """A parsed feed document: where it was read from, its title, its entries in order."""

    source: str
    site: str | None
    entries: list[FeedEntry]

    def read(
        self,
        entry: FeedEntry,
        published: str | None,
        options: fetching.FetchOptions,
        fetch_links: bool = False,
        stem: str | None = None,
    ) -> Article | InputError:
        """The article of one entry (its page fetched with ``fetch_links``), or the error."""
        origin = f"{self.source}#{entry.n}"
        default_id = f"{stem or self.source}#{entry.n}"
        try:
            if fetch_links:
                return _fetched_entry(entry.data, origin, default_id, self.site, published, options)
            return _entry_article(entry.data, origin, default_id, self.site, published)
        except Exception as e:  # noqa: BLE001 - one entry must not stop the feed
            return InputError(origin, f"could not read the entry: {describe_exception(e)}")


def parse_feed(data: bytes, source: str) -> Feed | InputError:
    """The feed document ``data`` (read from ``source``) parsed, or why it is not a feed with
    entries."""
    if reason := binary_reason(data):
        return InputError(source, reason)
    try:
        parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=True)
    except Exception as e:  # noqa: BLE001 - feedparser fails on some hostile documents
        return InputError(
            source, f"not a valid RSS or Atom feed (the parser failed: {type(e).__name__})"
        )
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            return InputError(source, f"not a valid RSS or Atom feed ({problem})")
        return InputError(source, "feed has no entries")
    site = _text(parsed.get("feed", {}).get("title"))
    return Feed(source, site, [FeedEntry(n, entry_key(e), e) for n, e in enumerate(entries, 1)])


def entry_key(entry: Mapping[str, Any]) -> str:
    """What identifies a feed entry from one fetch of the feed to the next: its id (guid),
    else its link, else a hash of its title, date and text."""
    for field in ("id", "link"):
        value = _text(entry.get(field))
        if value:
            return f"{field}:{value}"
    parts = [
        _text(entry.get("title")) or "",
        _text(entry.get("published")) or _text(entry.get("updated")) or "",
        _text(entry.get("summary")) or "",
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()
    return f"sha256:{digest}"


def _entry_article(
    entry: Mapping[str, Any], origin: str, default_id: str, site: str | None, fallback: str | None
) -> Article | InputError:
    body = _entry_body(entry)
    if not body.strip():
        return InputError(origin, "feed entry has no content or summary text")
    return make_article(
        body,
        origin,
        id=_text(entry.get("id")) or _text(entry.get("link")) or default_id,
        title=_text(entry.get("title")),
        published=_entry_date(entry) or fallback,
        url=_text(entry.get("link")),
        site=site,
    )


def _fetched_entry(
    entry: Mapping[str, Any],
    origin: str,
    default_id: str,
    site: str | None,
    fallback: str | None,
    options: fetching.FetchOptions,
) -> Article | InputError:
    link = _text(entry.get("link"))
    if not link:
        return InputError(origin, "feed entry has no link to fetch")
    try:
        page = fetching.fetch(link, options, accept_feeds=False)
    except fetching.FetchError as e:
        return InputError(f"{origin} ({link})", str(e))
    dated = _entry_date(entry) or fallback
    article = pages.page_article(page.text(), link, id=None, published=dated, url=page.url)
    if isinstance(article, InputError):
        return InputError(f"{origin} ({link})", article.reason)
    return dataclasses.replace(
        article,
        id=_text(entry.get("id")) or article.id or default_id,
        title=_text(entry.get("title")) or article.title,
        published=_entry_date(entry) or article.published,
        site=article.site or site,
        origin=origin,
    )


def _entry_body(entry: Mapping[str, Any]) -> str:
    """The longest ``content`` value, else the summary, as plain text."""
    candidates = [c for c in entry.get("content") or [] if isinstance(c, Mapping)]
    best = max(candidates, key=lambda c: len(c.get("value") or ""), default=None)
    if best is not None and (best.get("value") or "").strip():
        value, kind = best.get("value") or "", best.get("type") or ""
    else:
        detail = entry.get("summary_detail") or {}
        value, kind = entry.get("summary") or "", detail.get("type") or "text/html"
    if kind == "text/plain":
        return "\n".join(line.strip() for line in value.splitlines() if line.strip())
    return pages.fragment_text(value)


def _entry_date(entry: Mapping[str, Any]) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return time.strftime("%Y-%m-%d", value)  # feedparser gives UTC
    return None


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
