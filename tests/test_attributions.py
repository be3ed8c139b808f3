"""One rule at a time, on short made-up sentences."""

from __future__ import annotations

import pytest

from newsledger.model import Analysis, Attribution
from newsledger.pipeline import Analyzer


def _field(a: Attribution, key: str) -> object:
    if key == "source":
        return a.source.name if a.source else None
    if key == "cue":
        return a.cue.text
    return getattr(a, key)


def only(analysis: Analysis, **match: str) -> Attribution:
    """The one attribution whose fields match (``cue=`` text, ``kind=``, ``source=`` name)."""
    found = [
        a
        for a in analysis.attributions
        if all(_field(a, key) == value for key, value in match.items())
    ]
    assert len(found) == 1, (match, [(a.kind, a.cue.text, a.content.text) for a in found])
    return found[0]


def offsets_hold(analysis: Analysis) -> None:
    for where, text, start, end in analysis.spans():
        assert analysis.text[start:end] == text, where


# --- cue verbs ----------------------------------------------------------------------------


def test_indirect(analyzer: Analyzer) -> None:
    a = analyzer.analyze("The minister said that taxes would rise.")
    att = only(a, cue="said")
    assert att.kind == "indirect"
    assert att.source is not None
    assert att.source.text == "The minister"
    assert att.content.text == "that taxes would rise"
    assert att.parent is None
    assert att.chain == [att.source.name]
    offsets_hold(a)


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        pytest.param('"', '"', id="straight"),
        pytest.param("“", "”", id="curly"),
        pytest.param("«", "»", id="guillemets"),
        pytest.param("''", "''", id="nyt-double-apostrophes"),
        pytest.param("``", "''", id="latex-backticks"),
    ],
)
def test_direct_quote_styles(analyzer: Analyzer, opening: str, closing: str) -> None:
    quote = f"{opening}Taxes will rise next year.{closing}"
    a = analyzer.analyze(f"The minister said, {quote}")
    att = only(a, cue="said")
    assert att.kind == "direct"
    assert att.source is not None and att.source.text == "The minister"
    assert att.content.text == quote
    assert not a.issues
    offsets_hold(a)


def test_single_quotes_inside_double(analyzer: Analyzer) -> None:
    text = "The minister said, “I told him ‘no way’ and left the room.”"
    a = analyzer.analyze(text)
    att = only(a, cue="said")
    assert att.kind == "direct"
    assert att.content.text == "“I told him ‘no way’ and left the room.”"
    assert not a.issues


def test_quote_then_pronoun_cue_resolves_to_named_person(analyzer: Analyzer) -> None:
    a = analyzer.analyze("Angela Merkel arrived. “We will act,” she said.")
    att = only(a, cue="said")
    assert att.kind == "direct"
    assert att.source is not None
    assert att.source.text == "she"
    assert att.source.name == "Angela Merkel"
    assert att.source.type == "person"
    assert "We will act" in att.content.text


def test_split_quote_is_one_attribution(analyzer: Analyzer) -> None:
    text = "Angela Merkel arrived. “We will act quickly,” she said. “We have no choice.”"
    a = analyzer.analyze(text)
    att = only(a, source="Angela Merkel")
    assert att.cue.text == "said"
    assert "We will act quickly" in att.content.text
    assert "We have no choice" in att.content.text
    assert att.kind in ("direct", "mixed")


def test_colon_before_quote(analyzer: Analyzer) -> None:
    a = analyzer.analyze("Smith said: “The plan is dead and buried.”")
    att = only(a, cue="said")
    assert att.kind == "direct"
    assert att.source is not None and att.source.text == "Smith"
    assert att.content.text == "“The plan is dead and buried.”"


@pytest.mark.parametrize("byline", ["John Smith", "Commissioner John Smith"], ids=["name", "title"])
def test_dash_after_quote(analyzer: Analyzer, byline: str) -> None:
    a = analyzer.analyze(f"“We will not tolerate this behaviour again,” - {byline}")
    att = only(a, kind="direct")
    assert att.cue.text == "-"
    assert att.source is not None
    assert "John Smith" in att.source.text
    assert att.source.name == "John Smith"
    assert "We will not tolerate" in att.content.text


# --- according to, as per, citing ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("According to the police, the suspect fled the scene.", "According to"),
        ("The suspect fled the scene, according to the police.", "according to"),
    ],
    ids=["start", "end"],
)
def test_according_to(analyzer: Analyzer, text: str, cue: str) -> None:
    a = analyzer.analyze(text)
    att = only(a, kind="according_to")
    assert att.cue.text == cue
    assert att.source is not None and att.source.text == "the police"
    assert "the suspect fled the scene" in att.content.text.lower()
    assert "police" not in att.content.text


def test_as_per(analyzer: Analyzer) -> None:
    a = analyzer.analyze("As per the report, prices rose sharply last year.")
    att = only(a, kind="according_to")
    assert att.cue.text == "As per"
    assert att.source is not None and att.source.text == "the report"
    assert "prices rose sharply" in att.content.text


def test_citing(analyzer: Analyzer) -> None:
    a = analyzer.analyze("Prices rose sharply, citing a government report.")
    att = only(a, kind="according_to")
    assert att.cue.text == "citing"
    assert att.source is not None and att.source.text == "a government report"
    assert att.content.text == "Prices rose sharply"


# --- statements, cue nouns, relays --------------------------------------------------------


def test_statement_released_by(analyzer: Analyzer) -> None:
    a = analyzer.analyze(
        "In a statement released by the ministry, officials denied any wrongdoing."
    )
    att = only(a, kind="statement")
    assert att.cue.text.startswith("In a statement")
    assert att.source is not None and att.source.text == "the ministry"
    assert "officials denied any wrongdoing" in att.content.text


def test_cue_noun_claim(analyzer: Analyzer) -> None:
    a = analyzer.analyze(
        "Senator Jones spoke on Monday. His claim that the vote was rigged was rejected."
    )
    att = only(a, cue="claim")
    assert att.kind == "statement"
    assert att.source is not None
    assert att.source.text == "His"
    assert att.source.name == "Jones"
    assert "the vote was rigged" in att.content.text


def test_relay_quoted_as_saying(analyzer: Analyzer) -> None:
    a = analyzer.analyze("Reuters quoted the minister as saying that talks had failed.")
    outer = only(a, source="Reuters")
    assert outer.source is not None and outer.source.text == "Reuters"
    assert "quoted" in outer.cue.text
    inner = [x for x in a.attributions if x.source and x.source.text == "the minister"]
    assert len(inner) == 1
    assert inner[0].parent == outer.id
    assert inner[0].chain == ["Reuters", inner[0].source.name]
    assert "talks had failed" in inner[0].content.text
    assert outer.parent is None


# --- quotation edge cases -----------------------------------------------------------------


def test_unbalanced_quote_is_reported(analyzer: Analyzer) -> None:
    text = "The minister said, “Taxes will rise next year."
    a = analyzer.analyze(text)
    issues = [i for i in a.issues if i.kind == "unbalanced_quotes"]
    assert len(issues) == 1
    assert issues[0].text == "“"
    assert text[issues[0].start : issues[0].end] == "“"
    att = only(a, cue="said")
    assert "Taxes will rise" in att.content.text
    offsets_hold(a)


def test_multi_paragraph_quote_is_one_content(analyzer: Analyzer) -> None:
    text = (
        "He said: “The first paragraph goes here.\n"
        "“And the second paragraph goes here.”\n"
        "The meeting ended."
    )
    a = analyzer.analyze(text)
    att = only(a, cue="said")
    assert att.kind == "direct"
    assert att.content.text == (
        "“The first paragraph goes here.\n“And the second paragraph goes here.”"
    )
    assert not [i for i in a.issues if i.kind == "unbalanced_quotes"]


# --- sources ------------------------------------------------------------------------------


def test_apposition_stays_in_the_source(analyzer: Analyzer) -> None:
    a = analyzer.analyze("Hugh Hill, a doctor, said the hospital was overwhelmed.")
    att = only(a, cue="said")
    assert att.source is not None
    assert "Hugh Hill" in att.source.text
    assert att.source.name == "Hugh Hill"
    assert att.source.type == "person"
    assert att.content.text == "the hospital was overwhelmed"


@pytest.mark.parametrize(
    "text", ["Sources said the deal was close.", "The deal was close, sources said."]
)
def test_unnamed_sources(analyzer: Analyzer, text: str) -> None:
    a = analyzer.analyze(text)
    att = only(a, cue="said")
    assert att.kind == "indirect"
    assert att.source is not None
    assert att.source.text.lower() == "sources"
    assert att.source.type == "unnamed"
    assert "the deal was close" in att.content.text.lower()
    assert "sources" not in att.content.text.lower()


def test_said_in_a_statement_that(analyzer: Analyzer) -> None:
    text = "The agency said in a statement that the first units crossed into Russia in October."
    (a,) = [x for x in analyzer.analyze(text).attributions if x.parent is None]
    assert a.source is not None and a.source.text == "The agency"
    assert a.content.text == "that the first units crossed into Russia in October"


@pytest.mark.parametrize(
    "dateline",
    [
        "SEOUL, April 21 (Meridian Post) — ",
        "WASHINGTON, Aug. 24 (UPI) — ",
        "SEOUL — ",
        "BRAȘOV — ",
        "MÜNSTER, May 3 (Westfalen Wire) — ",
    ],
)
def test_dateline_is_not_a_source_or_content(analyzer: Analyzer, dateline: str) -> None:
    text = (
        dateline + "South Korea's spy agency believes 11,000 troops are in Russia, officials said."
    )
    analysis = analyzer.analyze(text)
    assert analysis.attributions
    for a in analysis.attributions:
        assert a.content.start >= len(dateline)
        assert a.source is None or a.source.start >= len(dateline)


def _chain_of(analysis: Analysis, content_word: str) -> list[str]:
    inner = [a for a in analysis.attributions if content_word in a.content.text and a.parent]
    assert inner, [(a.cue.text, a.content.text, a.parent) for a in analysis.attributions]
    return inner[0].chain


def test_citing_is_relayed_by_the_reporter(analyzer: Analyzer) -> None:
    text = (
        "Yonhap news agency, citing South Korea's National Intelligence Service (NIS), "
        "reported that about 11,000 troops had been sent."
    )
    analysis = analyzer.analyze(text)
    chain = _chain_of(analysis, "11,000")
    assert chain[0].startswith("Yonhap") and "National Intelligence Service" in chain[-1]
    outer = [a for a in analysis.attributions if a.parent is None]
    assert outer and outer[0].source is not None and outer[0].source.text == "Yonhap news agency"


@pytest.mark.parametrize(
    "text",
    [
        '"We will fight to the end," Kim was quoted as saying by KCNA.',
        "Kim was quoted by KCNA as saying that troops would stay to the end.",
    ],
)
def test_passive_quoted_as_saying(analyzer: Analyzer, text: str) -> None:
    analysis = analyzer.analyze(text)
    # the gazetteer knows KCNA as the Korean Central News Agency
    assert _chain_of(analysis, "end") == ["Korean Central News Agency", "Kim"]


@pytest.mark.parametrize(
    "text",
    [
        "The defence ministry has not confirmed the figure.",
        "Neither Russia nor North Korea has commented on the report.",
        "The Kremlin never said that troops were sent.",
    ],
)
def test_negated_cue_is_not_a_claim(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyze(text).attributions == []


def test_adjacent_quotes_are_one_content(analyzer: Analyzer) -> None:
    text = (
        "Mr. McCain recalled, ''Given how liberal he is, it made the work hard,'' "
        "''But he was an honest liberal. Bernie did what he said.''"
    )
    (a,) = analyzer.analyze(text).attributions
    assert a.content.text.startswith("''Given") and a.content.text.endswith("said.''")


def test_a_cue_inside_a_quote_leaves_the_quote_to_its_speaker(analyzer: Analyzer) -> None:
    text = (
        "Golf clubs are struggling, Mr. Hedge said.\n\n"
        "''I hardly ever advise investing in a golf course. You've got to really know what "
        "you're doing,'' Mr. Hedge said."
    )
    outer = [a for a in analyzer.analyze(text).attributions if a.parent is None]
    assert all(a.source is not None and "Hedge" in a.source.text for a in outer), outer


def test_source_never_starts_with_a_quote_mark(analyzer: Analyzer) -> None:
    text = "“We will win.”\n\nTrump has said “And that’s why steady leadership is so important.”"
    for a in analyzer.analyze(text).attributions:
        assert a.source is not None and a.source.text == "Trump"


def test_a_second_cue_verb_is_not_content(analyzer: Analyzer) -> None:
    text = (
        'Rajoy said Monday that he will "try to form a stable government" and insisted that '
        'his party was "still the No. 1 force in Spain."'
    )
    by_cue = {a.cue.text: a for a in analyzer.analyze(text).attributions}
    assert by_cue["said"].content.text == 'that he will "try to form a stable government"'
    insisted = by_cue["insisted"]
    assert insisted.source is not None and insisted.source.text == "Rajoy"
    assert insisted.content.text.startswith("that his party")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "“We will win this war,” the general said on Monday. “They will lose it.”",
            ["“We will win this war,”", "“They will lose it.”"],
        ),
        (
            "But to prevent problems, he said, local officials should be vigilant.",
            ["But to prevent problems", "local officials should be vigilant"],
        ),
    ],
)
def test_content_interrupted_by_its_cue_comes_in_parts(
    analyzer: Analyzer, text: str, parts: list[str]
) -> None:
    analysis = analyzer.analyze(text)
    a = only(analysis, cue="said")
    assert [p.text for p in a.content_parts] == parts
    assert a.content.start == a.content_parts[0].start
    assert a.content.end == a.content_parts[-1].end
    assert all(text[p.start : p.end] == p.text for p in a.content_parts)
    assert a.cue.text not in " ".join(parts)  # the frame is left out


def test_content_after_its_cue_is_one_part(analyzer: Analyzer) -> None:
    a = only(analyzer.analyze("The minister said that the economy is growing."), cue="said")
    assert a.content_parts == []


@pytest.mark.parametrize(
    ("text", "source"),
    [
        # an apposition set off by commas keeps its closing comma (PolNeAR's convention)
        (
            "Graham, a former candidate, said that the plan would fail.",
            "Graham, a former candidate,",
        ),
        # a relative clause belongs to the phrase
        (
            "Chris Cox, who runs the lobbying arm, said that the bill was dead.",
            "Chris Cox, who runs the lobbying arm,",
        ),
        # a bracket the phrase opens is closed
        (
            "Sen. Bernie Sanders (I-Vt.) said that the vote was rigged.",
            "Sen. Bernie Sanders (I-Vt.)",
        ),
        # a time stamp on the line before is not part of it
        ("7:45 p.m.\n\nTexas Sen. Ted Cruz said that he would stay.", "Texas Sen. Ted Cruz"),
    ],
)
def test_source_phrase_bounds(analyzer: Analyzer, text: str, source: str) -> None:
    a = only(analyzer.analyze(text), cue="said")
    assert a.source is not None and a.source.text == source
    assert text[a.source.start : a.source.end] == source


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("He also said that the plan had failed.", "also said"),  # an adverb before the verb
        ("The senator called for an end to the war.", "called for"),  # its preposition
        ("The minister has repeatedly said that taxes will rise.", "has repeatedly said"),
    ],
)
def test_cue_phrase_bounds(analyzer: Analyzer, text: str, cue: str) -> None:
    a = only(analyzer.analyze(text), cue=cue)
    assert text[a.cue.start : a.cue.end] == cue


def test_first_person_belief_is_a_voice_not_a_source(analyzer: Analyzer) -> None:
    a = analyzer.analyze("I think the plan will fail. The minister believes that it will work.")
    assert [x.cue.text for x in a.attributions] == ["believes"]


def test_a_cue_set_off_by_commas_reports_the_sentence_around_it(analyzer: Analyzer) -> None:
    text = (
        "The pills have few proper uses, the doctor says, and are meant to be taken only "
        "for a short time. The real cost, according to local doctors, is far higher."
    )
    analysis = analyzer.analyze(text)
    by_cue = {a.cue.text: a for a in analysis.attributions}
    says, according = by_cue["says"], by_cue["according to"]
    assert [p.text for p in says.content_parts] == [
        "The pills have few proper uses",
        "and are meant to be taken only for a short time.",
    ]
    assert [p.text for p in according.content_parts] == ["The real cost", "is far higher"]
    assert according.source is not None and according.source.text == "local doctors"


# --- pronoun sources ----------------------------------------------------------------------


def test_relative_pronoun_source_is_the_noun_its_clause_is_about(analyzer: Analyzer) -> None:
    a = analyzer.analyze(
        "The review was carried out by the incident response firm Redline Forensics, which "
        "said separately that 3.1 million member records had been copied."
    )
    att = next(x for x in a.attributions if "3.1 million" in x.content.text)
    assert att.source is not None and att.source.text == "which"
    assert att.source.name == "Redline Forensics"
    assert att.chain == ["Redline Forensics"]
    offsets_hold(a)


def test_it_carries_on_the_source_of_the_report_before(analyzer: Analyzer) -> None:
    a = analyzer.analyze(
        "The state environment agency said the air near the site was safe again. It said 160 "
        "firefighters had been deployed."
    )
    att = next(x for x in a.attributions if "160 firefighters" in x.content.text)
    assert att.source is not None and att.source.text == "It"
    assert att.source.name == "state environment agency"
    offsets_hold(a)


def test_it_does_not_stand_for_a_person_speaking_before(analyzer: Analyzer) -> None:
    a = analyzer.analyze(
        "Mayor Anna Berg said the bridge would reopen. It said the repairs would cost 2 million "
        "euros."
    )
    att = next(x for x in a.attributions if "repairs" in x.content.text)
    assert att.source is not None and att.source.text == "It"
    assert att.source.name == "It"  # left unresolved: "it" is no person


def test_a_heading_above_the_cue_is_no_content(analyzer: Analyzer) -> None:
    # the parser reads the heading and the next paragraph as one sentence
    text = (
        "Opioid crisis has diverted attention\n\n"
        "Lena Ortiz, a co-author of the study, says there is a growing awareness of the risk."
    )
    a = only(analyzer.analyze(text), cue="says")
    assert a.content.text == "there is a growing awareness of the risk"


def test_clauses_run_on_after_the_cue(analyzer: Analyzer) -> None:
    # "used" and "was" parsed as complements of "says" beside "drank"
    text = "Brooks says he drank too much, used drugs and was in and out of relationships."
    a = only(analyzer.analyze(text), cue="says")
    assert a.content.text == "he drank too much, used drugs and was in and out of relationships"


def test_a_clause_read_as_a_noun_phrase_is_still_a_claim(analyzer: Analyzer) -> None:
    text = (
        "Garland said unemployment and lost earning power due to common cardiac events have "
        "broad societal relevance, with costs for families."
    )
    a = only(analyzer.analyze(text), cue="said")
    assert a.act == "speech" and "have broad societal relevance" in a.content.text


def test_a_pull_quote_is_its_signers(analyzer: Analyzer) -> None:
    text = (
        "Mayor Ada Reyes toured the flooded streets on Friday. Reyes said crews were working "
        "through the night.\n\n"
        "We have never seen water this high in our town. Ada Reyes, Millbrook mayor\n\n"
        "The river is expected to crest on Sunday."
    )
    a = only(
        analyzer.analyze(text),
        kind="indirect",
        source="Ada Reyes",
        cue="Ada Reyes, Millbrook mayor",
    )
    assert a.content.text == "We have never seen water this high in our town."


def test_an_embedded_post_is_its_authors(analyzer: Analyzer) -> None:
    text = (
        "Crews worked through the night.\n\n"
        "Fewer than 60,000 customers remain without power. Damage is unprecedented with hundreds "
        "of trees on lines. pic.twitter.com/AbC123 — Coast Hydro (@coasthydro) December 22, 2018"
        "\n\nMore rain is expected."
    )
    a = only(analyzer.analyze(text), cue="—")
    assert a.source is not None and a.source.name == "Coast Hydro"
    assert a.content.text.startswith("Fewer than 60,000 customers")
    assert a.content.text.endswith("trees on lines.")


@pytest.mark.parametrize(
    "ending",
    [
        "Their son was born a year later. John Smith",  # a byline: nobody the story names
        "A house is seen after the wave hit. ANTARA FOTO/Reuters",  # a photo credit
    ],
)
def test_a_paragraph_ending_in_a_name_is_no_pull_quote_by_itself(
    analyzer: Analyzer, ending: str
) -> None:
    text = f"The family moved to Ottawa in 2001.\n\n{ending}"
    assert analyzer.analyze(text).attributions == []


def test_a_relative_pronoun_is_no_part_of_the_content(analyzer: Analyzer) -> None:
    text = "It is a habit which the regulator wants to see brought under control."
    a = only(analyzer.analyze(text), cue="wants")
    assert a.content.text == "to see brought under control" and not a.content_parts


def test_a_blurted_quote(analyzer: Analyzer) -> None:
    text = '"You\'re late," Bardos blurted out.'
    a = only(analyzer.analyze(text), kind="direct")
    assert a.source is not None and a.source.name == "Bardos"


def test_a_heading_the_parser_joins_to_the_next_paragraph_is_no_content(
    analyzer: Analyzer,
) -> None:
    text = (
        "Seismic upgrades, growth prioritized\n\n"
        "In his rejection letter to the school district, Education Minister Rob Fleming said "
        "the government has prioritized new schools in districts with high growth."
    )
    found = analyzer.analyze(text).attributions
    assert found, "the minister's claim is found"
    assert all("Seismic" not in a.content.text for a in found)
    assert all(not a.content.text.startswith("In his rejection letter") for a in found)
    a = only(analyzer.analyze(text), cue="said")
    assert a.content.text.startswith("the government has prioritized")


def test_a_cue_clause_closing_its_sentence_parsed_upside_down(analyzer: Analyzer) -> None:
    # "told" is parsed as an adverbial clause of "entered"
    text = (
        "The gunmen stormed a nearby office block, where they left a bomb in the lobby, a "
        "private security professional present during the raid told Reuters."
    )
    found = [
        a
        for a in analyzer.analyze(text).attributions
        if a.source is not None and "security professional" in a.source.text
    ]
    assert [a.content.text for a in found] == [
        "The gunmen stormed a nearby office block, where they left a bomb in the lobby"
    ]


def test_a_clause_after_its_verb_is_no_trailing_frame(analyzer: Analyzer) -> None:
    text = "He left the building after the guard said goodbye to the staff."
    assert all(
        a.content.text != "He left the building" for a in analyzer.analyze(text).attributions
    )


def test_a_verb_with_an_object_of_its_own_reports_no_clause_before_it(analyzer: Analyzer) -> None:
    text = (
        "The wildfire has grown to 19,500 hectares, the fire service now says, as dry winds "
        "pushed it across a second valley."
    )
    found = analyzer.analyze(text).attributions
    assert [a.cue.text for a in found if "19,500" in a.content.text] == ["now says"]


# --- counts as statements -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cue", "source", "content"),
    [
        ("Container tracking firm Seatrace also counted 14 vessels held up off the port.",
         "counted", "Seatrace", "14 vessels held up off the port"),
        ("A satellite analysis by the University of Tarn put the burned area at 19,500 "
         "hectares.", "put", "University of Tarn", "the burned area at 19,500 hectares"),
        ("Hospital officials tallied 37 admissions overnight.", "tallied", "Hospital officials",
         "37 admissions"),
        ("The Harbour Institute estimated 9,500.", "estimated", "Harbour Institute", "9,500"),
        ("Police estimated the crowd at 9,500 on Saturday.", "estimated", "Police",
         "the crowd at 9,500"),
    ],
)  # fmt: skip
def test_a_sources_count_is_its_statement_of_a_figure(
    analyzer: Analyzer, text: str, cue: str, source: str, content: str
) -> None:
    analysis = analyzer.analyze(text)
    offsets_hold(analysis)
    found = only(analysis, cue=cue)
    assert (found.source and found.source.name, found.content.text) == (source, content)
    assert found.act == "finding"


@pytest.mark.parametrize(
    "text",
    [
        "The team counted on its 14 players all season.",  # no number counted
        "She put 20 dollars on the table and left.",  # put, but no "at" a figure
        "It put the toll at 12 on Monday.",  # no named source
        "The estimated 500 guests arrived late.",  # an adjective, not a count by anyone
        "Officials did not count 40 ballots.",  # negated
    ],
)
def test_counting_words_without_a_counting_source_are_no_statement(
    analyzer: Analyzer, text: str
) -> None:
    analysis = analyzer.analyze(text)
    assert not [a for a in analysis.attributions if a.act == "finding"], [
        (a.cue.text, a.content.text) for a in analysis.attributions
    ]


def test_a_cue_parsed_as_a_participle_of_its_subject_still_reports_its_clause(
    analyzer: Analyzer,
) -> None:
    text = (
        "An environmental group in the Atacama region estimated on Tuesday that about 15,000 "
        "cubic metres of mine tailings spilled from the Cerro Pardo copper mine, more than "
        "three times the volume the company has reported, and said the sludge had reached a "
        "drinking water intake."
    )
    found = analyzer.analyze(text).attributions
    estimate = [a for a in found if "15,000" in a.content.text]
    assert estimate and estimate[0].source is not None
    assert estimate[0].source.text == "An environmental group in the Atacama region"
    said = [a for a in found if "sludge" in a.content.text]
    assert said and said[0].source is not None and "estimated" not in said[0].source.text


def test_a_closing_cue_parsed_as_a_second_conjunct_reports_the_sentence(
    analyzer: Analyzer,
) -> None:
    text = (
        "The tram project is C$412 million over its approved budget, the city's auditor "
        "general, Desmond Okoro, said on Tuesday in a report."
    )
    found = analyzer.analyze(text).attributions
    assert any(
        "412" in a.content.text and a.source is not None and a.source.name == "Desmond Okoro"
        for a in found
    )
    # "… and said" is the same subject's second act, not a frame
    other = analyzer.analyze("The mayor visited the site and said the work would resume.")
    assert all("visited" not in a.content.text for a in other.attributions)


# --- counts and the acts done to what is counted --------------------------------------------


def test_a_count_is_no_speaker_and_an_act_on_counted_things_no_claim(analyzer: Analyzer) -> None:
    text = (
        "The number of people admitted to the clinic last week was close to 300, the doctors "
        "said. Clinics in the region admitted 412 patients on Sunday, the health board said."
    )
    a = analyzer.analyze(text)
    offsets_hold(a)
    assert [x.cue.text for x in a.attributions] == ["said", "said"]
    first = only(a, source="doctors")
    assert first.content.text.endswith("was close to 300")
    second = only(a, source="health board")
    assert second.content.text == "Clinics in the region admitted 412 patients on Sunday"
    # with a clause, the same verb still reports it
    b = analyzer.analyze("The board admitted that 40 files had been lost.")
    assert only(b, cue="admitted").content.text.endswith("40 files had been lost")


def test_a_source_puts_a_count_at_a_number_the_parser_hung_on_its_clause(
    analyzer: Analyzer,
) -> None:
    text = "The ministry put the number of people who landed on Sunday at 2,150."
    a = analyzer.analyze(text)
    att = only(a, cue="put")
    assert att.source is not None and att.source.name == "ministry"
    assert att.content.text.endswith("at 2,150")


def test_a_source_described_by_a_participle_the_parser_read_as_a_clause(
    analyzer: Analyzer,
) -> None:
    text = (
        "A tenants' group formed on Friday in the church hall, where families have gathered "
        "since the fire, said 64 flats had been damaged, and questioned the council's count."
    )
    a = analyzer.analyze(text)
    offsets_hold(a)
    said = only(a, cue="said")
    assert said.source is not None and said.source.text == "A tenants' group"
    assert said.content.text == "64 flats had been damaged"


def test_a_content_before_its_cue_keeps_the_phrases_the_parser_hung_on_the_cue(
    analyzer: Analyzer,
) -> None:
    text = (
        "Police have recovered about 300 stolen bicycles, from racing bikes to tricycles, in "
        "two warehouses rented at the edge of Leeds, the force said on Friday."
    )
    a = analyzer.analyze(text)
    offsets_hold(a)
    att = only(a, cue="said")
    assert att.content.text.endswith("in two warehouses rented at the edge of Leeds")
    # a quotation ends where its closing mark is
    b = analyzer.analyze('"We will rebuild the mill," in a statement, the owner said.')
    assert only(b, cue="said").content.text.startswith('"We will rebuild the mill,"')
