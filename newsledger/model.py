"""Typed records shared by every layer: readers, extractors, ledger, CLI, API.

The JSON form of :class:`Analysis` is the versioned schema ``newsledger.analysis/1``
(documented in ``docs/schema.md``). Every span carries character offsets into the
article text, and ``text[start:end] == span.text`` holds for each of them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

SCHEMA = "newsledger.analysis/1"

AttributionKind = Literal["direct", "mixed", "indirect", "according_to", "statement"]
ATTRIBUTION_KINDS: tuple[str, ...] = ("direct", "mixed", "indirect", "according_to", "statement")
#: What an attribution reports (newsledger.extract.acts): said, wrote, criticized the deal,
#: believes, plans, found, saw, ordered, asked whether, urged them to.
SpeechAct = Literal[
    "speech",
    "writing",
    "stance",
    "thought",
    "intent",
    "finding",
    "perception",
    "decision",
    "question",
    "request",
]
SPEECH_ACTS: tuple[str, ...] = get_args(SpeechAct)


@dataclass(frozen=True, slots=True)
class Article:
    """One input article, as a reader yields it."""

    text: str
    id: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date "YYYY-MM-DD" when known
    url: str | None = None
    site: str | None = None  # outlet or site name ("BBC News", "example.com") when known
    origin: str | None = None  # where it was read from ("file.jsonl:12"), for error messages
    flags: tuple[str, ...] = ()  # reader notes, e.g. ("invalid_utf8",) when bytes were replaced

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(slots=True)
class Span:
    text: str
    start: int
    end: int

    @classmethod
    def of(cls, doc_text: str, start: int, end: int) -> Span:
        return cls(doc_text[start:end], start, end)


@dataclass(slots=True)
class Source:
    text: str
    start: int
    end: int
    name: str  # canonical in-document name ("Kim Jong Un" for "Kim", "he")
    entity: str | None = None  # id into Analysis.entities
    type: str = "unknown"  # person|organization|group|place|document|unnamed|unknown
    # the title or description the phrase gives its entity: "chief executive" in "the
    # company's chief executive, Dana Whitfield"; None when the phrase is a name or a pronoun
    role: str | None = None


@dataclass(slots=True)
class Attribution:
    id: str
    kind: AttributionKind
    cue: Span
    content: Span
    source: Source | None
    parent: str | None = None
    chain: list[str] = field(default_factory=list)
    confidence: float = 0.5
    # the content's pieces when the source and cue interrupt it ("“X,” he said, “Y.”"); empty
    # when the content is one piece. ``content`` spans them all.
    content_parts: list[Span] = field(default_factory=list)
    act: SpeechAct = "speech"  # what the cue reports; claims are speech, writing and findings


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[list[int]] = field(default_factory=list)
    kb: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Quantity:
    text: str
    start: int
    end: int
    value: float | None
    value_max: float | None = None
    unit: str | None = None
    approximate: bool = False
    vague: bool = False
    part_of: str | None = None
    attribution: str | None = None
    id: str = ""
    measure: str | None = None  # what it counts, as lemmas: "ballot reject", "job cut"


@dataclass(slots=True)
class DateMention:
    text: str
    start: int
    end: int
    value: str | None
    anchor: Literal["published", "explicit", "none"] = "none"
    attribution: str | None = None


@dataclass(slots=True)
class Event:
    id: str
    trigger: Span
    type: str
    actor: str | None = None
    target: str | None = None
    location: str | None = None
    date: str | None = None
    attribution: str | None = None


@dataclass(slots=True)
class Issue:
    kind: str  # misspelling | weekday_mismatch | unbalanced_quotes | invalid_utf8 | truncated | ...
    text: str
    start: int
    end: int
    suggestion: str | None = None
    confidence: float | None = None
    message: str | None = None


@dataclass(slots=True)
class ArticleInfo:
    id: str
    title: str | None
    published: str | None
    url: str | None
    text_sha256: str
    site: str | None = None


@dataclass(slots=True)
class Analysis:
    article: ArticleInfo
    text: str
    attributions: list[Attribution] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"schema": SCHEMA, "article": asdict(self.article)}
        if include_text:
            out["text"] = self.text
        for name in ("attributions", "entities", "quantities", "dates", "events", "issues"):
            out[name] = [asdict(x) for x in getattr(self, name)]
        return out

    def to_json(self, indent: int | None = None, include_text: bool = False) -> str:
        return json.dumps(self.to_dict(include_text), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any], text: str | None = None) -> Analysis:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} record: schema={data.get('schema')!r}")

        def attribution(d: dict[str, Any]) -> Attribution:
            src = d.get("source")
            return Attribution(
                id=d["id"],
                kind=d["kind"],
                cue=Span(**d["cue"]),
                content=Span(**d["content"]),
                source=Source(**src) if src else None,
                parent=d.get("parent"),
                chain=list(d.get("chain", [])),
                confidence=d.get("confidence", 0.5),
                content_parts=[Span(**p) for p in d.get("content_parts", [])],
                act=d.get("act", "speech"),
            )

        return cls(
            article=ArticleInfo(**data["article"]),
            text=text if text is not None else data.get("text", ""),
            attributions=[attribution(a) for a in data.get("attributions", [])],
            entities=[Entity(**e) for e in data.get("entities", [])],
            quantities=[Quantity(**q) for q in data.get("quantities", [])],
            dates=[DateMention(**d) for d in data.get("dates", [])],
            events=[
                Event(**{**e, "trigger": Span(**e["trigger"])}) for e in data.get("events", [])
            ],
            issues=[Issue(**i) for i in data.get("issues", [])],
        )

    def spans(self) -> list[tuple[str, str, int, int]]:
        """Every span in the record as (where, text, start, end), for checking offsets."""
        out: list[tuple[str, str, int, int]] = []
        for a in self.attributions:
            out.append((f"{a.id}.cue", a.cue.text, a.cue.start, a.cue.end))
            out.append((f"{a.id}.content", a.content.text, a.content.start, a.content.end))
            for p in a.content_parts:
                out.append((f"{a.id}.content_part", p.text, p.start, p.end))
            if a.source:
                out.append((f"{a.id}.source", a.source.text, a.source.start, a.source.end))
        for q in self.quantities:
            out.append(("quantity", q.text, q.start, q.end))
        for d in self.dates:
            out.append(("date", d.text, d.start, d.end))
        for e in self.events:
            out.append((f"{e.id}.trigger", e.trigger.text, e.trigger.start, e.trigger.end))
        for i in self.issues:
            out.append((f"issue.{i.kind}", i.text, i.start, i.end))
        for ent in self.entities:
            for m_start, m_end in ent.mentions:
                out.append((f"{ent.id}.mention", self.text[m_start:m_end], m_start, m_end))
        return out
