"""Across articles: what an attribution or the outlet itself states (``crossdoc.propositions``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_crossdoc_common import (
    dated,
    make_ledger,
    pair_conflicts,
    record,
    report,
)

from newsledger.ledger import claims, conflicts
from newsledger.model import (
    Analysis,
)


def test_outlet_own_casualty_counts_conflict(tmp_path: Path) -> None:
    ledger = make_ledger(
        tmp_path / "l.db",
        report("r1", "2017-04-01", "Two people were killed in a shooting in Chicago on "
                "Saturday night.", site="tribune.example"),
        report("r2", "2017-04-02", "Three people were killed in a shooting in Chicago on "
                "Saturday night, police and witnesses at the scene of the shooting said."),
    )  # fmt: skip
    rows = conflicts.list_conflicts(ledger.con, kind="quantity")
    assert len(rows) == 1
    row = rows[0]
    assert {row["value_a"], row["value_b"]} == {"2", "3"}
    assert "people/killed" in row["explanation"]
    assert {row["source_a"], row["source_b"]} == {"tribune.example", "(the article)"}
    detail = claims.claim_detail(ledger.con, row["claim_a"])
    assert detail is not None
    member = detail.members[0]
    assert member.kind == "outlet"
    assert member.attribution_id.startswith("own-")
    assert member.content is not None
    assert member.content.endswith("in Chicago on Saturday night.")


def test_outlet_counts_skip_subgroups_other_groups_and_tallies(tmp_path: Path) -> None:
    base = "Nine people were injured in a shooting in Chicago on Saturday night."

    def conflicts_of(name: str, second: str, days: int = 1) -> list[dict[str, Any]]:
        ledger = make_ledger(
            tmp_path / f"{name}.db",
            report("r1", "2017-04-01", base),
            report("r2", f"2017-04-{1 + days:02d}", second),
        )  # fmt: skip
        return conflicts.list_conflicts(ledger.con, kind="quantity")

    # a subgroup counted beside the article's total is not a competing total
    assert not conflicts_of("sub", "Five officers were injured in the shooting. " + base)
    # additions are not totals
    more = record(
        "r2", "2017-04-02", "Police said two more people were injured in Chicago.",
        [(["Police"], "said", "two more people were injured in Chicago")],
        [("Police", "organization", []), ("Chicago", "place", [])],
    )  # fmt: skip
    ledger = make_ledger(tmp_path / "more.db", report("r1", "2017-04-01", base), more)
    assert not conflicts.list_conflicts(ledger.con, kind="quantity")
    # a city's tally for the year is not the toll of the shooting
    assert not conflicts_of("tally", "40 people have been injured in Chicago this year. " + base)
    # counts of two different groups are different people
    officers = "Five officers were injured in a shooting in Chicago on Saturday night."
    ledger = make_ledger(
        tmp_path / "groups.db", report("r1", "2017-04-01", officers),
        report("r2", "2017-04-02",
                "Four civilians were injured in a shooting in Chicago on Saturday night."),
    )  # fmt: skip
    assert not conflicts.list_conflicts(ledger.con, kind="quantity")
    # the same story a day later with a different toll is a conflict; ten days later the
    # count belongs to another shooting
    changed = "Seven people were injured in a shooting in Chicago on Saturday night."
    assert len(conflicts_of("changed", changed)) == 1
    assert not conflicts_of("later", changed, days=10)


def test_a_toll_of_an_earlier_year_is_not_the_incident_toll(tmp_path: Path) -> None:
    today = "Two people were killed in a shooting in Chicago on Saturday night."
    ledger = make_ledger(
        tmp_path / "year.db",
        report("r1", "2017-04-01", "In 2009, seven people were killed in a shooting in "
                "Chicago. " + today),
        report("r2", "2017-04-02", today),
    )  # fmt: skip
    assert not conflicts.list_conflicts(ledger.con, kind="quantity")
    ledger = make_ledger(
        tmp_path / "no-year.db",
        report("r1", "2017-04-01", "Seven people were killed in a shooting in Chicago. "
                + today),
        report("r2", "2017-04-02", today),
    )  # fmt: skip
    assert len(conflicts.list_conflicts(ledger.con, kind="quantity")) == 1


def test_an_earlier_season_toll_and_a_nationwide_tally_are_not_the_incident_toll(
    tmp_path: Path,
) -> None:
    today = "Two people were killed in a shooting in Chicago on Saturday night."
    for name, earlier in (
        ("summer", "Last summer, five people were killed in a shooting in Chicago. "),
        ("ago", "Three years ago, six people were killed in a shooting in Chicago. "),
        ("nation", "Nineteen officers have been killed nationwide in shootings. "),
    ):
        ledger = make_ledger(
            tmp_path / f"{name}.db",
            report("r1", "2017-04-01", earlier + today),
            report("r2", "2017-04-02", today),
        )  # fmt: skip
        assert not conflicts.list_conflicts(ledger.con, kind="quantity"), name


def test_related_story_headlines_are_not_the_outlet_toll(tmp_path: Path) -> None:
    today = "Two people were killed in a shooting in Chicago on Saturday night."
    links = ("Police investigated a shooting in Chicago on Saturday night.\nRelated: Seven "
             "killed in shooting at Chicago house party\n" + today)  # fmt: skip
    ledger = make_ledger(
        tmp_path / "links.db",
        report("r1", "2017-04-01", links),
        report("r2", "2017-04-02", "Police investigated. " + today),
    )  # fmt: skip
    assert not conflicts.list_conflicts(ledger.con, kind="quantity")
    # the article's own headline, before its body, is its statement
    ledger = make_ledger(
        tmp_path / "head.db",
        report("r1", "2017-04-01", "Watch video\nSeven killed in Chicago shooting\n"
                "Police investigated a shooting in Chicago on Saturday night."),
        report("r2", "2017-04-02", today),
    )  # fmt: skip
    [row] = conflicts.list_conflicts(ledger.con, kind="quantity")
    assert {row["value_a"], row["value_b"]} == {"7", "2"}


def test_counts_of_another_incident_are_left_out(tmp_path: Path) -> None:
    today = "One person was killed in a shooting in Chicago on Saturday night."

    def quantity_conflicts(name: str, first: Analysis) -> list[dict[str, Any]]:
        second = report("r2", "2017-05-14", today)
        ledger = make_ledger(tmp_path / f"{name}.db", first, second)
        return conflicts.list_conflicts(ledger.con, kind="quantity")

    # a count stated with a day weeks before the article belongs to that day's shooting
    earlier = "The last shooting killed two people in Chicago on Jan. 30. " + today
    first = dated(report("r1", "2017-05-14", earlier), ("Jan. 30", "2017-01-30"))
    assert not quantity_conflicts("day", first)
    assert len(quantity_conflicts("no-day", report("r1", "2017-05-14", earlier))) == 1
    # an attributed tally is not the toll either
    tally = record(
        "r1", "2017-05-14", "Police said 100 people had been killed in Chicago as of June 15.",
        [(["Police"], "said", "100 people had been killed in Chicago as of June 15")],
        [("Police", "organization", []), ("Chicago", "place", [])],
    )  # fmt: skip
    assert not quantity_conflicts("tally", tally)
    # a measure near a casualty word is no count of people (read by the small number reader
    # or with the record's unit)
    feet = "He stood about 50 feet from the man who was killed in Chicago on Saturday night."
    assert not quantity_conflicts("feet", report("r1", "2017-05-14", feet))
    measure = record(
        "r1", "2017-05-14", feet, [], [("Chicago", "place", [])],
        [{"text": "about 50 feet", "value": 50.0, "unit": "feet", "approximate": True}],
    )  # fmt: skip
    assert not quantity_conflicts("feet-unit", measure)


def test_a_count_deep_in_the_story_is_not_the_outlets_toll(tmp_path: Path) -> None:
    filler = "Neighbors gathered on the street and talked about the family for hours. " * 25
    deep = (
        "Two people were killed in a shooting in Chicago on Saturday night. " + filler
        + "Police said one person was killed in a shooting in Chicago on Saturday night."
    )  # fmt: skip
    lead = "Three people were killed in a shooting in Chicago on Saturday night."
    # the lead count (two) conflicts with three; the count 1,800 characters down does not
    rows = pair_conflicts(tmp_path, "deep", deep, lead)
    assert {(r["value_a"], r["value_b"]) for r in rows} <= {("2", "3"), ("3", "2")}
    only_deep = "The mayor spoke on Sunday. " + filler + lead
    one = "One person was killed in a shooting in Chicago on Saturday night."
    assert not pair_conflicts(tmp_path, "only-deep", only_deep, one)


@pytest.mark.parametrize(
    ("second", "values"),
    [
        # a singular victim is the lead's toll of the dead
        ("A man was shot and killed in a shooting in Chicago on Saturday night.", {"1", "2"}),
        # "four people were shot, one fatally": one dead, three wounded
        ("Four people were shot, one fatally, in a shooting in Chicago on Saturday night.",
         {"1", "2"}),
    ],
)  # fmt: skip
def test_lead_toll_without_a_number_of_the_dead(
    tmp_path: Path, second: str, values: set[str]
) -> None:
    first = "Two people were killed in a shooting in Chicago on Saturday night."
    [row] = pair_conflicts(tmp_path, "lead", first, second)
    assert {row["value_a"], row["value_b"]} == values
    assert "people/killed" in row["explanation"]


def test_lead_toll_said_by_someone_else_is_not_the_outlets(tmp_path: Path) -> None:
    text = "Police said a man was shot and killed in Chicago on Saturday night."
    said = record("r2", "2017-04-02", text, [(["Police"], "said", "a man was shot and killed")],
                  [("Chicago", "place", [])])  # fmt: skip
    alone = report("r3", "2017-04-02", "A man was shot and killed in Chicago on Saturday.")
    ledger = make_ledger(tmp_path / "said.db", said, alone)
    kinds = {
        (m.article_id, m.kind)
        for (cid,) in ledger.con.execute("SELECT id FROM claims")
        if (detail := claims.claim_detail(ledger.con, cid)) is not None
        for m in detail.members
    }
    assert ("r2", "outlet") not in kinds  # the police's words, not the outlet's
    assert ("r3", "outlet") in kinds
    # the toll stays the police's claim, and a different toll conflicts with it
    two = report("r1", "2017-04-01", "Two people were killed in Chicago on Saturday night.")
    ledger = make_ledger(tmp_path / "said2.db", two, said)
    [row] = conflicts.list_conflicts(ledger.con, kind="quantity")
    assert {row["source_a"], row["source_b"]} == {"Police", "(the article)"}
    assert {row["value_a"], row["value_b"]} == {"1", "2"}


def test_a_figure_whose_hedge_is_the_cue_belongs_to_the_content(analyzer) -> None:  # type: ignore[no-untyped-def]
    from newsledger.crossdoc.propositions import ArticleFacts, propositions_of
    from newsledger.model import Article

    text = "Police put the crowd at about 5,000. The Harbour Institute estimated 9,500."
    a = next(analyzer.pipe([Article(text, id="h1", published="2026-06-16")]))
    mentions = [(e.id, s, t) for e in a.entities for s, t in e.mentions]
    facts = ArticleFacts(
        "h1", a.text, "2026-06-16", None, a.attributions, a.quantities, a.dates, a.events,
        mentions, {},
    )  # fmt: skip
    [estimate] = [p for p in propositions_of(facts, {}) if p.content == "9,500"]
    assert [(f.value, f.measure) for f in estimate.figures] == [(9500.0, "crowd")]
