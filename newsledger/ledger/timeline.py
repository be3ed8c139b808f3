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

__all__ = ["timeline"]

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


def timeline(con: sqlite3.Connection, entity: str, *, limit: int = 500) -> Row | None:
    """The timeline of ``entity`` (a ledger entity id or name); None when unknown."""
    lid = find_entity(con, entity)
    if lid is None:
        return None
    info = con.execute("SELECT id, name, type FROM ledger_entities WHERE id = ?", (lid,))
    head = dict(info.fetchone())
    rows = con.execute(
        "SELECT x.article_id, x.attribution_id, group_concat(DISTINCT x.role) AS roles,"
        " a.published, a.title, t.kind, t.source_name, t.content_text, t.chain,"
        " m.claim_id FROM attribution_entities x"
        " JOIN articles a ON a.id = x.article_id"
        " JOIN attributions t ON t.article_id = x.article_id AND t.id = x.attribution_id"
        " LEFT JOIN claim_members m ON m.article_id = x.article_id"
        " AND m.attribution_id = x.attribution_id"
        " WHERE x.ledger_entity = ? GROUP BY x.article_id, x.attribution_id"
        " ORDER BY a.published, a.id, t.position LIMIT ?",
        (lid, limit),
    ).fetchall()
    said: list[Row] = []
    about: list[Row] = []
    for r in rows:
        roles = set(r["roles"].split(","))
        own = _own_date(con, r["article_id"], r["attribution_id"])
        item = {
            "date": own or r["published"],
            "dated_by": "attribution" if own else "published",
            "article_id": r["article_id"],
            "attribution_id": r["attribution_id"],
            "title": r["title"],
            "kind": r["kind"],
            "source": r["source_name"],
            "chain": json.loads(r["chain"] or "[]"),
            "content": r["content_text"],
            "roles": sorted(roles),
            "claim_id": r["claim_id"],
        }
        (said if roles & {"source", "origin", "relay"} else about).append(item)
    key = lambda i: (i["date"] or "", i["article_id"])  # noqa: E731
    return {**head, "said": sorted(said, key=key), "about": sorted(about, key=key)}
