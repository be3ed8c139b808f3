"""The toll an article states for its own incident: how many people were killed and how many
injured, read from its lead (docs/crossdoc.md, "Tolls").

A news report states its toll up front ("Two men were killed and three people wounded in a
shooting …", "A woman was shot and killed …", "No one was hurt"). ``read_tolls`` reads the
article's lead — its first sentences after the headline and dateline — for counts of people
killed or injured, singular victims and zeros, and gives at most one toll per kind, with the
span it was read from. Counts of other incidents (tallies, earlier years), parts ("including
two children"), counts by condition and related-story headlines are left out, as they are
for every other figure (``figures``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsledger.extract.figures import (
    Figure,
    body_start,
    build_figure,
    figure_lexicon,
    interval,
    is_list_line,
    not_latest_toll,
    other_toll,
    read_figures,
    sentence_at,
    sum_of,
    word_list,
)

KINDS = ("killed", "injured")


@dataclass
class Toll:
    """One kind of toll an article states: ``value`` people ``kind`` (killed | injured), read
    from ``text[start:end]``; ``basis`` says how (count | singular | singular-object |
    zero | shot: the ``tolls`` pattern or count it came from)."""

    kind: str
    value: int
    start: int
    end: int
    text: str
    basis: str

    def figure(self) -> Figure:
        """The toll as a figure of people killed / injured (exact: it allows only itself),
        standing at the text's start (``at`` 0: a toll is read from the lead)."""
        lo, hi = interval(self.value, None, approximate=False, vague=False, bound=None)
        return Figure(float(self.value), None, "people", self.kind, lo, hi, text=self.text, at=0.0)


def _rules() -> dict[str, Any]:
    return figure_lexicon()["tolls"]


@lru_cache(maxsize=1)
def _patterns() -> dict[str, list[tuple[re.Pattern[str], str, str]]]:
    """The compiled ``tolls`` patterns, their ``fragments`` and ``words`` filled in: kind →
    [(pattern, value, basis)], in the order of the rules (a pattern that reads both kinds is
    compiled once, listed under each)."""
    rules = _rules()
    words = {k: "(?:" + "|".join(sorted(v, key=len, reverse=True)) + ")"
             for k, v in rules["words"].items()}  # fmt: skip

    def filled(pattern: str) -> str:
        for table in (rules["fragments"], words):  # fragments name words, not the reverse
            for name, part in table.items():
                pattern = pattern.replace("{" + name + "}", part)
        return pattern

    out: dict[str, list[tuple[re.Pattern[str], str, str]]] = {k: [] for k in KINDS}
    for rule in rules["patterns"]:
        compiled = re.compile(filled(rule["pattern"]), re.IGNORECASE)
        for kind, value in rule["reads"].items():
            out[kind].append((compiled, value, rule["basis"]))
    return out


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the sentences (and lines) of ``text[start:end]``."""
    out = []
    pos = start
    for m in re.finditer(r"(?<=[.!?\"\u201d])\s+(?=[A-Z\"\u201c])|\n+", text[start:end]):
        cut = start + m.start()
        if text[pos:cut].strip():
            out.append((pos, cut))
        pos = start + m.end()
    if text[pos:end].strip():
        out.append((pos, end))
    return out


_OTHERS = re.compile(r"\W*(?:[\w-]+\W+)?others?\b", re.IGNORECASE)  # "… (other) others"


def _exact_people(text: str, ss: int, se: int) -> list[tuple[int, int, dict[str, Any], Figure]]:
    """The exact counts of people in one sentence (not a part, not "several" or "dozens",
    not a range, not "up to"): (start, end, fields, figure), in order."""
    out = []
    for qs, qe, fields in read_figures(text, ss, se):
        fig = build_figure(text, qs, qe, se, fields)
        if fig is None or fig.unit != "people" or fig.part_of:
            continue
        if fig.vague or fig.value_max is not None or fig.bound == "upper":
            continue  # "up to four people were dead": not a toll yet
        out.append((qs, qe, fields, fig))
    return out


def _counts(text: str, ss: int, se: int, published: str | None) -> list[Toll]:
    """Counts of people killed / injured in one sentence ("two men were killed", "left
    three wounded"), in order; two joined counts of one kind summed ("five officers and
    four civilians were injured"); the attacker taken out of a count that says it includes
    him ("three people are dead, including the gunman")."""
    included = re.compile(_rules()["perpetrator_included"], re.IGNORECASE)
    facet_words = {w for k in KINDS for w in figure_lexicon()["facets"][k]}
    figures: list[tuple[int, int, Figure]] = []
    for qs, qe, fields, fig in _exact_people(text, ss, se):
        if fig.facet not in KINDS:
            continue
        if re.search(r"\d:\s*$", text[max(0, qs - 2) : qs]):
            continue  # a clock time or a video's length ("0:43"), not a count
        others = _OTHERS.match(text[qe:se])
        if others and not figures:
            if not text[ss:qs].strip(" \"'-\u201c"):
                continue  # "Two others were wounded.": others to a count of another sentence
        if fig.facet == "killed" and re.match(
            r"[^.;,]{0,40}?\bshot\b[^.;]{0,30}?\b(?:and|with|,)", text[qe:se], re.IGNORECASE
        ):
            continue  # "four people were shot and one woman is dead": four is not the dead
        if other_toll(text, qs, qe, fig, published, []):
            continue
        if figures and (both := sum_of(text, figures[-1], (qs, qe, fig))) is not None:
            figures[-1] = both
            continue
        if figures and others:
            _, pe, prev = figures[-1]
            raw = float(fields["value"])
            between = text[pe:qs]
            if re.fullmatch(r"\s+(?:[\w-]+\s+){0,3}and\s+", between) and not (
                facet_words & set(word_list(between))
            ):
                # "wounding two officers and three other civilians": one verb, one sum
                fig.facet, fig.value = prev.facet, prev.value + raw
            if fig.facet == prev.facet and fig.value == prev.value + raw:
                figures[-1] = (qs, qe, fig)  # "two officers wounded and three others injured"
                continue
        figures.append((qs, qe, fig))
    out = []
    for qs, qe, fig in figures:
        value = int(fig.value)
        if fig.facet == "killed" and included.search(text[qe:se]):
            value -= 1  # the count includes the attacker; a toll counts victims
        out.append(Toll(fig.facet, value, qs, qe, text[qs:qe], "count"))
    return out


def _matched(text: str, ss: int, se: int) -> list[Toll]:
    """Tolls read by the ``tolls`` patterns (singular victims, zeros, "N shot, one
    fatally") in one sentence."""
    out = []
    sentence = text[ss:se]
    for kind, rules in _patterns().items():
        for pattern, value, basis in rules:
            for m in pattern.finditer(sentence):
                n = _value(value, m)
                if n is None:
                    continue
                if basis == "singular-object" and _POLICE_DID.search(sentence[: m.start()]):
                    continue  # "police shot and killed a man": the attacker, not a victim
                if basis.startswith("singular") and re.search(
                    r"\bthe other\b", sentence[m.end() :], re.IGNORECASE
                ):
                    continue  # "one was wounded in the foot and the other in the leg": a part
                group = value if value in ("n", "k") else "n" if value == "n-k" else None
                s, e = m.span(group) if group else m.span()
                out.append(Toll(kind, n, ss + s, ss + e, sentence[s:e], basis))
    return out


_POLICE_DID = re.compile(
    r"\b(?:police|officers?|deput(?:y|ies)|troopers?|agents?)\s+(?:[\w-]+\s+){0,3}?$",
    re.IGNORECASE,
)


def _value(value: str, m: re.Match[str]) -> int | None:
    """A pattern's value: a number, or a group of the match ("n"), or "n-k" (shot minus
    killed)."""
    words = figure_lexicon()["number_words"]

    def num(w: str | None) -> int | None:
        if w is None:
            return None
        w = w.lower()
        if w.isdigit():
            return int(w)
        return {"a": 1, "an": 1, "all": None}.get(w, words.get(w))

    if value.isdigit():
        return int(value)
    if value == "n":
        return num(m.group("n"))
    if value == "n-k":
        n, k = num(m.group("n")), num(m.group("k"))
        return n - k if n is not None and k is not None and n >= k else None
    if value == "k":
        return num(m.group("k"))
    return None


def read_tolls(text: str, published: str | None = None) -> dict[str, Toll]:
    """The article's own toll of people killed and of people injured, each read from the
    first sentence of its lead that states one (``tolls.lead_chars`` after the body's start);
    a kind the lead does not state is absent."""
    rules = _rules()
    start = body_start(text)
    end = min(len(text), start + rules["lead_chars"])
    end = sentence_at(text, end - 1, end)[1] if end < len(text) else end
    sentences = [
        (ss, se) for ss, se in _sentences(text, start, end)
        if not is_list_line(text, ss) and not not_latest_toll(text[ss:se])
    ]  # fmt: skip
    found: dict[str, Toll] = {}
    for ss, se in sentences:
        matched = _matched(text, ss, se)
        counts = [
            c for c in _counts(text, ss, se, published)
            if not any(m.basis == "shot" and m.start <= c.start < m.end for m in matched)
        ]  # fmt: skip
        for t in sorted(counts + matched, key=lambda t: t.start):
            if t.kind in found:
                continue
            if t.basis == "zero" and re.search(r"\b(?:else|other)\b", t.text, re.IGNORECASE):
                if not found:
                    continue  # "no one else was hurt" says nothing before a first victim
            found[t.kind] = t
        if len(found) == len(KINDS):
            break
    if "injured" not in found and (shot := _shot_count(text, start, end, sentences)):
        found["injured"] = shot
    return found


def _shot_count(text: str, start: int, end: int, sentences: list[tuple[int, int]]) -> Toll | None:
    """A count of people "shot" ("Thirteen people were shot …") in a lead that speaks of no
    death: all of them are the injured (the lead would say so if one had died). ``sentences``:
    the lead's sentences that may state its toll."""
    rules = _rules()
    if re.search(rules["death_words"], text[start:end], re.IGNORECASE):
        return None
    for ss, se in sentences:
        for qs, qe, _, fig in _exact_people(text, ss, se):
            if fig.facet != "total" or fig.value < 2:
                continue  # "one man was shot in the chest, one in the leg": victims one by one
            if re.match(rules["shot_count"], text[qe:se], re.IGNORECASE):
                return Toll("injured", int(fig.value), qs, qe, text[qs:qe], "shot")
    return None


def perpetrator_dead(text: str) -> bool:
    """The article says the attacker died ("killed himself", "including the gunman"): its
    count of the dead may or may not include him."""
    patterns = figure_lexicon()["perpetrator_dead_patterns"]
    return any(re.search(p, text, re.IGNORECASE) for p in patterns)
