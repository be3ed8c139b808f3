"""Timelines: per ledger entity, what it said and what was said about it, by date.

"Said": attributions with the entity as source, origin (last chain link) or relay. "About":
attributions whose content mentions the entity. Each item is dated by the attribution's own
date when the record has one outside the content (a full ``YYYY-MM-DD`` attached to the
attribution, e.g. "said on Sunday"), else by the article's published date.
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from newsledger.ledger.entities import find_entity
from newsledger.records import TimelineItem

__all__ = ["timeline", "timeline_counts"]

Row = dict[str, Any]
_FULL = re.compile(r"\d{4}-\d{2}-\d{2}")


def _own_date(con: sqlite3.Connection, article_id: str, attribution_id: str) -> str | None:
    row = con.execute(
        "SELECT content_start, content_end FROM attributions WHERE article_id = ? AND id = ?",
        (article_id, attribution_id),
    ).fetchone()
    for d in con.execute(
        "SELECT value, start, end FROM dates WHERE article_id = ? AND attribution = ?"
        " ORDER BY position",
        (article_id, attribution_id),
    ):
        inside = row is not None and row[0] <= d["start"] and d["end"] <= row[1]
        if not inside and d["value"] and _FULL.fullmatch(d["value"]):
            return d["value"]
    return None


_SAID_ROLES = ("source", "origin", "relay")
#: ``said`` when the entity is the source, origin or a relay of the attribution
_SAID = "max(x.role IN ('source', 'origin', 'relay'))"


#: an entity with more attribution links than this has a page of its timeline found by walking
#: the articles in date order (it is soon met); a rarer one by sorting all of its own
WALK_FROM = 2000


def _page(
    con: sqlite3.Connection,
    lid: int,
    where: str,
    params: list[Any],
    role: str | None,
    order: str,
    limit: int,
    offset: int,
) -> list[tuple[str, str, str]]:
    """(article, attribution, roles) of one page of ``lid``'s timeline, in published order."""
    links = con.execute(
        "SELECT count(*) FROM attribution_entities WHERE ledger_entity = ?", (lid,)
    ).fetchone()[0]
    if links <= WALK_FROM:
        having = ""
        if role in ("said", "about"):
            having = f" HAVING {_SAID} = {1 if role == 'said' else 0}"
        cur = con.execute(
            "SELECT x.article_id, x.attribution_id, group_concat(DISTINCT x.role)"
            " FROM attribution_entities x JOIN articles a ON a.id = x.article_id"
            " JOIN attributions t ON t.article_id = x.article_id AND t.id = x.attribution_id"
            f" WHERE x.ledger_entity = ?{where} GROUP BY x.article_id, x.attribution_id{having}"
            f" ORDER BY a.published {order}, a.id {order}, t.position LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [(r[0], r[1], r[2]) for r in cur]
    # ``+x.ledger_entity``: read the article's own links, not every link of the entity
    articles = con.execute(
        "SELECT a.id FROM articles a WHERE EXISTS (SELECT 1 FROM attribution_entities x"
        f" WHERE x.article_id = a.id AND +x.ledger_entity = ?){where}"
        f" ORDER BY a.published {order}, a.id {order}",
        params,
    )
    out: list[tuple[str, str, str]] = []
    skipped = 0
    for (article_id,) in articles:
        for attribution_id, roles in con.execute(
            "SELECT x.attribution_id, group_concat(DISTINCT x.role) FROM attribution_entities x"
            " JOIN attributions t ON t.article_id = x.article_id AND t.id = x.attribution_id"
            " WHERE x.article_id = ? AND +x.ledger_entity = ? GROUP BY x.attribution_id"
            " ORDER BY min(t.position)",
            (article_id, lid),
        ):
            said = bool(set(roles.split(",")) & set(_SAID_ROLES))
            if role in ("said", "about") and said != (role == "said"):
                continue
            if skipped < offset:
                skipped += 1
                continue
            out.append((article_id, attribution_id, roles))
            if len(out) >= limit:
                return out
    return out


def timeline(
    con: sqlite3.Connection,
    entity: str,
    *,
    limit: int = 500,
    offset: int = 0,
    role: str | None = None,
    since: str | None = None,
    until: str | None = None,
    newest_first: bool = False,
) -> Row | None:
    """The timeline of ``entity`` (a ledger entity id or name); None when unknown.

    ``role`` (``said`` or ``about``) keeps one list; ``since``/``until`` bound the articles'
    published dates; ``limit``/``offset`` page through the attributions in published order
    (``newest_first`` reverses it; each list is then sorted by its items' own dates).
    """
    lid = find_entity(con, entity)
    if lid is None:
        return None
    info = con.execute("SELECT id, name, type FROM ledger_entities WHERE id = ?", (lid,))
    head = dict(info.fetchone())
    where = ""
    params: list[Any] = [lid]
    if since:
        where += " AND a.published >= ?"
        params.append(since)
    if until:
        where += " AND a.published <= ?"
        params.append(until)
    order = "DESC" if newest_first else ""
    keys = _page(con, lid, where, params, role, order, limit, offset)
    rows = []
    for article_id, attribution_id, joined in keys:
        row = con.execute(
            "SELECT a.published, a.title, t.kind, t.source_name, t.content_text, t.chain,"
            " m.claim_id FROM attributions t JOIN articles a ON a.id = t.article_id"
            " LEFT JOIN claim_members m ON m.article_id = t.article_id"
            " AND m.attribution_id = t.id WHERE t.article_id = ? AND t.id = ?",
            (article_id, attribution_id),
        ).fetchone()
        rows.append(
            {
                **dict(row),
                "article_id": article_id,
                "attribution_id": attribution_id,
                "roles": joined,
            }
        )
    said: list[Row] = []
    about: list[Row] = []
    for r in rows:
        roles = set(r["roles"].split(","))
        own = _own_date(con, r["article_id"], r["attribution_id"])
        item = TimelineItem(
            date=own or r["published"],
            dated_by="attribution" if own else "published",
            article_id=r["article_id"],
            attribution_id=r["attribution_id"],
            title=r["title"],
            kind=r["kind"],
            source=r["source_name"],
            chain=json.loads(r["chain"] or "[]"),
            content=r["content_text"],
            roles=sorted(roles),
            claim_id=r["claim_id"],
        ).to_dict()
        (said if roles & set(_SAID_ROLES) else about).append(item)
    key = lambda i: (i["date"] or "", i["article_id"])  # noqa: E731
    return {
        **head,
        "said": sorted(said, key=key, reverse=newest_first),
        "about": sorted(about, key=key, reverse=newest_first),
    }


def timeline_counts(
    con: sqlite3.Connection, ledger_id: int, *, since: str | None = None, until: str | None = None
) -> list[Row]:
    """Per published date: how many attributions ``ledger_id`` said (as source, origin or
    relay) and how many were about it (its name in their content), oldest first."""
    where = ""
    params: list[Any] = [ledger_id]
    if since:
        where += " AND a.published >= ?"
        params.append(since)
    if until:
        where += " AND a.published <= ?"
        params.append(until)
    cur = con.execute(
        "SELECT published, sum(said) AS said, count(*) - sum(said) AS about FROM ("
        f" SELECT a.published AS published, {_SAID} AS said FROM attribution_entities x"
        " JOIN articles a ON a.id = x.article_id"
        f" WHERE x.ledger_entity = ?{where} GROUP BY x.article_id, x.attribution_id)"
        " GROUP BY published ORDER BY published",
        params,
    )
    return [{"published": r[0], "said": int(r[1] or 0), "about": int(r[2] or 0)} for r in cur]
