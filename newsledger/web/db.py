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
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from newsledger.errors import NewsledgerError
from newsledger.ledger import Ledger
from newsledger.ledger.store import connect

#: How often (in SQLite VM instructions) the progress handler checks the deadline.
PROGRESS_STEPS = 1_000
#: The time limit (seconds) of a whole-ledger aggregate kept by :meth:`Database.memo`.
MEMO_TIME_LIMIT = 20.0
#: How many such aggregates are kept (per-entity ones included).
MEMO_ENTRIES = 128


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
        self._memo: OrderedDict[str, tuple[Any, Any]] = OrderedDict()
        self._memo_locks: dict[str, threading.Lock] = {}
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

    def stamp(self) -> tuple[tuple[int, int] | None, ...]:
        """What changes when the ledger does: the modification time and size of its file and
        of its write-ahead log (every commit writes the log; a checkpoint, the file)."""
        out: list[tuple[int, int] | None] = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(self.path + suffix)
            except OSError:
                out.append(None)
            else:
                out.append((st.st_mtime_ns, st.st_size))
        return tuple(out)

    def memo(self, key: str, compute: Callable[[sqlite3.Connection], Any]) -> Any:
        """``compute(con)``, kept until the ledger changes (:meth:`stamp`): for aggregates
        over the whole ledger (every source with its counts) that list pages filter and sort.

        Computed by one request at a time per key, under :data:`MEMO_TIME_LIMIT` (its query
        is fixed, not shaped by the request, and runs once per change of the ledger).
        """
        stamp = self.stamp()
        hit = self._memo.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        with self._memo_locks.setdefault(key, threading.Lock()):
            hit = self._memo.get(key)
            if hit is not None and hit[0] == stamp:
                return hit[1]
            with self.read(max(self.time_limit, MEMO_TIME_LIMIT)) as con:
                value = compute(con)
            self._memo[key] = (stamp, value)
            while len(self._memo) > MEMO_ENTRIES:  # the oldest computed goes first
                gone, _ = self._memo.popitem(last=False)
                self._memo_locks.pop(gone, None)
            return value

    @contextmanager
    def writer(self) -> Iterator[Ledger]:
        """The writable ledger (only with ``allow_write``), one writer at a time."""
        if self._writer is None:
            raise PermissionError("the server runs read-only (start it with --allow-write)")
        with self._write_lock:
            yield self._writer
