"""Across articles: figures, their intervals (``extract.figures``), the tolerance between them
(``crossdoc.figures``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from test_crossdoc_common import (
    A1,
    A2,
    make_ledger,
    pair_conflicts,
    record,
    report,
)

from newsledger.crossdoc.claims import count_key
from newsledger.embed import Embedder
from newsledger.extract.figures import contrast_cue, figure_context, interval
from newsledger.ledger import conflicts
from newsledger.ledger.claims import ClaimIndex
from newsledger.model import (
    Analysis,
)


def test_quantity_conflict_14000_vs_11000(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path / "l.db", A1, A2)
    rows = conflicts.list_conflicts(ledger.con, kind="quantity")
    assert len(rows) == 1
    row = rows[0]
    assert {row["value_a"], row["value_b"]} == {"14,000", "11,000"}
    assert {row["attribution_a"], row["attribution_b"]} == {"a1:a1", "a2:a1"}
    assert {row["source_a"], row["source_b"]} == {
        "Ukrainian officials",
        "National Intelligence Service",
    }
    assert "troops/total" in row["explanation"]


@pytest.mark.parametrize(
    ("first", "second", "conflict"),
    [
        ("1,000 to 3,000", "at least 1,500", False),  # ranges overlap
        ("about 12,000", "12,400", False),  # within the approximation
        ("about 12,000", "about 11,000", True),  # both rounded to thousands, different
        ("3,000", "at least 1,500", True),  # a minimum far below
        ("roughly 4,700", "4,650", False),
    ],
)
def test_tolerance(tmp_path: Path, first: str, second: str, conflict: bool) -> None:
    def rec(aid: str, who: str, figure: str) -> Analysis:
        text = f"{who} said that {figure} soldiers had been sent to Russia."
        return record(aid, "2025-04-21", text,
                      [([who], "said", f"that {figure} soldiers had been sent to Russia")],
                      [(who, "organization", []), ("Russia", "place", [])])  # fmt: skip

    ledger = make_ledger(tmp_path / "l.db", rec("x1", "Kyiv", first), rec("x2", "Seoul", second))
    assert bool(conflicts.list_conflicts(ledger.con, kind="quantity")) is conflict


def test_record_quantities_are_used_with_their_flags(tmp_path: Path) -> None:
    def rec(aid: str, who: str, text_figure: str, **q: Any) -> Analysis:
        text = f"{who} said {text_figure} soldiers were sent to Russia."
        content = f"{text_figure} soldiers were sent to Russia"
        quantity = {"text": text_figure, "attribution": "a1", "unit": "soldiers", **q}
        return record(
            aid, "2025-04-21", text, [([who], "said", content)],
            [(who, "organization", []), ("Russia", "place", [])], [quantity],
        )  # fmt: skip

    vague = make_ledger(
        tmp_path / "v.db",
        rec("v1", "Kyiv", "thousands of", value=2000, vague=True),
        rec("v2", "Seoul", "3,000", value=3000),
    )
    assert not conflicts.list_conflicts(vague.con)
    exact = make_ledger(tmp_path / "e.db", rec("v1", "Kyiv", "2,000", value=2000),
                        rec("v2", "Seoul", "3,000", value=3000))  # fmt: skip
    assert len(conflicts.list_conflicts(exact.con, kind="quantity")) == 1


def test_interval_documented_tolerance() -> None:
    assert interval(12000, None, approximate=True, vague=False, bound=None) == (11550, 12450)
    lo, hi = interval(1500, None, approximate=False, vague=False, bound="lower")
    assert (lo, hi) == (1500, 2250)
    assert interval(100, None, approximate=False, vague=False, bound=None) == (99, 101)


def test_counts_after_a_killing_or_wounding_verb_conflict(tmp_path: Path) -> None:
    # no "killed"/"injured" after the count: the verb before it says what it counts
    ledger = make_ledger(
        tmp_path / "active.db",
        report("r1", "2017-04-01", "A gunman opened fire at a party in Chicago on Saturday "
                "night, wounding three others."),
        report("r2", "2017-04-02", "A gunman opened fire at a party in Chicago on Saturday "
                "night, wounding at least five others."),
    )  # fmt: skip
    [row] = conflicts.list_conflicts(ledger.con, kind="quantity")
    assert "people/injured" in row["explanation"]
    assert {row["value_a"], row["value_b"]} == {"3", "5"}
    # "killing two people" is a killed count, not an injured one
    ledger = make_ledger(
        tmp_path / "kill.db",
        report("r1", "2017-04-01", "A gunman opened fire in Chicago on Saturday night, "
                "killing two people."),
        report("r2", "2017-04-02", "Three people were killed in a shooting in Chicago on "
                "Saturday night."),
    )  # fmt: skip
    [row] = conflicts.list_conflicts(ledger.con, kind="quantity")
    assert "people/killed" in row["explanation"]


def test_people_treated_are_an_injured_count(tmp_path: Path) -> None:
    # "treated 31 people": those a hospital treats are the injured, whoever counts them
    ledger = make_ledger(
        tmp_path / "treated.db",
        report("r1", "2017-04-01", "A ferry ran aground off Naxos on Monday night. The "
                "coast guard said 23 people were injured."),
        report("r2", "2017-04-02", "A ferry ran aground off Naxos on Monday night. The "
                "island's health centre said it had treated 31 people."),
    )  # fmt: skip
    [row] = conflicts.list_conflicts(ledger.con, kind="quantity")
    assert "people/injured" in row["explanation"]
    assert {row["value_a"], row["value_b"]} == {"23", "31"}


def test_counts_joined_by_and_are_one_count_of_people(tmp_path: Path) -> None:
    def quantity_conflicts(name: str, first: str, second: str) -> list[dict[str, Any]]:
        return pair_conflicts(tmp_path, name, first, second)

    joined = "Three women and one man were injured in a shooting in Chicago on Saturday night."
    # "three women and one man": four people, not three women against four people
    assert not quantity_conflicts(
        "same", joined, "Four people were injured in a shooting in Chicago on Saturday night."
    )
    [row] = quantity_conflicts(
        "other", joined, "Six people were injured in a shooting in Chicago on Saturday night."
    )
    assert {row["value_a"], row["value_b"]} == {"4", "6"}
    # two counts of one facet in separate clauses are not added up
    assert len(quantity_conflicts(
        "clauses",
        "Two people were killed in a shooting in Chicago on Saturday night, and three people "
        "were killed in a crash in Chicago on Sunday.",
        "Five people were killed in a shooting in Chicago on Saturday night.",
    )) == 1  # fmt: skip


def test_counts_without_a_noun_and_the_word_that_follows_them(tmp_path: Path) -> None:
    def quantity_conflicts(name: str, first: str, second: str) -> list[dict[str, Any]]:
        return pair_conflicts(tmp_path, name, first, second)

    # "two dead and five wounded": counts of people without a noun; each its own facet
    [row] = quantity_conflicts(
        "bare",
        "A shooting in Chicago on Saturday night left two dead and five wounded.",
        "Two people were killed and three people were injured in a shooting in Chicago on "
        "Saturday night.",
    )
    assert "people/injured" in row["explanation"]
    assert {row["value_a"], row["value_b"]} == {"5", "3"}
    # "one killed, four injured": "killed" is not the verb of "four"
    [row] = quantity_conflicts(
        "headline",
        "One killed, four injured in a shooting in Chicago on Saturday night.",
        "One person was killed and six people were injured in a shooting in Chicago on "
        "Saturday night.",
    )
    assert "people/injured" in row["explanation"]
    assert {row["value_a"], row["value_b"]} == {"4", "6"}
    # "three people are dead and four more are injured": a killed count, not killed or injured
    [row] = quantity_conflicts(
        "first-word",
        "Three people are dead and four more are injured after a shooting in Chicago on "
        "Saturday night.",
        "Two people were killed in a shooting in Chicago on Saturday night.",
    )
    assert "people/killed:" in row["explanation"]


def test_one_of_a_pair_told_apart_is_a_part(tmp_path: Path) -> None:
    total = "Two people were wounded in a shooting in Chicago on Saturday night."
    scene = "Police responded to a shooting in Chicago on Saturday night. "
    ledger = make_ledger(
        tmp_path / "pair.db",
        report("r1", "2017-04-01", total),
        report("r2", "2017-04-02", scene + "One person was wounded in the foot, and the "
                "other was wounded in the leg."),
    )  # fmt: skip
    assert not conflicts.list_conflicts(ledger.con, kind="quantity")
    ledger = make_ledger(
        tmp_path / "one.db",
        report("r1", "2017-04-01", total),
        report("r2", "2017-04-02", scene + "One person was wounded in the foot."),
    )  # fmt: skip
    assert len(conflicts.list_conflicts(ledger.con, kind="quantity")) == 1


def test_a_count_without_a_number_allows_up_to_ten_times_its_reading(tmp_path: Path) -> None:
    where = " people were injured in a shooting in Chicago on Saturday night."

    def report(aid: str, count: str, value: int, vague: bool = False) -> Analysis:
        quantity = {"text": count + " people", "value": value, "unit": "people", "vague": vague}
        return record(aid, "2017-04-01", count + where, [], [("Chicago", "place", [])],
                      [quantity])  # fmt: skip

    def count(name: str, other: str, value: int) -> int:
        ledger = make_ledger(
            tmp_path / f"{name}.db", report("r1", "Several", 3, vague=True),
            report("r2", other, value),
        )  # fmt: skip
        return len(conflicts.list_conflicts(ledger.con, kind="quantity"))

    assert count("nine", "Nine", 9) == 0  # "several" (at least three) does not deny nine
    assert count("forty", "Forty", 40) == 1  # … but it is not forty
    assert count("two", "Two", 2) == 1  # … nor two


def test_an_age_after_a_name_is_no_count(tmp_path: Path) -> None:
    content = ("the gunman killed two people -- Renee Benjamin and Brian Sadowsky, 44 -- and "
               "injured 14 others in Chicago on Saturday night")  # fmt: skip
    first = record(
        "r1", "2017-05-14", f"Police said {content}.", [(["Police"], "said", content)],
        [("Police", "organization", []), ("Chicago", "place", [])],
    )  # fmt: skip
    second = report("r2", "2017-05-14", "Two people were killed and 14 others were injured "
                     "in a shooting in Chicago on Saturday night.")  # fmt: skip
    ledger = make_ledger(tmp_path / "age.db", first, second)
    assert not conflicts.list_conflicts(ledger.con, kind="quantity")


def test_a_partitive_count_is_a_part(tmp_path: Path) -> None:
    ledger = make_ledger(
        tmp_path / "of.db",
        report("r1", "2017-04-01", "Five people were shot in Chicago on Saturday night. Three "
                "of those victims were killed, police said."),
        report("r2", "2017-04-02", "Two people were killed in a shooting in Chicago on "
                "Saturday night."),
    )  # fmt: skip
    assert not conflicts.list_conflicts(ledger.con, kind="quantity")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # an enumeration: four men and a woman are five people
        (
            "Four men and a woman were wounded in a shooting in Chicago on Saturday night.",
            "Five people were wounded in a shooting in Chicago on Saturday night.",
        ),
        # "a girl and two men": three
        (
            "A shooting in Chicago on Saturday night left a 10-year-old girl and two men wounded.",
            "Three people were wounded in a shooting in Chicago on Saturday night.",
        ),
        # "three died … and a fourth": four
        (
            "Three men died at the scene of a shooting in Chicago on Saturday night and a fourth "
            "died at a hospital.",
            "Four people were killed in a shooting in Chicago on Saturday night.",
        ),
        # others of the same facet add up: one critically hurt and three others injured
        (
            "One man is in critical condition and three others are injured after a shooting in "
            "Chicago on Saturday night.",
            "Four people were injured in a shooting in Chicago on Saturday night.",
        ),
        # the dead "including the gunman" against the victims killed
        (
            "Seven people are dead, including the gunman, after a shooting in Chicago on "
            "Saturday night.",
            "Six people were killed in a shooting in Chicago on Saturday night.",
        ),
        # a named group is most often a part of the toll: "four women" of five killed
        (
            "Four women were killed in a shooting in Chicago on Saturday night.",
            "Five people were killed in a shooting in Chicago on Saturday night.",
        ),
        (
            "Four officers were wounded in a shooting in Chicago on Saturday night.",
            "Three officers were wounded in a shooting in Chicago on Saturday night.",
        ),
        (
            "At least 13 people were killed in a shooting in Chicago on Saturday night. The "
            "suspected shooter is among the dead.",
            "Twelve people were killed in a shooting in Chicago on Saturday night.",
        ),
        # a decade of life is no count
        (
            "One woman in her 20's was killed in a shooting in Chicago on Saturday night.",
            "One person was killed in a shooting in Chicago on Saturday night.",
        ),
    ],
)
def test_counts_read_as_the_articles_mean_them(tmp_path: Path, first: str, second: str) -> None:
    assert not pair_conflicts(tmp_path, "agree", first, second)


def test_counts_by_condition_and_tallies_are_no_tolls(tmp_path: Path) -> None:
    lead = "Five people were injured in a shooting in Chicago on Saturday night."
    # two "in critical condition" are a part of the five, not a competing toll
    assert not pair_conflicts(
        tmp_path, "condition", lead,
        "Five people were hurt in a shooting in Chicago on Saturday night. Police said two "
        "victims remain hospitalized in critical condition.",
    )  # fmt: skip
    # a city-wide tally of several shootings is not the incident's toll
    assert not pair_conflicts(
        tmp_path, "tally", lead,
        "Twelve people were wounded in shootings across Chicago on Saturday night.",
    )  # fmt: skip
    # a toll taken back ("initially said") is not the article's count
    assert not pair_conflicts(
        tmp_path, "early", "One person was killed in a shooting in Chicago on Saturday night.",
        "Police initially said two people were killed in a shooting in Chicago on Saturday "
        "night.",
    )  # fmt: skip


def test_others_after_a_fatal_wounding_are_not_added(tmp_path: Path) -> None:
    fatal = ("A shooting in Chicago on Saturday night fatally wounded a 17-year-old boy and "
             "injured five others.")  # fmt: skip
    same = "Five people were injured in a shooting in Chicago on Saturday night."
    assert not pair_conflicts(tmp_path, "fatally", fatal, same)


def test_others_of_another_facet_are_not_added(tmp_path: Path) -> None:
    # "one killed and four others wounded": four injured; against five injured, a conflict
    [row] = pair_conflicts(
        tmp_path, "others",
        "One person was killed and four others were wounded in a shooting in Chicago on "
        "Saturday night.",
        "Five people were wounded in a shooting in Chicago on Saturday night.",
    )  # fmt: skip
    assert {row["value_a"], row["value_b"]} == {"4", "5"}


def test_what_two_figures_count_is_plainly_one_or_left_to_meaning() -> None:
    from newsledger.crossdoc.figures import same_counted

    assert same_counted("vessels", "vessel") is True
    assert same_counted("people", "victims") is True  # both persons
    assert same_counted("shots", "victims") is False  # their meaning decides (far apart)
    assert same_counted("vessels", "ships") is False  # ... or close (synonyms)
    assert same_counted("number", "wells") is None  # "the same number, 214"
    assert same_counted(None, "wells") is None


def test_an_address_is_no_count() -> None:
    from newsledger.extract.figures import build_figure

    text = "Police said the shooting happened in the 3200 block of West Polk Street."
    start = text.index("3200")
    fields = {"value": 3200.0, "unit": "block"}
    assert build_figure(text, start, start + 4, len(text), fields) is None
    text = "The crowd walked 12 blocks to the square."
    start = text.index("12")
    fields = {"value": 12.0, "unit": "blocks", "measure": "block walk"}
    assert build_figure(text, start, start + 2, len(text), fields) is not None


def test_two_different_things_counted_are_not_one_measure(tmp_path: Path) -> None:
    rows = pair_conflicts(
        tmp_path, "things",
        "Police said the gunman fired 12 shots at the crowd on Main Street.",
        "Police said the gunman wounded six victims of the shooting on Main Street.",
    )  # fmt: skip
    assert not rows


@pytest.mark.parametrize(
    ("sentence", "figure", "cue"),
    [
        ("The group said 600 tonnes leaked, more than three times the amount given by the "
         "operator.", "600 tonnes", True),
        ("The consortium put the overrun at C$260 million, well below the auditor general's "
         "number.", "C$260 million", True),
        ("The union said 1,100 families were evicted, more than double the number published "
         "by the city.", "1,100 families", True),
        ("A committee said 70 people were missing, accusing the authorities of playing down "
         "the disaster.", "70 people", True),
        ("The gang demands 5 million euros, far more than the sum officials have disclosed.",
         "5 million euros", True),
        # a comparison with nothing another source gave is none
        ("More than 1,100 pharmacies took part in the survey.", "1,100 pharmacies", False),
        ("The river rose 2 metres above its banks.", "2 metres", False),
    ],
)  # fmt: skip
def test_a_figure_set_against_another_sources(sentence: str, figure: str, cue: bool) -> None:
    s = sentence.index(figure)
    assert contrast_cue(sentence, s, s + len(figure)) is cue


def test_a_figure_context_masks_its_number() -> None:
    text = "Background. The trust said on Thursday that 236 procedures were put off. Next."
    s = text.index("236")
    context = figure_context(text, s, s + len("236 procedures"))
    assert "236" not in context and "N procedures were put off" in context
    assert "Background" not in context and "Next" not in context


@pytest.mark.skipif(not Embedder.available(), reason="sentence-embedding weights absent")
def test_measures_are_compared_with_what_their_clauses_say() -> None:
    """One measure in other words, told of one event, stays close; the same noun under two
    clauses about two things parts."""
    index = ClaimIndex(sqlite3.connect(":memory:"), Embedder())

    def fig(measure: str, counted: str, context: str) -> dict[str, Any]:
        return {"measure": measure, "counted": counted, "context": context}

    closed = fig("beach closed", "beaches", "health officials said N beaches remain closed "
                 "on the lake because of the algae bloom")  # fmt: skip
    shut = fig("beach shut", "beaches", "the network said N beaches on the lake were shut by "
               "the algae bloom as of Monday")  # fmt: skip
    came = fig("people come", "people", "Some N people came ashore on the island in those three "
               "days, the charity said")  # fmt: skip
    left = fig("people empty", "people", "The crowded reception centre had emptied to about N "
               "people by Friday, the prefecture said")  # fmt: skip
    assert index.measure_similarity(closed, shut) >= 0.55
    assert index.measure_similarity(came, left) < 0.55
    # the measures alone would make the arrivals and the people left one count
    assert index.measure_similarity({**came, "context": ""}, {**left, "context": ""}) >= 0.55


def test_a_part_of_anything_counted_counts_its_things() -> None:
    assert count_key("m/part") == "m/total"
    assert count_key("m/total") == "m/total"
    assert count_key("people/part") == "people/part"  # "three of the victims" stays a part
