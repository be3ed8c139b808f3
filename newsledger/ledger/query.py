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
from collections.abc import Collection
from typing import Any

from newsledger.records import DayCount, OutletCount, RelayLink, SourceSummary
from newsledger.text import fts_query, match_stem, query_phrases

__all__ = [
    "ATTRIBUTION_COLUMNS",
    "about",
    "article_clauses",
    "articles",
    "attributions",
    "counts",
    "names_for",
    "placeholders",
    "relays",
    "said",
    "search_articles",
    "search_attributions",
    "sites",
    "snippet",
    "source_outlets",
    "source_timeline",
    "sources",
    "table_exists",
    "table_rows",
]

Row = dict[str, Any]

# what FTS5's unicode61 tokenizer keeps as token characters (letters, digits)
_TOKEN = re.compile(r"[^\W_]+")


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


def placeholders(values: Collection[Any]) -> str:
    """``?, ?, …``: one SQL parameter mark per value (for an ``IN (…)`` list)."""
    return ", ".join("?" for _ in values)


def article_clauses(
    since: str | None, until: str | None, site: str | None
) -> tuple[list[str], list[Any]]:
    """The filters on an article (the table as ``a``) that the listings share: published on
    or after ``since``, on or before ``until`` (dates as text, compared as text), from the
    outlet ``site`` (case-insensitive). The SQL clauses and their parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if since:
        clauses.append("a.published >= ?")
        params.append(since)
    if until:
        clauses.append("a.published <= ?")
        params.append(until)
    if site:
        clauses.append("a.site = ? COLLATE NOCASE")
        params.append(site)
    return clauses, params


def sources(con: sqlite3.Connection, limit: int = 20, offset: int = 0) -> list[SourceSummary]:
    """Top sources by number of attributions, by canonical source name.

    Where the cross-document step has linked a source to a ledger-wide entity, its name is
    used, so "Kim Jong-un" in one article and "Kim Jong Un" in another count as one source.
    """
    name = "t.source_name"
    if table_exists(con, "attribution_entities"):
        name = (
            "coalesce((SELECT le.name FROM attribution_entities ae"
            " JOIN ledger_entities le ON le.id = ae.ledger_entity"
            " WHERE ae.article_id = t.article_id AND ae.attribution_id = t.id"
            " AND ae.role = 'source' LIMIT 1), t.source_name)"
        )
    cur = con.execute(
        f"SELECT {name} AS source, count(*) AS attributions,"
        " count(DISTINCT t.article_id) AS articles,"
        " min(a.published) AS first_published, max(a.published) AS last_published"
        " FROM attributions t JOIN articles a ON a.id = t.article_id"
        " WHERE t.source_name IS NOT NULL"
        " GROUP BY 1 ORDER BY attributions DESC, source LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return [SourceSummary(*r) for r in cur]


_ATTRIBUTION_COLUMNS = (
    "t.article_id AS article_id, a.published AS published, a.title AS title,"
    " t.id AS attribution_id, t.kind AS kind, t.source_name AS source,"
    " t.content_text AS content, t.chain AS chain, t.confidence AS confidence, t.act AS act"
)
#: the columns of an attribution row (with its article's date and title), ``t`` and ``a``
ATTRIBUTION_COLUMNS = _ATTRIBUTION_COLUMNS


def _acts(acts: Collection[str] | None) -> tuple[str, list[str]]:
    """An ``AND t.act IN (…)`` clause for ``acts`` (None or empty: every act)."""
    if not acts:
        return "", []
    chosen = sorted(acts)
    return f" AND t.act IN ({placeholders(chosen)})", chosen


def _attribution_row(r: sqlite3.Row) -> Row:
    row = dict(r)
    row["chain"] = json.loads(row["chain"])
    return row


def said(
    con: sqlite3.Connection,
    by: str,
    limit: int = 100,
    aliases: bool = True,
    offset: int = 0,
    acts: Collection[str] | None = None,
) -> list[Row]:
    """Every attribution whose source, or any link of its chain, is ``by`` (of ``acts``
    only, when given: claims are ``speech_acts().claim_acts``).

    Newest articles first, then in document order.
    """
    names = names_for(con, by, aliases)
    marks = placeholders(names)
    act_clause, act_params = _acts(acts)
    cur = con.execute(
        f"SELECT {_ATTRIBUTION_COLUMNS} FROM attributions t"
        " JOIN articles a ON a.id = t.article_id"
        " WHERE t.seq IN ("
        f"   SELECT seq FROM attributions WHERE source_name COLLATE NOCASE IN ({marks})"
        "   UNION"
        "   SELECT x.seq FROM chains c JOIN attributions x"
        "     ON x.article_id = c.article_id AND x.id = c.attribution_id"
        f"   WHERE c.name COLLATE NOCASE IN ({marks})){act_clause}"
        " ORDER BY a.published DESC, t.article_id, t.position LIMIT ? OFFSET ?",
        (*names, *names, *act_params, limit, offset),
    )
    return [_attribution_row(r) for r in cur]


def about(
    con: sqlite3.Connection, text: str, limit: int = 20, acts: Collection[str] | None = None
) -> list[Row]:
    """Attributions (of ``acts``, when given) whose content matches the words of ``text``,
    best first, with a snippet.

    The snippet marks matches with ``[`` and ``]``.
    """
    match = fts_query(text)
    if match is None:
        return []
    act_clause, act_params = _acts(acts)
    cur = con.execute(
        f"SELECT {_ATTRIBUTION_COLUMNS},"
        " snippet(attributions_fts, 0, '[', ']', '…', 16) AS snippet,"
        " bm25(attributions_fts) AS score"
        " FROM attributions_fts JOIN attributions t ON t.seq = attributions_fts.rowid"
        " JOIN articles a ON a.id = t.article_id"
        f" WHERE attributions_fts MATCH ?{act_clause} ORDER BY score LIMIT ?",
        (match, *act_params, limit),
    )
    return [_attribution_row(r) for r in cur]


def relays(
    con: sqlite3.Connection, source: str | None = None, limit: int = 50, aliases: bool = True
) -> list[RelayLink]:
    """Who reports through whom: (relay, origin) links of source chains, most used first.

    ``relay`` passes on what ``origin`` said ("KCNA quoted Kim": relay KCNA, origin Kim Jong
    Un). ``attributions`` counts the attributions carried over the link, ``articles`` the
    articles they are in. With ``source``, only links where it is the relay or the origin.
    """
    where = ""
    params: list[Any] = []
    if source is not None:
        names = names_for(con, source, aliases)
        marks = placeholders(names)
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
    return [RelayLink(*r) for r in cur]


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


# ---------------------------------------------------------------- web UI and REST API queries
# Filters shared by the attribution listings: each is optional and goes in as a parameter.
def _attribution_filters(
    con: sqlite3.Connection,
    source: str | None,
    kind: str | None,
    since: str | None,
    until: str | None,
    site: str | None,
    article_id: str | None = None,
) -> tuple[str, list[Any]]:
    """``source`` is matched as :func:`said` matches it: the name or the canonical names it
    is an alias of ("KCNA" → Korean Central News Agency), as the source or any link of the
    chain, case-insensitive."""
    clauses: list[str] = []
    params: list[Any] = []
    if source:
        names = names_for(con, source)
        marks = placeholders(names)
        # the name's chain links are read once into a list (a correlated EXISTS would be
        # planned on the name index and scan every link of a common name for each row)
        chained = (
            "(t.article_id, t.id) IN (SELECT c.article_id, c.attribution_id FROM chains c"
            f" WHERE c.name COLLATE NOCASE IN ({marks}))"
        )
        clauses.append(f"(t.source_name COLLATE NOCASE IN ({marks}) OR {chained})")
        params += [*names, *names]
    if kind:
        clauses.append("t.kind = ?")
        params.append(kind)
    dated, dated_params = article_clauses(since, until, site)
    clauses += dated
    params += dated_params
    if article_id:
        clauses.append("t.article_id = ?")
        params.append(article_id)
    return "".join(f" AND {c}" for c in clauses), params


#: Ranking (bm25) costs time per match: a search ranks the most recently stored matches only,
#: this many (or as many as the requested page needs), so common words stay fast on a large
#: ledger. Older matches are still found by adding words or filters.
RANK_WINDOW = 1000
ARTICLE_RANK_WINDOW = 500


def _ranked(
    con: sqlite3.Connection,
    table: str,
    joins: str,
    match: str,
    where: str,
    params: list[Any],
    window: int,
    limit: int,
    offset: int,
) -> list[tuple[int, float]]:
    """(rowid, bm25) of one page of the best matches among the newest ``window`` ones.

    One pass over the matches, newest first (the FTS index's own order), that stops at the
    ``window``-th one passing the filters; only those are scored, and sorted here. The joins
    (to the base tables) are only made when there are filters to apply.
    """
    joins = joins if where else ""
    cur = con.execute(
        f"SELECT f.rowid, bm25({table}) FROM {table} f{joins} WHERE {table} MATCH ?{where}"
        " ORDER BY f.rowid DESC LIMIT ?",
        (match, *params, window),
    )
    ranked = sorted(((int(r), float(score)) for r, score in cur), key=lambda x: (x[1], x[0]))
    return ranked[offset : offset + limit]


def _in_rank_order(rows: list[Row], key: str, ranked: list[tuple[int, float]]) -> list[Row]:
    by_rowid = {r.pop(key): r for r in rows}
    out = []
    for rowid, score in ranked:
        if rowid in by_rowid:
            out.append({**by_rowid[rowid], "score": score})
    return out


def search_attributions(
    con: sqlite3.Connection,
    text: str,
    *,
    source: str | None = None,
    kind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    site: str | None = None,
    limit: int = 20,
    offset: int = 0,
    mark: tuple[str, str] = ("[", "]"),
    window: int = RANK_WINDOW,
    acts: Collection[str] | None = None,
) -> list[Row]:
    """:func:`about` with filters (source, kind, published date range, site, ``acts``) and
    paging.

    Ranks (bm25) the newest ``window`` matches that pass the filters; ``mark`` are the
    strings put around matches in the snippet (computed for the returned rows only).
    """
    match = fts_query(text)
    if match is None:
        return []
    where, params = _attribution_filters(con, source, kind, since, until, site)
    act_clause, act_params = _acts(acts)
    where, params = where + act_clause, [*params, *act_params]
    joins = " JOIN attributions t ON t.seq = f.rowid"
    if since or until or site:  # the filters on the article's date and outlet
        joins += " JOIN articles a ON a.id = t.article_id"
    ranked = _ranked(
        con,
        "attributions_fts",
        joins,
        match,
        where,
        params,
        max(window, offset + limit),
        limit,
        offset,
    )
    if not ranked:
        return []
    marks = ", ".join("?" for _ in ranked)
    # snippets are made here, not by FTS5's snippet(): that re-runs the match per row
    cur = con.execute(
        f"SELECT t.seq AS _rowid, {_ATTRIBUTION_COLUMNS}, a.site AS site"
        " FROM attributions t JOIN articles a ON a.id = t.article_id"
        f" WHERE t.seq IN ({marks})",
        tuple(r for r, _ in ranked),
    )
    rows = _in_rank_order([dict(r) for r in cur], "_rowid", ranked)
    for row in rows:
        row["snippet"] = snippet(row["content"], text, mark, 24)
    return [_attribution_row_dict(r) for r in rows]


def _attribution_row_dict(row: Row) -> Row:
    return {**row, "chain": json.loads(row["chain"])}


def search_articles(
    con: sqlite3.Connection,
    text: str,
    *,
    since: str | None = None,
    until: str | None = None,
    site: str | None = None,
    limit: int = 20,
    offset: int = 0,
    mark: tuple[str, str] = ("[", "]"),
    window: int = ARTICLE_RANK_WINDOW,
) -> list[Row]:
    """Articles whose text matches the words of ``text``, best first, with a snippet.

    Ranks the newest ``window`` matching articles that pass the filters.
    """
    match = fts_query(text)
    if match is None:
        return []
    where, params = _attribution_filters(con, None, None, since, until, site)
    joins = " JOIN articles a ON a.seq = f.rowid"
    ranked = _ranked(
        con, "articles_fts", joins, match, where, params, max(window, offset + limit), limit, offset
    )
    if not ranked:
        return []
    marks = ", ".join("?" for _ in ranked)
    cur = con.execute(
        "SELECT a.seq AS _rowid, a.id AS id, a.title AS title, a.published AS published,"
        f" a.site AS site, a.url AS url, a.text AS text FROM articles a WHERE a.seq IN ({marks})",
        tuple(r for r, _ in ranked),
    )
    rows = _in_rank_order([dict(r) for r in cur], "_rowid", ranked)
    for row in rows:
        row["snippet"] = snippet(row.pop("text"), text, mark, 32)
    return rows


def _match_end(text: str, start: int, phrases: list[list[str]]) -> int | None:
    """The end of the longest phrase (a list of stems) whose tokens start at ``start`` in
    ``text``, one after another; None when none does."""
    best: int | None = None
    for phrase in phrases:
        at = start
        for i, stem in enumerate(phrase):
            token = _TOKEN.match(text, at) if i == 0 else _TOKEN.search(text, at)
            if token is None or match_stem(token.group()) != stem:
                break
            at = token.end()
        else:
            best = at if best is None else max(best, at)
    return best


def snippet(text: str, query_text: str, mark: tuple[str, str] = ("[", "]"), size: int = 24) -> str:
    """About ``size`` words of ``text`` from just before the first match of ``query_text``,
    each whole match marked: a word of several tokens ("14,000") is marked as one match
    (``[14,000]``), never token by token, and its tokens alone ("3,000") are not marked.
    "…" stands for text cut at either end."""
    phrases = [[match_stem(t) for t in tokens] for tokens in query_phrases(query_text)]
    if not phrases:
        return " ".join(text[: size * 8].split())
    firsts = {phrase[0] for phrase in phrases}
    starts = re.compile(
        r"\b(?:" + "|".join(re.escape(w) for w in sorted(firsts, key=len, reverse=True)) + ")",
        re.IGNORECASE,
    )
    first = 0
    for m in starts.finditer(text):
        if _match_end(text, m.start(), phrases) is not None:
            first = m.start()
            break
    begin = max(0, first - 40)
    if begin:
        space = text.find(" ", begin, first)
        begin = space + 1 if space >= 0 else first
    end = min(len(text), begin + size * 8)
    if end < len(text):
        space = text.rfind(" ", first + 1, end)
        end = space if space > first else end
    out: list[str] = ["…" if begin > 0 else ""]
    at = begin
    for m in starts.finditer(text, begin, end):
        if m.start() < at:
            continue
        stop = _match_end(text, m.start(), phrases)
        if stop is None:
            continue
        end = max(end, stop)  # a match is never cut
        out += [text[at : m.start()], mark[0], text[m.start() : stop], mark[1]]
        at = stop
    out.append(text[at:end])
    if end < len(text):
        out.append("…")
    return " ".join("".join(out).split())


def attributions(
    con: sqlite3.Connection,
    *,
    article_id: str | None = None,
    source: str | None = None,
    kind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    site: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Row]:
    """Attributions, filtered; newest articles first, then in document order."""
    where, params = _attribution_filters(con, source, kind, since, until, site, article_id)
    cur = con.execute(
        f"SELECT {_ATTRIBUTION_COLUMNS}, a.site AS site, t.cue_text AS cue"
        " FROM attributions t JOIN articles a ON a.id = t.article_id"
        f" WHERE 1{where} ORDER BY a.published DESC, a.seq, t.position LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return [_attribution_row(r) for r in cur]


def counts(con: sqlite3.Connection) -> Row:
    """How many articles, attributions, distinct sources, entities and flagged issues."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM articles) AS articles,"
        " (SELECT count(*) FROM attributions) AS attributions,"
        " (SELECT count(DISTINCT source_name) FROM attributions) AS sources,"
        " (SELECT count(*) FROM entities) AS entities,"
        " (SELECT count(*) FROM issues) AS issues"
    ).fetchone()
    return dict(row)


def sites(con: sqlite3.Connection, limit: int = 100) -> list[Row]:
    """Outlets (``articles.site``) with their article counts, most articles first."""
    cur = con.execute(
        "SELECT site, count(*) AS articles FROM articles WHERE site IS NOT NULL"
        " GROUP BY site ORDER BY articles DESC, site LIMIT ?",
        (limit,),
    )
    return [dict(r) for r in cur]


def source_timeline(con: sqlite3.Connection, name: str, aliases: bool = True) -> list[DayCount]:
    """Per published date: how many attributions ``name`` is the source of (or a chain link
    of). Articles without a date are counted under ``published`` null."""
    names = names_for(con, name, aliases)
    marks = placeholders(names)
    cur = con.execute(
        "SELECT a.published AS published, count(*) AS attributions,"
        " count(DISTINCT a.id) AS articles FROM attributions t"
        " JOIN articles a ON a.id = t.article_id"
        " WHERE t.seq IN ("
        f"   SELECT seq FROM attributions WHERE source_name COLLATE NOCASE IN ({marks})"
        "   UNION"
        "   SELECT x.seq FROM chains c JOIN attributions x"
        "     ON x.article_id = c.article_id AND x.id = c.attribution_id"
        f"   WHERE c.name COLLATE NOCASE IN ({marks}))"
        " GROUP BY a.published ORDER BY a.published",
        (*names, *names),
    )
    return [DayCount(*r) for r in cur]


def source_outlets(con: sqlite3.Connection, name: str, aliases: bool = True) -> list[OutletCount]:
    """Outlets (sites) whose articles attribute something to ``name``, most first."""
    names = names_for(con, name, aliases)
    marks = placeholders(names)
    cur = con.execute(
        "SELECT coalesce(a.site, '(unknown outlet)') AS site, count(*) AS attributions,"
        " count(DISTINCT a.id) AS articles FROM attributions t"
        " JOIN articles a ON a.id = t.article_id"
        f" WHERE t.source_name COLLATE NOCASE IN ({marks})"
        "  OR t.seq IN (SELECT x.seq FROM chains c JOIN attributions x"
        "     ON x.article_id = c.article_id AND x.id = c.attribution_id"
        f"   WHERE c.name COLLATE NOCASE IN ({marks}))"
        " GROUP BY a.site ORDER BY attributions DESC, site",
        (*names, *names),
    )
    return [OutletCount(*r) for r in cur]


def table_exists(con: sqlite3.Connection, name: str) -> bool:
    return (
        con.execute(
            "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", (name,)
        ).fetchone()
        is not None
    )


def table_rows(con: sqlite3.Connection, name: str, limit: int = 50, offset: int = 0) -> list[Row]:
    """Rows of an optional table (``claims``, ``conflicts``), or [] when it does not exist.

    ``name`` must be one of the known optional tables; it is never taken from user input.
    """
    if name not in _OPTIONAL_TABLES:
        raise ValueError(f"not an optional ledger table: {name!r}")
    if not table_exists(con, name):
        return []
    cur = con.execute(f'SELECT * FROM "{name}" LIMIT ? OFFSET ?', (limit, offset))
    return [dict(r) for r in cur]


_OPTIONAL_TABLES = frozenset({"claims", "conflicts"})
