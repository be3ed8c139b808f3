"""What a figure measures, read from the parse (newsledger/extract/measures.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsledger.ledger import Ledger
from newsledger.model import Analysis
from newsledger.pipeline import Analyzer


def measures(analyzer: Analyzer, text: str) -> dict[str, str | None]:
    record: Analysis = analyzer.analyze(text)
    for q in record.quantities:
        assert text[q.start : q.end] == q.text
    return {q.text: q.measure for q in record.quantities}


@pytest.mark.parametrize(
    ("text", "figure", "measure"),
    [
        # the counted noun and the verb that scopes it, passive or active
        ("The board said 2,100 applications had been rejected.", "2,100 applications",
         "application reject"),
        ("Election officials said 3,412 ballots were rejected in the count.", "3,412 ballots",
         "ballot reject"),
        ("The company will cut 1,200 jobs at its Ohio plant.", "1,200 jobs", "job cut"),
        ("Acme is recalling 48,000 space heaters after reports of fires.",
         "48,000 space heaters", "space heater recall"),
        # a qualifier, on the noun or on the copula
        ("About 12,000 households were without power on Tuesday.", "About 12,000 households",
         "household without power"),
        ("The fire burned 12,000 hectares of forest.", "12,000 hectares",
         "hectare of forest burn"),
        # hedges and totals are not part of what is counted
        ("North Korea sent an estimated total of 14,000 troops.",
         "an estimated total of 14,000 troops", "troop send"),
        # a level verb states the figure: the noun it governs is the measure
        ("The death toll rose to 19 on Monday.", "19", "death toll"),
        ("Organisers put the crowd at 25,000.", "25,000", "crowd"),
        ("Unemployment rose to 4.5 percent.", "4.5 percent", "unemployment"),
        # money measures what it is paid for
        ("The repairs will cost $52 million, the company said.", "$52 million", "repair cost"),
        ("The cost of the repairs was put at $40 million.", "$40 million", "cost of repair"),
        # a sum in a currency named by a noun, too: "euros" is no thing counted
        ("The city council put the damage to benches at 60,000 euros.", "60,000 euros",
         "damage"),
        # "an estimated" is a hedge, whatever its lemma
        ("The operator said an estimated 180 tonnes of fuel oil had escaped.",
         "an estimated 180 tonnes", "tonne of fuel oil escape"),
        # a name before the counted noun is whose, not what; a participle after it scopes it
        ("The group counted 310 Aerlinn Skyways flights cancelled from Thursday to Sunday.",
         "310 Aerlinn Skyways flights", "flight cancel"),
        ("Its rival said it had added 22 flights to Alpine destinations.", "22 flights",
         "flight add"),
        # a source puts a thing at a count of people: the thing is the measure
        ("Police put Saturday's attendance at the festival at about 38,000 people.",
         "about 38,000 people", "attendance"),
        # the recipients of an act: the verb scopes them
        ("Food banks handed out emergency parcels to 14,600 people in October.",
         "14,600 people", "people hand out"),
        # a figure set against a target measures the gap
        ("The tram project is C$412 million over its approved budget, the auditor said.",
         "C$412 million", "budget overrun"),
        # a word for a count measures what it counts, with the clause on it
        ("The agency put the number of people who crossed the border overnight at 1,800.",
         "1,800", "people cross"),
        ("The number of patients admitted to the clinic last week was close to 300, the "
         "doctors said.", "close to 300", "patient admit"),
        # the state a verb gives the counted thing, and a phrasal verb in the passive
        ("Officials said 31 schools remain closed after the storm.", "31 schools",
         "school closed"),
        ("At least 19 climbers are still unaccounted for, the rescuers said.",
         "At least 19 climbers", "climber unaccounted"),
        ("Police said 26 people were listed as missing.", "26 people", "people miss"),
        ("The hospital said 88 operations were put off this week.", "88 operations",
         "operation put off"),
        # a part measures what it is a part of, however far the parser put it
        ("The office said 27 of the province's 43 towns were now rationed.", "27",
         "town ration"),
        # a sum something is worth: the thing and its worth
        ("The paintings were worth 3 million euros, the museum said.", "3 million euros",
         "painting worth"),
        # a sum that is the object of an act, with a pronoun for its subject: the act
        ("The trust said it had lost £12 million on the bond deal.", "£12 million", "lose"),
        ("The insurers said they had paid out $7 million so far.", "$7 million", "pay out"),
        # what a count had to do, or was told to: the act, not the obligation
        ("Seventy households have had to leave their homes, a residents' committee said.",
         "Seventy households", "household leave"),
        ("About 40 homes were told to evacuate before dawn, the utility said.",
         "About 40 homes", "home evacuate"),
        # "at close to": the count is still given for the thing put at it
        ("Its members put the number of fish that got out at close to 80,000.",
         "close to 80,000", "fish get out"),
    ],
)  # fmt: skip
def test_the_measure_of_a_figure(analyzer: Analyzer, text: str, figure: str, measure: str) -> None:
    assert measures(analyzer, text)[figure] == measure


def test_a_figure_compared_with_another_is_no_gap(analyzer: Analyzer) -> None:
    found = measures(analyzer, "The loss was 31,000 hectares, well above the government's "
                     "figure, the group said.")  # fmt: skip
    assert found["31,000 hectares"] != "figure overrun"


def test_the_same_thing_counted_in_other_words_reads_the_same(analyzer: Analyzer) -> None:
    a = measures(analyzer, "Officials said 3,412 ballots were rejected.")["3,412 ballots"]
    b = measures(analyzer, "The commission rejected 3,000 ballots.")["3,000 ballots"]
    assert a == b == "ballot reject"


def test_a_figure_of_nothing_named_has_no_measure(analyzer: Analyzer) -> None:
    assert measures(analyzer, "He paid $5 million.")["$5 million"] is None


def test_measures_survive_the_ledger_and_json(analyzer: Analyzer, tmp_path: Path) -> None:
    record = analyzer.analyze("The company will cut 1,200 jobs.", id="a")
    again = Analysis.from_dict(json.loads(record.to_json()), text=record.text)
    assert [q.measure for q in again.quantities] == ["job cut"]
    with Ledger(tmp_path / "l.db") as ledger:
        ledger.add(record)
        stored = ledger.get("a")
    assert stored is not None and [q.measure for q in stored.quantities] == ["job cut"]


@pytest.mark.parametrize(
    ("text", "figure", "measure"),
    [
        # elliptical: in the first figure's sentence, after a counting verb, or "the same
        # number"
        ("Police put the crowd at about 5,000 and organisers at 20,000.", "20,000", "crowd"),
        ("Police put the crowd at about 5,000. A drone count estimated 9,500.",
         "estimated 9,500", "crowd"),
        ("Engineers tested 214 private wells. Lawyers said the same number, 214, had been "
         "sampled.", "214", "private well test"),
        # a bare number elsewhere counts nothing named
        ("Two men were shot on Friday. Officers said the suspect was wearing a shirt with 25 on "
         "the back.", "25", "shirt wear"),
        ("Two men were shot on Friday. Police said he was arrested, and 25 of them later left.",
         "25", None),
        # ages and numbers a person does not measure
        ("Two men, ages 28 and 25, were shot around midnight.", "28", None),
        ("Two men, ages 28 and 25, were shot around midnight.", "25", None),
        ("Three women were taken to hospital. The women are 36, 23 and 21, police said.", "36",
         None),
        ("A boy, aged 17, was hurt in the crash.", "17", None),
        ("Smith called 911 and waited on the phone.", "911", None),
    ],
)  # fmt: skip
def test_a_bare_number_takes_the_thing_counted_before_it_only_where_elliptical(
    analyzer: Analyzer, text: str, figure: str, measure: str | None
) -> None:
    assert measures(analyzer, text).get(figure, "not read") == measure
