"""Date mentions, normalized to TimeML-style ISO 8601 values against the article date.

:func:`find_dates` scans the text of an already parsed ``Doc`` with regular expressions built
from the word lists in ``resources/dates.json`` (no second parse); the parse is consulted only
for the tense of the clause a date sits in ("will meet on Monday" looks forward, "met on
Monday" back). :func:`article_date` finds the date the text is relative to: the article's
``published`` date, else a dateline at the top of the text.

Values (see ``docs/schema.md``): ``2025-04-28`` (a day), ``2025-04`` (a month), ``2025``,
``2025-W17`` (ISO week), ``2025-W17-WE`` (its weekend), ``2025-Q2`` / ``2025-H1`` (quarter,
half), ``2025-SU`` (season), ``202`` (decade), ``20`` (century), ``2025-04-28TNI`` (a part of a
day), ``XXXX-04-28`` (year unknown), and the TimeML references ``PRESENT_REF`` ("now"),
``PAST_REF`` ("recently"), ``FUTURE_REF`` ("the future"). Calendar dates that do not exist
("February 30") keep their mention with a null value and add an ``invalid_date`` issue.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from newsledger.model import DateMention, Issue
from newsledger.resources import calendar_words, load_json, number_words

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["DateScan", "article_date", "find_dates"]

Value = tuple[str | None, str]  # (value, anchor)


@dataclass(slots=True)
class DateScan:
    """What :func:`find_dates` found: the mentions in text order, and the problems seen."""

    mentions: list[DateMention] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


# ------------------------------------------------------------------------------ lexicon
def _alt(words: object) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any whitespace."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


@dataclass(frozen=True)
class _Lexicon:
    raw: dict[str, Any]
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    ordinals: dict[str, int]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    gates: dict[str, tuple[str, ...]]

    def month(self, word: str) -> int:
        return self.months[word.lower().rstrip(".")]

    def weekday(self, word: str) -> int:
        return self.weekdays[word.lower().rstrip(".")]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    calendar = calendar_words()
    raw = load_json("dates.json")
    raw["months"] = dict(calendar.months)
    raw["month_abbreviations"] = dict(calendar.month_abbreviations)
    raw["weekdays"] = dict(calendar.weekdays)
    # "zero" is left out: nothing happened "zero days ago"
    raw["numbers"] = {w: v for w, v in number_words().items() if v > 0} | raw["numbers"]
    months = {**raw["months"], **raw["month_abbreviations"]}
    weekdays = {**raw["weekdays"], **raw["weekday_abbreviations"]}
    mon = rf"(?:{_alt(raw['months'])})(?![\w])|(?:{_alt(raw['month_abbreviations'])})(?:\.|(?!\w))"
    wd_full = _alt(raw["weekdays"])
    wd = rf"(?:{wd_full})|(?:{_alt(raw['weekday_abbreviations'])})\."
    day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
    year = r"(?:1[0-9]\d\d|20\d\d)"
    num = _alt(raw["numbers"])
    hedges = _alt(raw["hedges"])
    ords = _alt(raw["ordinals"])
    part = _alt(raw["parts_of_day"])
    season = _alt(raw["seasons"])
    holiday_names = (
        list(raw["fixed_holidays"])
        + [k for k in raw["weekday_holidays"] if not k.startswith("_")]
        + list(raw["easter_holidays"])
    )
    holidays = _alt(holiday_names)
    refs = _alt(raw["references"])
    decades = _alt(raw["decade_words"])
    b = r"(?<![\w'])"  # a word starts here
    e = r"(?![\w])"
    q_mod = (
        rf"(?:the|this|last|next|that|fiscal|latest|current|comparable|same|most\s+recent|"
        rf"recent|year-earlier|year-ago|year\s+earlier|year\s+ago|(?:this|last|next)\s+year's|"
        rf"calendar|{year})"
    )
    p_mod = rf"latest|comparable|same|year-earlier|year-ago|year\s+earlier|year\s+ago|{year}"
    units = "one|two|three|four|five|six|seven|eight|nine"
    tens = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    tens += "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    rel_mod = r"this\s+past|this\s+coming|last|next|this|coming|current|the\s+current"
    span_mod = (
        r"(?:at\s+)?the\s+(?:very\s+)?(?:end|beginning|start|middle|turn|close)\s+of|"
        r"earlier|later|early|late|mid"
    )
    specs = {
        "mdy": rf"{b}(?:(?P<wd>{wd}),?\s+)?(?P<mon>{mon})\s*(?P<day>{day})"
        rf"(?:\s*(?:-|–|to|through|and)\s*(?P<day2>{day}))?(?![\d:,]\d)(?!\w)"
        rf"(?:(?:,\s*|\s+)(?P<year>{year})(?![\d]))?",
        "dmy": rf"{b}(?:(?P<wd>{wd}),?\s+)?(?:the\s+)?(?P<day>{day})\s+(?:of\s+)?(?P<mon>{mon})"
        rf"(?:,?\s+(?P<year>{year})(?!\d))?",
        "my": rf"{b}(?:(?P<mod>{span_mod}|last|next|this|this\s+past|this\s+coming)[\s-]+)?"
        rf"(?P<mon>{mon})(?:,?\s+(?:of\s+)?(?P<year>{year})(?!\d)|\s+(?P<rel>this|last|next)"
        rf"\s+year{e})?",
        "iso": rf"(?<![\d-])(?P<year>{year})-(?P<mon>0[1-9]|1[0-2])-(?P<day>[0-3]\d)(?![\d-])",
        "numeric": r"(?<![\d/.])(?P<mon>1[0-2]|0?[1-9])/(?P<day>[12]\d|3[01]|0?[1-9])/"
        r"(?P<year>\d{4}|\d{2})(?![\d/])",
        "year": rf"{b}(?:(?P<mod>{span_mod}|(?:the\s+)?(?:calendar|fiscal)(?:\s+year)?|"
        rf"(?:the\s+)?year)[\s-]+)?(?<![$£€#.,/\d-])(?P<year>{year})(?![\d%]|s\b|'s\b|-\d|[.,]\d)",
        "fy": rf"{b}FY\s?'?(?P<year>\d{{4}}|\d\d)(?!\d)",
        "fiscal_year": rf"{b}(?:the\s+)?(?:(?P<mod>{rel_mod})\s+)?fiscal\s+year{e}",
        "decade": rf"{b}(?:the\s+)?(?:(?P<mod>early|late|mid)[\s-]+)?"
        rf"(?:(?P<dec>1\d\d0|20\d0)'?s|'(?P<dec2>\d0)'?s|(?P<decw>{decades})){e}",
        "century": rf"{b}(?:the\s+)?(?:(?P<mod>early|late|mid)[\s-]+)?"
        rf"(?P<ord>\d{{1,2}}(?:st|nd|rd|th)|{ords})[\s-]+century{e}",
        "weekday": rf"{b}(?:(?P<mod>this\s+past|this\s+coming|last|next|this|coming|early|late)"
        rf"\s+)?(?P<wd>{wd_full})(?:\s+(?P<part>{part}))?{e}",
        "relday": rf"{b}(?:(?P<mod>early|late|earlier|later)\s+)?(?P<rel>today|yesterday|tomorrow)"
        rf"(?:\s+(?P<part>{part}))?{e}",
        "relunit": rf"{b}(?:(?P<pre>{span_mod})\s+)?(?P<mod>{rel_mod})\s+"
        rf"(?P<unit>week|weekend|month|year|decade|century){e}",
        "weekend": rf"{b}the\s+weekend{e}",
        "ago": rf"{b}(?:(?P<hedge>{hedges})\s+)?(?P<num>\d+|(?:{num})(?:[\s-](?:{num}))?)\s+"
        rf"(?P<unit>day|week|month|year|decade)s?\s+(?P<dir>ago|earlier|later|from\s+now){e}",
        "yearago": rf"{b}(?P<adj>year-earlier|year-ago){e}",
        "quarter": rf"{b}(?P<mods>(?:{q_mod}[\s-]+)*)(?:(?P<ord>{ords})[\s-]+(?:fiscal[\s-]+)?)?"
        rf"(?P<q>quarter|half){e}(?:\s+of\s+(?P<year>{year})(?!\d))?",
        "wordyear": rf"{b}(?:(?P<the>the\s+year)\s+)?(?:(?P<c>nineteen|twenty)[\s-]+"
        rf"(?P<t>{tens})(?:[\s-]+(?P<u>{units}))?|(?(the)two\s+thousand(?:\s+(?:and\s+)?"
        rf"(?P<u2>{units}))?|(?!)))(?![\w-])",
        "period": rf"{b}(?:the\s+)?(?P<mods>(?:(?:{p_mod})[\s-]+)+)period{e}",
        "qcode": rf"{b}(?P<q>[QH][1-4])(?:\s+(?P<year>{year})(?!\d))?{e}",
        "season": rf"{b}(?:(?P<mod>this\s+past|this\s+coming|the\s+early|the\s+late|the|this|"
        rf"last|next|early|late|mid)[\s-]+)?(?P<season>{season})(?:\s+(?:of\s+)?"
        rf"(?P<year>{year})(?!\d))?{e}",
        "holiday": rf"{b}(?:(?P<mod>last|next|this)\s+)?(?P<hol>{holidays})"
        rf"(?:,?\s+(?P<year>{year})(?!\d))?{e}",
        "ref": rf"{b}(?P<ref>{refs})(?![\w-])",
    }
    # words one of which must occur (lower-cased) for a pattern to be worth running
    gates = {
        "ago": ("ago", "earlier", "later", "from now"),
        "quarter": ("quarter", "half"),
        "period": ("period",),
        "wordyear": ("nineteen", "twenty", "two thousand"),
        "season": tuple(raw["seasons"]),
        "century": ("century",),
        "holiday": tuple({max(name.split(), key=len) for name in holiday_names}),
        "decade": ("0s", "0's", *raw["decade_words"]),
        "fiscal_year": ("fiscal",),
        "fy": ("fy",),
        "yearago": ("year-",),
        "weekend": ("weekend",),
        "iso": ("-",),
        "numeric": ("/",),
        "relday": tuple(raw["relative_days"]),
    }
    case_sensitive = {"fy", "qcode"}
    patterns = tuple(
        (kind, re.compile(p, 0 if kind in case_sensitive else re.IGNORECASE))
        for kind, p in specs.items()
    )
    gate_words = {kind: tuple(w.lower() for w in words) for kind, words in gates.items()}
    return _Lexicon(
        raw=raw,
        months=months,
        weekdays=weekdays,
        numbers=raw["numbers"],
        ordinals=raw["ordinals"],
        patterns=patterns,
        gates=gate_words,
    )


# ------------------------------------------------------------------------------ helpers
def _parse_iso(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _week(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _add_months(d: date, months: int) -> tuple[int, int]:
    index = d.year * 12 + d.month - 1 + months
    return index // 12, index % 12 + 1


def _day_number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.isoweekday() - weekday) % 7)


def _easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    j = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * j) // 451
    month = (h + j - 7 * m + 114) // 31
    return date(year, month, (h + j - 7 * m + 114) % 31 + 1)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


# ------------------------------------------------------------------------------ dateline
# an upper-case place ("WASHINGTON", "NAIROBI, Kenya"), an agency tag ("(AP)"), then the date
_DATELINE_PREFIX = re.compile(
    r"[A-Z][A-Z.'\- ]*[A-Z.](?:,\s*[A-Z][A-Za-z.' ]*)?\s*(?:\([A-Za-z ]{1,20}\))?\s*[,\-—–]?\s*"
)
_DATELINE_END = re.compile(r"(?:[-—–:|/_(]|\([A-Za-z ]{1,20}\)|$)")


def article_date(text: str, published: str | date | None = None) -> date | None:
    """The date the article is written on: ``published`` when it is a valid ISO date, else a
    full date (with its year) in a dateline on the first line of the text:
    "WASHINGTON, April 29, 2025 —", "Tuesday, April 29, 2025", "2025-04-29: …". None when
    neither gives one."""
    found = _parse_iso(published)
    if found is not None:
        return found
    head = text[:400].lstrip(" \t\r\n\u00a0\ufeff")
    first_line = head.split("\n", 1)[0]
    if not first_line:
        return None
    starts = [0] + [
        p
        for p in range(1, min(len(first_line), 60))
        if first_line[p - 1] in " ,-—–)" and _DATELINE_PREFIX.fullmatch(first_line, 0, p)
    ]
    lex = _lexicon()
    for kind, pattern in lex.patterns:
        if kind not in ("mdy", "dmy", "iso", "numeric"):
            continue
        m = next((m for at in starts if (m := pattern.match(first_line, at))), None)
        if not m or not m.group("year"):
            continue
        if not _DATELINE_END.match(first_line[m.end() :].strip(" \u00a0\t\r,")):
            continue  # a date inside the first sentence, not a dateline
        try:
            if kind == "numeric":
                year = int(m.group("year"))
                year += 2000 if year < 100 else 0
                return date(year, int(m.group("mon")), int(m.group("day")))
            month = int(m.group("mon")) if kind == "iso" else lex.month(m.group("mon"))
            return date(int(m.group("year")), month, _day_number(m.group("day")))
        except ValueError:
            continue
    return None


# ------------------------------------------------------------------------------ tense
_FUTURE_ADJ = frozenset({"due", "set", "scheduled", "slated", "expected", "poised", "likely"})


class _Context:
    """The article date and the tense reader for one document."""

    def __init__(self, doc: Doc | None, text: str, dct: date | None) -> None:
        self.doc = doc
        self.text = text
        self.dct = dct
        # a parsed token always has a dependency label (has_annotation walks every token)
        self.parsed = doc is not None and len(doc) > 0 and doc[0].dep != 0
        raw = _lexicon().raw
        self.future_aux = frozenset(raw["future_auxiliaries"])
        self.future_verbs = frozenset(raw["future_verbs"])
        self.future_cues = frozenset(raw["future_cues"])
        self.strong_cues = frozenset(raw["strong_future_cues"])
        self.intent_verbs = self.future_verbs | frozenset(raw["intent_verbs"])
        self.modals = frozenset(raw["future_modals"])

    def sentence(self, start: int, end: int) -> str:
        """The sentence around ``[start, end)`` (its line when the text is not parsed)."""
        if self.parsed and self.doc is not None:
            span = self.doc.char_span(start, end, alignment_mode="expand")
            if span is not None and len(span):
                return span[0].sent.text
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", end)
        return self.text[line_start : line_end if line_end >= 0 else len(self.text)]

    def tense(self, start: int, end: int) -> str | None:
        """ "future", "past" or None (unknown) for the clause around ``[start, end)``."""
        if not self.parsed or self.doc is None:
            window = self.text[max(0, start - 60) : start].lower()
            if re.search(r"\b(?:will|shall|'ll)\b[^.;]*$", window):
                return "future"
            return None
        if self._cue_tense(start, strong=True):
            return "future"  # "payable Dec. 7", "as early as Tuesday"
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        verb = span.root
        if verb.dep_ == "poss":  # "Wednesday's ruling": a named, usually past, event
            return None
        for _ in range(6):
            if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
                break
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX"):
            return None
        for _ in range(2):
            found = self._verb_tense(verb)
            if found is not None:
                return found
            if verb.dep_ in ("xcomp", "advcl", "conj") and verb.head is not verb:
                verb = verb.head
            else:
                break
        return self._cue_tense(start)

    def _cue_tense(self, start: int, strong: bool = False) -> str | None:
        """A deadline or start word just before the date ("by Jan. 14", "until March") points
        ahead when the verb says nothing; a strong one ("payable Dec. 7", "as early as
        Tuesday") points ahead whatever the verb."""
        cues = self.strong_cues if strong else self.future_cues
        before = self.text[max(0, start - 24) : start].lower().split()
        if any(" ".join(before[-n:]) in cues for n in (1, 2, 3) if len(before) >= n):
            return "future"
        return None

    def _verb_tense(self, verb: Any) -> str | None:
        aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        words = {c.lower_ for c in aux}
        if words & self.future_aux or "going" in words:
            return "future"
        if words & self.modals and not any(c.lower_ == "have" for c in aux):
            return "future"
        if (
            "to" in words
            and verb.head is not verb
            and verb.head.lemma_ == "be"
            and verb.head.tag_ in ("VBZ", "VBP")
        ):
            return "future"  # "is to resume trading Tuesday"
        if "to" in words and verb.tag_ == "VB":
            head = verb.head
            if head is not verb and head.lemma_ in self.intent_verbs:
                return "future"  # "decided to admit them in March"
            return None
        if verb.lemma_ == "be":
            for c in verb.children:
                if c.dep_ in ("acomp", "xcomp", "attr") and c.lower_ in _FUTURE_ADJ:
                    return "future" if verb.tag_ in ("VBZ", "VBP") else "past"
        present_aux = any(c.tag_ in ("VBZ", "VBP") for c in aux)
        if verb.lemma_ in self.future_verbs and (present_aux or verb.tag_ in ("VBZ", "VBP")):
            return "future"
        if verb.lower_ in _FUTURE_ADJ and present_aux:
            return "future"
        if verb.tag_ == "VBD" or any(c.tag_ == "VBD" for c in aux):
            return "past"
        if verb.tag_ == "VBN" and (not aux or any(c.lemma_ == "have" for c in aux)):
            return "past"  # "has announced", "the agreement, announced Friday"
        return None


# ------------------------------------------------------------------------------ resolution
_YEAR_BACK = re.compile(r"year-earlier|year-ago|year earlier|year ago|last year's")


class _Skip(Exception):
    """Raised by a resolver when its match, in context, is no date after all."""


class _Resolver:
    """Turns one regex match into (value, anchor), possibly with an issue."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.lex = _lexicon()
        self.issues: list[Issue] = []
        self.last_quarter: tuple[int, str, int] | None = None  # (year, "Q3", offset) last seen

    def _year_ago_quarter(self, start: int, end: int) -> Value | None:
        """ "A year earlier" in a sentence about quarterly results means that quarter, a year
        before: the last quarter named, one year back."""
        if self.last_quarter is None:
            return None
        year, code, where = self.last_quarter
        if start - where > 1500 and not re.search(
            r"\b(?:quarter|period)", self.ctx.sentence(start, end), re.I
        ):
            return None
        return f"{year - 1}-{code}", "published"

    # -- year inference -------------------------------------------------------------
    def _year_for(self, month: int, day: int | None, start: int, end: int, mod: str) -> int:
        dct = self.ctx.dct
        assert dct is not None
        if mod in ("next", "this coming"):
            after = (month, day or 0) > (dct.month, dct.day if day else 0)
            return dct.year if after else dct.year + 1
        if mod in ("last", "this past"):
            before = (month, day or 99) < (dct.month, dct.day if day else 99)
            if day is None:
                before = month < dct.month
            return dct.year if before else dct.year - 1
        if mod == "this":
            return dct.year
        tense = self.ctx.tense(start, end)
        if day is None:
            if tense == "future":
                return dct.year + 1 if month < dct.month else dct.year
            if tense == "past" or month <= dct.month:
                return dct.year - 1 if month > dct.month else dct.year
            # no tense: the nearer of this year's and last year's month (ties: the past)
            return dct.year if month - dct.month < dct.month + 12 - month else dct.year - 1
        try:
            candidate = date(dct.year, month, day)
        except ValueError:
            return dct.year
        if tense == "future":
            return dct.year + 1 if candidate < dct else dct.year
        if candidate > dct:
            if tense is None:  # no tense: the nearer of this year's and last year's day
                try:
                    last = date(dct.year - 1, month, day)
                except ValueError:
                    return dct.year
                return dct.year if candidate - dct < dct - last else dct.year - 1
            return dct.year - 1
        return dct.year

    # -- one resolver per pattern kind -------------------------------------------------
    def resolve(self, kind: str, m: re.Match[str], start: int, end: int) -> Value:
        return getattr(self, "_" + kind)(m, start, end)

    def calendar(
        self,
        m: re.Match[str] | _NoWeekday,
        start: int,
        end: int,
        month: int,
        day: int,
        year_text: str | None,
    ) -> Value:
        dct = self.ctx.dct
        wd = m.groupdict().get("wd")
        weekday = self.lex.weekday(wd) if wd else None
        if year_text:
            year = int(year_text)
            if len(year_text) == 2:
                year += 2000 if year < 50 else 1900
            anchor = "explicit"
        elif dct is not None:
            year = self._year_for(month, day, start, end, "")
            if weekday is not None:  # a weekday picks the year it fits, when one nearby does
                for y in (year, year - 1, year + 1):
                    try:
                        if date(y, month, day).isoweekday() == weekday:
                            year = y
                            break
                    except ValueError:
                        continue
            anchor = "published"
        else:
            try:
                date(2000, month, day)  # a leap year: only impossible days fail
            except ValueError:
                return self._invalid(m, start, end, f"there is no day {day} in month {month}")
            return f"XXXX-{month:02d}-{day:02d}", "none"
        try:
            found = date(year, month, day)
        except ValueError:
            return self._invalid(m, start, end, f"{year}-{month:02d} has no day {day}")
        if weekday is not None and found.isoweekday() != weekday and year_text:
            names = {v: k for k, v in self.lex.raw["weekdays"].items()}
            self._issue(
                "weekday_mismatch",
                start,
                end,
                f"{found.isoformat()} is a {names[found.isoweekday()].capitalize()}, "
                f"not a {names[weekday].capitalize()}",
            )
        return found.isoformat(), anchor

    def _invalid(self, m: re.Match[str] | _NoWeekday, start: int, end: int, why: str) -> Value:
        self._issue("invalid_date", start, end, f"not a calendar date: {why}")
        return None, "none"

    def _issue(self, kind: str, start: int, end: int, message: str) -> None:
        self.issues.append(
            Issue(kind=kind, text=self.ctx.text[start:end], start=start, end=end, message=message)
        )

    def _mdy(self, m: re.Match[str], start: int, end: int) -> Value:
        month = self.lex.month(m.group("mon"))
        return self.calendar(m, start, end, month, _day_number(m.group("day")), m.group("year"))

    _dmy = _mdy

    def _iso(self, m: re.Match[str], start: int, end: int) -> Value:
        return self.calendar(
            m, start, end, int(m.group("mon")), int(m.group("day")), m.group("year")
        )

    _numeric = _iso

    def _my(self, m: re.Match[str], start: int, end: int) -> Value:
        month = self.lex.month(m.group("mon"))
        if m.group("year"):
            return f"{m.group('year')}-{month:02d}", "explicit"
        if self.ctx.dct is None:
            return f"XXXX-{month:02d}", "none"
        rel = (m.group("rel") or "").lower()
        if rel and self.ctx.dct is None:
            return f"XXXX-{month:02d}", "none"
        if rel:  # "June last year"
            year = self.ctx.dct.year + {"last": -1, "next": 1}.get(rel, 0)
            return f"{year}-{month:02d}", "published"
        mod = _norm(m.group("mod") or "")
        year = self._year_for(month, None, start, end, mod)
        return f"{year}-{month:02d}", "published"

    def _year(self, m: re.Match[str], start: int, end: int) -> Value:
        return m.group("year"), "explicit"

    def _fy(self, m: re.Match[str], start: int, end: int) -> Value:
        year = int(m.group("year"))
        if year < 100:
            year += 2000 if year < 50 else 1900
        return str(year), "explicit"

    def _fiscal_year(self, m: re.Match[str], start: int, end: int) -> Value:
        return self._shift_year(_norm(m.group("mod") or "this"))

    def _shift_year(self, mod: str) -> Value:
        dct = self.ctx.dct
        if dct is None:
            return None, "none"
        shift = {"last": -1, "this past": -1, "next": 1, "coming": 1, "this coming": 1}
        return str(dct.year + shift.get(mod, 0)), "published"

    def _decade(self, m: re.Match[str], start: int, end: int) -> Value:
        if m.group("dec"):
            return m.group("dec")[:3], "explicit"
        if m.group("dec2"):
            two = int(m.group("dec2"))
            century = 20 if two <= 20 else 19
            return f"{century}{two // 10}", "explicit"
        return f"19{self.lex.raw['decade_words'][m.group('decw').lower()]}", "explicit"

    def _century(self, m: re.Match[str], start: int, end: int) -> Value:
        word = m.group("ord").lower()
        n = self.lex.ordinals.get(word) or _day_number(word)
        if n < 1:
            raise _Skip
        return f"{n - 1:02d}", "explicit"

    def _weekday_date(self, weekday: int, mod: str, start: int, end: int) -> date:
        dct = self.ctx.dct
        assert dct is not None
        back = (dct.isoweekday() - weekday) % 7
        ahead = (weekday - dct.isoweekday()) % 7
        if mod in ("last", "this past"):
            return dct - timedelta(days=back or 7)
        if mod in ("next", "coming", "this coming"):
            return dct + timedelta(days=ahead or 7)
        if self.ctx.tense(start, end) == "future":
            return dct + timedelta(days=ahead)
        return dct - timedelta(days=back)

    def _weekday(self, m: re.Match[str], start: int, end: int) -> Value:
        weekday = self.lex.weekday(m.group("wd"))
        part = m.group("part")
        suffix = "T" + self.lex.raw["parts_of_day"][part.lower()] if part else ""
        if self.ctx.dct is None:
            return f"XXXX-WXX-{weekday}", "none"
        found = self._weekday_date(weekday, _norm(m.group("mod") or ""), start, end)
        return found.isoformat() + suffix, "published"

    def _relday(self, m: re.Match[str], start: int, end: int) -> Value:
        if self.ctx.dct is None:
            return None, "none"
        shift = self.lex.raw["relative_days"][m.group("rel").lower()]
        part = m.group("part")
        suffix = "T" + self.lex.raw["parts_of_day"][part.lower()] if part else ""
        return (self.ctx.dct + timedelta(days=shift)).isoformat() + suffix, "published"

    def _relunit(self, m: re.Match[str], start: int, end: int) -> Value:
        dct = self.ctx.dct
        if dct is None:
            return None, "none"
        mod = _norm(m.group("mod"))
        unit = m.group("unit").lower()
        step = -1 if mod in ("last", "this past") else 1 if mod in ("next", "coming") else 0
        if mod == "this coming":
            step = 1
        if unit == "week":
            return _week(dct + timedelta(weeks=step)), "published"
        if unit == "weekend":
            return self._weekend(step if step else None, start, end), "published"
        if unit == "month":
            year, month = _add_months(dct, step)
            return f"{year}-{month:02d}", "published"
        if unit == "year":
            return str(dct.year + step), "published"
        if unit == "decade":
            return str(dct.year // 10 + step), "published"
        return f"{dct.year // 100 + step:02d}", "published"

    def _weekend(self, step: int | None, start: int, end: int) -> str:
        dct = self.ctx.dct
        assert dct is not None
        if step is None:
            step = 1 if self.ctx.tense(start, end) == "future" else -1
        if step > 0:  # the coming Saturday (today when it is Saturday or Sunday)
            saturday = dct + timedelta(days=(6 - dct.isoweekday()) % 7)
            if dct.isoweekday() == 7:
                saturday = dct
        else:  # the most recent Saturday not after the article date
            saturday = dct - timedelta(days=(dct.isoweekday() - 6) % 7)
        return _week(saturday) + "-WE"

    def _weekend_kind(self, m: re.Match[str], start: int, end: int) -> Value:
        if self.ctx.dct is None:
            return None, "none"
        return self._weekend(None, start, end), "published"

    def _ago(self, m: re.Match[str], start: int, end: int) -> Value:
        dct = self.ctx.dct
        if dct is None:
            return None, "none"
        words = _norm(m.group("num")).replace("-", " ").split()
        if words[0].isdigit():
            n = int(words[0])
        else:
            n = sum(self.lex.numbers.get(w, 0) for w in words)
        direction = -1 if _norm(m.group("dir")) in ("ago", "earlier") else 1
        unit = m.group("unit").lower()
        n *= direction
        if unit == "year" and n == -1:
            found = self._year_ago_quarter(start, end)
            if found:
                return found
        if unit == "day":
            return (dct + timedelta(days=n)).isoformat(), "published"
        if unit == "week":
            return _week(dct + timedelta(weeks=n)), "published"
        if unit == "month":
            year, month = _add_months(dct, n)
            return f"{year}-{month:02d}", "published"
        if unit == "year":
            return str(dct.year + n), "published"
        return str(dct.year // 10 + n), "published"

    def _yearago(self, m: re.Match[str], start: int, end: int) -> Value:
        return self._year_ago_quarter(start, end) or self._shift_year("last")

    def _quarter(self, m: re.Match[str], start: int, end: int) -> Value:
        dct = self.ctx.dct
        mods = _norm(m.group("mods") or "")
        ordinal = m.group("ord")
        half = m.group("q").lower() == "half"
        explicit_year = m.group("year") or (re.search(r"\b\d{4}\b", mods) or [None])[0]
        if explicit_year:
            year: int | None = int(explicit_year)
        elif dct is not None:
            year = dct.year
        else:
            year = None
        if ordinal:
            n = self.lex.ordinals[ordinal.lower()]
            if n > (2 if half else 4):
                return None, "none"
        elif dct is None:
            return None, "none"
        else:
            n = _quarter(dct)
            if half:
                n = 1 if dct.month <= 6 else 2
            elif not re.search(r"\b(?:this|current|same)\b", mods):
                n -= 1  # "the quarter", "the latest quarter": the last one reported on
                if re.search(r"\bnext\b", mods):
                    n += 2
                if n < 1:
                    n, year = 4, (year or 0) - 1
                if n > 4:
                    n, year = 1, (year or 0) + 1
        if not explicit_year and year is not None:
            if _YEAR_BACK.search(mods):
                year -= 1
            elif "next year's" in mods:
                year += 1
            elif (
                ordinal
                and dct is not None
                and "this year" not in mods
                and not half
                and (n - 1) * 3 + 1 > dct.month
                and self.ctx.tense(start, end) != "future"
                and "next" not in mods
            ):
                year -= 1  # "the fourth quarter", said in March, reported: last year's
        if year is None:
            return f"XXXX-{'H' if half else 'Q'}{n}", "none"
        anchor = "explicit" if explicit_year else "published"
        if not half and not _YEAR_BACK.search(mods):
            self.last_quarter = (year, f"Q{n}", end)
        return f"{year}-{'H' if half else 'Q'}{n}", anchor

    def _wordyear(self, m: re.Match[str], start: int, end: int) -> Value:
        """ "nineteen ninety-six", "the year two thousand" (transcripts spell years out)."""
        n = self.lex.numbers
        if m.group("c"):
            year = n[m.group("c").lower()] * 100 + n[m.group("t").lower()]
            if m.group("u"):
                year += n[m.group("u").lower()]
        else:
            year = 2000 + (n[m.group("u2").lower()] if m.group("u2") else 0)
        return str(year), "explicit"

    def _period(self, m: re.Match[str], start: int, end: int) -> Value:
        """ "The latest period", "the year-ago period", "the 1988 period": the reporting
        period of an earnings story is its last named quarter."""
        if self.last_quarter is None:
            raise _Skip
        year, code, _ = self.last_quarter
        mods = _norm(m.group("mods"))
        explicit = re.search(r"\b\d{4}\b", mods)
        if explicit:
            return f"{explicit.group()}-{code}", "explicit"
        if _YEAR_BACK.search(mods):
            year -= 1
        return f"{year}-{code}", "published"

    def _qcode(self, m: re.Match[str], start: int, end: int) -> Value:
        code = m.group("q").upper()
        if code[0] == "H" and code[1] not in "12":
            return None, "none"
        if m.group("year"):
            return f"{m.group('year')}-{code}", "explicit"
        if self.ctx.dct is None:
            return f"XXXX-{code}", "none"
        return f"{self.ctx.dct.year}-{code}", "published"

    def _season(self, m: re.Match[str], start: int, end: int) -> Value:
        code = self.lex.raw["seasons"][m.group("season").lower()]
        if m.group("year"):
            return f"{m.group('year')}-{code}", "explicit"
        dct = self.ctx.dct
        if dct is None:
            return f"XXXX-{code}", "none"
        begins = self.lex.raw["season_start_month"][code]
        mod = _norm(m.group("mod") or "")
        started = dct.month >= begins
        if mod in ("last", "this past"):
            year = dct.year if started and dct.month >= begins + 3 else dct.year - 1
        elif mod in ("next", "this coming"):
            year = dct.year if not started else dct.year + 1
        else:
            year = dct.year
        return f"{year}-{code}", "published"

    def _holiday(self, m: re.Match[str], start: int, end: int) -> Value:
        name = _norm(m.group("hol"))
        raw = self.lex.raw

        def on(year: int) -> date:
            if name in raw["fixed_holidays"]:
                month, day = raw["fixed_holidays"][name]
                return date(year, month, day)
            if name in raw["weekday_holidays"]:
                return _nth_weekday(year, *raw["weekday_holidays"][name])
            return _easter(year) + timedelta(days=raw["easter_holidays"][name])

        if m.group("year"):
            return on(int(m.group("year"))).isoformat(), "explicit"
        dct = self.ctx.dct
        if dct is None:
            return None, "none"
        mod = _norm(m.group("mod") or "")
        this_year = on(dct.year)
        if mod == "next" or (mod != "last" and self.ctx.tense(start, end) == "future"):
            found = this_year if this_year >= dct else on(dct.year + 1)
        else:
            found = this_year if this_year <= dct else on(dct.year - 1)
        return found.isoformat(), "published"

    def _ref(self, m: re.Match[str], start: int, end: int) -> Value:
        value = self.lex.raw["references"][_norm(m.group("ref"))]
        return value, "published" if self.ctx.dct is not None else "none"


# ------------------------------------------------------------------------------ filters
def _accept(kind: str, m: re.Match[str], text: str, doc: Doc | None, lex: _Lexicon) -> bool:
    """Whether a match is a date at all (a month word that is a verb, a number that counts)."""
    groups = m.groupdict()
    mon = groups.get("mon")
    if mon and kind in ("mdy", "dmy", "my") and not _month_is_date(kind, mon, m, text, lex):
        return False
    if kind in ("weekday", "season", "holiday", "relday"):
        hol = groups.get("hol")
        if hol and not hol[0].isupper():
            return False
        if kind == "season" and not groups.get("mod") and not groups.get("year"):
            return False
        if kind == "season" and _norm(groups.get("mod") or "") in ("early", "late", "mid"):
            if not groups.get("year"):
                return False
    if kind == "quarter":
        mods = _norm(groups.get("mods") or "")
        if not groups.get("ord") and mods in ("", "that", "same", "calendar", "fiscal"):
            return False
        if not groups.get("ord") and groups["q"].lower() == "half":
            return False
    if kind == "period" and not re.search(r"latest|comparable|year|\d", groups["mods"], re.I):
        return False  # "the period", "the same period": no reporting period named
    if kind == "year":
        return _year_is_date(m, text, doc)
    if kind == "ago" and _norm(groups["dir"]) in ("earlier", "later"):
        after = text[m.end() : m.end() + 12].lstrip()
        if after[:4].lower() in ("than",):
            return False
    return True


def _month_is_date(kind: str, mon: str, m: re.Match[str], text: str, lex: _Lexicon) -> bool:
    """Whether the month word ``mon`` of a match is a month ("May 5"), not a verb or a first
    name ("may", "June Carter")."""
    groups = m.groupdict()
    if not mon[0].isupper():
        return False
    base = mon.lower().rstrip(".")
    if kind == "my" and not groups.get("year") and not groups.get("rel"):
        if base in lex.raw["month_abbreviations"] and not mon.endswith("."):
            return False
        if not groups.get("mod") and re.match(r"[ \t]+[A-Z][a-z]", text[m.end() :]):
            return False  # a first name: "June Carter", "August Wilson"
        if base in lex.raw["ambiguous_months"] and not groups.get("mod"):
            before = text[max(0, m.start() - 20) : m.start()].split()
            if not before or before[-1].lower().strip(",") not in lex.raw["month_cues"]:
                return False
            if base == "march" and before[-1].lower() in ("to", "and", "on"):
                return False
    return True


_TIME_NOUNS = frozenset(
    """year years season seasons quarter period budget election elections census model campaign
    olympics games cup championship war crisis revolution law act plan agreement accord report
    survey study level levels figure figures total results high low peak average levels rate
    earthquake attack attacks summit session edition film movie album book""".split()
)


def _year_is_date(m: re.Match[str], text: str, doc: Doc | None) -> bool:
    start, end = m.span("year")
    after = text[end : end + 3]
    if after[:1] in ("%",) or after.startswith((" %", "-year", ",0", ".0")):
        return False
    before = text[max(0, start - 4) : start]
    if before.rstrip().endswith(("$", "£", "€", "No.", "#", "no.")):
        return False
    if m.group("mod"):
        return True
    if doc is None:
        return True
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) != 1:
        return True
    tok = span[0]
    if tok.dep_ == "nummod" and tok.head.i > tok.i:
        head = tok.head
        if head.lower_ not in _TIME_NOUNS and head.tag_ in ("NNS", "NNPS"):
            return False
    if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in ("percent", "per", "km", "miles"):
        return False
    return True


# ------------------------------------------------------------------------------ entry point
def find_dates(doc: Doc | str, published: str | date | None = None) -> DateScan:
    """The date mentions in ``doc`` (a parsed spaCy ``Doc``, or plain text: then tense is read
    from the words before the date only), resolved against :func:`article_date` of its text
    and ``published``. Mentions are in text order and never overlap; each span satisfies
    ``text[start:end] == mention.text``. ``attribution`` is left None (the pipeline step fills
    it)."""
    text = doc if isinstance(doc, str) else doc.text
    parsed = None if isinstance(doc, str) else doc
    lex = _lexicon()
    dct = article_date(text, published)
    ctx = _Context(parsed, text, dct)
    resolver = _Resolver(ctx)

    candidates: list[tuple[int, int, str, re.Match[str]]] = []
    lower = text.lower()
    for kind, pattern in lex.patterns:
        gate = lex.gates.get(kind)
        if gate and not any(word in lower for word in gate):
            continue
        for m in pattern.finditer(text):
            if m.end() > m.start() and _accept(kind, m, text, parsed, lex):
                candidates.append((m.start(), m.end(), kind, m))
    # longest first; a later candidate is dropped when it overlaps one already taken
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    taken: list[tuple[int, int, str, re.Match[str]]] = []
    occupied: list[tuple[int, int]] = []
    for cand in candidates:
        s, e = cand[0], cand[1]
        if any(s < oe and os < e for os, oe in occupied):
            continue
        occupied.append((s, e))
        taken.append(cand)
    taken.sort(key=lambda c: c[0])

    scan = DateScan()
    for _, _, kind, m in taken:
        pieces = _pieces(kind, m)
        for p_start, p_end, resolve in pieces:
            try:
                value, anchor = resolve(resolver)
            except _Skip:
                continue
            scan.mentions.append(
                DateMention(
                    text=text[p_start:p_end],
                    start=p_start,
                    end=p_end,
                    value=value,
                    anchor=anchor,  # type: ignore[arg-type]
                )
            )
    scan.issues = resolver.issues
    return scan


def _pieces(kind: str, m: re.Match[str]) -> list[tuple[int, int, Callable[[_Resolver], Value]]]:
    """The mentions one match makes: one, or both ends of a range ("April 1-5")."""
    start, end = m.span()
    name = "weekend_kind" if kind == "weekend" else kind
    if kind == "mdy" and m.group("day2"):
        first_end = m.end("day")
        second_start = m.start("day2")

        def first(r: _Resolver) -> Value:
            month = r.lex.month(m.group("mon"))
            day = _day_number(m.group("day"))
            return r.calendar(m, start, first_end, month, day, m.group("year"))

        def second(r: _Resolver) -> Value:
            month = r.lex.month(m.group("mon"))
            day = _day_number(m.group("day2"))
            return r.calendar(_NoWeekday(m), second_start, end, month, day, m.group("year"))

        return [(start, first_end, first), (second_start, end, second)]
    return [(start, end, lambda r: r.resolve(name, m, start, end))]


class _NoWeekday:
    """A match seen without its weekday (the second end of a range has none of its own)."""

    def __init__(self, m: re.Match[str]) -> None:
        self._m = m

    def groupdict(self) -> dict[str, str | None]:
        return {**self._m.groupdict(), "wd": None}

    def group(self, name: str) -> str | None:
        return None if name == "wd" else self._m.group(name)
