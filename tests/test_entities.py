"""Canonical entities (gazetteer, coreference, metonymy, demonyms, kb) and misspelling flags."""

from __future__ import annotations

import pytest

from newsledger.extract.gazetteer import gazetteer
from newsledger.model import Analysis, Entity
from newsledger.pipeline import Analyzer

# --- helpers ------------------------------------------------------------------------------


def entity(analysis: Analysis, name: str) -> Entity:
    found = [e for e in analysis.entities if e.name == name]
    assert len(found) == 1, (name, [(e.name, e.aliases) for e in analysis.entities])
    return found[0]


def owner(analysis: Analysis, start: int, end: int) -> Entity | None:
    """The entity with a mention exactly at [start, end)."""
    for e in analysis.entities:
        if [start, end] in e.mentions:
            return e
    return None


def at(analysis: Analysis, phrase: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = analysis.text.index(phrase, start + 1)
    return start, start + len(phrase)


def misspellings(analysis: Analysis) -> list[tuple[str, str | None]]:
    return [(i.text, i.suggestion) for i in analysis.issues if i.kind == "misspelling"]


# --- the gazetteer ------------------------------------------------------------------------


def test_gazetteer_is_built_once() -> None:
    assert gazetteer() is gazetteer()


@pytest.mark.parametrize(
    ("text", "name", "kb"),
    [
        ("DPRK", "North Korea", {"iso3": "PRK"}),
        ("the DPRK", "North Korea", {"iso3": "PRK"}),
        ("Democratic People's Republic of Korea", "North Korea", {"iso3": "PRK"}),
        ("Gondor", None, None),  # fiction
        ("Russian Federation", "Russia", {"iso3": "RUS"}),
        ("Iran", "Iran", {"iso3": "IRN"}),
        ("the United States", "United States", {"iso3": "USA"}),
        ("U.S.", "United States", {"iso3": "USA"}),
        ("Kiev", "Kyiv", {"country": "UKR"}),
        ("KCNA", "Korean Central News Agency", {"country": "PRK", "kind": "news_agency"}),
        ("Kremlin", "Kremlin", {"country": "RUS"}),
        ("Yonhap", "Yonhap", {"country": "KOR"}),
    ],
)
def test_gazetteer_lookup(text: str, name: str | None, kb: dict | None) -> None:
    place = gazetteer().lookup(text)
    if name is None:
        assert place is None
        return
    assert place is not None and place.name == name
    assert kb is not None and kb.items() <= place.kb.items()


def test_gazetteer_demonyms_and_capitals() -> None:
    gaz = gazetteer()
    assert gaz.demonym("North Korean").name == "North Korea"  # type: ignore[union-attr]
    assert gaz.demonym("Ukrainian").name == "Ukraine"  # type: ignore[union-attr]
    assert gaz.capital_of("Pyongyang").name == "North Korea"  # type: ignore[union-attr]
    assert gaz.capital_of("Kyiv").name == "Ukraine"  # type: ignore[union-attr]
    assert gaz.capital_of("Kursk") is None
    kursk = gaz.lookup("Kursk")
    assert kursk is not None and kursk.kind == "city" and kursk.kb["country"] == "RUS"
    assert isinstance(kursk.kb["geonames"], int)


# --- the seed article ---------------------------------------------------------------------


def test_seed_countries_gather_their_aliases_and_demonyms(seed: Analysis) -> None:
    nk = entity(seed, "North Korea")
    assert nk.type == "place"
    assert nk.kb["iso3"] == "PRK"
    assert {"DPRK", "Democratic People's Republic of Korea", "North Korean", "Pyongyang"} <= set(
        nk.aliases
    )
    russia = entity(seed, "Russia")
    assert {"Russian Federation", "Russian", "Moscow"} <= set(russia.aliases)
    start = at(seed, "Ukrainian troops")[0]
    assert owner(seed, start, start + len("Ukrainian")) is entity(seed, "Ukraine")
    assert not [e for e in seed.entities if e.name in ("DPRK", "Russian Federation", "Moscow")]


def test_seed_model_label_errors_fixed_by_gazetteer(seed: Analysis) -> None:
    kursk = entity(seed, "Kursk")  # en_core_web_sm tags it PRODUCT
    assert kursk.type == "place"
    assert kursk.kb["country"] == "RUS" and "geonames" in kursk.kb
    assert len(kursk.mentions) == 4  # three "Kursk" and the misspelt "Kurs"


def test_seed_sources_use_canonical_entities(seed: Analysis) -> None:
    by_text = {a.source.text: a.source for a in seed.attributions if a.source}
    military = by_text["Pyongyang’s military"]
    assert military.name == "North Korea"
    ids = {e.id: e for e in seed.entities}
    assert military.entity is not None and ids[military.entity].kb["iso3"] == "PRK"
    assert by_text["Moscow"].name == "Russia"
    kremlin = by_text["the Kremlin"]
    assert kremlin.name == "Kremlin" and ids[kremlin.entity or ""].kb["country"] == "RUS"
    kcna = entity(seed, "Korean Central News Agency")
    assert "KCNA" in kcna.aliases and kcna.kb["country"] == "PRK"
    confirmed = [a for a in seed.attributions if a.cue.text == "officially confirmed"]
    assert confirmed and confirmed[0].chain == ["BBC", "North Korea"]


def test_seed_misspellings_exactly(seed: Analysis) -> None:
    flagged = [i for i in seed.issues if i.kind == "misspelling"]
    assert [(i.text, i.suggestion) for i in flagged] == [("Ukarine", "Ukraine"), ("Kurs", "Kursk")]
    for issue in flagged:
        assert seed.text[issue.start : issue.end] == issue.text
        assert issue.confidence is not None and 0.5 <= issue.confidence <= 1
    # the misspelt mention joins the entity it means
    assert list(at(seed, "Ukarine")) in entity(seed, "Ukraine").mentions


def test_seed_mentions_index_the_text_and_do_not_overlap(seed: Analysis) -> None:
    taken: list[tuple[int, int, str]] = []
    for e in seed.entities:
        assert e.mentions == sorted(e.mentions)
        for s, end in e.mentions:
            assert seed.text[s:end] == e.name or seed.text[s:end] in e.aliases
            taken.append((s, end, e.id))
    taken.sort()
    for (_, e1, id1), (s2, _, id2) in zip(taken, taken[1:], strict=False):
        assert e1 <= s2, (id1, id2)


# --- small texts --------------------------------------------------------------------------

TEXT = (
    "Moscow said on Tuesday that the talks would resume. The delegations met in Moscow "
    "last week.\n"
    "The World Health Organization (WHO) said the outbreak was over. WHO officials visited "
    "Kiev.\n"
    "President Emmanuel Macron spoke to reporters. Macron said France would help. "
    "The DPRK denied it.\n"
    "Ukrainian officials said that Seoul's government had agreed. Comrade Kim Jong-un met "
    "Kim Jong Un's sister, and Kim left.\n"
    "Nkechi Okonkwo travelled from Ouagadougou to Szczecin and then to Zhytomyr with "
    "Aurelijus Vaitkus, Siobhan Ni Dhuibhir and Tadeusz Wrzesniewski.\n"
)


@pytest.fixture(scope="module")
def small(analyzer: Analyzer) -> Analysis:
    return analyzer.analyze(TEXT)


def test_capital_as_actor_is_its_state_as_location_the_city(small: Analysis) -> None:
    first = owner(small, *at(small, "Moscow", 0))
    second = owner(small, *at(small, "Moscow", 1))
    assert first is not None and first.name == "Russia"
    assert second is not None and second.name == "Moscow" and second.type == "place"
    assert second.kb["country"] == "RUS"
    seoul = owner(small, *at(small, "Seoul"))
    assert seoul is not None and seoul.name == "South Korea"  # "Seoul's government"


def test_acronym_defined_in_brackets_and_reused(small: Analysis) -> None:
    who = entity(small, "World Health Organization")
    assert who.type == "organization"
    assert "WHO" in who.aliases
    assert len(who.mentions) == 3  # the name, "(WHO)" and "WHO officials"
    sources = {a.source.text: a.source for a in small.attributions if a.source}
    assert sources["The World Health Organization"].name == "World Health Organization"


def test_transliteration_variant_takes_canonical_name(small: Analysis) -> None:
    kyiv = owner(small, *at(small, "Kiev"))
    assert kyiv is not None and kyiv.name == "Kyiv" and kyiv.kb["country"] == "UKR"


def test_titles_short_forms_and_hyphen_variants(small: Analysis) -> None:
    macron = entity(small, "Emmanuel Macron")
    assert "Macron" in macron.aliases
    kim = owner(small, *at(small, "Kim Jong-un"))
    assert kim is not None
    assert owner(small, *at(small, "Kim Jong Un")) is kim
    start = at(small, "Kim left")[0]
    assert owner(small, start, start + 3) is kim
    assert not [e for e in small.entities if "Comrade" in e.name]


def test_demonym_and_acronym_countries(small: Analysis) -> None:
    start = at(small, "Ukrainian")[0]
    ukraine = owner(small, start, start + len("Ukrainian"))
    assert ukraine is not None and ukraine.name == "Ukraine" and ukraine.kb["iso3"] == "UKR"
    dprk = owner(small, *at(small, "DPRK"))
    assert dprk is not None and dprk.name == "North Korea"
    sources = {a.source.text: a.source.name for a in small.attributions if a.source}
    assert sources["Ukrainian officials"] == "Ukrainian officials"


def test_rare_real_names_are_not_flagged(small: Analysis) -> None:
    assert misspellings(small) == []
    for place in ("Ouagadougou", "Szczecin", "Zhytomyr"):
        found = owner(small, *at(small, place))
        assert found is not None and found.type == "place" and "geonames" in found.kb


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Officials in Lousiana said the storm had passed.", [("Lousiana", "Louisiana")]),
        (
            "Troops left Kharkiv on Monday. By Friday the army had shelled Kharkv again.",
            [("Kharkv", "Kharkiv")],
        ),
        ("Kiev and Kyiv are two spellings. Tbilisi and Yerevan agreed.", []),
        ("Aleksandr Lukashenko met Xi Jinping and Recep Tayyip Erdogan in Minsk.", []),
        ("The Republicans and the Iranians disagreed with the Europeans.", []),
    ],
)
def test_misspellings(analyzer: Analyzer, text: str, expected: list[tuple[str, str]]) -> None:
    analysis = analyzer.analyze(text)
    assert misspellings(analysis) == expected
    for issue in analysis.issues:
        assert analysis.text[issue.start : issue.end] == issue.text


def test_every_mention_indexes_the_text(small: Analysis) -> None:
    for e in small.entities:
        assert e.id and e.type in ("person", "organization", "place", "group")
        for s, end in e.mentions:
            assert small.text[s:end] == e.name or small.text[s:end] in e.aliases, e
    ids = [e.id for e in small.entities]
    assert len(ids) == len(set(ids))
    known = set(ids)
    for a in small.attributions:
        if a.source and a.source.entity:
            assert a.source.entity in known


def test_untagged_demonyms_and_countries_are_still_mentions(analyzer: Analyzer) -> None:
    from newsledger.extract.names import build_names

    doc = analyzer.nlp("Ukrainian officials met Russian envoys in Ukraine on Monday.")
    doc.ents = []  # as if the model had missed them all
    names = build_names(doc)
    by_name = {c.name: c for c in names.clusters}
    ukraine = by_name["Ukraine"]
    assert [doc.text[s:e] for s, e in ukraine.mentions] == ["Ukrainian", "Ukraine"]
    assert [doc.text[s:e] for s, e in by_name["Russia"].mentions] == ["Russian"]


def test_role_phrase_in_apposition_or_before_the_name(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(
        "Kim Jong Un, the North Korean leader, visited the front. The North Korean leader "
        "said the troops were heroes. Later, the South Korean President Yoon Suk Yeol met "
        "reporters. The South Korean president said he was worried. The president said that "
        "talks would go on."
    )
    names = {a.source.text: a.source.name for a in analysis.attributions if a.source}
    assert names["The North Korean leader"] == "Kim Jong Un"
    assert names["The South Korean president"] == "Yoon Suk Yeol"
    # a bare title names the person last given it ("the South Korean President Yoon …")
    assert names["The president"] == "Yoon Suk Yeol"


def test_a_bare_title_nobody_was_given_stays_a_phrase(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(
        "Kim Jong Un, the North Korean leader, visited the front. "
        "The president said that talks would go on."
    )
    names = {a.source.text: a.source.name for a in analysis.attributions if a.source}
    assert names["The president"] == "president"


def test_the_agency_is_the_agency_last_named(analyzer: Analyzer) -> None:
    text = (
        "The Ministry of Defence released figures on Monday. "
        "The ministry said 40 soldiers had died."
    )
    (a,) = analyzer.analyze(text).attributions
    assert a.source is not None and a.source.text == "The ministry"
    assert a.source.name == "Ministry of Defence" and a.source.entity is not None


def test_the_agency_without_antecedent_stays_a_phrase(analyzer: Analyzer) -> None:
    (a,) = analyzer.analyze("The agency said the figures were false.").attributions
    assert a.source is not None and a.source.entity is None


def test_an_organisations_first_word_alone_is_its_short_form(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(
        "LONDON, May 3 (Energy Markets Wire) — Northmere Renewables expects its Skerra Bank "
        "offshore wind farm to cost 3.1 billion pounds, the company said on Monday.\n"
        "The farm will use 72 turbines, Northmere said, each on a fixed foundation.\n"
        "Northmere won a 15-year contract last year."
    )
    company = entity(analysis, "Northmere Renewables")
    # the long form spoke untagged; its short form, tagged as a group, tells what it is
    assert company.type == "organization"
    assert len(company.mentions) == 3
    sources = {a.source.text: a.source.name for a in analysis.attributions if a.source}
    assert sources["Northmere"] == "Northmere Renewables"
