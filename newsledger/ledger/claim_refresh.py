"""A claim's counts, origins and independence, recomputed from its members.

Kept below :mod:`.claims` and :mod:`.entities`: merging or splitting a ledger entity changes
the origins of the claims it speaks in.
"""

from __future__ import annotations

import json
import sqlite3

from newsledger.crossdoc.claims import independence

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
    verdict = independence([(k, names[k]) for k in origins], articles)
    con.execute(
        "UPDATE claims SET independence = ?, origins = ?, members = ?, articles = ?,"
        " first_published = ?, last_published = ? WHERE id = ?",
        (verdict, json.dumps(origins), members, articles, first, last, cid),
    )


def refresh_claims_with_origin(con: sqlite3.Connection, origin_key: str) -> None:
    for (cid,) in con.execute(
        "SELECT DISTINCT claim_id FROM claim_members WHERE origin_key = ?", (origin_key,)
    ).fetchall():
        refresh_claim(con, cid)
