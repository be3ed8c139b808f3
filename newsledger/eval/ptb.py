"""A Penn-Treebank tokenizer with character offsets, after Stanford CoreNLP's ``PTBTokenizer``.

PolNeAR's own tokens, and so the instances CofeNet scores, come from CoreNLP. Without CoreNLP
(a Java program) this module reproduces its tokens over raw text, each with its character
offsets, and its sentences, closely enough to build CofeNet-style instances
(:mod:`newsledger.eval.cofenet`):

- quotes become ````` ``''`` `` (``“`` and an opening ``"``) and ``''`` (``”`` and a closing
  ``"``), single quotes ````` and ``'``; ``’”`` is one token ``'''``; curly apostrophes are
  written ``'``;
- contractions split: ``do n't``, ``ca n't``, ``wo n't``, ``Obama 's``, ``we 're``; ``can not``,
  ``gon na``, ``wan na``, ``got ta``;
- ``…`` and runs of three or more periods are ``...``; ``—``, ``–``, ``―`` and runs of two or more
  hyphens are ``--``;
- parentheses stay ``(`` ``)`` (CofeNet's files write them so), square and curly brackets are
  ``-LSB-`` ``-RSB-`` ``-LCB-`` ``-RCB-``;
- hyphenated words, numbers with ``,`` ``.`` ``:`` ``/`` (``1,500``, ``1:30``, ``9/11``),
  ``Getty/Instagram``, ``AT&T``, URLs, e-mail addresses, ``@handles``, ``#hashtags`` and SGML
  tags are one token; ``$`` and ``%`` are their own;
- known abbreviations keep their period (``Mr.``, ``U.S.``, ``p.m.``, ``Calif.``, ``J.``); one
  that ends a sentence is followed by an extra ``.`` token over the same character, as CoreNLP
  writes it (``in the U.S. .`` before ``The``, a line break or the end of the text).

Offsets index the text given: ``text[token.start:token.end]`` is what the token was read from
(``“`` for ````` ``''`` `` …). Sentences end at ``.``, ``?`` and ``!`` tokens, with the closing
quotes and brackets that follow them; line breaks do not end a sentence (CoreNLP as PolNeAR
ran it), so a heading without a final period runs into the next paragraph.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Token", "sentences", "tokenize"]


class Token(NamedTuple):
    """One token: its PTB form and the characters ``[start, end)`` it was read from."""

    text: str
    start: int
    end: int


# Abbreviations that may end a sentence (CoreNLP's ABBREV1: months, days, states, companies …):
# followed by a line break, two spaces, an upper-case letter or the end, they get an extra ".".
_FINAL_ABBREVIATIONS = frozenset(
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec "
    "Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun "
    "Ala Ariz Ark Calif Cal Colo Conn Del Fla Ga Ida Ill Ind Kan Kans Ky La Md Mass Mich Minn "
    "Miss Mo Mont Neb Nebr Nev Okla Ore Pa Penn Tenn Tex Va Vt Wash Wis Wisc Wyo "
    "Inc Corp Co Cos Ltd Bros Assn Dept Univ Jr Sr etc al".split()
)
# Abbreviations that stand before a name and never end a sentence.
_TITLES = frozenset(
    "Mr Mrs Ms Messrs Mmes Dr Prof Gov Sen Sens Rep Reps Gen Lt Col Maj Capt Cmdr Adm Sgt Cpl "
    "Pvt Rev Hon Pres Supt Fr St Ste Mt Ft Atty Insp Det Amb Sec Gens Lts".split()
)
# Abbreviations that stand before a number ("No. 2").
_NUMBER_ABBREVIATIONS = frozenset("No Nos Vol Vols Fig Figs Art Ch Pp".split())
# After an acronym ("U.S.", "p.m.", "J."), a sentence ends only before one of these words.
_SENTENCE_STARTS = frozenset(
    "The A An He She It They We I You But And Or So If As In On At For That This These Those "
    "There Their His Her Its Our My Your What When Where Why How Who Some Many Most Other "
    "Another All Both Each After Before While Although Though Yet Still Then Now Also Even Only "
    "Just Meanwhile However Since Because Under With By From To Of Mr Mrs Ms".split()
)

_ALNUM = r"(?:[^\W_]|[\u0300-\u036f])"  # letters and digits, combining accents too
_LETTER = r"[^\W\d_]"
_APOSTROPHES = "'\u2019"
_JOINER = (
    r"(?:-"  # coal-fired, U-S-A
    r"|/"  # 9/11, Getty/Instagram
    rf"|[{_APOSTROPHES}](?={_LETTER})"  # O'Neill, don't (split afterwards)
    r"|(?<=\d)[,.:](?=\d)"  # 1,500 3.5 1:30
    r"|\.(?=[A-Za-z@])"  # will.i.am, savingforcollege.com
    r"|(?<=[A-Z])&(?=[A-Z])"  # AT&T
    r")"
)
_HYPHEN_PREFIX = r"(?:[A-Z]-)?"  # D-N.Y., R-Tenn.
_ABBREVIATION = (
    rf"{_HYPHEN_PREFIX}(?:"
    r"(?:[A-Za-z]\.){2,}"  # U.S. p.m. N.Y.U.
    r"|[A-Z]\.[A-Z][a-z]{1,3}\."  # W.Va.
    r"|[A-Z][a-z]{1,4}\."  # Mr. Calif. Sept. (checked against the lists)
    r"|[A-Z]\.|v\.|vs\.|etc\.|al\."  # J. v.
    rf")(?!{_ALNUM})"
)
_SCANNER = re.compile(
    "|".join(
        [
            r"(?P<sgml></?[A-Za-z!][^<>\n]{0,1000}>)",
            r"(?P<url>(?:https?://|www\.)[^\s<>\"\u201c\u201d]+"
            r"|(?:[A-Za-z0-9-]+\.)+(?:com|org|net|gov|edu)/[^\s<>\"\u201c\u201d]*)",
            r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)",
            r"(?P<handle>[@#]\w*[^\W\d_]\w*)",
            rf"(?P<abbrev>{_ABBREVIATION})",
            r"(?P<decade>['\u2019](?:\d0s|cause|em|tis|twas))(?!\w)",
            r"(?P<clitic>(?<=\S)['\u2019](?:[sdmSDM]|re|ve|ll|RE|VE|LL))(?!\w)",
            rf"(?P<word>{_ALNUM}+(?:{_JOINER}{_ALNUM}+)*)",
            r"(?P<ellipsis>\.{3,}|\u2026|\. \. \.)",
            r"(?P<dash>-{2,3}(?!-)|[\u2014\u2013\u2015\u2012])",
            r"(?P<rule>-{4,})",
            r"(?P<quotes>''|``|\u2019\u201d|[\"\u201c\u201d\u201e\u00ab\u00bb])",
            r"(?P<single>['\u2018\u2019`\u201a])",
            r"(?P<bang>[!?]+)",
            r"(?P<under>_+)",
            r"(?P<other>\S)",
        ]
    )
)
_SPACE = re.compile(r"[\s\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff\x00-\x1f\x7f-\x9f]+")
_BRACKETS = {"[": "-LSB-", "]": "-RSB-", "{": "-LCB-", "}": "-RCB-"}
_OPENING_CONTEXT = set("([{<\u201c\u2018`-\u2014\u2013") | {""}
# contractions CoreNLP splits off the end of a word
_CLITIC = re.compile(r"(?i)(?:n't|'(?:s|re|ve|ll|d|m))$")
_NUMBER_WORD = re.compile(r"(\d+(?:[,.]\d+)+)[^\W\d_]")
_ASSIMILATIONS = {
    "cannot": 3,
    "gonna": 3,
    "gotta": 3,
    "wanna": 3,
    "lemme": 3,
    "gimme": 3,
}


_PARTY_PREFIXES = ("D-", "R-", "I-")


def _abbreviation_kind(word: str, text: str, end: int) -> str | None:
    """``title``, ``final``, ``acronym`` or ``number`` for an abbreviation CoreNLP keeps whole,
    None for a word whose period is a token of its own ("Court.")."""
    stem = word.rsplit("-", 1)[-1][:-1] if re.match(r"[A-Z]-", word) else word[:-1]
    if word[:2] in _PARTY_PREFIXES and stem in ("S.C", "N.C") and text[end : end + 1] in ",)":
        return None  # CoreNLP writes "(R-S.C" "." ")" but "(D-N.Y." ")"
    if stem.count(".") or len(stem) <= 2 and stem.isupper() or stem in ("v", "vs"):
        return "acronym"
    if stem in _TITLES:
        return "title"
    if stem in _FINAL_ABBREVIATIONS:
        return "final"
    if stem in _NUMBER_ABBREVIATIONS and re.match(r"\s+\d", text[end : end + 3]):
        return "number"
    return None


def _ends_sentence(kind: str, text: str, end: int) -> bool:
    """Whether the abbreviation ending at ``end`` also ends its sentence (CoreNLP then writes an
    extra "." token)."""
    rest = text[end : end + 40]
    if kind == "final":
        if not rest.strip():
            return True
        return bool(re.match(r"\s(?:\s|[A-Z])", rest))
    if kind == "acronym":
        m = re.match(r"\s+([A-Za-z]+)\b", rest)
        return bool(m and m.group(1) in _SENTENCE_STARTS)
    return False


def _split_word(word: str, start: int) -> list[Token]:
    """A word with its contractions split off, apostrophes written ``'``."""
    norm = word.replace("\u2019", "'")
    lower = norm.lower()
    if lower in _ASSIMILATIONS:
        k = _ASSIMILATIONS[lower]
        return [Token(norm[:k], start, start + k), Token(norm[k:], start + k, start + len(word))]
    m = _NUMBER_WORD.match(norm)
    if m:  # 64.8million
        k = m.end(1)
        return [Token(norm[:k], start, start + k), *_split_word(word[k:], start + k)]
    m = _CLITIC.search(norm)
    if m and m.start() > 0:
        k = m.start()
        if lower.endswith("n't") and lower in ("can't", "won't", "ain't", "shan't"):
            k = len(norm) - 3  # ca n't, wo n't
        head = norm[:k]
        if head and head[-1] not in "'":
            return [*_split_word(word[:k], start), Token(norm[k:], start + k, start + len(word))]
    return [Token(norm, start, start + len(word))]


def _quote(ch: str, text: str, start: int, end: int) -> str:
    """The PTB form of a quote mark: opening ````` ``''`` `` / ````` or closing ``''`` / ``'``."""
    if ch in "\u201c\u201e\u00ab":
        return "``"
    if ch in "\u201d\u00bb":
        return "''"
    if ch in "\u2018\u201a":
        return "`"
    if ch == "\u2019":
        return "'"
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    opening = (before.isspace() or before in _OPENING_CONTEXT) and not (
        after.isspace() or after == ""
    )
    if ch == '"':
        return "``" if opening else "''"
    return "`" if opening else "'"


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The PTB tokens of ``text[start:end]``, with offsets into ``text`` (see the module doc)."""
    end = len(text) if end is None else end
    out: list[Token] = []
    pos = start
    while pos < end:
        sp = _SPACE.match(text, pos, end)
        if sp:
            pos = sp.end()
            continue
        m = _SCANNER.match(text, pos, end)
        assert m is not None  # "other" matches any character but white space
        kind, s, e = m.lastgroup, m.start(), m.end()
        piece = m.group()
        if kind == "abbrev":
            abbr = _abbreviation_kind(piece, text, e)
            if abbr is None or abbr == "final" and "-" in piece and text[e : e + 1] == ")":
                # not an abbreviation: the word, then its period
                out += _split_word(piece[:-1], s)
                out.append(Token(".", e - 1, e))
            else:
                out.append(Token(piece, s, e))
                if _ends_sentence(abbr, text, e):
                    out.append(Token(".", e - 1, e))
        elif kind == "word":
            out += _split_word(piece, s)
        elif kind in ("decade", "clitic"):
            out.append(Token(piece.replace("\u2019", "'"), s, e))
        elif kind == "sgml":
            out.append(Token(re.sub(r"\s", "\u00a0", piece), s, e))
        elif kind == "ellipsis":
            out.append(Token("...", s, e))
        elif kind == "dash":
            out.append(Token("--", s, e))
        elif kind == "quotes":
            if len(piece) == 2 and piece[0] in "'\u2019" and piece[1] in '\u201d"':
                out.append(Token("'''", s, e))
            elif piece in ("''", "``"):
                out.append(Token(piece, s, e))
            else:
                out.append(Token(_quote(piece, text, s, e), s, e))
        elif kind == "single":
            out.append(Token(_quote(piece, text, s, e), s, e))
        elif kind == "other" and piece in _BRACKETS:
            out.append(Token(_BRACKETS[piece], s, e))
        else:
            out.append(Token(piece, s, e))
        pos = e
    return out


_BOUNDARY = re.compile(r"\.|[!?]+")
_CLOSERS = frozenset({"''", "'", "'''", ")", "-RSB-", "-RCB-"})


def sentences(tokens: list[Token]) -> list[tuple[int, int]]:
    """Sentences as ``[i, j)`` token index ranges: each ends after a ``.``, ``?`` or ``!`` token
    and the closing quotes and brackets right after it; the last one ends with the tokens."""
    out: list[tuple[int, int]] = []
    first = 0
    i = 0
    n = len(tokens)
    while i < n:
        if _BOUNDARY.fullmatch(tokens[i].text):
            j = i + 1
            while j < n and tokens[j].text in _CLOSERS:
                j += 1
            out.append((first, j))
            first = i = j
            continue
        i += 1
    if first < n:
        out.append((first, n))
    return out
