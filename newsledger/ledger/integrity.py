"""The health of a ledger database: what ``newsledger check`` reports and repairs.

:func:`check` runs SQLite's ``PRAGMA integrity_check`` and ``foreign_key_check``, the FTS5
``integrity-check`` of both full-text indexes (against their content tables), and counts the
articles still pending the cross-document update and the runs that never finished (killed).
:func:`repair` rebuilds the full-text indexes from their content tables and completes the
pending cross-document update. A damaged database file itself is not repaired: restore a
copy, or ingest again into a new ledger.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from newsledger.ledger import crossdoc_store

__all__ = ["FTS_TABLES", "LedgerCheck", "check", "repair"]

#: The FTS5 indexes and the tables that hold their text.
FTS_TABLES = (("articles_fts", "articles"), ("attributions_fts", "attributions"))
#: Tables whose row counts the check reports.
COUNTED = (
    "articles",
    "attributions",
    "entities",
    "claims",
    "claim_members",
    "conflicts",
    "ledger_entities",
    "runs",
    "ingest_errors",
)
_SHOWN_LINES = 20


@dataclass(slots=True)
class LedgerCheck:
    """What :func:`check` found; ``problems`` lists what is wrong, empty when all is well."""

    path: str
    integrity: list[str] = field(default_factory=list)  # integrity_check lines other than "ok"
    foreign_keys: int = 0  # rows that break a foreign key
    fts: dict[str, str] = field(default_factory=dict)  # index -> "ok" or what is wrong
    pending_crossdoc: int = 0
    unfinished_runs: int = 0  # runs with no finish time (killed, or still running)
    counts: dict[str, int] = field(default_factory=dict)
    repaired: list[str] = field(default_factory=list)  # what the repair did

    @property
    def problems(self) -> list[str]:
        found = [f"integrity_check: {line}" for line in self.integrity]
        if self.foreign_keys:
            found.append(f"{self.foreign_keys} rows break a foreign key")
        found += [f"{name}: {state}" for name, state in self.fts.items() if state != "ok"]
        if self.pending_crossdoc:
            found.append(
                f"{self.pending_crossdoc} articles are not in the cross-document tables yet "
                "(run `newsledger check --repair` or any ingest)"
            )
        return found

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "ok": self.ok,
            "problems": self.problems,
            "integrity": "ok" if not self.integrity else self.integrity,
            "foreign_key_violations": self.foreign_keys,
            "fts": dict(self.fts),
            "pending_crossdoc": self.pending_crossdoc,
            "unfinished_runs": self.unfinished_runs,
            "counts": dict(self.counts),
            "repaired": list(self.repaired),
        }


def check(con: sqlite3.Connection, path: str, repaired: list[str] | None = None) -> LedgerCheck:
    """Check the ledger on ``con`` (nothing is changed)."""
    result = LedgerCheck(path=path, repaired=list(repaired or []))
    try:
        lines = [r[0] for r in con.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        lines = [str(exc)]
    result.integrity = [line for line in lines if line != "ok"][:_SHOWN_LINES]
    try:
        result.foreign_keys = len(con.execute("PRAGMA foreign_key_check").fetchall())
    except sqlite3.DatabaseError as exc:
        result.integrity.append(f"foreign_key_check failed: {exc}")
    for index, _ in FTS_TABLES:
        result.fts[index] = _fts_state(con, index)
    result.pending_crossdoc = len(crossdoc_store.pending(con))
    result.unfinished_runs = int(
        con.execute("SELECT count(*) FROM runs WHERE finished_at IS NULL").fetchone()[0]
    )
    for table in COUNTED:
        sql = f"SELECT count(*) FROM {table}"  # noqa: S608 - fixed table names
        result.counts[table] = int(con.execute(sql).fetchone()[0])
    return result


def _fts_state(con: sqlite3.Connection, index: str) -> str:
    try:
        # rank 1: compare the index with its content table too
        con.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")  # noqa: S608
    except sqlite3.DatabaseError as exc:
        return f"does not match its content table ({exc}); --repair rebuilds it"
    return "ok"


def repair(
    con: sqlite3.Connection, transaction: Callable[[], AbstractContextManager[object]]
) -> list[str]:
    """Rebuild the full-text indexes and complete the pending cross-document update; returns
    what was done, one line each. ``transaction`` opens a write transaction on ``con``."""
    done: list[str] = []
    for index, table in FTS_TABLES:
        if _fts_state(con, index) != "ok":
            with transaction():
                con.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")  # noqa: S608
            done.append(f"rebuilt {index} from {table}")
    waiting = crossdoc_store.pending(con)
    if waiting:
        stats = crossdoc_store.update(con, waiting)
        done.append(
            f"added {stats['articles']} pending articles to the cross-document tables "
            f"({stats['claims_new']} new claims)"
        )
    return done
