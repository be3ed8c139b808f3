"""Training the measure-pair model (``newsledger train measure-pairs``): how likely two figures
of one story count the same thing.

Each story of a story set (``eval/data/stories`` format: ``articles.jsonl`` and ``gold.json``)
is ingested into a ledger of its own; every pair of stored figures of two of its articles whose
units allow comparing them is one example, with the features the ledger weighs
(:meth:`newsledger.ledger.claims.ClaimIndex.measure_features`). A pair is positive when both
figures are statements of one gold group: the two sides of a conflict (and its further
pairs), the sides of a corroboration, the values of a revision, and groups that share a
statement joined. Every other pair is negative. The model is a logistic regression with an
L2 penalty, fitted by Newton's method; its scores are measured by leaving one group of
stories out at a time (a round of the blind-written set, the first development set).
"""

from __future__ import annotations

import itertools
import json
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from newsledger.crossdoc.figures import MEASURE_FEATURES
from newsledger.crossdoc.stories import Embed
from newsledger.errors import DataNotFound
from newsledger.eval.stories import Story, load_articles, load_gold, value_matches
from newsledger.ingest import ingest
from newsledger.ledger import Ledger
from newsledger.ledger.claims import ClaimIndex
from newsledger.ledger.crossdoc_store import default_embed

__all__ = [
    "Pair",
    "PairModel",
    "cross_validate",
    "fit_logistic",
    "gold_groups",
    "story_pairs",
    "train_measure_pairs",
]

Node = tuple[str, float]  # (article id, value) of a gold statement


@dataclass(frozen=True, slots=True)
class Pair:
    """One example: two figures of one story in two articles."""

    group: str  # the stories left out together when scoring (a round, a set)
    story: str
    articles: tuple[str, str]
    texts: tuple[str, str]
    features: tuple[float, ...]
    label: int


@dataclass(slots=True)
class PairModel:
    weights: list[float]
    bias: float
    scores: dict[str, Any] = field(default_factory=dict)
    trained_on: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "features": list(MEASURE_FEATURES),
            "weights": [round(w, 4) for w in self.weights],
            "bias": round(self.bias, 4),
            "trained_on": self.trained_on,
            "scores": self.scores,
        }


def gold_groups(story: Story) -> dict[Node, int]:
    """Each gold statement of a figure (article, value) → the id of its group: statements of
    one conflict, corroboration or revision count one thing, and groups that share a
    statement are one."""
    parent: dict[Node, Node] = {}

    def find(x: Node) -> Node:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    def join(nodes: Sequence[Node]) -> None:
        for n in nodes:
            parent.setdefault(n, n)
        for n in nodes[1:]:
            parent[find(n)] = find(nodes[0])

    for conflict in story.conflicts:
        join([(f.article, f.value) for pair in conflict.pairs for f in pair])
    for agreed in story.corroborations:
        join([(side.article, agreed.value) for side in agreed.sides])
    for r in story.revisions:
        join([(f.article, f.value) for f in r.values])
    roots = {find(n) for n in parent}
    ids = {r: i for i, r in enumerate(sorted(roots))}
    return {n: ids[find(n)] for n in parent}


def _group_of(groups: Mapping[Node, int], article: str, fig: Mapping[str, Any]) -> int | None:
    """The gold group a stored figure states, by its article and value, matched as the
    stories' scorer matches them (:func:`newsledger.eval.stories.value_matches`)."""
    value, top = float(fig.get("value") or 0.0), fig.get("value_max")
    stated = [(value, float(top) if top is not None else value)]
    for (a, v), g in groups.items():
        if a == article and value_matches(v, stated):
            return g
    return None


def story_pairs(
    story: Story, records: Iterable[Mapping[str, Any]], group: str, embed: Embed
) -> list[Pair]:
    """The examples of one gold story, its articles (``records``) ingested into a ledger of
    their own."""
    groups = gold_groups(story)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        path.write_text("".join(json.dumps(dict(r)) + "\n" for r in records), encoding="utf-8")
        with Ledger(Path(tmp) / "ledger.db") as led:
            ingest(led, [str(path)])
            index = ClaimIndex(led.con, embed)
            figures = [
                (article, fig)
                for article, blob in led.con.execute(
                    "SELECT article_id, figures FROM claim_members"
                    " ORDER BY article_id, attribution_id"
                )
                for fig in json.loads(blob or "[]")
            ]  # fmt: skip
            out = []
            for (aa, fa), (ab, fb) in itertools.combinations(figures, 2):
                if aa == ab or (features := index.measure_features(fa, fb)) is None:
                    continue
                ga, gb = _group_of(groups, aa, fa), _group_of(groups, ab, fb)
                label = int(ga is not None and ga == gb)
                texts = (str(fa.get("text") or ""), str(fb.get("text") or ""))
                out.append(Pair(group, story.id, (aa, ab), texts, tuple(features), label))
    return out


def fit_logistic(
    x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, steps: int = 50
) -> tuple[np.ndarray, float]:
    """(weights, bias) of an L2-penalised logistic regression (the bias unpenalised), fitted
    by Newton's method."""
    design = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(design.shape[1])
    penalty = l2 * np.eye(design.shape[1])
    penalty[-1, -1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ w, -60, 60)))
        grad = design.T @ (p - y) + penalty @ w
        hess = (design * (p * (1 - p))[:, None]).T @ design + penalty + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return w[:-1], float(w[-1])


def _prf(chosen: np.ndarray, y: np.ndarray) -> dict[str, float]:
    tp = float((chosen & (y == 1)).sum())
    p = tp / max(float(chosen.sum()), 1.0)
    r = tp / max(float(y.sum()), 1.0)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f1, 3)}


def cross_validate(
    pairs: Sequence[Pair], thresholds: Sequence[float], *, l2: float = 1.0
) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 of same-thing pairs at each threshold, each group's pairs
    scored by a model fitted on the other groups."""
    x = np.array([p.features for p in pairs], dtype=float)
    y = np.array([p.label for p in pairs], dtype=float)
    groups = np.array([p.group for p in pairs])
    chance = np.zeros(len(pairs))
    for g in sorted(set(groups.tolist())):
        held = groups == g
        w, b = fit_logistic(x[~held], y[~held], l2=l2)
        chance[held] = 1.0 / (1.0 + np.exp(-(x[held] @ w + b)))
    return {f"{t:.2f}": _prf(chance >= t, y) for t in thresholds}


def _story_sets(data: Path) -> tuple[list[Story], list[dict[str, Any]]]:
    """The gold stories and article records of a story set folder."""
    if not (data / "gold.json").is_file() or not (data / "articles.jsonl").is_file():
        raise DataNotFound(f"{data}: no gold.json and articles.jsonl (a story set folder)")
    return load_gold(data), load_articles(data)


def train_measure_pairs(
    data: Sequence[Path],
    out: Path,
    *,
    l2: float = 1.0,
    embed: Embed | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PairModel:
    """Fit the pair model on the stories of ``data`` (story set folders), score it by leaving
    each round (or set) out, and write it to ``out`` (JSON, the shape of
    ``resources/models/measure_pairs.json``)."""
    start = time.perf_counter()
    embed = embed or default_embed()
    sets = [(folder, *_story_sets(folder)) for folder in data]
    total = sum(len(stories) for _, stories, _ in sets)
    pairs: list[Pair] = []
    done = 0
    for folder, stories, records in sets:
        for story in stories:
            group = f"{folder.name}:{story.round}"
            mine = [r for r in records if r.get("id") in set(story.articles)]
            pairs += story_pairs(story, mine, group, embed)
            done += 1
            if progress:
                progress(done, total)
    x = np.array([p.features for p in pairs], dtype=float)
    y = np.array([p.label for p in pairs], dtype=float)
    weights, bias = fit_logistic(x, y, l2=l2)
    model = PairModel(
        weights=[float(w) for w in weights],
        bias=bias,
        trained_on=[f"{folder}: {len(stories)} stories" for folder, stories, _ in sets],
        scores={
            "pairs": len(pairs),
            "positive": int(y.sum()),
            "left_out": cross_validate(pairs, [0.3, 0.4, 0.5, 0.6, 0.7], l2=l2),
            "l2": l2,
            "seconds": round(time.perf_counter() - start, 1),
        },
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model.as_json(), indent=2) + "\n", encoding="utf-8")
    return model
