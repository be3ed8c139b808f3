"""Misspelt names: "Ukarine" for Ukraine, "Kurs" beside "Kursk".

A one-word name the model found is a suspect when nothing vouches for it: it is not in the
gazetteer (alternate spellings of cities included), not an English word or stop word of the
spaCy pipeline's tables, and not part of a longer name in the article. A suspect is flagged
when it lies within a small edit distance (optimal string alignment: one edit for names of up
to eight letters, two beyond) of a gazetteer name or of a known name used in the same
article, with the same first letter; a four-letter suspect only when it is another name of
the article cut short by one letter. Public entry point: :func:`find_misspellings`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA
from spacy.tokens import Doc, Token

from newsledger.errors import ModelNotFound
from newsledger.extract.gazetteer import Gazetteer, Place, gazetteer
from newsledger.extract.names import Cluster, Names
from newsledger.model import Issue
from newsledger.nlp import load_model
from newsledger.settings import DEFAULT_SETTINGS
from newsledger.text import name_key, stop_words

_TUNING = DEFAULT_SETTINGS.extract


@dataclass(frozen=True, slots=True)
class Misspelling:
    token: int  # token index in the Doc
    suggestion: str
    confidence: float
    place: Place | None  # the gazetteer entry meant, when there is one
    cluster: Cluster | None  # the article's entity meant, when it names one


@lru_cache(maxsize=4)
def english_words(model: str | None = None) -> frozenset[str]:
    """Lower-case English words from the spaCy pipeline's lemmatizer tables and stop list."""
    words: set[str] = set(stop_words())
    try:
        nlp = load_model(model)
    except ModelNotFound:
        return frozenset(words)
    if "lemmatizer" in nlp.pipe_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None:
            for table in ("lemma_index", "lemma_exc"):
                if lookups.has_table(table):
                    for entries in lookups.get_table(table).values():
                        words.update(entries if table == "lemma_index" else entries.keys())
    return frozenset(w.lower() for w in words if isinstance(w, str))


def _suspect(token: Token, names: Names, gaz: Gazetteer, words: frozenset[str]) -> bool:
    text = token.text
    if (
        len(text) < _TUNING.spelling_min_length
        or not text.isalpha()
        or not text[:1].isupper()
        or text.isupper()
    ):
        return False
    if names.spans.get(token.i) != (token.i, token.i + 1):
        return False  # not a one-word name mention
    cluster = names.by_token.get(token.i)
    if cluster is None or cluster.place is not None:
        return False  # the gazetteer vouches for it
    if len(cluster.tokens) > 1:
        return False  # "Kim" of "Kim Jong Un"
    return not _known(text, names, gaz, words)


def _known(text: str, names: Names, gaz: Gazetteer, words: frozenset[str]) -> bool:
    """A real word or name, or the plural of one ("Republicans", "Iranians", "Turpins")."""
    lower = text.lower()
    if lower in words or gaz.is_known(text):
        return True
    if any(len(c.tokens) > 1 and lower in c.tokens for c in names.clusters):
        return True  # "Jorden" after "Al Jorden", whatever label the model gave it
    for stem in (text[:-1], text[:-2]) if lower.endswith("s") and len(text) > 4 else ():
        place = gaz.lookup(stem)
        if (
            stem.lower() in words
            or gaz.demonym(stem) is not None
            or name_key(stem).replace(" ", "") in gaz.compact_demonyms
            or (place is not None and place.kind != "city")
            or names.lookup(stem) is not None
        ):
            return True
    return False


def _article_names(doc: Doc, names: Names) -> Counter[str]:
    """Each one-word name and name part of the article, with how often it is written."""
    counts: Counter[str] = Counter()
    text = doc.text  # built from the tokens on each access: once
    for cluster in names.clusters:
        for start, end in cluster.mentions:
            for word in text[start:end].split():
                if word[:1].isupper() and word.isalpha():
                    counts[word] += 1
    return counts


def find_misspellings(
    doc: Doc, names: Names, words: frozenset[str] | None = None
) -> list[Misspelling]:
    """Probable misspellings among the one-word names of ``doc``, in text order."""
    gaz = gazetteer()
    words = english_words() if words is None else words
    in_article = _article_names(doc, names)
    targets = list(gaz.spelling_targets)
    token_counts = Counter(t.text for t in doc if t.text[:1].isupper())
    found: list[Misspelling] = []
    for token in doc:
        if not _suspect(token, names, gaz, words):
            continue
        text = token.text
        if token_counts[text] > _TUNING.spelling_max_occurrences:
            continue
        hit = _in_article(text, in_article, token_counts, gaz, words)
        if hit is None and token.ent_type_ != "PERSON":
            hit = _in_gazetteer(text, targets, gaz)
        if hit is None:
            continue
        suggestion, confidence = hit
        if token.is_sent_start and confidence < 0.8:
            continue  # a capitalised common word ("Protestor dressed as …")
        place = gaz.lookup(suggestion) or gaz.demonym(suggestion)
        cluster = names.lookup(suggestion)
        found.append(Misspelling(token.i, suggestion, confidence, place, cluster))
    return found


def _max_edits(length: int) -> int:
    return 1 if length <= 8 else 2


def _in_article(
    text: str,
    in_article: Counter[str],
    token_counts: Counter[str],
    gaz: Gazetteer,
    words: frozenset[str],
) -> tuple[str, float] | None:
    best: tuple[str, float] | None = None
    for other in in_article:
        if other == text or other[:1] != text[:1] or abs(len(other) - len(text)) > 2:
            continue
        known = gaz.is_known(other) or other.lower() in words
        if not known and token_counts[other] < 2 * token_counts[text]:
            continue  # two rare spellings: no telling which is meant
        if len(text) == _TUNING.spelling_min_length:
            # short names: only a truncation of a known name ("Kurs" of "Kursk")
            if not (known and other.startswith(text) and len(other) == len(text) + 1):
                continue
            confidence = 0.8
        else:
            limit = _max_edits(len(text))
            distance = OSA.distance(text.casefold(), other.casefold(), score_cutoff=limit)
            if distance > limit:
                continue
            if not known and (other.startswith(text) or text.startswith(other)):
                continue  # "Jovan" and "Jovana" are two names
            confidence = 0.85 if known else 0.6
        if best is None or confidence > best[1]:
            best = (other, confidence)
    return best


def _in_gazetteer(text: str, targets: list[str], gaz: Gazetteer) -> tuple[str, float] | None:
    if len(text) <= _TUNING.spelling_min_length:
        return None
    key = name_key(text)
    limit = _max_edits(len(text))
    match = process.extractOne(key, targets, scorer=OSA.distance, score_cutoff=limit)
    if match is None:
        return None
    target, distance, _ = match
    if target[:1] != key[:1]:
        return None
    spelling = gaz.spelling_targets[target]
    transposed = len(target) == len(key) and sorted(target) == sorted(key)
    confidence = 0.9 if transposed else (0.8 if distance == 1 else 0.65)
    return spelling, confidence


def misspelling_issues(doc: Doc, found: list[Misspelling]) -> list[Issue]:
    issues = []
    for m in found:
        token = doc[m.token]
        issues.append(
            Issue(
                kind="misspelling",
                text=token.text,
                start=token.idx,
                end=token.idx + len(token.text),
                suggestion=m.suggestion,
                confidence=m.confidence,
                message=f"“{token.text}” is probably a misspelling of “{m.suggestion}”",
            )
        )
    return issues
