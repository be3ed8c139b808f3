"""What one attribution states, in comparable form: content terms, figures, dates, denial.

Figures come from the record's ``quantities`` (those attributed to the attribution or inside
its content); an article whose record has no quantities at all is read with a small number
reader instead (digits, "1,000 to 3,000", "thousands of"); each is read in its context by
:mod:`newsledger.extract.figures`. Dates likewise come from the record's ``dates`` or, when
the record has none, from month names in the content.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any

from newsledger.crossdoc.lexicon import lexicon
from newsledger.extract.figures import (
    GENERAL,
    Figure,
    body_start,
    build_figure,
    contrast_cue,
    denied_facets,
    figure_context,
    is_list_line,
    other_toll,
    read_figures,
    revision_cue,
    sentence_at,
    sum_of,
    word_list,
)
from newsledger.extract.months import date_interval, month_part, names_a_month, read_months
from newsledger.extract.tolls import Toll, read_tolls
from newsledger.model import Attribution, DateMention, Event, Quantity
from newsledger.resources import speech_acts
from newsledger.settings import DEFAULT_SETTINGS
from newsledger.text import normalize_name, stem, stop_words

__all__ = [
    "OWN_PREFIX",
    "OWN_SOURCE",
    "ArticleFacts",
    "Proposition",
    "denial_in",
    "outlet_of",
    "own_span",
    "per_figure",
    "propositions_of",
    "subject_keys",
    "terms_of",
]

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass
class Proposition:
    article_id: str
    attribution_id: str
    position: int
    content: str
    chain: list[str]
    source_name: str | None
    source_entity: str | None
    source_type: str | None
    published: str | None
    terms: set[str] = field(default_factory=set)
    figures: list[Figure] = field(default_factory=list)
    dates: list[tuple[str, str, str]] = field(default_factory=list)  # (lo, hi, text)
    start: bool = False  # the content speaks of something beginning (for date conflicts)
    denial: bool = False
    denied_facets: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    subjects: set[str] = field(default_factory=set)
    span: tuple[int, int] = (0, 0)
    #: which of its statement's figures this proposition states (:func:`per_figure`): 0 the
    #: statement itself (its first figure, dates, events, denial), 1… each further figure
    part: int = 0


def terms_of(text: str) -> set[str]:
    """Content words of ``text``: lower case, no stop words, no numbers, plural -s removed."""
    stop = stop_words()
    words = _WORD.findall(text.lower().replace("’", "'"))
    return {stem(w.removesuffix("'s")) for w in words if len(w) > 2 and w not in stop}


def _drop_subsets(props: list[Proposition]) -> list[Proposition]:
    """Within one article, a count of a subgroup ("five officers", "two women", "including
    three children") is not a competing total when the article also counts people at large
    ("nine people were injured") for the same facet: such figures are dropped (and the
    outlet's own statements left without a figure)."""
    general = set(lexicon()["general_groups"])
    facets = {
        f.facet for p in props for f in p.figures
        if f.unit == "people" and (f.group in general or f.group is None) and not f.part_of
    }  # fmt: skip

    def subset(f: Figure) -> bool:
        return (
            f.unit == "people"
            and f.facet in facets
            and (f.part_of or (f.group is not None and f.group not in general))
        )

    out = []
    for p in props:
        if any(subset(f) for f in p.figures):
            p.figures = [f for f in p.figures if not subset(f)]
            if p.source_type == "outlet" and not p.figures:
                continue
            if p.figures:
                p.subjects = p.figures[0].subjects
        out.append(p)
    return out


def _clause(text: str, s: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause around ``text[s:e]`` within ``[lo, hi)``: bounded by . ; : ! ? and ", "."""
    before = text[lo:s]
    cuts = [before.rfind(c) for c in (". ", "; ", ": ", "! ", "? ", ", ")]
    start = lo + max(cuts) + 1 if max(cuts) >= 0 else lo
    after = text[e:hi]
    ends = [i for c in (". ", "; ", ": ", "! ", "? ", ", ") if (i := after.find(c)) >= 0]
    end = e + min(ends) if ends else hi
    return start, end


def denial_in(cue: str, content: str) -> bool:
    """A denial of a claim: the cue is a denying verb ("denied that …", "dismissed reports
    that …"), or the content denies one — a denying verb with a claim as its object ("rejected
    accusations that …"; not "rejected 2,100 applications", a thing), a word that calls it
    false ("fabrication", "baseless") or "not true"."""
    lex = lexicon()
    cues = set(lex["denial_cues"])
    words = word_list(content)
    cue_words = set(word_list(cue))
    objects = set(lex["denial_objects"])
    if cue_words & cues:
        # "denied that …", "rejected the claim …", "denied sending any water" (an act it
        # is accused of), "denied it had sat on warnings" (a clause); not "rejected a
        # proposal": a thing
        gerund = bool(words) and len(words[0]) > 4 and words[0].endswith("ing")
        named = any(w in objects for w in words[:4] if w != "that") or words[:1] == ["that"]
        return gerund or named or _is_clause(words)
    if _calls_false(content):
        return True
    negated = set(words[:5]) & {"never", "none", "not", "no"}
    if cue_words & set(lex["insist_cues"]) and negated:
        # "insisted that none of the exits had been locked": an accusation answered by its
        # negation
        return True
    if cue_words & set(lex["rebuttal_cues"]) and _is_clause(words):
        return True  # "insisted the fans had been running normally"
    if words[:1] and words[0] in lex["self_subjects"] and _never_did(words[1:4]):
        return True  # "said it had never recommended …": its own acts, denied
    for i, w in enumerate(words):
        if w in cues and any(x in objects for x in words[i + 1 : i + 5]):
            return True
    return any(
        (a == "not" and b in ("true", "correct", "accurate")) or (a, b) == ("no", "truth")
        for a, b in zip(words, words[1:], strict=False)
    )


_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")


def _calls_false(content: str) -> bool:
    """Whether a content calls what is said false with a word for it ("the reports were
    baseless", "a fabrication.", "false and misleading", "fake news"): ``denial_words`` that
    end the content or a clause, or come before one of ``denial_word_followers``; not one
    that describes a thing ("using hundreds of fake accounts", "false documents")."""
    lex = lexicon()
    said = set(lex["denial_words"])
    followers = set(lex["denial_word_followers"])
    tokens = _TOKEN.findall(content.lower())
    for i, token in enumerate(tokens):
        if token in said:
            after = tokens[i + 1] if i + 1 < len(tokens) else ""
            if not after or not after[0].isalnum() or after in followers:
                return True
    return False


def _never_did(words: list[str]) -> bool:
    """ "had never recommended", "never instructed": an act denied in the active voice (not
    "were never contacted": a complaint of what others did not do)."""
    if "never" not in words:
        return False
    before = words[: words.index("never")]
    return all(w in ("had", "has", "have", "did", "does", "do", "would", "will") for w in before)


def _is_clause(words: list[str]) -> bool:
    """Whether a content is a clause ("it had sat on warnings", "the fans were off"): an
    auxiliary among its first words, before any relative word ("applications that had been
    filed" is a thing); "that" may open it."""
    openers = set(lexicon()["clause_openers"])
    if words[:1] == ["that"]:
        words = words[1:]
    for w in words[:10]:
        if w in ("that", "which", "who", "whose", "whom"):
            return False
        if w in openers:
            return True
    return False


def _keep(rows: list[tuple[int, Attribution]]) -> list[tuple[int, Attribution]]:
    """One attribution per stretch of content: nested attributions of one report ("Yonhap,
    citing the NIS, reported that …") share the content (most of the longer one; a short
    statement nested in a longer one is a statement of its own); keep a denial ("denied that its
    managers had known …" over what it holds), else the longest chain. ``rows``: (position in
    the record, attribution)."""
    cues = set(lexicon()["denial_cues"])
    ordered = sorted(
        rows,
        key=lambda x: (not (set(word_list(x[1].cue.text or "")) & cues),
                       -len(x[1].chain), -(x[1].content.end - x[1].content.start), x[0]),
    )  # fmt: skip
    kept: list[tuple[int, Attribution]] = []
    for position, r in ordered:
        s, e = r.content.start, r.content.end
        dup = False
        for _, k in kept:
            overlap = min(e, k.content.end) - max(s, k.content.start)
            longer = max(e - s, k.content.end - k.content.start) or 1
            if overlap / longer >= 0.6:
                dup = True
                break
        if not dup:
            kept.append((position, r))
    return sorted(kept, key=lambda x: x[0])


@dataclass
class ArticleFacts:
    """What the propositions of one stored article are read from: its text and its typed
    record's attributions, quantities, dates and events (in record order, as
    :class:`~newsledger.model.Analysis` holds them), its entity mentions as (entity id, start,
    end), the subject keys of the ledger entities it mentions (:func:`subject_keys`) and the
    outlet it speaks for (:func:`outlet_of`)."""

    article_id: str
    text: str
    published: str | None
    outlet: str | None = None
    attributions: list[Attribution] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    mentions: list[tuple[str, int, int]] = field(default_factory=list)
    subject_keys: dict[int, set[str]] = field(default_factory=dict)


def _subjects_in(facts: ArticleFacts, entity_map: dict[str, int], start: int, end: int) -> set[str]:
    """The subject keys of the entities mentioned within ``[start, end)``."""
    return {
        k for eid, ms, me in facts.mentions
        if start <= ms and me <= end and eid in entity_map
        for k in facts.subject_keys.get(entity_map[eid], set())
    }  # fmt: skip


def _number_within(text: str, qs: int, qe: int, s: int) -> bool:
    """A quantity ``text[qs:qe]`` starts inside a content starting at ``s``, or only its
    hedge lies before it: the content "9,500" of "estimated 9,500", where the cue is the
    quantity's hedge."""
    return s <= qs or (qs < s < qe and any(c.isdigit() for c in text[s:qe]))


def _figures_of(
    p: Proposition,
    r: Attribution,
    facts: ArticleFacts,
    entity_map: dict[str, int],
    stated: list[tuple[int, int, str]],
    lead_tolls: dict[str, Toll],
) -> None:
    """Fill ``p.figures``: the figures inside attribution ``r``'s content, then the lead's
    tolls its content states in other words."""
    text, published = facts.text, facts.published
    s, e = r.content.start, r.content.end
    if facts.quantities:
        found = [
            (q.start, q.end, asdict(q)) for q in facts.quantities
            if q.attribution == r.id or (_number_within(text, q.start, q.end, s) and q.end <= e)
        ]  # fmt: skip
    else:
        found = read_figures(text, s, e)
    last: tuple[int, int, Figure] | None = None
    for qs, qe, fields in found:
        if (fig := build_figure(text, qs, qe, e, fields)) is None:
            if not p.figures or fields.get("value") is None:
                continue
            # "4,700 soldiers …, including some 600 dead": the unit carries over
            fig = build_figure(text, qs, qe, e, {**fields, "unit": p.figures[-1].unit})
            if fig is None or fig.facet == "total":
                continue
        if other_toll(text, qs, qe, fig, published, stated):
            continue  # "in 2009, 13 people were killed": another incident's toll
        if last is not None and (both := sum_of(text, last, (qs, qe, fig))) is not None:
            qs, fig = both[0], both[2]  # "three victims … and four others were killed"
            p.figures.pop()
        last = (qs, qe, fig)
        cs, ce = _clause(text, qs, qe, s, e)
        fig.subjects = _subjects_in(facts, entity_map, cs, ce)
        fig.revised = revision_cue(text, qs, qe)
        fig.contrast = contrast_cue(text, qs, qe)
        fig.context = figure_context(text, qs, qe, min(s, qs), max(e, qe))
        p.figures.append(fig)
    for toll in lead_tolls.values():
        if s <= toll.start < e and all(f.facet != toll.kind for f in p.figures):
            # "police said a man was shot and killed": the lead's toll, in their words
            fig = toll.figure()
            cs, ce = _clause(text, toll.start, toll.end, s, e)
            fig.subjects = _subjects_in(facts, entity_map, cs, ce)
            p.figures.append(fig)


def _dates_of(p: Proposition, r: Attribution, facts: ArticleFacts) -> None:
    """Fill ``p.dates``: the record's dates of a day or a month inside (or attached to)
    attribution ``r``, or, when the record has no dates, the months its content names."""
    if not facts.dates:
        p.dates = read_months(p.content, facts.published)
        return
    text = facts.text
    s, e = r.content.start, r.content.end
    for d in facts.dates:
        inside = s <= d.start and d.end <= e
        if not (inside or d.attribution == r.id) or not d.value:
            continue
        part = month_part(text[max(0, d.start - 20) : d.start], d.text)
        if not re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", d.value):
            continue  # a year or a week is too coarse to disagree on a start
        if not names_a_month(d.text):
            continue  # "last month": relative to the article, not a stated month
        if iv := date_interval(d.value, part):
            p.dates.append((iv[0], iv[1], d.text))


def _events_of(
    p: Proposition, r: Attribution, facts: ArticleFacts, entity_map: dict[str, int]
) -> None:
    """Fill ``p.events``: the record's events of attribution ``r`` (or triggered inside its
    content) with a participant, as ``type:actor:target`` over ledger entities."""
    s, e = r.content.start, r.content.end
    for ev in facts.events:
        if ev.attribution == r.id or (s <= ev.trigger.start < e):
            actor = entity_map.get(ev.actor or "", ev.actor)
            target = entity_map.get(ev.target or "", ev.target)
            if actor is not None or target is not None:  # "fight" alone says too little
                p.events.add(f"{ev.type}:{actor}:{target}")


def propositions_of(facts: ArticleFacts, entity_map: dict[str, int]) -> list[Proposition]:
    """The propositions of one article (nested duplicates dropped): one per kept
    attribution, then the outlet's own statements. ``entity_map``: article entity id →
    ledger entity id."""
    lex = lexicon()
    stated = _stated_dates(facts.dates)
    lead_tolls = read_tolls(facts.text, facts.published)
    out: list[Proposition] = []
    claims = speech_acts().claim_acts  # thoughts, intentions, perceptions are no claims
    kept = [(i, r) for i, r in enumerate(facts.attributions) if r.act in claims]
    for position, r in _keep(kept):
        s, e = r.content.start, r.content.end
        content = r.content.text
        source = r.source
        p = Proposition(
            article_id=facts.article_id,
            attribution_id=r.id,
            position=position,
            content=content,
            chain=list(r.chain),
            source_name=source.name if source else None,
            source_entity=source.entity if source else None,
            source_type=source.type if source else None,
            published=facts.published,
            span=(s, e),
        )
        p.terms = terms_of(content)
        _figures_of(p, r, facts, entity_map, stated, lead_tolls)
        _dates_of(p, r, facts)
        words = set(word_list(content))
        p.start = bool(words & set(lex["start_words"]))
        p.denial = denial_in(r.cue.text, content)
        if p.denial:
            p.denied_facets = denied_facets(content, p.figures)
        _events_of(p, r, facts, entity_map)
        p.subjects = p.figures[0].subjects if p.figures else _subjects_in(facts, entity_map, s, e)
        out.append(p)
    out += _own_statements(facts, entity_map, stated, lead_tolls)
    out += _described_sources(facts, entity_map, len(out))
    return _drop_subsets(out)


def per_figure(p: Proposition) -> list[Proposition]:
    """``p`` as one proposition per figure it states: "has sickened 410 people and killed 12"
    is two claims, each with its own measure, so that another source's "12 people had died"
    can corroborate the second. The first keeps the statement's dates, events and denial
    (:attr:`Proposition.part` 0); each further one holds one figure and its subjects only. A
    denial stays whole: what it denies is the statement."""
    if p.denial or len(p.figures) < 2:
        return [p]
    out = [replace(p, figures=p.figures[:1])]
    for i, fig in enumerate(p.figures[1:], 1):
        out.append(
            replace(p, figures=[fig], subjects=set(fig.subjects), dates=[], start=False,
                    events=set(), denied_facets=set(), part=i)
        )  # fmt: skip
    return out


def _stated_dates(dates: list[DateMention]) -> list[tuple[int, int, str]]:
    """(start, end, last day) of the record's dates of a day or a month."""
    out = []
    for d in dates:
        if d.value and (iv := date_interval(d.value, None)):
            if re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", d.value):
                out.append((d.start, d.end, iv[1]))
    return out


# a relative clause opened between the last comma and a figure: what it says is an aside
_RELATIVE = re.compile(r"\b(?:which|who|whom|whose|where)\b[^,;.]*$", re.IGNORECASE)
_REPLACED = re.compile(r"\bfrom\s+(?:[^\W\d]+\s+){0,3}$", re.IGNORECASE)


def _lead_facts(
    text: str,
    found: list[tuple[int, int, dict[str, Any]]],
    spans: list[tuple[int, int]],
    used: set[tuple[int, int]],
    published: str | None,
    stated: list[tuple[int, int, str]],
) -> list[tuple[int, int, Figure]]:
    """The lead's own facts of anything counted: "Officials closed 14 public beaches …",
    "The university withdrew 640 offers …" — figures of the body's first sentences
    (``own_lead_sentences``) outside every attribution whose measure the parse names."""
    body = body_start(text)
    lead_hi = _lead_end(text, body, DEFAULT_SETTINGS.figures.own_lead_sentences)
    out = []
    for qs, qe, fields in found:
        if qs >= lead_hi or (qs, qe) in used or any(a <= qs < b for a, b in spans):
            continue
        if qs < body or is_list_line(text, qs):
            continue
        if _REPLACED.search(text, max(0, qs - 40), qs):
            continue  # "down from the 80 litres it set last week": the value replaced
        fig = build_figure(text, qs, qe, sentence_at(text, qs, qe)[1], fields)
        if fig is None or fig.unit != GENERAL or not fig.measure or fig.part_of:
            continue
        if other_toll(text, qs, qe, fig, published, stated):
            continue  # "… the most since 2008": a past or cumulative figure
        fig.revised = revision_cue(text, qs, qe)
        fig.contrast = contrast_cue(text, qs, qe)
        # "… citing a survey in which more than 1,100 pharmacies took part": an aside
        fig.aside = _RELATIVE.search(text, max(0, qs - 80), qs) is not None
        out.append((qs, qe, fig))
    return out


def _lead_end(text: str, body: int, sentences: int) -> int:
    """Where the first ``sentences`` sentences of the body (starting at ``body``) end."""
    pos = body
    for _ in range(sentences):
        if pos >= len(text):
            break
        pos = sentence_at(text, pos, pos)[1] + 1
    return pos


OWN_PREFIX = "own-"
OWN_SOURCE = "(the article)"  # the source of an outlet's own statement when its site is unknown


def own_span(attribution_id: str) -> tuple[int, int] | None:
    """The figure span of an outlet's own statement (``own-START-END``), else None."""
    m = re.fullmatch(OWN_PREFIX + r"(\d+)-(\d+)", attribution_id or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def outlet_of(site: str | None, url: str | None) -> str | None:
    """The outlet an article speaks for: its site, else its URL's host."""
    if site:
        return str(site)
    m = re.match(r"[a-z][a-z0-9+.-]*://([^/:?#]+)", url or "", re.IGNORECASE)
    return m.group(1).lower().removeprefix("www.") if m else None


def _own_statements(
    facts: ArticleFacts,
    entity_map: dict[str, int],
    stated: list[tuple[int, int, str]],
    lead_tolls: dict[str, Toll],
) -> list[Proposition]:
    """The outlet's own casualty counts: figures of people killed / injured stated outside
    every attribution ("Two people were killed", "left three men wounded"), one proposition
    per facet: the first count of people at large the article states for it (its lead
    count), else its first count of a group. Parts ("including five officers") and
    cumulative figures ("this year", "since 2010") are left out."""
    lex = lexicon()
    wanted = lex["conflict_facets"]
    text, published = facts.text, facts.published
    rows, quantities = facts.attributions, facts.quantities
    spans = [(r.content.start, r.content.end) for r in rows]
    ids = {r.id for r in rows}
    if quantities:
        found = [(q.start, q.end, asdict(q)) for q in quantities
                 if not (q.attribution and q.attribution in ids)]  # fmt: skip
    else:
        found = read_figures(text, 0, len(text))
    general = set(lex["general_groups"])
    counts: list[tuple[int, int, Figure]] = []
    for qs, qe, fields in found:
        if any(a <= qs < b for a, b in spans):
            continue  # someone else's statement
        ss, se = sentence_at(text, qs, qe)
        fig = build_figure(text, qs, qe, se, fields)
        if fig is None or fig.unit not in wanted or fig.facet not in wanted[fig.unit]:
            continue
        if fig.part_of:
            continue  # "including two children": a part of a count
        if is_list_line(text, qs):
            continue  # a related story's headline, a caption: not the article's own sentence
        if other_toll(text, qs, qe, fig, published, stated):
            continue  # "X people have been killed in the city this year"
        if counts and (both := sum_of(text, counts[-1], (qs, qe, fig))) is not None:
            counts[-1] = both  # "five officers and four civilians were injured"
            continue
        counts.append((qs, qe, fig))
    chosen: dict[str, tuple[int, int, Figure]] = {}
    lead_end = body_start(text) + DEFAULT_SETTINGS.figures.own_count_lead_chars
    for qs, qe, fig in counts:
        if qs > lead_end:
            break  # deep in the story: a detail, another scene, a past case, not the lead toll
        if fig.facet in chosen and (chosen[fig.facet][2].group in general | {None}
                                    or fig.group not in general | {None}):  # fmt: skip
            continue  # a later count: a subgroup or a follow-up
        chosen[fig.facet] = (qs, qe, fig)
    # the lead's toll of a kind no count above gives: "a man was shot and killed", "four
    # people were shot, one fatally", "no one else was hurt", "13 people were shot" (none died)
    used = {(qs, qe) for qs, qe, _ in chosen.values()}
    for kind, toll in lead_tolls.items():
        if kind in chosen or (toll.start, toll.end) in used:
            continue
        if any(a <= toll.start < b for a, b in spans):
            continue  # someone else's statement
        chosen[kind] = (toll.start, toll.end, toll.figure())
        used.add((toll.start, toll.end))
    for qs, qe, fig in _lead_facts(text, found, spans, used, published, stated):
        chosen[f"lead:{qs}"] = (qs, qe, fig)
    out: list[Proposition] = []
    for qs, qe, fig in sorted(chosen.values(), key=lambda x: x[0]):
        ss, se = sentence_at(text, qs, qe)
        cs, ce = _clause(text, qs, qe, ss, se)
        fig.subjects = _subjects_in(facts, entity_map, cs, ce)
        out.append(_own_proposition(facts, fig, (qs, qe), (ss, se), len(rows) + len(out)))
    return out


def _own_proposition(
    facts: ArticleFacts, fig: Figure, figure: tuple[int, int], span: tuple[int, int], position: int
) -> Proposition:
    """An outlet's own statement of one figure (``own-START-END``), stated by ``span``."""
    p = Proposition(
        article_id=facts.article_id,
        attribution_id=f"{OWN_PREFIX}{figure[0]}-{figure[1]}",
        position=position,
        content=facts.text[span[0] : span[1]].strip(" ,"),
        chain=[facts.outlet] if facts.outlet else [],
        source_name=facts.outlet or OWN_SOURCE,
        source_entity=None,
        source_type="outlet",
        published=facts.published,
        span=span,
    )
    p.terms = terms_of(p.content)
    p.figures = [fig]
    p.subjects = fig.subjects
    return p


# ", which coordinates 38 distribution points across the city, " closing a source before its cue
_DESCRIBED = re.compile(r",\s*(?:which|who)\s[^;:\"“”]+,?\s*$", re.IGNORECASE)


def _described_sources(
    facts: ArticleFacts, entity_map: dict[str, int], position: int
) -> list[Proposition]:
    """The outlet's own figures in what it says of a source between the source and its cue:
    "The network, which coordinates 38 distribution points across the city, said …", "The
    U.S. Geological Survey, which also measured the quake at magnitude 6.4, said …" — facts
    the report states itself, one proposition per figure, each the outlet's statement (an
    own statement: ``own-START-END``). Such an aside corroborates a figure of the same value
    but disputes none (:attr:`Figure.aside`): the report's background, not a claim in dispute."""
    text, rows = facts.text, facts.attributions
    ids = {r.id for r in rows}
    stated = [q for q in facts.quantities if not (q.attribution and q.attribution in ids)]
    out: list[Proposition] = []
    seen: set[tuple[int, int]] = set()
    for r in rows:
        if r.source is None or r.cue.start <= r.source.start:
            continue
        m = _DESCRIBED.search(text, r.source.start, r.cue.start)
        if m is None or m.start() == r.source.start:
            continue
        lo, hi = m.start(), r.cue.start
        if (lo, hi) in seen:
            continue
        seen.add((lo, hi))
        for q in stated:
            if not lo < q.start < q.end < hi:
                continue
            fig = build_figure(text, q.start, q.end, hi, asdict(q))
            if fig is None or fig.part_of:
                continue
            fig.subjects = _subjects_in(facts, entity_map, lo, hi)
            fig.aside = True
            out.append(
                _own_proposition(facts, fig, (q.start, q.end), (lo, hi), position + len(out))
            )
    return out


@lru_cache(maxsize=65536)
def _name_key(name: str) -> str:
    return " ".join(w[:5] for w in normalize_name(name).split())


def subject_keys(ledger_id: int, name: str, kb_json: str | None, type_: str) -> set[str]:
    """Keys under which two mentioned places or groups (the things a figure counts: "North
    Korean soldiers"; sources such as "the NIS" are not subjects) count as the same subject:
    the ledger id, a
    country code from ``kb``, and the name cut to 5 letters a word ("North Korean" and
    "North Korea" → "north korea")."""
    if type_.lower() not in lexicon()["subject_types"]:
        return set()
    keys = {f"e:{ledger_id}", f"w:{_name_key(name)}"}
    kb = json.loads(kb_json or "{}")
    for k in ("iso3", "country"):
        if isinstance(kb.get(k), str):
            keys.add(f"c:{kb[k].lower()}")
    return keys
