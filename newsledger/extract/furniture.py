"""Page furniture: the lines and pieces of a news page that are not the story.

Scraped articles carry the page around them: advertisement slots ("Story continues below
advertisement"), links to other stories ("READ MORE: Minister says …", "WATCH | …"), photo
credits and captions ("… (Robert Short/CBC)", "PHOTO: …", "THE CANADIAN PRESS/Jane Doe"),
newsletter, sharing and comment prompts, bylines and time stamps ("By Jane Doe, CBC News ·
Posted: Mar 03, 2019 5:00 AM ET"), and credit lines ("With files from The Canadian Press").
:func:`find_furniture` finds them as character spans of the text, which is never changed:
``text[f.start:f.end] == f.text`` for each.

Most furniture is a line of its own — a paragraph in plain text, a line in the text the HTML
readers produce (one paragraph per line) — and is recognised as a whole line: a known line
("Advertisement", "Related Stories"), a line opening with a label and a colon or bar, a short
line opening or ending with a known phrase, a share bar, a byline or time stamp, a video title
ending in its length ("… 2:22"), a caption ending in its photo credit. Inside a paragraph only
what cannot be prose is taken: an advertisement marker standing as a sentence of its own, and a
photo credit in parentheses or in capitals. The phrases are data (``resources/furniture.json``).

The attribution step leaves out what lies inside furniture (:func:`drop_furniture`,
:func:`outside_furniture`).
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from newsledger.extract.chains import renumber, set_chains
from newsledger.extract.quotes import QuoteScan
from newsledger.model import Attribution, Issue
from newsledger.resources import FurnitureRules, calendar_words, furniture_rules

__all__ = [
    "Furniture",
    "drop_furniture",
    "find_furniture",
    "furniture_issues",
    "inside_furniture",
    "outside_furniture",
]


@dataclass(frozen=True, slots=True)
class Furniture:
    """One piece of furniture: ``kind`` is ``advertisement``, ``related``, ``photo``,
    ``prompt`` or ``byline``."""

    kind: str
    text: str
    start: int
    end: int


# ------------------------------------------------------------------------------ the rules
_LINE = re.compile(r"[^\n]+")
_TRIM = " \t\r\f\v\u00a0\u200b•·|»>*#_=~-–—"  # bullets and rules around a line's words
_SEPARATORS = re.compile(r"\s*(?:[·|•]|\s[-–—]{1,2}\s)\s*")
_CREDIT = re.compile(r"\(([^()\n]{1,150})\)")
_DURATION = re.compile(r"\s(\d{1,2}:[0-5]\d)$")
_NUMBER = re.compile(r"\d{1,4}(?:[:/.-]\d{1,4})*(?:st|nd|rd|th|am|pm|a\.m\.?|p\.m\.?)?")
_NAME_WORD = re.compile(r"(?:[A-Z][\w'’.-]*|de|van|von|der|den|la|le|du|da|di|del|dos|bin|al|el)")
_ARTICLES = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_SENTENCE_END = tuple('.!?:;"”’)]')
_NEW_SENTENCE = re.compile(r"\s+[A-Z0-9\"“‘'(\[—–-]|\s*$")  # or the line end


def _alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of ``phrases``, longest first, a space matching any whitespace, a
    phrase ending in a letter or digit ending at a word boundary."""
    out = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        pattern = re.escape(phrase).replace(r"\ ", r"\s+")
        out.append(pattern + (r"(?!\w)" if phrase[-1].isalnum() else ""))
    return "|".join(out)


@dataclass(frozen=True)
class _Compiled:
    rules: FurnitureRules
    lines: dict[str, str]  # normalized line -> kind
    labels: tuple[tuple[str, re.Pattern[str]], ...]
    openings: tuple[tuple[str, re.Pattern[str]], ...]
    endings: tuple[tuple[str, re.Pattern[str]], ...]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    embedded: tuple[tuple[str, re.Pattern[str]], ...]
    capital_credit: re.Pattern[str]
    credit_opening: re.Pattern[str]
    credit_phrase: re.Pattern[str]
    time_label: re.Pattern[str]
    role_after_name: re.Pattern[str]  # "Jane Doe Staff Reporter"
    agencies: frozenset[str]  # lower case
    credits_alone: frozenset[str]  # lower case
    calendar: frozenset[str]  # month and weekday names and abbreviations


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    rules = furniture_rules()
    lines: dict[str, str] = {}
    for kind, phrases in rules.lines.items():
        for phrase in phrases:
            lines.setdefault(_key(phrase), kind)

    def each(
        section: Mapping[str, Sequence[str]], template: str, flags: int
    ) -> tuple[tuple[str, re.Pattern[str]], ...]:
        return tuple(
            (kind, re.compile(template.format(_alternation(phrases)), flags))
            for kind, phrases in section.items()
            if phrases
        )

    embedded = {
        kind: [variant for p in phrases for variant in (p, p.upper())]
        for kind, phrases in rules.embedded.items()
    }
    calendar = calendar_words()
    return _Compiled(
        rules=rules,
        lines=lines,
        labels=each(rules.labels, r"(?P<label>{})\s*[:|]\s*\S", re.IGNORECASE),
        openings=each(rules.openings, r"(?:{})", re.IGNORECASE),
        endings=each(rules.endings, r"(?<!\w)(?:{})[.!]?\)?$", re.IGNORECASE),
        patterns=tuple(
            (kind, re.compile(p, re.IGNORECASE))
            for kind, found in rules.patterns.items()
            for p in found
        ),
        embedded=each(embedded, r"(?:{})", 0),
        capital_credit=re.compile(
            rf"(?<![\w/])(?:{_alternation(rules.capital_credits)})"
            r"(?:\s*/\s*[A-Z][\w.'’-]*(?:[ ][A-Z][\w.'’-]*){0,3})+"
        ),
        credit_opening=re.compile(rf"(?:{_alternation(rules.credit_openings)})", re.IGNORECASE),
        credit_phrase=re.compile(rf"(?:{_alternation(rules.credit_phrases)})", re.IGNORECASE),
        time_label=re.compile(rf"(?:{_alternation(rules.time_labels)})\s*:?\s*", re.IGNORECASE),
        role_after_name=re.compile(rf"\s+(?:{_alternation(rules.byline_roles)})$", re.IGNORECASE),
        agencies=frozenset(a.lower() for a in rules.agencies),
        credits_alone=frozenset(a.lower() for a in rules.credits_alone),
        calendar=frozenset([*calendar.months, *calendar.month_abbreviations, *calendar.weekdays]),
    )


def _key(line: str) -> str:
    """A line as the ``lines`` list writes it: lower case, one space, no final punctuation."""
    line = " ".join(line.replace("’", "'").lower().split())
    return line.rstrip(".:!…").strip()


# ------------------------------------------------------------------------------ the scan
def find_furniture(text: str) -> list[Furniture]:
    """The furniture of ``text``, in text order, spans not overlapping."""
    lex = _compiled()
    found: list[Furniture] = []
    for match in _LINE.finditer(text):
        start, end = match.span()
        while start < end and text[start] in _TRIM:
            start += 1
        while end > start and text[end - 1] in _TRIM:
            end -= 1
        if start == end:
            continue
        line = text[start:end]
        kind = _line_kind(line.replace("’", "'"), lex)
        if kind is not None:
            found.append(Furniture(kind, line, start, end))
        else:
            found.extend(
                Furniture(k, text[start + s : start + e], start + s, start + e)
                for k, s, e in _pieces(line, lex)
            )
    return found


def _line_kind(line: str, lex: _Compiled) -> str | None:
    """The kind of furniture ``line`` (trimmed, straight apostrophes) is all of, if any."""
    rules = lex.rules
    kind = lex.lines.get(_key(line))
    if kind is not None:
        return kind
    words = line.split()
    if len(words) <= rules.max_line_words:
        opening = line.lstrip("([")  # "(Reporting by …; Editing by …)"
        for kind, pattern in lex.labels:
            m = pattern.match(opening)
            if m and (m["label"].lower() not in rules.capital_labels or m["label"].isupper()):
                return kind
        for group in (lex.openings, lex.patterns):
            for kind, pattern in group:
                if pattern.match(opening):
                    return kind
        for kind, pattern in lex.endings:
            if pattern.search(line):
                return kind
        if _share_bar(words, rules):
            return "prompt"
        if _byline(line, lex):
            return "byline"
        if _video_title(line, words, rules):
            return "related"
    if len(line) <= rules.max_caption_chars:
        for m in _CREDIT.finditer(line):
            if m.end() == len(line) and _is_credit(m[1], lex):
                return "photo"
        m = lex.capital_credit.search(line)
        if m and m.end() == len(line):
            return "photo"
    return None


def _pieces(line: str, lex: _Compiled) -> list[tuple[str, int, int]]:
    """Furniture inside a paragraph: advertisement markers standing as sentences of their own,
    photo credits. Offsets into ``line``."""
    out: list[tuple[str, int, int]] = []
    for kind, pattern in lex.embedded:
        for m in pattern.finditer(line):
            if _a_sentence_of_its_own(line, m.start(), m.end()):
                out.append((kind, m.start(), m.end()))
    for m in _CREDIT.finditer(line):
        if _is_credit(m[1], lex):
            out.append(("photo", m.start(), m.end()))
    for m in lex.capital_credit.finditer(line):
        out.append(("photo", m.start(), m.end()))
    out.sort(key=lambda p: (p[1], -p[2]))
    merged: list[tuple[str, int, int]] = []
    for piece in out:
        if merged and piece[1] < merged[-1][2]:
            continue  # inside (or across) the piece before
        merged.append(piece)
    return merged


def _a_sentence_of_its_own(line: str, start: int, end: int) -> bool:
    """Whether ``line[start:end]`` opens the line or follows a sentence end, and ends the line
    or is followed by a new sentence (looking only at the characters next to it)."""
    i = start
    while i > 0 and line[i - 1].isspace():
        i -= 1
    if i > 0 and line[i - 1] not in _SENTENCE_END:
        return False
    if end == len(line) or line[end] in ".:!":
        return True
    return _NEW_SENTENCE.match(line, end) is not None


def _is_credit(inner: str, lex: _Compiled) -> bool:
    """Whether the words in parentheses are a photo credit: "Robert Short/CBC", "Photo: …",
    "Submitted by Jane Doe", "Getty Images", "KCNA via Reuters"."""
    inner = inner.strip()
    if inner.lower() in lex.credits_alone:
        return True
    if lex.credit_phrase.match(inner):
        return True  # "(Submitted by …)", "(Courtesy of the family)"
    opening = lex.credit_opening.match(inner)
    if opening:  # "(Photo: Jane Doe/Reuters)", "(Photo courtesy …)", not "(Video shows …)"
        rest = inner[opening.end() :].lstrip()
        if not rest or not rest[0].islower() or rest.split()[0] in lex.rules.credit_links:
            return True
    parts = [p.strip() for p in re.split(r"/|\s+via\s+", inner)]
    if len(parts) < 2 or not all(p and (p[0].isupper() or p[0] == "@") for p in parts):
        return False
    return any(p.lower() in lex.agencies for p in parts)


def _share_bar(words: list[str], rules: FurnitureRules) -> bool:
    """A line of sharing buttons: "Share on Facebook | Twitter | Email"."""
    if len(words) > 12:
        return False
    cleaned = [w.strip(":,").lower() for w in words]
    cleaned = [w for w in cleaned if w]
    return (
        bool(cleaned)
        and all(w in rules.social_buttons or w in rules.social_fillers for w in cleaned)
        and any(w in rules.social_buttons for w in cleaned)
    )


def _video_title(line: str, words: list[str], rules: FurnitureRules) -> bool:
    """A video's title followed by its length: "Scheer receives warm welcome at rally 2:05"."""
    m = _DURATION.search(line)
    if m is None or len(words) < 3:
        return False
    if words[-2].endswith((".", "!", "?", '"', "”", "’")):
        return True  # the title's sentence ended: "… on Jan. 7, 2019. 1:42"
    before = words[-2].strip("\"'“”‘’.,:;!?()").lower()
    return not before.isdigit() and before not in rules.not_after_duration


def _byline(line: str, lex: _Compiled) -> bool:
    """A byline or time stamp line, its parts separated by "·", "|" or a dash: "By Jane Doe,
    CBC News · Posted: Mar 03, 2019 5:00 AM ET", "Jane Doe, The Canadian Press",
    "Published Monday, January 14, 2019 5:01PM EST"."""
    parts = [p.strip(" ,;") for p in _SEPARATORS.split(line)]
    parts = [p for p in parts if p]
    if not parts:
        return False
    names = agencies = strong = 0
    for part in parts:
        if _time_stamp(part, lex) or _by_names(part, lex) or _name_with_agency(part, lex):
            strong += 1
        elif _agency_or_role(part, lex):
            agencies += 1
        elif _name(part, lex):
            names += 1
        else:
            return False
    return strong > 0 or (names > 0 and agencies > 0)


def _time_stamp(part: str, lex: _Compiled) -> bool:
    label = lex.time_label.match(part)
    rest = part[label.end() :] if label else part
    tokens = [t.strip(",").lower() for t in rest.split()]
    tokens = [t for t in tokens if t]
    if not tokens:
        return False
    digits = calendar = 0
    for token in tokens:
        bare = token.rstrip(".")  # "Wed.", "Jan."
        if _NUMBER.fullmatch(token):
            digits += 1
        elif bare in lex.calendar:
            calendar += 1
        elif token not in lex.rules.time_words and bare not in lex.rules.time_words:
            return False
    return digits > 0 and (label is not None or calendar > 0)


def _items(text: str) -> list[str]:
    return [i.strip() for i in re.split(r"\s*,\s*|\s+(?:and|&)\s+", text) if i.strip()]


def _by_names(part: str, lex: _Compiled) -> bool:
    """ "By Jane Doe and John Roe, CBC News", "By The Canadian Press"."""
    m = re.match(r"(?:By|BY):?\s+(\S.*)$", part)
    if m is None or len(part.split()) > 20:
        return False
    items = _items(m[1])
    if not items or not (_name(items[0], lex) or _agency_or_role(items[0], lex)):
        return False
    return all(_name(i, lex) or _agency_or_role(i, lex) for i in items)


def _name_with_agency(part: str, lex: _Compiled) -> bool:
    """ "Sheryl Ubelacker, The Canadian Press", "Jane Doe, Staff Reporter"."""
    if "," not in part or len(part.split()) > 16:
        return False
    items = _items(part)
    return (
        len(items) >= 2
        and _name(items[0], lex)
        and _agency_or_role(items[-1], lex)
        and all(_name(i, lex) or _agency_or_role(i, lex) for i in items)
    )


def _agency_or_role(item: str, lex: _Compiled) -> bool:
    low = " ".join(item.lower().split())
    return low in lex.agencies or low in lex.rules.byline_roles or lex.lines.get(low) == "byline"


def _name(item: str, lex: _Compiled) -> bool:
    """A person's name as a byline writes it ("Jane Doe", "J.P. de la Cruz"), a role or
    agency after it allowed ("Jane Doe Staff Reporter")."""
    words = lex.role_after_name.sub("", item).split()
    if not 1 <= len(words) <= 5 or not words[0][0].isupper():
        return False
    if words[0].lower().rstrip(".") in lex.calendar or words[0].lower() in _ARTICLES:
        return False  # "By Tuesday", "By The Numbers" (an agency is no name: checked apart)
    return all(_NAME_WORD.fullmatch(w) and any(c.isalpha() for c in w) for w in words)


# ------------------------------------------------------------------------------ using it
def inside_furniture(furniture: Sequence[Furniture], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one piece of ``furniture`` (in text order)."""
    i = bisect_right(furniture, start, key=lambda f: f.start) - 1
    return i >= 0 and furniture[i].start <= start and end <= furniture[i].end


def outside_furniture(scan: QuoteScan, furniture: Sequence[Furniture]) -> QuoteScan:
    """``scan`` without the quotes lying inside furniture (a quoted headline after "READ
    MORE:" is no quote of the article's)."""
    if not furniture:
        return scan
    quotes = [q for q in scan.quotes if not inside_furniture(furniture, q.start, q.end)]
    return QuoteScan(quotes, scan.unbalanced)


def drop_furniture(
    attributions: list[Attribution], furniture: Sequence[Furniture]
) -> list[Attribution]:
    """``attributions`` without those whose cue or content lies inside furniture, numbered
    again in order; an attribution nested in a dropped one is nested in the dropped one's
    parent instead, and the chains are rebuilt."""
    if not furniture:
        return attributions
    keep = [
        a
        for a in attributions
        if not inside_furniture(furniture, a.cue.start, a.cue.end)
        and not inside_furniture(furniture, a.content.start, a.content.end)
    ]
    if len(keep) == len(attributions):
        return attributions
    old = {a.id: a for a in attributions}
    kept = {a.id for a in keep}
    lifted: list[Attribution] = []
    for a in keep:
        parent = a.parent
        while parent is not None and parent not in kept:
            parent = old[parent].parent if parent in old else None
        lifted.append(dataclasses.replace(a, parent=parent))
    out = renumber(lifted)
    set_chains(out)
    return out


def furniture_issues(furniture: Iterable[Furniture]) -> list[Issue]:
    """One ``furniture`` issue for each piece, its kind said in the message."""
    kinds = furniture_rules().kinds
    return [
        Issue(
            kind="furniture",
            text=f.text,
            start=f.start,
            end=f.end,
            message=f"page furniture ({kinds.get(f.kind, f.kind)}), not read for attributions",
        )
        for f in furniture
    ]
