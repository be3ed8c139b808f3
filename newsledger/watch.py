"""Watching feeds and pages: poll, ingest what is new, report the conflicts it brings.

:class:`Watcher` polls each feed or URL when it is due, with the validators of its last
answer (``If-None-Match`` / ``If-Modified-Since``: a ``304`` costs nothing), under the fetch
rules of :mod:`newsledger.readers.fetch` (timeouts, size caps, no private or loopback
addresses unless allowed, newsledger's User-Agent). The entries not handled before (at most
``max_items`` per feed and poll) go through :func:`newsledger.ingest.ingest_items`, the
ingest every other command uses, in one run per round; the conflicts that were not in the
ledger before the round are its result. A feed that fails waits ``every × 2^failures`` (at
most ``max_backoff``, at least what its ``Retry-After`` asks) while the others go on.

Everything it remembers (validators, failures, when each feed is due, the entries handled)
is in the ledger (:mod:`newsledger.ledger.watch_state`), so a watch stopped at any point and
started again ingests nothing twice and keeps its backoff.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from newsledger.errors import InputError
from newsledger.ingest import IngestStats, ingest_items
from newsledger.ledger import watch_state
from newsledger.ledger.conflicts import conflict_keys, read_conflicts
from newsledger.ledger.store import Ledger
from newsledger.model import Article
from newsledger.pipeline import Analyzer
from newsledger.readers import describe_exception
from newsledger.readers import feeds as feed_reader
from newsledger.readers import fetch as fetching
from newsledger.readers import html as page_reader
from newsledger.records import Conflict

__all__ = [
    "Poll",
    "Round",
    "WatchOptions",
    "Watcher",
    "parse_interval",
    "post_webhook",
]

Fetcher = Callable[..., fetching.Fetched]


@dataclass(frozen=True, slots=True)
class WatchOptions:
    every: float = 600.0  # seconds between polls of a feed that answers
    max_items: int = 20  # new entries read per feed and poll; the rest wait for the next
    max_backoff: float = 86_400.0  # the longest wait after failures
    fetch: fetching.FetchOptions = field(default_factory=fetching.FetchOptions)
    fetch_links: bool = True  # read each entry's page (else the feed's own text)
    published: str | None = None  # the date of entries without one


@dataclass(slots=True)
class Poll:
    """What one poll of one feed or URL gave."""

    url: str
    status: str  # "new", "nothing new", "not modified", "error", "waiting" (not due)
    new: int = 0  # entries read (not handled before)
    left: int = 0  # new entries left for the next poll (over max_items)
    error: str | None = None
    next_poll: float = 0.0
    stored: int = 0
    failed: int = 0


@dataclass(slots=True)
class Round:
    """One round of polls: each feed's outcome, the ingest's counts, the new conflicts."""

    polls: list[Poll]
    conflicts: list[Conflict]
    stats: IngestStats | None = None

    @property
    def failed_feeds(self) -> int:
        return sum(1 for p in self.polls if p.status == "error")


@dataclass(slots=True)
class _Item:
    """A new entry of a feed: its key and how to read it (lazily, in the ingest)."""

    feed: str
    key: str
    read: Callable[[], Article | InputError]
    origin: str | None = None
    article_id: str | None = None
    failed: bool = False


def parse_interval(text: str) -> float:
    """Seconds in ``"90"``, ``"30s"``, ``"10m"``, ``"1h"``, ``"1d"`` (``ValueError`` otherwise)."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    value = text.strip().lower()
    factor = 1
    if value and value[-1] in units:
        factor, value = units[value[-1]], value[:-1]
    try:
        seconds = float(value) * factor
    except ValueError:
        raise ValueError(f"{text!r} is not an interval (e.g. 90, 30s, 10m, 1h)") from None
    if not seconds > 0 or seconds != seconds or seconds == float("inf"):
        raise ValueError(f"{text!r}: the interval must be more than 0 seconds")
    return seconds


class Watcher:
    """Polls ``urls`` into ``ledger``; :meth:`poll` runs one round, :meth:`run` several.

    ``clock`` (``time.time``) and ``fetcher`` (:func:`newsledger.readers.fetch.fetch`) can be
    replaced (tests).
    """

    def __init__(
        self,
        ledger: Ledger,
        urls: Sequence[str],
        options: WatchOptions | None = None,
        *,
        analyzer: Analyzer | None = None,
        clock: Callable[[], float] = time.time,
        fetcher: Fetcher = fetching.fetch,
    ) -> None:
        self.ledger = ledger
        self.urls = list(dict.fromkeys(urls))
        self.options = options or WatchOptions()
        self.analyzer = analyzer
        self.clock = clock
        self.fetcher = fetcher

    # ------------------------------------------------------------------ one round
    def poll(self) -> Round:
        """Poll every feed that is due, ingest its new entries, return what happened."""
        now = self.clock()
        polls: list[Poll] = []
        items: list[_Item] = []
        for url in self.urls:
            state = watch_state.feed_state(self.ledger.con, url)
            if state.next_poll > now:
                polls.append(Poll(url, "waiting", next_poll=state.next_poll))
                continue
            poll, new = self._poll_one(state, now)
            polls.append(poll)
            items.extend(new)
        if not items:
            return Round(polls, [])
        before = conflict_keys(self.ledger.con)
        stats = ingest_items(
            self.ledger,
            self._read(items),
            inputs=[p.url for p in polls if p.new],
            analyzer=self.analyzer,
        )
        self._mark(items, stats, polls)
        after = conflict_keys(self.ledger.con)
        new_ids = [cid for key, cid in after.items() if key not in before]
        conflicts = read_conflicts(self.ledger.con, ids=new_ids, limit=max(len(new_ids), 1))
        return Round(polls, conflicts if new_ids else [], stats)

    def _poll_one(self, state: watch_state.FeedState, now: float) -> tuple[Poll, list[_Item]]:
        url, opts = state.url, self.options
        try:
            page = self.fetcher(url, opts.fetch, conditional=state.validators)
        except fetching.NotModified:
            next_poll = now + opts.every
            with self.ledger.transaction() as con:
                watch_state.record_success(
                    con, url, now=now, next_poll=next_poll, status="not modified",
                    keep_validators=True,
                )  # fmt: skip
            return Poll(url, "not modified", next_poll=next_poll), []
        except fetching.FetchError as exc:
            return self._failed(state, now, str(exc), exc.retry_after), []
        except Exception as exc:  # noqa: BLE001 - one feed must not stop the others
            return self._failed(state, now, describe_exception(exc), None), []
        new, left = self._new_items(url, page)
        if isinstance(new, InputError):
            return self._failed(state, now, new.reason, None), []
        next_poll = now + opts.every
        with self.ledger.transaction() as con:
            watch_state.record_success(
                con, url, now=now, next_poll=next_poll, status="ok",
                etag=page.etag, last_modified=page.last_modified,
                # entries left over: fetch the whole feed again next time, not a 304
                keep_validators=left > 0,
            )  # fmt: skip
        status = "new" if new else "nothing new"
        return Poll(url, status, new=len(new), left=left, next_poll=next_poll), new

    def _failed(
        self, state: watch_state.FeedState, now: float, error: str, retry_after: float | None
    ) -> Poll:
        opts = self.options
        wait = min(opts.every * 2 ** (state.failures + 1), opts.max_backoff)
        if retry_after is not None:
            wait = max(wait, min(retry_after, opts.max_backoff))
        with self.ledger.transaction() as con:
            watch_state.record_failure(con, state.url, now=now, next_poll=now + wait, error=error)
        return Poll(state.url, "error", error=error, next_poll=now + wait)

    def _new_items(self, url: str, page: fetching.Fetched) -> tuple[list[_Item] | InputError, int]:
        """The entries of ``page`` not handled before (at most ``max_items``), and how many
        more are left."""
        opts = self.options
        if page.is_feed:
            feed = feed_reader.parse_feed(page.body, url)
            if isinstance(feed, InputError):
                return feed, 0
            done = watch_state.done_items(self.ledger.con, url, (e.key for e in feed.entries))
            fresh: list[feed_reader.FeedEntry] = []
            for entry in feed.entries:  # an entry listed twice is read once
                if entry.key not in done:
                    done.add(entry.key)
                    fresh.append(entry)

            def reader(entry: feed_reader.FeedEntry) -> Callable[[], Article | InputError]:
                return lambda: feed.read(entry, opts.published, opts.fetch, opts.fetch_links)

            chosen = fresh[: opts.max_items]
            return [_Item(url, e.key, reader(e)) for e in chosen], len(fresh) - len(chosen)
        article = page_reader.page_article(
            page.text(), url, id=None, published=opts.published, url=page.url
        )
        if isinstance(article, InputError):
            return article, 0
        key = "page:" + article.sha256  # a page is new when its text is
        if key in watch_state.done_items(self.ledger.con, url, [key]):
            return [], 0
        return [_Item(url, key, lambda: article)], 0

    def _read(self, items: list[_Item]) -> Iterator[Article | InputError]:
        for item in items:
            try:
                read = item.read()
            except Exception as exc:  # noqa: BLE001 - one entry must not stop the round
                read = InputError(item.feed, f"could not read the entry: {describe_exception(exc)}")
            if isinstance(read, InputError):
                item.failed = True
            else:
                item.origin = read.origin
                item.article_id = read.id or read.sha256[:12]
            yield read

    def _mark(self, items: list[_Item], stats: IngestStats, polls: list[Poll]) -> None:
        stored = set(stats.stored_ids)
        failed_origins = [e.origin for e in stats.errors]
        by_feed: dict[str, list[tuple[str, str, str | None]]] = {}
        for item in items:
            if item.failed:
                status = "failed"
            elif item.article_id in stored:
                status = "stored"
            elif item.origin and any(
                o == item.origin or o.startswith(item.origin + " (") for o in failed_origins
            ):
                status = "failed"
            elif item.origin is None:  # never read: the ingest stopped before it
                continue
            else:
                status = "skipped"  # already in the ledger (another feed, an earlier ingest)
            by_feed.setdefault(item.feed, []).append(
                (item.key, status, item.article_id if status != "failed" else None)
            )
        now = self.clock()
        with self.ledger.transaction() as con:
            for feed, outcomes in by_feed.items():
                watch_state.mark_items(con, feed, outcomes, now=now)
        for poll in polls:
            outcomes = by_feed.get(poll.url, [])
            poll.stored = sum(1 for o in outcomes if o[1] == "stored")
            poll.failed = sum(1 for o in outcomes if o[1] == "failed")

    # ------------------------------------------------------------------ several rounds
    def next_due(self) -> float:
        """When the next feed is due (a time from ``clock``)."""
        states = [watch_state.feed_state(self.ledger.con, url) for url in self.urls]
        return min((s.next_poll for s in states), default=self.clock())

    def run(
        self,
        iterations: int | None = None,
        *,
        report: Callable[[Round], None] = lambda r: None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> Round | None:
        """Poll round after round (``iterations`` rounds, else until interrupted), sleeping
        until the next feed is due in between; ``report`` gets each round. Returns the last."""
        last: Round | None = None
        done = 0
        while iterations is None or done < iterations:
            last = self.poll()
            report(last)
            done += 1
            if iterations is not None and done >= iterations:
                break
            sleep(max(1.0, self.next_due() - self.clock()))
        return last


def post_webhook(url: str, round_: Round, *, timeout: float = 10.0) -> str | None:
    """POST the round's new conflicts as JSON to ``url``; the problem, or None when the
    receiver answered 2xx. Redirects are not followed; proxies from the environment are not
    used."""
    payload: dict[str, Any] = {
        "event": "newsledger.watch.conflicts",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "stored": list(round_.stats.stored_ids) if round_.stats else [],
        "conflicts": [c.to_dict() for c in round_.conflicts],
    }
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json", "User-Agent": fetching.USER_AGENT}
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
            response = client.post(url, content=body, headers=headers)
    except httpx.TimeoutException:
        return f"webhook {url}: no answer within {timeout:g} s"
    except (httpx.HTTPError, ValueError) as exc:
        return f"webhook {url}: {type(exc).__name__}: {exc}"
    if not 200 <= response.status_code < 300:
        return f"webhook {url}: HTTP {response.status_code} {response.reason_phrase}"
    return None
