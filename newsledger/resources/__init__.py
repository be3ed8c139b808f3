"""Word lists and rules kept as data (JSON files beside this module), loaded once."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

__all__ = [
    "AttributionLexicon",
    "CalendarWords",
    "CorefSettings",
    "SpeechActs",
    "EventLexicon",
    "EventType",
    "FurnitureRules",
    "attribution_lexicon",
    "calendar_words",
    "coref_settings",
    "event_lexicon",
    "first_names",
    "furniture_rules",
    "load_json",
    "load_frozen",
    "number_words",
    "speech_acts",
]


def load_json(name: str) -> dict:
    """The parsed contents of ``newsledger/resources/<name>``."""
    with resources.files(__package__).joinpath(name).open(encoding="utf-8") as handle:
        return json.load(handle)


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


@lru_cache(maxsize=16)
def load_frozen(name: str) -> Mapping[str, Any]:
    """``newsledger/resources/<name>`` parsed once and read-only (objects as mappings, arrays
    as tuples): for word lists looked up many times an article."""
    return _frozen(load_json(name))


@lru_cache(maxsize=1)
def number_words() -> Mapping[str, int]:
    """English number words ("zero" … "twenty", "thirty" … "ninety") and their values
    (``numbers.json``), read-only."""
    return MappingProxyType(dict(load_json("numbers.json")["number_words"]))


@dataclass(frozen=True)
class CalendarWords:
    """Month and weekday names, lower case (``calendar.json``)."""

    months: Mapping[str, int]  # "january" -> 1
    month_abbreviations: Mapping[str, int]  # "sept" -> 9, written without the full stop
    weekdays: Mapping[str, int]  # "monday" -> 1 (ISO weekday)


@lru_cache(maxsize=1)
def calendar_words() -> CalendarWords:
    """The month and weekday names, read once."""
    raw = load_json("calendar.json")
    return CalendarWords(
        months=MappingProxyType(dict(raw["months"])),
        month_abbreviations=MappingProxyType(dict(raw["month_abbreviations"])),
        weekdays=MappingProxyType(dict(raw["weekdays"])),
    )


@lru_cache(maxsize=1)
def first_names() -> Mapping[str, str]:
    """Lower-case first names that tell a gender (``first_names.json``): name -> ``male`` or
    ``female``, read-only."""
    raw = load_json("first_names.json")
    table = {name: "female" for name in raw["female"]}
    table.update((name, "male") for name in raw["male"])
    return MappingProxyType(table)


@dataclass(frozen=True)
class SpeechActs:
    """What act a cue reports (``acts.json``): cue verb and noun lemmas -> act."""

    verbs: Mapping[str, str]
    nouns: Mapping[str, str]
    claim_acts: frozenset[str]  # the acts taken for claims (ledger, CLI and UI by default)
    quote_acts: frozenset[str]  # the acts that are quotes in the narrow sense (speech, writing)
    # cue verbs that report a finding when a study, poll or report is their subject
    finding_cues: frozenset[str] = frozenset()
    # cue verbs that ask ("asked whether …") and that ask someone to act ("urged them to …")
    question_cues: frozenset[str] = frozenset()
    request_cues: frozenset[str] = frozenset()
    # intent verbs said to someone: "vowed that the plant would stay open" is speech
    commitment_cues: frozenset[str] = frozenset()
    # the words that open an embedded question: whatever the cue ("whether"), after a
    # question cue ("asked how")
    question_marks: frozenset[str] = frozenset()
    question_words: frozenset[str] = frozenset()
    # cue verbs that say what their object is: "called the deal a disgrace", "described … as"
    object_predicate_cues: frozenset[str] = frozenset()
    as_predicate_cues: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def speech_acts() -> SpeechActs:
    raw = load_json("acts.json")
    return SpeechActs(
        verbs=MappingProxyType({w: act for act, words in raw["verbs"].items() for w in words}),
        nouns=MappingProxyType({w: act for act, words in raw["nouns"].items() for w in words}),
        claim_acts=frozenset(raw["claim_acts"]),
        quote_acts=frozenset(raw["quote_acts"]),
        finding_cues=frozenset(raw.get("finding_cues", ())),
        question_cues=frozenset(raw.get("question_cues", ())),
        request_cues=frozenset(raw.get("request_cues", ())),
        commitment_cues=frozenset(raw.get("commitment_cues", ())),
        question_marks=frozenset(raw.get("question_marks", ())),
        question_words=frozenset(raw.get("question_words", ())),
        object_predicate_cues=frozenset(raw.get("object_predicate_cues", ())),
        as_predicate_cues=frozenset(raw.get("as_predicate_cues", ())),
    )


@dataclass(frozen=True)
class CorefSettings:
    """The pronoun resolver's salience weights and honorifics (``coref.json``)."""

    mention: float
    subject: float
    speaker: float
    object: float
    max_sentences: int
    decay: float  # what a mention's weight is multiplied by for each sentence since it
    quoted_factor: float
    speaker_parallel: float
    unknown_gender_factor: float
    doubtful_person_factor: float
    honorifics: Mapping[str, str]  # "mrs" -> "female", written without the full stop
    # nouns that describe one person ("the affable proprietor"): a definite description with
    # one of them for head speaks for the most salient person
    descriptions: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def coref_settings() -> CorefSettings:
    raw = load_json("coref.json")
    w = raw["weights"]
    return CorefSettings(
        mention=float(w["mention"]),
        subject=float(w["subject"]),
        speaker=float(w["speaker"]),
        object=float(w["object"]),
        max_sentences=int(raw["max_sentences"]),
        decay=float(raw["decay"]),
        quoted_factor=float(raw["quoted_factor"]),
        speaker_parallel=float(raw["speaker_parallel"]),
        unknown_gender_factor=float(raw["unknown_gender_factor"]),
        doubtful_person_factor=float(raw["doubtful_person_factor"]),
        honorifics=MappingProxyType(dict(raw["honorifics"])),
        descriptions=frozenset(raw.get("descriptions", ())),
    )


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
    outlet_words: frozenset[str]
    relay_clause_verbs: frozenset[str]
    interview_nouns: frozenset[str]
    prep_content: dict[str, frozenset[str]]
    stance_nouns: dict[str, frozenset[str]]
    colon_labels: frozenset[str]
    headline_cues: frozenset[str]
    # cue verbs whose object is the addressee: "…, he told reporters" still reports the clause
    addressee_verbs: frozenset[str] = frozenset()
    # verbs whose object holding a number is a source's count ("counted 14 vessels"), and
    # those that give it as "<object> at <number>" ("put the crowd at 5,000")
    measure_verbs: frozenset[str] = frozenset()
    measure_at_verbs: frozenset[str] = frozenset()
    count_subjects: frozenset[str] = frozenset()
    count_acts: frozenset[str] = frozenset()


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
        outlet_words=frozenset(raw["outlet_words"]),
        relay_clause_verbs=frozenset(raw["relay_clause_verbs"]),
        interview_nouns=frozenset(raw["interview_nouns"]),
        prep_content={k: frozenset(v) for k, v in raw["prep_content"].items()},
        stance_nouns={k: frozenset(v) for k, v in raw["stance_nouns"].items()},
        colon_labels=frozenset(raw["colon_labels"]),
        headline_cues=frozenset(raw["headline_cues"]),
        addressee_verbs=frozenset(raw.get("addressee_verbs", ())),
        measure_verbs=frozenset(raw.get("measure_verbs", ())),
        measure_at_verbs=frozenset(raw.get("measure_at_verbs", ())),
        count_subjects=frozenset(raw.get("count_subjects", ())),
        count_acts=frozenset(raw.get("count_acts", ())),
    )


def _by_kind(raw: dict, kinds: Mapping[str, str]) -> Mapping[str, tuple[str, ...]]:
    """The lists of a ``{kind: [...]}`` section (keys starting with ``_`` are notes)."""
    unknown = [k for k in raw if not k.startswith("_") and k not in kinds]
    if unknown:
        raise ValueError(f"furniture.json: unknown kind(s) {', '.join(unknown)}")
    return MappingProxyType({k: tuple(v) for k, v in raw.items() if not k.startswith("_")})


@dataclass(frozen=True)
class FurnitureRules:
    """What page furniture looks like (``furniture.json``): each section maps a kind
    (``advertisement``, ``related``, ``photo``, ``prompt``, ``byline``) to its phrases."""

    kinds: Mapping[str, str]  # kind -> what it is, for a person ("a photo credit or caption")
    max_line_words: int  # longer lines are story text, whatever they open with
    max_caption_chars: int  # a longer line ending in a photo credit keeps all but the credit
    embedded: Mapping[str, tuple[str, ...]]  # markers found inside paragraphs too, as written
    lines: Mapping[str, tuple[str, ...]]  # whole lines, lower case
    labels: Mapping[str, tuple[str, ...]]  # "READ MORE:", "WATCH |" opening a line
    capital_labels: frozenset[str]  # labels that count only in capitals ("MORE:")
    openings: Mapping[str, tuple[str, ...]]  # phrases opening a short line
    endings: Mapping[str, tuple[str, ...]]  # phrases ending a short line
    patterns: Mapping[str, tuple[str, ...]]  # regular expressions matching a line's start
    social_buttons: frozenset[str]  # a line of these words (and fillers) is a share bar
    social_fillers: frozenset[str]
    credit_phrases: tuple[str, ...]  # "(Submitted by …)", "(Courtesy of …)": a credit
    credit_openings: tuple[str, ...]  # "(Photo: …)", "(Video from …)": a credit when followed
    credit_links: frozenset[str]  # by punctuation, a capital or one of these ("by", "via" …)
    agencies: frozenset[str]  # "(Name/Agency)" credits name one of these
    credits_alone: frozenset[str]  # "(Getty Images)": a credit with no photographer
    capital_credits: tuple[str, ...]  # "THE CANADIAN PRESS/Name", "REUTERS/Name"
    byline_roles: frozenset[str]  # "Jane Doe, Staff Reporter"
    time_labels: tuple[str, ...]  # "Posted:", "Last Updated" before a time stamp
    time_words: frozenset[str]  # the words of a time stamp besides dates and numbers
    not_after_duration: frozenset[str]  # "… at 5:30" ends in a time, not a video length


@lru_cache(maxsize=1)
def furniture_rules() -> FurnitureRules:
    """The page furniture rules, read once."""
    raw = load_json("furniture.json")
    kinds = MappingProxyType(dict(raw["kinds"]))
    labels = dict(raw["labels"])
    return FurnitureRules(
        kinds=kinds,
        max_line_words=int(raw["max_line_words"]),
        max_caption_chars=int(raw["max_caption_chars"]),
        embedded=_by_kind(raw["embedded"], kinds),
        lines=_by_kind(raw["lines"], kinds),
        labels=_by_kind(labels, kinds),
        capital_labels=frozenset(labels.get("_capitals_only", [])),
        openings=_by_kind(raw["openings"], kinds),
        endings=_by_kind(raw["endings"], kinds),
        patterns=_by_kind(raw["patterns"], kinds),
        social_buttons=frozenset(raw["social_buttons"]),
        social_fillers=frozenset(raw["social_fillers"]),
        credit_phrases=tuple(raw["credit_phrases"]),
        credit_openings=tuple(raw["credit_openings"]),
        credit_links=frozenset(raw["credit_links"]),
        agencies=frozenset(raw["agencies"]),
        credits_alone=frozenset(raw["credits_alone"]),
        capital_credits=tuple(raw["capital_credits"]),
        byline_roles=frozenset(raw["byline_roles"]),
        time_labels=tuple(raw["time_labels"]),
        time_words=frozenset(raw["time_words"]),
        not_after_duration=frozenset(raw["not_after_duration"]),
    )


@dataclass(frozen=True)
class EventType:
    name: str
    plover: str | None
    motion: bool  # the target is a destination or beneficiary ("sent troops to Russia")
    disaster: bool  # a natural or technical disaster: no actor


@dataclass(frozen=True)
class EventLexicon:
    types: dict[str, EventType]
    verbs: dict[str, str]  # verb lemma -> type
    nouns: dict[str, str]  # noun lemma -> type
    object_rules: dict[str, dict[str, str]]  # verb lemma -> object lemma -> type
    require_object_rule: frozenset[str]
    object_must_match: frozenset[str]  # with an object, an event only through an object rule
    object_blocklist: dict[str, frozenset[str]]
    noun_modifier_blocklist: dict[str, frozenset[str]]  # "custody battle" is no fight
    light_verbs: frozenset[str]
    undergoer_verbs: frozenset[str]
    disaster_verbs: frozenset[str]
    location_preps: frozenset[str]
    destination_preps: frozenset[str]
    target_preps: dict[str, frozenset[str]]
    beneficiary_verbs: frozenset[str]
    partitive_nouns: frozenset[str]
    implicative_verbs: frozenset[str]
    irrealis_governors: frozenset[str]
    irrealis_nouns: frozenset[str]
    negators: frozenset[str]
    conditional_marks: frozenset[str]
    noun_of_target: frozenset[str]  # types whose noun's "of" complement is the target
    noun_of_actor: frozenset[str]  # types whose noun's "of" complement is the actor
    disaster_nouns: frozenset[str]  # disaster nouns and accident words, as verb subjects
    collective_heads: frozenset[str]  # "US troops": a place modifier names who acts
    responsibility_nouns: frozenset[str]  # "claimed responsibility for the attack"
    responsibility_verbs: frozenset[str]
    verb_nominal_deps: frozenset[str]  # a verb in these relations is an adjective or noun


@lru_cache(maxsize=1)
def event_lexicon() -> EventLexicon:
    """The event trigger lexicon (``events.json``), with lemma -> type lookups built once."""
    raw = load_json("events.json")
    types: dict[str, EventType] = {}
    verbs: dict[str, str] = {}
    nouns: dict[str, str] = {}
    for name, spec in raw["types"].items():
        types[name] = EventType(
            name=name,
            plover=spec.get("plover"),
            motion=bool(spec.get("motion", False)),
            disaster=bool(spec.get("disaster", False)),
        )
        for lemma in spec.get("verbs", []):
            verbs.setdefault(lemma, name)
        for lemma in spec.get("nouns", []):
            nouns.setdefault(lemma, name)
    object_rules: dict[str, dict[str, str]] = {}
    for rule in raw["object_rules"]:
        if rule["type"] not in types:
            raise ValueError(f"events.json: object rule names unknown type {rule['type']!r}")
        for verb in rule["verbs"]:
            for obj in rule["objects"]:
                object_rules.setdefault(verb, {}).setdefault(obj, rule["type"])
    target_preps = {k: frozenset(v) for k, v in raw["target_preps"].items()}
    return EventLexicon(
        types=types,
        verbs=verbs,
        nouns=nouns,
        object_rules=object_rules,
        require_object_rule=frozenset(raw["require_object_rule"]),
        object_must_match=frozenset(raw["object_must_match"]),
        object_blocklist={k: frozenset(v) for k, v in raw["object_blocklist"].items()},
        noun_modifier_blocklist={
            k: frozenset(v) for k, v in raw["noun_modifier_blocklist"].items()
        },
        light_verbs=frozenset(raw["light_verbs"]),
        undergoer_verbs=frozenset(raw["undergoer_verbs"]),
        disaster_verbs=frozenset(raw["disaster_verbs"]),
        location_preps=frozenset(raw["location_preps"]),
        destination_preps=frozenset(raw["destination_preps"]),
        target_preps=target_preps,
        beneficiary_verbs=frozenset(raw["beneficiary_verbs"]),
        partitive_nouns=frozenset(raw["partitive_nouns"]),
        implicative_verbs=frozenset(raw["implicative_verbs"]),
        irrealis_governors=frozenset(raw["irrealis_governors"]),
        irrealis_nouns=frozenset(raw["irrealis_nouns"]),
        negators=frozenset(raw["negators"]),
        conditional_marks=frozenset(raw["conditional_marks"]),
        noun_of_target=frozenset(raw["noun_of_role"]["target"]),
        noun_of_actor=frozenset(raw["noun_of_role"]["actor"]),
        disaster_nouns=frozenset(
            [n for n, t in nouns.items() if types[t].disaster] + raw["disaster_subjects_extra"]
        ),
        collective_heads=frozenset(raw["collective_heads"]),
        responsibility_nouns=frozenset(raw["responsibility"]["nouns"]),
        responsibility_verbs=frozenset(raw["responsibility"]["verbs"]),
        verb_nominal_deps=frozenset(raw["verb_nominal_deps"]),
    )
