"""Ledger benchmarks on the 171 Wikinews 2019 articles.

1. Ingest throughput: ``ingest(..., jobs=2)`` into a fresh ledger against bare spaCy
   ``nlp.pipe(texts, n_process=2)`` on the same texts; prints the ratio (bar >= 0.7) and the
   peak RSS of the worker processes.
2. Query latency: the analyses are added again and again under distinct ids and hashes until
   the ledger holds at least ``--attributions`` attributions; then p50/p95 of ``about`` and
   ``said --by`` over a set of queries taken from the data.

    python benchmarks/ingest.py [--limit N] [--attributions 100000] [--queries 60] [--skip-ingest]

Where the data is absent it says so and exits 0.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "wikinews" / "wikinews_2019.csv"
BAR = 0.7


def children_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def self_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def double(ledger, k: int) -> None:  # type: ignore[no-untyped-def]
    """Copy every article and its rows under ids and hashes suffixed ``#k``."""
    from newsledger.ledger.schema import DATA_TABLES

    suffix = f"#{k}"
    with ledger.transaction() as con:
        for table in DATA_TABLES:
            if table in ("runs", "ingest_errors"):
                continue
            cols = [r["name"] for r in con.execute(f"PRAGMA table_info({table})")]
            cols = [c for c in cols if c != "seq"]
            exprs = [
                f'"{c}" || ?'
                if c in ("article_id", "text_sha256") or (table, c) == ("articles", "id")
                else f'"{c}"'
                for c in cols
            ]
            n = sum(e.endswith("?") for e in exprs)
            names = ", ".join(f'"{c}"' for c in cols)
            con.execute(
                f"INSERT INTO {table} ({names}) SELECT {', '.join(exprs)} FROM {table}",
                (suffix,) * n,
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--attributions", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-ingest", action="store_true", help="only the query part")
    parser.add_argument(
        "--from-db", type=Path, default=None, help="query part only, on copies of this ledger"
    )
    args = parser.parse_args()
    if not DATA.exists():
        print(f"Wikinews data not found at {DATA}; nothing to measure")
        return 0

    from newsledger.errors import InputError
    from newsledger.ingest import ingest, read_inputs
    from newsledger.ledger import Ledger
    from newsledger.ledger import query as q
    from newsledger.nlp import load_model
    from newsledger.pipeline import Analyzer

    articles = [a for a in read_inputs([str(DATA)]) if not isinstance(a, InputError)]
    if args.limit:
        articles = articles[: args.limit]
    texts = [a.text for a in articles]
    print(f"{len(articles)} articles, {sum(map(len, texts)):,} characters")
    tmp = Path(tempfile.mkdtemp(prefix="newsledger-bench-"))
    subset = tmp / "subset.jsonl"
    import json

    with open(subset, "w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps({"id": a.id, "text": a.text, "title": a.title, "url": a.url}) + "\n")

    nlp = load_model()
    list(nlp.pipe(texts[:4]))  # warm-up
    ledger = Ledger(args.from_db or tmp / "ingest.db")
    if args.from_db:
        pass
    elif not args.skip_ingest:
        t0 = time.perf_counter()
        stats = ingest(ledger, [str(subset)], jobs=args.jobs, analyzer=Analyzer())
        t_ingest = time.perf_counter() - t0
        rss_ingest = children_peak_mib()
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32, n_process=args.jobs):
            pass
        t_bare = time.perf_counter() - t0
        n = len(texts)
        print(
            f"ingest --jobs {args.jobs}: {t_ingest:.1f} s, {stats.stored / t_ingest:.2f} articles/s"
        )
        print(f"bare nlp.pipe(n_process={args.jobs}): {t_bare:.1f} s, {n / t_bare:.2f} articles/s")
        ratio = (stats.stored / t_ingest) / (n / t_bare)
        verdict = "ok" if ratio >= BAR else "BELOW BAR"
        print(f"ratio ingest/bare = {ratio:.2f} (bar >= {BAR}) {verdict}")
        print(
            f"peak RSS: ingest worker {rss_ingest:.0f} MiB, any worker {children_peak_mib():.0f}"
            f" MiB, parent {self_peak_mib():.0f} MiB"
        )
    else:
        ledger.add_many(Analyzer().pipe(articles, jobs=args.jobs))

    # ---------------------------------------------------------------- query latency
    base = list(ledger.iter_analyses())
    ledger.close()
    per_pass = sum(len(a.attributions) for a in base)
    big = Ledger(tmp / "big.db")
    t0 = time.perf_counter()
    big.add_many(base)
    copies = 1
    while big.count("attributions") < args.attributions:
        double(big, copies)  # SQL-level copy of every row under new ids: doubles the ledger
        copies *= 2
    t_build = time.perf_counter() - t0
    n_attr = big.count("attributions")
    print(
        f"query ledger: {big.count():,} articles, {n_attr:,} attributions"
        f" ({copies} copies of {per_pass} attributions: added once, then doubled in SQL)"
        f" built in {t_build:.0f} s"
    )
    con = big.con
    names = [r.source for r in q.sources(con, limit=args.queries)]
    words = [
        w
        for a in base
        for x in a.attributions
        for w in x.content.text.split()[:2]
        if w.isalpha() and len(w) > 4
    ][: args.queries]

    def timed(fn, items):  # type: ignore[no-untyped-def]
        out = []
        for item in items:
            t = time.perf_counter()
            fn(item)
            out.append(time.perf_counter() - t)
        return out

    for label, fn, items in (
        ("about", lambda w: q.about(con, w, limit=20), words),
        ("said --by", lambda n: q.said(con, n, limit=100), names),
    ):
        times = sorted(timed(fn, items))
        p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
        print(
            f"{label}: {len(times)} queries, p50 {statistics.median(times) * 1000:.1f} ms,"
            f" p95 {p95 * 1000:.1f} ms"
        )
    big.close()
    print(f"(ledgers in {tmp})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
