"""Months as intervals of days (newsledger.extract.months)."""

from __future__ import annotations

from newsledger.extract.months import (
    date_interval,
    month_interval,
    month_part,
    names_a_month,
    read_months,
)


def test_a_named_month_takes_the_latest_year_before_the_article() -> None:
    found = read_months("Troops arrived in early November and left in March", "2025-03-10")
    assert [f[2] for f in found] == ["early November", "March"]
    assert found[0][:2] == ("2024-11-01", "2024-11-10")
    assert found[1][:2] == ("2025-03-01", "2025-03-31")
    assert read_months("in November 2023", None)[0][:2] == ("2023-11-01", "2023-11-30")
    assert read_months("in November", None) == []  # no year to place it in
    assert read_months("They may leave", "2025-03-10") == []  # the verb


def test_parts_of_months_and_date_values() -> None:
    assert month_interval(2024, 2, None) == ("2024-02-01", "2024-02-29")
    assert month_interval(2025, 10, "late")[1] == "2025-10-31"
    assert date_interval("2025-04-28", None) == ("2025-04-28", "2025-04-28")
    assert date_interval("2025", None) == ("2025-01-01", "2025-12-31")
    assert date_interval("next week", None) is None
    assert month_part("fighting began in ", "early November") == "early"
    assert month_part("until the end of ", "October") == "the end of"
    assert month_part("on ", "November 3") is None
    assert names_a_month("3 November") and not names_a_month("last month")
