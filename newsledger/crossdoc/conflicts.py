"""Conflicts between claims: figures, dates, denials.

- ``quantity``: two claims with the same figure facet (``troops/total``) and compatible
  subjects whose figure intervals do not overlap (see
  :func:`newsledger.extract.figures.interval`: 14,000 vs 11,000 is a conflict, "about
  12,000" vs 12,400 or 1,000–3,000 vs "at least 1,500" are not);
- ``date``: two claims that speak of something beginning (began, arrived, crossed …) with
  compatible subjects, whose dates do not overlap ("in October" vs "in early November");
- ``denial``: a denial ("X denied that …", "dismissed the report as …", "a fabrication")
  against the claims its content matches: those whose figure facet it names ("the casualty
  figures" → ``*/killed_or_injured``) or whose content words are close to its own.

What decides over two figures or two sources alone lives here; the detection against the
stored claims (through the ``claim_keys`` index, when a claim gets a member) is
:mod:`newsledger.ledger.conflicts`.
"""

from __future__ import annotations

from typing import Any

from newsledger.crossdoc.lexicon import lexicon

__all__ = ["format_value", "groups_ok", "not_after", "subjects_ok"]


def format_value(value: Any, value_max: Any) -> str:
    def one(v: Any) -> str:
        return f"{v:,.0f}" if float(v) == int(float(v)) else f"{v:,}"

    return one(value) if value_max is None else f"{one(value)}–{one(value_max)}"


def subjects_ok(a: set[str], b: set[str]) -> bool:
    return not a or not b or bool(a & b)


def groups_ok(a: str | None, b: str | None) -> bool:
    """Two counts of people are compared as tolls only when both count people at large
    ("people", "victims", "others", or no noun). A count of a named group ("two officers",
    "four women", "three men") is most often a part of the toll even when it is the
    article's only count of its facet ("one of the two officers involved was dead", "four
    women had been killed at Macy's" of five): checked by hand on SemEval, such comparisons
    were false far more often than the rest (docs/accuracy.md, "Round 4")."""
    general = set(lexicon()["general_groups"])
    return (a is None or a in general) and (b is None or b in general)


def not_after(claim_date: str | None, denial_date: str | None) -> bool:
    """A denial answers what was said before it (or the same day); unknown dates pass."""
    return claim_date is None or denial_date is None or claim_date <= denial_date
