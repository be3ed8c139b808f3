"""Web UI latency on a large ledger: p50/p95 of the search and article pages.

Builds (once, then reuses) a ledger of at least ``--attributions`` attributions by storing the
analyses of the example corpus again and again under distinct ids (each copy's text gets a
distinct trailing line, so offsets stay valid and the text hashes differ), then requests pages
in-process with FastAPI's TestClient, or with httpx against a running server (``--url``).

    PYTHONPATH=$PWD python benchmarks/web.py                      # build + measure
    PYTHONPATH=$PWD python benchmarks/web.py --db big.db --requests 300
    newsledger serve --db big.db & python benchmarks/web.py --db big.db --url http://127.0.0.1:8000

The bar: p95 under 100 ms for both pages.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [
    "troops",
    "Kursk",
    "North Korean soldiers",
    "Kim Jong Un",
    "casualties",
    "sanctions",
    "said",
    "Russia",
    "monument",
    "'; DROP TABLE articles; --",
]
BAR_MS = 100.0


def build(db: Path, attributions: int) -> None:
    from newsledger.ledger import Ledger
    from newsledger.model import Article
    from newsledger.pipeline import Analyzer
    from newsledger.readers import iter_articles

    with Ledger(db) as ledger:
        have = ledger.count("attributions")
        if have >= attributions:
            print(f"reusing {db}: {ledger.count('articles')} articles, {have} attributions")
            return
        paths = [str(ROOT / "examples" / "corpus.jsonl"), str(ROOT / "examples")]
        seen: set[str] = set()
        articles = []
        for a in iter_articles(paths):
            if isinstance(a, Article) and a.sha256 not in seen:
                seen.add(a.sha256)
                articles.append(a)
        began = time.perf_counter()
        base = list(Analyzer().pipe(articles))
        per_copy = sum(len(x.attributions) for x in base)
        print(
            f"analyzed {len(base)} articles ({per_copy} attributions) in"
            f" {time.perf_counter() - began:.1f} s"
        )
        copies = -(-(attributions - have) // per_copy)
        start = ledger.count("articles")
        began = time.perf_counter()

        def records():
            rng = random.Random(7)
            for c in range(copies):
                for x in base:
                    text = f"{x.text}\n\n(copy {start + c})"
                    year = 2020 + rng.randrange(6)
                    info = replace(
                        x.article,
                        id=f"{x.article.id}~{start + c}",
                        text_sha256=Article(text=text).sha256,
                        published=f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                        site=x.article.site or rng.choice(["Harbor Daily", "Northwind"]),
                    )
                    yield replace(x, article=info, text=text)

        stored = ledger.add_many(records(), batch_size=256)
        print(
            f"stored {stored} copies in {time.perf_counter() - began:.1f} s;"
            f" {ledger.count('attributions')} attributions"
        )


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default="/tmp/newsledger-bench-web.db")
    ap.add_argument("--attributions", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=200, help="requests per page kind")
    ap.add_argument("--url", help="a running server (default: in-process TestClient)")
    args = ap.parse_args()
    db = Path(args.db)
    build(db, args.attributions)

    import sqlite3

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    ids = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY random() LIMIT 500")]
    n_attr = con.execute("SELECT count(*) FROM attributions").fetchone()[0]
    n_art = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    con.close()

    if args.url:
        import httpx

        client = httpx.Client(base_url=args.url, timeout=30)
        where = args.url
    else:
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

        from newsledger.web import create_app

        client = TestClient(create_app(str(db)))
        where = "in-process TestClient"
    rng = random.Random(1)
    pages = {
        "search": lambda: f"/search?q={quote(rng.choice(QUERIES))}",
        "search+filters": lambda: (
            f"/search?q={quote(rng.choice(QUERIES))}&kind=indirect&since=2022-01-01"
        ),
        "article": lambda: "/articles/" + quote(rng.choice(ids), safe=""),
        "search.json": lambda: f"/search.json?q={quote(rng.choice(QUERIES))}",
    }
    print(
        f"ledger: {n_art} articles, {n_attr} attributions; {where}; {args.requests} requests each"
    )
    failed = False
    for name, make in pages.items():
        for _ in range(5):  # warm up (page cache, templates)
            client.get(make())
        times = []
        for _ in range(args.requests):
            path = make()
            began = time.perf_counter()
            r = client.get(path)
            times.append((time.perf_counter() - began) * 1000)
            if r.status_code != 200:
                print(f"  {path}: HTTP {r.status_code}", file=sys.stderr)
        p50, p95 = statistics.median(times), percentile(times, 95)
        ok = p95 < BAR_MS
        failed |= not ok and name in ("search", "article")
        print(
            f"{name:15} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {max(times):6.1f} ms"
            f"  {'ok' if ok else 'OVER'} (bar p95 < {BAR_MS:.0f} ms)"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
