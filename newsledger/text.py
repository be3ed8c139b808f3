"""Text utilities shared by every stage: stems, name keys, stop words, sentence lookup, cosine."""

from __future__ import annotations

import math
import re
from collections.abc import Set

_TOKEN = re.compile(r"[^\W_]+")


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


def fts_query(text: str) -> str | None:
    """A safe FTS5 query for user ``text``: each word quoted as a string, all required.

    Quotes, ``*``, ``%``, ``OR``, ``NEAR(`` and the like lose any special meaning. None when
    ``text`` has no word characters (nothing to search for).
    """
    tokens = _TOKEN.findall(text)
    if not tokens:
        return None
    return " ".join('"' + t.replace('"', '""') + '"' for t in tokens)
