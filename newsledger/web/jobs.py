"""Ingest jobs for the workbench's ingest page: run one at a time, off the server's threads.

A job is what one ingest form sent: pasted articles, uploaded files (saved in a temporary
folder) and URLs. It runs through :func:`newsledger.ingest.ingest_items` (the ingest every
command uses: known articles skipped, each failure recorded and reported for its input,
then the cross-document update) in a worker process with its own spaCy pipeline, like the
analyses of :mod:`newsledger.web.analysis`, so the server keeps answering while it runs; the
worker reports its progress after each input. Jobs run one at a time; a few more may wait,
beyond that a new one is refused (:class:`JobsFull`). The last jobs are kept in memory for
their pages.

With an analyzer object given (tests, embedding) the job runs in a thread of the server
instead.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import secrets
import shutil
import signal
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from newsledger.errors import InputError, NewsledgerError
from newsledger.ingest import IngestStats, count_inputs, ingest_items, read_inputs
from newsledger.ledger import Ledger
from newsledger.model import Article

LOG = logging.getLogger("newsledger.web")

#: Jobs kept for their pages once finished.
KEEP_JOBS = 50


class JobsFull(NewsledgerError):
    """Every place in the ingest queue is taken."""

    def __init__(self, capacity: int) -> None:
        super().__init__(f"{capacity} ingests are already queued or running; try again later")
        self.retry_after = 10


@dataclass(frozen=True, slots=True)
class JobRequest:
    """What to ingest: ``articles`` (pasted), ``paths`` (saved uploads, URLs) read with
    ``reader_options``; ``folder`` is where the uploads were saved (each under its own file
    name), left out of the names shown; ``inputs`` name the run."""

    inputs: list[str]
    articles: list[Article] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    folder: str | None = None
    reader_options: dict[str, Any] = field(default_factory=dict)
    max_bytes: int = 10_000_000


@dataclass(slots=True)
class Job:
    id: str
    inputs: list[str]
    state: str = "queued"  # queued, running, done, failed
    total: int | None = None
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    stored_ids: list[str] = field(default_factory=list)
    message: str | None = None
    crossdoc: bool = False  # the cross-document update is running
    created: float = field(default_factory=time.time)
    finished: float | None = None
    tmpdir: str | None = None

    @property
    def done(self) -> int:
        return self.stored + self.skipped + self.failed

    @property
    def finished_state(self) -> bool:
        return self.state in ("done", "failed")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "state": self.state,
            "inputs": self.inputs,
            "total": self.total,
            "done": self.done,
            "stored": self.stored,
            "skipped": self.skipped,
            "failed": self.failed,
            "errors": [{"input": o, "reason": r} for o, r in self.errors],
            "stored_ids": self.stored_ids,
            "message": self.message,
            "crossdoc": self.crossdoc,
        }


def _progress(stats: IngestStats) -> dict[str, Any]:
    return {
        "total": stats.total,
        "stored": stats.stored,
        "skipped": stats.skipped,
        "failed": stats.failed,
        "errors": [(e.origin, e.reason) for e in stats.errors],
        "stored_ids": list(stats.stored_ids),
    }


def _renamed(item: Article | InputError, folder: str | None) -> Article | InputError:
    """``item`` with the temporary ``folder`` of the uploads left out of its origin, id and
    message (``/tmp/…/report.jsonl:3`` → ``report.jsonl:3``): the names the user knows."""
    if not folder:
        return item
    prefix = folder.rstrip(os.sep) + os.sep

    def clean(text: str | None) -> str | None:
        return None if text is None else text.replace(prefix, "")

    if isinstance(item, InputError):
        return InputError(clean(item.origin) or item.origin, clean(item.reason) or item.reason)
    return dataclasses.replace(item, origin=clean(item.origin), id=clean(item.id))


def run_job(
    db_path: str,
    request: JobRequest,
    analyzer: Any,
    report: Callable[[dict[str, Any]], None],
) -> dict[str, Any]:
    """Ingest ``request`` into the ledger at ``db_path``; ``report`` gets the progress after
    each input (and ``{"crossdoc": True}`` when the cross-document update starts). Returns the
    final counts."""
    total: int | None = len(request.articles)
    if request.paths:
        counted = count_inputs(
            request.paths, max_bytes=request.max_bytes, reader_options=request.reader_options
        )
        total = None if counted is None else len(request.articles) + counted

    def items() -> Iterator[Article | InputError]:
        yield from request.articles
        if request.paths:
            read = read_inputs(
                request.paths, max_bytes=request.max_bytes, reader_options=request.reader_options
            )
            for item in read:
                yield _renamed(item, request.folder)

    def progress(stats: IngestStats) -> None:
        report(_progress(stats))
        if stats.total is not None and stats.done >= stats.total:
            report({"crossdoc": True})

    with Ledger(db_path) as ledger:
        stats = ingest_items(
            ledger, items(), inputs=request.inputs, analyzer=analyzer, progress=progress,
            total=total,
        )  # fmt: skip
    return {**_progress(stats), "crossdoc": False}


def serve_jobs(conn: Connection, make_analyzer: Callable[[], Any]) -> None:
    """The worker process: build the analyzer, then run each job received.

    Receives ``(db_path, request)``; sends ``("progress", dict)`` while it runs, then
    ``("done", dict)`` or ``("error", message)``; ends when the server closes the pipe.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    analyzer = make_analyzer()
    conn.send(("ready", None))
    while True:
        try:
            db_path, request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result = run_job(db_path, request, analyzer, lambda p: conn.send(("progress", p)))
            conn.send(("done", result))
        except NewsledgerError as exc:  # the ledger could not be written
            conn.send(("error", str(exc)))
        except Exception:
            LOG.error("ingest job failed in the worker:\n%s", traceback.format_exc())
            conn.send(("error", "the ingest failed (details in the server log)"))


class IngestJobs:
    """Runs ingest jobs one at a time into the ledger at ``db_path``; at most ``queue``
    wait. ``make_analyzer`` builds the worker's analyzer (picklable); an ``analyzer`` object
    runs the jobs in a thread of this process instead."""

    def __init__(
        self,
        db_path: str,
        make_analyzer: Callable[[], Any],
        *,
        analyzer: Any = None,
        queue: int = 3,
    ) -> None:
        self.db_path = db_path
        self.make_analyzer = make_analyzer
        self.analyzer = analyzer
        self.capacity = queue + 1
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsledger-ingest")
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None

    # ------------------------------------------------------------------ jobs
    def submit(self, request: JobRequest, tmpdir: str | None = None) -> Job:
        """Queue ``request``; ``tmpdir`` (its saved uploads) is removed when it ends."""
        with self._lock:
            waiting = sum(1 for j in self._jobs.values() if not j.finished_state)
            if waiting >= self.capacity:
                raise JobsFull(self.capacity)
            job = Job(secrets.token_urlsafe(9), list(request.inputs), tmpdir=tmpdir)
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP_JOBS:
                oldest = next(iter(self._jobs))
                if not self._jobs[oldest].finished_state:
                    break
                del self._jobs[oldest]
        self._runner.submit(self._run, job, request)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _update(self, job: Job, progress: dict[str, Any]) -> None:
        with self._lock:
            for name, value in progress.items():
                setattr(job, name, value)

    def _run(self, job: Job, request: JobRequest) -> None:
        self._update(job, {"state": "running"})
        try:
            if self.analyzer is not None:
                result = run_job(
                    self.db_path, request, self.analyzer, lambda p: self._update(job, p)
                )
            else:
                result = self._in_worker(job, request)
            self._update(job, {**result, "state": "done", "finished": time.time()})
        except NewsledgerError as exc:
            self._update(job, {"state": "failed", "message": str(exc), "finished": time.time()})
        except Exception:
            LOG.exception("ingest job %s failed", job.id)
            message = "the ingest failed (details in the server log)"
            self._update(job, {"state": "failed", "message": message, "finished": time.time()})
        finally:
            self._update(job, {"crossdoc": False})
            if job.tmpdir:
                shutil.rmtree(job.tmpdir, ignore_errors=True)

    # ------------------------------------------------------------------ the worker process
    def _worker(self) -> Connection:
        if self._process is not None and self._conn is not None and self._process.is_alive():
            return self._conn
        self.stop()
        ctx = multiprocessing.get_context("spawn")
        ours, theirs = ctx.Pipe()
        process = ctx.Process(
            target=serve_jobs,
            args=(theirs, self.make_analyzer),
            name="newsledger-ingest",
            daemon=True,
        )
        process.start()
        theirs.close()
        self._process, self._conn = process, ours
        try:
            kind, _ = ours.recv()
        except (EOFError, OSError) as exc:
            self.stop()
            raise NewsledgerError("the ingest worker did not start") from exc
        assert kind == "ready"
        return ours

    def _in_worker(self, job: Job, request: JobRequest) -> dict[str, Any]:
        conn = self._worker()
        conn.send((self.db_path, request))
        while True:
            try:
                kind, value = conn.recv()
            except (EOFError, OSError) as exc:
                self.stop()
                raise NewsledgerError("the ingest worker died; what was stored stays") from exc
            if kind == "progress":
                self._update(job, value)
            elif kind == "done":
                result: dict[str, Any] = value
                return result
            else:
                raise NewsledgerError(str(value))

    def stop(self) -> None:
        """End the worker process (at server shutdown)."""
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(5)
        self._process = self._conn = None
