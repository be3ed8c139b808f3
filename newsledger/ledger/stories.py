"""Stories, stored: ``stories``, ``article_stories`` and the lead vectors they are found by.

:func:`assign` puts a newly added article into a story (method:
:mod:`newsledger.crossdoc.stories`). Candidate stories are those of articles that name one
of its entities — never a scan of the ledger, and an entity named in very many articles
(a country, a news agency) finds none — so the cost per article stays flat.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from newsledger.crossdoc.stories import (
    Embed,
    StoryArticle,
    StoryRules,
    as_vector,
    best_story,
    lead_of,
    to_blob,
)
from newsledger.settings import DEFAULT_SETTINGS

__all__ = ["assign", "list_stories", "story_of"]

_PLACE_TYPES = ("place", "gpe", "loc")


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _entities(con: sqlite3.Connection, article_id: str) -> tuple[frozenset[int], frozenset[int]]:
    names: set[int] = set()
    places: set[int] = set()
    for lid, type_ in con.execute(
        "SELECT DISTINCT m.ledger_entity, e.type FROM ledger_entity_members m"
        " JOIN ledger_entities e ON e.id = m.ledger_entity WHERE m.article_id = ?",
        (article_id,),
    ):
        (places if type_ in _PLACE_TYPES else names).add(lid)
    return frozenset(names), frozenset(places)


def _story_article(
    con: sqlite3.Connection, article_id: str, embed: Embed, rules: StoryRules
) -> StoryArticle:
    row = con.execute(
        "SELECT a.title, a.text, a.published, v.vector, v.model FROM articles a"
        " LEFT JOIN article_vectors v ON v.article_id = a.id WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    if row["vector"] is not None and row["model"] == embed.name:
        vector = as_vector(row["vector"])
    else:
        vector = embed.embed([lead_of(row["title"], row["text"], rules.lead_chars)])[0]
        con.execute(
            "INSERT OR REPLACE INTO article_vectors(article_id, model, vector) VALUES (?, ?, ?)",
            (article_id, embed.name, to_blob(vector)),
        )
    names, places = _entities(con, article_id)
    return StoryArticle(article_id, _day(row["published"]), names, places, vector)


def _candidates(
    con: sqlite3.Connection, article_id: str, rules: StoryRules
) -> dict[int, list[str]]:
    """Stories of the articles naming one of this article's entities (not the very common
    ones), with up to ``compared`` of their most recent articles."""
    cap = DEFAULT_SETTINGS.stories.common_entity_articles
    found: set[int] = set()
    for (lid,) in con.execute(
        "SELECT DISTINCT ledger_entity FROM ledger_entity_members WHERE article_id = ?",
        (article_id,),
    ).fetchall():
        named_in = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT article_id FROM ledger_entity_members WHERE ledger_entity = ?"
                " AND article_id != ? LIMIT ?",
                (lid, article_id, cap + 1),
            )
        ]
        if len(named_in) > cap:
            continue  # a country, a news agency: named everywhere, it tells no story apart
        marks = ", ".join("?" for _ in named_in)
        found.update(
            r[0]
            for r in con.execute(
                f"SELECT story_id FROM article_stories WHERE article_id IN ({marks})",  # noqa: S608
                named_in,
            )
        )
    stories = sorted(found)
    out: dict[int, list[str]] = {}
    for sid in stories:
        out[sid] = [
            r[0]
            for r in con.execute(
                "SELECT s.article_id FROM article_stories s JOIN articles a ON a.id = s.article_id"
                " WHERE s.story_id = ? ORDER BY a.published DESC, a.seq DESC LIMIT ?",
                (sid, rules.compared),
            )
        ]
    return out


def assign(con: sqlite3.Connection, article_id: str, embed: Embed) -> int:
    """Put a stored article (its entities already resolved) into a story; return its id."""
    row = con.execute(
        "SELECT story_id FROM article_stories WHERE article_id = ?", (article_id,)
    ).fetchone()
    if row is not None:
        return int(row[0])
    rules = StoryRules.for_model(embed.name)
    me = _story_article(con, article_id, embed, rules)
    candidates = {
        sid: [_story_article(con, a, embed, rules) for a in members]
        for sid, members in _candidates(con, article_id, rules).items()
    }
    found = best_story(me, candidates, rules)
    published = me.published.isoformat() if me.published else None
    if found is None:
        cur = con.execute(
            "INSERT INTO stories(first_published, last_published, articles) VALUES (?, ?, 1)",
            (published, published),
        )
        story_id = int(cur.lastrowid or 0)
    else:
        story_id = found[0]
        con.execute(
            "UPDATE stories SET articles = articles + 1,"
            " first_published = CASE WHEN ? < coalesce(first_published, ?) THEN ?"
            " ELSE coalesce(first_published, ?) END,"
            " last_published = CASE WHEN ? > coalesce(last_published, ?) THEN ?"
            " ELSE coalesce(last_published, ?) END WHERE id = ?",
            (published,) * 8 + (story_id,),
        )
    con.execute(
        "INSERT INTO article_stories(article_id, story_id, score) VALUES (?, ?, ?)",
        (article_id, story_id, found[1] if found else None),
    )
    return story_id


def story_of(con: sqlite3.Connection, article_id: str) -> int | None:
    row = con.execute(
        "SELECT story_id FROM article_stories WHERE article_id = ?", (article_id,)
    ).fetchone()
    return int(row[0]) if row else None


def list_stories(
    con: sqlite3.Connection, *, limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    """Stories, the latest first, each with its articles (id, title, published, site)."""
    out = []
    for s in con.execute(
        "SELECT * FROM stories ORDER BY last_published DESC, id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall():
        members = [
            dict(r)
            for r in con.execute(
                "SELECT a.id, a.title, a.published, a.site FROM article_stories s"
                " JOIN articles a ON a.id = s.article_id WHERE s.story_id = ?"
                " ORDER BY a.published, a.seq",
                (s["id"],),
            )
        ]
        out.append({**dict(s), "members": members})
    return out
