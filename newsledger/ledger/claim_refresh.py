"""A claim's counts, origins and independence, recomputed from its members.

Kept below :mod:`.claims` and :mod:`.entities`: merging or splitting a ledger entity changes
the origins of the claims it speaks in.
"""

from __future__ import annotations

import json
import sqlite3

from newsledger.crossdoc.claims import independence, stand_in_apart

__all__ = ["refresh_claim", "refresh_claims_with_origin"]


def refresh_claim(con: sqlite3.Connection, cid: int) -> None:
    """Recompute a claim's counts, origins and independence from its members; drop it (and
    its keys and conflicts) when it has none."""
    row = con.execute(
        "SELECT count(*), count(DISTINCT article_id), min(published), max(published)"
        " FROM claim_members WHERE claim_id = ?",
        (cid,),
    ).fetchone()
    members, articles, first, last = row
    if members == 0:
        con.execute("DELETE FROM claims WHERE id = ?", (cid,))
        con.execute("DELETE FROM claim_keys WHERE claim_id = ?", (cid,))
        con.execute("DELETE FROM conflicts WHERE claim_a = ? OR claim_b = ?", (cid, cid))
        return
    names: dict[str, str | None] = {}
    for key, name in con.execute(
        "SELECT origin_key, origin_name FROM claim_members WHERE claim_id = ?"
        " ORDER BY origin_key, position",
        (cid,),
    ):
        names.setdefault(key, name)
    origins = sorted(names)
    pairs = [(k, names[k]) for k in origins]
    verdict = independence(pairs, articles)
    if verdict != "independent":  # only then can a stand-in that stands apart change it
        apart = frozenset(k for k in origins if _stands_apart(con, k, names))
        if apart:
            verdict = independence(pairs, articles, apart)
    con.execute(
        "UPDATE claims SET independence = ?, origins = ?, members = ?, articles = ?,"
        " first_published = ?, last_published = ? WHERE id = ?",
        (verdict, json.dumps(origins), members, articles, first, last, cid),
    )


def _mentioned(con: sqlite3.Connection, article_id: str, key: str, name: str | None) -> bool:
    """Whether an article names a claim's named origin: its ledger entity, else its name."""
    if key.startswith("e:") and key[2:].isdigit():
        return (
            con.execute(
                "SELECT 1 FROM ledger_entity_members WHERE article_id = ? AND ledger_entity = ?"
                " LIMIT 1",
                (article_id, int(key[2:])),
            ).fetchone()
            is not None
        )
    if not name:
        return True
    row = con.execute(
        "SELECT instr(lower(text), lower(?)) FROM articles WHERE id = ?", (name, article_id)
    ).fetchone()
    return bool(row and row[0])


def _stands_apart(con: sqlite3.Connection, key: str, names: dict[str, str | None]) -> bool:
    """Whether an unnamed origin ("u:ARTICLE:description") can stand for none of the claim's
    named origins (:func:`stand_in_apart`)."""
    name = names[key]
    if not key.startswith("u:") or not name:
        return False
    article_id = key[2:].rpartition(":")[0]
    named = [(k, n) for k, n in names.items() if not k.startswith("u:")]
    return bool(named) and all(
        stand_in_apart(name, n or "", _mentioned(con, article_id, k, n)) for k, n in named
    )


def refresh_claims_with_origin(con: sqlite3.Connection, origin_key: str) -> None:
    for (cid,) in con.execute(
        "SELECT DISTINCT claim_id FROM claim_members WHERE origin_key = ?", (origin_key,)
    ).fetchall():
        refresh_claim(con, cid)
