"""Figures in the analysis record: values, ranges, hedges, vague counts, units, subsets."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsledger.extract import EXTRACTORS
from newsledger.model import Analysis, Quantity
from newsledger.pipeline import Analyzer


def figures(analyzer: Analyzer, text: str) -> list[Quantity]:
    analysis = analyzer.analyze(text)
    check_record(analysis)
    return analysis.quantities


def check_record(analysis: Analysis) -> None:
    """Offsets index the text, ids run q1, q2, … in text order, JSON stays valid."""
    text = analysis.text
    quantities = analysis.quantities
    assert [q.id for q in quantities] == [f"q{k + 1}" for k in range(len(quantities))]
    assert [q.start for q in quantities] == sorted(q.start for q in quantities)
    ids = {q.id for q in quantities}
    attribution_ids = {a.id for a in analysis.attributions}
    for q in quantities:
        assert 0 <= q.start < q.end <= len(text), q
        assert text[q.start : q.end] == q.text, q
        for v in (q.value, q.value_max):
            assert v is None or (isinstance(v, int | float) and math.isfinite(v)), q
        assert q.part_of is None or (q.part_of in ids and q.part_of != q.id), q
        assert q.attribution is None or q.attribution in attribution_ids, q
    data = analysis.to_dict()
    json.dumps(data, allow_nan=False)  # never Infinity / NaN
    assert Analysis.from_dict(data, text).to_dict() == data


def the(quantities: list[Quantity], text: str) -> Quantity:
    """The one figure whose text contains ``text``."""
    found = [q for q in quantities if text in q.text]
    assert len(found) == 1, (text, [q.text for q in quantities])
    return found[0]


# ------------------------------------------------------------------ the example article


def test_registered_after_attributions() -> None:
    names = list(EXTRACTORS)
    assert names.index("quantities") > names.index("attributions")


def test_seed_article_troops_and_reinforcements(seed: Analysis) -> None:
    check_record(seed)
    troops = the(seed.quantities, "14,000")
    assert troops.text == "an estimated total of 14,000 troops"
    assert troops.value == 14000
    assert troops.value_max is None
    assert troops.unit == "troops"
    assert troops.approximate is True
    assert troops.vague is False
    assert troops.part_of is None
    reinforcements = the(seed.quantities, "3,000")
    assert reinforcements.text == "3,000 reinforcements"
    assert reinforcements.value == 3000
    assert reinforcements.unit == "reinforcements"
    assert reinforcements.approximate is False
    assert reinforcements.part_of == troops.id
    by_id = {a.id: a for a in seed.attributions}
    for q in (troops, reinforcements):
        assert q.attribution is not None
        source = by_id[q.attribution].source
        assert source is not None and source.text == "Ukrainian officials"


def test_seed_article_has_no_dates_as_figures(seed: Analysis) -> None:
    texts = [q.text for q in seed.quantities]
    assert not any("2025" in t or "28" in t for t in texts), texts


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("sentence", "figure", "value", "unit"),
    [
        ("The army lost 14,000 men.", "14,000 men", 14000, "men"),
        ("The fund holds 3.5 million barrels.", "3.5 million barrels", 3_500_000, "barrels"),
        ("Two dozen people waited outside.", "Two dozen people", 24, "people"),
        ("He sent forty-five soldiers.", "forty-five soldiers", 45, "soldiers"),
        ("They found a hundred boats.", "a hundred boats", 100, "boats"),
        ("I want a hundred and two of those.", "a hundred and two", 102, None),
        ("The firm lost 1.2bn last year.", "1.2bn", 1_200_000_000, None),
        ("The city spent $3.5 million on it.", "$3.5 million", 3_500_000, "USD"),
        ("The club paid €40m for him.", "€40m", 40_000_000, "EUR"),
        ("The fine was £1,200.", "£1,200", 1200, "GBP"),
        ("It raised US$3 mln.", "US$3 mln", 3_000_000, "USD"),
        ("The project cost 10 million dollars.", "10 million dollars", 10_000_000, "USD"),
        ("Support fell to 50% this week.", "50%", 50, "percent"),
        ("Support fell to 41 per cent.", "41 per cent", 41, "percent"),
        ("The convoy drove 12 km north.", "12 km", 12, "km"),
        ("It weighed 2 1/2 kg.", "2 1/2 kg", 2.5, "kg"),
        ("Two-thirds of voters agreed.", "Two-thirds of voters", 2 / 3, "voters"),
        ("Zero casualties were reported.", "Zero casualties", 0, "casualties"),
        ("The march drew 12m people.", "12m people", 12_000_000, "people"),
        ("They offered one million US dollars.", "one million US dollars", 1e6, "USD"),
        ("It cost 5 Canadian dollars.", "5 Canadian dollars", 5, "CAD"),
    ],
)
def test_numbers_in_digits_and_words(
    analyzer: Analyzer, sentence: str, figure: str, value: float, unit: str | None
) -> None:
    q = the(figures(analyzer, sentence), figure.split()[0])
    assert q.text == figure
    assert q.value == pytest.approx(value)
    assert q.unit == unit


@pytest.mark.parametrize(
    "sentence",
    [
        "The summit was held in 2025.",
        "On Monday, April 28, 2025, leaders met.",
        "They met on 28 April in Kyiv.",
        "The meeting began at 10:30 and ended at 2 pm.",
        "He spoke at No. 10 on Friday.",
        "Call 555-1234 or +44 20 7946 0958 for details.",
        "The report is dated 2025-04-28.",
        "He came first in the 21st race.",
        "Voyager 2 left the solar system.",
        "Turn to page 5 of Resolution 2231.",
        "The F-16 and the COVID-19 response.",
        "The home side won 3-2.",
        "Results: 1. Unofficial 2. Relative",
        "He was in office between 2015 and 2017.",
        "The 1960s were loud.",
        "Three days ago the talks failed.",
        "The party was held at 619 Waddell Avenue.",
        "The ship sailed from July 13 to 17 of last year.",
    ],
)
def test_not_figures(analyzer: Analyzer, sentence: str) -> None:
    assert figures(analyzer, sentence) == []


def test_unit_across_adjectives_and_of(analyzer: Analyzer) -> None:
    qs = figures(analyzer, "It sent 14,000 North Korean troops and thousands of people fled.")
    assert the(qs, "14,000").text == "14,000 North Korean troops"
    assert the(qs, "14,000").unit == "troops"
    thousands = the(qs, "thousands")
    assert thousands.text == "thousands of people"
    assert thousands.unit == "people"


def test_a_fraction_word_inside_a_compound_is_not_a_fraction(analyzer: Analyzer) -> None:
    q = figures(analyzer, "She shared it with one half-sister.")[0]
    assert q.value == 1


def test_coordinated_figures_share_the_unit(analyzer: Analyzer) -> None:
    qs = figures(analyzer, "They were given 45 and 50 mg of the drug.")
    assert [(q.value, q.unit) for q in qs] == [(45, "mg"), (50, "mg")]


# ------------------------------------------------------------------ ranges


@pytest.mark.parametrize(
    ("sentence", "figure", "lo", "hi", "unit"),
    [
        ("Officials counted 36 to 40 bodies.", "36 to 40 bodies", 36, 40, "bodies"),
        ("Officials counted 36-40 bodies.", "36-40 bodies", 36, 40, "bodies"),
        ("Between 36 and 40 people died.", "Between 36 and 40 people", 36, 40, "people"),
        ("It will cost $3-5 million.", "$3-5 million", 3e6, 5e6, "USD"),
        (
            "It will cost between US$300 and 400 billion.",
            "between US$300 and 400 billion",
            300e9,
            400e9,
            "USD",
        ),
        ("Two or three cars burned.", "Two or three cars", 2, 3, "cars"),
        ("They gave 44 mg to 50 mg daily.", "44 mg to 50 mg", 44, 50, "mg"),
        ("Temperatures ranged from -18 to -34 degrees.", "from -18 to -34 degrees", -34, -18, None),
    ],
)
def test_ranges(
    analyzer: Analyzer, sentence: str, figure: str, lo: float, hi: float, unit: str | None
) -> None:
    qs = figures(analyzer, sentence)
    assert len(qs) == 1, [q.text for q in qs]
    q = qs[0]
    assert q.text == figure
    assert (q.value, q.value_max) == (pytest.approx(lo), pytest.approx(hi))
    if unit is not None:
        assert q.unit == unit


def test_a_change_is_not_a_range(analyzer: Analyzer) -> None:
    qs = figures(analyzer, "Prices rose from 10 to 20 percent.")
    assert [(q.value, q.value_max, q.unit) for q in qs] == [
        (10, None, "percent"),
        (20, None, "percent"),
    ]


# ------------------------------------------------------------------ hedges


@pytest.mark.parametrize(
    ("sentence", "figure", "value", "value_max"),
    [
        ("An estimated 5,000 people fled.", "An estimated 5,000 people", 5000, None),
        ("It sent an estimated total of 900 tanks.", "an estimated total of 900 tanks", 900, None),
        ("About 300 people came.", "About 300 people", 300, None),
        ("Around 300 people came.", "Around 300 people", 300, None),
        ("Roughly 300 people came.", "Roughly 300 people", 300, None),
        ("Nearly 300 people came.", "Nearly 300 people", 300, None),
        ("Almost 300 people came.", "Almost 300 people", 300, None),
        ("Some 300 people came.", "Some 300 people", 300, None),
        ("Approximately 300 people came.", "Approximately 300 people", 300, None),
        # lower bounds: value is the bound, value_max stays null
        ("At least 300 people came.", "At least 300 people", 300, None),
        ("More than 300 people came.", "More than 300 people", 300, None),
        ("Over 300 people came.", "Over 300 people", 300, None),
        ("Police said 300 people or more came.", "300 people or more", 300, None),
        # upper bounds: value is null, value_max is the bound
        ("Up to 300 people came.", "Up to 300 people", None, 300),
        ("Fewer than 300 people came.", "Fewer than 300 people", None, 300),
    ],
)
def test_hedges(
    analyzer: Analyzer, sentence: str, figure: str, value: float | None, value_max: float | None
) -> None:
    qs = figures(analyzer, sentence)
    assert len(qs) == 1, [q.text for q in qs]
    q = qs[0]
    assert q.text == figure
    assert q.approximate is True
    assert q.vague is False
    assert (q.value, q.value_max) == (value, value_max)


def test_a_total_of_is_kept_but_not_hedged(analyzer: Analyzer) -> None:
    q = the(figures(analyzer, "A total of 300 people came."), "300")
    assert q.text == "A total of 300 people"
    assert q.approximate is False


def test_exact_figure_is_not_approximate(analyzer: Analyzer) -> None:
    q = the(figures(analyzer, "The ministry said 300 people came."), "300")
    assert (q.approximate, q.vague, q.value_max) == (False, False, None)


# ------------------------------------------------------------------ vague counts


@pytest.mark.parametrize(
    ("sentence", "figure", "value", "unit"),
    [
        ("Dozens of people were hurt.", "Dozens of people", 12, "people"),
        ("Hundreds of soldiers left.", "Hundreds of soldiers", 100, "soldiers"),
        ("Thousands of civilians fled.", "Thousands of civilians", 1000, "civilians"),
        ("Tens of thousands of people marched.", "Tens of thousands of people", 10_000, "people"),
        (
            "Hundreds of thousands of people marched.",
            "Hundreds of thousands of people",
            1e5,
            "people",
        ),
        ("Scores of people were arrested.", "Scores of people", 20, "people"),
        ("Several soldiers were wounded.", "Several soldiers", 3, "soldiers"),
        ("A few tanks remained.", "A few tanks", 2, "tanks"),
        ("Several hundred protesters gathered.", "Several hundred protesters", 300, "protesters"),
    ],
)
def test_vague_counts(
    analyzer: Analyzer, sentence: str, figure: str, value: float, unit: str
) -> None:
    qs = figures(analyzer, sentence)
    assert len(qs) == 1, [q.text for q in qs]
    q = qs[0]
    assert q.text == figure
    assert q.vague is True
    assert q.value == value
    assert q.unit == unit


@pytest.mark.parametrize(
    "sentence", ["Several said no.", "He tried several times.", "Scores rose sharply."]
)
def test_vague_words_that_count_nothing(analyzer: Analyzer, sentence: str) -> None:
    assert figures(analyzer, sentence) == []


def test_approximate_vague_count(analyzer: Analyzer) -> None:
    q = figures(analyzer, "About a dozen people were hurt.")[0]
    assert (q.text, q.value, q.approximate, q.vague) == ("About a dozen people", 12, True, False)


# ------------------------------------------------------------------ killed or injured


@pytest.mark.parametrize(
    ("sentence", "figure", "unit"),
    [
        ("At least 12 were killed or injured.", "At least 12", "killed or injured"),
        ("40 people were killed or wounded.", "40 people", "people killed or wounded"),
        ("The blast killed or injured 40 people.", "40 people", "people killed or injured"),
        ("Twenty civilians were killed, injured or captured.", "Twenty civilians", None),
    ],
)
def test_killed_or_injured_is_one_count(
    analyzer: Analyzer, sentence: str, figure: str, unit: str | None
) -> None:
    qs = figures(analyzer, sentence)
    assert len(qs) == 1
    q = qs[0]
    assert q.text == figure
    if unit is None:
        assert q.unit == "civilians killed, injured or captured"
    else:
        assert q.unit == unit
    assert q.unit != "killed" and not q.unit.endswith(" killed")


def test_killed_and_injured_stay_two_counts(analyzer: Analyzer) -> None:
    qs = figures(analyzer, "Officials said it killed nine people and injured 50 more.")
    assert [(q.value, q.unit) for q in qs] == [(9, "people"), (50, None)]


# ------------------------------------------------------------------ subsets


@pytest.mark.parametrize(
    ("sentence", "whole", "part"),
    [
        ("It sent 14,000 troops, including 3,000 reinforcements.", "14,000", "3,000"),
        ("Some 40 people died, 12 of whom were children.", "40", "12"),
        ("The raid freed 30 hostages, among them 5 children.", "30", "5"),
        ("They seized 200 rifles, of which 50 were new.", "200", "50"),
        ("Of the 50 dead, 20 were children.", "50", "20"),
        ("Police said 3 of the 40 victims were children.", "40", "3"),
    ],
)
def test_subsets(analyzer: Analyzer, sentence: str, whole: str, part: str) -> None:
    qs = figures(analyzer, sentence)
    w, p = the(qs, whole), the(qs, part)
    assert p.part_of == w.id
    assert w.part_of is None


def test_conjoined_parts_share_the_whole(analyzer: Analyzer) -> None:
    qs = figures(
        analyzer, "It sent 14,000 troops, including 3,000 reinforcements and 500 officers."
    )
    whole = the(qs, "14,000")
    assert the(qs, "3,000").part_of == whole.id
    assert the(qs, "500").part_of == whole.id


def test_unrelated_figures_are_not_parts(analyzer: Analyzer) -> None:
    qs = figures(analyzer, "It sent 14,000 troops. Later 3,000 reinforcements arrived.")
    assert all(q.part_of is None for q in qs)


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    "text",
    [
        "10^100 troops",
        "1,2,3 troops",
        "1e999 troops",
        "9" * 400 + " troops",
        "10^99999 troops",
        "$1e999 million",
        "1,000,000,000,000,000,000,000,000,000 billion trillion people",
        "20/2030 and",
        "1 '2",
        "$99(",
        "($99",
        "- - 5 -- 6 to to 7 between and",
    ],
)
def test_bad_numbers_never_crash_or_break_json(analyzer: Analyzer, text: str) -> None:
    analysis = analyzer.analyze(text)
    check_record(analysis)
    for q in analysis.quantities:
        assert q.value is None or math.isfinite(q.value)


def test_overflowing_values_become_null(analyzer: Analyzer) -> None:
    qs = figures(analyzer, "They claimed 1e999 troops and 10^100 tanks.")
    assert the(qs, "1e999").value is None
    assert the(qs, "10^100").value == pytest.approx(1e100)


def test_without_attributions_step(analyzer: Analyzer) -> None:
    bare = Analyzer(extractors=["quantities"])
    bare._nlp = analyzer.nlp  # share the loaded pipeline
    analysis = bare.analyze("Officials said 300 people came.")
    check_record(analysis)
    assert analysis.quantities[0].attribution is None


# ------------------------------------------------------------------ properties

WORDS = [
    "14,000",
    "3,000",
    "3.5",
    "million",
    "bn",
    "$",
    "€",
    "£",
    "%",
    "percent",
    "two",
    "dozen",
    "forty",
    "-",
    "five",
    "a",
    "hundred",
    "and",
    "to",
    "between",
    "about",
    "at least",
    "up to",
    "dozens",
    "of",
    "thousands",
    "several",
    "a few",
    "troops",
    "people",
    "killed",
    "or",
    "injured",
    "including",
    "of whom",
    "among them",
    ",",
    ".",
    "2025",
    "April",
    "28",
    "10:30",
    "No.",
    "10",
    "1e999",
    "10^100",
    "1,2,3",
    "36-40",
    "½",
    "1/4",
    "one",
    "(",
    ")",
    "said",
    "Kim",
    "\n",
    "–",
    "9" * 30,
    "killed or wounded",
    "several hundred",
    "m",
]
number_texts = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)
glued_texts = st.lists(st.sampled_from(WORDS), max_size=30).map("".join)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=st.one_of(number_texts, glued_texts))
def test_figures_always_index_the_text(analyzer: Analyzer, text: str) -> None:
    check_record(analyzer.analyze(text))


def test_a_hyphenated_modifier_is_not_the_counted_noun(analyzer: Analyzer) -> None:
    text = "Nine of the 22 ship-to-shore cranes were idle, the port said."
    quantities = {q.text: q for q in analyzer.analyze(text).quantities}
    crane = quantities["22 ship-to-shore cranes"]
    assert crane.unit == "cranes" and text[crane.start : crane.end] == crane.text
