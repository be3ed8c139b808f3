"""Comparing figures read from text (:mod:`newsledger.extract.figures`): whether two
figures' units allow comparing them (:func:`same_kind`), whether their intervals overlap
(:func:`compatible`), how far apart two values are (:func:`relative_gap`) and how likely two
figures of one story count the same thing (:func:`measure_chance`, a logistic model over
:func:`measure_features` learned from story gold by ``newsledger train measure-pairs``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from newsledger.crossdoc.lexicon import lexicon
from newsledger.resources import load_json

__all__ = [
    "bare_noun",
    "bare_unit",
    "compatible",
    "counts_persons",
    "exclusive_measures",
    "MEASURE_FEATURES",
    "measure_chance",
    "measure_features",
    "measure_model",
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


#: the features of a pair of figures :func:`measure_features` gives, in order
MEASURE_FEATURES = (
    "measure",  # the cosine of their measures ("households once a week" / "households …")
    "context",  # the cosine of the words around them, numbers masked
    "counted",  # the cosine of their counted nouns ("properties" / "homes")
    "same_key",  # one unit and facet ("general/total")
    "log_ratio",  # how far apart their values are: |ln(a / b)|, at most 3
    "contrast",  # either is set against another source's figure ("twice the official count")
    "later",  # how far into its text the later-placed of the two stands (0 the start, 1 the end)
    "part",  # either is a part of a count
    "aside",  # either is an aside on a source
)
_MAX_LOG_RATIO = 3.0


def measure_features(
    a: Mapping[str, Any], b: Mapping[str, Any], cosines: tuple[float, float, float]
) -> list[float]:
    """The features of two stored figures (:func:`newsledger.crossdoc.claims.figure_dict`)
    that :func:`measure_chance` weighs, named by :data:`MEASURE_FEATURES`; ``cosines`` are
    those of their measures, contexts and counted nouns (0 where either lacks one). A figure
    stored before positions were kept stands mid-text."""
    va, vb = abs(float(a.get("value") or 0.0)), abs(float(b.get("value") or 0.0))
    ratio = abs(math.log(va / vb)) if va > 0 and vb > 0 else _MAX_LOG_RATIO
    at = [x if isinstance(x := f.get("at"), int | float) else 0.5 for f in (a, b)]
    return [
        *cosines,
        float(a.get("key") == b.get("key")),
        min(ratio, _MAX_LOG_RATIO),
        float(bool(a.get("contrast") or b.get("contrast"))),
        float(max(at)),
        float(bool(a.get("part") or b.get("part"))),
        float(bool(a.get("aside") or b.get("aside"))),
    ]


@lru_cache(maxsize=1)
def measure_model() -> dict[str, Any]:
    """The shipped pair model (``resources/models/measure_pairs.json``): its ``features``
    (:data:`MEASURE_FEATURES`), ``weights`` and ``bias``."""
    model = load_json("models/measure_pairs.json")
    if tuple(model["features"]) != MEASURE_FEATURES:
        raise ValueError("models/measure_pairs.json was trained on other features")
    return dict(model)


def measure_chance(features: Sequence[float], model: Mapping[str, Any] | None = None) -> float:
    """How likely two figures count one thing, 0–1: the logistic of the model's weighted sum
    of their :func:`measure_features` (default model: :func:`measure_model`)."""
    m = model or measure_model()
    z = float(m["bias"]) + sum(w * x for w, x in zip(m["weights"], features, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))
