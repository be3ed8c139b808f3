"""Quantity evaluation on quantulum3's test sentences (``../shared/data/quantities_quantulum3``).

The data are JSON lists of ``{"req": sentence, "res": [gold, …]}`` where each gold quantity
has a ``value``, a ``unit`` name ("dimensionless", "dollar", "kilometre", …) and the
``surface`` it was read from (no offsets: the harness finds the surface in the sentence,
left to right). ``quantities.json`` and ``quantities.ambiguity.json`` are scored;
``errors.json`` holds malformed inputs that must only not crash.

**In scope** are the gold quantities that count people, objects or money
(:func:`scope_of`):

``money``
    a currency unit (dollar, euro, pound sterling, yen, cent, penny, dime), or a rate whose
    numerator is one ("dollar per hour");
``count``
    a counting unit: dozen (12), baker's dozen (13), gross (144); the gold value is
    multiplied out before comparing ("a dozen eggs" = 12);
``dimensionless``
    a unitless whole number, except a bare four-digit year (1000–2100: "1979"), which the
    extractor deliberately reads as a date, and a number that is part of a name or code,
    i.e. written right after a capitalised word or a letters-and-digits token ("Voyager 2",
    "English 101", "Core i7 860"). Fractions and ratios ("1/40", "two thirds", "2.48×10−5")
    are not counts.

Measures (km, mg, °C, years as durations …) are out of scope; they are still scored in the
overall value recall and precision.

A gold item is **found** when a predicted quantity overlaps its surface, and found **with the
right value** when one overlapping prediction's point value equals the gold value (relative
tolerance 1e-6). The point value of a prediction is ``value``; for a range, the midpoint of
``value`` and ``value_max`` (quantulum3 writes ranges as their midpoint); for an upper bound
(``value`` null), ``value_max``. Each prediction matches at most one gold item. **Precision**
is the share of predictions matched to a gold item with the right value. **Unit agreement**
(in scope, among those found with the right value): for money, the ISO code of the gold
currency ("dollar" → ``USD``; cents, pennies and dimes by name); for counts and
dimensionless numbers, a counted noun or no unit (not a currency, percent or measure unit).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsledger.errors import DataNotFound
from newsledger.eval.checkout import shared_data_dir
from newsledger.model import Analysis, Article, Quantity
from newsledger.resources import load_json

__all__ = [
    "GOLD_FILES",
    "GoldQuantity",
    "GoldSentence",
    "Report",
    "default_data_dir",
    "evaluate",
    "format_report",
    "load",
    "point_value",
    "scope_of",
    "score",
    "unit_agrees",
]

_RELATIVE_DATA = Path("..") / "shared" / "data" / "quantities_quantulum3"
#: The gold files scored, in this order; a missing one is skipped, both missing is an error.
GOLD_FILES: tuple[str, ...] = ("quantities.json", "quantities.ambiguity.json")
ERRORS_FILE = "errors.json"

#: Gold currency unit names → the unit the extractor writes.
CURRENCIES: dict[str, frozenset[str]] = {
    "dollar": frozenset({"USD"}),
    "euro": frozenset({"EUR"}),
    "pound sterling": frozenset({"GBP"}),
    "yen": frozenset({"JPY"}),
    "japanese yen": frozenset({"JPY"}),
    "cent": frozenset({"cent", "cents"}),
    "penny": frozenset({"penny", "pennies", "pence"}),
    "dime": frozenset({"dime", "dimes"}),
}
#: Counting units → how many items one of them is.
COUNT_UNITS: dict[str, float] = {"dozen": 12.0, "baker's dozen": 13.0, "gross": 144.0}
SCOPES: tuple[str, ...] = ("money", "count", "dimensionless")
_YEAR = re.compile(r"\d{4}")
_TOLERANCE = 1e-6


@dataclass(slots=True)
class GoldQuantity:
    value: float | None
    unit: str
    surface: str
    start: int | None = None  # where the surface was found in the sentence, if it was
    end: int | None = None


@dataclass(slots=True)
class GoldSentence:
    id: str  # "<file>:<index>"
    text: str
    quantities: list[GoldQuantity] = field(default_factory=list)


@dataclass(slots=True)
class Report:
    n_sentences: int = 0
    n_gold: int = 0
    n_pred: int = 0
    gold_right_value: int = 0  # all gold items found with the right value
    pred_right_value: int = 0  # predictions matched to a gold item with the right value
    in_scope: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCOPES, 0))
    in_scope_found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCOPES, 0))
    in_scope_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCOPES, 0))
    in_scope_unit_ok: int = 0
    excluded_dimensionless: dict[str, int] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)  # in-scope items not right
    n_error_inputs: int = 0
    n_error_inputs_ok: int = 0

    @property
    def n_in_scope(self) -> int:
        return sum(self.in_scope.values())

    @property
    def n_in_scope_right(self) -> int:
        return sum(self.in_scope_right.values())

    @property
    def in_scope_rate(self) -> float:
        return self.n_in_scope_right / self.n_in_scope if self.n_in_scope else 0.0

    @property
    def recall(self) -> float:
        return self.gold_right_value / self.n_gold if self.n_gold else 0.0

    @property
    def precision(self) -> float:
        return self.pred_right_value / self.n_pred if self.n_pred else 0.0

    @property
    def unit_agreement(self) -> float:
        right = self.n_in_scope_right
        return self.in_scope_unit_ok / right if right else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentences": self.n_sentences,
            "gold": self.n_gold,
            "predicted": self.n_pred,
            "value_recall": round(self.recall, 4),
            "value_precision": round(self.precision, 4),
            "in_scope": {
                "gold": self.n_in_scope,
                "found": sum(self.in_scope_found.values()),
                "right_value": self.n_in_scope_right,
                "right_value_rate": round(self.in_scope_rate, 4),
                "unit_agreement": round(self.unit_agreement, 4),
                "by_scope": {
                    s: {
                        "gold": self.in_scope[s],
                        "found": self.in_scope_found[s],
                        "right_value": self.in_scope_right[s],
                    }
                    for s in SCOPES
                },
            },
            "excluded_dimensionless": dict(self.excluded_dimensionless),
            "error_inputs": {"total": self.n_error_inputs, "no_crash": self.n_error_inputs_ok},
            "misses": list(self.misses),
        }


# --------------------------------------------------------------------------- data


def default_data_dir() -> Path:
    """``../shared/data/quantities_quantulum3``, from the working directory or the repository
    (:class:`~newsledger.errors.DataNotFound` outside a checkout)."""
    return shared_data_dir(_RELATIVE_DATA.name)


def _locate(text: str, items: list[GoldQuantity]) -> None:
    """Find each surface in the text, left to right (from the start again if need be)."""
    cursor = 0
    for g in items:
        at = text.find(g.surface, cursor)
        if at < 0:
            at = text.find(g.surface)
        if at >= 0:
            g.start, g.end = at, at + len(g.surface)
            cursor = at + len(g.surface)


def _parse(name: str, raw: Any) -> list[GoldSentence]:
    if not isinstance(raw, list):
        raise DataNotFound(f"{name}: expected a JSON list of {{'req', 'res'}} objects")
    out: list[GoldSentence] = []
    for k, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("req"), str):
            raise DataNotFound(f"{name}[{k}]: expected an object with a 'req' string")
        golds = []
        for r in item.get("res") or []:
            value = r.get("value")
            golds.append(
                GoldQuantity(
                    value=float(value) if isinstance(value, int | float) else None,
                    unit=str(r.get("unit", "")),
                    surface=str(r.get("surface", "")),
                )
            )
        _locate(item["req"], golds)
        out.append(GoldSentence(id=f"{name}:{k}", text=item["req"], quantities=golds))
    return out


def load(data_dir: Path) -> list[GoldSentence]:
    """The gold sentences of every file in :data:`GOLD_FILES` found in ``data_dir``."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataNotFound(f"quantulum3 quantity data not found at {data_dir}")
    sentences: list[GoldSentence] = []
    found = False
    for name in GOLD_FILES:
        path = data_dir / name
        if not path.is_file():
            continue
        found = True
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DataNotFound(f"{path}: cannot read it as JSON ({exc})") from exc
        sentences.extend(_parse(name, raw))
    if not found:
        raise DataNotFound(f"{data_dir}: none of {', '.join(GOLD_FILES)} is there")
    return sentences


def load_error_inputs(data_dir: Path) -> list[str]:
    """The malformed inputs of ``errors.json`` (empty when the file is absent)."""
    path = Path(data_dir) / ERRORS_FILE
    if not path.is_file():
        return []
    raw = json.loads(path.read_text(encoding="utf-8"))
    return [s for s in raw if isinstance(s, str)] if isinstance(raw, list) else []


# --------------------------------------------------------------------------- scope and units


@lru_cache(maxsize=1)
def _measure_units() -> frozenset[str]:
    return frozenset(load_json("quantities.json")["measure_units"])


def _word_before(text: str, start: int) -> str:
    """The whitespace-separated word just before ``start`` (punctuation stripped), or ''."""
    if start == 0 or not text[start - 1].isspace():
        return ""
    words = text[:start].split()
    return words[-1].strip("\"'“”‘’([{") if words else ""


def scope_of(gold: GoldQuantity, text: str) -> tuple[str | None, str | None]:
    """(scope, None) for an in-scope item, else (None, why it is out of scope)."""
    unit = gold.unit.lower()
    money_unit = unit.split(" per ")[0]
    if money_unit in CURRENCIES:
        return "money", None
    if unit in COUNT_UNITS:
        return "count", None
    if unit != "dimensionless":
        return None, "measure"
    v = gold.value
    if v is None or not math.isfinite(v) or not float(v).is_integer():
        return None, "not a whole number"
    surface = gold.surface.strip()
    if _YEAR.fullmatch(surface) and 1000 <= v <= 2100:
        return None, "year"
    if gold.start is not None:
        before = _word_before(text, gold.start)
        coded = any(c.isdigit() for c in before) and any(c.isalpha() for c in before)
        if before[:1].isupper() or coded:
            return None, "part of a name or code"
    return "dimensionless", None


def point_value(q: Quantity) -> float | None:
    """A prediction's single value: the value, a range's midpoint, or an upper bound."""
    if q.value is None:
        return q.value_max
    if q.value_max is None:
        return q.value
    return (q.value + q.value_max) / 2


def _gold_value(g: GoldQuantity) -> float | None:
    if g.value is None:
        return None
    return g.value * COUNT_UNITS.get(g.unit.lower(), 1.0)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    return math.isclose(a, b, rel_tol=_TOLERANCE, abs_tol=1e-9)


def unit_agrees(gold_unit: str, pred_unit: str | None) -> bool:
    """Whether a predicted unit names the gold unit (see the module docstring)."""
    unit = gold_unit.lower()
    money_unit = unit.split(" per ")[0]
    if money_unit in CURRENCIES:
        return pred_unit is not None and pred_unit in CURRENCIES[money_unit]
    if unit in COUNT_UNITS or unit == "dimensionless":
        if pred_unit is None:
            return True
        if pred_unit == "percent" or pred_unit.isupper():
            return False
        return pred_unit.split()[0] not in _measure_units()
    return False


# --------------------------------------------------------------------------- scoring


def _overlaps(g: GoldQuantity, q: Quantity) -> bool:
    return g.start is not None and g.end is not None and q.start < g.end and g.start < q.end


def score(sentences: list[GoldSentence], predictions: dict[str, list[Quantity]]) -> Report:
    """Score predicted quantities (by sentence id) against the gold."""
    report = Report(n_sentences=len(sentences))
    for sentence in sentences:
        preds = predictions.get(sentence.id, [])
        report.n_pred += len(preds)
        used: set[int] = set()
        for g in sentence.quantities:
            report.n_gold += 1
            over = [k for k, q in enumerate(preds) if _overlaps(g, q)]
            target = _gold_value(g)
            right = next(
                (k for k in over if k not in used and _same(point_value(preds[k]), target)), None
            )
            if right is not None:
                used.add(right)
                report.gold_right_value += 1
            scope, why = scope_of(g, sentence.text)
            if scope is None:
                if g.unit.lower() == "dimensionless" and why:
                    report.excluded_dimensionless[why] = (
                        report.excluded_dimensionless.get(why, 0) + 1
                    )
                continue
            report.in_scope[scope] += 1
            if over:
                report.in_scope_found[scope] += 1
            if right is not None:
                report.in_scope_right[scope] += 1
                if unit_agrees(g.unit, preds[right].unit):
                    report.in_scope_unit_ok += 1
            else:
                report.misses.append(
                    {
                        "sentence": sentence.text,
                        "surface": g.surface,
                        "gold_value": g.value,
                        "gold_unit": g.unit,
                        "predicted": [
                            {
                                "text": preds[k].text,
                                "value": preds[k].value,
                                "value_max": preds[k].value_max,
                                "unit": preds[k].unit,
                            }
                            for k in over
                        ],
                    }
                )
        report.pred_right_value += len(used)
    return report


def evaluate(
    data_dir: Path,
    analyze_many: Callable[[list[Article]], Iterable[Analysis]],
) -> Report:
    """Analyze every gold sentence (one article each) and score the quantities.

    The malformed inputs of ``errors.json`` are analyzed too; each that raises nothing and
    yields only finite or null values counts in ``n_error_inputs_ok``.
    """
    sentences = load(data_dir)
    articles = [Article(text=s.text, id=s.id) for s in sentences]
    predictions: dict[str, list[Quantity]] = {}
    for analysis in analyze_many(articles):
        predictions[analysis.article.id] = list(analysis.quantities)
    report = score(sentences, predictions)
    errors = load_error_inputs(data_dir)
    report.n_error_inputs = len(errors)
    for k, text in enumerate(errors):
        try:
            analyses = list(analyze_many([Article(text=text, id=f"{ERRORS_FILE}:{k}")]))
            json.dumps([a.to_dict() for a in analyses], allow_nan=False)
        except Exception:  # noqa: BLE001 - counted, reported as a failure
            continue
        report.n_error_inputs_ok += 1
    return report


def format_report(report: Report) -> str:
    """The plain-text report printed by ``newsledger eval quantities``."""
    lines = [
        f"quantulum3 quantities: {report.n_sentences} sentences, {report.n_gold} gold, "
        f"{report.n_pred} predicted",
        "",
        f"in scope (counts of people, objects, money): {report.n_in_scope} gold",
        f"  found with the right value  {report.n_in_scope_right}/{report.n_in_scope}"
        f" = {report.in_scope_rate:.3f}",
        f"  unit agreement (of those)   {report.in_scope_unit_ok}/{report.n_in_scope_right}"
        f" = {report.unit_agreement:.3f}",
    ]
    for s in SCOPES:
        lines.append(
            f"  {s:<14} gold {report.in_scope[s]:>3}  found {report.in_scope_found[s]:>3}"
            f"  right value {report.in_scope_right[s]:>3}"
        )
    if report.excluded_dimensionless:
        why = ", ".join(f"{k} {v}" for k, v in sorted(report.excluded_dimensionless.items()))
        lines.append(f"  dimensionless gold left out of scope: {why}")
    lines += [
        "",
        "overall (every unit, measures included):",
        f"  value recall     {report.gold_right_value}/{report.n_gold} = {report.recall:.3f}",
        f"  value precision  {report.pred_right_value}/{report.n_pred} = {report.precision:.3f}",
    ]
    if report.n_error_inputs:
        lines.append(
            f"  malformed inputs without a crash  {report.n_error_inputs_ok}/"
            f"{report.n_error_inputs}"
        )
    if report.misses:
        lines += ["", "in-scope items not found with the right value:"]
        for m in report.misses:
            got = (
                "; ".join(
                    f"{p['text']!r} = {p['value']}"
                    + (f"–{p['value_max']}" if p["value_max"] is not None else "")
                    for p in m["predicted"]
                )
                or "nothing"
            )
            lines.append(f"  {m['surface']!r} ({m['gold_value']} {m['gold_unit']}): got {got}")
    return "\n".join(lines)
