"""What each page and API endpoint shows, as plain data (the ``.json`` twins serve it as is).

Queries come from :mod:`newsledger.ledger.query`; this module adds paging, filter parsing and
the shapes the pages need.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from newsledger.ledger import query
from newsledger.ledger.claims import claim_detail, list_claims
from newsledger.ledger.conflicts import read_conflicts
from newsledger.ledger.store import Ledger
from newsledger.model import ATTRIBUTION_KINDS, Analysis
from newsledger.records import INDEPENDENCE, AttributionRow, Claim, Conflict
from newsledger.web.render import MARK_CLOSE, MARK_OPEN, snippet_plain

MAX_LIMIT = 100
MAX_PAGE = 10_000
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
#: longest search text accepted (longer is cut): FTS5 cost grows with the number of words
MAX_QUERY_CHARS = 500


@dataclass(frozen=True, slots=True)
class Paging:
    page: int = 1
    limit: int = 20

    @classmethod
    def parse(cls, page: Any, limit: Any, default: int = 20) -> Paging:
        """Lenient: bad or missing values fall back to defaults; both are capped."""
        return cls(bounded_int(page, 1, 1, MAX_PAGE), bounded_int(limit, default, 1, MAX_LIMIT))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    def cut(self, rows: list[Any]) -> tuple[list[Any], bool]:
        """Rows fetched with ``limit + 1``: the page and whether a next page exists."""
        return rows[: self.limit], len(rows) > self.limit

    def fetch(
        self, rows: Callable[..., list[Any]], *args: Any, **kwargs: Any
    ) -> tuple[list[Any], bool]:
        """``rows(*args, **kwargs)`` for this page: the page and whether a next page exists."""
        return self.cut(rows(*args, **kwargs, limit=self.limit + 1, offset=self.offset))

    def info(self, more: bool) -> dict[str, Any]:
        return {
            "page": self.page,
            "limit": self.limit,
            "next_page": self.page + 1 if more else None,
        }


def bounded_int(value: Any, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))


@dataclass(frozen=True, slots=True)
class Filters:
    source: str | None = None
    kind: str | None = None
    since: str | None = None
    until: str | None = None
    site: str | None = None

    @classmethod
    def parse(cls, params: dict[str, Any]) -> tuple[Filters, list[str]]:
        """Filters from query parameters; invalid values are dropped with a note each."""
        notes: list[str] = []

        def text(name: str) -> str | None:
            value = params.get(name)
            return value.strip()[:200] or None if isinstance(value, str) else None

        kind = text("kind")
        if kind and kind not in ATTRIBUTION_KINDS:
            notes.append(f"kind={kind!r} ignored: not one of {', '.join(ATTRIBUTION_KINDS)}")
            kind = None
        dates = {}
        for name in ("since", "until"):
            value = text(name)
            if value and not DATE.match(value):
                notes.append(f"{name}={value!r} ignored: expected YYYY, YYYY-MM or YYYY-MM-DD")
                value = None
            dates[name] = value
        until = dates["until"]
        if until and len(until) < 10:
            until += "-99"  # "2025-04" takes every day of April
        return cls(text("source"), kind, dates["since"], until, text("site")), notes

    def as_dict(self) -> dict[str, str | None]:
        return {
            "source": self.source,
            "kind": self.kind,
            "since": self.since,
            "until": self.until,
            "site": self.site,
        }


class _Reader(Ledger):
    """A :class:`Ledger` over an existing (read-only, time-limited) connection."""

    def __init__(self, con: sqlite3.Connection) -> None:  # noqa: D107 - no migration here
        self.path = ""
        self.readonly = True
        self.con = con


def attribution_records(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Attribution rows of the ledger's queries in their one public shape, that of
    :class:`~newsledger.records.AttributionRow` (the REST API, the pages' ``.json`` twins and
    the CLI's ``--format json`` serialize them through it); keys outside it are left out."""
    return [AttributionRow.from_row(dict(r)).to_dict() for r in rows]


def attribution_page(rows: Callable[..., list[Any]]) -> Callable[..., list[dict[str, Any]]]:
    """``rows`` (a query giving attribution rows) giving :func:`attribution_records`."""
    return lambda *args, **kwargs: attribution_records(rows(*args, **kwargs))


def get_analysis(con: sqlite3.Connection, article_id: str) -> Analysis | None:
    return _Reader(con).get(article_id)


# ------------------------------------------------------------------ pages' data
def overview(con: sqlite3.Connection) -> dict[str, Any]:
    return {
        "counts": query.counts(con),
        "top_sources": sources(con, limit=15),
        "latest_articles": query.articles(con, limit=15),
        "outlets": query.sites(con, limit=15),
    }


def search(con: sqlite3.Connection, q: str, filters: Filters, paging: Paging) -> dict[str, Any]:
    q = q[:MAX_QUERY_CHARS]
    words = query.fts_query(q) is not None
    marks = (MARK_OPEN, MARK_CLOSE)
    found: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    more = False
    if words:
        found, more = paging.fetch(
            attribution_page(query.search_attributions), con, q, **filters.as_dict(), mark=marks
        )
        if not (filters.source or filters.kind):
            articles, more_articles = paging.fetch(
                query.search_articles,
                con,
                q,
                since=filters.since,
                until=filters.until,
                site=filters.site,
                mark=marks,
            )
            more = more or more_articles
    return {
        "q": q,
        "filters": filters.as_dict(),
        "attributions": found,
        "articles": articles,
        **paging.info(more),
    }


def plain_snippets(data: dict[str, Any]) -> dict[str, Any]:
    """The search data with snippets marked ``[`` ``]`` (for JSON)."""
    out = dict(data)
    for key in ("attributions", "articles"):
        out[key] = [{**r, "snippet": snippet_plain(r.get("snippet"))} for r in data[key]]
    return out


def sources(con: sqlite3.Connection, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """Sources by number of attributions (:func:`newsledger.ledger.query.sources`), as plain
    data."""
    return [s.to_dict() for s in query.sources(con, limit=limit, offset=offset)]


def relays(
    con: sqlite3.Connection, source: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Relay links (:func:`newsledger.ledger.query.relays`), as plain data."""
    return [r.to_dict() for r in query.relays(con, source=source, limit=limit)]


def source(con: sqlite3.Connection, name: str, paging: Paging) -> dict[str, Any]:
    rows, more = paging.fetch(attribution_page(query.said), con, name)
    return {
        "name": name,
        "names": query.names_for(con, name),
        "timeline": [d.to_dict() for d in query.source_timeline(con, name)],
        "outlets": [o.to_dict() for o in query.source_outlets(con, name)],
        "relays": relays(con, source=name, limit=50),
        "attributions": rows,
        **paging.info(more),
    }


# ------------------------------------------------------------------ claims and conflicts
#: members listed per claim on the claims page (the JSON has them all)
SHOWN_MEMBERS = 12


@dataclass(frozen=True, slots=True)
class ClaimFilters:
    about: str | None = None
    independence: str | None = None
    min_articles: int = 1
    claim: int | None = None

    @classmethod
    def parse(cls, params: dict[str, Any]) -> tuple[ClaimFilters, list[str]]:
        """Filters of the claims page; invalid values are dropped with a note each."""
        notes: list[str] = []
        about = params.get("about")
        about = about.strip()[:MAX_QUERY_CHARS] or None if isinstance(about, str) else None
        independence = params.get("independence") or None
        if independence is not None and independence not in INDEPENDENCE:
            notes.append(
                f"independence={independence!r} ignored: not one of {', '.join(INDEPENDENCE)}"
            )
            independence = None
        raw = params.get("min_articles")
        min_articles = 1
        if raw not in (None, ""):
            try:
                min_articles = max(1, min(10_000, int(raw)))
            except (TypeError, ValueError):
                notes.append(f"min_articles={raw!r} ignored: not a whole number")
        claim = None
        raw = params.get("claim")
        if raw not in (None, ""):
            try:
                claim = int(raw)
            except (TypeError, ValueError):
                claim = None
            if claim is None or not 0 < claim < 2**63:
                notes.append(f"claim={raw!r} ignored: not a claim id")
                claim = None
        return cls(about, independence, min_articles, claim), notes

    def as_dict(self) -> dict[str, Any]:
        return {
            "about": self.about,
            "independence": self.independence,
            "min_articles": self.min_articles,
            "claim": self.claim,
        }


def claims(con: sqlite3.Connection, filters: ClaimFilters, paging: Paging) -> dict[str, Any]:
    """One page of claim clusters (:func:`newsledger.ledger.claims.list_claims`), each with
    its members: source, chain, origin, article, date, figure; with ``claim``, that one claim
    only (:func:`~newsledger.ledger.claims.claim_detail`)."""
    available = query.table_exists(con, "claims")
    rows: list[Claim] = []
    more = False
    if available and filters.claim is not None:
        found = claim_detail(con, filters.claim) if paging.page == 1 else None
        rows = [found] if found is not None else []
    elif available:
        wanted = {k: v for k, v in filters.as_dict().items() if k != "claim"}
        rows, more = paging.fetch(list_claims, con, **wanted)
    return {
        "available": available,
        "filters": filters.as_dict(),
        "claims": [c.to_dict() for c in rows],
        **paging.info(more),
    }


def conflicts(
    con: sqlite3.Connection,
    kind: str | None,
    paging: Paging,
    min_confidence: float | None = None,
) -> dict[str, Any]:
    """One page of conflicts (:func:`~newsledger.ledger.conflicts.read_conflicts`, the
    surest first), as plain data."""
    available = query.table_exists(con, "conflicts")
    rows: list[Conflict] = []
    more = False
    if available:
        rows, more = paging.fetch(read_conflicts, con, kind=kind, min_confidence=min_confidence)
    out = [c.to_dict() for c in rows]
    return {
        "available": available,
        "kind": kind,
        "min_confidence": min_confidence,
        "conflicts": out,
        **paging.info(more),
    }
