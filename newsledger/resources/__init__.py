"""Word lists and rules kept as data (JSON files beside this module), loaded once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def load_json(name: str) -> dict:
    """The parsed contents of ``newsledger/resources/<name>``."""
    with resources.files(__package__).joinpath(name).open(encoding="utf-8") as handle:
        return json.load(handle)


@dataclass(frozen=True)
class AttributionLexicon:
    speech_verbs: frozenset[str]
    np_content_verbs: frozenset[str]
    xcomp_content_verbs: frozenset[str]
    weak_verbs: frozenset[str]
    cognition_verbs: frozenset[str]
    cue_nouns: frozenset[str]
    according_to: tuple[tuple[str, ...], ...]
    report_nouns: frozenset[str]
    report_verbs_as_subject: frozenset[str]
    unnamed_sources: frozenset[str]
    relay_verbs: frozenset[str]
    continuation_adverbs: frozenset[str]
    source_titles: frozenset[str]
    person_pronouns: dict[str, str]
    prep_content: dict[str, frozenset[str]]
    stance_nouns: dict[str, frozenset[str]]
    colon_labels: frozenset[str]
    headline_cues: frozenset[str]


@lru_cache(maxsize=1)
def attribution_lexicon() -> AttributionLexicon:
    raw = load_json("attribution.json")
    return AttributionLexicon(
        speech_verbs=frozenset(raw["speech_verbs"]),
        np_content_verbs=frozenset(raw["np_content_verbs"]),
        xcomp_content_verbs=frozenset(raw["xcomp_content_verbs"]),
        weak_verbs=frozenset(raw["weak_verbs"]),
        cognition_verbs=frozenset(raw["cognition_verbs"]),
        cue_nouns=frozenset(raw["cue_nouns"]),
        according_to=tuple(tuple(p) for p in raw["according_to"]),
        report_nouns=frozenset(raw["report_nouns"]),
        report_verbs_as_subject=frozenset(raw["report_verbs_as_subject"]),
        unnamed_sources=frozenset(raw["unnamed_sources"]),
        relay_verbs=frozenset(raw["relay_verbs"]),
        continuation_adverbs=frozenset(raw["continuation_adverbs"]),
        source_titles=frozenset(raw["source_titles"]),
        person_pronouns=dict(raw["person_pronouns"]),
        prep_content={k: frozenset(v) for k, v in raw["prep_content"].items()},
        stance_nouns={k: frozenset(v) for k, v in raw["stance_nouns"].items()},
        colon_labels=frozenset(raw["colon_labels"]),
        headline_cues=frozenset(raw["headline_cues"]),
    )
