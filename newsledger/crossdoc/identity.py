"""One identity per entity across the ledger: the keys entities are merged by.

Each article's entities are merged into ledger-wide entities by keys (:func:`entity_keys`):
the normalized name and aliases (``n:``), acronyms made from multi-word names (``a:``,
matched only against a real name or alias that is that acronym), gazetteer ids from ``kb``
(``k:``), and, for a person named by a surname only, the first or last word of full person
names (``s:``), used only when exactly one ledger person has it; a full person name also by
its first name and the skeleton of its surname (``v:``, :func:`spelling_skeleton`: a name
spelled two ways), used the same way, and by its first name and its surname's initial
(``g:``), which joins a ledger person only when :func:`spelled_alike` holds for exactly
one. Persons never merge with
non-persons. The merging itself, and the hand rules that survive re-ingest, are stored by
:mod:`newsledger.ledger.entities`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz

from newsledger.crossdoc.lexicon import lexicon
from newsledger.text import normalize_name

__all__ = [
    "KB_ID_KEYS",
    "acronym",
    "better_name",
    "entity_keys",
    "is_acronym",
    "is_person",
    "spelled_alike",
    "spelling_skeleton",
]


#: ``kb`` fields that identify an entity in a gazetteer or knowledge base.
KB_ID_KEYS = ("wikidata", "qid", "geonameid", "geonames_id", "geonames", "id", "iso3")


def acronym(name: str) -> str | None:
    """The initials of a name of two or more capitalized words ("National Intelligence
    Service" → "nis"), skipping "of", "the" …; None for shorter names."""
    skip = set(lexicon()["acronym_skip_words"])
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in skip]
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return None
    return "".join(w[0] for w in words).lower()


def is_acronym(name: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", name)
    return 2 <= len(letters) <= 6 and letters.isupper()


def is_person(type_: str) -> bool:
    return type_ == "person"


def entity_keys(
    name: str, aliases: Iterable[str], kb: dict[str, Any], type_: str
) -> tuple[set[str], set[str]]:
    """(keys to look up, keys to store) for one article entity."""
    names = [name, *aliases]
    lookup: set[str] = set()
    stored: set[str] = set()
    for k, v in kb.items():
        if k in KB_ID_KEYS and isinstance(v, (str, int)) and str(v):
            key = f"k:{k}:{str(v).lower()}"
            lookup.add(key)
            stored.add(key)
    norm = normalize_name(name)
    if is_person(type_) and len(norm.split()) == 1 and not aliases:
        # a surname only: looked up among full person names, stored under its own key
        lookup.add(f"s:{norm}")
        stored.add(f"u:{norm}")
        return lookup, stored
    for n in names:
        nn = normalize_name(n)
        if not nn:
            continue
        lookup.add(f"n:{nn}")
        stored.add(f"n:{nn}")
        if is_acronym(n):
            lookup.add(f"a:{nn.replace(' ', '')}")
        elif (ac := acronym(n)) and not is_person(type_):
            lookup.add(f"n:{ac}")
            stored.add(f"a:{ac}")
        if is_person(type_):
            parts = nn.split()
            if len(parts) >= 2:
                stored.add(f"s:{parts[0]}")
                stored.add(f"s:{parts[-1]}")
                if len(parts[-1]) >= 4:  # "Mikko Virtanen" / "Mikko Virtannen"
                    key = f"v:{parts[0]} {spelling_skeleton(parts[-1])}"
                    lookup.add(key)
                    stored.add(key)
                if len(parts) >= 3:  # "Hilde Van Haecke" / "Hilde Vanhaecke"
                    key = f"v:{parts[0]} {spelling_skeleton(''.join(parts[1:]))}"
                    lookup.add(key)
                    stored.add(key)
                key = f"g:{parts[0]} {parts[1][:1]}"  # compared by spelled_alike
                lookup.add(key)
                stored.add(key)
    return lookup, stored


#: shortest surname (its words joined) compared by :func:`spelled_alike`
_MIN_SURNAME = 5


def spelled_alike(a: str, b: str, ratio: float) -> bool:
    """Two full person names of one given name whose surnames (the words after it, joined)
    differ by a slip of spelling: their normalized Indel similarity is at least ``ratio``
    ("Anita Lindqvist" / "Anita Lindquist", "Darnell Ekstrom" / "Darnell Eckstrom", "Joris
    Van Damme" / "Joris Vandamme"). Surnames shorter than five letters are never compared."""
    pa, pb = normalize_name(a).split(), normalize_name(b).split()
    if len(pa) < 2 or len(pb) < 2 or pa[0] != pb[0]:
        return False
    sa, sb = "".join(pa[1:]), "".join(pb[1:])
    if min(len(sa), len(sb)) < _MIN_SURNAME:
        return False
    return fuzz.ratio(sa, sb) / 100.0 >= ratio


def spelling_skeleton(word: str) -> str:
    """A surname as its slips of spelling leave it: doubled letters single, vowels after the
    first letter gone ("virtannen" and "virtanen" → "vrtnn")."""
    single = re.sub(r"(.)\1+", r"\1", word.lower())
    return single[:1] + re.sub(r"[aeiouy]", "", single[1:])


def better_name(old: str, new: str) -> bool:
    """Whether ``new`` names an entity better than ``old`` (a full name over an acronym or a
    shorter name)."""
    if is_acronym(old) and not is_acronym(new):
        return True
    return len(new.split()) > len(old.split()) and not is_acronym(new)
