"""Across articles: conflicts between claims (``crossdoc.conflicts``, ``ledger.conflicts``)."""

from __future__ import annotations

from pathlib import Path

from test_crossdoc_common import (
    C1,
    D1,
    dated,
    make_ledger,
    pair_conflicts,
    record,
    report,
)

from newsledger.ledger import conflicts
from newsledger.model import (
    Analysis,
)


def test_denial_conflict(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path / "l.db", C1, D1)
    rows = conflicts.list_conflicts(ledger.con, kind="denial")
    assert len(rows) == 1
    assert {rows[0]["attribution_a"], rows[0]["attribution_b"]} == {"c1:a1", "d1:a1"}
    assert "killed_or_injured" in rows[0]["explanation"]
    # a denial published before the figures does not answer them
    early = make_ledger(tmp_path / "e.db", record(
        "d0", "2025-04-10", D1.text, [(["Pyongyang"], "dismissed",
        "the HUR casualty figures for North Korean soldiers as a fabrication from start to "
        "finish")], [("Pyongyang", "place", []), ("HUR", "organization", [])]), C1)  # fmt: skip
    assert not conflicts.list_conflicts(early.con, kind="denial")


def test_date_conflict(tmp_path: Path) -> None:
    def rec(aid: str, who: str, when: str) -> Analysis:
        text = f"{who} said the troops began arriving in Russia {when}."
        return record(aid, "2025-04-21", text,
                      [([who], "said", f"the troops began arriving in Russia {when}")],
                      [(who, "organization", []), ("Russia", "place", [])])  # fmt: skip

    ledger = make_ledger(tmp_path / "l.db", rec("t1", "Kyiv", "in October"),
                         rec("t2", "Seoul", "in early November"),
                         rec("t3", "Washington", "in late October"))  # fmt: skip
    rows = conflicts.list_conflicts(ledger.con, kind="date")
    pairs = {frozenset((r["attribution_a"][:2], r["attribution_b"][:2])) for r in rows}
    # October vs early November and late October vs early November; October ⊃ late October
    assert pairs == {frozenset(("t1", "t2")), frozenset(("t2", "t3"))}


def test_figures_of_different_stories_do_not_conflict(tmp_path: Path) -> None:
    def rec(aid: str, published: str, city: str, figure: str) -> Analysis:
        text = f"Police said {figure} people were killed in {city}."
        return record(aid, published, text,
                      [(["Police"], "said", f"{figure} people were killed in {city}")],
                      [("Police", "organization", []), (city, "place", [])])  # fmt: skip

    other_city = make_ledger(
        tmp_path / "a.db", rec("s1", "2017-04-01", "Chicago", "two"),
        rec("s2", "2017-04-02", "Houston", "three"),
    )  # fmt: skip
    assert not conflicts.list_conflicts(other_city.con)
    months_apart = make_ledger(
        tmp_path / "b.db", rec("s1", "2017-01-01", "Chicago", "two"),
        rec("s2", "2017-04-02", "Chicago", "three"),
    )  # fmt: skip
    assert not conflicts.list_conflicts(months_apart.con)
    same_story = make_ledger(
        tmp_path / "c.db", rec("s1", "2017-04-01", "Chicago", "two"),
        rec("s2", "2017-04-02", "Chicago", "three"),
    )  # fmt: skip
    rows = conflicts.list_conflicts(same_story.con, kind="quantity")
    assert len(rows) == 1 and "people/killed" in rows[0]["explanation"]


def test_conflict_between_articles_preferred_to_one_within_an_article(tmp_path: Path) -> None:
    text = ("Police said 15 people were injured in a shooting in Chicago. "
            "Doctors said eight people were injured in a shooting in Chicago.")  # fmt: skip
    first = record(
        "w1", "2017-04-01", text,
        [(["Police"], "said", "15 people were injured in a shooting in Chicago"),
         (["Doctors"], "said", "eight people were injured in a shooting in Chicago")],
        [("Police", "organization", []), ("Doctors", "group", []), ("Chicago", "place", [])],
    )  # fmt: skip
    alone = make_ledger(tmp_path / "a.db", first)
    [row] = conflicts.list_conflicts(alone.con, kind="quantity")
    assert {row["attribution_a"], row["attribution_b"]} == {"w1:a1", "w1:a2"}
    second = report("w2", "2017-04-01", "Eight people were injured in a shooting in Chicago.")
    both = make_ledger(tmp_path / "b.db", first, second)
    [row] = conflicts.list_conflicts(both.con, kind="quantity")
    assert row["attribution_a"] == "w1:a1"
    assert row["attribution_b"].startswith("w2:own-")


def test_tolls_of_shootings_on_different_days_are_not_compared(tmp_path: Path) -> None:
    first = dated(
        report("r1", "2017-11-12", "Two people were killed at a house party in Houston on "
                "Saturday."),
        ("Saturday", "2017-11-11"),
    )  # fmt: skip

    def second(published: str, day: str) -> Analysis:
        return dated(
            report("r2", published, "One person was killed at a house party in Houston on "
                    "Saturday."),
            ("Saturday", day),
        )  # fmt: skip

    # a week later, another Saturday: another shooting
    ledger = make_ledger(tmp_path / "week.db", first, second("2017-11-18", "2017-11-18"))
    assert not conflicts.list_conflicts(ledger.con, kind="quantity")
    # the next day, the same Saturday: the same shooting, two tolls
    ledger = make_ledger(tmp_path / "same.db", first, second("2017-11-13", "2017-11-11"))
    assert len(conflicts.list_conflicts(ledger.con, kind="quantity")) == 1


def test_one_disagreement_between_two_articles_is_recorded_once(tmp_path: Path) -> None:
    repeated = (
        "Two people were killed in a shooting in Chicago on Saturday night. Police said two "
        "people were killed when a man opened fire in Chicago on Saturday night."
    )
    rows = pair_conflicts(
        tmp_path, "once", repeated,
        "Three people were killed in a shooting in Chicago on Saturday night.",
    )  # fmt: skip
    assert len(rows) == 1


def test_conflict_confidence_weighs_reading_clarity_gap_and_time() -> None:
    from newsledger.crossdoc.conflicts import (
        conflict_confidence,
        days_apart,
        figure_clarity,
        separation,
    )

    exact = {"approximate": False, "vague": False, "bound": None}
    assert figure_clarity(exact) == 1.0
    assert figure_clarity({**exact, "bound": "lower"}) < 1.0  # "at least 14"
    assert figure_clarity({**exact, "vague": True}) < figure_clarity({**exact, "approximate": True})
    assert separation((14_000, 14_000), (11_000, 11_000)) == 1.0
    close = separation((1_000, 1_000), (1_020, 1_020))
    assert 0.7 <= close < 0.8
    assert separation((1, 1), (2, 2)) == 1.0  # one against two: clearly apart
    assert days_apart("2025-04-01", "2025-04-03T10:00:00") == 2
    assert days_apart(None, "2025-04-03") is None
    sure = conflict_confidence((0.9, 0.9), match=1.0)
    assert sure == 0.9
    assert conflict_confidence((0.9, 0.5), match=1.0) < sure  # one statement read doubtfully
    assert conflict_confidence((0.9, 0.9), match=0.5) < sure  # two measures close in meaning
    assert conflict_confidence((0.9, 0.9), match=1.0, parted=close) < sure
    assert conflict_confidence((0.9, 0.9), match=1.0, days=1) == sure  # the next day
    later = conflict_confidence((0.9, 0.9), match=1.0, days=4)
    assert conflict_confidence((0.9, 0.9), match=1.0, days=30) < later < sure
    own = conflict_confidence((None, None), match=1.0)  # two outlets' own counts
    assert 0.0 < own < 1.0


def test_conflicts_carry_confidence_and_evidence_and_list_surest_first(tmp_path: Path) -> None:
    def rec(aid: str, published: str, who: str, figure: str, hedge: str = "") -> Analysis:
        text = f"The storm hit Chicago on Monday. {who} said {hedge}{figure} people were killed."
        content = f"{hedge}{figure} people were killed"
        return record(aid, published, text, [([who], "said", content)],
                      [(who, "organization", []), ("Chicago", "place", [])])  # fmt: skip

    ledger = make_ledger(
        tmp_path / "c.db",
        rec("s1", "2017-04-01", "Police", "two"),
        rec("s2", "2017-04-01", "Firefighters", "five"),
        rec("s3", "2017-04-02", "Doctors", "nine", "about "),
    )  # fmt: skip
    found = conflicts.read_conflicts(ledger.con, kind="quantity")
    assert len(found) >= 2
    sure = [c.confidence for c in found]
    assert all(c is not None and 0.0 < c <= 1.0 for c in sure)
    assert sure == sorted(sure, reverse=True)  # type: ignore[type-var]
    # the hedged figure ("about nine") makes its conflicts less sure than two exact counts
    exact = next(c for c in found if {c.a.article_id, c.b.article_id} == {"s1", "s2"})
    hedged = [c for c in found if "s3" in (c.a.article_id, c.b.article_id)]
    assert hedged and all(c.confidence < exact.confidence for c in hedged)  # type: ignore[operator]
    text = ledger.get("s1").text  # type: ignore[union-attr]
    side = exact.a if exact.a.article_id == "s1" else exact.b
    assert side.evidence == text[side.evidence_start : side.evidence_end]  # type: ignore[misc]
    assert side.evidence == "Police said two people were killed."
    floor = exact.confidence
    kept = conflicts.read_conflicts(ledger.con, kind="quantity", min_confidence=floor)
    assert kept and all(c.confidence >= floor for c in kept)  # type: ignore[operator]
    assert len(kept) < len(found)
