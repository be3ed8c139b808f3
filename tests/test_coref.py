"""Pronouns resolved to people (newsledger.extract.coref): agreement, salience, look-ahead."""

from __future__ import annotations

import pytest

from newsledger.model import Analysis
from newsledger.pipeline import Analyzer
from newsledger.resources import coref_settings, first_names


def _source_of(analysis: Analysis, content_word: str) -> str | None:
    for a in analysis.attributions:
        if content_word in a.content.text and a.source is not None:
            return a.source.name
    return None


def test_the_first_name_list_tells_common_names_and_leaves_ambiguous_ones_out() -> None:
    names = first_names()
    assert names["mary"] == "female" and names["john"] == "male"
    assert "jordan" not in names and "casey" not in names  # given to both
    assert coref_settings().honorifics["mrs"] == "female"


def test_she_goes_to_the_woman_not_the_nearer_man(analyzer: Analyzer) -> None:
    text = (
        "Mary Hollis, the council's budget chief, presented the plan on Monday. "
        "Councillor Peter Grant asked about the cost of the new bridge.\n\n"
        "She said the bridge would be paid for by the province."
    )
    assert _source_of(analyzer.analyze(text), "paid for") == "Mary Hollis"


def test_he_goes_to_the_man_not_the_nearer_woman(analyzer: Analyzer) -> None:
    text = (
        "Robert Lang, the union's president, spoke outside the plant. "
        "Plant manager Susan Reyes declined to comment.\n\n"
        "He said the workers would strike on Friday."
    )
    assert _source_of(analyzer.analyze(text), "strike") == "Robert Lang"


def test_a_running_speaker_keeps_his_quotes(analyzer: Analyzer) -> None:
    text = (
        '"We are ready for the season," said coach Daniel Ortiz. Ortiz praised his captain, '
        "Michael Brandt, for his work over the summer.\n\n"
        '"It has been a long road," he said. "But the players never gave up," he added.'
    )
    analysis = analyzer.analyze(text)
    assert _source_of(analysis, "long road") == "Daniel Ortiz"
    assert _source_of(analysis, "never gave up") == "Daniel Ortiz"


def test_a_pronoun_in_a_fronted_clause_looks_ahead_to_the_subject(analyzer: Analyzer) -> None:
    text = (
        "Mayor John Tory visited the shelter on Sunday.\n\n"
        "Asked what he would tell the mayor, Dennis Brooks said he wanted a home of his own."
    )
    analysis = analyzer.analyze(text)
    assert _source_of(analysis, "home of his own") == "Dennis Brooks"


def test_he_never_goes_to_an_organisation_or_a_place(analyzer: Analyzer) -> None:
    text = (
        "The Ontario government announced new funding for Toronto and Ottawa on Tuesday.\n\n"
        "He said the money would arrive in the spring."
    )
    analysis = analyzer.analyze(text)
    found = [a for a in analysis.attributions if "spring" in a.content.text]
    assert found and found[0].source is not None
    assert found[0].source.entity is None and found[0].source.name == "He"


@pytest.mark.parametrize("pronoun", ["He", "She"])
def test_no_agreeing_person_leaves_the_pronoun_unresolved(analyzer: Analyzer, pronoun: str) -> None:
    gender_other = "Susan Clarke" if pronoun == "He" else "Thomas Clarke"
    text = f"{gender_other} opened the meeting.\n\n{pronoun} said the vote was postponed."
    analysis = analyzer.analyze(text)
    assert _source_of(analysis, "postponed") == pronoun


def test_they_goes_to_the_group_subject_before_it(analyzer: Analyzer) -> None:
    text = (
        "TASS reported the visit on Monday. Western diplomats in Moscow met on Tuesday. "
        "They said the talks had failed."
    )
    assert _source_of(analyzer.analyze(text), "talks had failed") == "Western diplomats in Moscow"
    lone = analyzer.analyze("They said the talks had failed.")
    assert _source_of(lone, "talks had failed") == "They"


def test_a_person_the_model_missed_is_found_by_first_name(analyzer: Analyzer) -> None:
    text = (
        "For Carole Laurin, a series of strokes at age 42 meant she had to leave her job.\n\n"
        '"I think I am lucky because I have a pension," she said.'
    )
    analysis = analyzer.analyze(text)
    assert _source_of(analysis, "pension") == "Carole Laurin"
    assert any(e.name == "Carole Laurin" and e.type == "person" for e in analysis.entities)


def test_a_speaker_pronoun_is_not_someone_named_in_what_it_reports(analyzer: Analyzer) -> None:
    # "Macharia hid, he said": had Macharia said it, he would have said "I hid"
    text = "Ken Njoroge works on the fifth floor.\n\nHiram Macharia hid under a desk, he said."
    assert _source_of(analyzer.analyze(text), "desk") == "Ken Njoroge"
    # but the subject of the reporting clause itself is: "When Kim arrived, he said …"
    text = (
        "Lee Sun spoke first. When Kim Dae-jung arrived at the summit, he said the talks "
        "would go well."
    )
    assert _source_of(analyzer.analyze(text), "talks") == "Kim Dae-jung"


def test_a_description_of_a_person_speaks_for_the_person_it_describes(analyzer: Analyzer) -> None:
    text = (
        "Alfonso Espinos opened the shop in 2017. His customers come from all over the "
        'region.\n\n"One goes on the shelf," says the affable proprietor.'
    )
    assert _source_of(analyzer.analyze(text), "shelf") == "Alfonso Espinos"
    text = 'Dana Whitfield founded the firm.\n\n"We will grow," the 39-year-old founder said.'
    assert _source_of(analyzer.analyze(text), "grow") == "Dana Whitfield"


def test_whoever_opens_a_quotation_with_a_colon_is_the_running_speaker(
    analyzer: Analyzer,
) -> None:
    text = (
        "Dr. Robert Strang says the pills are overused.\n\n"
        'Dave Martell, a doctor on the coast, is more blunt: "We are going to find horrors."\n\n'
        "He says a drug bust is often followed by a rush to the emergency rooms."
    )
    analysis = analyzer.analyze(text)
    assert _source_of(analysis, "horrors") == "Dave Martell"
    assert _source_of(analysis, "drug bust") == "Dave Martell"


def test_a_description_after_a_quotation_speaks_for_the_person_it_describes(
    analyzer: Analyzer,
) -> None:
    text = (
        "Alfonso Espinos opened the store in 2010. “You’re talking about one genre only,” "
        "points out the laid-back Cambridge resident, who moved to Canada 15 years ago."
    )
    (said,) = [a for a in analyzer.analyze(text).attributions if a.cue.text == "points out"]
    assert said.source is not None and said.source.name == "Alfonso Espinos"


def test_it_goes_to_the_organisation_that_spoke_not_the_one_named_since(
    analyzer: Analyzer,
) -> None:
    text = (
        "Northwind Energy said on Monday that 40,000 customers were still without power. "
        "Crews from Hydro Quebec were sent to help.\n\n"
        "It said most homes would be reconnected by Friday."
    )
    analysis = analyzer.analyze(text)
    assert _source_of(analysis, "reconnected") == "Northwind Energy"


def test_its_in_a_fronted_clause_looks_ahead_to_the_organisation(analyzer: Analyzer) -> None:
    text = (
        "Gunmen attacked the hotel on Tuesday, Reuters reported.\n\n"
        "In its statement claiming the attack, the Liberation Front said the hotel had been "
        "chosen because foreign diplomats stayed there."
    )
    analysis = analyzer.analyze(text)
    claims = [a for a in analysis.attributions if "diplomats" in a.content.text]
    assert claims and all(a.source is not None for a in claims)
    assert all("Reuters" not in (a.source.name if a.source else "") for a in claims)


def test_it_after_an_unnamed_body_that_spoke_stays_with_that_body(analyzer: Analyzer) -> None:
    text = (
        "Statistics Canada counted 1,200 new firms in March.\n\n"
        "The parole board decision in the case said the man had behaved well in prison.\n\n"
        "It also said he had completed every program offered to him."
    )
    source = _source_of(analyzer.analyze(text), "completed every program")
    assert source is not None and "Statistics Canada" not in source


def test_a_blank_line_ends_a_sentence_so_a_heading_is_no_subject(analyzer: Analyzer) -> None:
    text = (
        "WATCH: Pop-Tart reportedly starts fire in Missouri home\n\n"
        "Authorities said the driver was stabbed seven times. They said her injuries were "
        "not life-threatening."
    )
    analysis = analyzer.analyze(text)
    for word in ("stabbed", "life-threatening"):
        assert _source_of(analysis, word) == "Authorities"
    doc_sentences = [s for s in analyzer.nlp(text).sents]
    assert any(s.text.startswith("Authorities") for s in doc_sentences)


def test_they_that_reports_a_clause_is_not_that_clauses_subject(analyzer: Analyzer) -> None:
    text = (
        "Union leaders met the minister on Monday. Almost all the savings, they said, would "
        "go back to the workers."
    )
    assert _source_of(analyzer.analyze(text), "workers") == "Union leaders"


def test_a_name_that_is_also_a_place_is_a_person_when_the_text_describes_one(
    analyzer: Analyzer,
) -> None:
    text = (
        "Roman, a fisherman who takes visitors out to Pulau Sebesi, said the sea had been calm "
        "on Saturday evening.\n\n"
        "The damage along the coast was visible from the air.\n\n"
        "He said the second wave was the larger one."
    )
    assert _source_of(analyzer.analyze(text), "second wave") == "Roman"


def test_the_outlet_of_a_dateline_is_no_antecedent_of_it(analyzer: Analyzer) -> None:
    text = (
        "COPENHAGEN, March 12 (Nordic Press Agency) — Oil from a grounded tanker washed "
        "ashore on the beaches of northern Jutland on Friday.\n\n"
        "It said the operator had played down the spill."
    )
    source = _source_of(analyzer.analyze(text), "played down")
    assert source is not None and "Nordic Press Agency" not in source
