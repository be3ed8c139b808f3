"""Sentence-embedding throughput: phrases/s and wordpieces/s, and peak memory.

    python benchmarks/embed.py [--phrases 2000] [--sentences 400] [--repeats 5]

Embeds short measure phrases (3-12 words: "ballots rejected", "households without power", "jobs
cut at the plant") and news sentences (25-40 words) with batch sizes 32 and 64, the cache off,
and prints the median of the repeats (the machine may be shared), the time to load the weights,
the tokenizer's share and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time

from newsledger.embed import Embedder, WordPiece

NOUNS = (
    "ballots households jobs protesters heaters prisoners votes homes workers troops "
    "applications patients units cases residents flights refugees students shares barrels"
).split()
QUALIFIERS = (
    "without power at the plant in the capital across the region from the north on the border "
    "in the first week under arrest at polling stations after the storm"
).split(" ")
VERBS = "rejected cut recalled counted freed evacuated flooded infected closed cancelled".split()
FILLER = (
    "the officials said that figure was revised on Tuesday after a count by election staff "
    "while the company and regulators disputed how many had been affected in the region since "
    "the flood began and observers from two parties asked for a recount of the results"
).split()


def phrases(n: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(n):
        words = [rng.choice(VERBS) if rng.random() < 0.5 else "", rng.choice(NOUNS)]
        while len(" ".join(words).split()) < rng.randint(3, 12):
            words.append(rng.choice(QUALIFIERS + VERBS))
        out.append(" ".join(w for w in words if w)[:120])
    return out


def sentences(n: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(n):
        length = rng.randint(25, 40)
        words = [rng.choice(FILLER + NOUNS + VERBS) for _ in range(length)]
        words.insert(rng.randrange(length), f"{rng.randint(2, 90000):,}")
        out.append(" ".join(words).capitalize() + ".")
    return out


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(embedder: Embedder, texts: list[str], repeats: int) -> tuple[float, float, float]:
    """Median texts/s and wordpieces/s over ``repeats`` runs, and the share of the time a
    tokenizer with no word cache takes."""
    pieces = sum(len(embedder.token_ids(t)) for t in texts)
    embedder.embed(texts[: embedder.batch_size])  # warm up
    times, tok_times = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        embedder.embed(texts)
        times.append(time.perf_counter() - start)
        cold = WordPiece(embedder.token_vocab())
        start = time.perf_counter()
        for text in texts:
            cold.encode(text, embedder.max_tokens)
        tok_times.append(time.perf_counter() - start)
    median = statistics.median(times)
    return len(texts) / median, pieces / median, statistics.median(tok_times) / median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phrases", type=int, default=2000)
    parser.add_argument("--sentences", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(20)
    sets = {"phrases": phrases(args.phrases, rng), "sentences": sentences(args.sentences, rng)}
    before = peak_rss_mib()
    start = time.perf_counter()
    loader = Embedder(cache_size=0)
    loader.embed(["warm up"])
    print(
        f"load + first call: {time.perf_counter() - start:.2f} s; peak rss {before:.0f} MiB "
        f"before (python, numpy, the texts), {peak_rss_mib():.0f} MiB after"
    )
    for name, texts in sets.items():
        words = statistics.mean(len(t.split()) for t in texts)
        for batch in (32, 64):
            loader.batch_size = batch
            per_s, pieces_s, tok_share = run(loader, texts, args.repeats)
            print(
                f"{name:9} ({len(texts)}, {words:.1f} words)  batch {batch:2}: "
                f"{per_s:8.0f} texts/s  {pieces_s:8.0f} wordpieces/s  "
                f"(tokenizer {tok_share:.1%})"
            )
    cached = Embedder()
    texts = sets["phrases"]
    cached.embed(texts)
    start = time.perf_counter()
    cached.embed(texts)
    print(f"cached repeat: {len(texts) / (time.perf_counter() - start):.0f} phrases/s")
    print(f"peak rss: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
