"""Time and peak memory of `analyze` on hostile texts, one case per process.

    python benchmarks/hostile.py marks 8000 16000 32000 64000   # runs of '"'
    python benchmarks/hostile.py quotations 2000 8000           # 'Kim said "yes." ' x n
    python benchmarks/hostile.py unbalanced 150000              # characters of unclosed quotes
    python benchmarks/hostile.py line 5000000                   # one line of prose, characters

Each size runs in a fresh process so that its peak RSS is its own; the model load is not
counted in the time.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time

from newsledger.pipeline import Analyzer


def make(case: str, n: int) -> str:
    if case == "marks":
        return '"' * n
    if case == "quotations":
        return 'Kim said "yes." ' * n
    if case == "unbalanced":
        return ('He said "no and ' * (n // 16 + 1))[:n]
    if case == "line":
        unit = "The minister said 42 people were hurt on Monday in Kyiv, officials told Reuters. "
        return (unit * (n // len(unit) + 1))[:n]
    raise SystemExit(f"unknown case {case!r}")


def one(case: str, n: int) -> None:
    analyzer = Analyzer()
    analyzer.analyze("Warm up.")
    text = make(case, n)
    start = time.perf_counter()
    analysis = analyzer.analyze(text)
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    bad = sum(text[s:e] != t for _, t, s, e in analysis.spans())
    print(
        f"{case}\t{n}\t{len(text)}\t{seconds:.1f} s\t{rss:.0f} MB\t"
        f"{len(analysis.attributions)} attributions\t{bad} bad spans",
        flush=True,
    )


if __name__ == "__main__":
    if sys.argv[1] == "--one":
        one(sys.argv[2], int(sys.argv[3]))
    else:
        for size in sys.argv[2:]:
            subprocess.run([sys.executable, __file__, "--one", sys.argv[1], size], check=False)
