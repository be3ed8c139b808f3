"""Run partitions on a Dask cluster: a scheduler's address, or a local cluster of N workers.

Each partition is one task (:func:`newsledger.scale.work.run_partition`) that writes its own
shard on the worker, so only small summaries travel back. A task whose worker dies is run
again elsewhere (Dask reschedules it; ``retries`` also covers exceptions), and as shards are
written atomically a lost try leaves nothing behind. Every worker loads the spaCy model once,
when it starts (:class:`PreloadModel`), not per task.

The input paths and the output folder must be visible to every worker under the same names
(a shared file system), as they are for a local cluster.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from distributed import Client, LocalCluster, WorkerPlugin, as_completed

from newsledger.pipeline import AnalyzerOptions
from newsledger.scale.partition import Partition
from newsledger.scale.progress import PartitionProgress
from newsledger.scale.runner import Collector, Job, RunReport, finished, plan_jobs
from newsledger.scale.work import ShardOptions, get_analyzer, run_partition

DEFAULT_RETRIES = 3


class PreloadModel(WorkerPlugin):
    """Load the analyzer (spaCy model) in every worker once, when it joins the cluster."""

    name = "newsledger-preload-model"

    def __init__(self, options: AnalyzerOptions | None = None) -> None:
        self.options = options or AnalyzerOptions()

    async def setup(self, worker: object) -> None:
        # In a thread, so the worker keeps answering the scheduler while the model loads.
        await asyncio.to_thread(get_analyzer, self.options)


@contextmanager
def dask_client(
    scheduler: str | None = None,
    workers: int | None = None,
    *,
    dashboard_address: str | None = ":0",
    memory_limit: str | None = "auto",
) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler``, or of a local cluster of ``workers``.

    The local cluster runs one single-threaded process per worker (spaCy holds the GIL) and
    is shut down, worker processes included, when the block ends.
    """
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    n = workers or max(1, os.cpu_count() or 1)
    with (
        LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=dashboard_address,
            memory_limit=memory_limit,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def dashboard_link(client: Client) -> str | None:
    """The scheduler's dashboard address, or None when it serves none."""
    try:
        services = client.scheduler_info().get("services", {})
    except Exception:  # noqa: BLE001 - a link is a nicety
        return None
    return client.dashboard_link if "dashboard" in services else None


def _dashboard_note(client: Client, link: str) -> str:
    local = isinstance(getattr(client, "cluster", None), LocalCluster)
    if local and importlib.util.find_spec("bokeh") is None:
        return f"Dask dashboard: {link} (its pages need the bokeh package, not installed here)"
    return f"Dask dashboard: {link}"


def run_dask(
    partitions: list[Partition],
    out_dir: str | Path,
    options: ShardOptions | None = None,
    *,
    client: Client | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    retries: int = DEFAULT_RETRIES,
    progress: bool = True,
    stream: TextIO | None = None,
) -> RunReport:
    """Analyze ``partitions`` on Dask into shards in ``out_dir``; skip shards already there.

    Uses ``client`` when given, else connects to ``scheduler`` or starts a local cluster of
    ``workers`` processes for the duration of the run.
    """
    options = options or ShardOptions()
    if client is None:
        jobs = plan_jobs(partitions, out_dir, options)
        if all(finished(job) is not None for job in jobs):  # nothing to compute: no cluster
            return _report_done(jobs, out_dir, progress=progress, stream=stream)
        with dask_client(scheduler, workers) as own:
            return run_dask(
                partitions,
                out_dir,
                options,
                client=own,
                retries=retries,
                progress=progress,
                stream=stream,
            )
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    jobs = plan_jobs(partitions, out, options)
    collector = Collector(jobs, out)
    link = dashboard_link(client)
    collector.report.dashboard = link
    with PartitionProgress(len(jobs), stream=stream, enabled=progress) as bar:
        if link:
            bar.note(_dashboard_note(client, link))
        todo: list[Job] = []
        for job in jobs:
            summary = finished(job)
            if summary is None:
                todo.append(job)
            else:
                collector.add(summary)
                bar.advance(job.name, summary["rows"], reused=True)
        if todo:
            client.register_plugin(PreloadModel(options.analyzer))
            futures = {}
            for job in todo:
                future = client.submit(
                    run_partition,
                    job.partition,
                    job.key,
                    str(out),
                    options,
                    key=f"newsledger-shard-{job.key}",
                    pure=False,
                    retries=retries,
                )
                futures[future] = job
            for future in as_completed(list(futures)):
                job = futures.pop(future)
                try:
                    summary = future.result()
                except Exception as exc:  # noqa: BLE001 - one lost partition must not stop the rest
                    collector.fail(job, f"{type(exc).__name__}: {exc}")
                    bar.note(f"failed: {job.name}: {type(exc).__name__}: {exc}")
                    continue
                finally:
                    future.release()
                collector.add(summary)
                bar.advance(job.name, summary["rows"], reused=summary["reused"])
    return collector.finish()


def _report_done(
    jobs: list[Job], out_dir: str | Path, *, progress: bool, stream: TextIO | None
) -> RunReport:
    collector = Collector(jobs, out_dir)
    with PartitionProgress(len(jobs), stream=stream, enabled=progress) as bar:
        for job in jobs:
            summary = finished(job)
            assert summary is not None
            collector.add(summary)
            bar.advance(job.name, summary["rows"], reused=True)
    return collector.finish()
