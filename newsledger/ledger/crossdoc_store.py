"""The cross-document tables kept up to date: identity, claims, conflicts per stored article.

:func:`update` brings the cross-document tables up to date for newly stored articles only;
:func:`rebuild` clears them and runs :func:`update` over every article in ingest order, so an
incremental ledger and a rebuilt one hold the same clusters and conflicts. Which articles are
still to add is durable: storing an article marks it in ``crossdoc_pending`` (in the article's
own transaction) and :func:`update` clears the mark in the transaction that adds the article's
cross-document rows, so :func:`update_pending` completes whatever an interrupted update (a
kill, a full disk) left, and the result is the one an uninterrupted run gives. These are
:meth:`Ledger.update_crossdoc <newsledger.ledger.Ledger.update_crossdoc>`,
:meth:`~newsledger.ledger.Ledger.complete_crossdoc` and
:meth:`~newsledger.ledger.Ledger.rebuild_crossdoc`. This module reads the rows, the pure
stage :mod:`newsledger.crossdoc` decides, :mod:`.entities`, :mod:`.claims` and
:mod:`.conflicts` write. Method and tables: ``docs/crossdoc.md``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence

from newsledger.crossdoc.propositions import (
    ArticleFacts,
    Proposition,
    outlet_of,
    per_figure,
    propositions_of,
    subject_keys,
)
from newsledger.crossdoc.stories import Embed, HashedWords
from newsledger.embed import Embedder
from newsledger.ledger import entities
from newsledger.ledger.analyses import read_analysis
from newsledger.ledger.claim_refresh import refresh_claim
from newsledger.ledger.claims import ClaimIndex
from newsledger.ledger.conflicts import detect
from newsledger.ledger.stories import StoryCache
from newsledger.ledger.stories import place as place_story

__all__ = [
    "CROSSDOC_TABLES",
    "default_embed",
    "pending",
    "read_article",
    "rebuild",
    "update",
    "update_pending",
]


#: Tables derived by this package (cleared by :func:`rebuild`; ``entity_rules`` is kept).
#: ``progress(done, total)``: articles added so far, of how many
Progress = Callable[[int, int], None]

CROSSDOC_TABLES = (
    "ledger_entities",
    "ledger_entity_members",
    "ledger_entity_keys",
    "attribution_entities",
    "claims",
    "claim_members",
    "claim_keys",
    "conflicts",
    "term_stats",
    "article_stories",
    "stories",
)


def _link_attributions(
    con: sqlite3.Connection, article_id: str, entity_map: dict[str, int]
) -> None:
    """``attribution_entities``: source, origin, relays and entities mentioned in contents."""
    mentions = con.execute(
        "SELECT entity_id, start, end FROM mentions WHERE article_id = ?", (article_id,)
    ).fetchall()
    rows = []
    for a in con.execute(
        "SELECT id, source_entity, source_name, chain, content_start, content_end"
        " FROM attributions WHERE article_id = ?",
        (article_id,),
    ).fetchall():
        chain = json.loads(a["chain"] or "[]")
        src = entity_map.get(a["source_entity"] or "")
        if src is None and a["source_name"]:
            src = entities.lookup_name(con, a["source_name"])
        if src is not None:
            rows.append((article_id, a["id"], "source", src))
        for i, name in enumerate(chain):
            lid = src if (i == len(chain) - 1 and name == a["source_name"]) else None
            lid = lid if lid is not None else entities.lookup_name(con, name)
            if lid is not None:
                role = "origin" if i == len(chain) - 1 else "relay"
                rows.append((article_id, a["id"], role, lid))
        for eid, s, e in mentions:
            if a["content_start"] <= s and e <= a["content_end"] and eid in entity_map:
                rows.append((article_id, a["id"], "about", entity_map[eid]))
    con.executemany(
        "INSERT OR IGNORE INTO attribution_entities(article_id, attribution_id, role,"
        " ledger_entity) VALUES (?, ?, ?, ?)",
        rows,
    )


def _prune(con: sqlite3.Connection) -> None:
    """Drop claims whose members went with deleted articles, and entities with no member."""
    for (cid,) in con.execute(
        "SELECT c.id FROM claims c LEFT JOIN (SELECT claim_id, count(*) AS n FROM claim_members"
        " GROUP BY claim_id) m ON m.claim_id = c.id WHERE coalesce(m.n, 0) != c.members"
    ).fetchall():
        refresh_claim(con, cid)
    con.execute(
        "DELETE FROM ledger_entity_keys WHERE ledger_entity NOT IN"
        " (SELECT ledger_entity FROM ledger_entity_members)"
    )
    con.execute(
        "DELETE FROM ledger_entities WHERE id NOT IN"
        " (SELECT ledger_entity FROM ledger_entity_members)"
    )


def pending(con: sqlite3.Connection) -> list[str]:
    """The articles marked as not yet in the cross-document tables, in ingest order."""
    return [
        r[0]
        for r in con.execute(
            "SELECT p.article_id FROM crossdoc_pending p JOIN articles a ON a.id = p.article_id"
            " ORDER BY a.seq"
        )
    ]


def update_pending(
    con: sqlite3.Connection, embed: Embed | None = None, progress: Progress | None = None
) -> dict[str, int]:
    """Add every pending article (:func:`pending`) to the cross-document tables, in ingest
    order; returns the counts of :func:`update`."""
    return update(con, pending(con), embed, progress)


def _rollback(con: sqlite3.Connection) -> None:
    # SQLite may have rolled back already (a full disk, an I/O error)
    if con.in_transaction:
        con.execute("ROLLBACK")


def update(
    con: sqlite3.Connection,
    article_ids: Iterable[str],
    embed: Embed | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Add stored articles to the cross-document tables (identity, stories, claims,
    conflicts), one transaction per article, in the given order; articles not pending
    (already added, or deleted) are skipped. Each transaction clears the article's pending
    mark.

    ``con`` is a ledger's connection; ``embed`` the sentence embeddings stories are found by
    (default: :func:`default_embed`); ``progress(done, total)`` is called before the first
    article and after each. Returns counts (``articles``, ``claims_new``, ``members``).
    """
    article_ids = list(article_ids)
    if progress:
        progress(0, len(article_ids))
    index = ClaimIndex(con, embed or default_embed())
    stories = StoryCache()
    pruned = False
    stats = {"articles": 0, "claims_new": 0, "members": 0}
    for done, article_id in enumerate(article_ids, 1):
        con.execute("BEGIN IMMEDIATE")
        try:
            marked = con.execute(
                "DELETE FROM crossdoc_pending WHERE article_id = ?", (article_id,)
            ).rowcount
            if marked:
                if not pruned:
                    _prune(con)  # once a run: claims that lost members to deleted articles
                    pruned = True
                entity_map = entities.resolve_article(con, article_id)
                entities.apply_rules(con)
                entity_map = _entity_map(con, article_id)
                _link_attributions(con, article_id, entity_map)
                placement = place_story(con, article_id, index.embed, stories)
                if placement.moved:
                    _place_claims_again(index, placement.moved)
                props = _add_claims(index, article_id, entity_map, stats)
                index.count_terms(props)
                index.count_article(article_id)
                stats["articles"] += 1
            con.execute("COMMIT")
        except BaseException:
            _rollback(con)
            index.reset()
            raise
        if progress:
            progress(done, len(article_ids))
    return stats


def _add_claims(
    index: ClaimIndex, article_id: str, entity_map: dict[str, int], stats: dict[str, int]
) -> list[Proposition]:
    """Put an article's statements into claims and record their conflicts; returns its
    propositions."""
    props = read_article(index.con, article_id, entity_map)
    index.note_values(article_id, props)
    for p in (part for q in props for part in per_figure(q)):
        placed = index.add_proposition(p, entity_map)
        if placed is None:
            continue
        stats["members"] += 1
        cid, new = placed
        stats["claims_new"] += new
        detect(index, cid, p)
    return props


def _place_claims_again(index: ClaimIndex, article_ids: Sequence[str]) -> None:
    """The claims and conflicts of articles whose story was joined into another: decided
    while the two were apart, they are taken out and placed again, in ingest order, now
    that the articles of both are one story (their words were counted once already)."""
    con = index.con
    touched: set[int] = set()
    for article_id in article_ids:
        members = con.execute(
            "SELECT claim_id, attribution_id FROM claim_members WHERE article_id = ?",
            (article_id,),
        ).fetchall()
        touched.update(r[0] for r in members)
        refs = sorted({f"{article_id}:{r[1]}" for r in members})
        con.executemany(
            "DELETE FROM conflicts WHERE attribution_a = ? OR attribution_b = ?",
            [(ref, ref) for ref in refs],
        )
        con.execute("DELETE FROM claim_members WHERE article_id = ?", (article_id,))
    for cid in sorted(touched):
        refresh_claim(con, cid)
    index.reset()
    unused = {"members": 0, "claims_new": 0}
    for article_id in article_ids:
        _add_claims(index, article_id, _entity_map(con, article_id), unused)


def _entity_map(con: sqlite3.Connection, article_id: str) -> dict[str, int]:
    """An article's entities → their ledger entities."""
    return {
        r[0]: r[1]
        for r in con.execute(
            "SELECT entity_id, ledger_entity FROM ledger_entity_members WHERE article_id = ?",
            (article_id,),
        )
    }


def default_embed() -> Embed:
    """The sentence embeddings of a default run: MiniLM (:mod:`newsledger.embed`) when its
    weights are installed, else hashed word vectors."""
    if Embedder.available():
        return Embedder.default()
    return HashedWords()


def rebuild(
    con: sqlite3.Connection, embed: Embed | None = None, progress: Progress | None = None
) -> dict[str, int]:
    """Recompute every cross-document table from the stored articles (in ingest order);
    hand rules (``entity_rules``) are kept and applied again."""
    con.execute("BEGIN IMMEDIATE")
    try:
        for table in CROSSDOC_TABLES:
            con.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        con.execute("DELETE FROM entity_merge_log WHERE by = 'auto'")
        # every article is pending again, so an interrupted rebuild is completed later
        con.execute("INSERT OR IGNORE INTO crossdoc_pending(article_id) SELECT id FROM articles")
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise
    return update_pending(con, embed, progress)


def read_article(
    con: sqlite3.Connection, article_id: str, entity_map: dict[str, int]
) -> list[Proposition]:
    """The propositions of one stored article (nested duplicates dropped): its typed record
    (:func:`~newsledger.ledger.analyses.read_analysis`) with its entities' subject keys, as
    :class:`~newsledger.crossdoc.propositions.ArticleFacts` for
    :func:`~newsledger.crossdoc.propositions.propositions_of`."""
    analysis = read_analysis(con, article_id)
    if analysis is None:
        return []
    mentions = [(e.id, start, end) for e in analysis.entities for start, end in e.mentions]
    keys: dict[int, set[str]] = {}
    for eid, _, _ in mentions:
        if eid in entity_map and entity_map[eid] not in keys:
            lid = entity_map[eid]
            row = con.execute("SELECT name, kb, type FROM ledger_entities WHERE id = ?", (lid,))
            found = row.fetchone()
            keys[lid] = subject_keys(lid, found[0], found[1], found[2]) if found else set()
    info = analysis.article
    facts = ArticleFacts(
        article_id, analysis.text, info.published, outlet_of(info.site, info.url),
        analysis.attributions, analysis.quantities, analysis.dates, analysis.events,
        mentions, keys,
    )  # fmt: skip
    return propositions_of(facts, entity_map)
