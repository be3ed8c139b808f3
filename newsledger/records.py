"""Typed records the ledger reports above the :class:`~newsledger.model.Analysis`: claims,
conflicts, source and relay summaries. The CLI (``--format json``), the JSON pages and the
REST API serialize them through one method, ``to_dict()``, so they give the same shape.

(:mod:`newsledger.model` holds the analysis records, the versioned JSON schema of
``docs/schema.md``; these records are the ledger's, read from its tables.)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, is_dataclass
from typing import Any, get_type_hints

__all__ = [
    "CONFLICT_KINDS",
    "INDEPENDENCE",
    "AttributionRow",
    "Claim",
    "ClaimMember",
    "ClaimOrigin",
    "Conflict",
    "ConflictSide",
    "DayCount",
    "OutletCount",
    "RelayLink",
    "SourceSummary",
    "TimelineItem",
    "flat_columns",
    "flatten",
]


class _Record:
    """What every reported record shares: its JSON form is its fields, in order."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]


# ------------------------------------------------------------------ the flat (CSV) form
def _cell(key: str, value: Any) -> Any:
    if isinstance(value, list):
        if all(v is None or isinstance(v, str | int | float) for v in value):
            sep = " > " if key.rsplit(".", 1)[-1] == "chain" else "; "
            return sep.join("" if v is None else str(v) for v in value)
        return json.dumps(value, ensure_ascii=False)
    return value


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A record's JSON form (``to_dict()``) as one flat row, for CSV and Parquet: nested
    objects as ``key.field`` columns (``a.value``, ``origin.key``), lists of plain values
    joined (a ``chain`` with ``" > "``, others with ``"; "``), lists of objects as JSON."""
    row: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            row.update(flatten(value, f"{name}."))
        else:
            row[name] = _cell(name, value)
    return row


def flat_columns(cls: type, prefix: str = "", skip: tuple[str, ...] = ()) -> list[str]:
    """The columns :func:`flatten` gives a record of dataclass ``cls`` (fields in ``skip``
    left out)."""
    hints = get_type_hints(cls)
    out: list[str] = []
    for f in fields(cls):
        if f.name in skip:
            continue
        kind = hints[f.name]
        if is_dataclass(kind) and isinstance(kind, type):
            out += flat_columns(kind, f"{prefix}{f.name}.")
        else:
            out.append(f"{prefix}{f.name}")
    return out


# ------------------------------------------------------------------ ledger summaries
@dataclass(frozen=True, slots=True)
class AttributionRow(_Record):
    """One attribution as the listings show it: what a source said (``newsledger query
    said``, ``/api/sources/{name}``), what matches a search (``query about``,
    ``/api/search``), a filtered list (``/api/attributions``). Fields a listing does not
    fill are None: ``site`` and ``cue`` (filtered lists), ``snippet`` and ``score`` (a
    search: matches marked ``[`` ``]``, bm25, lower is better)."""

    article_id: str
    published: str | None
    title: str | None
    attribution_id: str
    kind: str
    act: str | None
    source: str | None
    content: str
    chain: list[str]
    confidence: float | None
    site: str | None = None
    cue: str | None = None
    snippet: str | None = None
    score: float | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> AttributionRow:
        """The record of a query's row (:mod:`newsledger.ledger.query`); extra keys are
        left out."""
        values: dict[str, Any] = {name: row.get(name) for name in cls.__dataclass_fields__}
        return cls(**values)


@dataclass(frozen=True, slots=True)
class TimelineItem(_Record):
    """One attribution on an entity's timeline (``newsledger timeline``,
    ``/timeline/{entity}.json``): dated by the attribution's own date when the text gives one
    (``dated_by`` ``attribution``), else by its article's (``published``); ``roles`` says how
    the entity takes part (``source``, ``origin``, ``relay``, ``about``); ``claim_id`` the
    claim it belongs to, if any."""

    date: str | None
    dated_by: str
    article_id: str
    attribution_id: str
    title: str | None
    kind: str
    source: str | None
    chain: list[str]
    content: str
    roles: list[str]
    claim_id: int | None


@dataclass(frozen=True, slots=True)
class SourceSummary(_Record):
    """A source with its counts: how many attributions and articles, first and last date
    (``newsledger query sources``, ``/api/sources``)."""

    source: str
    attributions: int
    articles: int
    first_published: str | None
    last_published: str | None


@dataclass(frozen=True, slots=True)
class RelayLink(_Record):
    """A link of source chains: ``relay`` passed on what ``origin`` said, with the number of
    attributions carried over it and of articles they are in (``newsledger query relays``,
    ``/api/relays``)."""

    relay: str
    origin: str
    attributions: int
    articles: int


@dataclass(frozen=True, slots=True)
class DayCount(_Record):
    """Attributions of one source on one published date (None: undated articles)."""

    published: str | None
    attributions: int
    articles: int


@dataclass(frozen=True, slots=True)
class OutletCount(_Record):
    """Attributions of one source in the articles of one outlet."""

    site: str
    attributions: int
    articles: int


# ------------------------------------------------------------------ cross-document records
#: the kinds of conflict the ledger stores (``conflicts.kind``)
CONFLICT_KINDS: tuple[str, ...] = ("quantity", "date", "denial", "revision")
#: a claim's independence verdict (``claims.independence``)
INDEPENDENCE: tuple[str, ...] = ("independent", "relay_only", "single")


@dataclass(frozen=True, slots=True)
class ClaimOrigin:
    """Where a claim member's statement comes from: an entity (``e:ID``), a name (``n:…``)
    or an unnamed source of one article (``u:…``)."""

    key: str
    entity: int | None
    name: str | None


@dataclass(frozen=True, slots=True)
class ClaimMember:
    """One attribution (or an outlet's own statement) that states a claim."""

    article_id: str
    attribution_id: str
    published: str | None
    kind: str  # an attribution kind, or "outlet" for the outlet's own statement
    source: str | None
    source_entity: int | None
    chain: list[str]
    origin: ClaimOrigin
    content: str | None
    dates: list[list[str]]
    value: float | None
    value_max: float | None
    figures: list[dict[str, Any]]
    # how surely the statement was read: its attribution's confidence (an outlet's own
    # statement: settings.conflicts.own_reading)
    confidence: float | None = None
    # the sentence(s) stating it, with their offsets in the article's text
    evidence: str | None = None
    evidence_start: int | None = None
    evidence_end: int | None = None


@dataclass(frozen=True, slots=True)
class Claim(_Record):
    """One claim cluster: the same proposition across articles, its independence verdict
    and members, as the CLI (``claims --format json``), ``/claims.json`` and ``/api/claims``
    all show it (:meth:`to_dict`)."""

    id: int
    label: str
    kind: str
    facet: str | None
    value: float | None
    value_max: float | None
    date_lo: str | None
    date_hi: str | None
    denial: bool
    subjects: list[str]
    independence: str  # independent | relay_only | single
    origins: list[ClaimOrigin]
    members: list[ClaimMember]
    articles: int
    first_published: str | None
    last_published: str | None
    # how surely it was stated: the surest reading of its members (ClaimMember.confidence)
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class ConflictSide:
    """One side of a conflict: the claim, the attribution and what it says."""

    claim: int
    label: str
    independence: str
    articles: int
    value: str | None
    source: str | None  # its chain joined by " > "
    article_id: str
    attribution_id: str
    published: str | None
    chain: list[str]
    content: str | None
    attribution_kind: str | None
    # the sentence(s) stating it, with their offsets in the article's text
    evidence: str | None = None
    evidence_start: int | None = None
    evidence_end: int | None = None

    @property
    def ref(self) -> str:
        """``article_id:attribution_id``."""
        return f"{self.article_id}:{self.attribution_id}"


@dataclass(frozen=True, slots=True)
class Conflict(_Record):
    """Two claims that disagree, as the CLI (``conflicts --format json``), ``/conflicts.json``
    and ``/api/conflicts`` all show it (:meth:`to_dict`)."""

    id: int
    kind: str  # one of CONFLICT_KINDS
    explanation: str
    a: ConflictSide
    b: ConflictSide
    # how sure it is, 0–1 (newsledger.crossdoc.conflicts.conflict_confidence); None in a
    # ledger from before confidences were kept, until ``crossdoc rebuild``
    confidence: float | None = None
    verdict: str | None = None  # the user's: confirmed | dismissed
    verdict_note: str | None = None
