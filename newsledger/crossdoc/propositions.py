"""What one attribution states, in comparable form: content terms, figures, dates, denial.

Figures come from the record's ``quantities`` (those attributed to the attribution or inside
its content); an article whose record has no quantities at all is read with a small number
reader instead (digits, "1,000 to 3,000", "thousands of"). Dates likewise come from the
record's ``dates`` or, when the record has none, from month names in the content. Every
figure gets a unit class (``troops``, ``people`` … from ``resources/crossdoc.json``), a facet
(``killed``, ``injured``, ``killed_or_injured``, ``additional``, ``part`` or ``total``, read
from the words around it) and an interval ``[lo, hi]`` that widens with the stated
approximation (see :func:`interval`).
"""

from __future__ import annotations

import calendar
import json
import math
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from spacy.lang.en.stop_words import STOP_WORDS

from newsledger.crossdoc.identity import normalize_name
from newsledger.crossdoc.lexicon import lexicon

if TYPE_CHECKING:
    from newsledger.crossdoc.tolls import Toll

__all__ = [
    "Figure",
    "Proposition",
    "interval",
    "outlet_of",
    "own_span",
    "sentence_at",
    "read_article",
    "terms_of",
]

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_NUM = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s*(?:million|billion|thousand))?"
    r"(?:\s*(?:to|-|–|and)\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s*(?:million|billion|thousand))?)?"
)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_MONTH_RE = re.compile(
    r"\b(?:(early|mid-?|late|the beginning of|the end of|the middle of|the first days of|"
    r"the last days of)\s*)?(" + "|".join(m for m in _MONTHS) + r")\b(?:\s+(\d{4}))?",
    re.IGNORECASE,
)


@dataclass
class Figure:
    value: float
    value_max: float | None
    unit: str
    facet: str
    lo: float
    hi: float
    approximate: bool = False
    vague: bool = False
    bound: str | None = None  # lower | upper | near
    text: str = ""
    subjects: set[str] = field(default_factory=set)  # places/groups in the figure's clause
    group: str | None = None  # the counted noun ("people", "officers")
    part_of: bool = False  # the record marks it a part of another figure ("including …")

    @property
    def key(self) -> str:
        return f"{self.unit}/{self.facet}"


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


@lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    return frozenset(STOP_WORDS)


@lru_cache(maxsize=1)
def _unit_map() -> dict[str, str]:
    out: dict[str, str] = {}
    for unit, words in lexicon()["units"].items():
        for w in words:
            out[w] = unit
    return out


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def terms_of(text: str) -> set[str]:
    """Content words of ``text``: lower case, no stop words, no numbers, plural -s removed."""
    stop = _stop()
    words = _WORD.findall(text.lower().replace("’", "'"))
    return {_stem(w.removesuffix("'s")) for w in words if len(w) > 2 and w not in stop}


def _has_phrase(words: list[str], phrase: str) -> bool:
    parts = phrase.split()
    n = len(parts)
    return any(words[i : i + n] == parts for i in range(len(words) - n + 1))


def word_list(text: str) -> list[str]:
    return re.findall(r"[a-z]+|\d[\d,.]*|[$%]", text.lower())


def _active_facet(before_text: str) -> str | None:
    """The facet of a count that is the object of a killing / wounding verb ("killing three
    people", "wounded at least five others"), from the verb right before it; punctuation
    between them ends the search ("one killed, four injured": "killed" is not the verb of
    "four")."""
    lex = lexicon()
    between = set(lex["active_between"])
    for token in reversed(re.findall(r"[a-z]+|[^\sa-z]", before_text.lower())[-6:]):
        for name, verbs in lex["active_facets"].items():
            if token in verbs:
                return name
        if token not in between:
            return None
    return None


def _phrase_at(words: list[str], phrases: list[str]) -> tuple[int, int] | None:
    """(start, end) of the first of ``phrases`` in ``words``, else None."""
    best: tuple[int, int] | None = None
    for phrase in phrases:
        parts = phrase.split()
        n = len(parts)
        for i in range(len(words) - n + 1):
            if words[i : i + n] == parts:
                if best is None or i < best[0]:
                    best = (i, i + n)
                break
    return best


def _facet(before: list[str], after: list[str], before_text: str = "") -> str:
    if (active := _active_facet(before_text)) is not None:
        return active
    facets = lexicon()["facets"]
    if any(_has_phrase(after, p) for p in facets["killed_or_injured"]):
        return "killed_or_injured"
    killed, injured = _phrase_at(after, facets["killed"]), _phrase_at(after, facets["injured"])
    if killed is not None and injured is not None:
        # "killed and wounded": one count of both; "three dead and four more injured": the
        # count's own word comes first
        (first, first_end), (second, _) = sorted([killed, injured])
        if (
            first_end < len(after) - 1
            and after[first_end] in ("and", "or")
            and (second == first_end + 1)
        ):
            return "killed_or_injured"
        return "killed" if killed < injured else "injured"
    if killed is not None:
        return "killed"
    if injured is not None:
        return "injured"
    if any(
        _has_phrase(before[-2:], p) or _has_phrase(after[:2], p) for p in facets["additional"]
    ) or any(w in ("reinforcements", "replacements") for w in after):
        return "additional"
    if any(_has_phrase(before[-3:], p) for p in facets["part"]):
        return "part"
    return "total"


def _additional(before: list[str], after: list[str]) -> bool:
    adds = lexicon()["facets"]["additional"]
    return any(_has_phrase(before[-2:], p) or _has_phrase(after[:2], p) for p in adds)


def _unit(unit: str | None, after: list[str]) -> str | None:
    umap = _unit_map()
    if unit:
        u = unit.lower().strip()
        if u in umap:
            return umap[u]
        if _stem(u) in umap:
            return umap[_stem(u)]
        for w in u.split():  # "soldiers killed or injured", "North Korean soldiers"
            if w in umap:
                return umap[w]
        if any(w in lexicon()["measure_units"] for w in u.split()):
            return None  # "about 50 feet from the women who were killed": a measure
    numbers, measures = lexicon()["number_words"], lexicon()["measure_units"]
    for w in after[:5]:
        if w in umap:
            return umap[w]
        if w[0].isdigit() or w in numbers or w in measures:
            break  # "one deal and three others injured", "50 feet from the man"
    return None  # only counted things of a known class are compared


def _rounding_unit(value: float) -> float:
    if value <= 0 or value != int(value):
        return 1.0
    v, unit = int(value), 1
    while v % (unit * 10) == 0 and unit * 10 <= v:
        unit *= 10
    return float(unit)


def interval(
    value: float,
    value_max: float | None,
    *,
    approximate: bool,
    vague: bool,
    bound: str | None,
) -> tuple[float, float]:
    """The values a stated figure allows (docs/crossdoc.md, "Tolerance"):

    - exact: ``[value, value_max]`` widened by 1 % (rounding in reporting);
    - approximate ("about 12,000"): widened by 0.45 of its rounding unit (12,000 → 1,000:
      11,550–12,450), at least 3 %; two approximate figures rounded to the same unit that
      differ do not overlap;
    - vague ("thousands", "dozens"): widened by a whole rounding unit, at least 25 %;
    - a lower bound ("at least 1,500") allows up to 1.5 times the value, an upper bound
      ("up to 40") down to two thirds, "nearly/almost X" 90–100 % of X.
    """
    lo, hi = value, value_max if value_max is not None else value
    if lo > hi:
        lo, hi = hi, lo
    unit = _rounding_unit(hi)
    if vague:
        pad = max(unit, 0.25 * hi)
    elif approximate:
        pad = max(0.45 * unit, 0.03 * hi)
    else:
        pad = 0.01 * hi
    if bound == "lower":
        return lo, max(hi * 1.5, hi + pad)
    if bound == "upper":
        return lo / 1.5, hi
    if bound == "near":
        return lo * 0.9, hi
    return lo - pad, hi + pad


def _modifiers(before_text: str) -> tuple[bool, bool, str | None, bool]:
    """(approximate, vague, bound, negated) from the words right before a figure."""
    lex = lexicon()
    words = word_list(before_text)[-3:]
    approx = any(_has_phrase(words, p) for p in lex["approximate"])
    bound = None
    if any(_has_phrase(words, p) for p in lex["lower_bound"]):
        bound = "lower"
    elif any(_has_phrase(words, p) for p in lex["upper_bound"]):
        bound = "upper"
    elif any(_has_phrase(words, p) for p in lex["near"]):
        bound = "near"
    negated = bool(words) and any(_has_phrase(words[-2:], p) for p in lex["negators"])
    return approx, False, bound, negated


def _number(text: str, scale: str | None) -> float:
    value = float(text.replace(",", ""))
    if scale:
        value *= _SCALE[scale.strip()]
    return value


def read_figures(text: str, start: int, end: int) -> list[tuple[int, int, dict[str, Any]]]:
    """A small number reader for records without quantities: (start, end, fields)."""
    out: list[tuple[int, int, dict[str, Any]]] = []
    segment = text[start:end]
    for m in _NUM.finditer(segment):
        raw = m.group(1)
        value = _number(raw, m.group(2))
        if "," not in raw and 1900 <= value <= 2100 and not m.group(2):
            continue  # a year
        prev = segment[max(0, m.start() - 12) : m.start()].lower()
        if re.search(r"(" + "|".join(_MONTHS) + r")\s*$", prev):
            continue  # a day of a month
        value_max = _number(m.group(3), m.group(4) or m.group(2)) if m.group(3) else None
        out.append((start + m.start(), start + m.end(), {"value": value, "value_max": value_max}))
    words = lexicon()["number_words"]
    pattern = r"\b(" + "|".join(sorted(words, key=len, reverse=True)) + r")\b"
    for m in re.finditer(pattern, segment, re.IGNORECASE):
        out.append(
            (start + m.start(), start + m.end(),
             {"value": float(words[m.group(1).lower()]), "value_max": None})
        )  # fmt: skip
    vague = lexicon()["vague_numbers"]
    for word, value in vague.items():
        for m in re.finditer(rf"\b{word}\b(?:\s+of)?", segment, re.IGNORECASE):
            out.append(
                (start + m.start(), start + m.end(), {"value": float(value) / 2,
                 "vague": True})
            )  # fmt: skip
    return sorted(out, key=lambda x: x[0])


_NUMBER_IN = re.compile(
    r"\d[\d,.]*(?:\s*(?:million|billion|thousand))?|\b(?:one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|dozens?|hundreds|thousands|millions)\b",
    re.IGNORECASE,
)


def build_figure(
    text: str, s: int, e: int, content_end: int, fields: dict[str, Any]
) -> Figure | None:
    span_text = text[s:e]
    # the words around the number itself: a record's span may hold "at least 1,500 more
    # soldiers", whose "at least" and "more" say what the figure is
    nums = list(_NUMBER_IN.finditer(span_text))
    ns, ne = (s + nums[0].start(), s + nums[-1].end()) if nums else (s, e)
    approx, _, bound, negated = _modifiers(text[max(0, ns - 30) : ns])
    if negated or fields.get("value") is None:
        return None
    after_text = text[ne:content_end]
    if re.match(r"[\s-]*(?:year|month|week|day)s?[\s-]*old|-year\b", after_text, re.IGNORECASE):
        return None  # an age ("a 14-year-old"), not a count
    if re.match(r"\d0\u2019?'?s\b", text[ns : ne + 3]):
        return None  # a decade of life ("in her 20's", "in their 30s"), not a count
    if re.search(r"\b[A-Z][a-z]+,\s*$", text[max(0, ns - 30) : ns]) and re.match(
        r"\d{1,3}\s*(?:[,;)]|--|–|—|\.\s|and\b)", text[ns:]
    ):
        return None  # an age after a name ("Brian Sadowsky, 44, and …"), not a count
    cut = re.search(r"[;:()]|,\s|\.\s|\.$|\d", after_text)
    after_clause = after_text[: cut.start()] if cut else after_text
    after = word_list(after_clause)[: lexicon()["facet_window_words"]]
    before = word_list(text[max(0, ns - 40) : ns])
    unit = _unit(fields.get("unit"), after)
    if (
        unit is None
        and not fields.get("unit")
        and after[:1]
        and after[0] in lexicon()["bare_casualty_words"]
    ):
        unit = "people"  # "left two dead and five wounded", "7 injured in shooting"
    if unit is None:
        return None
    vague = bool(fields.get("vague"))
    approx = approx or bool(fields.get("approximate"))
    value = float(fields["value"])
    vmax = fields.get("value_max")
    vmax = float(vmax) if vmax is not None else None
    plural = re.search(r"\b(dozens|hundreds|thousands|millions)\b", span_text, re.IGNORECASE)
    if vague and plural and vmax is None:
        # "thousands of": at least two thousand, fewer than ten thousand
        base = {"dozens": 12.0, "hundreds": 100.0, "thousands": 1e3, "millions": 1e6}
        b = base[plural.group(1).lower()]
        value, vmax, vague = 2 * b, 10 * b - 1, False
    lo, hi = interval(value, vmax, approximate=approx, vague=vague, bound=bound)
    if vague and vmax is None and not plural and bound is None:
        # "several people", "a few officers": no number, only its smallest plausible reading;
        # not a count that "nine people" contradicts, only one of fewer or of tens
        lo, hi = value, 10 * value
    before_text = text[max(0, ns - 40) : ns]
    facet = "part" if fields.get("part_of") else _facet(before, after, before_text)
    if facet == "total" and (after[:1] in (["other"], ["others"]) or before[-1:] == ["other"]):
        facet = "part"  # "seven others", "six other victims": a part of a count
    if after[:1] == ["of"] and not plural and not fields.get("vague"):
        facet = "part"  # "three of those victims", "two of the men": a part of a count
    if value == 1 and vmax is None and re.search(r"\bthe other\b", after_text, re.IGNORECASE):
        facet = "part"  # "one officer was wounded in the foot and the other in the leg"
    if fields.get("part_of") and (f := _facet(before, after, before_text)) != "total":
        facet = f
    if facet in ("killed", "injured", "killed_or_injured") and _additional(before, after):
        facet = "additional"  # "two more people were killed": added to an earlier count
    extra = 0  # people counted beside the number
    if unit == "people" and facet in ("killed", "injured", "killed_or_injured"):
        others = after[:1] in (["other"], ["others"]) or before[-1:] == ["other"]
        if others and facet != "killed_or_injured":
            # "one man is in critical condition and three others are injured"
            extra += _others_base(text[sentence_at(text, ns, ne)[0] : ns], facet) or 0
        extra += _enumerated(text[max(0, ns - 120) : ns], text[ne:content_end])
    if extra:
        value += extra
        vmax = vmax + extra if vmax is not None else None
        lo, hi = lo + extra, hi + extra
    umap = _unit_map()
    nouns = [w for w in word_list(span_text) + after[:3] if w in umap]
    return Figure(
        value, vmax, unit, facet, lo, hi, approx, vague, bound, text[s:e],
        group=_stem(nouns[0]) if nouns else None,
        part_of=bool(fields.get("part_of")) or _by_condition(facet, after_text),
    )  # fmt: skip


@lru_cache(maxsize=1)
def _count_pattern() -> re.Pattern[str]:
    lex = lexicon()
    numbers = "|".join(sorted(lex["number_words"], key=len, reverse=True))
    nouns = "|".join(sorted(lex["person_nouns"], key=len, reverse=True))
    return re.compile(
        rf"\b(?P<n>\d+|a|an|{numbers})\s+(?:[\w'-]+\s+){{0,2}}?(?:{nouns})\b", re.IGNORECASE
    )


def _others_base(before: str, facet: str) -> int | None:
    """For "N others" of ``facet``, the count they are others to, read from the sentence
    before them: its number when it counts the same facet ("a man was fighting for his
    life and four others were hospitalized" → 1; "two officers and three others were
    wounded" → 2), 0 when it counts the other facet ("one person was killed and four
    others wounded"), None when the sentence counts nobody before them."""
    found = list(_count_pattern().finditer(before))
    if not found:
        return None
    m = found[-1]
    word = m.group("n").lower()
    lex = lexicon()
    n = int(word) if word.isdigit() else 1 if word in ("a", "an") else lex["number_words"][word]
    words = word_list(before[m.end() :])
    if len(words) == 2 and words[1] == "and":
        # "two police officers wounded and three others injured": the count's own participle
        for kind in ("killed", "injured"):
            if words[0] in lex["facets"][kind]:
                return n if kind == facet else 0
    verbs = {w for vs in lex["active_facets"].values() for w in vs}
    own = verbs | set(lex["active_between"]) | {"and"}
    between = list(words)
    while between and between[-1] in own:
        between.pop()  # "… and injured 14 others": the verb of the others themselves
    if not [w for w in between if w not in ("and", "as", "well")]:
        if not verbs & set(words[len(between) :]):
            return n  # "two officers and three others were wounded": one predicate for both
        # "killed two people and injured 14 others": the first count has its own verb
        first = _active_facet(before[: m.start()])
        if re.search(r"\bfatally\s+\w+\s*$", before[: m.start()], re.IGNORECASE):
            first = "killed"  # "fatally wounded a boy and injured five others"
        return None if first is None else n if first == facet else 0
    killed = any(_has_phrase(between, w) for w in lex["facets"]["killed"])
    injured = any(
        _has_phrase(between, " ".join(word_list(w)))
        for w in lex["facets"]["injured"] + lex["condition_parts"] + ["shot", "fighting for"]
    )
    kind = "killed" if killed else "injured" if injured else None
    if kind is None:
        return None
    return n if kind == facet else 0


@lru_cache(maxsize=1)
def _enumeration_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    nouns = "|".join(sorted(lexicon()["person_nouns"], key=len, reverse=True))
    # "four men and a woman were wounded", "five adults and an unborn child"
    after = re.compile(
        rf"^\s+(?:[\w'-]+\s+){{0,2}}?(?:{nouns})\s+and\s+(?:a|an)\s+(?:[\w'-]+\s+){{0,2}}?"
        rf"(?:{nouns})\b",
        re.IGNORECASE,
    )
    # "a 10-year-old girl and two men", "A woman, who was …, and three men"
    before = re.compile(
        rf"\b(?:a|an)\s+(?:[\w'-]+\s+){{0,2}}?(?:{nouns})(?:\s*,[^,.;]{{0,80}},)?\s+and\s+$",
        re.IGNORECASE,
    )
    # "four victims died at the scene and a fifth died on the way to hospital"
    ordinal = re.compile(
        r"^[^.;]{0,80}?\band (?:a|the) (?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
        r"tenth)\b(?! time)",
        re.IGNORECASE,
    )
    return after, before, ordinal


def _enumerated(before_text: str, after_text: str) -> int:
    """People counted beside the number in one enumeration: "four men and a woman" (+1), "a
    girl and two men" (+1), "three died at the scene and a fourth at a hospital" (+1)."""
    after, before, ordinal = _enumeration_patterns()
    return sum(
        1 for found in (after.match(after_text), before.search(before_text),
                        ordinal.match(after_text)) if found
    )  # fmt: skip


def _by_condition(facet: str, after_text: str) -> bool:
    """A count of casualties by their condition ("two remain in critical condition", "three
    were treated and released", "1 person is critically injured") is a part of the toll,
    not a toll: the clause after the number names a condition (``condition_parts``)."""
    if facet not in ("killed", "injured", "killed_or_injured"):
        return False
    end = re.search(r"[.;:!?]|,\s|\band\b|\bwhile\b|\bbut\b", after_text)
    words = word_list(after_text[: end.start()] if end else after_text)
    return any(_has_phrase(words, " ".join(word_list(c))) for c in lexicon()["condition_parts"])


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


def _lead(date_text: str) -> str:
    """The words of a date mention before its month ("early November" → "early ")."""
    m = re.match(r"(.*?)\b(?:" + "|".join(_MONTHS) + r")\b", date_text, re.IGNORECASE)
    return m.group(1) if m else ""


def _month_interval(year: int, month: int, part: str | None) -> tuple[str, str]:
    last = calendar.monthrange(year, month)[1]
    lo, hi = 1, last
    if part:
        key = part.lower().removeprefix("the ").strip()
        parts = lexicon()["date_parts"]
        for name, (a, b) in parts.items():
            if key == name or key.rstrip("-") == name.rstrip("-"):
                lo, hi = a, min(b, last)
                break
    return f"{year:04d}-{month:02d}-{lo:02d}", f"{year:04d}-{month:02d}-{hi:02d}"


def _date_interval(value: str, part: str | None) -> tuple[str, str] | None:
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value or "")
    if not m:
        return None
    year = int(m.group(1))
    if m.group(3):
        return value, value
    if m.group(2):
        return _month_interval(year, int(m.group(2)), part)
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


def _read_dates(content: str, published: str | None) -> list[tuple[str, str, str]]:
    out = []
    pub = re.match(r"(\d{4})-(\d{2})", published or "")
    for m in _MONTH_RE.finditer(content):
        month = _MONTHS[m.group(2).lower()]
        if m.group(3):
            year = int(m.group(3))
        elif pub:
            year = int(pub.group(1)) - (1 if month > int(pub.group(2)) else 0)
        else:
            continue
        if m.group(2) == "may":
            continue  # the verb
        lo, hi = _month_interval(year, month, m.group(1))
        out.append((lo, hi, m.group(0)))
    return out


def _denial(cue: str, content: str) -> bool:
    lex = lexicon()
    cue_words = set(word_list(cue))
    words = set(word_list(content))
    return bool(cue_words & set(lex["denial_cues"])) or bool(
        words & (set(lex["denial_cues"]) | set(lex["denial_words"]))
    )


def _denied_facets(content: str, figures: list[Figure]) -> set[str]:
    """What a denial is about, as figure facets: its own figures' ``unit/facet``, or
    ``*/facet`` when it names figures ("the casualty figures") without a unit."""
    out = {f.key for f in figures}
    words = word_list(content)
    lex = lexicon()
    if any(w in lex["figure_words"] for w in words) or out:
        facet = _facet([], words)
        unit = _unit(None, [w for w in words if w in _unit_map()])
        out.add(f"{unit or '*'}/{facet}")
    return out


def _keep(rows: list[sqlite3.Row]) -> list[sqlite3.Row]:
    """One attribution per stretch of content: nested attributions of one report ("Yonhap,
    citing the NIS, reported that …") share the content; keep the longest chain."""
    ordered = sorted(
        rows,
        key=lambda r: (-len(r["chain_list"]), -(r["content_end"] - r["content_start"]),
                       r["position"]),
    )  # fmt: skip
    kept: list[sqlite3.Row] = []
    for r in ordered:
        s, e = r["content_start"], r["content_end"]
        dup = False
        for k in kept:
            overlap = min(e, k["content_end"]) - max(s, k["content_start"])
            shorter = min(e - s, k["content_end"] - k["content_start"]) or 1
            if overlap / shorter >= 0.6:
                dup = True
                break
        if not dup:
            kept.append(r)
    return sorted(kept, key=lambda r: r["position"])


def _subjects_in(
    con: sqlite3.Connection, mentions: list[Any], entity_map: dict[str, int], start: int, end: int
) -> set[str]:
    """The subject keys of the entities mentioned within ``[start, end)``."""
    return {
        k for eid, ms, me in mentions
        if start <= ms and me <= end and eid in entity_map
        for k in subject_keys(con, entity_map[eid])
    }  # fmt: skip


def read_article(
    con: sqlite3.Connection, article_id: str, entity_map: dict[str, int]
) -> list[Proposition]:
    """The propositions of one stored article (nested duplicates dropped)."""
    art = con.execute("SELECT text, published FROM articles WHERE id = ?", (article_id,)).fetchone()
    if art is None:
        return []
    text, published = art[0], art[1]
    rows = []
    for r in con.execute(
        "SELECT * FROM attributions WHERE article_id = ? ORDER BY position", (article_id,)
    ):
        d = dict(r)
        d["chain_list"] = json.loads(d["chain"] or "[]")
        rows.append(d)
    quantities = [dict(r) for r in con.execute(
        "SELECT * FROM quantities WHERE article_id = ? ORDER BY position", (article_id,)
    )]  # fmt: skip
    dates = [dict(r) for r in con.execute(
        "SELECT * FROM dates WHERE article_id = ? ORDER BY position", (article_id,)
    )]  # fmt: skip
    events = [dict(r) for r in con.execute(
        "SELECT * FROM events WHERE article_id = ? ORDER BY position", (article_id,)
    )]  # fmt: skip
    mentions = con.execute(
        "SELECT entity_id, start, end FROM mentions WHERE article_id = ?", (article_id,)
    ).fetchall()
    lex = lexicon()
    stated = _stated_dates(dates)
    from newsledger.crossdoc.tolls import read_tolls  # it reads with this module's helpers

    lead_tolls = read_tolls(text, published)
    out: list[Proposition] = []
    for r in _keep(rows):
        s, e = r["content_start"], r["content_end"]
        content = r["content_text"]
        p = Proposition(
            article_id=article_id,
            attribution_id=r["id"],
            position=r["position"],
            content=content,
            chain=r["chain_list"],
            source_name=r["source_name"],
            source_entity=r["source_entity"],
            source_type=r["source_type"],
            published=published,
            span=(s, e),
        )
        p.terms = terms_of(content)
        # figures
        if quantities:
            found = [
                (q["start"], q["end"], q) for q in quantities
                if q["attribution"] == r["id"] or (s <= q["start"] and q["end"] <= e)
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
            fig.subjects = _subjects_in(con, mentions, entity_map, cs, ce)
            p.figures.append(fig)
        for toll in lead_tolls.values():
            if s <= toll.start < e and all(f.facet != toll.kind for f in p.figures):
                # "police said a man was shot and killed": the lead's toll, in their words
                fig = toll.figure()
                cs, ce = _clause(text, toll.start, toll.end, s, e)
                fig.subjects = _subjects_in(con, mentions, entity_map, cs, ce)
                p.figures.append(fig)
        # dates
        if dates:
            for d in dates:
                inside = s <= d["start"] and d["end"] <= e
                if not (inside or d["attribution"] == r["id"]) or not d["value"]:
                    continue
                lead = text[max(0, d["start"] - 20) : d["start"]] + _lead(d["text"])
                part = re.search(
                    r"(early|mid-?|late|the beginning of|the end of|the first days of)\s*$",
                    lead, re.IGNORECASE,
                )  # fmt: skip
                if not re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", d["value"]):
                    continue  # a year or a week is too coarse to disagree on a start
                if not _MONTH_RE.search(d["text"]):
                    continue  # "last month": relative to the article, not a stated month
                if iv := _date_interval(d["value"], part.group(1) if part else None):
                    p.dates.append((iv[0], iv[1], d["text"]))
        else:
            p.dates = _read_dates(content, published)
        words = set(word_list(content))
        p.start = bool(words & set(lex["start_words"]))
        p.denial = _denial(r["cue_text"], content)
        if p.denial:
            p.denied_facets = _denied_facets(content, p.figures)
        for ev in events:
            if ev["attribution"] == r["id"] or (s <= ev["trigger_start"] < e):
                actor = entity_map.get(ev["actor"] or "", ev["actor"])
                target = entity_map.get(ev["target"] or "", ev["target"])
                if actor is not None or target is not None:  # "fight" alone says too little
                    p.events.add(f"{ev['type']}:{actor}:{target}")
        p.subjects = (
            p.figures[0].subjects if p.figures else _subjects_in(con, mentions, entity_map, s, e)
        )
        out.append(p)
    out += _own_statements(
        con, article_id, text, published, rows, quantities, mentions, entity_map, stated, lead_tolls
    )
    return _drop_subsets(out)


# between two joined counts: the first one's noun, "and", the second one's modifiers
_JOINED = re.compile(r"(?:\s*[\w-]+){0,3}?,?\s+and\s+(?:[\w-]+\s+){0,4}?$")


def sum_of(
    text: str, a: tuple[int, int, Figure], b: tuple[int, int, Figure]
) -> tuple[int, int, Figure] | None:
    """Two casualty counts of one facet joined by "and" ("five officers and four civilians
    were injured", "the three victims identified Saturday and four others were killed") as
    one count of people at large, their sum; None when they are not such a pair."""
    (sa, ea, fa), (sb, eb, fb) = a, b
    wanted = lexicon()["conflict_facets"]
    if fa.unit != fb.unit or fa.facet != fb.facet or fa.unit not in wanted:
        return None
    if fa.facet not in wanted[fa.unit] or fa.part_of or fb.part_of:
        return None
    between = text[ea:sb]
    if not _JOINED.match(between) or re.search(r"[.;:!?]", between):
        return None
    if any(w in lexicon()["facets"][fa.facet] for w in word_list(between)):
        return None  # "two were killed and three others": each its own clause
    hi_a, hi_b = fa.value_max or fa.value, fb.value_max or fb.value
    value, vmax = fa.value + fb.value, (hi_a + hi_b) if fa.value_max or fb.value_max else None
    both = Figure(
        value, vmax, fa.unit, fa.facet, fa.lo + fb.lo, fa.hi + fb.hi,
        fa.approximate or fb.approximate, fa.vague or fb.vague, None, text[sa:eb],
        fa.subjects | fb.subjects, None,
    )  # fmt: skip
    return sa, eb, both


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def not_latest_toll(sentence: str) -> bool:
    """A sentence whose casualty counts are not the article's latest toll: a running total
    (``cumulative_cues``: "shot in the city this year", "as of June 15"), a tally of several
    shootings (``tally_patterns``: "two dead in three overnight shootings", "shootings across
    the city"), a toll taken back (``early_report_cues``: "police initially said one person
    died")."""
    lex = lexicon()
    words = word_list(sentence)
    if any(_has_phrase(words, c) for c in lex["cumulative_cues"] + lex["early_report_cues"]):
        return True
    return any(re.search(t, sentence, re.IGNORECASE) for t in lex["tally_patterns"])


def other_toll(
    text: str,
    s: int,
    e: int,
    fig: Figure,
    published: str | None,
    stated: list[tuple[int, int, str]],
) -> bool:
    """A casualty count (a ``conflict_facets`` figure) that is not the toll of the article's
    incident: its sentence is a tally, a running total or a toll taken back
    (:func:`not_latest_toll`), names a year before the article's ("the 2009 shooting that
    left 13 dead", "between 2010 and 2013, seven people were killed"), or states a date more
    than ``count_max_days`` before the article ("the city's last shooting injured two people
    Jan. 30" in a May article). ``stated``: the record's dates as (start, end, last day)."""
    lex = lexicon()
    wanted = lex["conflict_facets"]
    if fig.unit not in wanted or fig.facet not in wanted[fig.unit]:
        return False
    ss, se = sentence_at(text, s, e)
    if not_latest_toll(text[ss:se]):
        return True
    pub = re.match(r"\d{4}-\d{2}-\d{2}", published or "")
    if pub is None:
        return False
    if any(int(y) < int(pub.group(0)[:4]) for y in _YEAR.findall(text[ss:se])):
        return True
    limit = (date.fromisoformat(pub.group(0)) - timedelta(days=lex["count_max_days"])).isoformat()
    return any(ds < se and ss < de and last < limit for ds, de, last in stated)


def is_list_line(text: str, pos: int) -> bool:
    """Whether ``text[pos]`` lies on a line that is not a sentence of the article's body: a
    line without closing punctuation after the body's first sentence — a related story's
    headline in a link list ("2 killed, 22 injured in shooting at Texas house party"), a
    photo caption, a heading."""
    start = text.rfind("\n", 0, pos) + 1
    if not any(_CLOSED.search(ln.rstrip()) for ln in text[:start].split("\n")):
        return False  # before the body's first sentence: the article's own headline, a dateline
    end = text.find("\n", pos)
    return not _CLOSED.search(text[start : end if end >= 0 else len(text)].rstrip())


def body_start(text: str) -> int:
    """Where the article's body begins: its first line that ends a sentence (headlines,
    datelines and page furniture come before)."""
    pos = 0
    for line in text.split("\n"):
        if _CLOSED.search(line.rstrip()):
            return pos
        pos += len(line) + 1
    return 0


_CLOSED = re.compile(r"[.!?\"'\u201d\u2019)]$")


def _stated_dates(dates: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    """(start, end, last day) of the record's dates of a day or a month."""
    out = []
    for d in dates:
        if iv := _date_interval(d["value"] or "", None):
            if re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", d["value"]):
                out.append((d["start"], d["end"], iv[1]))
    return out


OWN_PREFIX = "own-"
OWN_SOURCE = "(the article)"  # the source of an outlet's own statement when its site is unknown


def own_span(attribution_id: str) -> tuple[int, int] | None:
    """The figure span of an outlet's own statement (``own-START-END``), else None."""
    m = re.fullmatch(OWN_PREFIX + r"(\d+)-(\d+)", attribution_id or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def outlet_of(con: sqlite3.Connection, article_id: str) -> str | None:
    """The outlet an article speaks for: its site, else its URL's host."""
    row = con.execute("SELECT site, url FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        return None
    if row[0]:
        return str(row[0])
    m = re.match(r"[a-z][a-z0-9+.-]*://([^/:?#]+)", row[1] or "", re.IGNORECASE)
    return m.group(1).lower().removeprefix("www.") if m else None


def sentence_at(text: str, s: int, e: int) -> tuple[int, int]:
    """The sentence (or line) around ``text[s:e]``."""
    before = text[:s]
    cuts = [before.rfind(c) for c in (". ", "! ", "? ", "\n")]
    start = max(cuts) + 1 if max(cuts) >= 0 else 0
    while start < s and text[start].isspace():
        start += 1
    ends = [i for c in (". ", "! ", "? ", "\n") if (i := text.find(c, e)) >= 0]
    end = min(ends) + 1 if ends else len(text)
    return start, min(end, len(text))


def _own_statements(
    con: sqlite3.Connection,
    article_id: str,
    text: str,
    published: str | None,
    rows: list[dict[str, Any]],
    quantities: list[dict[str, Any]],
    mentions: list[Any],
    entity_map: dict[str, int],
    stated: list[tuple[int, int, str]] = (),  # type: ignore[assignment]
    lead_tolls: dict[str, Toll] | None = None,
) -> list[Proposition]:
    """The outlet's own casualty counts: figures of people killed / injured stated outside
    every attribution ("Two people were killed", "left three men wounded"), one proposition
    per facet: the first count of people at large the article states for it (its lead
    count), else its first count of a group. Parts ("including five officers") and
    cumulative figures ("this year", "since 2010") are left out."""
    lex = lexicon()
    wanted = lex["conflict_facets"]
    spans = [(r["content_start"], r["content_end"]) for r in rows]
    ids = {r["id"] for r in rows}
    if quantities:
        found = [(q["start"], q["end"], q) for q in quantities
                 if not (q["attribution"] and q["attribution"] in ids)]  # fmt: skip
    else:
        found = read_figures(text, 0, len(text))
    outlet = outlet_of(con, article_id)
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
    lead_end = body_start(text) + lex["own_count_lead_chars"]
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
    for kind, toll in (lead_tolls or {}).items():
        if kind in chosen or (toll.start, toll.end) in used:
            continue
        if any(a <= toll.start < b for a, b in spans):
            continue  # someone else's statement
        chosen[kind] = (toll.start, toll.end, toll.figure())
        used.add((toll.start, toll.end))
    out: list[Proposition] = []
    for qs, qe, fig in sorted(chosen.values(), key=lambda x: x[0]):
        ss, se = sentence_at(text, qs, qe)
        cs, ce = _clause(text, qs, qe, ss, se)
        fig.subjects = _subjects_in(con, mentions, entity_map, cs, ce)
        p = Proposition(
            article_id=article_id,
            attribution_id=f"{OWN_PREFIX}{qs}-{qe}",
            position=len(rows) + len(out),
            content=text[ss:se],
            chain=[outlet] if outlet else [],
            source_name=outlet or OWN_SOURCE,
            source_entity=None,
            source_type="outlet",
            published=published,
            span=(ss, se),
        )
        p.terms = terms_of(p.content)
        p.figures = [fig]
        p.subjects = fig.subjects
        out.append(p)
    return out


@lru_cache(maxsize=65536)
def _name_key(name: str) -> str:
    return " ".join(w[:5] for w in normalize_name(name).split())


def subject_keys(con: sqlite3.Connection, ledger_id: int) -> set[str]:
    """Keys under which two mentioned places or groups (the things a figure counts: "North
    Korean soldiers"; sources such as "the NIS" are not subjects) count as the same subject:
    the ledger id, a
    country code from ``kb``, and the name cut to 5 letters a word ("North Korean" and
    "North Korea" → "north korea")."""
    row = con.execute("SELECT name, kb, type FROM ledger_entities WHERE id = ?", (ledger_id,))
    found = row.fetchone()
    if found is None or found[2].lower() not in lexicon()["subject_types"]:
        return set()
    keys = {f"e:{ledger_id}", f"w:{_name_key(found[0])}"}
    kb = json.loads(found[1] or "{}")
    for k in ("iso3", "country"):
        if isinstance(kb.get(k), str):
            keys.add(f"c:{kb[k].lower()}")
    return keys


def compatible(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two figure intervals overlap."""
    return a[0] <= b[1] and b[0] <= a[1]


def relative_gap(a: float, b: float) -> float:
    top = max(abs(a), abs(b))
    return 0.0 if top == 0 or math.isclose(a, b) else abs(a - b) / top
