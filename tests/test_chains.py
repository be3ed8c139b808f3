"""Chains through the common relay forms, and sources named canonically."""

from __future__ import annotations

from newsledger.model import Analysis, Attribution
from newsledger.pipeline import Analyzer


def _innermost(analysis: Analysis, words: str) -> Attribution:
    found = [a for a in analysis.attributions if words in a.content.text]
    assert found, analysis.attributions
    return max(found, key=lambda a: len(a.chain))


def test_fronted_citing_relays_the_cited_source(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(
        "Citing Reuters, local station WKRB reported that the bridge had collapsed."
    )
    a = _innermost(analysis, "bridge")
    assert a.chain == ["WKRB", "Reuters"]
    names = {x.source.name for x in analysis.attributions if x.source}
    assert "Citing Reuters" not in names


def test_citing_relays_when_the_parser_hangs_the_cue_on_the_cited_source(
    analyzer: Analyzer,
) -> None:
    # parsed as "the regional prefecture reported on Thursday …", a participle of the
    # cited noun, with the citing phrase hung on the station's name
    analysis = analyzer.analyze(
        "Radio Alpina Uno, citing the provincial prefecture, reported on Thursday that the search "
        "for the two climbers would continue through the night."
    )
    a = _innermost(analysis, "climbers")
    assert a.chain == ["Radio Alpina Uno", "provincial prefecture"]
    assert all(x.source and x.source.name != "provincial prefecture" for x in analysis.attributions
               if x.cue.text == "reported")  # fmt: skip


def test_told_a_news_agency_makes_it_the_relay(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("Dillon told Reuters that the plant would close in March.")
    assert _innermost(analysis, "plant").chain == ["Reuters", "Dillon"]
    # told someone else: no relay
    other = analyzer.analyze("Dillon told the workers that the plant would close in March.")
    assert _innermost(other, "plant").chain == ["Dillon"]


def test_quoted_as_saying_with_an_apposition(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(
        "The Globe quoted the firm's finance chief, Mara Quist, as saying that profits fell."
    )
    assert _innermost(analysis, "profits").chain == ["Globe", "Mara Quist"]


def test_an_untagged_surname_names_the_person_named_before(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(
        "Marty Puranik runs a cloud company in Florida.\n\n"
        "Puranik, who regularly works with developers, said the rules were unclear."
    )
    a = _innermost(analysis, "rules")
    assert a.source is not None and a.source.name == "Marty Puranik"


def test_the_role_is_kept_apart_from_the_name(analyzer: Analyzer) -> None:
    for text in (
        "The company's chief executive, Dana Whitfield, said the deal was off.",
        "Dana Whitfield, the company's chief executive, said the deal was off.",
    ):
        a = _innermost(analyzer.analyze(text), "deal")
        assert a.source is not None
        assert (a.source.name, a.source.role) == ("Dana Whitfield", "chief executive")
    plain = _innermost(analyzer.analyze("Dana Whitfield said the deal was off."), "deal")
    assert plain.source is not None and plain.source.role is None


def test_upper_case_section_labels_are_no_speakers(analyzer: Analyzer) -> None:
    report = analyzer.analyze(
        "ENERGY: Benchmark U.S. crude oil fell 42 cents to $51.69 per barrel.\n"
        "DAY IN ASIA: Japan's Nikkei 225 index closed 2 per cent lower."
    )
    assert report.attributions == []
    debate = analyzer.analyze(
        "Donald Trump and Hillary Clinton met in St. Louis.\n"
        "TRUMP: We are going to build the wall and it will be beautiful."
    )
    assert [a.source.text for a in debate.attributions if a.source] == ["TRUMP"]


def test_short_and_inverted_quotes(analyzer: Analyzer) -> None:
    short = analyzer.analyze('The mayor was asked about the plan. He repeated, "Never".')
    assert [a.content.text for a in short.attributions] == ['"Never"']
    inverted = analyzer.analyze('"We are ready for anything," answer Ortiz and Kamau.')
    (a,) = inverted.attributions
    assert a.source is not None and a.source.text.startswith("Ortiz")
    assert analyzer.analyze("Moscow has never confirmed the figure.").attributions == []


def test_a_news_agency_the_model_tags_as_a_person_stays_an_organisation(
    analyzer: Analyzer,
) -> None:
    text = "Citing Reuters, local station WKRB reported that the plant would close in March."
    analysis = analyzer.analyze(text)
    cited = [a for a in analysis.attributions if a.cue.text == "Citing"]
    assert cited and cited[0].source is not None
    assert (cited[0].source.name, cited[0].source.type) == ("Reuters", "organization")


def test_told_an_outlet_named_like_one_makes_it_the_relay(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(
        "Three paramedics told Wexford Valley Radio that ambulances had waited four hours."
    )
    assert _innermost(analysis, "ambulances").chain == ["Wexford Valley Radio", "Three paramedics"]


def test_reported_quoting_a_source_relays_it(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(
        "The Morning Ledger reported, quoting a night nurse at the clinic, that two wards had "
        "closed for lack of staff."
    )
    a = _innermost(analysis, "two wards")
    assert a.chain[0] == "Morning Ledger" and "nurse" in a.chain[-1]
    assert all("quoting" not in x.content.text for x in analysis.attributions)


def test_a_relative_clause_on_the_source_names_where_it_had_it(analyzer: Analyzer) -> None:
    cited = analyzer.analyze(
        "According to Dagbladet Vest, which cited fisheries ministry officials, the fleet will "
        "be cut by a third."
    )
    a = _innermost(cited, "fleet")
    assert a.chain[0] == "Dagbladet Vest" and "officials" in a.chain[-1]
    spoke = analyzer.analyze(
        "The Valley Courier, which spoke to two board members who attended the meeting, "
        "reported that the vote had been postponed."
    )
    b = _innermost(spoke, "postponed")
    assert b.chain[0] == "Valley Courier" and "board members" in b.chain[-1]


def test_quoted_as_saying_when_the_parse_loses_the_frame(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(
        "TeleValle, the local broadcaster, quoted officials at the prefecture as saying that "
        "extra army tankers would reach the province by the weekend."
    )
    assert _innermost(analysis, "tankers").chain == ["TeleValle", "officials at the prefecture"]


def test_said_in_an_interview_with_an_outlet_relays_through_it(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(
        "Maria Okonjo said in an interview with Coastline FM that the harbour would reopen in May."
    )
    assert _innermost(analysis, "harbour").chain == ["Coastline FM", "Maria Okonjo"]


def test_quoted_by_an_outlet_relays_through_it(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(
        "Two park rangers quoted by Radio Tambopata said dredges had returned to the river."
    )
    assert _innermost(analysis, "dredges").chain == ["Radio Tambopata", "Two park rangers"]


def test_quoting_hung_on_the_subjects_comma_is_the_cited_source(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(
        "The Glasgow Evening Post, quoting a council briefing paper, reported that officials "
        "expected demand to rise further in December."
    )
    chain = _innermost(analysis, "demand").chain
    assert chain[0] == "Glasgow Evening Post" and "briefing paper" in chain[1]


def test_an_unnamed_source_keeps_what_says_who_it_is(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(
        "The sale could close this month, a person involved in the talks told the Harbour "
        "Post. Two skiers were dug out alive, the Courrier du Valais reported, quoting a "
        "rescuer at the scene. Gulf Shipping Weekly, citing tracking data from the analytics "
        "firm Oceanpath, reported that four ships had skipped the port."
    )
    assert _innermost(analysis, "sale").chain == [
        "Harbour Post",
        "person involved in the talks",
    ]
    assert _innermost(analysis, "skiers").chain == ["Courrier du Valais", "rescuer at the scene"]
    assert _innermost(analysis, "four ships").chain == [
        "Gulf Shipping Weekly",
        "tracking data from the analytics firm Oceanpath",
    ]


def test_according_to_an_outlet_a_source_said(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(
        "According to the Sydney Chronicle, a member of the trial's safety board said the "
        "board had asked for the full data."
    )
    inner = _innermost(analysis, "full data")
    assert inner.chain[:2] == ["Sydney Chronicle", "member of the trial's safety board"]
