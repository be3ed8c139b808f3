"""Months as intervals of days: the months a statement names ("in early November") when the
record has no dates of its own, and the part of a month a date mention gives ("late
October" → the 21st to the 31st).

Moved here from the cross-article stage, which compares the intervals but reads no text.
Public entry points: :func:`read_months`, :func:`month_part`, :func:`names_a_month`,
:func:`date_interval`, :func:`month_interval`.
"""

from __future__ import annotations

import calendar
import re

from newsledger.extract.figures import MONTHS, figure_lexicon

__all__ = ["date_interval", "month_interval", "month_part", "names_a_month", "read_months"]

_MONTH_RE = re.compile(
    r"\b(?:(early|mid-?|late|the beginning of|the end of|the middle of|the first days of|"
    r"the last days of)\s*)?(" + "|".join(m for m in MONTHS) + r")\b(?:\s+(\d{4}))?",
    re.IGNORECASE,
)
_LEAD_RE = re.compile(r"(.*?)\b(?:" + "|".join(MONTHS) + r")\b", re.IGNORECASE)
_PART_RE = re.compile(
    r"(early|mid-?|late|the beginning of|the end of|the first days of)\s*$", re.IGNORECASE
)


def month_interval(year: int, month: int, part: str | None) -> tuple[str, str]:
    """The first and last day of ``month`` of ``year``, or of its ``part`` ("early": 1–10)."""
    last = calendar.monthrange(year, month)[1]
    lo, hi = 1, last
    if part:
        key = part.lower().removeprefix("the ").strip()
        parts = figure_lexicon()["date_parts"]
        for name, (a, b) in parts.items():
            if key == name or key.rstrip("-") == name.rstrip("-"):
                lo, hi = a, min(b, last)
                break
    return f"{year:04d}-{month:02d}-{lo:02d}", f"{year:04d}-{month:02d}-{hi:02d}"


def date_interval(value: str, part: str | None) -> tuple[str, str] | None:
    """The days an ISO date value (``2025-11``, ``2025-11-03``, ``2025``) spans."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value or "")
    if not m:
        return None
    year = int(m.group(1))
    if m.group(3):
        return value, value
    if m.group(2):
        return month_interval(year, int(m.group(2)), part)
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


def read_months(content: str, published: str | None) -> list[tuple[str, str, str]]:
    """(first day, last day, words) of each month ``content`` names, its year given or the
    latest before ``published`` ("in November" of an article of March 2025: November 2024)."""
    out = []
    pub = re.match(r"(\d{4})-(\d{2})", published or "")
    for m in _MONTH_RE.finditer(content):
        month = MONTHS[m.group(2).lower()]
        if m.group(3):
            year = int(m.group(3))
        elif pub:
            year = int(pub.group(1)) - (1 if month > int(pub.group(2)) else 0)
        else:
            continue
        if m.group(2) == "may":
            continue  # the verb
        lo, hi = month_interval(year, month, m.group(1))
        out.append((lo, hi, m.group(0)))
    return out


def month_part(before: str, date_text: str) -> str | None:
    """The part of the month a date mention gives, from the words before its month (in the
    mention or just before it): "early", "late", "the end of" …, or None."""
    lead = _LEAD_RE.match(date_text)
    part = _PART_RE.search(before + (lead.group(1) if lead else ""))
    return part.group(1) if part else None


def names_a_month(text: str) -> bool:
    """Whether ``text`` names a month ("November", not "last month")."""
    return _MONTH_RE.search(text) is not None
