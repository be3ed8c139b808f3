"""Events over the 171 Wikinews 2019 articles: counts per type and a random sample to check by hand.

Prints, for ../shared/data/wikinews/wikinews_2019.csv (CSV: url,date,title,text):

  - the number of events per type (with its PLOVER name) and how many have an actor, a target,
    a location, a date and an attribution;
  - ``--sample`` events drawn at random (seed ``--seed``), each with its sentence, trigger,
    type and the canonical names of actor, target and location, for a manual check.

Where the data is absent it says so and exits 0.

    python benchmarks/events_sample.py [--sample 30] [--seed 7] [--limit N] [--json]
    python benchmarks/events_sample.py --time [--repeats 3]

``--time`` instead parses the articles once and times, per round, the parse itself and the
events step alone over the parsed documents (the other steps run once beforehand), printing
the medians and the events step's share of the parse time.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from newsledger.extract import EXTRACTORS
from newsledger.extract.events import extract_events
from newsledger.model import Article
from newsledger.pipeline import Analyzer
from newsledger.resources import event_lexicon

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wikinews" / "wikinews_2019.csv"


def read_articles(path: Path, limit: int | None) -> list[Article]:
    csv.field_size_limit(2**31 - 1)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if limit is not None:
        rows = rows[:limit]
    return [
        Article(text=r["text"], id=f"wikinews:{i}", title=r["title"], published=r["date"] or None)
        for i, r in enumerate(rows)
    ]


def sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    return " ".join(text[left:right].split())


def time_events(articles: list[Article], repeats: int) -> str:
    """Median seconds of the parse and of the events step alone, over the same documents."""
    steps = [n for n in EXTRACTORS if n != "events"]
    analyzer = Analyzer(extractors=steps)
    nlp = analyzer.nlp
    texts = [a.text for a in articles]
    list(nlp.pipe(texts[:8]))  # warm-up
    parse_s, events_s = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=32))
        parse_s.append(time.perf_counter() - t0)
        analyses = [analyzer.build(a, d) for a, d in zip(articles, docs, strict=True)]
        t0 = time.perf_counter()
        for doc, analysis in zip(docs, analyses, strict=True):
            extract_events(doc, analysis)
        events_s.append(time.perf_counter() - t0)
    parse, events = statistics.median(parse_s), statistics.median(events_s)
    return (
        f"{len(articles)} articles, median of {repeats}: parse {parse:.2f} s, "
        f"events step {events:.3f} s ({100 * events / parse:.1f}% of the parse)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--time", action="store_true", help="time the events step instead")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"skipped: {args.data} not found (the shared Wikinews data is absent)")
        return 0
    articles = read_articles(args.data, args.limit)
    if args.time:
        print(time_events(articles, args.repeats))
        return 0
    rows = []
    for analysis in Analyzer().pipe(articles):
        names = {e.id: e.name for e in analysis.entities}
        for ev in analysis.events:
            rows.append(
                {
                    "article": analysis.article.id,
                    "event": ev.id,
                    "type": ev.type,
                    "trigger": ev.trigger.text,
                    "actor": names.get(ev.actor) if ev.actor else None,
                    "target": names.get(ev.target) if ev.target else None,
                    "location": names.get(ev.location) if ev.location else None,
                    "date": ev.date,
                    "attribution": ev.attribution,
                    "sentence": sentence_around(analysis.text, ev.trigger.start, ev.trigger.end),
                }
            )
    plover = {name: t.plover for name, t in event_lexicon().types.items()}
    counts = Counter(r["type"] for r in rows)
    filled = {
        key: sum(1 for r in rows if r[key]) for key in ("actor", "target", "location", "date")
    }
    filled["attribution"] = sum(1 for r in rows if r["attribution"])
    sample = random.Random(args.seed).sample(rows, min(args.sample, len(rows)))
    if args.json:
        out = {
            "articles": len(articles),
            "events": len(rows),
            "by_type": dict(counts.most_common()),
            "filled": filled,
            "sample": sample,
        }
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    print(f"{len(articles)} articles, {len(rows)} events")
    print(" ".join(f"{k}={v}" for k, v in filled.items()))
    for name, n in counts.most_common():
        print(f"  {name:<12} {plover.get(name) or '-':<10} {n}")
    print(f"\nsample of {len(sample)} (seed {args.seed}):")
    for i, r in enumerate(sample, 1):
        print(
            f"{i:>2}. [{r['type']}] {r['trigger']!r} actor={r['actor']} target={r['target']}"
            f" location={r['location']} date={r['date']} attribution={r['attribution']}"
        )
        print(f"    {r['sentence']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
