"""A claim's counts, origins and independence, recomputed from its members.

Kept below :mod:`.claims` and :mod:`.entities`: merging or splitting a ledger entity changes
the origins of the claims it speaks in.
"""

from __future__ import annotations

import json
import sqlite3

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
    origins = [r[0] for r in con.execute(
        "SELECT DISTINCT origin_key FROM claim_members WHERE claim_id = ? ORDER BY origin_key",
        (cid,),
    )]  # fmt: skip
    named = [o for o in origins if not o.startswith("u:")]
    if len(named) >= 2 or (not named and len(origins) >= 2):
        independence = "independent"
    elif articles >= 2:
        independence = "relay_only"
    else:
        independence = "single"
    con.execute(
        "UPDATE claims SET independence = ?, origins = ?, members = ?, articles = ?,"
        " first_published = ?, last_published = ? WHERE id = ?",
        (independence, json.dumps(origins), members, articles, first, last, cid),
    )


def refresh_claims_with_origin(con: sqlite3.Connection, origin_key: str) -> None:
    for (cid,) in con.execute(
        "SELECT DISTINCT claim_id FROM claim_members WHERE origin_key = ?", (origin_key,)
    ).fetchall():
        refresh_claim(con, cid)
