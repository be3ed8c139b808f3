"""Events: triggers, types, actor/target/location/date from the parse, factuality, offsets."""

from __future__ import annotations

import dataclasses
import json

import pytest
from conftest import ROOT

from newsledger.extract import EXTRACTORS
from newsledger.extract.events import extract_events
from newsledger.model import Analysis, DateMention, Event
from newsledger.pipeline import Analyzer
from newsledger.resources import event_lexicon

PLOVER = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
}


def name(analysis: Analysis, entity_id: str | None) -> str | None:
    if entity_id is None:
        return None
    return next(e.name for e in analysis.entities if e.id == entity_id)


def described(analysis: Analysis) -> list[tuple[str, str, str | None, str | None, str | None]]:
    """(type, trigger, actor name, target name, location name) for each event."""
    return [
        (
            ev.type,
            ev.trigger.text,
            name(analysis, ev.actor),
            name(analysis, ev.target),
            name(analysis, ev.location),
        )
        for ev in analysis.events
    ]


def of_type(analysis: Analysis, kind: str) -> list[Event]:
    return [ev for ev in analysis.events if ev.type == kind]


# ------------------------------------------------------------------ the example article
def test_seed_north_korea_sends_troops_to_russia(seed: Analysis) -> None:
    deploys = [(name(seed, ev.actor), name(seed, ev.target), ev) for ev in of_type(seed, "deploy")]
    assert ("North Korea", "Russia") in [(a, t) for a, t, _ in deploys]


def test_seed_kim_sends_troops_in_the_kcna_statement(seed: Analysis) -> None:
    kim = [ev for ev in of_type(seed, "deploy") if name(seed, ev.actor) == "Kim Jong Un"]
    assert kim, described(seed)
    statement = {a.id: a for a in seed.attributions}[kim[0].attribution]
    assert statement.source is not None
    assert statement.source.name == "Korean Central News Agency"


def test_seed_deployment_reported_by_ukrainian_officials(seed: Analysis) -> None:
    attributions = {a.id: a for a in seed.attributions}
    reported = [
        attributions[ev.attribution].source.text
        for ev in of_type(seed, "deploy")
        if name(seed, ev.actor) == "North Korea" and ev.attribution
    ]
    assert "Ukrainian officials" in reported


def test_seed_putin_thanks_north_korean_soldiers(seed: Analysis) -> None:
    praise = [
        (ev.trigger.text, name(seed, ev.actor), name(seed, ev.target))
        for ev in of_type(seed, "praise")
    ]
    # "North Korean soldiers": the demonym is a mention of North Korea
    assert ("thanked", "Vladimir Putin", "North Korea") in praise


def test_seed_speech_cues_are_not_events(seed: Analysis) -> None:
    triggers = {ev.trigger.text.lower() for ev in seed.events}
    assert not triggers & {"said", "saying", "added", "quoted", "confirmed", "told"}


def test_seed_offsets_ids_and_order(seed: Analysis) -> None:
    assert seed.events
    for i, ev in enumerate(seed.events, 1):
        assert ev.id == f"ev{i}"
        assert seed.text[ev.trigger.start : ev.trigger.end] == ev.trigger.text
        assert ev.type in event_lexicon().types
        ids = {e.id for e in seed.entities}
        for ref in (ev.actor, ev.target, ev.location):
            assert ref is None or ref in ids
        assert ev.attribution is None or ev.attribution in {a.id for a in seed.attributions}
    starts = [ev.trigger.start for ev in seed.events]
    assert starts == sorted(starts)


def test_events_round_trip(seed: Analysis) -> None:
    again = Analysis.from_dict(json.loads(seed.to_json()), text=seed.text)
    assert again.events == seed.events


def test_events_step_runs_last() -> None:
    assert list(EXTRACTORS)[-1] == "events"


# ------------------------------------------------------------------ arguments
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # active: subject acts on the object
        (
            "Russian forces attacked Kharkiv on Tuesday.",
            ("attack", "attacked", "Russia", "Kharkiv", None),
        ),
        # passive: the "by" agent acts, the subject is the target
        (
            "Poland was attacked by Russian forces.",
            ("attack", "attacked", "Russia", "Poland", None),
        ),
        # event noun: possessive actor, "of" target
        (
            "Russia's invasion of Ukraine began in 2022.",
            ("attack", "invasion", "Russia", "Ukraine", None),
        ),
        # deployment: the destination is the target
        (
            "North Korea deployed troops to Russia.",
            ("deploy", "deployed", "North Korea", "Russia", None),
        ),
        # a light verb gives its subject to the event noun
        (
            "Germany imposed sanctions on Iran.",
            ("sanction", "sanctions", "Germany", "Iran", None),
        ),
        # location from an "in X" phrase
        (
            "Macron met with Xi Jinping in Paris.",
            ("meet", "met", "Macron", "Xi Jinping", "Paris"),
        ),
        ("Police arrested 20 protesters in Moscow.", ("arrest", "arrested", None, None, "Moscow")),
        # disasters have no actor; the place struck is the location
        ("An earthquake hit Japan on Monday.", ("earthquake", "earthquake", None, None, "Japan")),
        ("Ukraine accused Russia of war crimes.", ("accuse", "accused", "Ukraine", "Russia", None)),
    ],
)
def test_arguments(analyzer: Analyzer, text: str, expected: tuple) -> None:
    analysis = analyzer.analyze(text)
    assert expected in described(analysis), described(analysis)


def test_sent_aid_is_one_aid_event(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("The United States sent aid to Ukraine.")
    assert described(analysis) == [("aid", "aid", "United States", "Ukraine", None)]


@pytest.mark.parametrize(
    "text",
    [
        "The minister sent a letter to the committee.",  # send: only troops, aid, …
        "She won a custody battle.",  # a modifier changes the sense
        "The team appealed the decision.",  # a legal appeal is no request
        "The agency released a statement.",  # object blocklist
        "Hurricanes are a form of tropical cyclones.",  # a class, not an event
    ],
)
def test_other_senses_are_no_events(analyzer: Analyzer, text: str) -> None:
    analysis = analyzer.analyze(text)
    assert analysis.events == [], described(analysis)


def test_nearest_of_two_subjects(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(
        "The Labour Party's leader, Jeremy Corbyn announced his resignation."
    )
    assert [(t, a) for t, _, a, _, _ in described(analysis)] == [("apologize", "Jeremy Corbyn")]


def test_event_in_attributed_content(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("Ukrainian officials said Russian forces attacked Kharkiv.")
    (attack,) = of_type(analysis, "attack")
    assert attack.attribution is not None
    attribution = {a.id: a for a in analysis.attributions}[attack.attribution]
    assert attribution.cue.text == "said"


# ------------------------------------------------------------------ factuality
@pytest.mark.parametrize(
    "text",
    [
        "Russia did not attack Ukraine.",
        "Russia never attacked Ukraine.",
        "There was no attack on Kyiv.",
        "Russia could attack Ukraine next year.",
        "Putin vowed to attack Ukraine.",
        "If Russia invades Ukraine, the West will respond.",
        "Did Russia attack Poland?",
        "NATO warned of the threat of an invasion.",
    ],
)
def test_negated_and_hypothetical_attacks_are_not_emitted(analyzer: Analyzer, text: str) -> None:
    analysis = analyzer.analyze(text)
    assert of_type(analysis, "attack") == [], described(analysis)


def test_denial_is_an_event_but_what_is_denied_is_not(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("Russia denied attacking the hospital.")
    assert [(t, a) for t, _, a, _, _ in described(analysis)] == [("deny", "Russia")]


def test_infinitive_of_purpose_is_not_a_fact(seed: Analysis) -> None:
    # "sent troops to fight alongside Russian forces": the fighting is the purpose
    assert "fight" not in [ev.trigger.text for ev in seed.events]


# ------------------------------------------------------------------ pronouns and dates
def test_pronoun_actor_through_entity_mention(analyzer: Analyzer) -> None:
    text = "Vladimir Putin arrived in Minsk. He praised Alexander Lukashenko."
    doc = analyzer.nlp(text)
    analysis = analyzer.analyze(text)
    putin = next(e for e in analysis.entities if e.name == "Vladimir Putin")
    he = text.index("He ")
    covered = dataclasses.replace(putin, mentions=[*putin.mentions, [he, he + 2]])
    analysis.entities = [covered if e.id == putin.id else e for e in analysis.entities]
    (praise,) = [ev for ev in extract_events(doc, analysis) if ev.type == "praise"]
    assert name(analysis, praise.actor) == "Vladimir Putin"
    assert name(analysis, praise.target) == "Alexander Lukashenko"


def test_pronoun_without_mention_has_no_actor(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("He attacked the convoy.")
    assert [(ev.type, ev.actor) for ev in analysis.events] == [("attack", None)]


def _with_dates(analyzer: Analyzer, text: str, dates: dict[str, str]) -> list[Event]:
    analysis = analyzer.analyze(text)
    analysis.dates = []
    for words, value in dates.items():
        start = text.index(words)
        analysis.dates.append(
            DateMention(words, start, start + len(words), value=value, anchor="published")
        )
    return extract_events(analyzer.nlp(text), analysis)


def test_date_from_the_same_sentence(analyzer: Analyzer) -> None:
    text = "On Monday, Russian forces attacked Poland. Later Germany imposed sanctions on Iran."
    events = _with_dates(analyzer, text, {"Monday": "2025-04-28"})
    assert {ev.type: ev.date for ev in events} == {"attack": "2025-04-28", "sanction": None}


def test_date_attached_by_dependency_wins(analyzer: Analyzer) -> None:
    text = "Officials said on Tuesday that Russian forces attacked Poland on Monday."
    events = _with_dates(analyzer, text, {"Tuesday": "2025-04-29", "Monday": "2025-04-28"})
    assert [(ev.type, ev.date) for ev in events] == [("attack", "2025-04-28")]


def test_no_dates_no_event_date(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("On Monday, Russian forces attacked Poland.")
    if "dates" in EXTRACTORS:
        pytest.skip("a date step fills analysis.dates; covered by the tests above")
    assert [ev.date for ev in analysis.events] == [None]


# ------------------------------------------------------------------ lexicon and docs
def test_lexicon_types_map_to_plover_or_null() -> None:
    for kind in event_lexicon().types.values():
        assert kind.plover is None or kind.plover in PLOVER, kind


def test_speech_verbs_are_not_triggers() -> None:
    lex = event_lexicon()
    assert not {"say", "tell", "add", "state", "report"} & set(lex.verbs)


def test_every_type_is_documented() -> None:
    doc = (ROOT / "docs" / "events.md").read_text(encoding="utf-8")
    for kind in event_lexicon().types.values():
        assert f"| `{kind.name}` |" in doc, kind.name
        assert f"| {kind.plover or '—'} |" in doc


@pytest.mark.parametrize(
    "text",
    [
        "",
        "attack",
        "“They attacked”, he said. No attack?",
        "Troops were sent to Russia \u00a0 in\n\nKursk.",
        "Kim sent 14,000 troops to Russia; Putin thanked them on Monday.",
    ],
)
def test_offsets_hold_on_odd_text(analyzer: Analyzer, text: str) -> None:
    analysis = analyzer.analyze(text)
    for ev in analysis.events:
        assert text[ev.trigger.start : ev.trigger.end] == ev.trigger.text
