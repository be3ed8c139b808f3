"""Quotation spans in raw text, for every mark style news uses.

Handles straight and curly double quotes (also mixed: a straight opening mark closed by a curly
one), guillemets, low-9 marks, single quotes inside or outside doubles (apostrophes are told
apart from quote marks), quotes that run over several paragraphs (each paragraph reopening the
quote without closing the previous one), and unbalanced marks, which are closed at the paragraph
end and reported.
"""

from __future__ import annotations

from dataclasses import dataclass

DOUBLE_OPEN = frozenset('“„«"')
DOUBLE_CLOSE = frozenset('”»"“')  # “ closes „ in German-style quoting
SINGLE_OPEN = frozenset("‘‹'")
SINGLE_CLOSE = frozenset("’›'")
ALL_MARKS = DOUBLE_OPEN | DOUBLE_CLOSE | SINGLE_OPEN | SINGLE_CLOSE
OPENING_CONTEXT = frozenset(" \t\n\r([{—–-/:;\u00a0")


@dataclass(frozen=True, slots=True)
class Quote:
    start: int  # offset of the opening mark
    end: int  # offset just after the closing mark (or the paragraph end when unclosed)
    closed: bool
    double: bool

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - 1 if self.closed else self.end


@dataclass(frozen=True, slots=True)
class QuoteScan:
    quotes: list[Quote]
    unbalanced: list[int]  # offsets of marks that could not be paired


def _role(text: str, i: int) -> str | None:
    """'open', 'close', 'either' or None (apostrophe / not a mark) for the mark at ``i``."""
    ch = text[i]
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + 1] if i + 1 < len(text) else "\n"
    if ch in SINGLE_CLOSE and prev.isalnum() and nxt.isalnum():
        return None  # don't, Pyongyang’s
    if ch in "“„«‘‹":
        if ch == "“" and not (prev in OPENING_CONTEXT or prev in ALL_MARKS) and not nxt.isalnum():
            return "close"  # German-style closing “ or a typo
        return "open"
    if ch in "”»’›":
        if ch == "’" and prev in OPENING_CONTEXT and nxt.isalnum():
            return "open" if not nxt.isdigit() else None  # ’90s
        return "close"
    # straight marks
    opens = prev in OPENING_CONTEXT or prev in ALL_MARKS
    closes = nxt.isspace() or not nxt.isalnum() or i + 1 == len(text)
    if ch == "'" and not opens:
        return "close" if closes and not prev.isspace() else None
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def _pair_role(text: str, i: int) -> str:
    """Role of a two-character mark (``''`` or ````` `` `````) at ``i``."""
    if text[i] == "`":
        return "open"
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + 2] if i + 2 < len(text) else "\n"
    opens = prev in OPENING_CONTEXT or prev in ALL_MARKS
    closes = nxt.isspace() or not nxt.isalnum()
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def find_quotes(text: str) -> QuoteScan:
    """Every quotation in ``text`` (outermost double quotes and single quotes, in text order)."""
    scan = _Scanner(text)
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            i = scan.newline(i)
        elif ch not in ALL_MARKS and ch != "`":
            i += 1
        elif text[i : i + 2] in ("''", "``"):
            scan.double_pair(i)
            i += 2
        elif ch == "`":
            i += 1
        else:
            scan.mark(i)
            i += 1
    return scan.finish()


class _Scanner:
    """The state of one left-to-right pass of :func:`find_quotes`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.quotes: list[Quote] = []
        self.unbalanced: list[int] = []
        self.open_double: int | None = None
        self.open_single: int | None = None

    def newline(self, i: int) -> int:
        """A paragraph end at ``i``: where the scan goes on."""
        text = self.text
        n = len(text)
        if self.open_single is not None:
            self.open_single = None  # a single quote never spans paragraphs: it was an apostrophe
        if self.open_double is not None:
            j = i
            while j < n and text[j].isspace():
                j += 1
            if j < n and (
                (text[j] in DOUBLE_OPEN and _role(text, j) in ("open", "either"))
                or text[j : j + 2] in ("''", "``")
            ):
                if text[j : j + 2] in ("''", "``"):
                    j += 1
                return j + 1  # the quote goes on in the next paragraph
            self.unclosed(i)
        return i + 1

    def double_pair(self, i: int) -> None:
        """A two-character double mark (``''`` or ````` `` `````) at ``i``."""
        self.double_mark(i, _pair_role(self.text, i), 2)

    def double_mark(self, i: int, role: str, width: int) -> bool:
        """A double mark ``width`` characters wide at ``i`` opens or closes a quote; False
        when it is an opening mark inside an open quote."""
        if self.open_double is None:
            if role in ("open", "either"):
                self.open_double = i
            else:
                self.unbalanced.append(i)
        elif role in ("close", "either"):
            self.quotes.append(Quote(self.open_double, i + width, closed=True, double=True))
            self.open_double = None
            self.open_single = None
        else:
            return False
        return True

    def unclosed(self, end: int) -> None:
        """The open double quote was never closed: it ends at ``end``, its mark unbalanced."""
        start = self.open_double
        assert start is not None
        self.quotes.append(Quote(start, end, closed=False, double=True))
        self.unbalanced.append(start)
        self.open_double = None

    def mark(self, i: int) -> None:
        """A one-character quote mark (or apostrophe) at ``i``."""
        text = self.text
        ch = text[i]
        role = _role(text, i)
        if role is None:
            return
        if ch in DOUBLE_OPEN or ch in DOUBLE_CLOSE:
            if not self.double_mark(i, role, 1):
                # a second opening mark inside an open quote: the first was never closed
                self.unclosed(_trim_end(text, i))
                self.open_double = i
        elif self.open_single is None:
            if role == "open" or (role == "either" and ch == "'"):
                self.open_single = i
        elif role in ("close", "either"):
            if self.open_double is None:
                self.quotes.append(Quote(self.open_single, i + 1, closed=True, double=False))
            self.open_single = None

    def finish(self) -> QuoteScan:
        """The quotes found, an unclosed one closed at the end of the text."""
        if self.open_double is not None:
            self.unclosed(_trim_end(self.text, len(self.text)))
        quotes = [q for q in self.quotes if q.end - q.start > 2]
        quotes.sort(key=lambda q: q.start)
        return QuoteScan(quotes, sorted(self.unbalanced))


def _trim_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end
