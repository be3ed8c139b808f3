"""Tuning values: the thresholds, windows and caps the stages read, in one typed place.

Word lists stay data (``newsledger/resources/*.json``); the numbers that decide when a name is
misspelt, when two statements are one claim, when figures conflict, when articles are one story
and when an input is screened out are fields of :class:`Settings`. The modules read
:data:`DEFAULT_SETTINGS`, so the values in effect are the defaults below, documented field by
field.

Issue 16's thresholds (``measure_similarity``, ``denial_similarity`` and the story cosines) were
chosen on the stories development set (``eval/data/stories``); see docs/accuracy.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = [
    "DEFAULT_SETTINGS",
    "ClaimSettings",
    "ConflictSettings",
    "ExtractSettings",
    "FigureSettings",
    "IngestSettings",
    "Settings",
    "StorySettings",
]


@dataclass(frozen=True, slots=True)
class ExtractSettings:
    """Reading one article (``extract/``)."""

    #: alternate names of a city link to it only for cities of at least this many people
    city_alias_min_population: int = 500_000
    #: cities of at least this many people (and capitals) a misspelling may be corrected to
    spelling_city_min_population: int = 1_000_000
    #: names shorter than this are never taken as misspelt; names of this length only as a
    #: truncation of a known name ("Kurs" of "Kursk")
    spelling_min_length: int = 4
    #: a name used more often than this in one article is taken as meant
    spelling_max_occurrences: int = 2
    #: a content's cue (trained tagger) is in its own sentences or at most this many away
    max_sentence_gap: int = 1
    #: a misspelt name this sure joins the entity it was meant for ("Ukarine" → Ukraine)
    relink_confidence: float = 0.75
    #: across the ledger, two full names of persons of one given name are one person when
    #: their surnames are this alike (rapidfuzz's normalized Indel similarity: "Lindqvist" /
    #: "Lindquist" 0.89, "Ekstrom" / "Eckstrom" 0.93) and no other ledger person is as alike
    name_spelling_ratio: float = 0.85
    #: ... looked for among at most this many ledger persons of that given name and initial
    name_spelling_candidates: int = 50


@dataclass(frozen=True, slots=True)
class ClaimSettings:
    """When a proposition joins a claim (``ledger/claims.py``)."""

    #: cosine of the binary term vectors (idf-weighted) that joins a claim without a figure...
    text_similarity: float = 0.5
    #: ... with at least this many shared terms; also the fewest shared index keys a
    #: candidate claim needs
    text_min_shared: int = 3
    #: term cosine enough when both statements name the same event
    event_min_similarity: float = 0.25
    #: lead cosine (:meth:`ClaimIndex.story_similarity`) for two articles of one story or
    #: incident when no story assignment decides it
    story_similarity: float = 0.1
    #: how close two figures' measures are (:meth:`ClaimIndex.measure_similarity`: the mean
    #: of the MiniLM cosines of their measures, "job cut" / "layoff", and of their contexts)
    #: that makes them one measure
    measure_similarity: float = 0.55
    #: MiniLM cosine of two figures' counted nouns, when they differ and are not both persons,
    #: below which they count two things whatever their measures ("shots" / "victims" 0.35;
    #: "operations" / "procedures" 0.45, "vessels" / "ships" 0.62)
    counted_similarity: float = 0.45
    #: two counted nouns less close than this (MiniLM cosine of the words alone) never count
    #: one thing under the learned pair model ("degrees" / "runners" 0.16), however close their
    #: values; synonyms score low as single words ("flats" / "apartments" 0.39)
    counted_floor: float = 0.3
    #: two figures stating the same value (:func:`newsledger.crossdoc.claims.stated_count`)
    #: in one story count the same thing at this lower cosine of their measures ("12 people
    #: had died" / "killed 12")...
    same_value_similarity: float = 0.35
    #: ... or at any cosine when the value is at least this large: two sources of one story
    #: giving the same 4,000 ("4,000 residents under evacuation orders" / "forced about 4,000
    #: people from their homes") rarely count two different things
    same_value_distinct: float = 100.0
    #: ... or at least this value, of counted nouns close in meaning (``counted_floor``):
    #: "a fleet of 64 aircraft" / "the two carriers operate 64 planes" (below it, small
    #: numbers repeat by chance: "two dump trucks" / "two haulage drivers")
    same_value_named: float = 10.0
    #: two figures of two reports are each other's counterparts (and may be in dispute) unless
    #: a figure of one report is likelier than that, by this much, to count what the other
    #: counts (the pair model's chance: ``ClaimIndex.counterparts``)
    counterpart_margin: float = 0.05
    #: articles further apart than this many days never share a claim
    max_days: int = 31
    #: a count and another count of the same kind are of one incident only within this many
    #: days (also how far back "the city's last shooting" reaches)
    count_max_days: int = 7
    #: lead embedding cosine of two articles of one story that report one incident when
    #: their word statistics are too thin to tell (``story_similarity`` not reached)
    incident_similarity: float = 0.6
    #: days two incident dates may differ and still be one incident
    incident_date_slack_days: int = 2
    #: a term held by more claims than this is too common to find candidates by
    posting_cap: int = 2000
    #: candidate claims compared per proposition
    candidate_cap: int = 50
    #: members of a claim whose terms are indexed and compared
    max_compared_members: int = 10


@dataclass(frozen=True, slots=True)
class ConflictSettings:
    """When claims conflict (``ledger/conflicts.py``)."""

    #: MiniLM cosine of a denial's content and a claim's that links the denial to the claim
    denial_similarity: float = 0.4
    #: a denial also denies the claims of its story this close to its best match in meaning
    #: (cosine within this of the best's): one accusation told by several sources, or in
    #: several wordings, is denied as a whole
    denial_margin: float = 0.15
    #: a denial also denies the closest claim of its story that accuses its source (names it
    #: as its subject: "Two Velorian drones flew …" for "Veloria denied …") at this cosine
    accused_similarity: float = 0.3
    #: a figure set against another source's ("twice the official count") disputes the closest
    #: figure of another source in its story whose measure is at least this close (MiniLM
    #: cosine of the measures; below ``measure_similarity``, which holds without such a cue)
    contrast_similarity: float = 0.35
    #: two figures of one story, in two wordings, count one thing (and are compared) when the
    #: learned pair model (``resources/models/measure_pairs.json``) gives them this chance:
    #: "4,500 properties without water" / "11,000 homes had been without water"
    measure_chance: float = 0.6
    #: two figures of one article from two sources, neither set against the other, are one
    #: measure only this close: a report that gives two counts without contrasting them
    #: most often counts two things ("17 farms emptied" / "46 farms inside the zone")
    same_article_similarity: float = 0.7
    #: two figures of anything counted this many times apart are no dispute of one count
    #: but two things ("visit three pharmacies" / "620 pharmacies have run out")
    max_ratio: float = 10.0
    #: claims holding one figure key compared with a new claim (the most recent ones)
    conflict_candidates: int = 500
    #: claims of the same story compared (measures and denials)
    story_candidates: int = 500
    #: members of another claim compared
    max_compared: int = 10
    #: claims one denial may deny
    max_denial_targets: int = 3
    # How sure a conflict is (``crossdoc/conflicts.py``, ``conflict_confidence``): the two
    # statements' reading confidence (an outlet's own figure has none: ``own_reading``) times
    # how exactly each figure is stated, how surely the two speak of one thing (``*_match``),
    # how clearly their values part, and how close in time they were published.
    own_reading: float = 0.75
    hedged_clarity: float = 0.9  # "about", "at least", "up to"
    vague_clarity: float = 0.6  # "dozens", "hundreds"
    keyed_match: float = 1.0  # one class and facet of figure ("people killed"), one incident
    measure_match: float = 0.9  # one measure read from the phrase ("ballots rejected")
    date_match: float = 0.8  # two dates of something beginning
    #: two figures of articles that also state one and the same value of what they count
    elsewhere_agreement: float = 0.5
    facet_denial_match: float = 0.8  # a denial naming the figures it denies
    denial_match_offset: float = 0.4  # a denial found by meaning: its cosine plus this
    #: intervals apart by less than this fraction of the larger value part less clearly
    #: (rounding, a count told a day apart); at touching they weigh ``close_floor``
    close_gap: float = 0.1
    close_floor: float = 0.7
    #: statements published this many days apart or more weigh ``late_floor`` (a later count
    #: is often an update, not a dispute); linear in between from one day
    late_days: int = 7
    late_floor: float = 0.6


@dataclass(frozen=True, slots=True)
class FigureSettings:
    """Reading figures from text (``extract/figures.py``, ``crossdoc/propositions.py``)."""

    #: words after a figure read for what it counts ("killed", "injured", ...)
    facet_window_words: int = 9
    #: an outlet's own counts are read from this many characters after the lead's start
    own_count_lead_chars: int = 1500
    #: the lead's own figures of anything counted (outside every attribution) are read from
    #: the body's first this many sentences
    own_lead_sentences: int = 1
    #: words each side of a figure kept as its context (``figure_context``)
    context_words: int = 10


def _hashed_story_thresholds() -> Mapping[str, Mapping[str, float]]:
    return MappingProxyType(
        {
            "hashed-words-512": MappingProxyType(
                {
                    "similar": 0.3,
                    "similar_place": 0.4,
                    "similar_many": 0.2,
                    "similar_alone": 0.7,
                    "similar_follow_up": 0.45,
                    "similar_follow_up_close": 0.6,
                    "merge_similar": 0.55,
                }
            )
        }
    )


@dataclass(frozen=True, slots=True)
class StorySettings:
    """When an article joins a story (``crossdoc/stories.py``, ``ledger/stories.py``).

    An article joins the story of an earlier one published at most ``window_days`` outside
    the story's dates when their leads (title + ``lead_chars`` of text) have an embedding
    cosine >= ``similar`` with a named person/organisation in common (a place counts
    ``place_weight`` of one), >= ``similar_many`` with ``many`` in common, >= ``similar_place``
    with only a place in common, or >= ``similar_alone`` with none; compared with the story's
    ``compared`` most recent articles; a follow-up weeks later (up to ``follow_up_days``) needs
    ``similar_follow_up`` and ``follow_up_shared`` entities in common. Entities named in more
    than ``common_entity_articles`` articles do not make candidates. Cosines differ in scale
    between models: ``models`` overrides the thresholds for one (the hashed word vectors used
    without the MiniLM weights).
    """

    window_days: int = 10
    #: a follow-up published up to ``follow_up_days`` outside the story's dates (an inquiry's
    #: finding, a court date, a count revised weeks on) joins only with a lead cosine >=
    #: ``similar_follow_up`` and ``follow_up_shared`` named entities in common (places weighted)
    follow_up_days: int = 45
    similar_follow_up: float = 0.6
    follow_up_shared: float = 2.0
    #: ... or a closer lead, ``similar_follow_up_close``, with ``follow_up_close_shared``
    #: (one name and one place): a report weeks on that quotes new people but tells the
    #: same story in its lead
    similar_follow_up_close: float = 0.75
    follow_up_close_shared: float = 1.5
    similar: float = 0.45
    similar_place: float = 0.65
    similar_alone: float = 0.8
    similar_many: float = 0.35
    many: int = 2
    place_weight: float = 0.5
    lead_chars: int = 600
    compared: int = 20
    #: an article that joins two stories, with a lead cosine of at least ``merge_similar`` to
    #: an article of each that it shares ``merge_names`` named entities with (not places),
    #: joins them into one (the smaller, of at most ``merge_max_articles`` articles, into the
    #: larger): a story told first by a report from another angle is one story once a later
    #: report joins both
    merge_similar: float = 0.7
    merge_names: int = 1
    merge_max_articles: int = 20
    common_entity_articles: int = 2000
    models: Mapping[str, Mapping[str, float]] = field(default_factory=_hashed_story_thresholds)


@dataclass(frozen=True, slots=True)
class IngestSettings:
    """The input screen of ``ingest`` (``newsledger/ingest.py``)."""

    #: fewest stop words among the words of an English text (news prose: ~0.4–0.5; other
    #: languages share a few short words with English: < 0.1)
    min_stop_ratio: float = 0.15
    #: texts shorter than this many words are not screened for language
    min_words: int = 20


@dataclass(frozen=True, slots=True)
class Settings:
    """Every tuning value, by stage."""

    extract: ExtractSettings = field(default_factory=ExtractSettings)
    claims: ClaimSettings = field(default_factory=ClaimSettings)
    conflicts: ConflictSettings = field(default_factory=ConflictSettings)
    figures: FigureSettings = field(default_factory=FigureSettings)
    stories: StorySettings = field(default_factory=StorySettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)


#: the values in effect
DEFAULT_SETTINGS = Settings()
