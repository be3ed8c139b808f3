"""Throughput of newsledger's analyzer against bare spaCy, on the 171 Wikinews 2019 articles.

Measures, in one process and one run, after a warm-up, for ``--repeats`` rounds:

  (a) bare    ``list(nlp.pipe(texts, batch_size=32))`` with the model newsledger loads
  (b) jobs=1  ``list(Analyzer(attributions="rules").pipe(articles, jobs=1))``
  (c) jobs=2  the same on two worker processes
  (d) trained ``list(Analyzer(attributions="trained").pipe(articles, jobs=1))``, when the
      trained attribution tagger is installed

and prints the median seconds, articles/s and the ratios against their bars:

  analyze/bare  = rate(jobs=1) / rate(bare)    bar >= 0.75
  jobs2/jobs1   = rate(jobs=2) / rate(jobs=1)  bar >= 1.6
  trained/bare  = rate(trained) / rate(bare)   bar >= 0.5

The data is read from ../shared/data/wikinews/wikinews_2019.csv (CSV: url,date,title,text);
where it is absent the benchmark says so and exits 0.

    python benchmarks/throughput.py [--repeats 3] [--limit N] [--json] [--check] [--trained-only]

``--trained-only`` times (a) and (d) alone, for the trained/bare ratio in less time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wikinews" / "wikinews_2019.csv"

BATCH_SIZE = 32
WARMUP_ARTICLES = 8
BAR_ANALYZE_VS_BARE = 0.75
BAR_JOBS2_VS_JOBS1 = 1.6
BAR_TRAINED_VS_BARE = 0.5


@dataclass(frozen=True, slots=True)
class Row:
    """One timed configuration."""

    name: str
    seconds: list[float]  # one wall time per repeat
    articles: int

    @property
    def median_s(self) -> float:
        return statistics.median(self.seconds)

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.median_s if self.median_s > 0 else float("inf")


@dataclass(frozen=True, slots=True)
class Ratio:
    name: str
    value: float
    bar: float

    @property
    def ok(self) -> bool:
        return self.value >= self.bar


def raise_csv_field_limit() -> None:
    """Allow whole articles in one CSV field (the default limit is 128 KiB)."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # C long is 32 bits on some platforms
            limit //= 10


def read_wikinews(path: Path, limit: int | None) -> list[dict[str, str]]:
    raise_csv_field_limit()
    with path.open(newline="", encoding="utf-8") as f:
        rows = [row for row in csv.DictReader(f) if (row.get("text") or "").strip()]
    return rows[:limit] if limit is not None else rows


def peak_rss_mib() -> tuple[float, float]:
    """Peak resident set size of this process and of its largest waited-for child, in MiB."""
    per_mib = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: KiB on Linux
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / per_mib
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / per_mib
    return own, child


def timed(fn: Callable[[], int], expected: int) -> float:
    start = time.perf_counter()
    produced = fn()
    elapsed = time.perf_counter() - start
    if produced != expected:
        raise SystemExit(f"error: expected {expected} results, got {produced}")
    return elapsed


def run(args: argparse.Namespace) -> dict[str, Any] | None:
    if not args.data.is_file():
        print(
            f"skipped: Wikinews data not found at {args.data} "
            "(needs ../shared/data/wikinews/wikinews_2019.csv next to the project)",
            file=sys.stderr,
        )
        return None

    # Imported late so that the skip above works without the package installed.
    from newsledger.extract.attribution_model import default_tagger
    from newsledger.model import Article
    from newsledger.nlp import load_model
    from newsledger.pipeline import Analyzer

    rows = read_wikinews(args.data, args.limit)
    if not rows:
        print(f"skipped: no articles in {args.data}", file=sys.stderr)
        return None
    texts = [row["text"] for row in rows]
    articles = [
        Article(
            text=row["text"],
            id=row.get("url") or f"wikinews-{i}",
            title=row.get("title") or None,
            published=(row.get("date") or "")[:10] or None,
        )
        for i, row in enumerate(rows)
    ]
    n = len(articles)

    nlp = load_model()
    pipes_before = list(nlp.pipe_names)

    def bare() -> int:
        return len(list(nlp.pipe(texts, batch_size=BATCH_SIZE)))

    def analyze(jobs: int, mode: str = "rules") -> Callable[[], int]:
        return lambda: len(list(Analyzer(attributions=mode).pipe(articles, jobs=jobs)))

    configs: list[tuple[str, Callable[[], int]]] = [("bare spaCy nlp.pipe", bare)]
    if not args.trained_only:
        configs += [("Analyzer jobs=1", analyze(1)), ("Analyzer jobs=2", analyze(2))]
    trained = default_tagger() is not None
    if trained:
        configs.append(("Analyzer trained jobs=1", analyze(1, "trained")))
    elif args.trained_only:
        print("skipped: no trained attribution tagger is installed", file=sys.stderr)
        return None

    # Warm-up: model loading, vocab/lexeme caches, resource files, worker start-up paths.
    warm_texts, warm_articles = texts[:WARMUP_ARTICLES], articles[:WARMUP_ARTICLES]
    log(args, f"warm-up on {len(warm_articles)} articles ...")
    list(nlp.pipe(warm_texts, batch_size=BATCH_SIZE))
    if not args.trained_only:
        list(Analyzer().pipe(warm_articles, jobs=1))
        list(Analyzer().pipe(warm_articles, jobs=2))
    if trained:
        list(Analyzer(attributions="trained").pipe(warm_articles, jobs=1))

    seconds: dict[str, list[float]] = {name: [] for name, _ in configs}
    for r in range(args.repeats):
        for name, fn in configs:
            elapsed = timed(fn, n)
            seconds[name].append(elapsed)
            log(args, f"repeat {r + 1}/{args.repeats}: {name}: {elapsed:.2f} s")

    rows_out = [Row(name, seconds[name], n) for name, _ in configs]
    bare_row = rows_out[0]
    ratios: list[Ratio] = []
    if not args.trained_only:
        jobs1, jobs2 = rows_out[1:3]
        rate1 = jobs1.articles_per_s
        ratios.append(Ratio("analyze/bare", rate1 / bare_row.articles_per_s, BAR_ANALYZE_VS_BARE))
        ratios.append(Ratio("jobs2/jobs1", jobs2.articles_per_s / rate1, BAR_JOBS2_VS_JOBS1))
    if trained:
        rate = rows_out[-1].articles_per_s / bare_row.articles_per_s
        ratios.append(Ratio("trained/bare", rate, BAR_TRAINED_VS_BARE))
    rss_self, rss_child = peak_rss_mib()
    pipes_after = list(nlp.pipe_names)

    return {
        "data": str(args.data),
        "articles": n,
        "characters": sum(len(t) for t in texts),
        "repeats": args.repeats,
        "batch_size": BATCH_SIZE,
        "model": f"{nlp.meta.get('lang', '?')}_{nlp.meta.get('name', '?')}-"
        f"{nlp.meta.get('version', '?')}",
        "pipeline": pipes_before,
        "pipeline_changed": pipes_after != pipes_before,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "results": [
            {**asdict(row), "median_s": row.median_s, "articles_per_s": row.articles_per_s}
            for row in rows_out
        ],
        "ratios": [{**asdict(r), "ok": r.ok} for r in ratios],
        "peak_rss_mib": {"self": round(rss_self, 1), "children": round(rss_child, 1)},
        "ok": all(r.ok for r in ratios),
    }


def log(args: argparse.Namespace, message: str) -> None:
    if not args.json:
        print(message, file=sys.stderr, flush=True)


def print_table(report: dict[str, Any]) -> None:
    print(
        f"\n{report['articles']} articles, {report['characters']:,} characters; "
        f"model {report['model']}; Python {report['python']}; {report['cpus']} CPUs; "
        f"median of {report['repeats']}"
    )
    print(f"\n{'configuration':<22} {'median s':>9} {'articles/s':>11}   runs (s)")
    for row in report["results"]:
        runs = " ".join(f"{s:.2f}" for s in row["seconds"])
        print(f"{row['name']:<22} {row['median_s']:>9.2f} {row['articles_per_s']:>11.1f}   {runs}")
    print(f"\n{'ratio':<22} {'value':>9} {'bar':>11}")
    for ratio in report["ratios"]:
        verdict = "ok" if ratio["ok"] else "BELOW BAR"
        bar = f">= {ratio['bar']:.2f}"
        print(f"{ratio['name']:<22} {ratio['value']:>9.2f} {bar:>11}   {verdict}")
    rss = report["peak_rss_mib"]
    print(
        f"\npeak RSS: {rss['self']:.0f} MiB (this process), "
        f"{rss['children']:.0f} MiB (largest worker)"
    )
    if report["pipeline_changed"]:
        print("note: the shared spaCy pipeline's components changed during the run")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed rounds (default 3)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a ratio is below its bar")
    parser.add_argument(
        "--trained-only",
        action="store_true",
        help="time bare spaCy and the trained mode only (the trained/bare ratio)",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="Wikinews CSV to read")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    report = run(args)
    if report is None:
        if args.json:
            print(json.dumps({"skipped": True, "data": str(args.data)}))
        return 0
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)
    return 1 if args.check and not report["ok"] else 0


if __name__ == "__main__":
    sys.exit(main())
