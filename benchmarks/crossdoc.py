"""Cross-document benchmark: clustering a ledger of at least 100,000 attributions.

1. Ingest the Wikinews 2019 articles (or ``--limit`` of them) into a fresh ledger without the
   cross-document update, timing it (the ingest time per article).
2. Copy every article and its rows under new ids (as ``benchmarks/ingest.py`` does) until the
   ledger holds at least ``--attributions`` attributions.
3. Time ``newsledger.crossdoc.rebuild`` (identity, claims, conflicts over every article, in
   ingest order: the same work as incremental updates) and print it with the ratio to the
   time ingesting the same number of articles would take. Bar: under 10 minutes.
4. Time the incremental update of one more article into that ledger (``--updates`` of them,
   each an article copied under a new id, so no analysis is timed): identity, claims and
   conflicts for its attributions against the whole ledger. Bar: under 2 seconds.

    python benchmarks/crossdoc.py [--limit N] [--attributions 100000] [--updates 5]

Where the data is absent it says so and exits 0.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
DATA = ROOT.parent / "shared" / "data" / "wikinews" / "wikinews_2019.csv"
BAR_S = 600.0
UPDATE_BAR_S = 2.0


def copy_article(ledger, article_id: str, suffix: str) -> str:  # type: ignore[no-untyped-def]
    """Copy one article and its rows under its id suffixed ``suffix``, pending the
    cross-document update; returns the new id."""
    from newsledger.ledger.schema import DATA_TABLES

    with ledger.transaction() as con:
        for table in DATA_TABLES:
            if table in ("runs", "ingest_errors"):
                continue
            cols = [r["name"] for r in con.execute(f"PRAGMA table_info({table})")]
            key = "id" if table == "articles" else "article_id"
            if key not in cols:
                continue
            cols = [c for c in cols if c != "seq"]
            exprs = [
                f'"{c}" || ?' if c in (key, "article_id", "text_sha256") else f'"{c}"' for c in cols
            ]
            n = sum(e.endswith("?") for e in exprs)
            names = ", ".join(f'"{c}"' for c in cols)
            con.execute(
                f"INSERT INTO {table} ({names}) SELECT {', '.join(exprs)} FROM {table}"
                f' WHERE "{key}" = ?',
                (*((suffix,) * n), article_id),
            )
        con.execute(
            "INSERT OR IGNORE INTO crossdoc_pending(article_id) VALUES (?)", (article_id + suffix,)
        )
    return article_id + suffix


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--attributions", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--updates", type=int, default=5, help="single-article updates timed")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"Wikinews data not found at {DATA}; nothing to measure")
        return 0

    from ingest import double  # benchmarks/ingest.py

    from newsledger.ingest import ingest
    from newsledger.ledger import Ledger

    paths = [str(DATA)]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        with Ledger(db) as ledger:
            started = time.perf_counter()
            stats = ingest(ledger, paths, jobs=args.jobs, crossdoc=False)
            ingest_s = time.perf_counter() - started
            if args.limit:
                ids = list(ledger.article_ids())[args.limit :]
                for aid in ids:
                    ledger.delete(aid)
            base_articles = ledger.count("articles")
            base_attr = ledger.count("attributions")
            per_article = ingest_s / max(stats.stored, 1)
            print(
                f"ingest: {stats.stored} articles, {base_attr} attributions kept "
                f"({base_articles} articles) in {ingest_s:.1f} s ({per_article:.3f} s/article)",
                flush=True,
            )
            k = 0
            while ledger.count("attributions") < args.attributions:
                k += 1
                double(ledger, k)
            n_articles = ledger.count("articles")
            n_attr = ledger.count("attributions")
            print(f"ledger: {n_articles} articles, {n_attr} attributions after copying")
            started = time.perf_counter()
            result = ledger.rebuild_crossdoc()
            cross_s = time.perf_counter() - started
            print(f"crossdoc rebuild: {cross_s:.1f} s", flush=True)

            def count(table: str) -> int:
                return ledger.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

            claims = count("claims")
            conflicts = count("conflicts")
            entities = count("ledger_entities")
            originals = [a for a in ledger.article_ids() if "#" not in a]
            step = max(1, len(originals) // max(args.updates, 1))
            update_s = []
            for i, aid in enumerate(originals[::step][: args.updates]):
                new_id = copy_article(ledger, aid, f"#u{i}")
                started = time.perf_counter()
                ledger.update_crossdoc([new_id])
                update_s.append(time.perf_counter() - started)
        ingest_equiv = per_article * n_articles
        print(
            f"crossdoc rebuild: {result['members']} attributions clustered into {claims} "
            f"claims, {conflicts} conflicts, {entities} ledger entities in {cross_s:.1f} s "
            f"({n_attr / cross_s:.0f} attributions/s)"
        )
        print(
            f"ratio to ingesting the same {n_articles} articles (~{ingest_equiv:.0f} s): "
            f"{cross_s / ingest_equiv:.3f}; bar: < {BAR_S:.0f} s -> "
            f"{'PASS' if cross_s < BAR_S else 'FAIL'}"
        )
    if update_s:
        worst = max(update_s)
        print(
            f"incremental update of one article into {n_attr} attributions: "
            f"median {sorted(update_s)[len(update_s) // 2]:.2f} s, max {worst:.2f} s over "
            f"{len(update_s)}; bar: < {UPDATE_BAR_S:.0f} s -> "
            f"{'PASS' if worst < UPDATE_BAR_S else 'FAIL'}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
