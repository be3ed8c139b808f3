"""The GGT quote scorer (newsledger.eval.ggt): pure scoring on hand-built records, the loader's
checks, and the command on the shared data when it is there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.errors import DataNotFound
from newsledger.eval import ggt
from newsledger.eval.ggt import GoldQuote, GoldText, Predicted

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ggt"

TEXT = 'Ann Lee said the plan works. "It is fine," she added. The mayor disagreed.'


def _doc() -> GoldText:
    return GoldText(
        id="d",
        text=TEXT,
        quotes=(
            GoldQuote(start=13, end=27, source="Ann Lee"),  # "the plan works"
            GoldQuote(start=29, end=42, source="Ann Lee", source_text="she"),  # quote
            GoldQuote(start=58, end=73, source="Bo Tan", source_text="The mayor"),
        ),
    )


def _pred(start: int, end: int, source: str | None, kind: str = "indirect") -> Predicted:
    return Predicted(start, end, kind, "speech", source, source, "said")


def test_gold_as_prediction_scores_one() -> None:
    doc = _doc()
    preds = [_pred(q.start, q.end, q.source) for q in doc.quotes]
    report = ggt.score([doc], [preds])
    for t in ggt.THRESHOLDS:
        c = report.overall[t]
        assert (c.precision, c.recall, c.f1, c.speaker) == (1.0, 1.0, 1.0, 1.0)


def test_empty_prediction_scores_zero() -> None:
    report = ggt.score([_doc()], [[]])
    c = report.overall[0.3]
    assert (c.tp, c.fp, c.fn, c.f1) == (0, 0, 3, 0.0)
    assert len(report.misses) == 3


def test_coverage_threshold_and_one_to_one() -> None:
    doc = _doc()
    # covers 4 of the first quote's 14 characters (0.29): no match at 0.3
    short = _pred(13, 17, "Ann Lee")
    # one prediction spanning two gold quotes matches only one of them
    wide = _pred(13, 42, "Lee")
    report = ggt.score([doc], [[short, wide]])
    c = report.overall[0.3]
    assert c.tp == 1 and c.fp == 1 and c.fn == 2
    assert ggt.coverage((13, 27), (13, 17)) == pytest.approx(4 / 14)


def test_speaker_by_name_suffix_and_alts() -> None:
    doc = GoldText(
        id="d",
        text=TEXT,
        quotes=(GoldQuote(start=13, end=27, source="Ann Lee", alts=("Annie Lee-Park",)),),
    )
    right = ggt.score([doc], [[_pred(13, 27, "Lee")]]).overall[0.3]
    alt = ggt.score([doc], [[_pred(13, 27, "Lee-Park")]]).overall[0.3]
    wrong = ggt.score([doc], [[_pred(13, 27, "the mayor")]])
    assert right.speaker == 1.0 and alt.speaker == 1.0
    assert wrong.overall[0.3].speaker == 0.0 and len(wrong.wrong_speakers) == 1
    assert ggt.score([doc], [[_pred(13, 27, None)]]).overall[0.3].speaker == 0.0


def test_groups_by_kind_and_mention() -> None:
    doc = _doc()
    preds = [
        _pred(13, 27, "Ann Lee", "indirect"),
        _pred(29, 42, "Bo Tan", "direct"),  # the pronoun resolved wrongly
        _pred(60, 70, "Bo Tan", "statement"),
        _pred(0, 5, "x", "statement"),  # a false positive
    ]
    report = ggt.score([doc], [preds])
    assert report.by_kind[0.3]["statement"].fp == 1
    assert report.by_kind[0.3]["direct"].speaker == 0.0
    assert report.by_mention[0.3]["pronoun"].speaker == 0.0
    assert report.by_mention[0.3]["name"].speaker == 1.0
    assert report.by_mention[0.3]["description"].speaker == 1.0
    out = report.to_dict(errors=True)
    assert out["overlap_0.3"]["tp"] == 3 and len(out["errors"]["false_positives"]) == 1


def test_loader_checks_offsets(tmp_path: Path) -> None:
    bad = {
        "id": "x",
        "text": "abc",
        "expected": [{"source": "A", "content": "zz", "start": 0, "end": 2}],
    }
    (tmp_path / "d.jsonl").write_text(json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(DataNotFound, match="do not hold"):
        ggt.load(tmp_path)
    with pytest.raises(DataNotFound, match="no .jsonl"):
        ggt.load(tmp_path / "missing")


@pytest.mark.model
def test_command_on_a_small_file(tmp_path: Path) -> None:
    row = {
        "id": "t1",
        "text": 'The minister said the bridge would reopen in May. "We are ready," she said.',
        "expected": [
            {
                "source": "the minister",
                "content": "the bridge would reopen in May",
                "start": 18,
                "end": 48,
            },
        ],
    }
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["eval", "ggt", "--data", str(path), "--format", "json", "--errors"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["documents"] == 1
    assert out["overlap_0.3"]["tp"] == 1
    assert out["overlap_0.3"]["fp"] == len(out["errors"]["false_positives"])


def test_command_says_when_data_is_missing(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "ggt", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "GGT data not found" in result.output


def test_a_content_in_pieces_is_one_quote_a_piece() -> None:
    from newsledger.model import Analysis, ArticleInfo, Attribution, Source, Span

    text = "“It is fine,” she said. “We agree.”"
    a = Attribution(
        id="a1",
        kind="direct",
        cue=Span("said", 18, 22),
        content=Span(text[0:35], 0, 35),
        source=Source("she", 14, 17, name="Ann Lee", type="person"),
        content_parts=[Span(text[0:13], 0, 13), Span(text[24:35], 24, 35)],
    )
    analysis = Analysis(ArticleInfo("d", None, None, None, ""), text, attributions=[a])
    preds = ggt.predicted_of(analysis)
    assert [(p.start, p.end) for p in preds] == [(0, 13), (24, 35)]
    doc = GoldText("d", text, (GoldQuote(0, 13, "Ann Lee"), GoldQuote(24, 35, "Ann Lee")))
    assert ggt.score([doc], [preds]).overall[0.3].tp == 2
    assert ggt.predicted_of(analysis, acts={"thought"}) == []


def test_speaker_right_by_another_name_of_the_same_entity() -> None:
    doc = GoldText(id="d", text=TEXT, quotes=(GoldQuote(start=13, end=27, source="the EU"),))
    plain = Predicted(13, 27, "indirect", "speech", "European Union", "it", "said")
    aliased = Predicted(13, 27, "indirect", "speech", "European Union", "it", "said", ("EU",))
    assert ggt.score([doc], [[plain]]).overall[0.3].speaker == 0.0
    assert ggt.score([doc], [[aliased]]).overall[0.3].speaker == 1.0


def test_what_counts_as_a_quote() -> None:
    quotes = frozenset({"speech", "writing", "request"})
    said = Predicted(0, 5, "indirect", "speech", "A", "A", "said")
    study = Predicted(0, 5, "according_to", "finding", "the study", "the study", "according to")
    found = Predicted(0, 5, "indirect", "finding", "the study", "the study", "found")
    thought = Predicted(0, 5, "indirect", "thought", "A", "A", "believes")
    assert ggt.is_quote(said, quotes) and ggt.is_quote(study, quotes)
    assert not ggt.is_quote(found, quotes) and not ggt.is_quote(thought, quotes)
