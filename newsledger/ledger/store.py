"""The ledger: analyses stored as rows in one SQLite database.

:class:`Ledger` writes each article's rows in one transaction and rebuilds an
:class:`~newsledger.model.Analysis` from those rows (no JSON blob of the record is stored).
The database runs in WAL mode: one writer at a time, any number of readers alongside it,
each reader seeing the last committed state.

A write the database itself refuses (disk full, an I/O error, a read-only file, a lock held
past the busy timeout) raises :class:`LedgerWriteError`, one line naming the ledger; the
transaction is rolled back and everything committed before stays. Other errors (a value
SQLite cannot store) concern the record being written and propagate as they are.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from os import PathLike
from typing import Any
from urllib.parse import quote

from newsledger.errors import NewsledgerError
from newsledger.ledger import crossdoc_store, integrity
from newsledger.ledger.analyses import read_analysis
from newsledger.ledger.integrity import LedgerCheck
from newsledger.ledger.schema import DATA_TABLES, migrate, now
from newsledger.model import (
    Analysis,
    Attribution,
)

__all__ = ["Ledger", "LedgerCheck", "LedgerWriteError", "connect", "is_write_failure"]

BUSY_TIMEOUT_MS = 30_000


class LedgerWriteError(NewsledgerError):
    """The ledger database refused a write (disk full, I/O error, read-only, locked).

    The transaction was rolled back; what was committed before is kept, so the same ingest
    can be run again once the cause is fixed.
    """


def is_write_failure(exc: BaseException) -> bool:
    """Whether ``exc`` is the database (or the disk under it) failing, not one bad record:
    ``OperationalError`` (full, I/O, locked, read-only), a corrupt file, an ``OSError``."""
    if isinstance(exc, OSError | LedgerWriteError):
        return True
    if isinstance(exc, sqlite3.OperationalError):
        return True
    return type(exc) is sqlite3.DatabaseError  # "database disk image is malformed"


@dataclass(frozen=True, slots=True)
class _Writing:
    path: str

    def error(self, exc: BaseException) -> LedgerWriteError:
        what = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return LedgerWriteError(
            f"cannot write to the ledger {self.path}: {what}; what was stored before is kept"
        )


def connect(path: str | PathLike[str], *, readonly: bool = False) -> sqlite3.Connection:
    """A connection with the ledger's settings: autocommit (explicit transactions), WAL,
    foreign keys on, a busy timeout, rows as :class:`sqlite3.Row`."""
    if readonly:
        uri = f"file:{quote(os.path.abspath(os.fspath(path)))}?mode=ro"
        con = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    con.row_factory = sqlite3.Row
    con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    con.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        con.execute("PRAGMA journal_mode = WAL")
        # WAL + NORMAL: a commit survives a crash of the process (not of the OS) and is fast
        con.execute("PRAGMA synchronous = NORMAL")
    return con


class Ledger:
    """A ledger database at ``path`` (created and migrated on open).

    >>> with Ledger("newsledger.db") as ledger:
    ...     ledger.add(analysis)
    """

    def __init__(self, path: str | PathLike[str], *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        self.con = connect(path, readonly=readonly)
        self._writing = _Writing(os.fspath(path))
        if not readonly:
            migrate(self.con)

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on error).

        The database failing (:func:`is_write_failure`) raises :class:`LedgerWriteError`.
        """
        try:
            self.con.execute("BEGIN IMMEDIATE")
            try:
                yield self.con
                self.con.execute("COMMIT")
            except BaseException:
                if self.con.in_transaction:  # SQLite may have rolled back already
                    self.con.execute("ROLLBACK")
                raise
        except LedgerWriteError:
            raise
        except Exception as exc:
            if is_write_failure(exc):
                raise self._writing.error(exc) from exc
            raise

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """Database failures of a multi-transaction step as :class:`LedgerWriteError`."""
        try:
            yield
        except LedgerWriteError:
            raise
        except Exception as exc:
            if is_write_failure(exc):
                raise self._writing.error(exc) from exc
            raise

    # ------------------------------------------------------------------ writing
    def add(
        self,
        analysis: Analysis,
        text: str | None = None,
        *,
        origin: str | None = None,
        run_id: int | None = None,
    ) -> bool:
        """Store one analysis (all its rows in one transaction), marked as pending the
        cross-document update.

        ``text`` is the article text (default ``analysis.text``). Returns False, storing
        nothing, when an article with the same ``text_sha256`` or the same id is stored.
        """
        with self.transaction():
            return self._insert(analysis, text, origin, run_id)

    def add_many(
        self,
        analyses: Iterable[Analysis],
        *,
        batch_size: int = 64,
        run_id: int | None = None,
    ) -> int:
        """Store many analyses, ``batch_size`` per transaction (each batch is atomic).

        Already stored articles are skipped. Returns how many were stored.
        """
        stored = 0
        batch: list[Analysis] = []

        def flush() -> int:
            with self.transaction():
                n = sum(self._insert(a, None, None, run_id) for a in batch)
            batch.clear()
            return n

        for analysis in analyses:
            batch.append(analysis)
            if len(batch) >= batch_size:
                stored += flush()
        if batch:
            stored += flush()
        return stored

    def _insert(
        self, a: Analysis, text: str | None, origin: str | None, run_id: int | None
    ) -> bool:
        con = self.con
        art = a.article
        if con.execute(
            "SELECT 1 FROM articles WHERE text_sha256 = ? OR id = ?", (art.text_sha256, art.id)
        ).fetchone():
            return False
        con.execute(
            "INSERT INTO articles(id, text_sha256, url, title, published, site, text, origin,"
            " ingested_at, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                art.id,
                art.text_sha256,
                art.url,
                art.title,
                art.published,
                art.site,
                a.text if text is None else text,
                origin,
                now(),
                run_id,
            ),
        )
        aid = art.id
        con.execute("INSERT INTO crossdoc_pending(article_id) VALUES (?)", (aid,))
        con.executemany(
            "INSERT INTO entities(article_id, position, id, name, type, aliases, kb)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (aid, i, e.id, e.name, e.type, _dump(e.aliases), _dump(e.kb))
                for i, e in enumerate(a.entities)
            ],
        )
        con.executemany(
            "INSERT INTO entity_aliases(article_id, entity_id, alias) VALUES (?, ?, ?)",
            [(aid, e.id, alias) for e in a.entities for alias in e.aliases],
        )
        con.executemany(
            'INSERT INTO mentions(article_id, entity_id, position, start, "end")'
            " VALUES (?, ?, ?, ?, ?)",
            [(aid, e.id, i, m[0], m[1]) for e in a.entities for i, m in enumerate(e.mentions)],
        )
        con.executemany(
            "INSERT INTO attributions(article_id, position, id, kind, cue_text, cue_start,"
            " cue_end, content_text, content_start, content_end, source_text, source_start,"
            " source_end, source_name, source_entity, source_type, parent, chain, confidence,"
            " content_parts, act, source_role)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_attribution_row(aid, i, x) for i, x in enumerate(a.attributions)],
        )
        con.executemany(
            "INSERT INTO chains(article_id, attribution_id, position, name) VALUES (?, ?, ?, ?)",
            [(aid, x.id, i, name) for x in a.attributions for i, name in enumerate(x.chain)],
        )
        con.executemany(
            'INSERT INTO quantities(article_id, position, id, text, start, "end", value,'
            " value_max, unit, approximate, vague, part_of, attribution, measure)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    aid, i, q.id, q.text, q.start, q.end, q.value, q.value_max, q.unit,
                    int(q.approximate), int(q.vague), q.part_of, q.attribution, q.measure,
                )
                for i, q in enumerate(a.quantities)
            ],
        )  # fmt: skip
        con.executemany(
            'INSERT INTO dates(article_id, position, text, start, "end", value, anchor,'
            " attribution) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (aid, i, d.text, d.start, d.end, d.value, d.anchor, d.attribution)
                for i, d in enumerate(a.dates)
            ],
        )
        con.executemany(
            "INSERT INTO events(article_id, position, id, trigger_text, trigger_start,"
            " trigger_end, type, actor, target, location, date, attribution)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    aid, i, e.id, e.trigger.text, e.trigger.start, e.trigger.end, e.type,
                    e.actor, e.target, e.location, e.date, e.attribution,
                )
                for i, e in enumerate(a.events)
            ],
        )  # fmt: skip
        con.executemany(
            'INSERT INTO issues(article_id, position, kind, text, start, "end", suggestion,'
            " confidence, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (aid, i, x.kind, x.text, x.start, x.end, x.suggestion, x.confidence, x.message)
                for i, x in enumerate(a.issues)
            ],
        )
        return True

    def delete(self, article_id: str) -> bool:
        """Remove an article and (by cascade) all its rows. True when it existed."""
        with self.transaction():
            cur = self.con.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return cur.rowcount > 0

    def record_error(self, origin: str, reason: str, *, run_id: int | None = None) -> None:
        """Note an input that could not be stored (unreadable, empty, not English, …)."""
        with self.transaction():
            self.con.execute(
                "INSERT INTO ingest_errors(run_id, origin, reason, at) VALUES (?, ?, ?, ?)",
                (run_id, origin, reason, now()),
            )

    def start_run(self, inputs: Iterable[str]) -> int:
        """Open a row in ``runs``; returns its id."""
        with self.transaction():
            cur = self.con.execute(
                "INSERT INTO runs(started_at, inputs) VALUES (?, ?)", (now(), _dump(list(inputs)))
            )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def finish_run(self, run_id: int, *, stored: int, skipped: int, failed: int) -> None:
        with self.transaction():
            self.con.execute(
                "UPDATE runs SET finished_at = ?, stored = ?, skipped = ?, failed = ? WHERE id = ?",
                (now(), stored, skipped, failed, run_id),
            )

    # ------------------------------------------------------------------ reading
    def has_sha(self, sha: str) -> bool:
        return self._exists("SELECT 1 FROM articles WHERE text_sha256 = ?", sha)

    def has_id(self, article_id: str) -> bool:
        return self._exists("SELECT 1 FROM articles WHERE id = ?", article_id)

    def _exists(self, sql: str, value: str) -> bool:
        return self.con.execute(sql, (value,)).fetchone() is not None

    def known(self) -> tuple[set[str], set[str]]:
        """(every stored text_sha256, every stored article id), for skipping known inputs."""
        shas: set[str] = set()
        ids: set[str] = set()
        for sha, aid in self.con.execute("SELECT text_sha256, id FROM articles"):
            shas.add(sha)
            ids.add(aid)
        return shas, ids

    def count(self, table: str = "articles") -> int:
        if table not in DATA_TABLES:
            raise ValueError(f"unknown table {table!r}; known: {', '.join(DATA_TABLES)}")
        return int(self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def update_crossdoc(self, article_ids: Iterable[str]) -> dict[str, int]:
        """Add stored articles to the cross-document tables (identity, claims, conflicts),
        one transaction per article, in the given order; articles already added are
        skipped. Returns counts (``articles``, ``claims_new``, ``members``)."""
        with self._translated():
            return crossdoc_store.update(self.con, article_ids)

    def complete_crossdoc(self, progress: crossdoc_store.Progress | None = None) -> dict[str, int]:
        """Add every article still pending (stored by this run, or left by an interrupted
        one) to the cross-document tables, in ingest order; the counts of
        :meth:`update_crossdoc`. ``progress(done, total)`` follows the articles."""
        with self._translated():
            return crossdoc_store.update_pending(self.con, progress=progress)

    def pending_crossdoc(self) -> list[str]:
        """The stored articles not yet in the cross-document tables, in ingest order."""
        return crossdoc_store.pending(self.con)

    def rebuild_crossdoc(self, progress: crossdoc_store.Progress | None = None) -> dict[str, int]:
        """Recompute every cross-document table from the stored articles (in ingest order);
        hand rules (``entity_rules``) are kept and applied again. Returns the counts of
        :meth:`update_crossdoc`; ``progress(done, total)`` follows the articles."""
        with self._translated():
            return crossdoc_store.rebuild(self.con, progress=progress)

    def check(self, *, repair: bool = False) -> LedgerCheck:
        """The database's health: SQLite and FTS5 integrity, foreign keys, articles pending
        the cross-document update, row counts. With ``repair``, the full-text indexes are
        rebuilt and the pending articles added before the checks run."""
        repaired: list[str] = []
        if repair:
            with self._translated():
                repaired = integrity.repair(self.con, self.transaction)
        return integrity.check(self.con, os.fspath(self.path), repaired)

    def article_ids(self) -> Iterator[str]:
        """Every stored article id, in ingest order."""
        for (aid,) in self.con.execute("SELECT id FROM articles ORDER BY seq"):
            yield aid

    def get(self, article_id: str) -> Analysis | None:
        """The stored analysis of ``article_id`` rebuilt from its rows, or None."""
        return read_analysis(self.con, article_id)

    def iter_analyses(self) -> Iterator[Analysis]:
        """Every stored analysis, in ingest order."""
        for aid in list(self.article_ids()):
            analysis = self.get(aid)
            if analysis is not None:
                yield analysis

    def errors(self, run_id: int | None = None) -> list[dict[str, Any]]:
        """Recorded ingest errors (of one run, or all), oldest first."""
        if run_id is None:
            cur = self.con.execute("SELECT * FROM ingest_errors ORDER BY id")
        else:
            cur = self.con.execute(
                "SELECT * FROM ingest_errors WHERE run_id = ? ORDER BY id", (run_id,)
            )
        return [dict(r) for r in cur]


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _attribution_row(aid: str, i: int, x: Attribution) -> tuple[Any, ...]:
    s = x.source
    return (
        aid, i, x.id, x.kind,
        x.cue.text, x.cue.start, x.cue.end,
        x.content.text, x.content.start, x.content.end,
        s.text if s else None, s.start if s else None, s.end if s else None,
        s.name if s else None, s.entity if s else None, s.type if s else None,
        x.parent, _dump(x.chain), x.confidence,
        _dump([[p.start, p.end] for p in x.content_parts]) if x.content_parts else None,
        x.act, s.role if s else None,
    )  # fmt: skip
