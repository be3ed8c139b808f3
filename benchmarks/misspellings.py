"""Misspelling flags on the 171 Wikinews 2019 articles: how many, and which.

Wikinews articles are edited, so nearly every flag there is a false one; the count is the
false-flag rate to keep low. Reads ../shared/data/wikinews/wikinews_2019.csv (url,date,title,
text); where it is absent the script says so and exits 0.

    python benchmarks/misspellings.py [--limit N] [--jobs 2]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from newsledger.model import Article
from newsledger.pipeline import Analyzer

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wikinews" / "wikinews_2019.csv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"no Wikinews data at {args.data}; nothing to measure")
        return 0
    csv.field_size_limit(2**31 - 1)
    with args.data.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[: args.limit]
    articles = [
        Article(text=r["text"], id=f"wikinews-{i}", title=r.get("title"), url=r.get("url"))
        for i, r in enumerate(rows)
    ]
    flags = 0
    flagged_articles = 0
    for article, analysis in zip(articles, Analyzer().pipe(articles, jobs=args.jobs), strict=True):
        found = [i for i in analysis.issues if i.kind == "misspelling"]
        flags += len(found)
        flagged_articles += bool(found)
        for issue in found:
            context = analysis.text[max(issue.start - 40, 0) : issue.end + 40].replace("\n", " ")
            print(
                f"{article.id}\t{issue.text} -> {issue.suggestion}\t{issue.confidence}\t…{context}…"
            )
    print(f"{flags} misspelling flags in {flagged_articles} of {len(articles)} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
