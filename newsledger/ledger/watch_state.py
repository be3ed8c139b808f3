"""What ``newsledger watch`` remembers between polls, in the ledger: ``watch_feeds`` (per feed
or URL: the validators of its last answer, its error count, when it is due) and
``watch_items`` (the entries already handled), so a restarted watch sends conditional
requests, keeps its backoff and reads no entry twice.

Times are seconds since the epoch (UTC), as :func:`time.time` gives them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "FeedState",
    "MAX_ATTEMPTS",
    "done_items",
    "feed_state",
    "mark_items",
    "record_failure",
    "record_success",
]

#: A failed item is tried again on later polls until it has failed this many times.
MAX_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    next_poll: float = 0.0
    last_polled: float | None = None
    last_status: str | None = None
    last_error: str | None = None

    @property
    def validators(self) -> dict[str, str]:
        """The validators to send back (``etag``, ``last_modified``), those known."""
        found = {"etag": self.etag, "last_modified": self.last_modified}
        return {k: v for k, v in found.items() if v}


def feed_state(con: sqlite3.Connection, url: str) -> FeedState:
    """What is known of ``url`` (a fresh state, due now, when it was never polled)."""
    row = con.execute(
        "SELECT url, etag, last_modified, failures, next_poll, last_polled, last_status,"
        " last_error FROM watch_feeds WHERE url = ?",
        (url,),
    ).fetchone()
    return FeedState(*row) if row is not None else FeedState(url)


def _ensure(con: sqlite3.Connection, url: str) -> None:
    con.execute("INSERT OR IGNORE INTO watch_feeds(url) VALUES (?)", (url,))


def record_success(
    con: sqlite3.Connection,
    url: str,
    *,
    now: float,
    next_poll: float,
    status: str,
    etag: str | None = None,
    last_modified: str | None = None,
    keep_validators: bool = False,
) -> None:
    """A poll of ``url`` that worked (``status``: ``ok`` or ``not modified``): the error count
    is reset, the new validators kept (or the old ones, with ``keep_validators``)."""
    _ensure(con, url)
    if keep_validators:
        con.execute(
            "UPDATE watch_feeds SET failures = 0, next_poll = ?, last_polled = ?,"
            " last_status = ?, last_error = NULL WHERE url = ?",
            (next_poll, now, status, url),
        )
    else:
        con.execute(
            "UPDATE watch_feeds SET etag = ?, last_modified = ?, failures = 0, next_poll = ?,"
            " last_polled = ?, last_status = ?, last_error = NULL WHERE url = ?",
            (etag, last_modified, next_poll, now, status, url),
        )


def record_failure(
    con: sqlite3.Connection, url: str, *, now: float, next_poll: float, error: str
) -> int:
    """A poll of ``url`` that failed; returns its number of failures in a row."""
    _ensure(con, url)
    con.execute(
        "UPDATE watch_feeds SET failures = failures + 1, next_poll = ?, last_polled = ?,"
        " last_status = 'error', last_error = ? WHERE url = ?",
        (next_poll, now, error, url),
    )
    row = con.execute("SELECT failures FROM watch_feeds WHERE url = ?", (url,)).fetchone()
    return int(row[0])


def done_items(con: sqlite3.Connection, url: str, items: Iterable[str]) -> set[str]:
    """Those of ``items`` (entry keys of feed ``url``) not to read again: stored, skipped, or
    failed :data:`MAX_ATTEMPTS` times."""
    wanted = list(dict.fromkeys(items))
    done: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        done.update(
            r[0]
            for r in con.execute(
                f"SELECT item FROM watch_items WHERE feed = ? AND item IN ({marks})"
                " AND (status != 'failed' OR attempts >= ?)",
                (url, *chunk, MAX_ATTEMPTS),
            )
        )
    return done


def mark_items(
    con: sqlite3.Connection,
    url: str,
    outcomes: Iterable[tuple[str, str, str | None]],
    *,
    now: float,
) -> None:
    """Record what became of items of feed ``url``: ``(item, status, article_id)`` with status
    ``stored``, ``skipped`` or ``failed`` (a failure counts one more attempt)."""
    _ensure(con, url)
    for item, status, article_id in outcomes:
        con.execute(
            "INSERT INTO watch_items(feed, item, status, attempts, article_id, seen_at)"
            " VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT(feed, item) DO UPDATE SET"
            " status = excluded.status, attempts = watch_items.attempts + 1,"
            " article_id = coalesce(excluded.article_id, watch_items.article_id),"
            " seen_at = excluded.seen_at",
            (url, item, status, article_id, now),
        )
