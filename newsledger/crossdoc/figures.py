"""Comparing figures read from text (:mod:`newsledger.extract.figures`): whether two
figures' units allow comparing them (:func:`same_kind`), whether their intervals overlap
(:func:`compatible`) and how far apart two values are (:func:`relative_gap`).
"""

from __future__ import annotations

import math
from functools import lru_cache

from newsledger.crossdoc.lexicon import lexicon
from newsledger.resources import load_json

__all__ = [
    "bare_noun",
    "bare_unit",
    "compatible",
    "counts_persons",
    "exclusive_measures",
    "relative_gap",
    "same_counted",
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


@lru_cache(maxsize=1)
def _units() -> frozenset[str]:
    lex = load_json("quantities.json")
    percent = [w for words in lex["percent_words"] for w in words]
    return frozenset(u.lower() for u in (*lex["measure_units"], *lex["currency_nouns"], *percent))


def bare_unit(measure: str) -> bool:
    """A measure that is only a unit ("tonne", "dollar"): it says how much, not of what, so
    it matches no other measure but its own words."""
    words = measure.split()
    return len(words) == 1 and bool(_singular(words[0]) & _units())


def bare_noun(fig: dict[str, object]) -> bool:
    """A stored figure whose measure is its counted noun alone ("pharmacy"), with nothing
    that scopes it."""
    counted = str(fig.get("counted") or "").lower()
    return bool(counted) and str(fig.get("measure") or "").lower() in _singular(counted)


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


def _singular(word: str) -> set[str]:
    return {word, word.removesuffix("s"), word.removesuffix("es")} - {""}


@lru_cache(maxsize=1)
def _persons() -> frozenset[str]:
    return frozenset(lexicon()["person_counts"])


@lru_cache(maxsize=1)
def _states() -> tuple[frozenset[str], ...]:
    return tuple(frozenset(group) for group in lexicon()["measure_states"])


def same_counted(a: str | None, b: str | None) -> bool | None:
    """Whether two figures' counted nouns ("vessels", "ships") are plainly one: the same word
    (singular or plural), or both persons (``person_counts``: "people", "victims"). False
    when both are named and differ otherwise (their meaning decides), None when either is
    missing (a bare number: what it counts is in its measure) or names a count, not a thing
    (``generic_counted``: "the same number, 214")."""
    generic = lexicon()["generic_counted"]
    if not a or not b or a.lower() in generic or b.lower() in generic:
        return None
    wa, wb = _singular(a.lower()), _singular(b.lower())
    persons = _persons()
    return bool(wa & wb) or bool(wa & persons and wb & persons)


def counts_persons(fig: dict[str, object]) -> bool:
    """A stored figure (:func:`newsledger.crossdoc.claims.figure_dict`) counts persons: of the
    people unit, or of a person noun (``person_counts``: "12 workers", "950 patients")."""
    if str(fig.get("key", "")).startswith("people/"):
        return True
    persons = _persons()
    words = {str(fig.get("counted") or ""), str(fig.get("group") or "")}
    return any(_singular(w) & persons for w in words if w)


def exclusive_measures(a: str, b: str) -> bool:
    """Two measures (lemmas, "mail ballot remain") of one counted noun whose verbs name two
    states of it that exclude each other (``measure_states``: remaining / rejected ballots,
    cost / saved): never the same measure, however close their words."""
    wa, wb = set(a.split()), set(b.split())
    if not wa & wb:
        return False
    states = _states()
    ia = {i for i, group in enumerate(states) if wa & group}
    ib = {i for i, group in enumerate(states) if wb & group}
    return bool(ia and ib and not ia & ib)
