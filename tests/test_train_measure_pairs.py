"""The measure-pair trainer: gold groups of one thing, the logistic fit, scores by group."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.crossdoc.figures import MEASURE_FEATURES, measure_chance
from newsledger.eval.stories import (
    Corroboration,
    Figure,
    GoldConflict,
    Revision,
    Statement,
    Story,
)
from newsledger.train.measure_pairs import Pair, cross_validate, fit_logistic, gold_groups


def test_statements_of_one_conflict_corroboration_or_revision_are_one_group() -> None:
    story = Story(
        id="s",
        domain="",
        articles=("a1", "a2", "a3"),
        conflicts=(
            GoldConflict(
                (Figure("a1", 4500), Figure("a2", 11000)),
                also=((Figure("a3", 4500), Figure("a2", 11000)),),
            ),
        ),
        revisions=(Revision("", "", (Figure("a1", 4500), Figure("a3", 5000))),),
        corroborations=(Corroboration(12, (Statement("a1"), Statement("a2"))),),
    )
    groups = gold_groups(story)
    # the revision shares a statement with the conflict: one group of four statements
    one = {groups[("a1", 4500.0)], groups[("a2", 11000.0)], groups[("a3", 4500.0)]}
    assert one == {groups[("a3", 5000.0)]}
    assert groups[("a1", 12.0)] == groups[("a2", 12.0)] != groups[("a1", 4500.0)]


def test_the_logistic_fit_learns_the_side_of_a_feature() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] - 0.5 * x[:, 1] + rng.normal(scale=0.3, size=400) > 0).astype(float)
    weights, bias = fit_logistic(x, y, l2=0.1)
    assert weights[0] > 1.0 and weights[1] < -0.3 and abs(bias) < 0.5
    # a heavy penalty shrinks the weights
    shrunk, _ = fit_logistic(x, y, l2=1000.0)
    assert np.abs(shrunk).sum() < np.abs(weights).sum()


def test_each_group_is_scored_by_a_model_fitted_on_the_others() -> None:
    rng = np.random.default_rng(3)
    pairs = []
    for group in ("r1", "r2", "r3"):
        for _ in range(60):
            label = int(rng.random() < 0.3)
            feature = rng.normal(loc=1.5 if label else -1.0)
            pairs.append(Pair(group, "s", ("a", "b"), ("x", "y"), (feature,), label))
    scores = cross_validate(pairs, [0.5, 0.9])
    assert set(scores) == {"0.50", "0.90"}
    assert scores["0.50"]["p"] > 0.7 and scores["0.50"]["r"] > 0.7
    assert scores["0.90"]["r"] <= scores["0.50"]["r"]


@pytest.mark.model
def test_the_command_fits_a_model_the_ledger_can_read(tmp_path: Path) -> None:
    # one shipped story, in a folder of its own: the pairs of its articles, fitted and saved
    shipped = Path(__file__).parent.parent / "eval" / "data" / "stories"
    gold = json.loads((shipped / "gold.json").read_text(encoding="utf-8"))
    story = next(s for s in gold["stories"] if s["id"] == "weser-flood")
    lines = [
        line
        for line in (shipped / "articles.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line)["id"] in story["articles"]
    ]
    data = tmp_path / "one"
    data.mkdir()
    (data / "gold.json").write_text(json.dumps({"version": 1, "stories": [story]}))
    (data / "articles.jsonl").write_text("\n".join(lines) + "\n")
    out = tmp_path / "model.json"
    result = CliRunner().invoke(
        app, ["train", "measure-pairs", "--data", str(data), "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    model = json.loads(out.read_text())
    assert model["features"] == list(MEASURE_FEATURES)
    assert model["scores"]["pairs"] > 0 and model["scores"]["positive"] > 0
    assert 0.0 <= measure_chance([0.5] * len(MEASURE_FEATURES), model) <= 1.0
    # a folder without story files is a clear error
    missing = CliRunner().invoke(app, ["train", "measure-pairs", "--data", str(tmp_path)])
    assert missing.exit_code == 2 and "gold.json" in missing.output
