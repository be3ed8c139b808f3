"""The quantulum3 quantity harness (newsledger.eval.quantities) and `newsledger eval quantities`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest
from conftest import SHARED
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.errors import DataNotFound
from newsledger.eval import quantities as qe
from newsledger.model import Analysis, Article, ArticleInfo, Quantity
from newsledger.pipeline import Analyzer

QUANTULUM = SHARED / "quantities_quantulum3"
#: Measured 35/40 = 0.875 in-scope right-value rate and 0.907 value precision
#: (docs/accuracy.md); the floors sit just below.
FLOOR_IN_SCOPE_RATE = 0.86
FLOOR_PRECISION = 0.88

TINY = [
    {
        "req": "The war cost $2 million and 30 lives in 1979.",
        "res": [
            {"value": 2000000, "unit": "dollar", "surface": "$2 million"},
            {"value": 30, "unit": "dimensionless", "surface": "30"},
            {"value": 1979, "unit": "dimensionless", "surface": "1979"},
        ],
    },
    {
        "req": "Voyager 2 flew 12 km, about 7 to 9 miles a day.",
        "res": [
            {"value": 2, "unit": "dimensionless", "surface": "2"},
            {"value": 12, "unit": "kilometre", "surface": "12 km"},
            {"value": 8, "unit": "mile", "surface": "7 to 9 miles", "uncertainty": 1},
        ],
    },
    {
        "req": "I bought a dozen eggs and two thirds of a cake.",
        "res": [
            {"value": 1, "unit": "dozen", "surface": "a dozen"},
            {"value": 0.6666666666666666, "unit": "dimensionless", "surface": "two thirds"},
        ],
    },
]


def write_tiny(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "quantities.json").write_text(json.dumps(TINY), encoding="utf-8")
    (folder / "errors.json").write_text(json.dumps(["$99(", "1 '2"]), encoding="utf-8")
    return folder


def q(text: str, sentence: str, value: float | None, unit: str | None, vmax=None) -> Quantity:
    start = sentence.index(text)
    return Quantity(text, start, start + len(text), value, vmax, unit, id="q")


def test_load_finds_surfaces(tmp_path: Path) -> None:
    sentences = qe.load(write_tiny(tmp_path / "d"))
    assert [s.id for s in sentences] == [
        "quantities.json:0",
        "quantities.json:1",
        "quantities.json:2",
    ]
    first = sentences[0]
    for g in first.quantities:
        assert g.start is not None and first.text[g.start : g.end] == g.surface
    # "2" of "Voyager 2" is found before the "2" inside other numbers would be
    second = sentences[1]
    assert second.text[second.quantities[0].start :].startswith("2 flew")


def test_missing_data_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataNotFound, match="not found"):
        qe.load(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataNotFound, match="quantities.json"):
        qe.load(tmp_path / "empty")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "quantities.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DataNotFound, match="JSON"):
        qe.load(bad)


def test_scope(tmp_path: Path) -> None:
    sentences = qe.load(write_tiny(tmp_path / "d"))
    scopes = [(g.surface, qe.scope_of(g, s.text)) for s in sentences for g in s.quantities]
    assert scopes == [
        ("$2 million", ("money", None)),
        ("30", ("dimensionless", None)),
        ("1979", (None, "year")),
        ("2", (None, "part of a name or code")),
        ("12 km", (None, "measure")),
        ("7 to 9 miles", (None, "measure")),
        ("a dozen", ("count", None)),
        ("two thirds", (None, "not a whole number")),
    ]


def test_point_value_and_units() -> None:
    assert qe.point_value(Quantity("x", 0, 1, 7, 9)) == 8
    assert qe.point_value(Quantity("x", 0, 1, None, 40)) == 40
    assert qe.point_value(Quantity("x", 0, 1, 12)) == 12
    assert qe.unit_agrees("dollar", "USD")
    assert qe.unit_agrees("dollar per hour", "USD")
    assert not qe.unit_agrees("dollar", "EUR")
    assert qe.unit_agrees("dimensionless", None)
    assert qe.unit_agrees("dimensionless", "cars")
    assert not qe.unit_agrees("dimensionless", "km")
    assert not qe.unit_agrees("dimensionless", "percent")
    assert qe.unit_agrees("dozen", "eggs")


def test_score_counts(tmp_path: Path) -> None:
    sentences = qe.load(write_tiny(tmp_path / "d"))
    s0, s1, s2 = (s.text for s in sentences)
    predictions = {
        sentences[0].id: [q("$2 million", s0, 2e6, "USD"), q("30 lives", s0, 31, "lives")],
        sentences[1].id: [q("12 km", s1, 12, "km"), q("7 to 9 miles", s1, 7, "miles", 9)],
        sentences[2].id: [q("a dozen eggs", s2, 12, "eggs"), q("cake", s2, 1, None)],
    }
    report = qe.score(sentences, predictions)
    assert (report.n_sentences, report.n_gold, report.n_pred) == (3, 8, 6)
    # right values: $2 million, 12 km, 7-9 miles (midpoint 8), a dozen (1 x 12)
    assert report.gold_right_value == 4
    assert report.pred_right_value == 4
    assert report.in_scope == {"money": 1, "count": 1, "dimensionless": 1}
    assert report.in_scope_found == {"money": 1, "count": 1, "dimensionless": 1}
    assert report.in_scope_right == {"money": 1, "count": 1, "dimensionless": 0}  # 31 != 30
    assert report.in_scope_rate == pytest.approx(2 / 3)
    assert report.unit_agreement == 1.0
    assert report.excluded_dimensionless == {
        "year": 1,
        "part of a name or code": 1,
        "not a whole number": 1,
    }
    assert [m["surface"] for m in report.misses] == ["30"]
    text = qe.format_report(report)
    assert "2/3 = 0.667" in text and "'30'" in text
    json.dumps(report.to_dict(), allow_nan=False)


def test_evaluate_with_a_stand_in_analyzer(tmp_path: Path) -> None:
    data = write_tiny(tmp_path / "d")

    def analyze_many(articles: Iterable[Article]) -> Iterable[Analysis]:
        for a in articles:
            info = ArticleInfo(a.id or "", None, None, None, a.sha256)
            quantities = []
            if "$2 million" in a.text:
                quantities = [q("$2 million", a.text, 2e6, "USD")]
            yield Analysis(article=info, text=a.text, quantities=quantities)

    report = qe.evaluate(data, analyze_many)
    assert report.n_gold == 8 and report.gold_right_value == 1
    assert (report.n_error_inputs, report.n_error_inputs_ok) == (2, 2)


def test_evaluate_counts_crashes(tmp_path: Path) -> None:
    data = write_tiny(tmp_path / "d")

    def analyze_many(articles: Iterable[Article]) -> Iterable[Analysis]:
        for a in articles:
            if a.id and a.id.startswith("errors.json"):
                raise RuntimeError("boom")
            yield Analysis(article=ArticleInfo(a.id or "", None, None, None, ""), text=a.text)

    report = qe.evaluate(data, analyze_many)
    assert (report.n_error_inputs, report.n_error_inputs_ok) == (2, 0)


def test_cli_on_tiny_data(tmp_path: Path) -> None:
    data = write_tiny(tmp_path / "d")
    result = CliRunner().invoke(
        app, ["eval", "quantities", "--data", str(data), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["gold"] == 8 and report["in_scope"]["gold"] == 3
    assert report["error_inputs"] == {"total": 2, "no_crash": 2}
    plain = CliRunner().invoke(app, ["eval", "quantities", "--data", str(data)])
    assert plain.exit_code == 0 and "found with the right value" in plain.output


def test_cli_without_data(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "quantities", "--data", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "not found" in result.output


@pytest.mark.data
def test_quantulum3_meets_floor(analyzer: Analyzer) -> None:
    if not QUANTULUM.resolve().is_dir():
        pytest.skip(f"quantulum3 data not found at {QUANTULUM.resolve()}")
    report = qe.evaluate(QUANTULUM, lambda articles: analyzer.pipe(articles))
    assert report.n_in_scope >= 30
    assert report.n_error_inputs_ok == report.n_error_inputs
    assert report.in_scope_rate >= FLOOR_IN_SCOPE_RATE, qe.format_report(report)
    assert report.precision >= FLOOR_PRECISION, qe.format_report(report)
