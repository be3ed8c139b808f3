"""Stories, stored: ``stories``, ``article_stories`` and the lead vectors they are found by.

:func:`assign` puts a newly added article into a story (method:
:mod:`newsledger.crossdoc.stories`). Candidate stories are those of articles that name one
of its entities — never a scan of the ledger, and an entity named in very many articles
(a country, a news agency) finds none — so the cost per article stays flat.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from newsledger.crossdoc.stories import (
    Embed,
    StoryArticle,
    StoryRules,
    Vector,
    as_vector,
    lead_of,
    merge_plan,
    story_matches,
    to_blob,
)
from newsledger.settings import DEFAULT_SETTINGS

__all__ = ["Placement", "StoryCache", "assign", "list_stories", "place", "story_of"]

_PLACE_TYPES = ("place", "gpe", "loc")
#: the ledger entity ``e`` as stories count it: the first entity of its name, whatever its
#: type, when the name has two words or more ("Aire Valley Water" read as an organisation in
#: one report and as a person in the next): the tagger's type is no part of a name. A name
#: of one word ("Smith", "Hamilton") stays the entity it is: one word names too many
_NAMED_AS = (
    "CASE WHEN instr(trim(e.name), ' ') > 0 THEN (SELECT min(x.id) FROM ledger_entities x"
    " WHERE x.name = e.name COLLATE NOCASE) ELSE e.id END"
)
#: the ledger entities counted as entity ?1 (:data:`_NAMED_AS`)
_SAME_NAME = (
    "SELECT y.id FROM ledger_entities y WHERE y.id = ?1 OR y.name = (SELECT name FROM"
    " ledger_entities WHERE id = ?1 AND instr(trim(name), ' ') > 0) COLLATE NOCASE"
)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _entities(
    con: sqlite3.Connection, article_ids: list[str]
) -> dict[str, tuple[frozenset[int], frozenset[int]]]:
    """Each article's named ledger entities and places, in one query per 500 articles."""
    names: dict[str, set[int]] = {a: set() for a in article_ids}
    places: dict[str, set[int]] = {a: set() for a in article_ids}
    for i in range(0, len(article_ids), 500):
        chunk = article_ids[i : i + 500]
        marks = ", ".join("?" for _ in chunk)
        for aid, lid, type_ in con.execute(
            f"SELECT DISTINCT m.article_id, {_NAMED_AS}, e.type FROM ledger_entity_members m"
            f" JOIN ledger_entities e ON e.id = m.ledger_entity WHERE m.article_id IN ({marks})",  # noqa: S608
            chunk,
        ):
            (places if type_ in _PLACE_TYPES else names)[aid].add(lid)
    return {a: (frozenset(names[a]), frozenset(places[a])) for a in article_ids}


class StoryCache:
    """What story matching reads, kept for one cross-document run: articles' publication
    days and lead vectors (they do not change while it runs), their named entities, and per
    ledger entity how many articles name it and the stories they are in, per story its most
    recent articles (kept in step as articles join stories). Entity data is dropped whenever
    an entity merge or split is logged. Holds at most ``size`` articles' leads, the least
    recently used going first."""

    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        self._leads: OrderedDict[str, tuple[date | None, Vector]] = OrderedDict()
        self._named: dict[str, tuple[frozenset[int], frozenset[int]]] = {}
        self._log_mark: int | None = None
        # ledger entity -> [articles naming it (capped), stories of those articles]
        self._entity: dict[int, tuple[list[int], set[int]]] = {}
        # story -> its most recent articles: (published, seq, article id), newest first
        self._recent: dict[int, list[tuple[str, int, str]]] = {}

    def check(self, con: sqlite3.Connection) -> None:
        """Drop the entity data when an entity merge or split was logged since it was read."""
        mark = con.execute("SELECT coalesce(max(id), 0) FROM entity_merge_log").fetchone()[0]
        if mark != self._log_mark or len(self._named) > self.size:
            self._named.clear()
            self._entity.clear()
            self._log_mark = mark

    def entity(
        self, con: sqlite3.Connection, lid: int, article_id: str, cap: int
    ) -> tuple[int, set[int]]:
        """How many articles other than ``article_id`` (just stored, not yet in a story)
        name ledger entity ``lid`` or an entity of its name (at most ``cap + 1`` counted),
        and their stories."""
        found = self._entity.get(lid)
        if found is None:
            count = con.execute(
                "SELECT count(*) FROM (SELECT DISTINCT article_id FROM ledger_entity_members"
                f" WHERE ledger_entity IN ({_SAME_NAME}) LIMIT ?2)",  # noqa: S608
                (lid, cap + 2),
            ).fetchone()[0]
            stories = {
                r[0]
                for r in con.execute(
                    "SELECT DISTINCT s.story_id FROM ledger_entity_members m JOIN article_stories"
                    f" s ON s.article_id = m.article_id WHERE m.ledger_entity IN ({_SAME_NAME})",  # noqa: S608
                    (lid,),
                )
            }
            found = ([count], stories)
            self._entity[lid] = found
        else:
            found[0][0] = min(found[0][0] + 1, cap + 2)  # the new article names it too
        return found[0][0] - 1, found[1]

    def joined(self, story_id: int, article_id: str, published: str | None, seq: int,
               entities: list[int], compared: int) -> None:  # fmt: skip
        """Keep the caches in step with an article that joined a story."""
        for lid in entities:
            if lid in self._entity:
                self._entity[lid][1].add(story_id)
        if story_id in self._recent:
            recent = [*self._recent[story_id], (published or "", seq, article_id)]
            recent.sort(reverse=True)
            self._recent[story_id] = recent[:compared]

    def forget_stories(self) -> None:
        """Drop what it knows of stories (after stories were joined into one)."""
        self._entity.clear()
        self._recent.clear()

    def recent(self, con: sqlite3.Connection, story_id: int, compared: int) -> list[str]:
        """The story's ``compared`` most recent articles, newest first."""
        if story_id not in self._recent:
            self._recent[story_id] = [
                (r[0] or "", r[1], r[2])
                for r in con.execute(
                    "SELECT a.published, a.seq, s.article_id FROM article_stories s JOIN articles a"
                    " ON a.id = s.article_id WHERE s.story_id = ?"
                    " ORDER BY a.published DESC, a.seq DESC LIMIT ?",
                    (story_id, compared),
                )
            ]
        return [r[2] for r in self._recent[story_id]]

    def named(
        self, con: sqlite3.Connection, article_ids: list[str]
    ) -> dict[str, tuple[frozenset[int], frozenset[int]]]:
        """Each article's named ledger entities and places."""
        self.check(con)
        missing = [a for a in article_ids if a not in self._named]
        if missing:
            self._named.update(_entities(con, missing))
        return {a: self._named[a] for a in article_ids}

    def lead(
        self, con: sqlite3.Connection, article_id: str, embed: Embed, rules: StoryRules
    ) -> tuple[date | None, Vector]:
        found = self._leads.get(article_id)
        if found is not None:
            self._leads.move_to_end(article_id)
            return found
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
                "INSERT OR REPLACE INTO article_vectors(article_id, model, vector)"
                " VALUES (?, ?, ?)",
                (article_id, embed.name, to_blob(vector)),
            )
        found = (_day(row["published"]), vector)
        self._leads[article_id] = found
        if len(self._leads) > self.size:
            self._leads.popitem(last=False)
        return found


def _story_articles(
    con: sqlite3.Connection,
    article_ids: list[str],
    embed: Embed,
    rules: StoryRules,
    cache: StoryCache,
) -> list[StoryArticle]:
    leads = [cache.lead(con, a, embed, rules) for a in article_ids]
    named = cache.named(con, article_ids)
    return [
        StoryArticle(a, day, *named[a], vector)
        for a, (day, vector) in zip(article_ids, leads, strict=True)
    ]


def _candidates(
    con: sqlite3.Connection, article_id: str, rules: StoryRules, cache: StoryCache
) -> tuple[dict[int, list[str]], list[int]]:
    """Stories of the articles naming one of this article's entities by its name (not the
    very common ones), with up to ``compared`` of their most recent articles; and the
    entities (each as the first entity of its name)."""
    cap = DEFAULT_SETTINGS.stories.common_entity_articles
    found: set[int] = set()
    cache.check(con)
    entities = [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT {_NAMED_AS} FROM ledger_entity_members m"  # noqa: S608
            " JOIN ledger_entities e ON e.id = m.ledger_entity WHERE m.article_id = ?",
            (article_id,),
        )
    ]
    for lid in entities:
        named_in, stories = cache.entity(con, lid, article_id, cap)
        if named_in > cap:
            continue  # a country, a news agency: named everywhere, it tells no story apart
        found.update(stories)
    return {sid: cache.recent(con, sid, rules.compared) for sid in sorted(found)}, entities


@dataclass(frozen=True, slots=True)
class Placement:
    """Where :func:`place` put an article: its story, and the articles of other stories it
    joined into that one (:func:`newsledger.crossdoc.stories.merge_plan`), in ingest order,
    whose claims and conflicts were decided apart and are to be placed again."""

    story_id: int
    moved: tuple[str, ...] = ()


def assign(
    con: sqlite3.Connection, article_id: str, embed: Embed, cache: StoryCache | None = None
) -> int:
    """Put a stored article (its entities already resolved) into a story; return its id
    (:func:`place`)."""
    return place(con, article_id, embed, cache).story_id


def place(
    con: sqlite3.Connection, article_id: str, embed: Embed, cache: StoryCache | None = None
) -> Placement:
    """Put a stored article (its entities already resolved) into a story, joining the
    stories it bridges into one. ``cache`` keeps the articles' leads between calls of one
    run."""
    row = con.execute(
        "SELECT story_id FROM article_stories WHERE article_id = ?", (article_id,)
    ).fetchone()
    if row is not None:
        return Placement(int(row[0]))
    rules = StoryRules.for_model(embed.name)
    cache = cache or StoryCache()
    (me,) = _story_articles(con, [article_id], embed, rules, cache)
    found_in, entities = _candidates(con, article_id, rules, cache)
    everyone = list(dict.fromkeys(a for members in found_in.values() for a in members))
    loaded = {s.article_id: s for s in _story_articles(con, everyone, embed, rules, cache)}
    candidates = {sid: [loaded[a] for a in members] for sid, members in found_in.items()}
    matches = story_matches(me, candidates, rules)
    sizes = _sizes(con, [m.story_id for m in matches])
    plan = merge_plan(matches, sizes, rules)
    published = me.published.isoformat() if me.published else None
    moved: tuple[str, ...] = ()
    if plan is None:
        cur = con.execute(
            "INSERT INTO stories(first_published, last_published, articles) VALUES (?, ?, 1)",
            (published, published),
        )
        story_id = int(cur.lastrowid or 0)
    else:
        story_id, joined = plan
        if joined:
            moved = _join_stories(con, story_id, joined)
            cache.forget_stories()
        con.execute(
            "UPDATE stories SET articles = articles + 1,"
            " first_published = CASE WHEN ? < coalesce(first_published, ?) THEN ?"
            " ELSE coalesce(first_published, ?) END,"
            " last_published = CASE WHEN ? > coalesce(last_published, ?) THEN ?"
            " ELSE coalesce(last_published, ?) END WHERE id = ?",
            (published,) * 8 + (story_id,),
        )
    score = next((m.score for m in matches if m.story_id == story_id), None)
    con.execute(
        "INSERT INTO article_stories(article_id, story_id, score) VALUES (?, ?, ?)",
        (article_id, story_id, score),
    )
    seq, stamp = con.execute(
        "SELECT seq, published FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    cache.joined(story_id, article_id, stamp, seq, entities, rules.compared)
    return Placement(story_id, moved)


def _sizes(con: sqlite3.Connection, story_ids: list[int]) -> dict[int, int]:
    marks = ", ".join("?" for _ in story_ids)
    return dict(
        con.execute(f"SELECT id, articles FROM stories WHERE id IN ({marks})", story_ids)  # noqa: S608
    )


def _join_stories(con: sqlite3.Connection, story_id: int, joined: list[int]) -> tuple[str, ...]:
    """Join the stories ``joined`` into ``story_id``; returns their articles, in ingest
    order."""
    marks = ", ".join("?" for _ in joined)
    moved = tuple(
        r[0]
        for r in con.execute(
            "SELECT s.article_id FROM article_stories s JOIN articles a ON a.id = s.article_id"
            f" WHERE s.story_id IN ({marks}) ORDER BY a.seq",  # noqa: S608
            joined,
        )
    )
    con.execute(
        f"UPDATE article_stories SET story_id = ? WHERE story_id IN ({marks})",  # noqa: S608
        (story_id, *joined),
    )
    con.execute(
        "UPDATE stories SET articles = (SELECT count(*) FROM article_stories WHERE story_id = ?1),"
        " first_published = (SELECT min(first_published) FROM stories WHERE id = ?1"
        f" OR id IN ({marks})), last_published = (SELECT max(last_published) FROM stories"  # noqa: S608
        f" WHERE id = ?1 OR id IN ({marks})) WHERE id = ?1",
        (story_id, *joined, *joined),
    )
    con.execute(f"DELETE FROM stories WHERE id IN ({marks})", joined)  # noqa: S608
    return moved


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
