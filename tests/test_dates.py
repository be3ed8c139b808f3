"""Date mentions: explicit forms, resolution against the article date, tense, ranges,
invalid dates, weekday mismatches, datelines, and the TempEval-3 harness."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from conftest import SHARED

from newsledger.eval import tempeval
from newsledger.extract.dates import article_date, find_dates
from newsledger.model import Analysis, Article, DateMention
from newsledger.pipeline import Analyzer

PUBLISHED = "2025-04-29"  # a Tuesday; ISO week 2025-W18


def dates_of(analyzer: Analyzer, text: str, published: str | None = PUBLISHED) -> Analysis:
    return analyzer.analyze(text, published=published)


def date_of(
    analyzer: Analyzer, text: str, phrase: str, published: str | None = PUBLISHED
) -> DateMention:
    """The first date mention of ``phrase`` in ``text``; fails when there is none."""
    analysis = dates_of(analyzer, text, published)
    found = [d for d in analysis.dates if d.text == phrase]
    assert found, f"{phrase!r} not found in {[d.text for d in analysis.dates]}"
    return found[0]


def value_of(analyzer: Analyzer, text: str, phrase: str, published: str | None = PUBLISHED):
    return date_of(analyzer, text, phrase, published).value


# ------------------------------------------------------------------ the example article
def test_seed_article_mondays(seed: Analysis) -> None:
    by_text = {d.text: d for d in seed.dates}
    explicit = by_text["Monday, April 28, 2025"]
    assert (explicit.value, explicit.anchor) == ("2025-04-28", "explicit")
    later = [d for d in seed.dates if d.text == "Monday"]
    assert len(later) == 1
    assert (later[0].value, later[0].anchor) == ("2025-04-28", "published")
    assert later[0].start > explicit.end
    assert not [i for i in seed.issues if i.kind in ("weekday_mismatch", "invalid_date")]


def test_dates_carry_the_attribution_that_holds_them(analyzer: Analyzer) -> None:
    a = dates_of(analyzer, 'The minister said, "We will sign the deal on Friday."')
    friday = next(d for d in a.dates if d.text == "Friday")
    assert friday.attribution is not None
    assert friday.attribution in {x.id for x in a.attributions}
    assert friday.value == "2025-05-02"  # "will sign": the coming Friday


# ------------------------------------------------------------------ explicit forms
@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("It happened on Monday, April 28, 2025.", "Monday, April 28, 2025", "2025-04-28"),
        ("It happened on 28 April 2025.", "28 April 2025", "2025-04-28"),
        ("It was signed on 2025-04-28.", "2025-04-28", "2025-04-28"),
        ("It was signed on 4/28/2025.", "4/28/2025", "2025-04-28"),
        ("Sales fell in April 2025.", "April 2025", "2025-04"),
        ("The law passed in 2019.", "2019", "2019"),
        ("It was popular in the 1990s.", "the 1990s", "199"),
        ("Music of the '80s returned.", "the '80s", "198"),
        ("The 20th century was violent.", "The 20th century", "19"),
        ("Profit rose in the third quarter of 2024.", "the third quarter of 2024", "2024-Q3"),
        ("Revenue rose in Q2 2025.", "Q2 2025", "2025-Q2"),
        ("It was a record for fiscal 2024.", "fiscal 2024", "2024"),
        ("Sales rose in June last year.", "June last year", "2024-06"),
        ("He was born in nineteen ninety-six.", "nineteen ninety-six", "1996"),
        ("Plans for the year two thousand failed.", "the year two thousand", "2000"),
    ],
)
def test_explicit_forms(analyzer: Analyzer, text: str, phrase: str, value: str) -> None:
    assert value_of(analyzer, text, phrase) == value


def test_explicit_anchor_needs_no_article_date(analyzer: Analyzer) -> None:
    a = dates_of(analyzer, "The treaty was signed on April 28, 2025.", published=None)
    assert [(d.value, d.anchor) for d in a.dates] == [("2025-04-28", "explicit")]


def test_year_inferred_from_the_article_date(analyzer: Analyzer) -> None:
    # past by default, the coming one when the verb looks ahead
    assert value_of(analyzer, "The summit was held on April 28.", "April 28") == "2025-04-28"
    assert value_of(analyzer, "The summit was held in June.", "June") == "2024-06"
    assert value_of(analyzer, "The summit will be held in March.", "March") == "2026-03"
    assert value_of(analyzer, "Elections are due next April.", "next April") == "2026-04"
    assert value_of(analyzer, "Prices rose last May.", "last May") == "2024-05"
    assert value_of(analyzer, "Shares rose in Apr. and fell on Apr. 28.", "Apr. 28") == (
        "2025-04-28"
    )


def test_partial_values_without_an_article_date(analyzer: Analyzer) -> None:
    a = dates_of(analyzer, "They met on April 28 and again on Monday, yesterday.", None)
    got = {d.text: (d.value, d.anchor) for d in a.dates}
    assert got["April 28"] == ("XXXX-04-28", "none")
    assert got["Monday"] == ("XXXX-WXX-1", "none")
    assert got["yesterday"] == (None, "none")


def test_may_and_march_as_words_are_not_months(analyzer: Analyzer) -> None:
    a = dates_of(analyzer, "Troops may march on the capital. They may leave in May.")
    assert [(d.text, d.value) for d in a.dates] == [("May", "2025-05")]


def test_first_names_are_not_months(analyzer: Analyzer) -> None:
    a = dates_of(analyzer, "June Carter sang there in June.")
    assert [(d.text, d.value) for d in a.dates] == [("June", "2024-06")]


def test_counts_are_not_years(analyzer: Analyzer) -> None:
    a = dates_of(analyzer, "Some 2000 soldiers and $1990 were lost; the index closed at 2082.1.")
    assert a.dates == []


# ------------------------------------------------------------------ relative to the article
@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The report came out today.", "today", "2025-04-29"),
        ("The report came out yesterday.", "yesterday", "2025-04-28"),
        ("The report comes out tomorrow.", "tomorrow", "2025-04-30"),
        ("Talks stalled last week.", "last week", "2025-W17"),
        ("Talks resume next week.", "next week", "2025-W19"),
        ("Prices rose last month.", "last month", "2025-03"),
        ("Growth slowed this year.", "this year", "2025"),
        ("Growth slowed last year.", "last year", "2024"),
        ("He left two days ago.", "two days ago", "2025-04-27"),
        ("It began three weeks earlier.", "three weeks earlier", "2025-W15"),
        ("It began five months ago.", "five months ago", "2024-11"),
        ("It began 41 years ago.", "41 years ago", "1984"),
        ("Attacks continued over the weekend.", "the weekend", "2025-W17-WE"),
        ("Families gathered on Thanksgiving.", "Thanksgiving", "2024-11-28"),
        ("Families will gather on Christmas Day.", "Christmas Day", "2025-12-25"),
        ("It snowed heavily last winter.", "last winter", "2024-WI"),
        ("The fighting stopped yesterday morning.", "yesterday morning", "2025-04-28TMO"),
    ],
)
def test_relative_expressions(analyzer: Analyzer, text: str, phrase: str, value: str) -> None:
    found = date_of(analyzer, text, phrase)
    assert (found.value, found.anchor) == (value, "published")


def test_earnings_story_periods(analyzer: Analyzer) -> None:
    text = (
        "Acme said third-quarter profit rose 5% to $10 million. A year earlier it earned"
        " $9 million. Sales in the latest period rose, and were flat in the year-ago period."
        " The quarter was strong. Revenue rose last year."
    )
    a = dates_of(analyzer, text, "1989-10-30")
    got = {d.text: d.value for d in a.dates}
    assert got["third-quarter"] == "1989-Q3"
    assert got["A year earlier"] == "1988-Q3"  # that quarter, a year before
    assert got["the latest period"] == "1989-Q3"
    assert got["the year-ago period"] == "1988-Q3"
    assert got["The quarter"] == "1989-Q3"  # the last full quarter before the article
    assert got["last year"] == "1988"
    # without a named quarter, a year ago is a year, and "the period" is no date
    b = dates_of(analyzer, "A year earlier the period was calm.", "1989-10-30")
    assert [(d.text, d.value) for d in b.dates] == [("A year earlier", "1988")]


# ------------------------------------------------------------------ weekdays and tense
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The ministers met on Monday.", "2025-04-28"),  # the most recent Monday
        ("The ministers met on Tuesday.", "2025-04-29"),  # the article's own day
        ("The ministers met on Wednesday.", "2025-04-23"),
        ("The ministers will meet on Monday.", "2025-05-05"),  # will: the coming one
        ("The ministers will meet on Wednesday.", "2025-04-30"),
        ("The vote is scheduled for Friday.", "2025-05-02"),
        ("The vote is due Friday.", "2025-05-02"),
        ("The ministers plan to meet on Friday.", "2025-05-02"),
        ("The ministers met last Friday.", "2025-04-25"),
        ("The ministers meet next Friday.", "2025-05-02"),
        ("The ministers met last Tuesday.", "2025-04-22"),
        ("Kim said on Thursday that troops had left.", "2025-04-24"),
    ],
)
def test_weekday_rules(analyzer: Analyzer, text: str, value: str) -> None:
    a = dates_of(analyzer, text)
    assert len(a.dates) == 1, a.dates
    assert (a.dates[0].value, a.dates[0].anchor) == (value, "published")


def test_weekday_mismatch_is_an_issue(analyzer: Analyzer) -> None:
    a = dates_of(analyzer, "The statement came on Tuesday, April 28, 2025, officials said.")
    assert [d.value for d in a.dates] == ["2025-04-28"]
    issues = [i for i in a.issues if i.kind == "weekday_mismatch"]
    assert len(issues) == 1
    issue = issues[0]
    assert issue.text == "Tuesday, April 28, 2025" == a.text[issue.start : issue.end]
    assert "Monday" in (issue.message or "") and "Tuesday" in (issue.message or "")
    ok = dates_of(analyzer, "The statement came on Monday, April 28, 2025.")
    assert not [i for i in ok.issues if i.kind == "weekday_mismatch"]


def test_weekday_without_year_picks_a_year_it_fits(analyzer: Analyzer) -> None:
    # past tense alone would give 2024-04-30 (a Tuesday); the weekday says 2025
    text = "It opened on Wednesday, April 30."
    assert value_of(analyzer, text, "Wednesday, April 30") == "2025-04-30"
    assert value_of(analyzer, "It opened on April 30.", "April 30") == "2024-04-30"


# ------------------------------------------------------------------ ranges and invalid dates
def test_ranges_give_both_ends(analyzer: Analyzer) -> None:
    a = dates_of(analyzer, "The fair ran from April 1 to April 5, and again April 10-12, 2024.")
    got = [(d.text, d.value) for d in a.dates]
    assert got == [
        ("April 1", "2025-04-01"),
        ("April 5", "2025-04-05"),
        ("April 10", "2024-04-10"),
        ("12, 2024", "2024-04-12"),
    ]


@pytest.mark.parametrize("phrase", ["February 30", "April 31", "February 29, 2025"])
def test_invalid_dates_have_no_value(analyzer: Analyzer, phrase: str) -> None:
    a = dates_of(analyzer, f"The order was dated {phrase} by mistake.")
    found = [d for d in a.dates if d.text == phrase]
    assert len(found) == 1
    assert (found[0].value, found[0].anchor) == (None, "none")
    invalid = [i for i in a.issues if i.kind == "invalid_date"]
    assert [i.text for i in invalid] == [phrase]


def test_valid_leap_day(analyzer: Analyzer) -> None:
    a = dates_of(analyzer, "It was signed on February 29, 2024.")
    assert [d.value for d in a.dates] == ["2024-02-29"]
    assert not a.issues


# ------------------------------------------------------------------ references
def test_references(analyzer: Analyzer) -> None:
    a = dates_of(
        analyzer, "Troops are now in Kursk. The army recently left. It may return in the future."
    )
    assert [(d.text, d.value) for d in a.dates] == [
        ("now", "PRESENT_REF"),
        ("recently", "PAST_REF"),
        ("the future", "FUTURE_REF"),
    ]


# ------------------------------------------------------------------ the article date
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WASHINGTON, April 29, 2025 — The Senate voted.", date(2025, 4, 29)),
        ("Tuesday, April 29, 2025\n\nThe Senate voted on Monday.", date(2025, 4, 29)),
        ("Tuesday, April 29, 2025\u00a0 \n\n\nThe Senate voted.", date(2025, 4, 29)),
        ("NAIROBI, Kenya (AP) April 29, 2025 _ Bombs exploded.", date(2025, 4, 29)),
        ("PARIS, 29 April 2025 – Talks began.", date(2025, 4, 29)),
        ("\n\n2025-04-29: The Senate voted.", date(2025, 4, 29)),
        ("The vote on April 3, 2025 was close.", None),  # a date in the first sentence
        ("The Senate voted on Monday.", None),
        ("", None),
    ],
)
def test_article_date_from_dateline(text: str, expected: date | None) -> None:
    assert article_date(text) == expected


def test_article_date_prefers_published() -> None:
    text = "WASHINGTON, April 29, 2025 — The Senate voted."
    assert article_date(text, "2025-05-01") == date(2025, 5, 1)
    assert article_date(text, "2025-05-01T08:00:00Z") == date(2025, 5, 1)
    assert article_date(text, "not a date") == date(2025, 4, 29)


def test_dateline_anchors_relative_dates(analyzer: Analyzer) -> None:
    text = "Tuesday, April 29, 2025\n\nThe Senate voted on Monday and will vote again Friday."
    a = dates_of(analyzer, text, published=None)
    got = {d.text: (d.value, d.anchor) for d in a.dates}
    assert got["Tuesday, April 29, 2025"] == ("2025-04-29", "explicit")
    assert got["Monday"] == ("2025-04-28", "published")
    assert got["Friday"] == ("2025-05-02", "published")


@pytest.mark.data
def test_wikinews_datelines_match_their_dates() -> None:
    path = SHARED / "wikinews" / "wikinews_2019.csv"
    if not path.resolve().is_file():
        pytest.skip(f"Wikinews data not found at {path.resolve()}")
    csv.field_size_limit(10**8)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    right = sum(str(article_date(r["text"])) == r["date"] for r in rows)
    assert rows and right / len(rows) >= 0.97, f"{right} of {len(rows)} datelines read"


# ------------------------------------------------------------------ offsets and plain text
TEXT = (
    "Tuesday, April 29, 2025\n\nOn Monday, April 28, 2025, and again on 28 April 2025 and"
    " 2025-04-28 (4/28/2025), officials met. Last week, two days ago, in March, in the 1990s,"
    " the third quarter, February 30 and from April 1 to April 5 or April 1-5 — now."
)


def test_offsets_invariant_and_order(analyzer: Analyzer) -> None:
    for published in (PUBLISHED, None):
        a = dates_of(analyzer, TEXT, published)
        assert len(a.dates) >= 14
        previous_end = -1
        for d in a.dates:
            assert TEXT[d.start : d.end] == d.text
            assert d.start >= previous_end, "mentions overlap or are out of order"
            previous_end = d.end
        for i in a.issues:
            assert TEXT[i.start : i.end] == i.text
        assert Analysis.from_dict(a.to_dict(), text=TEXT).dates == a.dates


def test_plain_text_gives_the_same_explicit_dates(analyzer: Analyzer) -> None:
    parsed = dates_of(analyzer, TEXT)
    plain = find_dates(TEXT, PUBLISHED)
    explicit = [(d.text, d.value) for d in parsed.dates if d.anchor == "explicit"]
    assert explicit == [(d.text, d.value) for d in plain.mentions if d.anchor == "explicit"]


# ------------------------------------------------------------------ TempEval-3 harness
TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>T1</DOCID>
<DCT><TIMEX3 tid="t0" type="TIME" value="1998-08-07T10:00" temporalFunction="false"
functionInDocument="CREATION_TIME">1998-08-07</TIMEX3></DCT>
<TEXT>Bombs <EVENT eid="e1" class="OCCURRENCE">exploded</EVENT> <TIMEX3 tid="t1" type="DATE"
value="1998-08-07">Friday</TIMEX3>, <TIMEX3 tid="t2" type="DURATION" value="P2D">two days</TIMEX3>
after talks held <TIMEX3 tid="t3" type="DATE" value="1998-08">early this month</TIMEX3> and
<TIMEX3 tid="t4" type="DATE" value="PRESENT_REF">now</TIMEX3>.</TEXT>
</TimeML>
"""


def test_parse_tml_offsets_and_dct() -> None:
    doc = tempeval.parse_tml(TML, "t1", "TimeBank")
    assert doc.dct == "1998-08-07"
    assert doc.text.startswith("Bombs exploded Friday, two days")
    assert [(t.text, t.type, t.value) for t in doc.timexes] == [
        ("Friday", "DATE", "1998-08-07"),
        ("two days", "DURATION", "P2D"),
        ("early this month", "DATE", "1998-08"),
        ("now", "DATE", "PRESENT_REF"),
    ]
    for t in doc.timexes:
        assert doc.text[t.start : t.end] == t.text
    assert len(doc.dates) == 3


def test_parse_tml_rejects_broken_xml() -> None:
    with pytest.raises(ValueError, match="broken.tml"):
        tempeval.parse_tml("<TimeML><TEXT>x</TimeML>", "broken.tml")


def _mention(doc: tempeval.GoldDoc, phrase: str, value: str | None) -> DateMention:
    start = doc.text.index(phrase)
    return DateMention(phrase, start, start + len(phrase), value, "published")


def test_score_doc_strict_relaxed_value() -> None:
    doc = tempeval.parse_tml(TML, "t1", "TimeBank")
    predicted = [
        _mention(doc, "Friday", "1998-08-07"),  # strict, value right
        _mention(doc, "two days", "1998-08-05"),  # overlaps a DURATION only: not counted
        _mention(doc, "this month", "1998-07"),  # relaxed only, value wrong
        _mention(doc, "talks", "1998-08-01"),  # spurious
    ]
    counts, errors = tempeval.score_doc(doc, predicted)
    assert (counts.n_gold, counts.n_pred) == (3, 3)
    assert (counts.strict, counts.relaxed, counts.value) == (1, 2, 1)
    p, r, f = counts.prf(counts.value)
    assert (round(p, 4), round(r, 4)) == (round(1 / 3, 4), round(1 / 3, 4))
    assert f == pytest.approx(1 / 3)
    kinds = sorted(e[1] for e in errors)
    assert kinds == ["missed", "spurious", "value"]


def test_evaluate_runs_the_extractor_on_a_folder(tmp_path, analyzer: Analyzer) -> None:
    folder = tmp_path / "TBAQ-cleaned" / "TimeBank"
    folder.mkdir(parents=True)
    (folder / "t1.tml").write_text(TML, encoding="utf-8")
    (tmp_path / "TBAQ-cleaned" / "AQUAINT").mkdir()
    seen: list[Article] = []

    def predict(articles: list[Article]):
        seen.extend(articles)
        return analyzer.pipe(articles)

    report = tempeval.evaluate(tmp_path, predict)
    assert [a.published for a in seen] == ["1998-08-07"]
    assert report.n_docs == 1 and report.total.n_gold == 3
    assert report.total.value >= 2  # "Friday" and "now" at least
    assert "TimeBank" in tempeval.format_report(report)


def test_missing_data_is_a_clear_error(tmp_path) -> None:
    from newsledger.errors import DataNotFound

    with pytest.raises(DataNotFound, match="TBAQ-cleaned"):
        list(tempeval.load_corpus(tmp_path))


TEMPEVAL = SHARED / "tempeval3"
#: just under the measured value F1 (see docs/accuracy.md, "Dates (TempEval-3)")
VALUE_F1_FLOOR = 0.80


@pytest.mark.data
def test_tempeval3_value_f1_floor(analyzer: Analyzer) -> None:
    if not (TEMPEVAL / "TBAQ-cleaned").resolve().is_dir():
        pytest.skip(f"TempEval-3 data not found at {TEMPEVAL.resolve()}")
    dates_only = Analyzer(extractors=["dates"])
    dates_only._nlp = analyzer.nlp  # share the loaded pipeline
    report = tempeval.evaluate(TEMPEVAL, lambda articles: dates_only.pipe(articles))
    assert report.n_docs == 256
    p, r, f1 = report.total.prf(report.total.value)
    assert f1 >= VALUE_F1_FLOOR, tempeval.format_report(report)
