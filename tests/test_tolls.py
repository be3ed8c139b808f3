"""The toll an article states for its own incident, read from its lead (extract.tolls)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsledger.extract.tolls import read_tolls

HEAD = "Shooting on Main Street\n"


def _values(text: str) -> dict[str, int]:
    return {kind: t.value for kind, t in read_tolls(text).items()}


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("Two men were killed and three people wounded in a shooting on Saturday.",
         {"killed": 2, "injured": 3}),
        ("A woman was shot and killed Tuesday night. No one else was hurt, police said.",
         {"killed": 1, "injured": 0}),
        ("Four people were shot, one fatally, early Sunday outside a bar.",
         {"killed": 1, "injured": 3}),
        ("Police said two of the five shooting victims have died.",
         {"killed": 2, "injured": 3}),
        ("A man shot three police officers - one fatally - on Saturday.",
         {"killed": 1, "injured": 2}),
        ("Three people are dead, including the gunman, after a shooting spree.",
         {"killed": 2}),
        ("The rampage left one person dead, two police officers wounded and three others "
         "injured.", {"killed": 1, "injured": 5}),
        ("Thirteen people were shot during a house party. All are expected to survive.",
         {"injured": 13}),
        ("A 16-year-old has died after being shot at a home in Killingly.", {"killed": 1}),
        ("Five people were shot Saturday, but none fatally.", {"killed": 0, "injured": 5}),
        ("Bobbie Odneal III, 23, was found dead on a sidewalk when officers arrived.",
         {"killed": 1}),
    ],
)  # fmt: skip
def test_lead_tolls(lead: str, expected: dict[str, int]) -> None:
    assert _values(HEAD + lead) == expected


@pytest.mark.parametrize(
    "lead",
    [
        # tallies, running totals, tolls taken back: not this incident's latest toll
        "Police are investigating a pair of shootings that have left two people dead.",
        "At least 40 people have been shot in the city this year, six fatally.",
        "Authorities initially said six people were shot and one was killed.",
        # others to a count of an earlier sentence
        "Two others were wounded.",
        # the attacker killed by police is no victim
        "Police shot and killed a man who opened fire at a gas station.",
        "The suspect, John Smith, 31, was fatally shot by police officers on Monday.",
        # ages and clock times are no counts
        "0:43 Homeless man found in park; suspect arrested",
    ],
)
def test_no_toll_from_other_counts(lead: str) -> None:
    assert _values(HEAD + lead) == {}


def test_shot_are_injured_only_when_the_lead_speaks_of_no_death() -> None:
    assert _values(HEAD + "Five people were shot on Friday. All are stable.") == {"injured": 5}
    died = _values(HEAD + "Five people were shot on Friday. One of the victims later died.")
    assert died == {"killed": 1}


def test_only_the_lead_is_read() -> None:
    filler = "The neighborhood has seen several robberies in recent months. " * 20
    text = HEAD + "Police are investigating a shooting on Main Street. " + filler
    assert _values(text + "Two people were killed.") == {}
    assert _values(HEAD + "Two people were killed. " + filler) == {"killed": 2}


def test_related_story_headline_is_not_the_toll() -> None:
    text = (
        HEAD
        + "A man was wounded on Main Street on Sunday, police said.\n"
        + "2 killed, 22 injured in shooting at Texas house party\n"
        + "He is expected to survive."
    )
    assert _values(text) == {"injured": 1}


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Two men were killed",
                "a woman was shot and killed",
                "Four people were shot",
                "one fatally",
                "No one else was hurt",
                "three others injured",
                "A 23-year-old man",
                "including the gunman",
                "police said",
                "on Saturday",
                ",",
                ".",
                "\n",
                " and ",
                "in 2009",
                "this year",
                "0:43",
                "Smith, 23, was found dead",
            ]
        ),
        max_size=14,
    ).map(" ".join)
)
def test_spans_hold(text: str) -> None:
    for kind, toll in read_tolls(text).items():
        assert kind == toll.kind
        assert text[toll.start : toll.end] == toll.text
        assert toll.value >= 0


@pytest.mark.parametrize(
    "lead",
    [
        # were the nine shot besides the dead man, or with him? Left unread.
        "Nine people were shot and one man was killed on Bourbon Street.",
        # victims one by one: no count of all the injured
        "One man was shot in the chest, one man was shot in the leg.",
    ],
)
def test_ambiguous_injured_are_left_unread(lead: str) -> None:
    assert "injured" not in _values(HEAD + lead)
