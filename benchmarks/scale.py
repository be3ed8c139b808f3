"""Scale-out throughput: Dask with 1 and 2 workers against the local ``--jobs 2`` path.

On the 171 Wikinews 2019 articles, in one run, measures the wall time of:

  (a) dask-1   ``run_dask`` on a local cluster of 1 worker process (1 thread)
  (b) dask-2   ``run_dask`` on a local cluster of 2 worker processes (1 thread each)
  (c) jobs-2   ``list(Analyzer().pipe(articles, jobs=2))``, the single-machine ingest path

The Dask rows time the run over all partitions (analysis + Parquet shards) on a started
cluster whose workers have loaded the model; cluster start-up is printed separately. The
jobs-2 row includes starting its pool (forked workers share the loaded model). Each repeat
writes its shards to a fresh folder, so nothing is reused. Printed: median seconds,
articles/s, the CPU seconds the workers used and their CPU share (CPU seconds / (wall seconds x
processes): below 1 when other programs compete for the cores), and the ratios

  dask-2 / dask-1   bar >= 1.6 (on 2 cores)
  dask-2 / jobs-2   (information: the cost of Dask over a local process pool)

The data is read from ../shared/data/wikinews/wikinews_2019.csv; where it is absent the
benchmark says so and exits 0.

    python benchmarks/scale.py [--repeats 1] [--limit N] [--partitions 16] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wikinews" / "wikinews_2019.csv"
BAR_DASK2_VS_DASK1 = 1.6


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None, help="use the first N articles")
    parser.add_argument("--partitions", type=int, default=16, help="about this many partitions")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"Wikinews data not found at {args.data}; nothing to measure.")
        return 0

    from newsledger.errors import InputError
    from newsledger.pipeline import Analyzer
    from newsledger.readers import iter_articles
    from newsledger.scale.dask_runner import PreloadModel, dask_client, run_dask
    from newsledger.scale.partition import plan_partitions
    from newsledger.scale.work import ShardOptions

    with tempfile.TemporaryDirectory(prefix="newsledger-scale-") as tmp:
        data = str(args.data)
        articles = [a for a in iter_articles([data]) if not isinstance(a, InputError)]
        if args.limit:
            articles = articles[: args.limit]
            data = os.path.join(tmp, "subset.jsonl")
            with open(data, "w", encoding="utf-8") as f:
                for a in articles:
                    f.write(json.dumps({"id": a.id, "title": a.title, "text": a.text}) + "\n")
        size = os.path.getsize(data) // max(1, args.partitions) + 1
        partitions = plan_partitions([data], size)
        n = len(articles)
        options = ShardOptions()
        rows: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        startup: dict[str, float] = {}
        runs = 0

        for workers in (1, 2):
            name = f"dask-{workers}"
            started = time.perf_counter()
            with dask_client(workers=workers, dashboard_address=":0") as client:
                client.register_plugin(PreloadModel())  # waits until every worker has the model
                startup[name] = time.perf_counter() - started
                for _ in range(args.repeats):
                    runs += 1
                    out = os.path.join(tmp, f"run-{runs}")
                    used = sum(client.run(cpu_seconds).values())
                    t = time.perf_counter()
                    report = run_dask(partitions, out, options, client=client, progress=False)
                    rows.setdefault(name, []).append(time.perf_counter() - t)
                    used = sum(client.run(cpu_seconds).values()) - used
                    cpu.setdefault(name, []).append(used)
                    assert report.ok and report.articles == n, (report.failed, report.articles)

        analyzer = Analyzer()
        analyzer.nlp  # noqa: B018  (load the model before timing, as the Dask workers have)
        for _ in range(args.repeats):
            used = cpu_seconds(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            done = list(analyzer.pipe(articles, jobs=2))
            rows.setdefault("jobs-2", []).append(time.perf_counter() - t)
            cpu.setdefault("jobs-2", []).append(cpu_seconds(resource.RUSAGE_CHILDREN) - used)
            assert len(done) == n

    medians = {k: statistics.median(v) for k, v in rows.items()}
    cpu_medians = {k: statistics.median(v) for k, v in cpu.items()}
    processes = {"dask-1": 1, "dask-2": 2, "jobs-2": 2}
    share = {k: cpu_medians[k] / (medians[k] * processes[k]) for k in medians}
    rates = {k: n / v for k, v in medians.items()}
    ratios = {
        "dask-2/dask-1": rates["dask-2"] / rates["dask-1"],
        "dask-2/jobs-2": rates["dask-2"] / rates["jobs-2"],
        "cpu-bound dask-2/dask-1": 2 * cpu_medians["dask-1"] / cpu_medians["dask-2"],
    }
    result = {
        "articles": n,
        "partitions": len(partitions),
        "repeats": args.repeats,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "python": platform.python_version(),
        "median_s": medians,
        "articles_per_s": rates,
        "startup_s": startup,
        "worker_cpu_s": cpu_medians,
        "cpu_share": share,
        "ratios": ratios,
        "bar": {"dask-2/dask-1": BAR_DASK2_VS_DASK1},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(
        f"{n} articles, {len(partitions)} partitions, {args.repeats} repeat(s), "
        f"{os.cpu_count()} CPUs, load average {result['load_average']:.1f}"
    )
    print(
        f"{'config':<8} {'median s':>9} {'articles/s':>11} {'worker cpu s':>13} "
        f"{'cpu share':>10} {'start-up s':>11}"
    )
    for name in ("dask-1", "dask-2", "jobs-2"):
        up = f"{startup[name]:>11.1f}" if name in startup else f"{'-':>11}"
        print(
            f"{name:<8} {medians[name]:>9.1f} {rates[name]:>11.2f} {cpu_medians[name]:>13.1f} "
            f"{share[name]:>10.2f} {up}"
        )
    ok = ratios["dask-2/dask-1"] >= BAR_DASK2_VS_DASK1
    print(
        f"dask-2 / dask-1 = {ratios['dask-2/dask-1']:.2f}  "
        f"(bar >= {BAR_DASK2_VS_DASK1}: {'met' if ok else 'NOT met'})"
    )
    print(f"dask-2 / jobs-2 = {ratios['dask-2/jobs-2']:.2f}")
    print(
        f"estimate, if each worker had a free core: dask-2 / dask-1 = "
        f"{ratios['cpu-bound dask-2/dask-1']:.2f} (2 x worker cpu s of dask-1 / of dask-2)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
