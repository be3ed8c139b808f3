"""Typed records the ledger reports above the :class:`~newsledger.model.Analysis`: claims,
conflicts, source and relay summaries. The CLI (``--format json``), the JSON pages and the
REST API serialize them through one method, ``to_dict()``, so they give the same shape.

(:mod:`newsledger.model` holds the analysis records, the versioned JSON schema of
``docs/schema.md``; these records are the ledger's, read from its tables.)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = [
    "CONFLICT_KINDS",
    "INDEPENDENCE",
    "Claim",
    "ClaimMember",
    "ClaimOrigin",
    "Conflict",
    "ConflictSide",
    "DayCount",
    "OutletCount",
    "RelayLink",
    "SourceSummary",
]


class _Record:
    """What every reported record shares: its JSON form is its fields, in order."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]


# ------------------------------------------------------------------ ledger summaries
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
    verdict: str | None = None  # the user's: confirmed | dismissed
    verdict_note: str | None = None
