"""Stories: which articles tell the same story, decided the same way at any ledger size.

An article joins the story of earlier articles when it is published within the story's own
date window and is close to one of its articles in meaning — the cosine of their leads'
sentence embeddings (:mod:`newsledger.embed`: MiniLM; without the weights, hashed word
vectors) — with named entities in common. Nothing depends on corpus statistics, so three
articles of a story group as they would among 100,000, and concurrent stories that share only
a place or a date stay apart. Thresholds: :class:`~newsledger.settings.StorySettings`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple, Protocol

import numpy as np
import numpy.typing as npt

from newsledger.settings import DEFAULT_SETTINGS, StorySettings

__all__ = [
    "Embed",
    "HashedWords",
    "StoryArticle",
    "StoryMatch",
    "StoryRules",
    "as_vector",
    "best_story",
    "hashed_vectors",
    "lead_of",
    "merge_plan",
    "story_matches",
    "story_score",
    "to_blob",
    "Vector",
]

Vector = npt.NDArray[np.float32]


class Embed(Protocol):
    """Sentence embeddings: texts → unit-length vectors, one row per text."""

    @property
    def name(self) -> str:
        """Which model: vectors of two models are never compared."""
        ...

    def embed(self, texts: Sequence[str]) -> Vector: ...


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_HASH_DIM = 512


@dataclass(frozen=True)
class StoryRules:
    """When an article joins a story, for the vectors of one model (read from
    :class:`~newsledger.settings.StorySettings`)."""

    window_days: int  # published at most this many days outside the story's own dates
    follow_up_days: int  # ... or up to this many, as a follow-up: with the two below
    similar_follow_up: float  # lead cosine that joins a follow-up ...
    follow_up_shared: float  # ... with this many named entities in common (places weighted)
    similar_follow_up_close: float  # ... or this lead cosine ...
    follow_up_close_shared: float  # ... with this many
    similar: float  # lead cosine that joins with one named entity in common
    similar_place: float  # lead cosine that joins with only one place in common
    similar_alone: float  # lead cosine that joins without one
    similar_many: float  # lead cosine that joins with ``many`` named entities in common
    many: int
    place_weight: float  # a place in common counts as this much of a named entity
    lead_chars: int  # how much of the title and text the lead is
    compared: int  # most recent articles of a story compared
    merge_similar: float  # lead cosine an article needs in each of two stories to join them
    merge_names: int  # ... with an article of each that it shares this many names with
    merge_max_articles: int  # most articles of a story joined into another

    @classmethod
    def for_model(
        cls, model: str | None = None, settings: StorySettings = DEFAULT_SETTINGS.stories
    ) -> StoryRules:
        """The rules for vectors of ``model``: cosines differ in scale from one model to
        another, so each may set its own thresholds (``StorySettings.models``)."""
        data = {k: getattr(settings, k) for k in cls.__dataclass_fields__}
        data.update(settings.models.get(model or "", {}))
        return cls(**data)


@dataclass(frozen=True)
class StoryArticle:
    """What an article brings to story matching."""

    article_id: str
    published: date | None
    names: frozenset[int]  # ledger ids of the persons, organisations and groups it names
    places: frozenset[int]  # ledger ids of the places it names
    vector: Vector  # its lead's embedding, unit length


def lead_of(title: str | None, text: str, chars: int) -> str:
    """The title and the start of the text, cut at a word boundary."""
    head = f"{title.strip()}. " if title and title.strip() else ""
    body = text[: max(0, chars - len(head))]
    if len(text) > len(body) and " " in body:
        body = body.rsplit(" ", 1)[0]
    return head + body


class HashedWords:
    """Unit-length hashed word vectors: the stand-in embedding when no model is installed
    (word overlap, no meaning)."""

    name = f"hashed-words-{_HASH_DIM}"

    def embed(self, texts: Sequence[str]) -> Vector:
        return hashed_vectors(texts)


def hashed_vectors(texts: Sequence[str]) -> Vector:
    """Unit-length hashed word vectors of ``texts`` (see :class:`HashedWords`)."""
    out = np.zeros((len(texts), _HASH_DIM), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in _WORD.findall(text.lower()):
            if len(word) < 3:
                continue
            digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
            out[row, int.from_bytes(digest, "little") % _HASH_DIM] += 1.0
        norm = float(np.linalg.norm(out[row]))
        if norm:
            out[row] /= norm
    return out


def _days_outside(when: date | None, dates: Iterable[date | None]) -> int:
    """Days between ``when`` and the span of ``dates`` (0 inside it or when unknown)."""
    known = [d for d in dates if d is not None]
    if when is None or not known:
        return 0
    lo, hi = min(known), max(known)
    if when < lo:
        return (lo - when).days
    if when > hi:
        return (when - hi).days
    return 0


def story_score(a: StoryArticle, b: StoryArticle, rules: StoryRules, late: bool = False) -> float:
    """How well ``a`` joins ``b``'s story: the lead cosine when the entities they share
    allow it at that cosine, else 0. ``late``: ``a`` is a follow-up published beyond the
    story's window, which joins only on a close lead and several entities in common, or a
    closer lead and fewer."""
    sim = float(np.dot(a.vector, b.vector))
    shared = len(a.names & b.names) + rules.place_weight * len(a.places & b.places)
    if late:
        joins = (shared >= rules.follow_up_shared and sim >= rules.similar_follow_up) or (
            shared >= rules.follow_up_close_shared and sim >= rules.similar_follow_up_close
        )
        return sim if joins else 0.0
    if shared >= rules.many and sim >= rules.similar_many:
        return sim
    if shared >= 1 and sim >= rules.similar:
        return sim
    if shared > 0 and sim >= rules.similar_place:
        return sim
    if sim >= rules.similar_alone:
        return sim
    return 0.0


class StoryMatch(NamedTuple):
    """A story an article may join: its id, the article's score with it
    (:func:`story_score`) and how close the article's lead is to that of an article of the
    story it shares ``merge_names`` named entities with (0 without one): what joining two
    stories into one asks of it (:func:`merge_plan`)."""

    story_id: int
    score: float
    bridge: float


def story_matches(
    article: StoryArticle, stories: dict[int, list[StoryArticle]], rules: StoryRules
) -> list[StoryMatch]:
    """Every story ``article`` may join, best score first (equal scores: the older story
    first).

    ``stories`` holds candidate stories with their articles; an article published more than
    ``window_days`` outside a story's dates joins it only as a follow-up (``follow_up_days``,
    :func:`story_score`), and one published further out is not compared with it."""
    found: list[StoryMatch] = []
    for story_id, members in sorted(stories.items()):
        days = _days_outside(article.published, (m.published for m in members))
        if days > rules.follow_up_days:
            continue
        late = days > rules.window_days
        recent = sorted(members, key=lambda m: m.published or date.min, reverse=True)
        scores = [(story_score(article, m, rules, late), m) for m in recent[: rules.compared]]
        score = max((x for x, _ in scores), default=0.0)
        if score > 0:
            bridge = max(
                (x for x, m in scores if len(article.names & m.names) >= rules.merge_names),
                default=0.0,
            )
            found.append(StoryMatch(story_id, score, bridge))
    return sorted(found, key=lambda x: (-round(x.score, 9), x.story_id))


def best_story(
    article: StoryArticle, stories: dict[int, list[StoryArticle]], rules: StoryRules
) -> tuple[int, float] | None:
    """The story ``article`` joins (its id and score), or None for a story of its own
    (the first of :func:`story_matches`)."""
    matches = story_matches(article, stories, rules)
    return (matches[0].story_id, matches[0].score) if matches else None


def merge_plan(
    matches: Sequence[StoryMatch], sizes: dict[int, int], rules: StoryRules
) -> tuple[int, list[int]] | None:
    """The story an article joins and the stories it shows to be the same one, from its
    :func:`story_matches` and the stories' sizes (articles); None for a story of its own.

    An article that joins two stories, each with a close lead (``merge_similar``) to one
    of its articles that it shares named entities with (``merge_names``; places do not
    count: two stories of one city share them), is a bridge between them: a story told
    first by a report that shares too little with the others (an opposing group's
    figures, a follow-up from a new angle) is one story with them once a later report joins
    both. Of the stories it bridges, the largest (then the best-scored) stays; the others
    join it, when they have at most ``merge_max_articles`` articles (a large story is never
    taken apart on one article's word). With none to join, the article joins its best
    story."""
    if not matches:
        return None
    bridged = [m for m in matches if m.bridge >= rules.merge_similar]
    if len(bridged) < 2:
        return matches[0].story_id, []
    keep = min(bridged, key=lambda m: (-sizes.get(m.story_id, 0), -m.score, m.story_id))
    joined = [
        m.story_id
        for m in bridged
        if m.story_id != keep.story_id and sizes.get(m.story_id, 0) <= rules.merge_max_articles
    ]
    if not joined:
        return matches[0].story_id, []
    return keep.story_id, sorted(joined)


def as_vector(blob: bytes) -> Vector:
    """A stored vector (float16 bytes) back as float32."""
    return np.frombuffer(blob, dtype=np.float16).astype(np.float32)


def to_blob(vector: Vector) -> bytes:
    """A vector as stored (float16: half the size, ample for a cosine)."""
    return np.asarray(vector, dtype=np.float16).tobytes()
