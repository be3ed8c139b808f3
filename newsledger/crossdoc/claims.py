"""Claim clusters: attributions from any article that state the same proposition.

An attribution joins an existing claim when (in this order of strength) it has the same event
(type + ledger-entity participants), the same figure facet (unit class and facet, e.g.
``troops/total``) with a compatible value and compatible subjects, or its content words are
close to a member's (cosine of the binary term vectors ≥ ``text_similarity`` with at least
``text_min_shared`` shared terms) without a figure or date that disagrees. Denials only join
denials. This module holds what decides over propositions alone (origins, index keys, date
and subject agreement); the clustering over stored claims is
:class:`newsledger.ledger.claims.ClaimIndex`.

Independence: the origin of a member is its chain's last link as a ledger entity (or its
normalized name; an unnamed or generic source such as "the agency" counts as its own origin
within its article). ≥ 2 distinct origins: ``independent``; one origin carried by ≥ 2
articles: ``relay_only``; else ``single``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from newsledger.crossdoc.lexicon import lexicon
from newsledger.crossdoc.propositions import Proposition
from newsledger.extract.figures import GENERAL, Figure
from newsledger.text import normalize_name

#: A quotation at least this many words long, word for word in two articles, is one quote
#: relayed, not two sources saying the same.
MIN_SHARED_QUOTE_WORDS = 6
_QUOTED = re.compile(r"[\"“”«»]([^\"“”«»]+)[\"“”«»]")
_NOT_WORD = re.compile(r"[^\w]+")

__all__ = [
    "MIN_SHARED_QUOTE_WORDS",
    "quote_key",
    "quoted_passages",
    "stated_count",
    "value_key",
    "count_key",
    "claim_keys",
    "dates_conflict",
    "days_apart",
    "figure_dict",
    "independence",
    "stand_in_apart",
    "main_figure",
    "origin_of",
    "subjects_ok",
]


def origin_of(
    p: Proposition, entity_map: dict[str, int], lookup_name: Callable[[str], int | None]
) -> tuple[str, str | None, int | None]:
    """(origin key, origin name, source ledger entity) of a proposition; ``lookup_name``
    gives the ledger entity a bare name stands for (when exactly one has it)."""
    source_ledger = entity_map.get(p.source_entity or "")
    if p.source_type == "outlet":  # the article's own statement: its outlet, or the article
        key = p.chain[0].lower() if p.chain else f"article:{p.article_id}"
        return f"o:{key}", p.source_name, None
    if not p.chain:
        return f"u:{p.article_id}:{p.attribution_id}", None, source_ledger
    last = p.chain[-1]
    norm = normalize_name(last)
    generic = set(lexicon()["generic_sources"])
    if (
        last == "(unnamed)"
        or norm in generic
        or p.source_type == "unnamed"
        or (last == last.lower() and " " not in norm)
    ):
        return f"u:{p.article_id}:{norm}", last, source_ledger
    if p.source_name == last and source_ledger is not None:
        return f"e:{source_ledger}", last, source_ledger
    found = lookup_name(last)
    if found is not None:
        return f"e:{found}", last, source_ledger
    return f"n:{norm}", last, source_ledger


_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "who", "which", "that", "you"})


def _head(name: str) -> str:
    words = normalize_name(name).split()
    return words[-1] if words else ""


def stand_in_apart(stand_in: str, named: str, mentioned: bool) -> bool:
    """Whether an unnamed source that could stand for a named one (``generic_sources``: "the
    company", "the group", "he") cannot stand for ``named``: its article does not mention
    ``named`` (``mentioned``: a stand-in refers to what its own article names), or both are
    organisations of different kinds ("the company" is no "… Emergency Agency")."""
    if not mentioned:
        return True
    head = _head(stand_in)
    kinds = set(lexicon()["organisation_heads"])
    other = _head(named)
    return head in kinds and other in kinds and head != other


def independence(
    origins: list[tuple[str, str | None]], articles: int, apart: frozenset[str] = frozenset()
) -> str:
    """A claim's independence from its members' (origin key, origin name) pairs and the
    number of its articles: ``independent`` with two distinct sources, ``relay_only`` when
    one is carried by two or more articles, else ``single``.

    A named origin is a source. An unnamed one ("u:", a description) counts as a source of
    its own only when it cannot stand for a named origin of the claim: a description that
    is no pronoun and no stock stand-in for a named source (``generic_sources``: "the
    agency", "state media", "officials"), whose head word no other origin shares ("the
    board", "hospital sources", "a mission official" beside "the secretary of state's
    office"; not "the union" beside "the FNV Havens union"). A stand-in that can stand for
    none of the named origins (``apart``: :func:`stand_in_apart`) is a source of its own too.
    Without any named origin, two unnamed ones are independent."""
    named = {k: n for k, n in origins if not k.startswith("u:")}
    unnamed = {k: n for k, n in origins if k.startswith("u:")}
    if len(named) >= 2 or (not named and len(unnamed) >= 2):
        return "independent"
    if named:
        generic = set(lexicon()["generic_sources"])
        heads = {_head(n or "") for n in named.values()}
        words = {w for n in named.values() for w in normalize_name(n or "").split()}
        for key, name in unnamed.items():
            if key in apart:
                return "independent"
            norm = normalize_name(name or key.rpartition(":")[2])
            head = norm.split()[-1] if norm.split() else ""
            if not head or norm in generic or norm in _PRONOUNS:
                continue
            if head not in heads and head not in words:
                return "independent"
    return "relay_only" if articles >= 2 else "single"


def days_apart(a: str | None, b: str | None) -> int | None:
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def figure_dict(f: Figure) -> dict[str, Any]:
    return {
        "key": f.key, "value": f.value, "value_max": f.value_max, "lo": f.lo, "hi": f.hi,
        "approximate": f.approximate, "vague": f.vague, "bound": f.bound, "text": f.text,
        "subjects": sorted(f.subjects), "group": f.group, "part": f.part_of,
        "measure": f.measure, "counted": f.counted, "revised": f.revised,
        "contrast": f.contrast, "context": f.context, "aside": f.aside, "at": f.at,
    }  # fmt: skip


def main_figure(p: Proposition) -> Figure | None:
    return p.figures[0] if p.figures else None


def subjects_ok(a: set[str], b: set[str]) -> bool:
    return not a or not b or bool(a & b)


def claim_keys(p: Proposition) -> list[str]:
    keys = [f"t:{t}" for t in sorted(p.terms)]
    if p.denial:
        keys += [f"dt:{t}" for t in sorted(p.terms)]
    for fig in p.figures:
        keys.append(f"q:{fig.key}")
        keys.append(f"f:{fig.facet}")
        if (vk := value_key(fig)) is not None:
            keys.append(vk)
    keys += [f"v:{e}" for e in sorted(p.events)]
    if p.dates and p.start:
        keys.append("d:start")
    keys += [f"dq:{k}" for k in sorted(p.denied_facets)]
    keys += [quote_key(q) for q in sorted(quoted_passages(p.content))]
    return keys


_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def stated_count(fig: Figure | dict[str, Any]) -> float | None:
    """The one value a figure (or its stored :func:`figure_dict`) states, when it states one:
    not a range, not a vague amount ("thousands of"), not a number that reads as a year
    ("2023 tests"); a hedge ("about", "at least") is kept. None otherwise."""
    d = figure_dict(fig) if isinstance(fig, Figure) else fig
    if d.get("value") is None or d.get("value_max") is not None or d.get("vague"):
        return None
    words = str(d.get("text") or "").split()
    if words and _YEAR.fullmatch(words[0]):
        return None
    return float(d["value"])


def value_key(fig: Figure) -> str | None:
    """The claim key of a figure's stated value within its unit and facet (``qv:m/total:214``):
    two sources giving the same value find each other's claim however the ledger grows."""
    v = stated_count(fig)
    return None if v is None else f"qv:{count_key(fig.key)}:{v:g}"


def count_key(key: str) -> str:
    """A figure key as a count of its own: a part of anything counted ("27 of the province's
    43 municipalities") counts its things as a total does ("27 municipalities"); a part of a
    toll ("three of the victims") stays one."""
    return f"{GENERAL}/total" if key == f"{GENERAL}/part" else key


def dates_conflict(a: list[tuple[str, str, str]], b: list[tuple[str, str, str]]) -> bool:
    if not a or not b:
        return False
    return not any(x[0] <= y[1] and y[0] <= x[1] for x in a for y in b)


def quote_key(passage: str) -> str:
    """The claim key of a quoted passage (:func:`quoted_passages`): the same words, the same
    claim."""
    return "qt:" + hashlib.sha1(passage.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=4096)
def quoted_passages(text: str) -> frozenset[str]:
    """The quotations in ``text`` of at least :data:`MIN_SHARED_QUOTE_WORDS` words, in a form
    two outlets' copies of one quote share: lower case, words only. Cached: a statement's
    content is read for its claim keys, for every claim it is scored against, and for its
    origin."""
    out = set()
    for m in _QUOTED.finditer(text):
        words = _NOT_WORD.sub(" ", m.group(1).lower()).split()
        if len(words) >= MIN_SHARED_QUOTE_WORDS:
            out.add(" ".join(words))
    return frozenset(out)
