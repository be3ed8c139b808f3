"""Figures stated in text: counts of things of a known class with their facet and interval.

:func:`build_figure` reads one number (from the record's ``quantities`` or from
:func:`read_figures`, a small number reader for records without any) in its context: its unit
class (``troops``, ``people`` … from ``resources/crossdoc.json``), its facet (``killed``,
``injured``, ``killed_or_injured``, ``additional``, ``part`` or ``total``, read from the words
around it) and the interval ``[lo, hi]`` it allows, which widens with the stated approximation
(see :func:`interval`). The sentence helpers here tell an article's own toll from tallies,
other incidents and headlines of related stories. Comparing figures (do two intervals
overlap, how far apart are two values) is :mod:`newsledger.crossdoc.figures`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from newsledger.resources import calendar_words, load_frozen
from newsledger.settings import DEFAULT_SETTINGS
from newsledger.text import stem

__all__ = [
    "GENERAL",
    "MONTHS",
    "Figure",
    "body_start",
    "build_figure",
    "denied_facets",
    "figure_lexicon",
    "interval",
    "is_list_line",
    "not_latest_toll",
    "other_toll",
    "read_figures",
    "revision_cue",
    "contrast_cue",
    "figure_context",
    "number_in_name",
    "sentence_at",
    "sum_of",
    "word_list",
]

#: a clause after a figure that is a verb coordinated with the next figure ("and killed 12")
_COORDINATED = re.compile(r"(.*?)\s*\b(?:and|or|but)\s+[a-z]+\s*$")


def figure_lexicon() -> Mapping[str, Any]:
    """The word lists figures and tolls are read with (``resources/crossdoc.json``, shared
    with :mod:`newsledger.crossdoc`), read once and read-only (lists as tuples)."""
    return load_frozen("crossdoc.json")


#: The unit class of figures compared by what they measure rather than by a class.
GENERAL = "m"
#: month names, lower case → number (``resources/calendar.json``, shared with extract/dates.py)
MONTHS = calendar_words().months
_NUM = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s*(?:million|billion|thousand))?"
    r"(?:\s*(?:to|-|–|and)\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s*(?:million|billion|thousand))?)?"
)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}


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
    measure: str | None = None  # what it counts, from the record ("ballot reject")
    counted: str | None = None  # the record's unit ("ballots", "USD", "percent")
    revised: bool = False  # told as its source's new value ("now says", "up from", "revised")
    contrast: bool = False  # set against another source's figure ("twice the official count")
    context: str = ""  # the words around it, the number masked (:func:`figure_context`)
    aside: bool = (
        False  # the report's aside on a source ("…, which runs 38 depots, said"): no dispute
    )
    at: float | None = None  # where it stands in its text, 0 (the start) to 1 (the end)

    @property
    def key(self) -> str:
        return f"{self.unit}/{self.facet}"


@lru_cache(maxsize=1)
def _unit_map() -> dict[str, str]:
    out: dict[str, str] = {}
    for unit, words in figure_lexicon()["units"].items():
        for w in words:
            out[w] = unit
    return out


def _has_phrase(words: list[str], phrase: str) -> bool:
    parts = phrase.split()
    n = len(parts)
    if not parts or parts[0] not in words:
        return not parts
    return any(words[i : i + n] == parts for i in range(len(words) - n + 1))


def word_list(text: str) -> list[str]:
    return re.findall(r"[a-z]+|\d[\d,.]*|[$%]", text.lower())


def _active_facet(before_text: str) -> str | None:
    """The facet of a count that is the object of a killing / wounding verb ("killing three
    people", "wounded at least five others"), from the verb right before it; punctuation
    between them ends the search ("one killed, four injured": "killed" is not the verb of
    "four")."""
    lex = figure_lexicon()
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
    facets = figure_lexicon()["facets"]
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
        (_has_phrase(before[-2:], p) and before[-1:] != ["than"]) or _has_phrase(after[:2], p)
        for p in facets["additional"]
    ) or any(w in ("reinforcements", "replacements") for w in after):
        return "additional"
    if any(_has_phrase(before[-3:], p) for p in facets["part"]):
        return "part"
    return "total"


def _additional(before: list[str], after: list[str]) -> bool:
    adds = figure_lexicon()["facets"]["additional"]
    return any(_has_phrase(before[-2:], p) or _has_phrase(after[:2], p) for p in adds)


def _unit(unit: str | None, after: list[str]) -> str | None:
    umap = _unit_map()
    if unit:
        u = unit.lower().strip()
        if u in umap:
            return umap[u]
        if stem(u) in umap:
            return umap[stem(u)]
        words = u.split()
        for i, w in enumerate(words):  # "soldiers killed or injured", "North Korean soldiers"
            if w in umap and (i == len(words) - 1 or not words[-1].endswith("s")):
                return umap[w]  # not "container ships": a noun before the noun counted
        if any(w in figure_lexicon()["measure_units"] for w in u.split()):
            return None  # "about 50 feet from the women who were killed": a measure
        if words[-1] in after[:2]:
            # the record's noun right after the number ("two container ships"): a word
            # before it names no class of its own
            return None
    numbers, measures = figure_lexicon()["number_words"], figure_lexicon()["measure_units"]
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
    lex = figure_lexicon()
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
        if re.search(r"(" + "|".join(MONTHS) + r")\s*$", prev):
            continue  # a day of a month
        value_max = _number(m.group(3), m.group(4) or m.group(2)) if m.group(3) else None
        out.append((start + m.start(), start + m.end(), {"value": value, "value_max": value_max}))
    words = figure_lexicon()["number_words"]
    pattern = r"\b(" + "|".join(sorted(words, key=len, reverse=True)) + r")\b"
    for m in re.finditer(pattern, segment, re.IGNORECASE):
        out.append(
            (start + m.start(), start + m.end(),
             {"value": float(words[m.group(1).lower()]), "value_max": None})
        )  # fmt: skip
    vague = figure_lexicon()["vague_numbers"]
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


_NAME_BEFORE = re.compile(r"\b[a-z]+\s+([A-Z][a-z][\w-]*)\s+$")


def number_in_name(text: str, ns: int, ne: int) -> bool:
    """Whether the number at ``text[ns:ne]`` is part of a name: digits without a thousands
    separator right after a capitalised word that follows a lower-case one, so not opening
    a sentence, and is no month or weekday ("its Cozy 1500 heaters", "aboard Flight 370";
    not "on June 12", "— About 500", "said Tuesday 14")."""
    if not re.fullmatch(r"\d+", text[ns:ne]):
        return False
    m = _NAME_BEFORE.search(text[max(0, ns - 60) : ns])
    if m is None:
        return False
    cal = calendar_words()
    word = m.group(1).lower().rstrip(".")
    return not (word in cal.months or word in cal.month_abbreviations or word in cal.weekdays)


def _after_clause(after_text: str) -> str:
    """The words after a figure that may say what it counts: up to the end of its clause or
    the next number, less a verb coordinated with the next figure ("has sickened 410 people
    and killed 12": "killed" is the 12's)."""
    cut = re.search(r"[;:()]|,\s|\.\s|\.$|\d", after_text)
    clause = after_text[: cut.start()] if cut else after_text
    if cut and cut.group()[:1].isdigit() and (both := _COORDINATED.match(clause)):
        return both.group(1)
    return clause


def _not_a_count(text: str, ns: int, ne: int, after_text: str) -> bool:
    """The number ``text[ns:ne]`` is an age, a decade of life, part of a name or an address,
    not a count."""
    if re.match(r"[\s-]*(?:year|month|week|day)s?[\s-]*old|-year\b", after_text, re.IGNORECASE):
        return True  # an age ("a 14-year-old")
    if re.match(r"\d0\u2019?'?s\b", text[ns : ne + 3]) or number_in_name(text, ns, ne):
        # a decade of life ("in her 20's", "in their 30s"), a model or a name ("its Cozy
        # 1500 heaters", "Route 66")
        return True
    if re.search(r"\b[A-Z][a-z]+,\s*$", text[max(0, ns - 30) : ns]) and re.match(
        r"\d{1,3}\s*(?:[,;)]|--|–|—|\.\s|and\b)", text[ns:]
    ):
        return True  # an age after a name ("Brian Sadowsky, 44, and …")
    first = word_list(after_text)[:1]
    # "the 3200 block of West Polk Street": an address
    return bool(first) and first[0] in figure_lexicon()["address_words"]


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
    if _not_a_count(text, ns, ne, after_text):
        return None
    after = word_list(_after_clause(after_text))[: DEFAULT_SETTINGS.figures.facet_window_words]
    before = word_list(text[max(0, ns - 40) : ns])
    unit = _unit(fields.get("unit"), after)
    if (
        unit is None
        and not fields.get("unit")
        and after[:1]
        and after[0] in figure_lexicon()["bare_casualty_words"]
    ):
        unit = "people"  # "left two dead and five wounded", "7 injured in shooting"
    measure = fields.get("measure")
    if (fields.get("unit") or "").lower() in figure_lexicon()["time_units"]:
        measure = None  # "a two-day strike", "six years": durations, not counts
    if unit is None and measure:
        # what it measures may name a class ("about 11,000" of soldiers), else anything counted;
        # not a word before a noun of its own ("two container ships" are no containers)
        unit = (None if fields.get("unit") else _unit(None, measure.split())) or GENERAL
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
    casualty = facet in figure_lexicon()["conflict_facets"].get(unit, [])
    if measure and unit in figure_lexicon()["general_units"] and not casualty:
        unit = GENERAL  # "9,000 people marched", "$45 million": by what they measure
    umap = _unit_map()
    nouns = [w for w in word_list(span_text) + after[:3] if w in umap]
    return Figure(
        value, vmax, unit, facet, lo, hi, approx, vague, bound, text[s:e],
        group=stem(nouns[0]) if nouns else None,
        part_of=bool(fields.get("part_of")) or _by_condition(facet, after_text),
        measure=measure, counted=(fields.get("unit") or "").lower() or None,
        at=round(s / max(len(text), 1), 3),
    )  # fmt: skip


@lru_cache(maxsize=1)
def _count_pattern() -> re.Pattern[str]:
    lex = figure_lexicon()
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
    lex = figure_lexicon()
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
        for w in lex["facets"]["injured"] + lex["condition_parts"] + ("shot", "fighting for")
    )
    said = "killed" if killed else "injured" if injured else None
    if said is None:
        return None
    return n if said == facet else 0


@lru_cache(maxsize=1)
def _enumeration_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    nouns = "|".join(sorted(figure_lexicon()["person_nouns"], key=len, reverse=True))
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
    return any(
        _has_phrase(words, " ".join(word_list(c))) for c in figure_lexicon()["condition_parts"]
    )


def denied_facets(content: str, figures: list[Figure]) -> set[str]:
    """What a denial is about, as figure facets: its own figures' ``unit/facet``, or
    ``*/facet`` when it names figures ("the casualty figures") without a unit."""
    out = {f.key for f in figures}
    words = word_list(content)
    lex = figure_lexicon()
    if any(w in lex["figure_words"] for w in words) or out:
        facet = _facet([], words)
        unit = _unit(None, [w for w in words if w in _unit_map()])
        out.add(f"{unit or '*'}/{facet}")
    return out


# between two joined counts: the first one's noun, "and", the second one's modifiers
_JOINED = re.compile(r"(?:\s*[\w-]+){0,3}?,?\s+and\s+(?:[\w-]+\s+){0,4}?$")


def sum_of(
    text: str, a: tuple[int, int, Figure], b: tuple[int, int, Figure]
) -> tuple[int, int, Figure] | None:
    """Two casualty counts of one facet joined by "and" ("five officers and four civilians
    were injured", "the three victims identified Saturday and four others were killed") as
    one count of people at large, their sum; None when they are not such a pair."""
    (sa, ea, fa), (sb, eb, fb) = a, b
    wanted = figure_lexicon()["conflict_facets"]
    if fa.unit != fb.unit or fa.facet != fb.facet or fa.unit not in wanted:
        return None
    if fa.facet not in wanted[fa.unit] or fa.part_of or fb.part_of:
        return None
    between = text[ea:sb]
    if not _JOINED.match(between) or re.search(r"[.;:!?]", between):
        return None
    if any(w in figure_lexicon()["facets"][fa.facet] for w in word_list(between)):
        return None  # "two were killed and three others": each its own clause
    hi_a, hi_b = fa.value_max or fa.value, fb.value_max or fb.value
    value, vmax = fa.value + fb.value, (hi_a + hi_b) if fa.value_max or fb.value_max else None
    both = Figure(
        value, vmax, fa.unit, fa.facet, fa.lo + fb.lo, fa.hi + fb.hi,
        fa.approximate or fb.approximate, fa.vague or fb.vague, None, text[sa:eb],
        fa.subjects | fb.subjects, None,
    )  # fmt: skip
    return sa, eb, both


def revision_cue(text: str, s: int, e: int) -> bool:
    """Whether the sentence of the figure at ``text[s:e]`` tells it as a new value of its
    source (``revision_cues``: "the board now says …", "revised up to", "up from its first
    count", "down from its earlier estimate"): a revision, not a second opinion."""
    start, end = sentence_at(text, s, e)
    words = word_list(text[start:end])
    return any(_has_phrase(words, c) for c in figure_lexicon()["revision_cues"])


def contrast_cue(text: str, s: int, e: int) -> bool:
    """Whether the sentence of the figure at ``text[s:e]`` sets it against another source's
    figure (``contrast_cues``: "more than twice the official count", "four times the figure
    given by police", "not the number announced by the company", "far more than the insurer
    has disclosed"): the figure disputes one already in the story."""
    start, end = sentence_at(text, s, e)
    words = word_list(text[start:end])
    if any(_has_phrase(words, c) for c in figure_lexicon()["contrast_cues"]):
        return True
    sentence = text[start:end].lower().replace("’", "'")
    return any(p.search(sentence) for p in _contrast_patterns())


def figure_context(text: str, s: int, e: int, lo: int = 0, hi: int | None = None) -> str:
    """The words around the figure at ``text[s:e]`` in its sentence (``context_words`` each
    side) and within ``text[lo:hi]`` (the content that states it: no dateline, cue or
    source), the figure's numbers masked: what its clause says of it, to compare with
    another figure's ("N operations have been postponed at the hospital since its records
    system failed" / "N procedures were put off in the first four days of its IT outage")."""
    start, end = sentence_at(text, s, e)
    start, end = max(start, lo), min(end, len(text) if hi is None else hi)
    n = DEFAULT_SETTINGS.figures.context_words
    left = text[start:s].split()[-n:]
    right = text[e:end].split()[:n]
    figure = _NUM.sub("N", text[s:e])
    return " ".join([*left, figure, *right])


@lru_cache(maxsize=1)
def _contrast_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in figure_lexicon()["contrast_patterns"])


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def not_latest_toll(sentence: str) -> bool:
    """A sentence whose casualty counts are not the article's latest toll: a running total
    (``cumulative_cues``: "shot in the city this year", "as of June 15"), a tally of several
    shootings (``tally_patterns``: "two dead in three overnight shootings", "shootings across
    the city"), a toll taken back (``early_report_cues``: "police initially said one person
    died")."""
    lex = figure_lexicon()
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
    lex = figure_lexicon()
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
    limit = (
        date.fromisoformat(pub.group(0)) - timedelta(days=DEFAULT_SETTINGS.claims.count_max_days)
    ).isoformat()
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
