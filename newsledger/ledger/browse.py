"""Queries behind the workbench's list pages: articles, sources, entities, stories, a story's
claims, conflicts and figures, and the relay graph of named sources.

Every function takes an open connection and uses parameterized SQL only; filters are values,
never SQL. Sort keys are chosen from fixed tables (:data:`ARTICLE_SORTS`, …), so no user text
reaches an ``ORDER BY``. Rows are plain dicts.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from typing import Any

from newsledger.extract.figures import GENERAL
from newsledger.ledger.entities import find_entity, lookup_name
from newsledger.ledger.query import (
    ATTRIBUTION_COLUMNS,
    article_clauses,
    names_for,
    placeholders,
    said,
)
from newsledger.text import fts_query

__all__ = [
    "ARTICLE_SORTS",
    "build_relay_graph",
    "entity_totals",
    "pick_entities",
    "pick_sources",
    "relay_pairs",
    "source_totals",
    "ENTITY_SORTS",
    "SOURCE_SORTS",
    "STORY_SORTS",
    "UNNAMED",
    "article_list",
    "entity_list",
    "has_rows",
    "latest_statements",
    "relay_graph",
    "source_list",
    "story_claims",
    "story_conflict_ids",
    "story_detail",
    "story_figures",
    "story_list",
]

Row = dict[str, Any]

#: the chain link the extractor writes for a source it could not name
UNNAMED = "(unnamed)"

ARTICLE_SORTS = {
    "newest": "a.published DESC, a.seq DESC",
    "oldest": "a.published, a.seq",
    "title": "a.title COLLATE NOCASE, a.seq",
    "attributions": "attributions DESC, a.published DESC, a.seq DESC",
}
SOURCE_SORTS = ("count", "articles", "name", "latest")
ENTITY_SORTS = ("count", "said", "name")
STORY_SORTS = {
    "latest": "s.last_published DESC, s.id DESC",
    "earliest": "s.first_published, s.id",
    "articles": "s.articles DESC, s.last_published DESC, s.id DESC",
}
#: mentions of one name whose aliases are read (a bound on the cost for very common names)
ALIAS_SAMPLE = 100
#: a source named in more attributions than this has its latest statements found by walking
#: the articles newest first (it is soon met); a rarer one by reading all of its own
WALK_FROM = 2000


def _like(text: str) -> str:
    """``text`` as a LIKE pattern matching it anywhere, its wildcards taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# ---------------------------------------------------------------- articles
def article_list(
    con: sqlite3.Connection,
    *,
    text: str | None = None,
    since: str | None = None,
    until: str | None = None,
    site: str | None = None,
    sort: str = "newest",
    limit: int = 20,
    offset: int = 0,
) -> list[Row]:
    """Articles with their attribution counts and story, filtered by words of their text
    (full-text, every word required), published date range and outlet, in ``sort`` order
    (one of :data:`ARTICLE_SORTS`)."""
    order = ARTICLE_SORTS[sort]
    where: list[str] = []
    params: list[Any] = []
    if text is not None:
        match = fts_query(text)
        if match is None:
            return []
        where.append("a.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(match)
    dated, dated_params = article_clauses(since, until, site)
    where += dated
    params += dated_params
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    cur = con.execute(
        "SELECT a.id AS id, a.title AS title, a.published AS published, a.url AS url,"
        " a.site AS site,"
        " (SELECT count(*) FROM attributions t WHERE t.article_id = a.id) AS attributions,"
        " (SELECT s.story_id FROM article_stories s WHERE s.article_id = a.id) AS story"
        f" FROM articles a{clause} ORDER BY {order} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return [dict(r) for r in cur]


# ---------------------------------------------------------------- sources
def _source_name_sql(con: sqlite3.Connection) -> str:
    """The canonical name of an attribution's source: its ledger entity's name where the
    cross-document step linked one (as :func:`newsledger.ledger.query.sources` counts)."""
    if not _has(con, "attribution_entities"):
        return "t.source_name"
    return (
        "coalesce((SELECT le.name FROM attribution_entities ae"
        " JOIN ledger_entities le ON le.id = ae.ledger_entity"
        " WHERE ae.article_id = t.article_id AND ae.attribution_id = t.id"
        " AND ae.role = 'source' LIMIT 1), t.source_name)"
    )


def _has(con: sqlite3.Connection, table: str) -> bool:
    row = con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    return row is not None


#: the tables :func:`has_rows` may be asked about
_COUNTED = frozenset({"ledger_entities", "stories", "claims", "conflicts"})


def has_rows(con: sqlite3.Connection, table: str) -> bool:
    """Whether a cross-document table exists and has a row (``table`` is one of a fixed
    set, never user input)."""
    if table not in _COUNTED:
        raise ValueError(f"not a cross-document table: {table!r}")
    if not _has(con, table):
        return False
    return con.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None  # noqa: S608 - fixed names


def source_totals(con: sqlite3.Connection) -> list[Row]:
    """Every source by canonical name with its type (the most frequent one), attribution and
    article counts, first and last published date; most attributions first.

    One pass over every attribution: the list pages filter, sort and page these rows
    (:func:`pick_sources`), and the web app keeps them until the ledger changes.
    """
    cur = con.execute(
        f"WITH x AS (SELECT {_source_name_sql(con)} AS source, t.source_type AS type,"
        "   t.article_id AS article_id, a.published AS published FROM attributions t"
        "   JOIN articles a ON a.id = t.article_id WHERE t.source_name IS NOT NULL),"
        " agg AS (SELECT source, count(*) AS attributions,"
        "   count(DISTINCT article_id) AS articles, min(published) AS first_published,"
        "   max(published) AS last_published FROM x GROUP BY source),"
        " types AS (SELECT source, type, row_number() OVER (PARTITION BY source"
        "   ORDER BY count(*) DESC, type) AS rank FROM x GROUP BY source, type)"
        " SELECT agg.source AS source, types.type AS type, agg.attributions AS attributions,"
        " agg.articles AS articles, agg.first_published AS first_published,"
        " agg.last_published AS last_published FROM agg JOIN types"
        " ON types.source = agg.source AND types.rank = 1"
        " ORDER BY agg.attributions DESC, agg.source"
    )
    return [dict(r) for r in cur]


def _by_count(rows: list[Row], count: str, name: str) -> list[Row]:
    return sorted(rows, key=lambda r: (-r[count], r[name].casefold()))


def _sort_sources(rows: list[Row], sort: str) -> list[Row]:
    if sort == "articles":
        return sorted(
            rows, key=lambda r: (-r["articles"], -r["attributions"], r["source"].casefold())
        )
    if sort == "name":
        return sorted(rows, key=lambda r: (r["source"].casefold(), -r["attributions"]))
    ranked = _by_count(rows, "attributions", "source")
    if sort == "latest":  # a stable sort keeps the count order among equal dates
        return sorted(ranked, key=lambda r: r["last_published"] or "", reverse=True)
    return ranked


def pick_sources(
    con: sqlite3.Connection,
    totals: list[Row],
    *,
    name: str | None = None,
    type: str | None = None,
    sort: str = "count",
    limit: int = 20,
    offset: int = 0,
) -> list[Row]:
    """One page of :func:`source_totals`, with each source's aliases.

    ``name`` keeps the sources whose name contains it (case-insensitive) or that it is an
    alias of ("KCNA" keeps Korean Central News Agency); ``type`` one source type; ``sort``
    is one of :data:`SOURCE_SORTS`.
    """
    rows = totals
    if name:
        wanted = name.casefold()
        aliased = {n.casefold() for n in names_for(con, name)}
        rows = [
            r for r in rows if wanted in r["source"].casefold() or r["source"].casefold() in aliased
        ]
    if type:
        rows = [r for r in rows if r["type"] == type]
    page = [dict(r) for r in _sort_sources(rows, sort)[offset : offset + limit]]
    for row in page:
        row["aliases"] = aliases_of(con, row["source"])
    return page


def source_list(
    con: sqlite3.Connection,
    *,
    name: str | None = None,
    type: str | None = None,
    sort: str = "count",
    limit: int = 20,
    offset: int = 0,
) -> list[Row]:
    """:func:`pick_sources` over :func:`source_totals` (computed afresh)."""
    return pick_sources(
        con, source_totals(con), name=name, type=type, sort=sort, limit=limit, offset=offset
    )


def aliases_of(con: sqlite3.Connection, name: str, limit: int = 12) -> list[str]:
    """Other names the entities named ``name`` are known by ("KCNA" for Korean Central News
    Agency), read from up to :data:`ALIAS_SAMPLE` of their mentions."""
    found: Counter[str] = Counter()
    for (alias,) in con.execute(
        "SELECT a.alias FROM entities e JOIN entity_aliases a"
        " ON a.article_id = e.article_id AND a.entity_id = e.id"
        " WHERE e.name = ? COLLATE NOCASE LIMIT ?",
        (name, ALIAS_SAMPLE),
    ):
        if alias.casefold() != name.casefold():
            found[alias] += 1
    return [a for a, _ in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


# ---------------------------------------------------------------- entities
def entity_totals(con: sqlite3.Connection) -> list[Row]:
    """Every ledger entity (one per person, organization, place … across articles) with the
    number of articles naming it and of attributions it is the source of; most articles
    first. The list pages filter, sort and page these rows (:func:`pick_entities`)."""
    if not _has(con, "ledger_entities"):
        return []
    cur = con.execute(
        "WITH m AS (SELECT ledger_entity, count(DISTINCT article_id) AS n"
        "   FROM ledger_entity_members GROUP BY ledger_entity),"
        " s AS (SELECT ledger_entity, count(*) AS n FROM attribution_entities"
        "   WHERE role = 'source' GROUP BY ledger_entity)"
        " SELECT le.id AS id, le.name AS name, le.type AS type, le.kb AS kb,"
        " coalesce(m.n, 0) AS articles, coalesce(s.n, 0) AS said FROM ledger_entities le"
        " LEFT JOIN m ON m.ledger_entity = le.id LEFT JOIN s ON s.ledger_entity = le.id"
        " ORDER BY articles DESC, le.id"
    )
    return [{**dict(r), "kb": json.loads(r["kb"] or "{}")} for r in cur]


def _sort_entities(rows: list[Row], sort: str) -> list[Row]:
    if sort == "said":
        return sorted(rows, key=lambda r: (-r["said"], -r["articles"], r["id"]))
    if sort == "name":
        return sorted(rows, key=lambda r: (r["name"].casefold(), r["id"]))
    return sorted(rows, key=lambda r: (-r["articles"], r["id"]))


def pick_entities(
    con: sqlite3.Connection,
    totals: list[Row],
    *,
    name: str | None = None,
    type: str | None = None,
    sort: str = "count",
    limit: int = 20,
    offset: int = 0,
) -> list[Row]:
    """One page of :func:`entity_totals`, with the names each entity is known by.

    ``name`` keeps the entities whose name contains it (case-insensitive) or that it
    stands for ("KCNA" keeps Korean Central News Agency); ``type`` one entity type; ``sort``
    is one of :data:`ENTITY_SORTS`.
    """
    rows = totals
    if name:
        wanted = name.casefold()
        named = {lid for n in names_for(con, name) if (lid := lookup_name(con, n)) is not None}
        if (found := find_entity(con, name)) is not None and not name.isdigit():
            named.add(found)
        rows = [r for r in rows if wanted in r["name"].casefold() or r["id"] in named]
    if type:
        rows = [r for r in rows if r["type"] == type]
    page = [dict(r) for r in _sort_entities(rows, sort)[offset : offset + limit]]
    for row in page:
        row["names"] = entity_names(con, row["id"], row["name"])
    return page


def entity_list(
    con: sqlite3.Connection,
    *,
    name: str | None = None,
    type: str | None = None,
    sort: str = "count",
    limit: int = 20,
    offset: int = 0,
) -> list[Row]:
    """:func:`pick_entities` over :func:`entity_totals` (computed afresh)."""
    return pick_entities(
        con, entity_totals(con), name=name, type=type, sort=sort, limit=limit, offset=offset
    )


def entity_names(con: sqlite3.Connection, ledger_id: int, name: str, limit: int = 12) -> list[str]:
    """The other names and aliases a ledger entity's mentions have, most frequent first
    (read from up to :data:`ALIAS_SAMPLE` of its article entities)."""
    found: Counter[str] = Counter()
    for other, aliases in con.execute(
        "SELECT e.name, e.aliases FROM ledger_entity_members m JOIN entities e"
        " ON e.article_id = m.article_id AND e.id = m.entity_id WHERE m.ledger_entity = ?"
        " LIMIT ?",
        (ledger_id, ALIAS_SAMPLE),
    ):
        for n in {other, *json.loads(aliases or "[]")}:
            if n.casefold() != name.casefold():
                found[n] += 1
    return [n for n, _ in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


# ---------------------------------------------------------------- stories
def _story_title(con: sqlite3.Connection, story_id: int) -> Row | None:
    row = con.execute(
        "SELECT a.id AS id, a.title AS title FROM article_stories s"
        " JOIN articles a ON a.id = s.article_id WHERE s.story_id = ?"
        " ORDER BY a.published, a.seq LIMIT 1",
        (story_id,),
    ).fetchone()
    return dict(row) if row else None


def _story_sites(con: sqlite3.Connection, story_id: int, limit: int = 6) -> list[Row]:
    return [
        dict(r)
        for r in con.execute(
            "SELECT a.site AS site, count(*) AS articles FROM article_stories s"
            " JOIN articles a ON a.id = s.article_id WHERE s.story_id = ?"
            " AND a.site IS NOT NULL GROUP BY a.site ORDER BY articles DESC, a.site LIMIT ?",
            (story_id, limit),
        )
    ]


def story_list(
    con: sqlite3.Connection,
    *,
    text: str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_articles: int = 1,
    sort: str = "latest",
    limit: int = 20,
    offset: int = 0,
) -> list[Row]:
    """Stories (articles telling the same story) with their dates, article count, lead
    (the first article's title) and outlets. ``text`` keeps stories with an article whose
    text has every word; ``since``/``until`` those whose dates reach into the range;
    ``sort`` is one of :data:`STORY_SORTS`."""
    if not _has(con, "stories"):
        return []
    order = STORY_SORTS[sort]
    where = ["s.articles >= ?"]
    params: list[Any] = [min_articles]
    if text is not None:
        match = fts_query(text)
        if match is None:
            return []
        where.append(
            "s.id IN (SELECT x.story_id FROM article_stories x JOIN articles a"
            " ON a.id = x.article_id WHERE a.seq IN"
            " (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?))"
        )
        params.append(match)
    if since:
        where.append("s.last_published >= ?")
        params.append(since)
    if until:
        where.append("s.first_published <= ?")
        params.append(until)
    rows = [
        dict(r)
        for r in con.execute(
            "SELECT s.id AS id, s.first_published AS first_published,"
            " s.last_published AS last_published, s.articles AS articles FROM stories s"
            f" WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
    ]
    for row in rows:
        lead = _story_title(con, row["id"])
        row["lead"] = lead
        row["title"] = (lead["title"] or lead["id"]) if lead else None
        row["sites"] = _story_sites(con, row["id"])
    return rows


def story_detail(
    con: sqlite3.Connection, story_id: int, *, limit: int = 50, offset: int = 0
) -> Row | None:
    """One story: its dates, counts, outlets and one page of its articles (oldest first)."""
    if not _has(con, "stories"):
        return None
    row = con.execute(
        "SELECT id, first_published, last_published, articles FROM stories WHERE id = ?",
        (story_id,),
    ).fetchone()
    if row is None:
        return None
    out = dict(row)
    lead = _story_title(con, story_id)
    out["title"] = (lead["title"] or lead["id"]) if lead else None
    out["sites"] = _story_sites(con, story_id, limit=20)
    out["articles_page"] = [
        dict(r)
        for r in con.execute(
            "SELECT a.id AS id, a.title AS title, a.published AS published, a.site AS site,"
            " (SELECT count(*) FROM attributions t WHERE t.article_id = a.id) AS attributions"
            " FROM article_stories s JOIN articles a ON a.id = s.article_id"
            " WHERE s.story_id = ? ORDER BY a.published, a.seq LIMIT ? OFFSET ?",
            (story_id, limit, offset),
        )
    ]
    return out


_STORY_MEMBERS = (
    "SELECT m.claim_id FROM claim_members m JOIN article_stories s"
    " ON s.article_id = m.article_id WHERE s.story_id = ?"
)


def story_claims(con: sqlite3.Connection, story_id: int, *, limit: int = 30) -> list[Row]:
    """The claims with members in the story's articles, most reported first: id, label,
    independence, figure, and how many of its attributions and articles are in the story."""
    if not _has(con, "claims"):
        return []
    cur = con.execute(
        "SELECT c.id AS id, c.label AS label, c.kind AS kind, c.facet AS facet,"
        " c.value AS value, c.value_max AS value_max, c.denial AS denial,"
        " c.independence AS independence, c.articles AS articles, c.members AS members,"
        " c.first_published AS first_published, c.last_published AS last_published,"
        " count(*) AS in_story, count(DISTINCT m.article_id) AS articles_in_story"
        " FROM claim_members m JOIN article_stories s ON s.article_id = m.article_id"
        " JOIN claims c ON c.id = m.claim_id WHERE s.story_id = ?"
        " GROUP BY c.id ORDER BY articles_in_story DESC, in_story DESC, c.articles DESC, c.id"
        " LIMIT ?",
        (story_id, limit),
    )
    return [{**dict(r), "denial": bool(r["denial"])} for r in cur]


def _ref_article(ref: str) -> str:
    """The article of an ``article_id:attribution_id`` reference (attribution ids hold no
    colon; article ids may)."""
    return ref.rpartition(":")[0]


def story_conflict_ids(con: sqlite3.Connection, story_id: int, *, limit: int = 200) -> list[int]:
    """Conflicts (revisions included) with a side in one of the story's articles."""
    if not _has(con, "conflicts"):
        return []
    articles = {
        r[0]
        for r in con.execute(
            "SELECT article_id FROM article_stories WHERE story_id = ?", (story_id,)
        )
    }
    found: list[int] = []
    for cid, a, b in con.execute(
        "SELECT f.id, f.attribution_a, f.attribution_b FROM conflicts f"
        f" WHERE f.claim_a IN ({_STORY_MEMBERS}) OR f.claim_b IN ({_STORY_MEMBERS})"
        " ORDER BY f.kind, f.id",
        (story_id, story_id),
    ):
        if _ref_article(a) in articles or _ref_article(b) in articles:
            found.append(int(cid))
            if len(found) >= limit:
                break
    return found


#: points read per story chart (the latest ones)
MAX_POINTS = 400


def story_figures(con: sqlite3.Connection, story_id: int, *, charts: int = 8) -> list[Row]:
    """The story's figures over time, by source, one chart per thing counted: the claims'
    figure facet (``troops/total``), or, for figures compared by what they measure, the
    claim itself. Each chart has its points (date, value, upper value of a range, source,
    chain, article, attribution); only charts of two points or more (for a claim, of two
    values or more), the fullest first."""
    if not _has(con, "claims"):
        return []
    rows = con.execute(
        "SELECT m.claim_id AS claim, c.facet AS facet, c.label AS label,"
        " m.article_id AS article_id, m.attribution_id AS attribution_id,"
        " m.published AS published, m.value AS value, m.value_max AS value_max,"
        " m.chain AS chain, coalesce(t.source_name, m.origin_name) AS source,"
        " a.title AS title FROM claim_members m"
        " JOIN article_stories s ON s.article_id = m.article_id"
        " JOIN claims c ON c.id = m.claim_id JOIN articles a ON a.id = m.article_id"
        " LEFT JOIN attributions t ON t.article_id = m.article_id AND t.id = m.attribution_id"
        " WHERE s.story_id = ? AND m.value IS NOT NULL AND c.facet IS NOT NULL"
        " AND m.published IS NOT NULL ORDER BY m.published DESC, m.article_id LIMIT ?",
        (story_id, MAX_POINTS * charts),
    ).fetchall()
    groups: dict[str, Row] = {}
    for r in rows:
        unit, _, facet = r["facet"].partition("/")
        if unit == GENERAL:  # counts of anything: compared within their claim only
            key, title = f"claim:{r['claim']}", r["label"]
        else:
            key, title = r["facet"], f"{unit}: {facet.replace('_', ' ')}"
        group = groups.setdefault(key, {"key": key, "title": title, "points": []})
        if len(group["points"]) >= MAX_POINTS:
            continue
        group["points"].append(
            {
                "date": r["published"],
                "value": r["value"],
                "value_max": r["value_max"],
                "source": r["source"] or UNNAMED,
                "chain": json.loads(r["chain"] or "[]"),
                "article_id": r["article_id"],
                "attribution_id": r["attribution_id"],
                "title": r["title"],
                "claim": r["claim"],
            }
        )
    out = [
        g
        for g in groups.values()
        if len(g["points"]) >= 2
        # a claim's counts of anything ("two countries") say something only when they differ
        and (not g["key"].startswith("claim:") or len({p["value"] for p in g["points"]}) > 1)
    ]
    for g in out:
        g["points"].sort(key=lambda p: (p["date"], p["source"], p["article_id"]))
        g["sources"] = sorted({p["source"] for p in g["points"]}, key=str.casefold)
    out.sort(key=lambda g: (-len(g["points"]), g["key"]))
    return out[:charts]


# ---------------------------------------------------------------- the relay graph
def latest_statements(con: sqlite3.Connection, name: str, limit: int = 8) -> list[Row]:
    """What :func:`~newsledger.ledger.query.said` gives for ``name`` (its names and aliases,
    as the source or a chain link; newest articles first), first page only, found fast for
    common names too: those are met walking the articles from the newest."""
    names = names_for(con, name)
    marks = placeholders(names)
    row = con.execute(
        f"SELECT (SELECT count(*) FROM chains WHERE name COLLATE NOCASE IN ({marks}))"
        f" + (SELECT count(*) FROM attributions WHERE source_name COLLATE NOCASE IN ({marks}))",
        (*names, *names),
    ).fetchone()
    if row[0] < WALK_FROM:
        return said(con, name, limit=limit)
    cur = con.execute(
        f"SELECT {ATTRIBUTION_COLUMNS} FROM articles a CROSS JOIN attributions t"
        f" ON t.article_id = a.id WHERE t.source_name COLLATE NOCASE IN ({marks})"
        " OR EXISTS (SELECT 1 FROM chains c WHERE c.article_id = t.article_id"
        f" AND c.attribution_id = t.id AND +c.name COLLATE NOCASE IN ({marks}))"
        " ORDER BY a.published DESC, t.article_id, t.position LIMIT ?",
        (*names, *names, limit),
    )
    return [{**dict(r), "chain": json.loads(r["chain"])} for r in cur]


def relay_pairs(con: sqlite3.Connection, *, pairs: int = 5000) -> list[Row]:
    """The (relay, origin) name pairs of source chains, most attributions first (at most
    ``pairs``), each name with the ledger entity it stands for (``relay_entity``,
    ``origin_entity``: its canonical name and type) when exactly one has it, else None."""
    cur = con.execute(
        "SELECT r.name AS relay, o.name AS origin, count(*) AS attributions,"
        " count(DISTINCT r.article_id) AS articles"
        " FROM chains r JOIN chains o ON o.article_id = r.article_id"
        " AND o.attribution_id = r.attribution_id AND o.position = r.position + 1"
        " GROUP BY r.name, o.name ORDER BY attributions DESC, relay, origin LIMIT ?",
        (pairs,),
    )
    rows = [dict(r) for r in cur]
    found: dict[str, tuple[str, str] | None] = {}
    has_entities = _has(con, "ledger_entity_keys")

    def resolve(name: str) -> tuple[str, str] | None:
        if name not in found:
            entity = None
            lid = lookup_name(con, name) if has_entities and name != UNNAMED else None
            if lid is not None:
                row = con.execute(
                    "SELECT name, type FROM ledger_entities WHERE id = ?", (lid,)
                ).fetchone()
                entity = (row[0], row[1]) if row else None
            found[name] = entity
        return found[name]

    for row in rows:
        row["relay_entity"] = resolve(row["relay"])
        row["origin_entity"] = resolve(row["origin"])
    return rows


def relay_graph(
    con: sqlite3.Connection,
    *,
    named_only: bool = True,
    max_nodes: int = 200,
    min_attributions: int = 1,
) -> Row:
    """:func:`build_relay_graph` over :func:`relay_pairs` (read afresh)."""
    return build_relay_graph(
        relay_pairs(con),
        named_only=named_only,
        max_nodes=max_nodes,
        min_attributions=min_attributions,
    )


def build_relay_graph(
    pairs: list[Row],
    *,
    named_only: bool = True,
    max_nodes: int = 200,
    min_attributions: int = 1,
) -> Row:
    """Who relays whom, as nodes and weighted edges (relay → origin), for drawing.

    Chain links are names as the articles give them. A name that stands for one ledger
    entity is drawn as that entity (its canonical name and type), so "Kim Jong-un" and
    "Kim Jong Un" are one node. With ``named_only`` (the default) a link is kept only when
    both its names are entities the ledger knows: descriptions taken as sources ("the
    statement", "the world", "a spokesman"), pronouns ("we") and unnamed sources are left out
    and counted in ``hidden``. The ``(unnamed)`` placeholder is never a node. The heaviest
    links come first, until ``max_nodes`` nodes are drawn. An edge's ``articles`` adds up
    those of the spellings it merges.
    """
    edges: dict[tuple[str, str], Row] = {}
    info: dict[str, Row] = {}
    hidden_links = 0
    hidden_names: Counter[str] = Counter()
    for link in pairs:
        ends: list[str | None] = []
        for side in ("relay", "origin"):
            name, entity = link[side], link[f"{side}_entity"]
            if name == UNNAMED:
                ends.append(None)
                continue
            if entity is None and named_only:
                ends.append(None)
                hidden_names[name] += link["attributions"]
                continue
            canonical, type_ = entity if entity else (name, "description")
            node = info.setdefault(canonical, {"type": type_, "spellings": set()})
            node["spellings"].add(name)
            ends.append(canonical)
        relay, origin = ends
        if relay is None or origin is None:
            hidden_links += 1
            continue
        if relay == origin:
            continue  # two spellings of one entity
        edge = edges.setdefault(
            (relay, origin), {"relay": relay, "origin": origin, "attributions": 0, "articles": 0}
        )
        edge["attributions"] += link["attributions"]
        edge["articles"] += link["articles"]
    chosen: set[str] = set()
    kept: list[Row] = []
    for edge in sorted(edges.values(), key=lambda e: (-e["attributions"], e["relay"], e["origin"])):
        if edge["attributions"] < min_attributions:
            continue
        new = {edge["relay"], edge["origin"]} - chosen
        if len(chosen) + len(new) > max_nodes:
            continue
        chosen |= new
        kept.append(edge)
    weight: Counter[str] = Counter()
    for edge in kept:
        weight[edge["relay"]] += edge["attributions"]
        weight[edge["origin"]] += edge["attributions"]
    nodes = [
        {
            "name": n,
            "type": info[n]["type"],
            "spellings": sorted(info[n]["spellings"] - {n}),
            "attributions": weight[n],
        }
        for n in sorted(chosen, key=str.casefold)
    ]
    return {
        "nodes": nodes,
        "edges": kept,
        "hidden": {
            "links": hidden_links,
            "names": [n for n, _ in hidden_names.most_common(12)],
            "edges_left_out": len(edges) - len(kept),
        },
        "named_only": named_only,
    }
