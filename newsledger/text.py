"""Text utilities shared by every stage: stems, name keys, stop words, cosine, FTS queries.

Two stems and two name keys live here on purpose, each for its own use (their outputs
differ, and each is relied on as it is):

- :func:`stem` drops a plural ending (claim terms, figure units); :func:`match_stem` cuts one
  of several common suffixes, only to mark search matches in snippets.
- :func:`name_key` keeps every letter (gazetteer lookups: "São Paulo" stays itself);
  :func:`normalize_name` strips accents, punctuation and leading titles (names compared across
  articles).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Set
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from newsledger.resources import load_frozen

__all__ = [
    "cosine",
    "fts_query",
    "match_stem",
    "name_key",
    "normalize_name",
    "query_phrases",
    "stem",
    "stop_words",
]

_TOKEN = re.compile(r"[^\W_]+")
_HYPHEN = re.compile(r"[-‐‑–]")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_SUFFIXES = ("ing", "ies", "ied", "ed", "es", "s", "ly")


def cosine(a: Set[str], b: Set[str], weights: dict[str, float] | None = None) -> tuple[float, int]:
    """Cosine of the binary term vectors of ``a`` and ``b`` weighted by ``weights`` (idf;
    a term without a weight counts 1), and the number of shared terms."""
    shared = a & b
    if not shared:
        return 0.0, 0
    w = weights or {}
    get = w.get
    na = sum(get(t, 1.0) ** 2 for t in a)
    nb = sum(get(t, 1.0) ** 2 for t in b)
    den = math.sqrt(na * nb)
    return (sum(get(t, 1.0) ** 2 for t in shared) / den if den else 0.0), len(shared)


def stem(word: str) -> str:
    """``word`` without a plural ending: "-ies" as "-y" ("casualties" → "casualty"), a final
    "-s" dropped unless it is "-ss" ("soldiers" → "soldier", "press" stays)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def match_stem(word: str) -> str:
    """A rough stem, only for marking matches in snippets (FTS5's porter stemmer decides
    what matches): lower case, one common suffix off."""
    word = word.casefold()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stop words."""
    return frozenset(STOP_WORDS)


def name_key(text: str) -> str:
    """A comparison key: case-folded, hyphens as spaces, possessive dropped, spaces collapsed."""
    text = _POSSESSIVE.sub("", text.strip())
    return " ".join(_HYPHEN.sub(" ", text).replace("’", "'").casefold().split())


@lru_cache(maxsize=1)
def _name_drop_prefixes() -> frozenset[str]:
    """``name_drop_prefixes`` of ``resources/crossdoc.json``, parsed once: every name the
    ledger stores or looks up is normalized, and parsing the file each time dominated a
    rebuild of 100,000 attributions."""
    return frozenset(load_frozen("crossdoc.json")["name_drop_prefixes"])


def normalize_name(name: str) -> str:
    """Lower case, accents and punctuation removed, hyphens as spaces, no leading title
    (``name_drop_prefixes`` of ``resources/crossdoc.json``).

    "Kim Jong-un" and "Kim Jong Un" give "kim jong un"; "South Korea's" gives "south korea".
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’]s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    words = text.split()
    drop = _name_drop_prefixes()
    while len(words) > 1 and words[0] in drop:
        words = words[1:]
    return " ".join(words)


def fts_query(text: str) -> str | None:
    """A safe FTS5 query for user ``text``: each word quoted as a string, all required.

    A word is what whitespace separates; one made of several tokens ("14,000", "3.5",
    "Kim's", "Jong-un") is one phrase, its tokens in that order, so "14,000" finds 14,000
    and not a 14 and a 000 apart (or 3,000). Quotes, ``*``, ``%``, ``OR``, ``NEAR(`` and the
    like lose any special meaning. None when ``text`` has no word characters (nothing to
    search for).
    """
    phrases = query_phrases(text)
    if not phrases:
        return None
    return " ".join('"' + " ".join(tokens) + '"' for tokens in phrases)


def query_phrases(text: str) -> list[list[str]]:
    """The phrases of a search text, each a list of tokens (see :func:`fts_query`)."""
    return [tokens for word in text.split() if (tokens := _TOKEN.findall(word))]
