"""Database access for the web UI: one connection per worker thread, every query time-limited.

The ledger is opened read-only (``file:…?mode=ro``) unless the server runs with
``--allow-write``. Each request runs its queries under a deadline: a SQLite progress handler
aborts a statement that runs past it, and :class:`QueryTimeout` becomes a 503 answer.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from newsledger.errors import NewsledgerError
from newsledger.ledger import Ledger
from newsledger.ledger.store import connect

#: How often (in SQLite VM instructions) the progress handler checks the deadline.
PROGRESS_STEPS = 1_000


class QueryTimeout(NewsledgerError):
    """A query ran past the time limit and was interrupted."""

    def __init__(self, limit: float) -> None:
        super().__init__(f"the query ran longer than {limit:g} s and was stopped")
        self.limit = limit


class LedgerNotFound(NewsledgerError):
    pass


class Database:
    """The ledger at ``path`` for the web app.

    ``time_limit`` (seconds) bounds every statement run inside :meth:`read`.
    """

    def __init__(self, path: str, *, allow_write: bool = False, time_limit: float = 1.0) -> None:
        if not os.path.isfile(path):
            raise LedgerNotFound(f"no ledger at {path} (create one with `newsledger ingest`)")
        self.path = path
        self.allow_write = allow_write
        self.time_limit = time_limit
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._writer: Ledger | None = None
        self._cache: dict[str, tuple[float, Any]] = {}
        if allow_write:
            # opening it writable applies pending migrations once, up front
            self._writer = Ledger(path)
        # fail early (not a database, unreadable file) rather than on the first request
        self._connection().execute("SELECT count(*) FROM articles").fetchone()

    def _connection(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = connect(self.path, readonly=not self.allow_write)
            if not self.allow_write:
                con.execute("PRAGMA query_only = ON")
            self._local.con = con
        return con

    @contextmanager
    def read(self, time_limit: float | None = None) -> Iterator[sqlite3.Connection]:
        """A connection whose statements are interrupted after ``time_limit`` seconds (the
        server's limit unless given: an export reads for longer than a page)."""
        con = self._connection()
        limit = self.time_limit if time_limit is None else time_limit
        deadline = time.monotonic() + limit

        def check() -> int:
            return 1 if time.monotonic() >= deadline else 0

        con.set_progress_handler(check, PROGRESS_STEPS)
        try:
            yield con
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise QueryTimeout(limit) from exc
            raise
        finally:
            con.set_progress_handler(None, 0)

    def cached(
        self, key: str, compute: Callable[[sqlite3.Connection], Any], ttl: float = 60.0
    ) -> Any:
        """``compute(con)``, remembered for ``ttl`` seconds (for slow, slowly changing lists
        such as the outlets of the search form)."""
        hit = self._cache.get(key)
        now = time.monotonic()
        if hit is not None and now - hit[0] < ttl:
            return hit[1]
        with self.read() as con:
            value = compute(con)
        self._cache[key] = (now, value)
        return value

    @contextmanager
    def writer(self) -> Iterator[Ledger]:
        """The writable ledger (only with ``allow_write``), one writer at a time."""
        if self._writer is None:
            raise PermissionError("the server runs read-only (start it with --allow-write)")
        with self._write_lock:
            yield self._writer
