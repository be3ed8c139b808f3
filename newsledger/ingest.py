"""Ingest: read inputs, drop what is stored or unusable, analyze the rest into a ledger.

The calling process is the only writer. Inputs are read with
:func:`newsledger.readers.iter_articles`; articles already in the ledger (same ``text_sha256``
or id) are skipped before analysis; empty and non-English texts are rejected and recorded in
``ingest_errors`` with the reason, as are unreadable inputs. The rest go through
:meth:`Analyzer.pipe <newsledger.pipeline.Analyzer.pipe>` (``jobs`` worker processes, each
loading the model once) and every article is committed in its own transaction, so an ingest
killed at any moment and run again stores every article exactly once.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from newsledger.errors import InputError
from newsledger.ledger.store import Ledger
from newsledger.model import Analysis, Article
from newsledger.pipeline import Analyzer
from newsledger.readers import iter_articles

__all__ = ["IngestStats", "ingest", "language_problem", "read_inputs"]

#: An English text of at least MIN_WORDS words has at least this share of stop words
#: (news prose: ~0.4–0.5; other languages share a few short words with English: < 0.1).
MIN_STOP_RATIO = 0.15
MIN_WORDS = 20
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
    keyword options (``format``, ``fields``, ``allow_private``, ``fetch_timeout`` …)."""
    return iter_articles(
        paths, published=published, max_bytes=max_bytes, **dict(reader_options or {})
    )


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    return frozenset(STOP_WORDS)


def language_problem(text: str) -> str | None:
    """Why ``text`` is not ingested as English (empty, no words, too few stop words), or None."""
    if not text.strip():
        return "empty article"
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    if not words:
        return "not English: the text has no words"
    stop = _stop_words()
    hits = sum(1 for w in words if w in stop)
    ratio = hits / len(words)
    if len(words) >= MIN_WORDS and ratio < MIN_STOP_RATIO:
        return (
            f"not English: {ratio:.0%} of its {len(words)} words are English stop words "
            f"(at least {MIN_STOP_RATIO:.0%} expected)"
        )
    if len(words) < MIN_WORDS and hits == 0 and len(words) >= 5:
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
    thread) through deques. (The pool's read-ahead is bounded by its task pipe.)
    """

    known_shas: set[str]
    known_ids: set[str]
    # (origin, reason, is_failure)
    problems: deque[tuple[str, str, bool]] = field(default_factory=deque)
    pending: deque[Article] = field(default_factory=deque)
    seen_shas: set[str] = field(default_factory=set)
    seen_ids: set[str] = field(default_factory=set)

    def articles(
        self, source: Iterator[Article | InputError], stop: threading.Event
    ) -> Iterator[Article]:
        """The articles of ``source`` to analyze, each also put on ``pending``; unreadable
        inputs, articles already stored or seen, and non-English texts go to ``problems``."""
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
            self.pending.append(item)
            yield item
            if stop.is_set():
                return


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
) -> IngestStats:
    """Ingest every article in ``paths`` into ``ledger``; return the counts.

    ``progress`` is called after each input is stored, skipped or failed. With ``count``, the
    inputs are counted first (``stats.total``) so a progress display can show an ETA. With
    ``crossdoc`` (the default), the articles stored by this run are then added to the
    cross-document tables (:func:`newsledger.crossdoc.update`: entities, claims, conflicts).
    """
    analyzer = analyzer or Analyzer()
    stats = IngestStats(run_id=ledger.start_run(paths))
    if count:
        stats.total = count_inputs(
            paths, published=published, max_bytes=max_bytes, reader_options=reader_options
        )
        if progress:
            progress(stats)
    screen = _Screen(*ledger.known())
    problems, pending = screen.problems, screen.pending
    source = read_inputs(
        paths, published=published, max_bytes=max_bytes, reader_options=reader_options
    )

    def fail(origin: str, reason: str) -> None:
        ledger.record_error(origin, reason, run_id=stats.run_id)
        stats.errors.append(InputError(origin, reason))
        stats.failed += 1

    def drain() -> None:
        while problems:
            origin, reason, failure = problems.popleft()
            if failure:
                fail(origin, reason)
            else:
                stats.skipped += 1
            if progress:
                progress(stats)

    def store(analysis: Analysis, article: Article) -> None:
        drain()
        if ledger.add(analysis, article.text, origin=article.origin, run_id=stats.run_id):
            stats.stored += 1
            stats.stored_ids.append(analysis.article.id)
        else:  # stored meanwhile by another writer
            stats.skipped += 1
        if progress:
            progress(stats)

    while True:
        stop = threading.Event()
        try:
            for analysis in analyzer.pipe(screen.articles(source, stop), jobs=jobs):
                article = pending.popleft()
                store(analysis, article)
            break
        except Exception:  # noqa: BLE001 - an analyzer bug must not stop the batch
            stop.set()
        # The articles read but not stored are analyzed again one by one; the ones that fail
        # again are recorded, then the pipe starts over on the inputs not read yet.
        retry = list(pending)
        pending.clear()
        for article in retry:
            try:
                analysis = next(analyzer.pipe([article]))
            except Exception as exc:  # noqa: BLE001
                fail(
                    article.origin or article.id or article.sha256[:12],
                    f"analysis failed: {type(exc).__name__}: {exc}",
                )
                continue
            store(analysis, article)
    drain()
    ledger.finish_run(stats.run_id, stored=stats.stored, skipped=stats.skipped, failed=stats.failed)
    if crossdoc and stats.stored_ids:
        stats.crossdoc = ledger.update_crossdoc(stats.stored_ids)
    return stats
