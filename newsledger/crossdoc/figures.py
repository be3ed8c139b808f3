"""Comparing figures read from text (:mod:`newsledger.extract.figures`): whether two
figures' units allow comparing them (:func:`same_kind`), whether their intervals overlap
(:func:`compatible`) and how far apart two values are (:func:`relative_gap`).
"""

from __future__ import annotations

import math
from functools import lru_cache

from newsledger.resources import load_json

__all__ = [
    "compatible",
    "relative_gap",
    "same_kind",
]


@lru_cache(maxsize=1)
def _currencies() -> frozenset[str]:
    return frozenset(c.lower() for c in load_json("quantities.json")["currency_codes"])


def _kind(unit: str | None) -> str:
    if unit in _currencies():
        return unit or ""
    if unit in ("percent", "%", "percentage"):
        return "percent"
    return "count"


def same_kind(a: str | None, b: str | None) -> bool:
    """Two figures' record units (lower case) allow comparing them: money of one currency,
    percentages, or counts (of whatever: what they count is compared by their measures)."""
    return _kind(a) == _kind(b)


def compatible(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two figure intervals overlap."""
    return a[0] <= b[1] and b[0] <= a[1]


def relative_gap(a: float, b: float) -> float:
    top = max(abs(a), abs(b))
    return 0.0 if top == 0 or math.isclose(a, b) else abs(a - b) / top
