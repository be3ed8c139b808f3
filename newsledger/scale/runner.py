"""What every engine shares: the jobs of a run (partition, shard key, shard path) and its report."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsledger.errors import InputError
from newsledger.scale.partition import Partition, describe, shard_key, shard_path
from newsledger.scale.shards import shard_info, write_manifest
from newsledger.scale.work import ShardOptions


@dataclass(frozen=True, slots=True)
class Job:
    partition: Partition
    key: str
    path: Path

    @property
    def name(self) -> str:
        return describe(self.partition)


@dataclass(slots=True)
class RunReport:
    """The outcome of a run: its shards in input order, counts, input errors, failures."""

    out_dir: Path
    shards: list[Path] = field(default_factory=list)
    computed: int = 0
    reused: int = 0
    articles: int = 0
    errors: list[InputError] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (partition, why)
    seconds: float = 0.0
    dashboard: str | None = None

    @property
    def ok(self) -> bool:
        return not self.failed


def plan_jobs(partitions: list[Partition], out_dir: str | Path, options: ShardOptions) -> list[Job]:
    """One job per distinct partition, in input order; the shard key covers the options."""
    out = Path(out_dir).resolve()
    option_key = options.key()
    jobs: list[Job] = []
    seen: set[str] = set()
    for partition in partitions:
        key = shard_key(partition, option_key)
        if key not in seen:
            seen.add(key)
            jobs.append(Job(partition, key, shard_path(out, key)))
    return jobs


def finished(job: Job) -> dict[str, Any] | None:
    """The summary of a job whose shard is already there, or None."""
    if not job.path.exists():
        return None
    try:
        info = shard_info(job.path)
    except ValueError:
        return None
    return {
        "key": job.key,
        "path": str(job.path),
        "rows": info.rows,
        "errors": [[e.origin, e.reason] for e in info.errors],
        "reused": True,
    }


class Collector:
    """Gathers job summaries (in any order) into a :class:`RunReport` (in input order)."""

    def __init__(self, jobs: list[Job], out_dir: str | Path) -> None:
        self.jobs = jobs
        self.report = RunReport(out_dir=Path(out_dir).resolve())
        self.summaries: dict[str, dict[str, Any]] = {}
        self.started = time.perf_counter()

    def add(self, summary: dict[str, Any]) -> None:
        self.summaries[summary["key"]] = summary

    def fail(self, job: Job, why: str) -> None:
        self.report.failed.append((job.name, why))

    def finish(self) -> RunReport:
        report = self.report
        for job in self.jobs:
            summary = self.summaries.get(job.key)
            if summary is None:
                continue
            report.shards.append(Path(summary["path"]))
            report.articles += summary["rows"]
            if summary["reused"]:
                report.reused += 1
            else:
                report.computed += 1
            report.errors.extend(InputError(o, r) for o, r in summary["errors"])
        for job in self.jobs:  # temporary files of tries that died mid-write
            for tmp in job.path.parent.glob(f".{job.path.name}.*.tmp"):
                tmp.unlink(missing_ok=True)
        if report.ok and report.shards:
            write_manifest(report.out_dir, report.shards)
        report.seconds = time.perf_counter() - self.started
        return report
