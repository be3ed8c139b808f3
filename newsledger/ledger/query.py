"""Queries over a ledger, returning plain dicts (shared by the CLI, the REST API and the UI).

Every function takes an open connection (``Ledger.con`` or :func:`~newsledger.ledger.connect`)
and uses parameterized SQL only. Name matching is case-insensitive (ASCII case folding, as
SQLite's ``NOCASE``); a name also matches the canonical names of entities it is an alias of
("KCNA" finds "Korean Central News Agency") unless ``aliases=False``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

__all__ = [
    "about",
    "articles",
    "fts_query",
    "names_for",
    "relays",
    "said",
    "sources",
]

Row = dict[str, Any]

# what FTS5's unicode61 tokenizer keeps as token characters (letters, digits)
_TOKEN = re.compile(r"[^\W_]+")


def fts_query(text: str) -> str | None:
    """A safe FTS5 query for user ``text``: each word quoted as a string, all required.

    Quotes, ``*``, ``%``, ``OR``, ``NEAR(`` and the like lose any special meaning. None when
    ``text`` has no word characters (nothing to search for).
    """
    tokens = _TOKEN.findall(text)
    if not tokens:
        return None
    return " ".join('"' + t.replace('"', '""') + '"' for t in tokens)


def names_for(con: sqlite3.Connection, name: str, aliases: bool = True) -> list[str]:
    """``name`` plus the canonical names of the entities that have ``name`` as an alias."""
    found = {name}
    if aliases:
        for (canonical,) in con.execute(
            "SELECT DISTINCT e.name FROM entity_aliases a JOIN entities e"
            " ON e.article_id = a.article_id AND e.id = a.entity_id"
            " WHERE a.alias = ? COLLATE NOCASE",
            (name,),
        ):
            found.add(canonical)
    return sorted(found)


def _in(names: list[str]) -> str:
    return ", ".join("?" for _ in names)


def sources(con: sqlite3.Connection, limit: int = 20) -> list[Row]:
    """Top sources by number of attributions, by canonical source name."""
    cur = con.execute(
        "SELECT source_name AS source, count(*) AS attributions,"
        " count(DISTINCT t.article_id) AS articles,"
        " min(a.published) AS first_published, max(a.published) AS last_published"
        " FROM attributions t JOIN articles a ON a.id = t.article_id"
        " WHERE source_name IS NOT NULL"
        " GROUP BY source_name ORDER BY attributions DESC, source_name LIMIT ?",
        (limit,),
    )
    return [dict(r) for r in cur]


_ATTRIBUTION_COLUMNS = (
    "t.article_id AS article_id, a.published AS published, a.title AS title,"
    " t.id AS attribution_id, t.kind AS kind, t.source_name AS source,"
    " t.content_text AS content, t.chain AS chain, t.confidence AS confidence"
)


def _attribution_row(r: sqlite3.Row) -> Row:
    row = dict(r)
    row["chain"] = json.loads(row["chain"])
    return row


def said(con: sqlite3.Connection, by: str, limit: int = 100, aliases: bool = True) -> list[Row]:
    """Every attribution whose source, or any link of its chain, is ``by``.

    Newest articles first, then in document order.
    """
    names = names_for(con, by, aliases)
    marks = _in(names)
    cur = con.execute(
        f"SELECT {_ATTRIBUTION_COLUMNS} FROM attributions t"
        " JOIN articles a ON a.id = t.article_id"
        " WHERE t.seq IN ("
        f"   SELECT seq FROM attributions WHERE source_name COLLATE NOCASE IN ({marks})"
        "   UNION"
        "   SELECT x.seq FROM chains c JOIN attributions x"
        "     ON x.article_id = c.article_id AND x.id = c.attribution_id"
        f"   WHERE c.name COLLATE NOCASE IN ({marks}))"
        " ORDER BY a.published DESC, t.article_id, t.position LIMIT ?",
        (*names, *names, limit),
    )
    return [_attribution_row(r) for r in cur]


def about(con: sqlite3.Connection, text: str, limit: int = 20) -> list[Row]:
    """Attributions whose content matches the words of ``text``, best first, with a snippet.

    The snippet marks matches with ``[`` and ``]``.
    """
    match = fts_query(text)
    if match is None:
        return []
    cur = con.execute(
        f"SELECT {_ATTRIBUTION_COLUMNS},"
        " snippet(attributions_fts, 0, '[', ']', '…', 16) AS snippet,"
        " bm25(attributions_fts) AS score"
        " FROM attributions_fts JOIN attributions t ON t.seq = attributions_fts.rowid"
        " JOIN articles a ON a.id = t.article_id"
        " WHERE attributions_fts MATCH ? ORDER BY score LIMIT ?",
        (match, limit),
    )
    return [_attribution_row(r) for r in cur]


def relays(
    con: sqlite3.Connection, source: str | None = None, limit: int = 50, aliases: bool = True
) -> list[Row]:
    """Who reports through whom: (relay, origin) links of source chains, most used first.

    ``relay`` passes on what ``origin`` said ("KCNA quoted Kim": relay KCNA, origin Kim Jong
    Un). ``attributions`` counts the attributions carried over the link, ``articles`` the
    articles they are in. With ``source``, only links where it is the relay or the origin.
    """
    where = ""
    params: list[Any] = []
    if source is not None:
        names = names_for(con, source, aliases)
        marks = _in(names)
        where = f" WHERE r.name COLLATE NOCASE IN ({marks}) OR o.name COLLATE NOCASE IN ({marks})"
        params = [*names, *names]
    cur = con.execute(
        "SELECT r.name AS relay, o.name AS origin, count(*) AS attributions,"
        " count(DISTINCT r.article_id) AS articles"
        " FROM chains r JOIN chains o ON o.article_id = r.article_id"
        " AND o.attribution_id = r.attribution_id AND o.position = r.position + 1"
        f"{where} GROUP BY r.name, o.name ORDER BY attributions DESC, relay, origin LIMIT ?",
        (*params, limit),
    )
    return [dict(r) for r in cur]


def articles(
    con: sqlite3.Connection, limit: int = 50, offset: int = 0, text: str | None = None
) -> list[Row]:
    """Stored articles (newest first) with their attribution counts; ``text`` filters by
    full-text search over article texts."""
    columns = (
        "a.id AS id, a.title AS title, a.published AS published, a.url AS url, a.site AS site,"
        " a.text_sha256 AS text_sha256, a.ingested_at AS ingested_at,"
        " (SELECT count(*) FROM attributions t WHERE t.article_id = a.id) AS attributions"
    )
    if text is not None:
        match = fts_query(text)
        if match is None:
            return []
        cur = con.execute(
            f"SELECT {columns} FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts) LIMIT ? OFFSET ?",
            (match, limit, offset),
        )
    else:
        cur = con.execute(
            f"SELECT {columns} FROM articles a ORDER BY a.published DESC, a.seq LIMIT ? OFFSET ?",
            (limit, offset),
        )
    return [dict(r) for r in cur]
