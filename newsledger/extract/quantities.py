"""Figures in the text: counts, money, percentages and measures, with their hedges.

One pass over the tokens of the existing spaCy ``Doc`` (no second parse). A figure is a
number written in digits ("14,000", "3.5", "1.2bn"), in words ("forty-five", "a hundred and
two", "two dozen"), or a vague count ("dozens", "thousands of", "several"), read together
with what surrounds it:

* a currency before or after it ("$3.5 million" → ``USD``, "€40m" → ``EUR``), a percent
  sign or word (``percent``), or else the counted noun, as written and lowercased: the
  syntactic head of the number ("14,000 North Korean troops" → ``troops``) or the object of
  "of" ("thousands of people" → ``people``);
* a range ("36 to 40", "36-40", "between 36 and 40"): ``value`` 36, ``value_max`` 40;
* hedges before it ("an estimated total of", "about", "at least", "up to") or after it
  ("or more", "or so"), which set ``approximate``; a lower bound ("at least 12") keeps
  ``value`` = 12 and ``value_max`` = null, an upper bound ("up to 40") gives ``value`` = null
  and ``value_max`` = 40;
* a vague count gets ``vague`` and its conservative value from the resource file
  ("dozens" = 12, "hundreds" = 100, "several" = 3, "a few" = 2);
* "killed or injured" (and the like) after or before the counted phrase makes the unit the
  combination ("people killed or injured"), never the first word alone;
* subset cues ("including", "of whom", "among them") make a figure ``part_of`` the figure
  before it in the sentence.

Years, dates, clock times, ordinals, labels ("No. 10", "page 5"), names with numbers
("Voyager 2"), phone-like digit groups and sports scores are not figures and are skipped.
Bad numbers never raise: a value that does not fit a float ("1e999") becomes null, so the
JSON record stays valid (no ``Infinity`` or ``NaN``). Word lists live in
``newsledger/resources/quantities.json``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from newsledger.extract.spans import attribution_at
from newsledger.model import Analysis, Quantity
from newsledger.resources import calendar_words, load_json, number_words

__all__ = ["extract_quantities"]

# Digits with optional sign, thousands commas, decimals and a glued suffix ("1.2bn", "25lbs").
_NUM_RE = re.compile(
    r"^([-−]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?([½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]?)([^\W\d_]*)(\.?)$"
)
_RANGE_TOKEN_RE = re.compile(r"^(\d+(?:\.\d+)?)[-–](\d+(?:\.\d+)?)$")  # "3.5–4.0" as one token
_FRACTION_RE = re.compile(r"^(\d{1,3})/(\d{1,3})$")
_VULGAR = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"
_SCI_RE = re.compile(r"^[-−]?\d+(?:\.\d+)?[eE][-+]?\d+$")
_DIGITS_RE = re.compile(r"^\d+$")
_DASHES = frozenset({"-", "–", "—", "‒"})
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th", "s"})
_MODIFIER_DEPS = frozenset({"nummod", "amod", "quantmod", "compound", "nmod", "det", "advmod"})
_PRONOUNS = frozenset(
    {"them", "whom", "which", "those", "these", "us", "you", "it", "they", "theirs", "ours"}
)
# Largest integer a float holds exactly: integral values below it are written as JSON ints.
_EXACT_INT = 2**53


@dataclass(frozen=True)
class _Hedge:
    words: tuple[str, ...]
    approximate: bool
    bound: str | None  # "lower" | "upper" | None


@dataclass(frozen=True)
class _Lexicon:
    number_words: dict[str, int]
    scales: dict[str, float]
    scale_abbreviations: dict[str, float]
    money_only_scales: dict[str, float]
    vague: dict[tuple[str, ...], dict]
    hedges: tuple[_Hedge, ...]
    trailing_hedges: tuple[_Hedge, ...]
    currency_symbols: dict[str, str]
    currency_codes: frozenset[str]
    currency_nouns: dict[str, str]
    pound_nouns: frozenset[str]
    percent_words: tuple[tuple[str, ...], ...]
    measure_units: frozenset[str]
    time_units: frozenset[str]
    time_reference_after: frozenset[str]
    months: frozenset[str]
    weekdays: frozenset[str]
    clock_after: frozenset[str]
    year_context_before: frozenset[str]
    label_nouns: frozenset[str]
    one_stop_nouns: frozenset[str]
    vague_stop_nouns: frozenset[str]
    subset_before: tuple[tuple[str, ...], ...]
    subset_after: tuple[tuple[str, ...], ...]
    change_verbs: frozenset[str]
    casualty_words: frozenset[str]
    casualty_joiners: tuple[tuple[str, ...], ...]
    casualty_skip: frozenset[str]
    currency_qualifiers: dict[str, str]
    address_nouns: frozenset[str]
    starters: frozenset[str]
    plural_scales: frozenset[str]
    fractions: dict[str, float]
    single_money: frozenset[str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    raw = load_json("quantities.json")

    def phrases(key: str) -> tuple[tuple[str, ...], ...]:
        """The word sequences under ``key``, longest first."""
        return tuple(sorted((tuple(p) for p in raw[key]), key=len)[::-1])

    def hedges(key: str) -> tuple[_Hedge, ...]:
        items = [
            _Hedge(tuple(h["words"]), bool(h.get("approximate", True)), h.get("bound"))
            for h in raw[key]
        ]
        return tuple(sorted(items, key=lambda h: -len(h.words)))  # longest first

    vague = {tuple(k.split()): v for k, v in raw["vague"].items()}
    vague = dict(sorted(vague.items(), key=lambda kv: -len(kv[0])))  # longest first
    numbers = number_words()
    calendar = calendar_words()
    abbreviations = set(calendar.month_abbreviations)
    months = set(calendar.months) | abbreviations | {a + "." for a in abbreviations}
    starters = set(numbers) | set(raw["scales"]) | {"a", "an", "half"}
    starters |= {words[0] for words in vague} | set(_VULGAR)
    return _Lexicon(
        number_words=dict(numbers),
        scales={k: float(v) for k, v in raw["scales"].items()},
        scale_abbreviations={k: float(v) for k, v in raw["scale_abbreviations"].items()},
        money_only_scales={k: float(v) for k, v in raw["money_only_scale_abbreviations"].items()},
        vague=vague,
        hedges=hedges("hedges"),
        trailing_hedges=hedges("trailing_hedges"),
        currency_symbols=dict(raw["currency_symbols"]),
        currency_codes=frozenset(raw["currency_codes"]),
        currency_nouns=dict(raw["currency_nouns"]),
        pound_nouns=frozenset(raw["pound_nouns"]),
        percent_words=phrases("percent_words"),
        measure_units=frozenset(raw["measure_units"]),
        time_units=frozenset(raw["time_units"]),
        time_reference_after=frozenset(raw["time_reference_after"]),
        months=frozenset(months),
        weekdays=frozenset(calendar.weekdays),
        clock_after=frozenset(raw["clock_after"]),
        year_context_before=frozenset(raw["year_context_before"]),
        label_nouns=frozenset(raw["label_nouns"]),
        one_stop_nouns=frozenset(raw["one_stop_nouns"]),
        vague_stop_nouns=frozenset(raw["vague_stop_nouns"]),
        subset_before=phrases("subset_before"),
        subset_after=phrases("subset_after"),
        change_verbs=frozenset(raw["change_verbs"]),
        casualty_words=frozenset(raw["casualty_words"]),
        casualty_joiners=phrases("casualty_joiners"),
        casualty_skip=frozenset(raw["casualty_skip"]),
        currency_qualifiers=dict(raw["currency_qualifiers"]),
        address_nouns=frozenset(raw["address_nouns"]),
        starters=frozenset(starters),
        plural_scales=frozenset(k + "s" for k in raw["scales"] if k != "dozen"),
        fractions={k: float(v) for k, v in raw["fractions"].items()},
        single_money=frozenset(
            k for k in list(raw["currency_nouns"]) + list(raw["small_money_nouns"]) if k[-1] != "s"
        ),
    )


# ---------------------------------------------------------------------------- numbers


@dataclass(slots=True)
class _Number:
    """One number read from tokens ``[start, end)``."""

    start: int
    end: int
    value: float | None
    raw: float | None = None  # before a scale word ("3" of "3 million")
    scale: float | None = None  # the scale applied, if any
    words: bool = False  # written in words
    vague: bool = False
    needs_noun: bool = False
    needs_of: bool = False
    plain_one: bool = False  # just "one"
    glued_unit: str | None = None  # "lbs" of "25lbs"
    # an "m"/"b"/"t" that is a scale only for money: (suffix, scale, its own token or None
    # when glued inside the number's token)
    money_scale: tuple[str, float, int | None] | None = None
    year_like: bool = False
    leading_zero: bool = False
    hi: float | None = None  # upper end of a range written as one token ("3.5–4.0")
    trim: int = 0  # characters to leave off the end of the last token ("2.174T." → "2.174T")


def _finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return value


def _mul(a: float | None, b: float) -> float | None:
    if a is None:
        return None
    try:
        return _finite(a * b)
    except OverflowError:
        return None


def _glued(left: Token, right: Token) -> bool:
    """No whitespace between two adjacent tokens."""
    return not left.whitespace_ and right.i == left.i + 1


def _read_digits(doc: Doc, i: int, lex: _Lexicon) -> _Number | None:
    tok = doc[i]
    text = tok.text
    if _SCI_RE.match(text):
        try:
            value = _finite(float(text.replace("−", "-")))
        except (ValueError, OverflowError):
            value = None
        return _Number(i, i + 1, value, raw=value)
    m = _NUM_RE.match(text)
    if not m:
        return _read_range_token(doc, i, lex)
    sign, whole, frac, vulgar, suffix, dot = m.groups()
    suffix = suffix.lower()
    if suffix in _ORDINAL_SUFFIXES:
        return None  # "21st", "1960s"
    if dot and not suffix:
        return None  # "5." is split off by the tokenizer; "1.2.3" and the like are not figures
    number = f"{whole.replace(',', '')}.{frac or '0'}"
    value = _finite(float(number))
    if value is not None and vulgar:
        value += unicodedata.numeric(vulgar)
    if value is not None and sign:
        value = -value
    out = _Number(i, i + 1, value, raw=value, trim=len(dot))
    out.leading_zero = len(whole) > 1 and whole.startswith("0")
    out.year_like = (
        not sign
        and not frac
        and not vulgar
        and not suffix
        and "," not in whole
        and len(whole) == 4
        and 1000 <= float(whole) <= 2100
    )
    if suffix:
        if suffix in lex.scale_abbreviations:
            out.scale = lex.scale_abbreviations[suffix]
            out.value = _mul(value, out.scale)
        elif suffix in lex.money_only_scales:
            out.money_scale = (suffix, lex.money_only_scales[suffix], None)
        elif suffix in lex.measure_units:
            out.glued_unit = suffix
        else:
            return None  # "3D", "4x4", "06F6": not a figure
    j = i + 1
    n = len(doc)
    if not suffix and not frac and not vulgar and j < n and doc[i].whitespace_:
        part = _read_fraction(doc, j)
        if part is not None and part.value is not None and part.value < 1 and out.value is not None:
            out.value += -part.value if sign else part.value
            out.raw = out.value
            out.end = part.end
            out.year_like = False
            _read_scales(doc, out, lex)
            return out
    # "10 000": groups of three digits after a 1-3 digit figure, separated by one space.
    if not suffix and not frac and "," not in whole and len(whole) <= 3 and not sign:
        while (
            j < n
            and doc[j - 1].whitespace_ == " "
            and len(doc[j].text) == 3
            and _DIGITS_RE.match(doc[j].text)
        ):
            out.value = _mul(out.value, 1000.0)
            if out.value is not None:
                out.value += float(doc[j].text)
            out.raw = out.value
            out.year_like = False
            j += 1
        out.end = j
    if _read_power(doc, out, value):
        return out
    _read_scales(doc, out, lex)
    return out


def _read_range_token(doc: Doc, i: int, lex: _Lexicon) -> _Number | None:
    """A range written as one token ("3.5–4.0"), else a fraction ("1/4")."""
    r = _RANGE_TOKEN_RE.match(doc[i].text)
    if r:
        lo, hi = float(r.group(1)), float(r.group(2))
        if lo < hi and not (len(r.group(1)) == 4 and 1000 <= lo <= 2100):
            out = _Number(i, i + 1, lo, raw=lo, hi=hi)
            _read_scales(doc, out, lex)
            if out.scale is not None:
                out.hi = _mul(hi, out.scale)
            return out
        return None
    return _read_fraction(doc, i)


def _read_power(doc: Doc, out: _Number, base: float | None) -> bool:
    """ "10^100" after the digits: the power of ``base``, kept finite or dropped."""
    n = len(doc)
    if not (
        out.end + 1 < n
        and doc[out.end].text == "^"
        and _glued(doc[out.end - 1], doc[out.end])
        and _glued(doc[out.end], doc[out.end + 1])
        and _DIGITS_RE.match(doc[out.end + 1].text)
    ):
        return False
    try:
        out.value = _finite(float(base or 0.0) ** float(doc[out.end + 1].text))
    except OverflowError:
        out.value = None
    out.raw = out.value
    out.year_like = False
    out.end += 2
    return True


def _read_fraction(doc: Doc, i: int) -> _Number | None:
    """'1/4', '½': a fraction below 10 with a small denominator (never a date like '4/28')."""
    text = doc[i].text
    if len(text) == 1 and text in _VULGAR:
        value = unicodedata.numeric(text)
        return _Number(i, i + 1, value, raw=value)
    m = _FRACTION_RE.match(text)
    if not m:
        return None
    top, bottom = int(m.group(1)), int(m.group(2))
    if bottom == 0 or bottom > 100 or top >= 10 * bottom:
        return None
    if top < bottom <= 12 and bottom not in (2, 3, 4, 8) and top > 1:
        return None  # "4/9", "3/11": more likely dates
    if top > bottom and bottom <= 12:
        return None  # "9/2", "11/4": dates
    return _Number(i, i + 1, top / bottom, raw=top / bottom)


def _read_scales(doc: Doc, out: _Number, lex: _Lexicon) -> None:
    """Scale words or abbreviations after a number: "3.5 million", "2 dozen", "5 bn"."""
    n = len(doc)
    j = out.end
    while j < n:
        low = doc[j].lower_
        if low in lex.scales:
            out.scale = (out.scale or 1.0) * lex.scales[low]
            out.value = _mul(out.value, lex.scales[low])
        elif low in lex.scale_abbreviations and out.scale is None and not out.words:
            out.scale = lex.scale_abbreviations[low]
            out.value = _mul(out.value, out.scale)
        elif low in lex.money_only_scales and out.scale is None and not out.words:
            if out.money_scale is not None:
                break
            out.money_scale = (low, lex.money_only_scales[low], j)
            j += 1
            out.end = j
            # Held apart: it is a scale only if a currency turns up (or a plural noun after
            # a glued "m"); otherwise the token is a unit (metres) and is given back.
            break
        else:
            break
        j += 1
        out.end = j


@dataclass(slots=True)
class _WordReading:
    """A number in words being read, word by word."""

    j: int  # the next token to read
    total: float = 0.0  # the part already closed by a scale word ("three million" of "… two")
    current: float = 0.0
    last: str = ""  # kind of the last word read: unit | tens | hundred | scale | dozen | …
    read_any: bool = False


def _read_words(doc: Doc, i: int, lex: _Lexicon) -> _Number | None:
    """A number in words: "forty-five", "a hundred and two", "two dozen", "half a million"."""
    n = len(doc)
    scales = lex.scales
    st = _WordReading(j=i)
    low = doc[i].lower_
    if low in ("a", "an"):
        lead = _read_article(doc, i, lex, st)
        if st.last != "a":
            return lead
    elif low == "half":
        if i + 2 < n and doc[i + 1].lower_ in ("a", "an") and doc[i + 2].lower_ in scales:
            value = 0.5 * scales[doc[i + 2].lower_]
            out = _Number(i, i + 3, value, raw=0.5, scale=scales[doc[i + 2].lower_], words=True)
            return out
        return None
    elif low in scales:
        return None  # a bare "dozen" or "hundred" is not a number
    _read_word_run(doc, st, lex)
    if not st.read_any:
        return None
    j = st.j
    # a trailing join word that led nowhere is given back
    while j > i and doc[j - 1].lower_ in ("and", "&", ",", "-"):
        j -= 1
    value = st.total + st.current
    plain_one = j == i + 1 and doc[i].lower_ == "one"
    scale = None
    if st.last == "fraction":
        return _Number(i, j, _finite(value), raw=value, words=True)
    if st.total > 0 or st.last in ("hundred", "dozen", "scale"):
        scale = 1.0
    return _Number(i, j, _finite(value), raw=value, scale=scale, words=True, plain_one=plain_one)


def _read_article(doc: Doc, i: int, lex: _Lexicon, st: _WordReading) -> _Number | None:
    """A number in words starting with "a"/"an": "a third of", "a penny" (returned whole), or
    "a hundred…" (``st`` set to go on: ``st.last`` is "a")."""
    n = len(doc)
    if (
        i + 2 < n
        and doc[i + 1].lower_ in lex.fractions
        and doc[i + 1].lower_ not in ("second", "seconds")
        and doc[i + 2].lower_ == "of"
    ):
        value = 1.0 / lex.fractions[doc[i + 1].lower_]  # "a third of", "a quarter of"
        return _Number(i, i + 2, value, raw=value, words=True)
    if i + 1 < n and doc[i + 1].lower_ in lex.scales:
        st.current = 1.0
        st.last = "a"
        st.j = i + 1
        return None
    if i + 1 < n and doc[i + 1].lower_ in lex.single_money:
        return _Number(i, i + 1, 1.0, raw=1.0, words=True)  # "a penny", "a dollar"
    return None


def _read_word_run(doc: Doc, st: _WordReading, lex: _Lexicon) -> None:
    """Read number words from ``st.j`` on, as far as they make one number."""
    n = len(doc)
    words = lex.number_words
    scales = lex.scales
    while st.j < n:
        j = st.j
        tok = doc[j]
        low = tok.lower_
        parts = low.split("-") if "-" in low and len(low) > 2 else [low]
        if _read_word_fraction(doc, st, parts, lex):
            break
        if all(p in words or p in scales for p in parts) and parts != [""]:
            if not _add_number_words(st, parts, lex):
                break
            st.read_any = True
            st.j += 1
            continue
        # "forty-five" split as forty / - / five
        if (
            low in _DASHES
            and st.last == "tens"
            and j + 1 < n
            and _glued(doc[j - 1], tok)
            and _glued(tok, doc[j + 1])
            and doc[j + 1].lower_ in words
            and words[doc[j + 1].lower_] < 10
        ):
            st.j += 1
            continue
        # "a hundred and two", "three million, two hundred & forty", "two and a half"
        if low in ("and", "&", ",") and j + 1 < n and _read_word_join(doc, st, low, lex):
            continue
        break


def _read_word_fraction(doc: Doc, st: _WordReading, parts: list[str], lex: _Lexicon) -> bool:
    """A fraction word that ends the number ("two thirds", "two-thirds", "one-half")."""
    n = len(doc)
    j = st.j
    tok = doc[j]
    low = tok.lower_
    if (
        st.read_any
        and st.last in ("unit", "tens")
        and st.total == 0
        and parts[-1] in lex.fractions
        and (len(parts) == 1 or parts[0] == "")
        and not (j + 1 < n and doc[j + 1].text in _DASHES and _glued(tok, doc[j + 1]))
    ):  # (not "one half-sister", "a quarter-final")
        st.current /= lex.fractions[parts[-1]]  # "two thirds", "three halves"
        st.j += 1
        st.last = "fraction"
        return True
    if (
        st.read_any
        and st.last in ("unit", "tens")
        and st.total == 0
        and low in _DASHES
        and j + 1 < n
        and _glued(doc[j - 1], tok)
        and _glued(tok, doc[j + 1])
        and doc[j + 1].lower_ in lex.fractions
    ):
        st.current /= lex.fractions[doc[j + 1].lower_]  # "two-thirds"
        st.j += 2
        st.last = "fraction"
        return True
    if len(parts) == 2 and parts[0] in lex.number_words and parts[1] in lex.fractions:
        st.current = lex.number_words[parts[0]] / lex.fractions[parts[1]]  # "one-half"
        st.j += 1
        st.read_any = True
        st.last = "fraction"
        return True
    return False


def _add_number_words(st: _WordReading, parts: list[str], lex: _Lexicon) -> bool:
    """Add the number words of one token ("forty", "forty-five", "million"); False when they
    cannot follow what was read ("five six")."""
    words = lex.number_words
    for p in parts:
        if p in words:
            v = float(words[p])
            if st.last in ("unit", "tens") and not (st.last == "tens" and 0 < v < 10):
                return False
            if st.last == "unit" or (st.last == "tens" and v >= 10):
                return False
            st.current += v
            st.last = "tens" if v >= 20 and v % 10 == 0 else "unit"
        elif p == "hundred":
            st.current = (st.current or 1.0) * 100.0
            st.last = "hundred"
        elif p == "dozen":
            st.current = (st.current or 1.0) * 12.0
            st.last = "dozen"
        else:
            st.total += (st.current or 1.0) * lex.scales[p]
            st.current = 0.0
            st.last = "scale"
    return True


def _read_word_join(doc: Doc, st: _WordReading, low: str, lex: _Lexicon) -> bool:
    """ "and", "&" or "," at ``st.j``: True when the number goes on after it."""
    n = len(doc)
    j = st.j
    words = lex.number_words
    nxt = doc[j + 1].lower_
    if (
        low == "and"
        and nxt in ("a", "an")
        and j + 2 < n
        and doc[j + 2].lower_ == "half"
        and st.last in ("unit", "tens", "dozen", "hundred")
    ):
        st.current += 0.5  # "two and a half"
        st.j += 3
        st.last = "half"
        st.read_any = True
        return False
    big = st.total >= 1000 or (low != "," and st.current >= 100)
    if big and nxt in words and st.last in ("hundred", "scale"):
        st.j += 1
        st.last = "join"
        return True
    if big and low == "," and nxt in words and st.last == "scale":
        st.j += 1
        st.last = "join"
        return True
    return False


def _read_vague(doc: Doc, i: int, lex: _Lexicon) -> _Number | None:
    """'dozens', 'tens of thousands', 'several hundred', 'a few', 'a couple of'."""
    n = len(doc)
    first = doc[i].lower_
    for key, info in lex.vague.items():
        if key[0] != first:
            continue
        k = len(key)
        if i + k > n or any(doc[i + x].lower_ != key[x] for x in range(1, k)):
            continue
        value = float(info["value"])
        out = _Number(i, i + k, value, raw=value, vague=True)
        out.needs_noun = bool(info.get("needs_noun"))
        out.needs_of = bool(info.get("needs_of"))
        j = i + k
        if out.needs_noun and key[-1] == "of":
            # "a couple of" / "a handful of": the noun follows at once
            return out
        if j < n and doc[j].lower_ in lex.scales:  # "several hundred", "a few thousand"
            out.value = _mul(value, lex.scales[doc[j].lower_])
            out.needs_noun = False
            j += 1
        elif j < n and doc[j].lower_ in lex.plural_scales:  # "several thousands"
            out.value = _mul(value, lex.scales[doc[j].lower_[:-1]])
            out.needs_noun = False
            j += 1
        # "tens of thousands", "hundreds of millions"
        while j + 1 < n and doc[j].lower_ == "of" and doc[j + 1].lower_ in lex.plural_scales:
            out.value = _mul(out.value, lex.scales[doc[j + 1].lower_[:-1]])
            out.needs_of = False
            j += 2
        out.end = j
        if out.needs_of and not (j < n and doc[j].lower_ == "of"):
            return None
        return out
    return None


def _read_number(doc: Doc, i: int, lex: _Lexicon) -> _Number | None:
    tok = doc[i]
    first = tok.text[:1]
    if first.isdigit() or (first in "-−" and tok.text[1:2].isdigit()):
        return _read_digits(doc, i, lex)
    if first in _VULGAR:
        return _read_fraction(doc, i)
    low = tok.lower_
    if low not in lex.starters and "-" not in low:
        return None
    vague = _read_vague(doc, i, lex)
    if vague is not None:
        return vague
    return _read_words(doc, i, lex)


# ---------------------------------------------------------------------------- figures


@dataclass(slots=True)
class _Figure:
    start: int  # first token of the span
    end: int  # token after the span
    num: _Number
    value: float | None
    value_max: float | None = None
    unit: str | None = None
    unit_tok: int | None = None
    approximate: bool = False
    vague: bool = False
    money: bool = False
    percent: bool = False
    bound: str | None = None


def _match_before(doc: Doc, end: int, seqs: tuple[tuple[str, ...], ...]) -> int | None:
    """Start index of the first (longest) sequence that ends just before token ``end``."""
    if end <= 0:
        return None
    last = doc[end - 1].lower_
    for seq in seqs:
        k = len(seq)
        if seq[-1] != last or end - k < 0:
            continue
        if all(doc[end - k + x].lower_ == seq[x] for x in range(k - 1)):
            return end - k
    return None


def _match_at(doc: Doc, start: int, seqs: tuple[tuple[str, ...], ...]) -> int | None:
    """End index of the first (longest) sequence that starts at token ``start``."""
    n = len(doc)
    if start >= n:
        return None
    first = doc[start].lower_
    for seq in seqs:
        k = len(seq)
        if seq[0] != first or start + k > n:
            continue
        if all(doc[start + x].lower_ == seq[x] for x in range(1, k)):
            return start + k
    return None


def _hedge_at(doc: Doc, start: int, hedges: tuple[_Hedge, ...]) -> tuple[_Hedge, int] | None:
    """The first (longest) hedge that starts at token ``start``, with its end."""
    if start >= len(doc):
        return None
    first = doc[start].lower_
    for hedge in hedges:
        if hedge.words[0] != first:
            continue
        end = _match_at(doc, start, (hedge.words,))
        if end is not None:
            return hedge, end
    return None


def _hedge_before(doc: Doc, end: int, hedges: tuple[_Hedge, ...]) -> tuple[_Hedge, int] | None:
    """The first (longest) hedge that ends just before token ``end``, with its start."""
    if end <= 0:
        return None
    last = doc[end - 1].lower_
    for hedge in hedges:
        if hedge.words[-1] != last:
            continue
        start = _match_before(doc, end, (hedge.words,))
        if start is not None:
            return hedge, start
    return None


def _currency_before(doc: Doc, i: int, lex: _Lexicon) -> tuple[int, str] | None:
    """("$", "US$", "USD ") right before token ``i``: (start token, ISO code)."""
    if i == 0:
        return None
    prev = doc[i - 1]
    low = prev.lower_
    if low in lex.currency_symbols and _glued(prev, doc[i]):
        start = i - 1
        if low == "$" and i >= 2 and doc[i - 2].text == "US" and _glued(doc[i - 2], prev):
            start = i - 2
        return start, lex.currency_symbols[low]
    if low in lex.currency_symbols and len(low) == 1 and prev.whitespace_ == " ":
        return i - 1, lex.currency_symbols[low]  # "$ 5"
    if prev.text in lex.currency_codes:
        return i - 1, prev.text
    return None


def _currency_after(doc: Doc, j: int, num: _Number, lex: _Lexicon) -> tuple[int, str] | None:
    """A currency right after the number ending at ``j``: (end token, ISO code)."""
    n = len(doc)
    if j >= n:
        return None
    tok = doc[j]
    low = tok.lower_
    if low in lex.currency_symbols and len(low) == 1 and _glued(doc[j - 1], tok):
        return j + 1, lex.currency_symbols[low]  # "15€"
    if tok.text in lex.currency_codes:
        return j + 1, tok.text
    if low in lex.currency_nouns:
        return j + 1, lex.currency_nouns[low]
    if (
        low in lex.currency_qualifiers
        and j + 1 < n
        and (doc[j + 1].lower_ in lex.currency_nouns or doc[j + 1].lower_ in lex.pound_nouns)
    ):
        return j + 2, lex.currency_qualifiers[low]  # "US dollars", "Canadian dollars"
    if low in lex.pound_nouns:
        if j + 1 < n and doc[j + 1].lower_ == "sterling":
            return j + 2, "GBP"
        if num.scale is not None and num.scale >= 1e6:
            return j + 1, "GBP"
    return None


def _sent_bounds(doc: Doc) -> list[int]:
    return [s.start for s in doc.sents]


def _is_titlecase_word(tok: Token) -> bool:
    t = tok.text
    return t[:1].isupper() and t.isalpha()


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _has_letters_and_digits(text: str) -> bool:
    return any(c.isdigit() for c in text) and any(c.isalpha() for c in text)


def _is_month(tok: Token, lex: _Lexicon) -> bool:
    return tok.text[:1].isupper() and tok.lower_ in lex.months  # "May", never "may"


def _skip_reason(doc: Doc, num: _Number, fig: _Figure, lex: _Lexicon, sent_start: int) -> bool:
    """True when the number is a year, date, time, label, name, id, phone number or score."""
    if fig.money or fig.percent:
        return False
    if num.leading_zero:
        return True
    if _list_marker_or_code(doc, num, sent_start):
        return True
    if _date_or_time(doc, num, fig, lex):
        return True
    s = num.start
    if s == 0 or num.vague:
        return False
    return _label_or_name(doc, num, fig, lex, sent_start)


def _list_marker_or_code(doc: Doc, num: _Number, sent_start: int) -> bool:
    """List markers ("1) …", a line starting "2. …") and dialling codes or numbers ("+44",
    "#3")."""
    s, e = num.start, num.end
    n = len(doc)
    prev = doc[s - 1] if s > 0 else None
    nxt = doc[e] if e < n else None
    if nxt is not None and nxt.text == ")" and _glued(doc[e - 1], nxt) and not num.words:
        opener = prev is not None and prev.text in ("(", "[")
        if not opener:
            return True
    if (
        nxt is not None
        and nxt.text == "."
        and _glued(doc[e - 1], nxt)
        and not num.words
        and (
            s == 0
            or "\n" in doc[s - 1].text_with_ws
            or s == sent_start
            or (prev is not None and prev.text == ":")
        )
    ):
        return True
    return prev is not None and (
        prev.text in ("+", "#", "№") or (prev.text.startswith("+") and prev.text[1:].isdigit())
    )  # "+44 20 …", "#3"


def _date_or_time(doc: Doc, num: _Number, fig: _Figure, lex: _Lexicon) -> bool:
    """Days of a month ("April 28", "July 13 to 17"), clock times ("2 pm") and years."""
    s, e = num.start, num.end
    n = len(doc)
    prev = doc[s - 1] if s > 0 else None
    nxt = doc[e] if e < n else None
    day_like = num.value is not None and num.value.is_integer() and 1 <= num.value <= 31
    if not num.words and day_like:
        if prev is not None and _is_month(prev, lex):
            return True  # "April 28"
        if (
            prev is not None
            and prev.lower_ in ("to", "-", "–", "and", "through", "until")
            and s >= 3
            and _DIGITS_RE.match(doc[s - 2].text)
            and _is_month(doc[s - 3], lex)
        ):
            return True  # "July 13 to 17"
        if nxt is not None and _is_month(nxt, lex):
            return True  # "28 April"
    if nxt is not None and nxt.lower_ in lex.clock_after and not num.words:
        return True  # "2 pm", "10.30 GMT"
    if num.year_like:
        if fig.unit_tok is None or prev is None:
            return True
        if prev.lower_ in lex.year_context_before or _is_month(prev, lex):
            return True
        unit = doc[fig.unit_tok]
        plural = any(t.tag_ == "NNS" for t in doc[e : fig.unit_tok + 1])
        if not plural or unit.lower_ in lex.time_units:
            return True
    return False


def _label_or_name(doc: Doc, num: _Number, fig: _Figure, lex: _Lexicon, sent_start: int) -> bool:
    """Labels ("No. 10", "page 5"), names and codes with numbers ("Voyager 2", "Core i7 860",
    "F-16"). The number has a token before it."""
    s, e = num.start, num.end
    prev = doc[s - 1]
    plow = prev.lower_
    if plow in lex.label_nouns:
        return True
    if plow == "." and s >= 2 and doc[s - 2].lower_ in ("no", "nos"):
        return True
    if prev.whitespace_ and fig.unit not in lex.measure_units:
        named = (
            (prev.pos_ == "PROPN" or (_is_titlecase_word(prev) and prev.i != sent_start))
            and prev.lower_ not in lex.weekdays
            and not _is_month(prev, lex)
        )
        coded = _has_letters_and_digits(prev.text)
        if coded:
            return True
        if named:
            head_is_prev = doc[e - 1].head.i == prev.i or doc[s].head.i == prev.i
            if head_is_prev or fig.unit is None:
                return True
    # "F-16", "COVID-19", "mid-2025": a number glued by a dash to a word
    return (
        plow in _DASHES
        and s >= 2
        and _glued(doc[s - 2], prev)
        and _glued(prev, doc[s])
        and doc[s - 2].text.isalpha()
        and doc[s - 2].lower_ not in lex.number_words
    )


def _phone_like(doc: Doc, num: _Number) -> bool:
    """'555-1234', '020 7946 0958', '2025-04-28' and other digit groups that are not figures."""
    n = len(doc)
    s, e = num.start, num.end
    text = doc[s].text
    if not _DIGITS_RE.match(text):
        return False
    # three or more digit groups joined by dashes
    groups = [text]
    j = e
    while (
        j + 1 < n
        and doc[j].text in _DASHES
        and _glued(doc[j - 1], doc[j])
        and _glued(doc[j], doc[j + 1])
        and _DIGITS_RE.match(doc[j + 1].text)
    ):
        groups.append(doc[j + 1].text)
        j += 2
    if len(groups) >= 3:
        return True
    if len(groups) == 2 and len(groups[0]) == 3 and len(groups[1]) == 4:
        return True
    # bare digit groups separated by spaces ("20 7946 0958")
    if e < n and _DIGITS_RE.match(doc[e].text) and doc[e - 1].whitespace_:
        return True
    if s > 0 and _DIGITS_RE.match(doc[s - 1].text) and doc[s - 1].whitespace_:
        return True
    return False


def _counted_noun(doc: Doc, num: _Number, j: int, lex: _Lexicon) -> tuple[int | None, int]:
    """The counted noun of the number ending at ``j``: (token index or None, span end)."""
    n = len(doc)
    # a unit of measure right after the number: "50 mg ethanol", "12 km", "-18 °C"
    if j < n:
        tok = doc[j]
        if tok.text == "°" and j + 1 < n and _glued(tok, doc[j + 1]) and doc[j + 1].is_alpha:
            return j + 1, j + 2
        if tok.lower_ in lex.measure_units and tok.pos_ in ("NOUN", "PROPN", "X", "SYM"):
            return j, j + 1
    # "thousands of people", "45 of the soldiers"
    if j < n and doc[j].lower_ == "of":
        of = doc[j]
        for child in of.children:
            # "27 of the province's 43 municipalities": further off past a number of its own
            reach = 10 if any(t.like_num for t in doc[j + 1 : child.i]) else 6
            if child.dep_ == "pobj" and child.i > j and child.i - j <= reach:
                if child.pos_ in ("NOUN", "PROPN") and child.lower_ not in _PRONOUNS:
                    if any(t.like_num for t in doc[j + 1 : child.i]):
                        return child.i, j  # "3,000 of the 14,000 troops": the noun, not the span
                    return child.i, child.i + 1
                return None, j
        # parse without a pobj: the next noun within a short window
        k = j + 1
        while k < n and k - j <= 4 and doc[k].pos_ in ("DET", "ADJ", "NUM", "PROPN", "NOUN"):
            if doc[k].pos_ == "NOUN" and (k + 1 >= n or doc[k + 1].pos_ != "NOUN"):
                return k, k + 1
            k += 1
        return None, j
    # the syntactic head of the number, right of it and close
    last = doc[j - 1]
    if num.vague and last.dep_ not in _MODIFIER_DEPS:
        return None, j  # "Millions dwell …": a vague count as a subject counts nothing named
    head = last.head
    guard = 0
    while num.start <= head.i < j and head.head.i != head.i and guard < 8:
        head = head.head
        guard += 1
    if head.i >= j and head.pos_ in ("NOUN", "PROPN") and head.i - j <= 4:
        between = doc[j : head.i]
        if all(
            t.pos_ in ("ADJ", "NOUN", "PROPN", "ADV", "VERB", "NUM") or t.tag_ == "HYPH"
            for t in between
        ) and not any(t.lower_ in ("of", "and", "or", ",") for t in between):
            # climb a compound to its head noun when contiguous ("army troops")
            while (
                head.dep_ == "compound"
                and head.head.i == head.i + 1
                and head.head.pos_ in ("NOUN", "PROPN")
            ):
                head = head.head
            if head.lower_ not in _PRONOUNS and not _has_digit(head.text):
                return head.i, head.i + 1
    # fallback: a noun right after the number
    if j < n and doc[j].pos_ == "NOUN" and doc[j].lower_ not in _PRONOUNS:
        if not _has_digit(doc[j].text):
            return _past_hyphenated(doc, j)
    return None, j


def _past_hyphenated(doc: Doc, j: int) -> tuple[int | None, int]:
    """The noun at ``j`` after a number, or the noun after the hyphenated modifier it opens
    ("22 ship-to-shore cranes"): (token index or None, span end)."""
    n = len(doc)
    k = j
    while k + 1 < n and not doc[k].whitespace_ and doc[k + 1].text in "-–":
        k += 2
    if k == j:
        return j, j + 1
    noun = k + 1 if k + 1 < n and doc[k].whitespace_ else k
    if noun < n and doc[noun].pos_ == "NOUN" and not _has_digit(doc[noun].text):
        return noun, noun + 1
    return None, j


def _casualty_combination(doc: Doc, fig: _Figure, lex: _Lexicon) -> str | None:
    """'killed or injured' right after the counted phrase, or governing its noun."""
    n = len(doc)
    k = fig.end
    while k < n and doc[k].lower_ in lex.casualty_skip:
        k += 1
    if k < n and doc[k].lower_ in lex.casualty_words:
        words_end = _casualty_run(doc, k, lex)
        if words_end is not None:
            return doc[k:words_end].text.lower()
    # verb first: "the blast killed or injured 40 people"
    anchor = doc[fig.unit_tok] if fig.unit_tok is not None else doc[fig.num.end - 1]
    verb = anchor.head
    if verb.lower_ in lex.casualty_words and verb.i < fig.start:
        first = verb
        while first.dep_ == "conj" and first.head.lower_ in lex.casualty_words:
            first = first.head
        end = _casualty_run(doc, first.i, lex)
        if end is not None and end - 1 >= verb.i and end <= fig.start:
            return doc[first.i : end].text.lower()
    return None


def _casualty_run(doc: Doc, k: int, lex: _Lexicon) -> int | None:
    """End of 'killed, injured or captured' starting at ``k`` when it has an 'or'; else None."""
    n = len(doc)
    j = k + 1
    seen_or = False
    while j < n:
        if doc[j].lower_ == "," and j + 1 < n and doc[j + 1].lower_ in lex.casualty_words:
            j += 2
            continue
        joiner_end = _match_at(doc, j, lex.casualty_joiners)
        if (
            joiner_end is not None
            and joiner_end < n
            and doc[joiner_end].lower_ in (lex.casualty_words)
        ):
            seen_or = True
            j = joiner_end + 1
            continue
        break
    return j if seen_or else None


def _build(doc: Doc, num: _Number, lex: _Lexicon, sent_start: int) -> _Figure | None:
    """The figure the number ``num`` starts, or None when it is not a figure."""
    fig = _Figure(start=num.start, end=num.end, num=num, value=num.value, vague=num.vague)
    # --- range: "36 to 40", "36-40", "between 36 and 40", "two or three"
    cur = _currency_before(doc, num.start, lex)
    before = cur[0] if cur is not None else num.start  # "between US$300 and 400 billion"
    between = before > 0 and doc[before - 1].lower_ == "between"
    from_ = before > 0 and doc[before - 1].lower_ == "from"
    lo_start = num.start
    found_range = _second_of_range(doc, num, lex, between)
    if found_range is not None:
        second, link = found_range
        range_start = _apply_range(doc, fig, second, link, lex, before, between, from_)
        if range_start is None:
            return None  # a year range or a score
        lo_start = range_start
    if num.hi is not None and fig.value_max is None:
        fig.value_max = num.hi
    # --- money, percent
    if cur is not None:
        lo_start = min(lo_start, cur[0])
    j = _read_money(doc, fig, cur, lex)
    if not fig.money:
        pct_end = _match_at(doc, j, lex.percent_words)
        if pct_end is not None:
            fig.percent = True
            fig.unit = "percent"
            j = pct_end
    # trailing hedges right after the number ("14,000 or more", "40-odd")
    trailing: _Hedge | None = None
    found = _hedge_at(doc, j, lex.trailing_hedges)
    if found is not None:
        trailing, j = found
    fig.end = max(fig.end, j)
    # --- the counted noun
    if not fig.money and not fig.percent:
        _read_unit(doc, fig, j, lex)
    # --- what is not a figure
    if _phone_like(doc, num) and not fig.money:
        return None
    if _skip_reason(doc, num, fig, lex, sent_start):
        return None
    if _not_counted(doc, fig, j, lex):
        return None
    _apply_hedges(doc, fig, lo_start, trailing, lex)
    if fig.bound == "upper" and fig.value_max is None:
        fig.value, fig.value_max = None, fig.value
    # --- "killed or injured"
    if not fig.money and not fig.percent:
        combo = _casualty_combination(doc, fig, lex)
        if combo is not None:
            fig.unit = f"{fig.unit} {combo}" if fig.unit else combo
    return fig


def _second_of_range(
    doc: Doc, num: _Number, lex: _Lexicon, between: bool
) -> tuple[_Number, str] | None:
    """The upper end of a range that ``num`` starts, with the word linking the two."""
    n = len(doc)
    j = num.end
    # the unit may be written on both sides: "44 mg to 50 mg", "10% to 20%"
    unit_twice: str | None = None
    if (
        j + 2 < n
        and not num.glued_unit
        and (doc[j].lower_ in lex.measure_units or doc[j].text == "%")
        and doc[j + 1].lower_ in ("to", "and", "-", "–")
    ):
        unit_twice = doc[j].lower_
        j += 1
    if not (j + 1 < n and not num.vague and num.value is not None):
        return None
    link = doc[j].lower_
    ok_link = (
        (link in _DASHES and _glued(doc[j - 1], doc[j]) and _glued(doc[j], doc[j + 1]))
        or link == "to"
        or (link == "and" and between)
        or (link == "or" and num.words == (doc[j + 1].lower_ in lex.starters))
    )
    if not ok_link:
        return None
    k = j + 1
    if (
        k + 1 < n
        and doc[k].lower_ in lex.currency_symbols
        and _glued(doc[k], doc[k + 1])
        and _currency_before(doc, num.start, lex) is not None
    ):
        k += 1  # "$3 to $4 million"
    second = _read_number(doc, k, lex)
    if second is None:
        return None
    if unit_twice is not None and (second.end >= n or doc[second.end].lower_ != unit_twice):
        return None
    if second.value is None or second.vague:
        return None
    return second, link


def _apply_range(
    doc: Doc,
    fig: _Figure,
    second: _Number,
    link: str,
    lex: _Lexicon,
    before: int,
    between: bool,
    from_: bool,
) -> int | None:
    """Make ``fig`` the range up to ``second`` when it is one: the first token of its lower
    end ("between" and "from" included), or None when the pair is not a figure at all."""
    num = fig.num
    assert num.value is not None
    hi = second.value
    assert hi is not None
    lo = num.value
    if num.scale is None and second.scale is not None and num.raw is not None:
        scaled = _mul(num.raw, second.scale)
        if scaled is not None and scaled < hi:
            lo = scaled
    change = False
    if from_ and link == "to":
        head = doc[before - 1].head
        change = head.lemma_.lower() in lex.change_verbs
    if link in _DASHES and (num.year_like or second.year_like):
        return None  # "2024-25", "1990-1995"
    if num.year_like and second.year_like:
        return None  # "between 2015 and 2017", "from 1990 to 1995"
    if link in _DASHES and not (hi > lo):
        return None  # a score, "3-2"
    if hi < lo and (between or from_) and link != "or":
        lo, hi = hi, lo  # "from -18 to -34", "between 50 and 44"
    lo_start = num.start
    if hi > lo and not change:
        fig.value = lo
        fig.value_max = hi
        fig.end = second.end
        if second.money_scale and not num.money_scale:
            num.money_scale = second.money_scale
        if second.glued_unit and not num.glued_unit:
            num.glued_unit = second.glued_unit
        if between or from_:
            lo_start = before - 1
        num.year_like = False
    return lo_start


def _read_money(doc: Doc, fig: _Figure, cur: tuple[int, str] | None, lex: _Lexicon) -> int:
    """Mark ``fig`` as money when a currency is written before or after it, and settle an
    "m"/"b"/"t" that is a scale only for money. Returns where the reading goes on."""
    n = len(doc)
    num = fig.num
    j = fig.end
    code: str | None = None
    if cur is not None:
        code = cur[1]
    if code is None:
        after = _currency_after(doc, j, num, lex)
        if after is not None:
            code = after[1]
            j = after[0]
    if code is not None:
        fig.money = True
        fig.unit = code
        if num.money_scale is not None:
            scale = num.money_scale[1]
            fig.value = _mul(fig.value, scale)
            fig.value_max = _mul(fig.value_max, scale) if fig.value_max is not None else None
            num.money_scale = None
    if num.money_scale is not None:
        # no currency: "12m people" is 12 million; "100m race", "12 m" are metres
        suffix, scale, own = num.money_scale
        glued = own is None or _glued(doc[own - 1], doc[own])
        noun_after = j < n and doc[j].tag_ == "NNS"
        if suffix == "m" and glued and noun_after:
            fig.value = _mul(fig.value, scale)
            fig.value_max = _mul(fig.value_max, scale) if fig.value_max is not None else None
        elif own is not None:
            j = own  # the separate token is a unit: read it as the counted noun
            fig.end = min(fig.end, j)
            num.end = min(num.end, j)
        else:
            num.glued_unit = suffix
    return j


def _read_unit(doc: Doc, fig: _Figure, j: int, lex: _Lexicon) -> None:
    """The counted noun (or unit) of ``fig``, read from token ``j`` on."""
    n = len(doc)
    num = fig.num
    if num.glued_unit:
        fig.unit = num.glued_unit
    elif (
        j + 1 < n
        and doc[j].text in _DASHES
        and _glued(doc[j - 1], doc[j])
        and _glued(doc[j], doc[j + 1])
        and doc[j + 1].is_alpha
    ):
        fig.unit = doc[j + 1].lower_  # "27-kilometer", "two-year"
        fig.unit_tok = j + 1
        fig.end = j + 2
    else:
        unit_i, end = _counted_noun(doc, num, j, lex)
        if unit_i is not None:
            unit_tok = doc[unit_i]
            if unit_tok.lower_ in lex.currency_nouns:
                fig.money = True
                fig.unit = lex.currency_nouns[unit_tok.lower_]
            elif unit_i > 0 and doc[unit_i - 1].text == "°" and unit_i - 1 >= j:
                fig.unit = "°" + unit_tok.lower_  # "°c"
            else:
                fig.unit = unit_tok.lower_
            fig.unit_tok = unit_i
            fig.end = max(fig.end, end)


def _not_counted(doc: Doc, fig: _Figure, j: int, lex: _Lexicon) -> bool:
    """True when what ``fig`` counts shows it is no figure: a plain "one" of nothing, a vague
    count without its noun, an address ("619 Waddell Avenue"), a time ago ("three days ago")."""
    n = len(doc)
    num = fig.num
    if num.plain_one and (
        fig.unit is None or fig.unit in lex.one_stop_nouns or (j < n and doc[j].lower_ == "of")
    ):
        return True
    if num.vague:
        if num.needs_noun and fig.unit is None:
            return True
        if fig.unit in lex.vague_stop_nouns:
            return True
    if (
        fig.unit_tok is not None
        and fig.unit in lex.address_nouns
        and doc[fig.unit_tok].text[:1].isupper()
    ):
        return True  # "619 Waddell Avenue"
    if fig.unit is not None and fig.unit in lex.time_units and fig.unit_tok is not None:
        next_i = fig.unit_tok + 1
        if next_i < n and doc[next_i].lower_ in lex.time_reference_after:
            return True  # "three days ago"
    return False


def _apply_hedges(
    doc: Doc, fig: _Figure, lo_start: int, trailing: _Hedge | None, lex: _Lexicon
) -> None:
    """Hedges before the figure ("an estimated total of", "about", "at least") and after its
    noun ("14,000 troops or more"): they set ``approximate``, ``bound`` and the start."""
    start = lo_start
    found = _hedge_before(doc, start, lex.hedges)
    if found is not None:
        hedge, start = found
        fig.approximate = fig.approximate or hedge.approximate
        fig.bound = hedge.bound
    if trailing is None:
        found = _hedge_at(doc, fig.end, lex.trailing_hedges)
        if found is not None:
            trailing, fig.end = found
    if trailing is not None:
        fig.approximate = fig.approximate or trailing.approximate
        fig.bound = fig.bound or trailing.bound
    fig.start = start


# ---------------------------------------------------------------------------- subsets


def _link_subsets(
    doc: Doc, figs: list[_Figure], ids: list[str], sents: list[int], lex: _Lexicon
) -> list[str | None]:
    parents: list[str | None] = [None] * len(figs)

    sent_of = [bisect_right(sents, f.start) - 1 for f in figs]
    first_in_sent: dict[int, int] = {}
    for k, sent in enumerate(sent_of):
        first_in_sent.setdefault(sent, k)

    for k, fig in enumerate(figs):
        sent = sent_of[k]
        earlier = list(range(first_in_sent[sent], k))  # figures before it in its sentence
        # cue before the figure: "…, including 3,000 reinforcements"
        cue = _match_before(doc, fig.start, lex.subset_before)
        if cue is not None and earlier:
            before = [p for p in earlier if figs[p].end <= cue]
            if before:
                parents[k] = ids[before[-1]]
                continue
        # a conjunct of a part: "including 3,000 reinforcements and 500 officers"
        if earlier:
            p = earlier[-1]
            gap = doc[figs[p].end : fig.start]
            if parents[p] is not None and 0 < len(gap) <= 2:
                if all(t.lower_ in ("and", ",", "plus") for t in gap):
                    parents[k] = parents[p]
                    continue
        # cue after the figure: "14 died, 5 of whom were children"
        after = _match_at(doc, fig.end, lex.subset_after)
        if after is not None and earlier:
            parents[k] = ids[earlier[-1]]
            continue
        # "Of the 50 dead, 20 were children"
        if earlier and len(earlier) == 1:
            p = earlier[0]
            first = doc[sents[sent]]
            if first.lower_ == "of" and figs[p].start - sents[sent] <= 2:
                gap = doc[figs[p].end : fig.start]
                if len(gap) <= 3 and any(t.text == "," for t in gap):
                    parents[k] = ids[p]
                    continue
    # partitive "3,000 of the 14,000 troops": the part is the first of two
    for k, fig in enumerate(figs[:-1]):
        nxt = figs[k + 1]
        between = [t.lower_ for t in doc[fig.num.end : nxt.start]]
        if between in (["of"], ["of", "the"], ["of", "those"], ["of", "these"]):
            parents[k] = parents[k] or ids[k + 1]
    return parents


# ---------------------------------------------------------------------------- public


def _json_number(value: float | None) -> float | None:
    value = _finite(value)
    if value is not None and value.is_integer() and abs(value) < _EXACT_INT:
        return int(value)
    return value


def extract_quantities(doc: Doc, analysis: Analysis) -> list[Quantity]:
    """The figures in ``doc``, in text order, with ids ``q1``, ``q2``, …

    ``analysis.attributions`` should already be filled: each figure's ``attribution`` is the
    innermost attribution whose content holds it.
    """
    lex = _lexicon()
    text = analysis.text
    n = len(doc)
    if n == 0:
        return []
    starters = lex.starters
    candidates = [
        tok.i
        for tok in doc
        if (low := tok.lower_)
        and (
            low[0].isdigit()
            or low in starters
            or (low[0] in "-−" and low[1:2].isdigit())
            or ("-" in low and low.split("-", 1)[0] in starters)
        )
    ]
    if not candidates:
        return []
    sents: list[int] | None = None
    figs: list[_Figure] = []
    i = 0
    for c in candidates:
        if c < i:
            continue  # inside a figure already read
        i = c
        num = _read_number(doc, i, lex)
        if num is None:
            i += 1
            continue
        if sents is None:
            sents = _sent_bounds(doc)
        sent_start = sents[bisect_right(sents, i) - 1]
        fig = _build(doc, num, lex, sent_start)
        if fig is None:
            # skip the whole chain of digit groups ("2025-04-28", "555-1234")
            i = max(num.end, i + 1)
            while (
                i + 1 < n
                and doc[i].text in _DASHES
                and _glued(doc[i - 1], doc[i])
                and _DIGITS_RE.match(doc[i + 1].text)
            ):
                i += 2
            continue
        if figs and fig.start < figs[-1].end:
            fig.start = min(figs[-1].end, num.start)  # never overlap the previous figure
        figs.append(fig)
        i = max(fig.end, num.end, i + 1)
    if not figs:
        return []
    # coordinated figures share a unit: "45 and 50 mg", "between 3 and 4 …"
    for k in range(len(figs) - 1):
        a, b = figs[k], figs[k + 1]
        if a.unit is None and b.unit is not None:
            gap = [t.lower_ for t in doc[a.end : b.start]]
            if gap in (["and"], ["or"], [","], ["to"]) and not a.money:
                a.unit = b.unit
                a.percent = b.percent
    assert sents is not None
    ids = [f"q{k + 1}" for k in range(len(figs))]
    parents = _link_subsets(doc, figs, ids, sents, lex)
    out: list[Quantity] = []
    for k, fig in enumerate(figs):
        start = doc[fig.start].idx
        end = doc[fig.end - 1].idx + len(doc[fig.end - 1].text)
        if fig.end == fig.num.end and fig.num.trim:
            end -= fig.num.trim  # "2.174T." ends before the full stop
        out.append(
            Quantity(
                text=text[start:end],
                start=start,
                end=end,
                value=_json_number(fig.value),
                value_max=_json_number(fig.value_max),
                unit=fig.unit,
                approximate=fig.approximate,
                vague=fig.vague,
                part_of=parents[k],
                attribution=attribution_at(analysis, start, end),
                id=ids[k],
            )
        )
    return out
