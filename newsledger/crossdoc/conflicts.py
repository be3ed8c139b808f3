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

import math
import re
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from newsledger.crossdoc.lexicon import lexicon
from newsledger.settings import DEFAULT_SETTINGS
from newsledger.text import stop_words

__all__ = [
    "accused_in",
    "conflict_confidence",
    "days_apart",
    "figure_clarity",
    "separation",
    "denied_text",
    "format_value",
    "groups_ok",
    "name_heads",
    "mask_names",
    "named_alike",
    "not_after",
    "subjects_ok",
]

_WORD = re.compile(r"[A-Za-z][\w'’-]*")
#: words of a claim read as its subject (the one it accuses): "Two Velorian drones flew"
_SUBJECT_WORDS = 4


_TUNING = DEFAULT_SETTINGS.conflicts


def figure_clarity(fig: Mapping[str, Any] | None) -> float:
    """How exactly a figure states its value: 1 for a count ("14 people"), ``hedged_clarity``
    for a hedged one ("about 14", "at least 14"), ``vague_clarity`` for a vague one
    ("dozens"); 1 without a figure (a date, a denial)."""
    if not fig:
        return 1.0
    if fig.get("vague"):
        return _TUNING.vague_clarity
    if fig.get("approximate") or fig.get("bound"):
        return _TUNING.hedged_clarity
    return 1.0


def separation(a: tuple[float, float], b: tuple[float, float]) -> float:
    """How clearly two intervals that do not overlap part: 1 when the gap between them is at
    least ``close_gap`` of the larger bound, down to ``close_floor`` as they touch (14,000 vs
    11,000 → 1; 1,000 vs 1,020 → about 0.76)."""
    gap = max(b[0] - a[1], a[0] - b[1], 0.0)
    scale = max(abs(a[1]), abs(b[1]), 1.0)
    share = min(1.0, gap / scale / _TUNING.close_gap)
    return _TUNING.close_floor + (1.0 - _TUNING.close_floor) * share


def days_apart(a: str | None, b: str | None) -> int | None:
    """Days between two ISO dates (or date-times); None when either is unknown."""
    try:
        return abs((date.fromisoformat((a or "")[:10]) - date.fromisoformat((b or "")[:10])).days)
    except ValueError:
        return None


def conflict_confidence(
    readings: tuple[float | None, float | None],
    *,
    match: float,
    clarity: tuple[float, float] = (1.0, 1.0),
    parted: float = 1.0,
    days: int | None = None,
) -> float:
    """How sure a conflict is, 0–1: the geometric mean of the two statements' reading
    confidences (None: an outlet's own statement, ``own_reading``) and of their figures'
    clarity (:func:`figure_clarity`), times ``match`` (how surely they speak of one thing),
    ``parted`` (:func:`separation`) and a weight for their distance in time (``late_days``).
    """
    ra, rb = (_TUNING.own_reading if r is None else max(0.0, min(1.0, r)) for r in readings)
    reading = math.sqrt(ra * rb) * math.sqrt(clarity[0] * clarity[1])
    late = 1.0
    if days is not None and days > 1:
        span = max(_TUNING.late_days - 1, 1)
        late = 1.0 - (1.0 - _TUNING.late_floor) * min(1.0, (days - 1) / span)
    return round(max(0.0, min(1.0, reading * match * parted * late)), 3)


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


@lru_cache(maxsize=1)
def _word_sets() -> dict[str, frozenset[str]]:
    """The crossdoc word lists read for every candidate claim, parsed once."""
    lex = lexicon()
    keys = ("name_postmodifiers", "generic_sources", "subject_ends")
    return {k: frozenset(lex[k]) for k in keys}


@lru_cache(maxsize=1)
def _demonym_suffixes() -> tuple[str, ...]:
    return tuple(lexicon()["demonym_suffixes"])


def name_heads(name: str | None) -> set[str]:
    """The head words of a source's name, lower case: its last word, and its last word before
    a postmodifier (``name_postmodifiers``: "the coast guard" → guard; "officials in Harlow
    County" → officials and county; "owners of Pemberton Stores" → owners and stores)."""
    words = re.findall(r"[a-z]+", (name or "").lower())
    heads = set(words[-1:])
    post = _word_sets()["name_postmodifiers"]
    for i, w in enumerate(words):
        if w in post and i > 0:
            heads.add(words[i - 1])
            text = (name or "").rstrip()
            last = re.findall(r"[A-Za-z]+", text)[-1]
            if w in _PLACE_PREPS and text[-1].isalpha() and last[0].isupper():
                heads.discard(words[-1])  # "a consumer association in Agrigento": a place
            break
    return heads


_PLACE_PREPS = frozenset({"in", "at", "from", "on"})
_NAME_TOKEN = re.compile(r"[A-Za-z]+(?:['’]s?)?")


def _common_words(name: str) -> set[str]:
    """The lower-case words of a source's name that are no possessor and no stock word
    (``generic_sources``, ``name_postmodifiers``, articles): "the court clerk's office" →
    court, office."""
    skip = _word_sets()["generic_sources"] | _word_sets()["name_postmodifiers"]
    out = set()
    for tok in _NAME_TOKEN.findall(name):
        if tok[0].isupper() or "'" in tok or "’" in tok:
            continue  # a name's own word, or a possessor
        low = tok.lower()
        if low not in skip and low not in _ARTICLES:
            out.add(low)
    return out


_ARTICLES = frozenset({"the", "a", "an", "its", "their", "his", "her", "and"})


_NAME_RUN = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:of|de|du|the|and|&)?\s*[A-Z][\w'’.-]*)*")


def mask_names(text: str) -> str:
    """``text`` with its proper names (runs of capitalised words, but an opening stop word)
    replaced by "it": what two statements say of something, compared without the names
    that make any two sentences of one story alike ("the Nordvik Aurora had strayed from
    the shipping lane" / "the tanker had left the shipping lane")."""
    first = re.match(r"\W*(\w+)", text)
    head = first.group(0) if first and first.group(1).lower() in stop_words() else ""
    return head + _NAME_RUN.sub("it", text[len(head) :])


def named_alike(a: str | None, b: str | None) -> bool:
    """Two descriptions of one source: the head word of one is a word of the other, not as
    its possessor ("French customs" / "the customs directorate"; "the court clerk's office"
    / "the clerk of Cleveland's housing court"; not "the company" / "the company's
    critics")."""
    if not a or not b:
        return False
    return bool(name_heads(a) & _common_words(b)) or bool(name_heads(b) & _common_words(a))


@lru_cache(maxsize=4096)
def _name_forms(name: str) -> frozenset[str]:
    """The words that name a source in a claim about it: the head before a postmodifier (or
    its last word) unless it is a stock word for any source (``generic_sources``: "the
    agency", "the ministry"), and, of a proper name, its capitalised words and their
    demonyms."""
    words = _WORD.findall(name)
    lower = [w.lower() for w in words]
    post = _word_sets()["name_postmodifiers"]
    cut = next((i for i, w in enumerate(lower) if w in post and i > 0), len(lower))
    generic = _word_sets()["generic_sources"]
    forms = set(lower[cut - 1 : cut]) - generic if cut else set()
    suffixes = _demonym_suffixes()
    for w in words[:cut]:
        if w[0].isupper() and len(w) >= 4:
            low = w.lower()
            stem = low[:-1] if low[-1] in "aeiouy" else low
            forms |= {low} | {stem + suf for suf in suffixes} | {low + suf for suf in suffixes}
    return frozenset(forms)


def accused_in(content: str, names: list[str]) -> bool:
    """Whether a claim speaks of the source a denial comes from as its subject: one of the
    words that name it (a head word of ``names``, a word of a proper name or its demonym:
    "Veloria" → "Velorian") among the claim's first words ("Two Velorian drones flew over our
    positions", "The owners sold the freeholds"; its first words up to a preposition,
    ``subject_ends``). What is denied is most often what the
    denier is accused of doing."""
    forms = frozenset().union(*(_name_forms(n) for n in names if n))
    words = [w.lower().removesuffix("'s").removesuffix("’s") for w in _WORD.findall(content)]
    if words[:1] == ["that"]:
        words = words[1:]
    ends = _word_sets()["subject_ends"]
    subject = []
    for w in words[:_SUBJECT_WORDS]:
        if w in ends:
            break  # "the rest of the soldiers Veloria counted": Veloria is not who acts
        subject.append(w)
    return bool(forms & set(subject))


@lru_cache(maxsize=1)
def _denial_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(the reason a denier gives: ", saying …"; the head of a denied object: "accusations
    [from X] that")."""
    lex = lexicon()
    reasons = "|".join(re.escape(w) for w in lex["denial_reasons"])
    objects = "|".join(re.escape(w) for w in lex["denial_objects"] if w != "that")
    return (
        re.compile(rf",\s+(?:{reasons})\b"),
        re.compile(
            rf"^(?:[\w'’-]+\s+){{0,2}}?(?:{objects})\s+(?P<by>(?:from|by|of)\s+[^,]+?\s+)?(?=that\b)",
            re.IGNORECASE,
        ),
    )


def denied_text(content: str, name: str | None) -> str:
    """What a denial's content (its ``that …`` clause or object) says is not so, in words to
    compare with the claims it may deny: without the reason the denier gives (", saying its
    alert went out …"; ``denial_reasons``), without the denied object's head ("accusations
    [from the campaign] that …"; ``denial_objects``) and with its own pronouns as the denier
    ("that its crew had abandoned them" → "Sealines's crew had abandoned them"; a possessive
    only when the object names no accuser: in "claims by the union that its members …" the
    members are the union's)."""
    reason, head = _denial_patterns()
    text = reason.split(content, maxsplit=1)[0]
    found = head.match(text)
    text = text[found.end() :] if found else text
    text = re.sub(r"^that\s+", "", text, flags=re.IGNORECASE)
    if name:  # who is accused of doing it: the denier
        text = re.sub(r"^(?:it|they)\b", name, text, flags=re.IGNORECASE)
    if name and not (found and found.group("by")):  # "claims by the union that its members …"
        text = re.sub(r"\b(?:its|their)\b", f"{name}'s", text, flags=re.IGNORECASE)
    return text.strip() or content
