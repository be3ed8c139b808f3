"""Analyses for ``POST /api/analyze``, off the event loop: one worker, a bounded queue, a deadline.

The analysis runs in a separate worker process with its own spaCy pipeline. The server's
process only waits on a pipe, so nothing the analysis does (long stretches of C code that
hold the GIL included) can hold up the event loop, the page and API threads or static files.
A dispatcher thread hands one article at a time to the worker; at most ``queue`` more wait
for it, and a request beyond that is refused at once (:class:`PoolFull`, a 503 with
``Retry-After``) instead of piling up. Each request gets its answer within ``time_limit``
seconds of its arrival or :class:`AnalysisTimeout` (a 503): the worker is then killed, which
stops the work for good, and a fresh one is started for the next request.

With ``in_process`` (an analyzer object handed to the app, as tests and embedders do) the
analysis runs in the dispatcher thread instead: the same queue and deadline, but it shares
the server's GIL and an analysis past its deadline cannot be stopped (its place stays taken
until it ends).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from fastapi.responses import JSONResponse

from newsledger.errors import NewsledgerError
from newsledger.model import Analysis, Article

T = TypeVar("T")
LOG = logging.getLogger("newsledger.web")

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
            f"the analysis took longer than {limit:g} s and was stopped; post a shorter text"
        )
        self.limit = limit
        self.retry_after = RETRY_AFTER


class AnalysisFailed(NewsledgerError):
    """The analyzer raised, or its worker process died (details in the server log only)."""


@dataclass(frozen=True)
class Outcome:
    """An analysis as the API answers it: the record rendered as JSON (in the worker, so that
    the server process spends no time on it), and the record itself when it is to be kept."""

    body: bytes
    analysis: Analysis | None


def analyze_one(analyzer: Any, article: Article, keep: bool) -> Outcome:
    """``article`` analyzed, its record rendered exactly as a ``JSONResponse`` renders it."""
    analysis: Analysis = next(analyzer.pipe([article]))
    return Outcome(bytes(JSONResponse(analysis.to_dict()).body), analysis if keep else None)


def serve_analyses(conn: Connection, make_analyzer: Callable[[], Any]) -> None:
    """The worker process: build the analyzer, say so, then analyze each article received.

    Receives ``(article, keep)``; answers ``("ready", None)`` once, then per article
    ``("ok", Outcome)`` or ``("error", traceback text)``; ends when the server closes its
    end of the pipe.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    analyzer = make_analyzer()
    conn.send(("ready", None))
    while True:
        try:
            article, keep = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", analyze_one(analyzer, article, keep)))
        except Exception:
            conn.send(("error", traceback.format_exc()))


class WorkerProcess:
    """One worker process (spawned: a fresh interpreter, no state shared with the server),
    driven from one thread at a time."""

    def __init__(self, make_analyzer: Callable[[], Any]) -> None:
        self.make_analyzer = make_analyzer
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None

    def ensure_started(self) -> Connection:
        """The pipe to a live worker whose analyzer is built (starting one if needed)."""
        if self._process is not None and self._conn is not None and self._process.is_alive():
            return self._conn
        self.stop()
        ctx = multiprocessing.get_context("spawn")
        ours, theirs = ctx.Pipe()
        process = ctx.Process(
            target=serve_analyses,
            args=(theirs, self.make_analyzer),
            name="newsledger-analyze",
            daemon=True,  # ends with the server
        )
        process.start()
        theirs.close()
        self._process, self._conn = process, ours
        try:
            kind, _ = ours.recv()
        except (EOFError, OSError) as exc:
            self.stop()
            raise AnalysisFailed("the analysis worker did not start") from exc
        assert kind == "ready"
        return ours

    def analyze(self, article: Article, keep: bool, deadline: float, limit: float) -> Outcome:
        conn = self.ensure_started()
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AnalysisTimeout(limit)
        conn.send((article, keep))
        if not conn.poll(remaining):
            self.stop()  # the only way to stop the work: kill the process doing it
            raise AnalysisTimeout(limit)
        try:
            kind, value = conn.recv()
        except (EOFError, OSError) as exc:
            self.stop()
            raise AnalysisFailed("the analysis worker died") from exc
        if kind != "ok":
            LOG.error("analysis of %s failed in the worker:\n%s", article.origin, value)
            raise AnalysisFailed("the analysis failed")
        outcome: Outcome = value
        return outcome

    def alive(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(5)
        self._process = self._conn = None


class AnalysisPool:
    """Admits at most ``queue`` + 1 analyses at a time, runs them one by one off the event
    loop, and answers each within ``time_limit`` seconds.

    ``make_analyzer`` builds the analyzer: in the worker process (it must then be picklable,
    such as a class or a module-level function) or, with ``in_process``, in the dispatcher
    thread on the first analysis.
    """

    def __init__(
        self,
        make_analyzer: Callable[[], Any],
        *,
        queue: int = 2,
        time_limit: float = 30.0,
        in_process: bool = False,
    ) -> None:
        self.capacity = queue + 1
        self.time_limit = time_limit
        self.in_process = in_process
        self.make_analyzer = make_analyzer
        self._analyzer: Any = None
        self._worker = None if in_process else WorkerProcess(make_analyzer)
        # taken without blocking on admission, given back when the job ends in the dispatcher
        self._places = threading.BoundedSemaphore(self.capacity)
        self._dispatcher = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="newsledger-analyze"
        )

    def start(self) -> Future[Any]:
        """Start the worker (and load its model) ahead of the first request."""
        if self._worker is None:
            return self._dispatcher.submit(self._in_process_analyzer)
        return self._dispatcher.submit(self._worker.ensure_started)

    def _in_process_analyzer(self) -> Any:
        if self._analyzer is None:  # only the dispatcher thread gets here
            self._analyzer = self.make_analyzer()
        return self._analyzer

    def _analyze(self, article: Article, keep: bool, deadline: float) -> Outcome:
        if self._worker is not None:
            return self._worker.analyze(article, keep, deadline, self.time_limit)
        if time.monotonic() >= deadline:
            raise AnalysisTimeout(self.time_limit)
        return analyze_one(self._in_process_analyzer(), article, keep)

    def _release(self, _future: Future[Any]) -> None:
        self._places.release()

    async def run(
        self, article: Article, finish: Callable[[Outcome, float], T], *, keep: bool = False
    ) -> T:
        """``finish(outcome, deadline)`` of ``article``'s analysis, within the time limit.

        The outcome has the record itself (not only its JSON) when ``keep`` is true.
        ``finish`` runs in the dispatcher thread (off the event loop); ``deadline`` is a
        :func:`time.monotonic` value it checks before side effects (such as storing) that
        must not happen once the client has been told the request timed out. Raises
        :class:`PoolFull` at once when the queue is full, :class:`AnalysisTimeout` when the
        answer is not there in time, :class:`AnalysisFailed` when the analyzer fails.
        """
        if not self._places.acquire(blocking=False):
            raise PoolFull(self.capacity)
        deadline = time.monotonic() + self.time_limit

        def job() -> T:
            return finish(self._analyze(article, keep, deadline), deadline)

        try:
            future = self._dispatcher.submit(job)
        except BaseException:
            self._places.release()
            raise
        future.add_done_callback(self._release)
        try:
            # the worker process keeps the deadline itself; this covers a slow (re)start
            backstop = self.time_limit if self.in_process else self.time_limit + 1
            return await asyncio.wait_for(asyncio.wrap_future(future), backstop)
        except TimeoutError as exc:
            # in process: the analysis cannot be stopped; a job still queued never starts
            future.cancel()
            raise AnalysisTimeout(self.time_limit) from exc

    def worker_alive(self) -> bool:
        """Whether a worker process is running (never, ``in_process``)."""
        return self._worker is not None and self._worker.alive()

    def stop(self) -> None:
        """End the worker process (at server shutdown); a later job starts a fresh one."""
        if self._worker is not None:
            self._worker.stop()
