"""Run partitions on this machine: in this process (``jobs=1``) or a pool of processes.

The tasks, shards and reports are those of the Dask runner (:mod:`.dask_runner`); only the
executor differs. Each pool process loads the spaCy model once, when it starts.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TextIO

from newsledger.nlp import load_model
from newsledger.pipeline import AnalyzerOptions
from newsledger.scale.partition import Partition
from newsledger.scale.progress import PartitionProgress
from newsledger.scale.runner import Collector, RunReport, finished, plan_jobs
from newsledger.scale.work import ShardOptions, get_analyzer, run_partition


def _init(options: AnalyzerOptions) -> None:
    get_analyzer(options)


def run_local(
    partitions: list[Partition],
    out_dir: str | Path,
    options: ShardOptions | None = None,
    *,
    jobs: int = 1,
    progress: bool = True,
    stream: TextIO | None = None,
) -> RunReport:
    """Analyze ``partitions`` into shards in ``out_dir`` with ``jobs`` processes."""
    options = options or ShardOptions()
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    plan = plan_jobs(partitions, out, options)
    collector = Collector(plan, out)
    with PartitionProgress(len(plan), stream=stream, enabled=progress) as bar:
        todo = []
        for job in plan:
            summary = finished(job)
            if summary is None:
                todo.append(job)
            else:
                collector.add(summary)
                bar.advance(job.name, summary["rows"], reused=True)
        if jobs <= 1 or len(todo) <= 1:
            for job in todo:
                summary = run_partition(job.partition, job.key, str(out), options)
                collector.add(summary)
                bar.advance(job.name, summary["rows"])
            return collector.finish()
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        if context.get_start_method() == "fork":
            load_model(options.analyzer.model)  # forked workers share the weights copy-on-write
        with ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_init,
            initargs=(options.analyzer,),
        ) as pool:
            futures = {
                pool.submit(run_partition, job.partition, job.key, str(out), options): job
                for job in todo
            }
            for future in as_completed(futures):
                job = futures[future]
                try:
                    summary = future.result()
                except Exception as exc:  # noqa: BLE001 - the other partitions go on
                    collector.fail(job, f"{type(exc).__name__}: {exc}")
                    bar.note(f"failed: {job.name}: {type(exc).__name__}: {exc}")
                    continue
                collector.add(summary)
                bar.advance(job.name, summary["rows"])
    return collector.finish()
