"""Analyses for ``POST /api/analyze``, off the event loop: one worker, a bounded queue, a deadline.

The spaCy pipeline is CPU-bound and not shared between threads, so the analyses run one at a
time in a single worker thread. At most ``queue`` more wait for it; a request beyond that is
refused at once (:class:`PoolFull`, a 503 with ``Retry-After``) instead of piling up. Each
request waits at most ``time_limit`` seconds for its answer (:class:`AnalysisTimeout`, a 503).

A Python thread cannot be stopped from outside: an analysis that runs past its deadline
finishes in the background and keeps its place until then, so the bound on the work in hand
holds; its result is dropped (and not stored). The event loop never waits on the worker: it
only awaits the worker's future, so pages, the API and static files keep answering while an
analysis runs.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from newsledger.errors import NewsledgerError

T = TypeVar("T")

#: Seconds a refused client is told to wait (``Retry-After``) before it tries again.
RETRY_AFTER = 5


class PoolFull(NewsledgerError):
    """Every place in the analysis queue is taken."""

    def __init__(self, capacity: int) -> None:
        super().__init__(
            f"the server is busy with {capacity} analyses; try again in {RETRY_AFTER} s"
        )
        self.retry_after = RETRY_AFTER


class AnalysisTimeout(NewsledgerError):
    """An analysis did not finish within the per-request time limit."""

    def __init__(self, limit: float) -> None:
        super().__init__(
            f"the analysis took longer than {limit:g} s and was abandoned; post a shorter text"
        )
        self.limit = limit
        self.retry_after = RETRY_AFTER


class AnalysisPool:
    """Runs ``job(analyzer)`` in the worker thread, for at most ``queue`` + 1 jobs at a time.

    ``make_analyzer`` is called once, in the worker thread, on the first job (loading the
    spaCy model there keeps the first request from blocking the event loop).
    """

    def __init__(
        self, make_analyzer: Callable[[], Any], *, queue: int = 2, time_limit: float = 30.0
    ) -> None:
        self.make_analyzer = make_analyzer
        self.capacity = queue + 1
        self.time_limit = time_limit
        self._analyzer: Any = None
        # taken without blocking on admission, given back when the job ends in the worker
        self._places = threading.BoundedSemaphore(self.capacity)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsledger-analyze")

    def _call(self, job: Callable[[Any], T]) -> T:
        if self._analyzer is None:  # only the one worker thread gets here
            self._analyzer = self.make_analyzer()
        return job(self._analyzer)

    def _release(self, _future: Future[Any]) -> None:
        self._places.release()

    async def run(self, job: Callable[[Any, float], T]) -> T:
        """``job(analyzer, deadline)`` in the worker thread; its result within the time limit.

        ``deadline`` is a :func:`time.monotonic` value the job may check before side effects
        (such as storing) that must not happen once the client has been told it timed out.
        Raises :class:`PoolFull` at once when the queue is full and :class:`AnalysisTimeout`
        when the answer is not there in time.
        """
        if not self._places.acquire(blocking=False):
            raise PoolFull(self.capacity)
        deadline = time.monotonic() + self.time_limit
        try:
            future = self._executor.submit(self._call, lambda analyzer: job(analyzer, deadline))
        except BaseException:
            self._places.release()
            raise
        future.add_done_callback(self._release)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.time_limit)
        except TimeoutError as exc:
            future.cancel()  # a job still waiting in the queue never starts
            raise AnalysisTimeout(self.time_limit) from exc

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
