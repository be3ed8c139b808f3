"""The SemEval-2018 task 5 conflict reference reader (newsledger.eval.crossdoc)."""

from __future__ import annotations

import pytest

from newsledger.eval.crossdoc import reference_counts, reference_stated


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Two people were killed and three others were wounded.", {"killed": 2, "injured": 3}),
        ("3 dead, 7 hurt when gunman opens fire", {"killed": 3, "injured": 7}),
        ("The gunman killed six people and wounded 13 others.", {"killed": 6, "injured": 13}),
        # a sum of two counts is a count of people at large
        ("Two civilians and one police officer were killed.", {"killed": 3}),
        ("Three girls and two boys were hospitalized.", {"injured": 5}),
        # people at large before a group counted earlier; one person of a group is no toll
        ("Five teens were hit. Three girls were wounded. Seven people were wounded.",
         {"injured": 7}),
        ("A man was found dead in the yard.", {}),
        # increments, parts and partitives are not totals
        ("Two more people were killed later.", {}),
        ("Nine were hurt, including three children who were injured.", {}),
        ("One of the others injured was his brother.", {}),
        # tallies and other incidents
        ("At least 10 people were killed in separate shootings across Chicago.", {}),
        ("A gunman killed 12 people in a theater three years ago.", {}),
        # no count without a noun from "a": "a wounded girl", "a dead-end street"
        ("They found a wounded girl on a dead-end street.", {}),
        # an age is no count
        ("A 13-year-old boy was killed.", {}),
    ],
)  # fmt: skip
def test_reference_counts(text: str, expected: dict[str, int]) -> None:
    assert reference_counts(text) == expected


def test_reference_counts_skip_sentences_of_another_year() -> None:
    text = ("The 2009 shooting left 13 dead and more than 30 injured. "
            "The 2014 shooting left four dead and 16 others injured.")  # fmt: skip
    assert reference_counts(text, 2014) == {"killed": 4, "injured": 16}
    assert reference_counts(text) == {"killed": 13, "injured": 30}


def test_reference_stated_keeps_every_count_of_the_incident() -> None:
    text = ("Two people were killed on Sunday. Police later said three people were killed "
            "and four others were wounded. Two more people were killed later. "
            "At least 10 people were killed in separate shootings across Chicago.")  # fmt: skip
    assert reference_counts(text) == {"killed": 2, "injured": 4}
    assert reference_stated(text) == {"killed": {2, 3}, "injured": {4}}
    assert reference_stated("A man was found dead in the yard.") == {}
