"""Cross-article stories: what the ledger reports on invented multi-article stories.

The development set (``eval/data/stories/``, README there) holds stories of three to five
articles each, with a gold file of the figure conflicts between sources, one source's
revisions, denials of another source's claim, figures corroborated by independent sources
and relay chains. :func:`evaluate` ingests the articles into a fresh ledger — once with all
stories together, once per story — and reads back what the ledger reports through its
public read functions (:func:`newsledger.ledger.conflicts.list_conflicts`,
:func:`newsledger.ledger.claims.claim_detail` / :func:`~newsledger.ledger.claims.list_claims`
and :meth:`newsledger.ledger.Ledger.get`); :func:`score` compares those typed records with
the gold ones and is pure, so it is tested on hand-built records.

Matching (the README of the data set says the same):

- a reported value matches a gold value within ``max(0.5, 1 %)`` of the gold value, or when
  the gold value lies in a reported range;
- a figure conflict (any conflict kind but ``date``, ``denial`` and ``revision``) matches a
  gold conflict when, for one of its pairs of statements, its two sides' articles are the
  pair's articles (unordered) and each side's value matches its gold side's value;
- a gold revision is *misreported* when a reported figure conflict has its two sides on two
  of the revision's statements, and *found* when a reported ``revision`` record does;
- a reported denial links the gold denial's two articles (the denying side, when the
  ledger marks one, in the denying article), its side in the denied article covering the
  denied claim's words;
- a corroborated figure is found when one claim marked ``independent`` has members in the
  articles of two of its sides whose figures match it;
- a relay is found when an attribution of its article has the gold chain, names compared
  with :func:`same_name`.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from newsledger.errors import DataNotFound
from newsledger.eval.checkout import EVAL_DATA, checkout_root
from newsledger.ingest import ingest
from newsledger.ledger import Ledger
from newsledger.ledger.claims import claim_detail, list_claims
from newsledger.ledger.conflicts import list_conflicts
from newsledger.pipeline import Analyzer
from newsledger.records import Claim, ClaimMember
from newsledger.text import normalize_name

__all__ = [
    "NOT_FIGURE_KINDS",
    "Corroboration",
    "Denial",
    "Figure",
    "GoldConflict",
    "Prediction",
    "PredictedAttribution",
    "PredictedClaim",
    "PredictedConflict",
    "Relay",
    "Revision",
    "Scores",
    "Side",
    "Statement",
    "Story",
    "StoriesReport",
    "default_data_dir",
    "evaluate",
    "format_errors",
    "format_report",
    "load_articles",
    "load_gold",
    "name_key",
    "parse_values",
    "predict",
    "same_name",
    "score",
    "value_matches",
]

#: conflict kinds that are not figure conflicts
NOT_FIGURE_KINDS = frozenset({"date", "denial", "revision"})
#: a reported value matches a gold one within this share of the gold value ...
RELATIVE_TOLERANCE = 0.01
#: ... or within this absolute difference, whichever is larger
ABSOLUTE_TOLERANCE = 0.5
#: the most records read back from a ledger of one kind (the set holds a few hundred)
READ_LIMIT = 100_000
_DETERMINERS = frozenset({"a", "an", "the"})
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")

Range = tuple[float, float]


# ---------------------------------------------------------------- gold records


@dataclass(frozen=True, slots=True)
class Figure:
    """One source's figure in one article, as the gold file states it."""

    article: str
    value: float
    source: str = ""
    text: str = ""
    measure: str = ""


@dataclass(frozen=True, slots=True)
class GoldConflict:
    """One disagreement between two origins on one measure: its primary pair of statements
    (``sides``) and the further pairs of the same two origins' statements (``also``: a source
    repeating or revising its figure in a later article)."""

    sides: tuple[Figure, Figure]
    note: str = ""
    also: tuple[tuple[Figure, Figure], ...] = ()

    @property
    def pairs(self) -> tuple[tuple[Figure, Figure], ...]:
        return (self.sides, *self.also)


@dataclass(frozen=True, slots=True)
class Revision:
    """One source's successive figures for one measure, oldest first."""

    source: str
    measure: str
    values: tuple[Figure, ...]


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement (a denial's cue, a denied claim, a corroborating side) of one article."""

    article: str
    source: str = ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class Denial:
    """A denial: the denying statement (``text``: its cue) and the claim it denies
    (``text``: the claim's words in the denied article; ``claims``: further wordings of the
    same claim accepted there)."""

    denying: Statement
    denied: Statement
    claims: tuple[str, ...] = ()

    @property
    def claim_texts(self) -> tuple[str, ...]:
        return tuple(t for t in (self.denied.text, *self.claims) if t)


@dataclass(frozen=True, slots=True)
class Corroboration:
    value: float
    sides: tuple[Statement, ...]
    text: str = ""
    measure: str = ""


@dataclass(frozen=True, slots=True)
class Relay:
    """A source chain, outermost first; each element holds the names accepted for it."""

    article: str
    chain: tuple[tuple[str, ...], ...]
    text: str = ""


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    domain: str
    articles: tuple[str, ...]
    conflicts: tuple[GoldConflict, ...] = ()
    revisions: tuple[Revision, ...] = ()
    denials: tuple[Denial, ...] = ()
    corroborations: tuple[Corroboration, ...] = ()
    relays: tuple[Relay, ...] = ()
    round: int = 0  # the round of a set written in rounds (0: none)


# ---------------------------------------------------------------- predicted records


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a reported conflict: its statement and the value(s) it gives."""

    article: str
    attribution: str = ""
    values: tuple[Range, ...] = ()
    source: str = ""
    content: str = ""
    denial: bool = False


@dataclass(frozen=True, slots=True)
class PredictedConflict:
    kind: str
    a: Side
    b: Side
    explanation: str = ""
    id: int = 0


@dataclass(frozen=True, slots=True)
class PredictedClaim:
    """A claim of the ledger: its independence and its members (one :class:`Side` each)."""

    id: int
    independence: str
    members: tuple[Side, ...]


@dataclass(frozen=True, slots=True)
class PredictedAttribution:
    article: str
    chain: tuple[str, ...]
    text: str = ""


@dataclass(frozen=True, slots=True)
class Prediction:
    """What one ledger reports."""

    conflicts: tuple[PredictedConflict, ...] = ()
    claims: tuple[PredictedClaim, ...] = ()
    attributions: tuple[PredictedAttribution, ...] = ()


# ---------------------------------------------------------------- scores


@dataclass(slots=True)
class Scores:
    """Counts over some stories, and the misses and false positives behind them."""

    stories: int = 0
    articles: int = 0
    conflicts_gold: int = 0
    conflicts_found: int = 0
    conflicts_reported: int = 0
    conflicts_true: int = 0
    conflicts_cross_story: int = 0
    revisions_gold: int = 0
    revisions_misreported: int = 0
    revisions_found: int = 0
    revisions_reported: int = 0
    denials_gold: int = 0
    denials_linked: int = 0
    denials_reported: int = 0
    denials_true: int = 0
    denials_cross_story: int = 0
    corroborations_gold: int = 0
    corroborations_found: int = 0
    relays_gold: int = 0
    relays_found: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add(self, other: Scores) -> None:
        for f in fields(self):
            if f.name == "errors":
                self.errors.extend(other.errors)
            else:
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def rates(self) -> dict[str, float]:
        p = _ratio(self.conflicts_true, self.conflicts_reported)
        r = _ratio(self.conflicts_found, self.conflicts_gold)
        return {
            "conflicts_precision": p,
            "conflicts_recall": r,
            "conflicts_f1": 2 * p * r / (p + r) if p + r else 0.0,
            "revisions_misreported_rate": _ratio(self.revisions_misreported, self.revisions_gold),
            "revisions_found_rate": _ratio(self.revisions_found, self.revisions_gold),
            "denials_recall": _ratio(self.denials_linked, self.denials_gold),
            "denials_precision": _ratio(self.denials_true, self.denials_reported),
            "corroborations_recall": _ratio(self.corroborations_found, self.corroborations_gold),
            "relays_recall": _ratio(self.relays_found, self.relays_gold),
        }

    def to_dict(self, errors: bool = False) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if k != "errors"}
        out.update({k: round(v, 4) for k, v in self.rates().items()})
        if errors:
            out["errors"] = self.errors
        return out


def _ratio(a: int, b: int) -> float:
    """``a / b``; 0.0 when nothing was counted (no prediction scores no precision)."""
    return a / b if b else 0.0


@dataclass(slots=True)
class StoriesReport:
    """Both modes: one ledger of all stories, and one ledger per story."""

    all_stories: Scores
    per_story: Scores
    by_story: dict[str, tuple[Scores, Scores]] = field(default_factory=dict)
    revisions_note: str = ""

    def to_dict(self, errors: bool = False, by_story: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "all_stories": self.all_stories.to_dict(errors),
            "per_story": self.per_story.to_dict(errors),
        }
        if by_story:
            out["by_story"] = {
                sid: {"all_stories": a.to_dict(), "per_story": b.to_dict()}
                for sid, (a, b) in self.by_story.items()
            }
        if self.revisions_note:
            out["note"] = self.revisions_note
        return out


# ---------------------------------------------------------------- matching


def value_matches(gold: float, values: Iterable[Range]) -> bool:
    """Whether a reported value (or range) is the gold value, within the tolerance."""
    tol = max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * abs(gold))
    return any(lo - tol <= gold <= hi + tol for lo, hi in values)


def name_key(name: str) -> str:
    """A source name for comparison: the project's :func:`normalize_name` (case, accents,
    punctuation, leading titles), then without a leading article ("a company memo")."""
    words = normalize_name(name).split()
    while len(words) > 1 and words[0] in _DETERMINERS:
        words = words[1:]
    return " ".join(words)


def _on(side: Side, figure: Figure) -> bool:
    return side.article == figure.article and value_matches(figure.value, side.values)


def _conflict_matches(c: PredictedConflict, gold: GoldConflict) -> bool:
    return any(
        (_on(c.a, ga) and _on(c.b, gb)) or (_on(c.a, gb) and _on(c.b, ga)) for ga, gb in gold.pairs
    )


def _is_figure_conflict(c: PredictedConflict) -> bool:
    return c.kind not in NOT_FIGURE_KINDS


def _on_revision(c: PredictedConflict, revision: Revision) -> bool:
    """Whether the two sides of ``c`` are two different statements of ``revision``."""
    for i, x in enumerate(revision.values):
        for y in revision.values[i + 1 :]:
            if (_on(c.a, x) and _on(c.b, y)) or (_on(c.a, y) and _on(c.b, x)):
                return True
    return False


def _overlaps(content: str, text: str, wanted: Iterable[str]) -> bool:
    """Whether ``content`` (a reported statement) covers one of the ``wanted`` stretches of
    the article ``text``; True when either cannot be found in the text (nothing to check)."""
    at = text.find(content) if content else -1
    spans = [(i, i + len(w)) for w in wanted if (i := text.find(w)) >= 0]
    if at < 0 or not spans:
        return True
    return any(at < end and start < at + len(content) for start, end in spans)


def _denial_matches(c: PredictedConflict, gold: Denial, texts: Mapping[str, str]) -> bool:
    """The reported denial links the gold denial's two articles (the side the ledger marks
    as the denial, if only one is, in the denying article), and its side in the denied
    article is the denied claim (its statement covers the claim's words there, when the
    article's text is at hand)."""
    arts = {c.a.article, c.b.article}
    if arts != {gold.denying.article, gold.denied.article} or len(arts) < 2:
        return False
    marked = [s for s in (c.a, c.b) if s.denial]
    if len(marked) == 1 and marked[0].article != gold.denying.article:
        return False
    denied = c.a if c.a.article == gold.denied.article else c.b
    return _overlaps(denied.content, texts.get(denied.article, ""), gold.claim_texts)


def _corroborated(claim: PredictedClaim, gold: Corroboration) -> bool:
    if claim.independence != "independent":
        return False
    used: set[tuple[str, str]] = set()
    sides = 0
    for want in gold.sides:
        for m in claim.members:
            key = (m.article, m.attribution)
            if (
                m.article == want.article
                and key not in used
                and value_matches(gold.value, m.values)
            ):
                used.add(key)
                sides += 1
                break
    return sides >= 2


def same_name(a: str, b: str) -> bool:
    """Whether two source names name the same source: equal after :func:`name_key`, or one
    ends with the other word for word (a descriptor before the name: "state news agency
    KeshInform" and "KeshInform", "district fire chief" and "fire chief")."""
    x, y = name_key(a).split(), name_key(b).split()
    if not x or not y:
        return False
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    return long_[len(long_) - len(short) :] == short


def _chain_matches(chain: Sequence[str], gold: Relay) -> bool:
    if len(chain) != len(gold.chain):
        return False
    return all(
        any(same_name(got, n) for n in names) for got, names in zip(chain, gold.chain, strict=True)
    )


def _story_of(stories: Sequence[Story]) -> dict[str, str]:
    return {a: s.id for s in stories for a in s.articles}


def score(
    stories: Sequence[Story],
    prediction: Prediction,
    texts: Mapping[str, str] | None = None,
) -> Scores:
    """Score what one ledger holding ``stories`` reports; ``texts`` (article id → text)
    gives the snippets of the error list."""
    texts = texts or {}
    story_of = _story_of(stories)
    s = Scores(stories=len(stories), articles=len(story_of))
    figure_conflicts = [c for c in prediction.conflicts if _is_figure_conflict(c)]
    revisions = [c for c in prediction.conflicts if c.kind == "revision"]
    denials = [c for c in prediction.conflicts if c.kind == "denial"]
    gold_conflicts = [g for st in stories for g in st.conflicts]
    gold_revisions = [g for st in stories for g in st.revisions]
    gold_denials = [g for st in stories for g in st.denials]
    err = s.errors.append

    s.conflicts_gold = len(gold_conflicts)
    for g in gold_conflicts:
        if any(_conflict_matches(c, g) for c in figure_conflicts):
            s.conflicts_found += 1
        else:
            err(_gold_error("missed conflict", story_of, g.sides, texts, g.note))
    s.conflicts_reported = len(figure_conflicts)
    for c in figure_conflicts:
        cross = _cross_story(c, story_of)
        s.conflicts_cross_story += cross
        if any(_conflict_matches(c, g) for g in gold_conflicts):
            s.conflicts_true += 1
        else:
            why = "false conflict (two stories)" if cross else "false conflict"
            if any(_on_revision(c, r) for r in gold_revisions):
                why = "false conflict (a revision)"
            err(_predicted_error(why, story_of, c))

    s.revisions_gold = len(gold_revisions)
    s.revisions_reported = len(revisions)
    for r in gold_revisions:
        if any(_on_revision(c, r) for c in figure_conflicts):
            s.revisions_misreported += 1
            err(_gold_error("revision reported as a conflict", story_of, r.values, texts, r.source))
        if any(_on_revision(c, r) for c in revisions):
            s.revisions_found += 1

    s.denials_gold = len(gold_denials)
    for d in gold_denials:
        if any(_denial_matches(c, d, texts) for c in denials):
            s.denials_linked += 1
        else:
            err(_gold_error("missed denial", story_of, (d.denying, d.denied), texts))
    s.denials_reported = len(denials)
    for c in denials:
        cross = _cross_story(c, story_of)
        s.denials_cross_story += cross
        if any(_denial_matches(c, d, texts) for d in gold_denials):
            s.denials_true += 1
        else:
            why = "false denial (two stories)" if cross else "false denial"
            err(_predicted_error(why, story_of, c))

    for st in stories:
        for k in st.corroborations:
            s.corroborations_gold += 1
            if any(_corroborated(claim, k) for claim in prediction.claims):
                s.corroborations_found += 1
            else:
                err(_gold_error("missed corroboration", story_of, k.sides, texts, k.measure))
        for relay in st.relays:
            s.relays_gold += 1
            chains = [a.chain for a in prediction.attributions if a.article == relay.article]
            if any(_chain_matches(chain, relay) for chain in chains):
                s.relays_found += 1
            else:
                e = _gold_error("missed relay", story_of, (relay,), texts)
                e["want"] = [list(names) for names in relay.chain]
                e["got"] = [list(chain) for chain in chains if len(chain) > 1]
                err(e)
    return s


def _cross_story(c: PredictedConflict, story_of: Mapping[str, str]) -> bool:
    a, b = story_of.get(c.a.article), story_of.get(c.b.article)
    return a is not None and b is not None and a != b


def _snippet(text: str, needle: str, width: int = 160) -> str:
    """The sentence-sized stretch of ``text`` around ``needle`` (its start when absent)."""
    at = text.find(needle) if needle else -1
    if at < 0:
        return text[:width].replace("\n", " ")
    start = max(text.rfind("\n", 0, at) + 1, at - width // 2)
    if start > 0 and text[start - 1] not in " \n":
        space = text.find(" ", start, at)
        start = space + 1 if space >= 0 else at
    end = min(len(text), max(at + len(needle), start + width))
    newline = text.find("\n", at + len(needle))
    if 0 <= newline < end:
        end = newline
    return text[start:end].strip()


def _gold_error(
    what: str,
    story_of: Mapping[str, str],
    items: Iterable[Figure | Statement | Relay],
    texts: Mapping[str, str],
    note: str = "",
) -> dict[str, Any]:
    sides = []
    for item in items:
        side: dict[str, Any] = {"article": item.article}
        if isinstance(item, Figure):
            side.update(source=item.source, value=item.value, measure=item.measure)
        elif isinstance(item, Statement):
            side["source"] = item.source
        side["snippet"] = _snippet(texts.get(item.article, ""), item.text)
        sides.append(side)
    story = story_of.get(sides[0]["article"], "") if sides else ""
    return {"error": what, "story": story, "note": note, "sides": sides}


def _predicted_error(
    what: str, story_of: Mapping[str, str], c: PredictedConflict
) -> dict[str, Any]:
    sides = [
        {
            "article": x.article,
            "story": story_of.get(x.article, ""),
            "attribution": x.attribution,
            "source": x.source,
            "values": [list(v) for v in x.values],
            "snippet": x.content[:200],
        }
        for x in (c.a, c.b)
    ]
    return {
        "error": what,
        "story": story_of.get(c.a.article, ""),
        "kind": c.kind,
        "note": c.explanation[:200],
        "sides": sides,
    }


# ---------------------------------------------------------------- loading


def default_data_dir() -> Path:
    """``eval/data/stories`` of the checkout (:class:`DataNotFound` outside one)."""
    return checkout_root() / EVAL_DATA / "stories"


def _files(data: Path) -> tuple[Path, Path]:
    articles, gold = data / "articles.jsonl", data / "gold.json"
    for path in (articles, gold):
        if not path.is_file():
            raise DataNotFound(f"stories data not found: {path} is missing (give --data)")
    return articles, gold


def _figure(d: Mapping[str, Any]) -> Figure:
    return Figure(
        article=d["article"],
        value=float(d["value"]),
        source=d.get("source", ""),
        text=d.get("text", ""),
        measure=d.get("measure", ""),
    )


def _pair(sides: Sequence[Mapping[str, Any]]) -> tuple[Figure, Figure]:
    if len(sides) != 2:
        raise ValueError(f"a conflict has two sides, not {len(sides)}")
    return _figure(sides[0]), _figure(sides[1])


def _statement(d: Mapping[str, Any], text_key: str = "text") -> Statement:
    return Statement(article=d["article"], source=d.get("source", ""), text=d.get(text_key, ""))


def _denial(d: Mapping[str, Any]) -> Denial:
    """A gold denial; its denied ``claim`` is one wording or a list of them."""
    denied = dict(d["denied"])
    claim = denied.get("claim", "")
    wordings = [claim] if isinstance(claim, str) else list(claim)
    denied["claim"] = wordings[0] if wordings else ""
    return Denial(_statement(d["denying"], "cue"), _statement(denied, "claim"), tuple(wordings[1:]))


def _chain(names: Sequence[str | Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple((n,) if isinstance(n, str) else tuple(n) for n in names)


def _story(d: Mapping[str, Any]) -> Story:
    revisions = []
    for r in d.get("revisions", []):
        values = r.get("values") or [r["old"], r["new"]]
        revisions.append(
            Revision(r.get("source", ""), r.get("measure", ""), tuple(map(_figure, values)))
        )
    return Story(
        id=d["id"],
        domain=d.get("domain", ""),
        articles=tuple(d["articles"]),
        conflicts=tuple(
            GoldConflict(
                _pair(c["sides"]),
                c.get("note", ""),
                tuple(_pair(p) for p in c.get("also", [])),
            )
            for c in d.get("conflicts", [])
        ),
        revisions=tuple(revisions),
        denials=tuple(_denial(x) for x in d.get("denials", [])),
        corroborations=tuple(
            Corroboration(
                value=float(c["value"]),
                sides=tuple(_statement(s) for s in c["sides"]),
                text=c.get("text", ""),
                measure=c.get("measure", ""),
            )
            for c in d.get("corroborations", [])
        ),
        relays=tuple(
            Relay(r["article"], _chain(r["chain"]), r.get("text", "")) for r in d.get("relays", [])
        ),
        round=int(d.get("round", 0)),
    )


def load_gold(data: Path | None = None) -> list[Story]:
    """The stories of ``DATA/gold.json`` (default: the checkout's development set)."""
    _, gold = _files(data or default_data_dir())
    return [_story(d) for d in json.loads(gold.read_text(encoding="utf-8"))["stories"]]


def load_articles(data: Path | None = None) -> list[dict[str, Any]]:
    """The article records of ``DATA/articles.jsonl``, in file order."""
    articles, _ = _files(data or default_data_dir())
    with articles.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# ---------------------------------------------------------------- reading a ledger


def parse_values(value: Any) -> tuple[Range, ...]:
    """A conflict side's stated value ("1,200", "3–5", 12.0) as ranges; () when none."""
    if isinstance(value, int | float):
        return ((float(value), float(value)),)
    if not isinstance(value, str):
        return ()
    numbers = [float(n) for n in _NUMBER.findall(value.replace(",", ""))]
    if len(numbers) == 1:
        return ((numbers[0], numbers[0]),)
    if len(numbers) == 2 and re.search(r"\d\s*[–-]\s*\d", value):
        return ((min(numbers), max(numbers)),)
    return ()


def _member_values(m: ClaimMember) -> tuple[Range, ...]:
    """Every figure a claim member states: its value and each of its figures."""
    out: list[Range] = []
    if m.value is not None:
        lo = float(m.value)
        hi = float(m.value_max) if m.value_max is not None else lo
        out.append((lo, hi))
    for f in m.figures or []:
        if f.get("value") is not None:
            lo = float(f["value"])
            hi = float(f["value_max"]) if f.get("value_max") is not None else lo
            out.append((lo, hi))
    return tuple(dict.fromkeys(out))


def _member_side(m: ClaimMember, denial: bool) -> Side:
    return Side(
        article=m.article_id,
        attribution=m.attribution_id,
        values=_member_values(m),
        source=m.source or "",
        content=m.content or "",
        denial=denial,
    )


def _conflict_side(row: Mapping[str, Any], side: str, detail: Claim | None) -> Side:
    article, _, attribution = str(row[f"attribution_{side}"]).rpartition(":")
    member = next(
        (
            m
            for m in (detail.members if detail else [])
            if m.article_id == article and m.attribution_id == attribution
        ),
        None,
    )
    values = parse_values(row[f"value_{side}"])
    if not values and member is not None:
        values = _member_values(member)
    return Side(
        article=article,
        attribution=attribution,
        values=values,
        source=row[f"source_{side}"] or "",
        content=(member.content if member else None) or "",
        denial=bool(detail.denial if detail else False),
    )


def predict(ledger: Ledger, article_ids: Iterable[str]) -> Prediction:
    """What ``ledger`` reports: its conflicts (with each side's values), its claims (with
    their members' figures) and the source chains of the attributions of ``article_ids``."""
    con = ledger.con
    details: dict[int, Claim | None] = {}

    def detail(cid: int) -> Claim | None:
        if cid not in details:
            details[cid] = claim_detail(con, cid)
        return details[cid]

    conflicts = tuple(
        PredictedConflict(
            kind=r["kind"],
            a=_conflict_side(r, "a", detail(r["claim_a"])),
            b=_conflict_side(r, "b", detail(r["claim_b"])),
            explanation=r["explanation"] or "",
            id=r["id"],
        )
        for r in list_conflicts(con, limit=READ_LIMIT)
    )
    claims = tuple(
        PredictedClaim(
            id=c.id,
            independence=c.independence,
            members=tuple(_member_side(m, c.denial) for m in c.members),
        )
        for c in list_claims(con, min_articles=1, limit=READ_LIMIT)
    )
    attributions: list[PredictedAttribution] = []
    for aid in article_ids:
        analysis = ledger.get(aid)
        if analysis is None:
            continue
        attributions.extend(
            PredictedAttribution(aid, tuple(a.chain), a.content.text) for a in analysis.attributions
        )
    return Prediction(conflicts, claims, tuple(attributions))


def _ledger_prediction(
    records: Sequence[Mapping[str, Any]], analyzer: Analyzer, workdir: Path, name: str
) -> Prediction:
    """Ingest ``records`` into a fresh ledger in ``workdir`` and read what it reports."""
    path = workdir / f"{name}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with Ledger(workdir / f"{name}.db") as ledger:
        ingest(ledger, [str(path)], analyzer=analyzer)
        return predict(ledger, [str(r["id"]) for r in records])


def evaluate(
    data: Path | None = None,
    analyzer: Analyzer | None = None,
    *,
    stories: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> StoriesReport:
    """Ingest the set into one ledger of all stories and into one ledger per story, and
    score both. ``stories`` keeps only the stories with those ids."""
    data = data or default_data_dir()
    gold = load_gold(data)
    if stories is not None:
        wanted = set(stories)
        gold = [s for s in gold if s.id in wanted]
    records = load_articles(data)
    in_set = {a for s in gold for a in s.articles}
    records = [r for r in records if str(r["id"]) in in_set]
    texts = {str(r["id"]): str(r["text"]) for r in records}
    by_id = {str(r["id"]): r for r in records}
    analyzer = analyzer or Analyzer()
    with tempfile.TemporaryDirectory(prefix="newsledger-stories-") as tmp:
        work = Path(tmp)
        if progress:
            progress("all stories in one ledger")
        together = _ledger_prediction(records, analyzer, work, "all")
        report = StoriesReport(all_stories=score(gold, together, texts), per_story=Scores())
        for i, story in enumerate(gold):
            if progress:
                progress(f"story {story.id}")
            mine = [by_id[a] for a in story.articles if a in by_id]
            alone = score([story], _ledger_prediction(mine, analyzer, work, f"story{i}"), texts)
            report.per_story.add(alone)
            report.by_story[story.id] = (
                score([story], _restrict(together, set(story.articles)), texts),
                alone,
            )
    if report.all_stories.revisions_reported == 0 and report.per_story.revisions_reported == 0:
        report.revisions_note = (
            "the ledger reports no revisions (no conflict of kind 'revision'): revisions found is 0"
        )
    return report


def _restrict(p: Prediction, articles: set[str]) -> Prediction:
    """The part of ``p`` about ``articles``: a conflict with a side among them, a claim with
    a member among them (the by-story view of the one ledger of all stories)."""
    return Prediction(
        tuple(c for c in p.conflicts if c.a.article in articles or c.b.article in articles),
        tuple(c for c in p.claims if any(m.article in articles for m in c.members)),
        tuple(a for a in p.attributions if a.article in articles),
    )


# ---------------------------------------------------------------- reports


_ROWS = (
    ("conflicts P", "conflicts_precision", "conflicts_true", "conflicts_reported"),
    ("conflicts R", "conflicts_recall", "conflicts_found", "conflicts_gold"),
    ("conflicts F1", "conflicts_f1", None, None),
    (
        "revisions misreported",
        "revisions_misreported_rate",
        "revisions_misreported",
        "revisions_gold",
    ),
    ("revisions found", "revisions_found_rate", "revisions_found", "revisions_gold"),
    ("denials linked (R)", "denials_recall", "denials_linked", "denials_gold"),
    ("denials P", "denials_precision", "denials_true", "denials_reported"),
    ("corroborations", "corroborations_recall", "corroborations_found", "corroborations_gold"),
    ("relays", "relays_recall", "relays_found", "relays_gold"),
)


def _cell(scores: Scores, rate: str, num: str | None, den: str | None) -> str:
    value = scores.rates()[rate]
    if num is None or den is None:
        return f"{value:.3f}"
    return f"{value:.3f} ({getattr(scores, num)}/{getattr(scores, den)})"


def format_report(report: StoriesReport, by_story: bool = False) -> str:
    """Both modes side by side; with ``by_story``, one line per story after them."""
    a, b = report.all_stories, report.per_story
    lines = [
        f"Cross-article stories: {a.stories} stories, {a.articles} articles",
        f"  {'':24}{'all stories, one ledger':>26}{'one ledger per story':>26}",
    ]
    for label, rate, num, den in _ROWS:
        lines.append(f"  {label:24}{_cell(a, rate, num, den):>26}{_cell(b, rate, num, den):>26}")
    lines.append(
        f"  {'cross-story reports':24}"
        f"{f'{a.conflicts_cross_story} conflicts, {a.denials_cross_story} denials':>26}"
        f"{f'{b.conflicts_cross_story} conflicts, {b.denials_cross_story} denials':>26}"
    )
    if report.revisions_note:
        lines.append(f"  note: {report.revisions_note}")
    if by_story:
        lines.append("")
        lines.append(
            "  by story (all-stories ledger | per-story ledger): conflicts P/R, revisions "
            "misreported, denials, corroborations, relays"
        )
        for sid, (x, y) in report.by_story.items():
            lines.append(f"  {sid:24} {_story_cells(x)} | {_story_cells(y)}")
    return "\n".join(lines)


def _story_cells(s: Scores) -> str:
    return (
        f"{s.conflicts_true}/{s.conflicts_reported} {s.conflicts_found}/{s.conflicts_gold}  "
        f"{s.revisions_misreported}/{s.revisions_gold}  {s.denials_linked}/{s.denials_gold}  "
        f"{s.corroborations_found}/{s.corroborations_gold}  {s.relays_found}/{s.relays_gold}"
    )


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def format_errors(report: StoriesReport) -> str:
    """Every miss and false positive of both modes, with the articles' words."""
    lines: list[str] = []
    for mode, scores in (("all stories", report.all_stories), ("per story", report.per_story)):
        lines.append(f"Errors — {mode} ({len(scores.errors)}):")
        for e in scores.errors:
            head = f"  [{e['story']}] {e['error']}"
            if e.get("note"):
                head += f": {e['note']}"
            lines.append(head)
            for side in e["sides"]:
                what = side.get("source", "")
                if "value" in side:
                    what += f" = {_num(side['value'])}"
                elif side.get("values"):
                    what += " = " + ", ".join(
                        _num(lo) if lo == hi else f"{_num(lo)}–{_num(hi)}"
                        for lo, hi in side["values"]
                    )
                lines.append(f"      {side['article']} {what}: {side['snippet']}")
            if "want" in e:
                lines.append(f"      want chain {e['want']}; chains found: {e['got']}")
    return "\n".join(lines)
