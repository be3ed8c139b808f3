"""Tests of the CofeNet protocol for PolNeAR (newsledger.eval.cofenet)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.errors import DataNotFound
from newsledger.eval.cofenet import (
    ROLES,
    TAGS,
    CharSpan,
    Instance,
    align_tokens,
    attribution_spans,
    bio_spans,
    build_instances,
    compare_instances,
    compare_tokenizer,
    evaluate_cofenet,
    format_cofenet_report,
    gold_spans,
    load_gold_instances,
    load_instances,
    paragraphs,
    score_cofenet,
    tag_instances,
    tag_spans,
)
from newsledger.eval.polnear import GoldAttribution, load_split
from newsledger.model import Analysis, Article, ArticleInfo, Attribution, Source, Span


def find(sub: str, text: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def span(role: str, sub: str, text: str, nth: int = 0) -> CharSpan:
    return (role, *find(sub, text, nth))


def instance(text: str, iid: str = "art_ann", start: int = 0, end: int | None = None) -> Instance:
    """One instance over ``text[start:end]`` made with the tokenizer."""
    para = [t for p in paragraphs(text) for t in p if start <= t.start < (end or len(text))]
    return Instance(
        id=iid,
        article=iid.rpartition("_")[0],
        annotator=iid.rpartition("_")[2],
        tokens=[t.text for t in para],
        offsets=[(t.start, t.end) for t in para],
        tags=["O"] * len(para),
    )


def counts(report, role: str) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    c = report.roles[role]
    return c.tp, c.fp, c.fn


# ------------------------------------------------------------------ alignment


def test_align_tokens_reads_corenlp_forms_back_to_the_text() -> None:
    text = "“It’s [a] deal—done…” Clinton's aide said in the U.S. Then (ok)."
    tokens = [
        "``", "It", "'s", "-LSB-", "a", "-RSB-", "deal", "--", "done", "...", "''",
        "Clinton", "'s", "aide", "said", "in", "the", "U.S.", ".", "Then", "(", "ok", ")", ".",
    ]  # fmt: skip
    offsets = align_tokens(text, tokens)
    assert [text[s:e] for s, e in offsets][:11] == [
        "“", "It", "’s", "[", "a", "]", "deal", "—", "done", "…", "”",
    ]  # fmt: skip
    us, period = offsets[17], offsets[18]
    assert text[slice(*us)] == "U.S." and period == (us[1] - 1, us[1])  # the repeated period


def test_align_tokens_skips_odd_spaces_and_finds_moved_tokens() -> None:
    text = "One\u200b two.\n\nThree four.\n\nFive six."
    assert align_tokens(text, ["One", "two", "."]) == [(0, 3), (5, 8), (8, 9)]
    # a sentence CofeNet moved ahead of the paragraph it belongs to
    offsets = align_tokens(text, ["One", "two", ".", "Five", "six", "."])
    assert [text[s:e] for s, e in offsets][3:] == ["Five", "six", "."]
    # from a start position on
    assert align_tokens(text, ["Three"], start=10) == [(11, 16)]
    with pytest.raises(ValueError, match="not found"):
        align_tokens(text, ["One", "seven"])


# ------------------------------------------------------------------ paragraphs


def para_texts(text: str) -> list[str]:
    return [" ".join(t.text for t in p) for p in paragraphs(text)]


def test_paragraphs_are_sentences_between_blank_lines() -> None:
    text = "Title Here.\n\nFirst one. Second\none.\n  \nThird one."
    assert para_texts(text) == ["Title Here .", "First one . Second one .", "Third one ."]


def test_a_paragraph_without_a_final_stop_runs_into_the_next() -> None:
    text = "The governor added:\n\nIt is done. Really.\n\n2:45 p.m.\n\nTrump spoke."
    assert para_texts(text) == [
        "The governor added : It is done . Really .",
        "2:45 p.m. Trump spoke .",
    ]


def test_one_word_paragraphs_join_the_one_before() -> None:
    text = "A long line here.\n\n___.\n\nNetflix.\n\nTwo words.\n\nNext one."
    assert para_texts(text) == [
        "A long line here . ___ . Netflix .",
        "Two words .",
        "Next one .",
    ]


def test_a_closing_quote_opening_a_paragraph_stays_with_the_sentence_it_closes() -> None:
    # NYT style: '' opens a quote, CoreNLP reads it as closing the sentence before
    text = "He spoke of it.\n\n''This is it,'' he said."
    assert para_texts(text) == ["He spoke of it . ''", "This is it , '' he said ."]


def test_build_instances_names_the_annotator_set() -> None:
    insts = build_instances("art", "ab12", "One two.\n\nThree.\n\nFour five.")
    assert [i.id for i in insts] == ["art_ab12", "art_ab12"]
    assert insts[0].tokens == ["One", "two", ".", "Three", "."]
    assert insts[0].tags == ["O"] * 5 and insts[0].file_tags is None


# ------------------------------------------------------------------ tags


TEXT = "Officials said that the bridge will close. “We are ready,” the mayor told reporters."


def test_tag_spans_marks_every_token_a_span_touches() -> None:
    inst = instance(TEXT)
    tags = tag_spans(
        inst.offsets,
        [span("source", "Officials", TEXT), span("cue", "said", TEXT), ("content", 15, 42)],
    )
    # "hat the bridge will close." starts inside "that" and takes it
    assert tags[:8] == [
        "B-source", "B-cue", "B-content", "I-content", "I-content", "I-content", "I-content",
        "I-content",
    ]  # fmt: skip
    assert set(tags) <= set(TAGS)


def test_tag_spans_first_span_wins_and_a_gap_starts_a_new_span() -> None:
    inst = instance(TEXT)
    content = span("content", "“We are ready,” the mayor told reporters", TEXT)
    tags = tag_spans(inst.offsets, [span("source", "the mayor", TEXT), content])
    i = inst.tokens.index("mayor")
    assert tags[i - 1 : i + 3] == ["B-source", "I-source", "B-content", "I-content"]
    assert tags[inst.tokens.index("``")] == "B-content"
    # touching pieces of one role stay two spans
    pieces = [span("content", "We are", TEXT), span("content", "ready", TEXT)]
    tags = tag_spans(inst.offsets, pieces)
    j = inst.tokens.index("We")
    assert tags[j : j + 3] == ["B-content", "I-content", "B-content"]


def test_tag_spans_last_char_leaves_a_token_the_span_stops_inside() -> None:
    inst = instance(TEXT)
    cut = ("content", find("that", TEXT)[0], find("bridge", TEXT)[1] - 1)  # "that the bridg"
    i = inst.tokens.index("bridge")
    assert tag_spans(inst.offsets, [cut])[i] == "I-content"
    assert tag_spans(inst.offsets, [cut], last_char=True)[i] == "O"
    late = ("content", find("that", TEXT)[0] + 1, find("the", TEXT)[1])  # "hat the"
    assert tag_spans(inst.offsets, [late], last_char=True)[i - 2 : i] == ["B-content", "I-content"]


def test_bio_spans_reads_spans_and_cuts() -> None:
    tags = ["B-source", "I-source", "O", "I-cue", "B-content", "I-content", "B-content", "I-cue"]
    assert bio_spans(tags, None) == {
        ("source", 0, 2),
        ("cue", 3, 4),
        ("content", 4, 6),
        ("content", 6, 7),
        ("cue", 7, 8),
    }
    assert bio_spans(tags, 5) == {("source", 0, 2), ("cue", 3, 4), ("content", 4, 5)}


# ------------------------------------------------------------------ scorer


TWO = "Officials said the bridge will close.\n\n“We are ready,” the mayor told reporters."


def two_instances() -> list[Instance]:
    first, second = build_instances("art", "a", TWO)
    gold = [
        span("source", "Officials", TWO),
        span("cue", "said", TWO),
        span("content", "the bridge will close", TWO),
        span("source", "the mayor", TWO),
        span("cue", "told", TWO),
        span("content", "“We are ready,”", TWO),
    ]
    tag_instances([first, second], {"art_a": gold})  # by instance set
    return [first, second]


def gold_as_prediction(insts: Iterable[Instance]) -> dict[str, list[CharSpan]]:
    """The gold tags read back as character spans (first to last token of each span)."""
    out: dict[str, list[CharSpan]] = {}
    for inst in insts:
        for role, a, b in sorted(bio_spans(inst.tags, None), key=lambda s: s[1]):
            out.setdefault(inst.article, []).append(
                (role, inst.offsets[a][0], inst.offsets[b - 1][1])
            )
    return out


def test_gold_as_prediction_scores_one_and_empty_zero() -> None:
    insts = two_instances()
    report = score_cofenet(insts, gold_as_prediction(insts))
    for role in ROLES:
        assert counts(report, role) == (2, 0, 0)
        assert report.roles[role].f1 == 1.0
    assert (report.n_articles, report.n_sets, report.n_instances) == (1, 1, 2)
    assert report.n_tokens == sum(len(i.tokens) for i in insts)
    empty = score_cofenet(insts, {})
    for role in ROLES:
        assert counts(empty, role) == (0, 0, 2)
        assert empty.roles[role].f1 == 0.0


def test_a_span_one_token_off_does_not_count() -> None:
    insts = two_instances()
    gold = gold_as_prediction(insts)["art"]
    wide = [("content", *find("the bridge will close.", TWO)) if r == "content" and s < 38
            else (r, s, e) for r, s, e in gold]  # fmt: skip
    assert counts(score_cofenet(insts, {"art": wide}), "content") == (1, 1, 1)
    # a content that runs over its cue loses the cue's token to it, the cue coming first
    over = [("content", *find("said the bridge will close", TWO)) if r == "content" and s < 38
            else (r, s, e) for r, s, e in gold]  # fmt: skip
    report = score_cofenet(insts, {"art": over})
    assert counts(report, "content") == (2, 0, 0) and counts(report, "cue") == (2, 0, 0)
    short = [("content", *find("the bridge will", TWO)) if r == "content" and s < 38
             else (r, s, e) for r, s, e in gold]  # fmt: skip
    assert counts(score_cofenet(insts, {"art": short}), "content") == (1, 1, 1)
    # the right tokens under the wrong role do not count either
    wrong = [("cue", *find("the mayor", TWO))]
    assert counts(score_cofenet(insts, {"art": wrong}), "cue") == (0, 1, 2)


def test_a_span_over_an_instance_boundary_is_one_span_per_instance() -> None:
    insts = two_instances()
    whole = ("content", find("the bridge", TWO)[0], find("“We are ready,”", TWO)[1])
    report = score_cofenet(insts, {"art": [whole]})
    assert counts(report, "content") == (1, 1, 1)  # "the bridge will close ." is no gold span
    within = ("content", find("the bridge", TWO)[0], find("reporters", TWO)[1])
    assert counts(score_cofenet(insts, {"art": [within]}), "content") == (0, 2, 2)


def test_instances_are_cut_before_scoring() -> None:
    insts = two_instances()
    # contents that differ only after the third token of their instance
    preds = [
        span("source", "Officials", TWO),
        span("cue", "said", TWO),
        span("content", "the bridge will", TWO),
        span("content", "“We are ready", TWO),
    ]
    report = score_cofenet(insts, {"art": preds}, max_tokens=3)
    assert counts(report, "content") == (2, 0, 0)
    assert counts(report, "source") == (1, 0, 0)  # "the mayor" lies past the cut
    assert report.n_cut == 2 and report.n_tokens == 6
    assert "first 3 tokens" in format_cofenet_report(report)
    assert counts(score_cofenet(insts, {"art": preds}), "content") == (0, 2, 2)


def test_every_annotator_set_is_scored_with_the_article_predictions() -> None:
    a, b = two_instances()
    other = Instance("art_b", "art", "b", b.tokens, b.offsets, ["O"] * len(b.tokens))
    report = score_cofenet([a, b, other], gold_as_prediction([a, b]))
    assert counts(report, "cue") == (2, 1, 0)
    assert report.n_sets == 2


# ------------------------------------------------------------------ attributions


def attribution(
    text: str,
    aid: str,
    content: str,
    source: str | None,
    cue: str,
    parent: str | None = None,
    parts: list[str] | None = None,
) -> Attribution:
    src = Source(source, *find(source, text), name=source) if source else None
    pieces = [Span.of(text, *find(p, text)) for p in parts or []]
    c = (pieces[0].start, pieces[-1].end) if pieces else find(content, text)
    return Attribution(
        id=aid,
        kind="direct",
        cue=Span.of(text, *find(cue, text)),
        content=Span.of(text, *c),
        source=src,
        parent=parent,
        content_parts=pieces,
    )


def test_attribution_spans_outermost_sources_and_cues_first() -> None:
    text = "“We are ready,” the mayor said, “and we will win.” He claims officials lied."
    outer = attribution(
        text, "a1", "", "the mayor", "said", parts=["“We are ready,”", "“and we will win.”"]
    )
    nested = attribution(text, "a2", "officials lied", "He", "claims", parent="a1")
    spans = attribution_spans([outer, nested])
    assert spans == [
        span("source", "the mayor", text),
        span("cue", "said", text),
        span("content", "“We are ready,”", text),
        span("content", "“and we will win.”", text),
    ]
    assert len(attribution_spans([outer, nested], outermost_only=False)) == 7


def test_gold_spans_puts_contents_last() -> None:
    g = GoldAttribution("E1", content=[(0, 5), (10, 15)], source=[(6, 9)], cue=[(16, 20)])
    assert gold_spans([g]) == [
        ("source", 6, 9),
        ("cue", 16, 20),
        ("content", 0, 5),
        ("content", 10, 15),
    ]


# ------------------------------------------------------------------ corpus files

ARTICLE = (
    "Mayor Says Bridge Will Close.\n\n"
    "Officials said the bridge will close in May.\n\n"
    "“We are ready,” the mayor told reporters."
)


def ann(text: str, with_second: bool = True) -> str:
    lines = []

    def t(n: int, label: str, sub: str) -> str:
        s, e = find(sub, text)
        lines.append(f"T{n}\t{label} {s} {e}\t{sub}")
        return f"T{n}"

    lines_e = []
    src, cue, con = t(1, "Source", "Officials"), t(2, "Cue", "said"), t(3, "Content", "the bridge")
    lines_e.append(f"E1\tAttribution:{cue} Content:{con} Cue:{cue} Source:{src}")
    if with_second:
        src, cue = t(4, "Source", "the mayor"), t(5, "Cue", "told")
        con = t(6, "Content", "“We are ready,”")
        lines_e.append(f"E2\tAttribution:{cue} Content:{con} Cue:{cue} Source:{src}")
    return "\n".join(lines + lines_e) + "\n"


def write_corpus(root: Path) -> Path:
    """A one-article dev split with two annotators, and CofeNet's instance file for it."""
    for sub in ("text", "attributions"):
        (root / "data" / "dev" / sub).mkdir(parents=True)
    name = "pub_2016-01-01_story"
    (root / "data" / "dev" / "text" / f"{name}.txt").write_text(ARTICLE, encoding="utf-8")
    for annotator, second in (("aaaa", True), ("bbbb", False)):
        path = root / "data" / "dev" / "attributions" / f"{name}_{annotator}.ann"
        path.write_text(ann(ARTICLE, second), encoding="utf-8")
    (root / "cofenet").mkdir()
    rows = []
    for annotator in ("aaaa", "bbbb"):
        for inst in build_instances(name, annotator, ARTICLE):
            rows.append({"id": inst.id, "tokens": inst.tokens, "labels": inst.tags})
    rows[1]["labels"][1] = "B-cue"  # a label that the .ann does not give
    with (root / "cofenet" / "valid.txt").open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    return root


def test_load_gold_instances_from_the_instance_file(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    golds, insts, source = load_gold_instances(root, "dev")
    assert source == str(root / "cofenet" / "valid.txt")
    assert [g.annotator for g in golds] == ["aaaa", "bbbb"]
    assert [i.id for i in insts] == ["pub_2016-01-01_story_aaaa"] * 3 + [
        "pub_2016-01-01_story_bbbb"
    ] * 3
    second = insts[1]
    assert second.tags[:3] == ["B-source", "B-cue", "B-content"]
    assert second.file_tags is not None and second.file_tags[1] == "B-cue"
    assert insts[5].tags == ["O"] * len(insts[5].tokens)  # bbbb has no second attribution
    built = load_gold_instances(root, "dev", use_default_file=False)[1]
    assert [i.tokens for i in built] == [i.tokens for i in insts]
    agreement = compare_instances(insts, built)
    assert agreement.instance_rate == agreement.token_rate == 1.0
    texts = {g.name: g.text for g in golds}
    assert compare_tokenizer(insts, texts).instance_rate == 1.0


def test_load_instances_refuses_tokens_not_in_the_text(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(json.dumps({"id": "a_x", "tokens": ["Hello", "there"]}) + "\n")
    assert load_instances(path, {"b": "Hello"}) == []
    with pytest.raises(ValueError, match="a_x"):
        load_instances(path, {"a": "Hello world"})
    with pytest.raises(DataNotFound):
        load_instances(tmp_path / "missing.txt", {})


def analyses_of(predicted: dict[str, list[Attribution]], texts: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    def analyze_many(articles: list[Article]) -> Iterable[Analysis]:
        for a in articles:
            text = (texts or {}).get(a.id or "", a.text)
            info = ArticleInfo(a.id or "", None, None, None, a.sha256)
            yield Analysis(article=info, text=text, attributions=predicted.get(a.id or "", []))

    return analyze_many


def test_evaluate_cofenet_scores_the_analyses(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    name = "pub_2016-01-01_story"
    perfect = [
        attribution(ARTICLE, "a1", "the bridge", "Officials", "said"),
        attribution(ARTICLE, "a2", "“We are ready,”", "the mayor", "told"),
        attribution(ARTICLE, "a3", "the bridge will close", "Mayor", "Says", parent="a1"),
    ]
    report = evaluate_cofenet(root, "dev", analyses_of({name: perfect}))
    assert counts(report, "source") == (3, 1, 0)  # the second annotator has one attribution
    assert report.n_pred_nested_excluded == 1 and report.n_sets == 2
    assert report.to_dict()["roles"]["cue"]["tp"] == 3
    assert report.instances.endswith("valid.txt")
    report = evaluate_cofenet(root, "dev", analyses_of({}), limit=1)
    assert counts(report, "content") == (0, 0, 3)
    with pytest.raises(DataNotFound):
        evaluate_cofenet(root, "dev", analyses_of({}), instances_file=tmp_path / "missing.txt")
    with pytest.raises(ValueError, match="differs"):
        evaluate_cofenet(root, "dev", analyses_of({}, {name: ARTICLE + " more"}))


# ------------------------------------------------------------------ command


def test_command_refuses_unknown_protocol_and_stray_instances(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "polnear", "--protocol", "exact"])
    assert result.exit_code == 2 and "--protocol" in result.output
    args = ["eval", "polnear", "--instances", str(tmp_path / "x.txt")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and "--instances" in result.output


@pytest.mark.model
def test_command_scores_under_the_cofenet_protocol(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    args = ["eval", "polnear", "--data", str(root), "--protocol", "cofenet"]
    result = CliRunner().invoke(app, [*args, "--attributions", "rules", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    rules = out["rules"]
    assert out["protocol"] == "cofenet" and rules["n_instances"] == 6
    assert set(rules["roles"]) == set(ROLES) and rules["roles"]["cue"]["tp"] >= 2
    table = CliRunner().invoke(app, [*args, "--attributions", "rules"])
    assert table.exit_code == 0 and "CofeNet protocol" in table.stdout
    assert "content" in table.stdout


# ------------------------------------------------------------------ real data

REAL_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "polnear"
VALID = REAL_DATA / "cofenet" / "valid.txt"
needs_valid = pytest.mark.skipif(
    not ((REAL_DATA / "data" / "dev").is_dir() and VALID.is_file()),
    reason=f"PolNeAR dev split or CofeNet's instances not present at {REAL_DATA}",
)


@pytest.fixture(scope="module")
def real_dev() -> tuple[dict[str, str], list[Instance], list[Instance]]:
    golds, insts, _ = load_gold_instances(REAL_DATA, "dev")
    built = load_gold_instances(REAL_DATA, "dev", use_default_file=False)[1]
    return {g.name: g.text for g in golds}, insts, built


@pytest.mark.data
@needs_valid
def test_real_dev_gold_conversion_reproduces_cofenet_labels(real_dev) -> None:  # type: ignore[no-untyped-def]
    _, insts, _ = real_dev
    assert len(insts) == 1925 and len({i.id for i in insts}) == 94
    same = sum(i.tags == i.file_tags for i in insts)
    # 1923 of 1925: the two others are annotation slips (a content in two touching pieces
    # that splits a word; a content starting on the second apostrophe of a '' quote mark)
    assert same / len(insts) >= 0.998, same


@pytest.mark.data
@needs_valid
def test_real_dev_tokens_and_paragraphs_agree_with_cofenet(real_dev) -> None:  # type: ignore[no-untyped-def]
    texts, insts, built = real_dev
    tokens = compare_tokenizer(insts, texts)
    assert tokens.instance_rate >= 0.99 and tokens.token_rate >= 0.9995, tokens
    whole = compare_instances(insts, built)
    assert whole.instance_rate >= 0.92 and whole.token_rate >= 0.9995, whole


@pytest.mark.data
@needs_valid
def test_real_dev_gold_as_prediction_and_empty(real_dev) -> None:  # type: ignore[no-untyped-def]
    _, insts, built = real_dev
    for group in (insts, built):
        first: dict[str, str] = {}
        for inst in group:  # the annotator load_split keeps: the first in sorted order
            first[inst.article] = min(first.get(inst.article, inst.annotator), inst.annotator)
        mine = [i for i in group if i.annotator == first[i.article]]
        exact = score_cofenet(mine, gold_as_prediction(mine))
        assert all(exact.roles[r].f1 == 1.0 for r in ROLES)
        golds = {g.name: gold_spans(g.attributions) for g in load_split(REAL_DATA, "dev")}
        by_char = score_cofenet(mine, golds)
        assert all(by_char.roles[r].f1 >= 0.998 for r in ROLES), by_char.roles
        assert score_cofenet(mine, golds, last_char=True).roles["content"].f1 == 1.0
        empty = score_cofenet(group, {})
        assert all(empty.roles[r].f1 == 0.0 and empty.roles[r].fn > 1900 for r in ROLES)
