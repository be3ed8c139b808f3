"""Stored records read back as the typed :class:`~newsledger.model.Analysis` (its rows →
the record ``analyze`` returned), for :meth:`Ledger.get` and the cross-document update."""

from __future__ import annotations

import json
import sqlite3

from newsledger.model import (
    Analysis,
    ArticleInfo,
    Attribution,
    DateMention,
    Entity,
    Event,
    Issue,
    Quantity,
    Source,
    Span,
)

__all__ = ["read_analysis"]


def read_analysis(con: sqlite3.Connection, article_id: str) -> Analysis | None:
    """The stored analysis of ``article_id`` rebuilt from its rows, or None."""
    art = con.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    if art is None:
        return None
    args = (article_id,)
    mentions: dict[str, list[list[int]]] = {}
    for r in con.execute(
        'SELECT entity_id, start, "end" FROM mentions WHERE article_id = ? ORDER BY'
        " entity_id, position",
        args,
    ):
        mentions.setdefault(r[0], []).append([r[1], r[2]])
    chains: dict[str, list[str]] = {}
    for r in con.execute(
        "SELECT attribution_id, name FROM chains WHERE article_id = ?"
        " ORDER BY attribution_id, position",
        args,
    ):
        chains.setdefault(r[0], []).append(r[1])

    def rows(table: str) -> list[sqlite3.Row]:
        return con.execute(
            f"SELECT * FROM {table} WHERE article_id = ? ORDER BY position", args
        ).fetchall()

    return Analysis(
        article=ArticleInfo(
            id=art["id"],
            title=art["title"],
            published=art["published"],
            url=art["url"],
            text_sha256=art["text_sha256"],
            site=art["site"],
        ),
        text=art["text"],
        attributions=[
            _attribution(r, chains.get(r["id"], []), art["text"]) for r in rows("attributions")
        ],
        entities=[
            Entity(
                id=r["id"],
                name=r["name"],
                type=r["type"],
                aliases=json.loads(r["aliases"]),
                mentions=mentions.get(r["id"], []),
                kb=json.loads(r["kb"]),
            )
            for r in rows("entities")
        ],
        quantities=[
            Quantity(
                text=r["text"],
                start=r["start"],
                end=r["end"],
                value=r["value"],
                value_max=r["value_max"],
                unit=r["unit"],
                approximate=bool(r["approximate"]),
                vague=bool(r["vague"]),
                part_of=r["part_of"],
                attribution=r["attribution"],
                id=r["id"],
                measure=r["measure"],
            )
            for r in rows("quantities")
        ],
        dates=[
            DateMention(
                text=r["text"],
                start=r["start"],
                end=r["end"],
                value=r["value"],
                anchor=r["anchor"],
                attribution=r["attribution"],
            )
            for r in rows("dates")
        ],
        events=[
            Event(
                id=r["id"],
                trigger=Span(r["trigger_text"], r["trigger_start"], r["trigger_end"]),
                type=r["type"],
                actor=r["actor"],
                target=r["target"],
                location=r["location"],
                date=r["date"],
                attribution=r["attribution"],
            )
            for r in rows("events")
        ],
        issues=[
            Issue(
                kind=r["kind"],
                text=r["text"],
                start=r["start"],
                end=r["end"],
                suggestion=r["suggestion"],
                confidence=r["confidence"],
                message=r["message"],
            )
            for r in rows("issues")
        ],
    )


def _attribution(r: sqlite3.Row, chain: list[str], text: str) -> Attribution:
    source = None
    if r["source_start"] is not None:
        source = Source(
            text=r["source_text"],
            start=r["source_start"],
            end=r["source_end"],
            name=r["source_name"],
            entity=r["source_entity"],
            type=r["source_type"],
            role=r["source_role"],
        )
    return Attribution(
        id=r["id"],
        kind=r["kind"],
        cue=Span(r["cue_text"], r["cue_start"], r["cue_end"]),
        content=Span(r["content_text"], r["content_start"], r["content_end"]),
        source=source,
        parent=r["parent"],
        chain=chain,
        confidence=r["confidence"],
        content_parts=[Span(text[a:b], a, b) for a, b in json.loads(r["content_parts"] or "[]")],
        act=r["act"],
    )
