"""Tests of the PolNeAR evaluation harness (newsledger.eval.polnear)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsledger.errors import DataNotFound
from newsledger.eval.polnear import (
    Counts,
    GoldAttribution,
    GoldDoc,
    default_data_dir,
    evaluate,
    format_report,
    gold_kind,
    has_quote_mark,
    load_split,
    parse_ann,
    score,
)
from newsledger.model import Analysis, Article, ArticleInfo, Attribution, Source, Span

TEXT = (
    "Officials said that the bridge will close in May. "  # 0..50
    '"We have no choice," the mayor told reporters. '  # 50..97
    "Critics disagree."  # 97..114
)


def find(sub: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(sub)
    return start, start + len(sub)


def gold(
    gid: str,
    content: str | list[str],
    source: str | None,
    cue: str,
    text: str = TEXT,
) -> GoldAttribution:
    pieces = [content] if isinstance(content, str) else content
    return GoldAttribution(
        id=gid,
        content=[find(p, text) for p in pieces],
        source=[find(source, text)] if source else [],
        cue=[find(cue, text)],
    )


def pred(
    pid: str,
    content: tuple[int, int],
    source: tuple[int, int] | None,
    cue: tuple[int, int],
    kind: str = "indirect",
    parent: str | None = None,
    text: str = TEXT,
) -> Attribution:
    src = (
        Source(text[source[0] : source[1]], source[0], source[1], name="x")
        if source is not None
        else None
    )
    return Attribution(
        id=pid,
        kind=kind,  # type: ignore[arg-type]
        cue=Span.of(text, *cue),
        content=Span.of(text, *content),
        source=src,
        parent=parent,
    )


def two_gold_doc() -> GoldDoc:
    return GoldDoc(
        name="doc",
        text=TEXT,
        attributions=[
            gold("E1", "that the bridge will close in May", "Officials", "said"),
            gold("E2", '"We have no choice,"', "the mayor", "told"),
        ],
    )


def counts(report_metric: Counts) -> tuple[int, int, int]:
    return report_metric.tp, report_metric.fp, report_metric.fn


# ------------------------------------------------------------------ scorer


def test_exact_match_scores_perfectly() -> None:
    doc = two_gold_doc()
    preds = [
        pred("a1", find("that the bridge will close in May"), find("Officials"), find("said")),
        pred("a2", find('"We have no choice,"'), find("the mayor"), find("told"), kind="direct"),
    ]
    r = score([doc], {"doc": preds})
    for m in ("content", "content_source", "content_exact", "source_exact", "cue_exact"):
        assert counts(r.metrics[m]) == (2, 0, 0), m
        assert r.metrics[m].f1 == 1.0
    assert (r.n_docs, r.n_gold, r.n_pred) == (1, 2, 2)
    assert r.content_by_pred_kind["direct"].tp == 1
    assert r.content_by_pred_kind["indirect"].tp == 1
    assert r.content_by_gold_kind["direct"].tp == 1
    assert r.content_by_gold_kind["indirect"].tp == 1


def test_missing_document_counts_all_gold_as_false_negatives() -> None:
    r = score([two_gold_doc()], {})
    assert counts(r.metrics["content"]) == (0, 0, 2)
    assert r.metrics["content"].precision == 0.0
    assert r.metrics["content"].recall == 0.0


def test_partial_overlap_above_half_matches_but_not_exact() -> None:
    doc = two_gold_doc()
    # "the bridge will close in May" covers 28 of the 33 gold chars (and all of itself)
    p = pred("a1", find("the bridge will close in May"), find("Officials"), find("said"))
    r = score([doc], {"doc": [p]})
    assert counts(r.metrics["content"]) == (1, 0, 1)
    assert counts(r.metrics["content_source"]) == (1, 0, 1)
    assert counts(r.metrics["content_exact"]) == (0, 1, 2)


def test_partial_overlap_below_half_of_gold_does_not_match() -> None:
    doc = two_gold_doc()
    # "close in May" is 12 of 33 gold chars: < 50% of the gold
    p = pred("a1", find("close in May"), find("Officials"), find("said"))
    r = score([doc], {"doc": [p]})
    assert counts(r.metrics["content"]) == (0, 1, 2)


def test_overlap_below_half_of_prediction_does_not_match() -> None:
    doc = two_gold_doc()
    # the prediction covers the whole gold content but is more than twice as long
    start, _ = find("Officials")
    _, end = find('"We have no choice,"')
    r = score([doc], {"doc": [pred("a1", (start, end), None, find("said"))]})
    assert counts(r.metrics["content"]) == (0, 1, 2)


def test_exactly_half_overlap_matches() -> None:
    text = "abcdefghij"
    doc = GoldDoc("d", text, [GoldAttribution("E1", content=[(0, 10)], cue=[(0, 1)])])
    half = pred("a", (5, 10), None, (0, 1), text=text)
    r = score([doc], {"d": [half]})
    assert r.metrics["content"].tp == 1
    below = pred("a", (6, 10), None, (0, 1), text=text)
    assert score([doc], {"d": [below]}).metrics["content"].tp == 0


def test_one_prediction_cannot_match_two_golds() -> None:
    text = "aaaabbbb"
    doc = GoldDoc(
        "d",
        text,
        [
            GoldAttribution("E1", content=[(0, 4)], cue=[(0, 1)]),
            GoldAttribution("E2", content=[(4, 8)], cue=[(4, 5)]),
        ],
    )
    # (0, 8) overlaps each gold by 4 chars: 100% of the gold and 50% of the prediction,
    # so it qualifies for both, but may be counted only once
    r = score([doc], {"d": [pred("a", (0, 8), None, (0, 1), text=text)]})
    assert counts(r.metrics["content"]) == (1, 0, 1)
    assert counts(r.metrics["content_source"]) == (1, 0, 1)
    # two such predictions match both golds
    r = score([doc], {"d": [pred("a", (0, 8), None, (0, 1), text=text)] * 2})
    assert counts(r.metrics["content"]) == (2, 0, 0)


def test_greedy_matching_takes_largest_overlap_first() -> None:
    text = "x" * 20
    doc = GoldDoc("d", text, [GoldAttribution("E1", content=[(0, 10)], cue=[(0, 1)])])
    small = pred("small", (0, 6), None, (0, 1), text=text)  # overlap 6
    big = pred("big", (0, 9), None, (0, 1), text=text)  # overlap 9
    r = score([doc], {"d": [small, big]})
    assert counts(r.metrics["content"]) == (1, 1, 0)
    # the per-kind breakdown reveals which one matched
    small_k = pred("small", (0, 6), None, (0, 1), kind="direct", text=text)
    big_k = pred("big", (0, 9), None, (0, 1), kind="mixed", text=text)
    r = score([doc], {"d": [small_k, big_k]})
    assert r.content_by_pred_kind["mixed"].tp == 1
    assert r.content_by_pred_kind["direct"].fp == 1


def test_two_predictions_two_golds_all_matched() -> None:
    doc = two_gold_doc()
    preds = [
        pred("a2", find("We have no choice"), find("the mayor"), find("told")),
        pred("a1", find("the bridge will close in May."), find("Officials"), find("said")),
    ]
    r = score([doc], {"doc": preds})
    assert counts(r.metrics["content"]) == (2, 0, 0)


def test_discontinuous_gold_content_uses_union_of_pieces() -> None:
    text = '"First part," he said, "second part."'
    doc = GoldDoc(
        "d",
        text,
        [gold("E1", ['"First part,"', '"second part."'], "he", "said", text=text)],
    )
    # union length 13 + 14 = 27; the covering span (0, 37) overlaps all 27 of its 37 chars
    covering = pred("a", (0, len(text)), find("he", text), find("said", text), text=text)
    r = score([doc], {"d": [covering]})
    assert counts(r.metrics["content"]) == (1, 0, 0)
    # one piece alone is 14/27 of the gold: a match; exact match never
    assert counts(r.metrics["content_exact"]) == (0, 1, 1)
    piece = pred("a", find('"second part."', text), None, find("said", text), text=text)
    assert score([doc], {"d": [piece]}).metrics["content"].tp == 1
    short = pred("a", find("second", text), None, find("said", text), text=text)
    assert score([doc], {"d": [short]}).metrics["content"].tp == 0


def test_exact_match_trims_whitespace_only() -> None:
    doc = two_gold_doc()
    s, e = find("that the bridge will close in May")
    padded = pred("a", (s - 1, e + 1), find("Officials"), find("said"))  # " that ... May."
    r = score([doc], {"doc": [padded]})
    assert r.metrics["content_exact"].tp == 0  # the trailing "." is not whitespace
    spaced = pred("a", (s - 1, e), find("Officials"), find("said"))  # " that ... May"
    assert score([doc], {"doc": [spaced]}).metrics["content_exact"].tp == 1


def test_source_mismatch_fails_content_source_only() -> None:
    doc = two_gold_doc()
    wrong_source = pred(
        "a", find("that the bridge will close in May"), find("reporters"), find("said")
    )
    r = score([doc], {"doc": [wrong_source]})
    assert counts(r.metrics["content"]) == (1, 0, 1)
    assert counts(r.metrics["content_source"]) == (0, 1, 2)
    assert counts(r.metrics["source_exact"]) == (0, 1, 2)


def test_missing_source_on_either_side() -> None:
    doc = two_gold_doc()
    no_source = pred("a", find("that the bridge will close in May"), None, find("said"))
    r = score([doc], {"doc": [no_source]})
    assert r.metrics["content"].tp == 1
    assert r.metrics["content_source"].tp == 0
    # a gold without source matches a prediction without source
    text = "Critics disagree, it was reported."
    g = GoldDoc("d", text, [gold("E1", "Critics disagree", None, "reported", text=text)])
    p = pred("a", find("Critics disagree", text), None, find("reported", text), text=text)
    r = score([g], {"d": [p]})
    assert counts(r.metrics["content_source"]) == (1, 0, 0)
    assert counts(r.metrics["source_exact"]) == (0, 0, 0)


def test_partial_source_overlap_of_shorter_span_matches() -> None:
    doc = two_gold_doc()
    # gold source "the mayor"; predicted "mayor" is the shorter one, fully inside
    p = pred("a", find('"We have no choice,"'), find("mayor"), find("told"))
    r = score([doc], {"doc": [p]})
    assert r.metrics["content_source"].tp == 1
    assert r.metrics["source_exact"].tp == 0


def test_content_source_has_its_own_matching() -> None:
    text = "aaaaaaaaaa said Bob and Ann"
    doc = GoldDoc(
        "d",
        text,
        [GoldAttribution("E1", content=[(0, 10)], source=[find("Ann", text)], cue=[(11, 15)])],
    )
    # best content overlap goes with the wrong source; the second one has the right source
    wrong = pred("w", (0, 10), find("Bob", text), (11, 15), text=text)
    right = pred("r", (0, 8), find("Ann", text), (11, 15), text=text)
    r = score([doc], {"d": [wrong, right]})
    assert counts(r.metrics["content"]) == (1, 1, 0)
    assert counts(r.metrics["content_source"]) == (1, 1, 0)


def test_cue_exact_is_one_to_one() -> None:
    doc = two_gold_doc()
    p1 = pred("a", find("that the bridge will close in May"), None, find("said"))
    p2 = pred("b", find("the bridge will close"), None, find("said"))
    r = score([doc], {"doc": [p1, p2]})
    assert counts(r.metrics["cue_exact"]) == (1, 1, 1)


def test_gold_without_content_is_not_a_content_false_negative() -> None:
    doc = two_gold_doc()
    doc.attributions.append(GoldAttribution("E3", content=[], source=[], cue=[find("disagree")]))
    r = score([doc], {})
    assert r.n_gold == 3
    assert r.metrics["content"].fn == 2
    assert r.metrics["cue_exact"].fn == 3


def test_quote_heuristic_ignores_apostrophes() -> None:
    assert has_quote_mark('"We have no choice,"')
    assert has_quote_mark("\u201cYes\u201d he said")
    assert has_quote_mark("\u2018quoted\u2019")
    assert has_quote_mark("\u00abOui\u00bb")
    assert not has_quote_mark("Clinton\u2019s plan isn't ready")
    doc = GoldDoc("d", "Clinton\u2019s plan isn't ready", [])
    assert gold_kind(doc, GoldAttribution("E", content=[(0, 26)])) == "indirect"


def test_report_to_dict_and_format() -> None:
    doc = two_gold_doc()
    p = pred("a", find("that the bridge will close in May"), find("Officials"), find("said"))
    r = score([doc], {"doc": [p]})
    d = r.to_dict()
    assert d["metrics"]["content"] == {
        "tp": 1,
        "fp": 0,
        "fn": 1,
        "precision": 1.0,
        "recall": 0.5,
        "f1": 0.6667,
    }
    assert d["content_by_gold_kind"]["direct"] == {"tp": 0, "fn": 1, "recall": 0.0}
    assert d["n_gold"] == 2 and d["n_pred"] == 1
    table = format_report(r)
    assert "content_source" in table and "1/0/1" in table
    assert "indirect" in table


# ------------------------------------------------------------------ loader

ANN = """T1\tSource 0 9\tOfficials
T2\tCue 10 14\tsaid
T3\tContent 15 48\tthat the bridge will close in May
T4\tAttribution 10 14\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tContent 50 70;97 114\t"We have no choice," Critics disagree.
T6\tAttribution 81 85\ttold
E2\tAttribution-no-source:T6 Content:T5
T7\tDiscard 0 4\tOffi
#1\tAnnotatorNotes T5\tmulti-line note
continued here
"""


def write_corpus(root: Path, split: str = "dev") -> Path:
    text_dir = root / "data" / split / "text"
    ann_dir = root / "data" / split / "attributions"
    text_dir.mkdir(parents=True)
    ann_dir.mkdir(parents=True)
    (text_dir / "pub_2016-01-01_story.txt").write_text(TEXT, encoding="utf-8")
    (ann_dir / "pub_2016-01-01_story_bbbb.ann").write_text(ANN, encoding="utf-8")
    # a second annotator: "aaaa" sorts before "bbbb" and wins
    (ann_dir / "pub_2016-01-01_story_aaaa.ann").write_text(ANN.split("T5")[0], encoding="utf-8")
    # an .ann without text and a text without .ann are skipped
    (ann_dir / "orphan_2016_x_cccc.ann").write_text(ANN, encoding="utf-8")
    (text_dir / "lonely_2016-01-02_text.txt").write_text("Nothing.", encoding="utf-8")
    return root


def test_parse_ann_roles_and_discontinuous_spans() -> None:
    atts = parse_ann(ANN)
    assert [a.id for a in atts] == ["E1", "E2"]
    e1, e2 = atts
    assert e1.content == [(15, 48)] and e1.source == [(0, 9)] and e1.cue == [(10, 14)]
    assert e2.content == [(50, 70), (97, 114)]
    assert e2.source == []
    assert e2.cue == [(81, 85)]  # no Cue role: the trigger span stands in
    assert TEXT[15:48] == "that the bridge will close in May"


def test_parse_ann_numbered_roles_are_merged() -> None:
    ann = "T1\tContent 0 5\tabcde\nT2\tContent 8 10\tij\nT3\tCue 6 7\tg\nT4\tAttribution 6 7\tg\n"
    ann += "E1\tAttribution:T4 Cue:T3 Content:T1 Content2:T2\n"
    (a,) = parse_ann(ann)
    assert a.content == [(0, 5), (8, 10)]


def test_load_split_from_brat_files(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    docs = load_split(root, "dev")
    assert [d.name for d in docs] == ["pub_2016-01-01_story"]
    (doc,) = docs
    assert doc.text == TEXT
    assert doc.annotator == "aaaa"
    assert [a.id for a in doc.attributions] == ["E1"]
    # the data/ folder itself is accepted too
    assert [d.name for d in load_split(root / "data", "dev")] == ["pub_2016-01-01_story"]


def test_load_split_keeps_crlf_offsets(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    text_path = root / "data" / "dev" / "text" / "pub_2016-01-01_story.txt"
    text_path.write_bytes(b"Line one.\r\nHe said: yes.")
    (doc,) = load_split(root, "dev")
    assert doc.text[9:11] == "\r\n"


def test_load_split_missing_paths_raise_data_not_found(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(DataNotFound, match="nowhere"):
        load_split(missing, "dev")
    root = write_corpus(tmp_path / "corpus")
    with pytest.raises(DataNotFound, match="test") as exc:
        load_split(root, "test")
    assert "dev" in str(exc.value)  # lists the splits that are present


def test_default_data_dir_prefers_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "shared" / "data" / "polnear").mkdir(parents=True)
    (tmp_path / "repo").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    assert default_data_dir() == (tmp_path / "shared" / "data" / "polnear").resolve()
    monkeypatch.chdir(tmp_path)
    fallback = default_data_dir()
    assert fallback.parts[-3:] == ("shared", "data", "polnear")
    assert fallback != (tmp_path / "shared" / "data" / "polnear").resolve()


def test_evaluate_drops_nested_and_maps_by_id(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    seen: list[list[Article]] = []

    def analyze_many(articles: list[Article]) -> list[Analysis]:
        seen.append(articles)
        out = []
        for a in articles:
            info = ArticleInfo(
                id=a.id or "", title=None, published=None, url=None, text_sha256=a.sha256
            )
            outer = pred(
                "a1",
                find("that the bridge will close in May", a.text),
                find("Officials", a.text),
                find("said", a.text),
                text=a.text,
            )
            nested = pred(
                "a2",
                find("the bridge", a.text),
                None,
                find("said", a.text),
                parent="a1",
                text=a.text,
            )
            out.append(Analysis(article=info, text=a.text, attributions=[outer, nested]))
        return out

    r = evaluate(root, "dev", analyze_many)
    assert [a.id for a in seen[0]] == ["pub_2016-01-01_story"]
    assert seen[0][0].text == TEXT
    assert r.n_pred == 1 and r.n_pred_nested_excluded == 1
    assert counts(r.metrics["content"]) == (1, 0, 0)
    assert r.split == "dev"
    r_all = evaluate(root, "dev", analyze_many, outermost_only=False)
    assert r_all.n_pred == 2
    assert counts(r_all.metrics["content"]) == (1, 1, 0)
    assert evaluate(root, "dev", analyze_many, limit=0).n_docs == 0


def test_evaluate_rejects_changed_text(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)

    def analyze_many(articles: list[Article]) -> list[Analysis]:
        return [
            Analysis(
                article=ArticleInfo(a.id or "", None, None, None, a.sha256), text=a.text.upper()
            )
            for a in articles
        ]

    with pytest.raises(ValueError, match="differs"):
        evaluate(root, "dev", analyze_many)


# ------------------------------------------------------------------ real data

REAL_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "polnear"


@pytest.mark.skipif(
    not (REAL_DATA / "data" / "dev").is_dir(),
    reason=f"PolNeAR corpus not present at {REAL_DATA} (dev split missing)",
)
def test_real_dev_split_loads_with_valid_offsets() -> None:
    docs = load_split(REAL_DATA, "dev")
    assert len(docs) == 84
    n = 0
    for doc in docs:
        for a in doc.attributions:
            assert a.content or a.cue
            for s, e in a.content + a.source + a.cue:
                assert 0 <= s < e <= len(doc.text), (doc.name, a.id, s, e)
            n += 1
    assert n > 2000
    # gold scored against itself (covering ranges) is near-perfect on overlap metrics
    preds = {}
    for doc in docs:
        preds[doc.name] = [
            pred(
                a.id,
                (a.content[0][0], a.content[-1][1]),
                (a.source[0][0], a.source[-1][1]) if a.source else None,
                (a.cue[0][0], a.cue[-1][1]),
                text=doc.text,
            )
            for a in doc.attributions
            if a.content
        ]
    r = score(docs, preds)
    assert r.metrics["content"].f1 > 0.98
    assert r.metrics["cue_exact"].precision == 1.0
