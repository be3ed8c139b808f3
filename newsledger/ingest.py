"""Ingest: read inputs, drop what is stored or unusable, analyze the rest into a ledger.

The calling process is the only writer. Inputs are read with
:func:`newsledger.readers.iter_articles`; articles already in the ledger (same ``text_sha256``
or id) are skipped before analysis; empty and non-English texts are rejected and recorded in
``ingest_errors`` with the reason, as are unreadable inputs. The rest go through
:meth:`Analyzer.pipe <newsledger.pipeline.Analyzer.pipe>` (``jobs`` worker processes, each
loading the model once) and every article is committed in its own transaction, so an ingest
killed at any moment and run again stores every article exactly once.

Every input is an item: a reader that raises, an analysis that raises, a record the ledger
cannot store each become a failure recorded for that input (``ingest_errors``, the message
names it) and the batch goes on. Only the ledger itself failing (a full disk, an I/O error:
:class:`~newsledger.ledger.LedgerWriteError`) stops the run, with what was committed kept.
Storing an article marks it pending the cross-document update in the same transaction; the
update at the end of every run completes all pending articles, this run's and any an
interrupted run left.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

from newsledger.errors import InputError
from newsledger.ledger.store import Ledger, LedgerWriteError
from newsledger.model import Analysis, Article, Issue
from newsledger.pipeline import Analyzer
from newsledger.readers import (
    INVALID_NAME,
    describe_exception,
    iter_articles,
    without_surrogates,
)
from newsledger.settings import DEFAULT_SETTINGS
from newsledger.text import stop_words

__all__ = [
    "IngestStats",
    "Recorder",
    "analyze_each",
    "guarded",
    "ingest",
    "ingest_items",
    "language_problem",
    "read_inputs",
    "storable_names",
]

_SCREEN = DEFAULT_SETTINGS.ingest
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass
class IngestStats:
    run_id: int = 0
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    total: int | None = None  # inputs counted before the run, when they could be
    errors: list[InputError] = field(default_factory=list)
    stored_ids: list[str] = field(default_factory=list)
    crossdoc: dict[str, int] | None = None  # what the cross-document update did

    @property
    def done(self) -> int:
        return self.stored + self.skipped + self.failed


def read_inputs(
    paths: Sequence[str],
    *,
    published: str | None = None,
    max_bytes: int = 10_000_000,
    reader_options: Mapping[str, Any] | None = None,
) -> Iterator[Article | InputError]:
    """The one place ingest calls the readers; ``reader_options`` are ``iter_articles``'s
    keyword options (``format``, ``fields``, ``allow_private``, ``fetch_timeout`` …).

    Never raises for bad input (:func:`guarded`)."""
    items = iter_articles(
        paths, published=published, max_bytes=max_bytes, **dict(reader_options or {})
    )
    return guarded(items, ", ".join(paths) or "inputs")


def guarded(items: Iterable[Article | InputError], where: str) -> Iterator[Article | InputError]:
    """``items``, with an exception raised while reading them turned into a last
    :class:`InputError` (the readers guard each input themselves; this is the backstop)."""
    iterator = iter(items)
    last = where
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - reported as an input failure, not raised
            yield InputError(last, f"reading stopped after this input: {describe_exception(exc)}")
            return
        last = item.origin or last
        yield item


def storable_names(paths: Iterable[str]) -> list[str]:
    """``paths`` as the ledger can store them (a name that is not UTF-8 gets U+FFFD)."""
    return [without_surrogates(p) for p in paths]


def name_of(article: Article) -> str:
    """How messages name ``article``: its origin, else its id, else its text hash."""
    return article.origin or article.id or article.sha256[:12]


#: The issue noted on the analysis of an input whose name was not valid UTF-8.
NAME_ISSUE = (
    "the input's name (file name, id or origin) was not valid UTF-8; "
    "bad bytes were replaced with U+FFFD"
)


def analyze_each(
    analyzer: Analyzer, articles: Iterable[Article], *, jobs: int = 1
) -> Generator[tuple[Article, Analysis | InputError], None, None]:
    """Analyze ``articles`` in input order: each article with its analysis, or with the
    error its analysis raised (the others go on).

    ``articles`` must not raise (see :func:`guarded`). The articles go through
    :meth:`Analyzer.pipe <newsledger.pipeline.Analyzer.pipe>`; when it raises, the articles
    read but not yet analyzed are analyzed again one by one, the ones that fail again are
    reported, and the pipe starts over on the articles not read yet. An exception raised
    before the pipe read any article (no model installed, say) is about the analyzer, not
    an input: it is raised.
    """
    source = iter(articles)
    pending: deque[Article] = deque()
    read = [0]

    def feed(stop: threading.Event) -> Iterator[Article]:
        for article in source:
            pending.append(article)
            read[0] += 1
            yield article
            if stop.is_set():  # the pipe failed: leave the rest to the next one
                return

    while True:
        stop = threading.Event()
        before = read[0]
        try:
            for analysis in analyzer.pipe(feed(stop), jobs=jobs):
                article = pending.popleft()
                yield article, _noted(article, analysis)
            return
        except Exception:  # noqa: BLE001 - an analyzer bug must not stop the batch
            stop.set()
            if read[0] == before and not pending:
                raise
        retry = list(pending)
        pending.clear()
        for article in retry:
            try:
                analysis = next(iter(analyzer.pipe([article])))
            except Exception as exc:  # noqa: BLE001
                reason = f"analysis failed: {describe_exception(exc)}"
                yield article, InputError(name_of(article), reason)
                continue
            yield article, _noted(article, analysis)


def _noted(article: Article, analysis: Analysis) -> Analysis:
    if INVALID_NAME in article.flags:
        analysis.issues.append(Issue("invalid_utf8_name", "", 0, 0, message=NAME_ISSUE))
    return analysis


@dataclass(slots=True)
class Recorder:
    """Records the outcome of each input of one ingest run in ``ledger`` and ``stats``.

    Shared by :func:`ingest` and the shard loader of :mod:`newsledger.scale`, so every
    engine counts and records inputs the same way.
    """

    ledger: Ledger
    stats: IngestStats

    def fail(self, origin: str, reason: str) -> None:
        origin, reason = without_surrogates(origin), without_surrogates(reason)
        self.ledger.record_error(origin, reason, run_id=self.stats.run_id)
        self.stats.errors.append(InputError(origin, reason))
        self.stats.failed += 1

    def skip(self) -> None:
        self.stats.skipped += 1

    def store(self, analysis: Analysis, text: str | None, origin: str | None) -> bool:
        """Store one analysis; a record the ledger refuses is a failure of that input (the
        ledger itself failing raises :class:`~newsledger.ledger.LedgerWriteError`)."""
        try:
            added = self.ledger.add(analysis, text, origin=origin, run_id=self.stats.run_id)
        except LedgerWriteError:
            raise
        except Exception as exc:  # noqa: BLE001 - one record the ledger cannot hold
            name = origin or analysis.article.id
            self.fail(name, f"could not be stored: {describe_exception(exc)}")
            return False
        if added:
            self.stats.stored += 1
            self.stats.stored_ids.append(analysis.article.id)
        else:  # stored meanwhile by another writer
            self.stats.skipped += 1
        return added

    def finish(
        self, crossdoc: bool = True, progress: Callable[[int, int], None] | None = None
    ) -> None:
        """Close the run; with ``crossdoc``, add every pending article to the cross-document
        tables (this run's, and any an interrupted run left), calling ``progress(done,
        total)`` as it goes."""
        stats = self.stats
        self.ledger.finish_run(
            stats.run_id, stored=stats.stored, skipped=stats.skipped, failed=stats.failed
        )
        if crossdoc and (stats.stored_ids or self.ledger.pending_crossdoc()):
            stats.crossdoc = self.ledger.complete_crossdoc(progress)


def language_problem(text: str) -> str | None:
    """Why ``text`` is not ingested as English (empty, no words, too few stop words), or None."""
    if not text.strip():
        return "empty article"
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    if not words:
        return "not English: the text has no words"
    stop = stop_words()
    hits = sum(1 for w in words if w in stop)
    ratio = hits / len(words)
    if len(words) >= _SCREEN.min_words and ratio < _SCREEN.min_stop_ratio:
        return (
            f"not English: {ratio:.0%} of its {len(words)} words are English stop words "
            f"(at least {_SCREEN.min_stop_ratio:.0%} expected)"
        )
    if len(words) < _SCREEN.min_words and hits == 0 and len(words) >= 5:
        return f"not English: none of its {len(words)} words is an English stop word"
    return None


def count_inputs(
    paths: Sequence[str],
    *,
    published: str | None = None,
    max_bytes: int = 10_000_000,
    reader_options: Mapping[str, Any] | None = None,
) -> int | None:
    """How many items the inputs hold (for a progress ETA); None when they can't be read
    twice (stdin, URLs)."""
    if any(p == "-" or "://" in p for p in paths):
        return None
    items = read_inputs(
        paths, published=published, max_bytes=max_bytes, reader_options=reader_options
    )
    return sum(1 for _ in items)


@dataclass
class _Screen:
    """What an ingest lets through to the analyzer.

    It runs inside the analyzer's input iterator, which a worker pool consumes from a feeder
    thread: it only reads ``known_*``/``seen_*`` and hands results to the writer (the calling
    thread) through a deque. (The pool's read-ahead is bounded by its task pipe.)
    """

    known_shas: set[str]
    known_ids: set[str]
    # (origin, reason, is_failure)
    problems: deque[tuple[str, str, bool]] = field(default_factory=deque)
    seen_shas: set[str] = field(default_factory=set)
    seen_ids: set[str] = field(default_factory=set)

    def articles(self, source: Iterator[Article | InputError]) -> Iterator[Article]:
        """The articles of ``source`` to analyze; unreadable inputs, articles already stored
        or seen, and non-English texts go to ``problems``."""
        for item in source:
            if isinstance(item, InputError):
                self.problems.append((item.origin, item.reason, True))
                continue
            sha = item.sha256
            aid = item.id or sha[:12]
            origin = item.origin or aid
            if sha in self.known_shas or sha in self.seen_shas:
                self.problems.append((origin, "already stored", False))
                continue
            if aid in self.known_ids or aid in self.seen_ids:
                self.problems.append((origin, f"article id {aid!r} already stored", False))
                continue
            if reason := language_problem(item.text):
                self.problems.append((origin, reason, True))
                continue
            self.seen_shas.add(sha)
            self.seen_ids.add(aid)
            yield item


def ingest(
    ledger: Ledger,
    paths: Sequence[str],
    *,
    jobs: int = 1,
    published: str | None = None,
    max_bytes: int = 10_000_000,
    analyzer: Analyzer | None = None,
    progress: Callable[[IngestStats], None] | None = None,
    count: bool = False,
    reader_options: Mapping[str, Any] | None = None,
    crossdoc: bool = True,
    crossdoc_progress: Callable[[int, int], None] | None = None,
) -> IngestStats:
    """Ingest every article in ``paths`` into ``ledger``; return the counts.

    ``progress`` is called after each input is stored, skipped or failed. With ``count``, the
    inputs are counted first (``stats.total``) so a progress display can show an ETA. With
    ``crossdoc`` (the default), the articles pending the cross-document update (this run's,
    and any an interrupted run left) are then added to the cross-document tables
    (:func:`newsledger.crossdoc.update`: entities, claims, conflicts), with
    ``crossdoc_progress(done, total)`` called as the articles are added.

    Raises :class:`~newsledger.ledger.LedgerWriteError` when the ledger cannot be written
    (what was committed before stays); never for bad input.
    """
    total = None
    if count:
        total = count_inputs(
            paths, published=published, max_bytes=max_bytes, reader_options=reader_options
        )
    source = read_inputs(
        paths, published=published, max_bytes=max_bytes, reader_options=reader_options
    )
    return ingest_items(
        ledger,
        source,
        inputs=paths,
        jobs=jobs,
        analyzer=analyzer,
        progress=progress,
        total=total,
        crossdoc=crossdoc,
        crossdoc_progress=crossdoc_progress,
    )


def ingest_items(
    ledger: Ledger,
    items: Iterable[Article | InputError],
    *,
    inputs: Sequence[str],
    jobs: int = 1,
    analyzer: Analyzer | None = None,
    progress: Callable[[IngestStats], None] | None = None,
    total: int | None = None,
    crossdoc: bool = True,
    crossdoc_progress: Callable[[int, int], None] | None = None,
) -> IngestStats:
    """Ingest articles already read (``items``, as the readers yield them) into ``ledger``,
    exactly as :func:`ingest` does with what it reads: one run named by ``inputs``, stored
    and known articles skipped, failures recorded, then the cross-document update.

    For callers that read their inputs themselves (``newsledger watch``, the web workbench's
    ingest page); ``total`` is the number of items, when known, for progress displays.
    """
    analyzer = analyzer or Analyzer()
    stats = IngestStats(run_id=ledger.start_run(storable_names(inputs)), total=total)
    if total is not None and progress:
        progress(stats)
    record = Recorder(ledger, stats)
    screen = _Screen(*ledger.known())
    problems = screen.problems
    source = guarded(items, ", ".join(inputs) or "inputs")

    def drain() -> None:
        while problems:
            origin, reason, failure = problems.popleft()
            if failure:
                record.fail(origin, reason)
            else:
                record.skip()
            if progress:
                progress(stats)

    outcomes = analyze_each(analyzer, screen.articles(source), jobs=jobs)
    with closing(outcomes):
        for article, outcome in outcomes:
            drain()
            if isinstance(outcome, InputError):
                record.fail(outcome.origin, outcome.reason)
            else:
                record.store(outcome, article.text, article.origin)
            if progress:
                progress(stats)
    drain()
    record.finish(crossdoc, crossdoc_progress)
    return stats
