"""Quote forms that quotation extractors test themselves on (said-comma quotes, trailing and
inverted cues, colons, quotes split by their cue, continuations, "according to" mid-sentence,
single quotes, relays through "told"): each written here in our own words, each must give
its content with the right source."""

from __future__ import annotations

import pytest

from newsledger.pipeline import Analyzer

CASES = [
    (
        "Morgan McNeely was diagnosed at 24. Still, McNeely said disease can complicate a "
        "relationship.",
        "disease can complicate",
        "McNeely",
    ),
    (
        'Marta Ruiz said, "The river has never been this low."',
        "The river has never been this low",
        "Marta Ruiz",
    ),
    (
        'Marta Ruiz spoke from the dock. "The river has never been this low," she said.',
        "The river has never been this low",
        "Marta Ruiz",
    ),
    ('"The river is dying!" insists Marta Ruiz. "Nobody listens."', "Nobody listens", "Marta Ruiz"),
    (
        '"The river is dying!" insists Marta Ruiz. "Nobody listens."',
        "The river is dying",
        "Marta Ruiz",
    ),
    (
        'Marta Ruiz told reporters: "The river has never been this low."',
        "never been this low",
        "Marta Ruiz",
    ),
    (
        '"The river," said Marta Ruiz, "has never been this low."',
        "has never been this low",
        "Marta Ruiz",
    ),
    (
        "\u201cWe will not give up,\u201d said union leader Tomas Berg.",
        "We will not give up",
        "Tomas Berg",
    ),
    ('Tomas Berg repeated, "Never".', "Never", "Tomas Berg"),
    ('"We are ready!" answer Ortiz and Kamau.', "We are ready", "Ortiz and Kamau"),
    ("'We are ready,' Ortiz said.", "We are ready", "Ortiz"),
    ("The real cost, according to local doctors, is far higher.", "is far higher", "local doctors"),
    (
        "Prices will rise again next year, the central bank warned on Tuesday.",
        "Prices will rise again",
        "central bank",
    ),
    (
        "Mayor Ana Lopez said the bridge would reopen in May.",
        "the bridge would reopen in May",
        "Ana Lopez",
    ),
    (
        '"We lost everything," said Hamid Karimi, a farmer. "The water took the house, the barn."',
        "The water took the house",
        "Hamid Karimi",
    ),
    (
        "Officials said at least 40 people were missing.",
        "at least 40 people were missing",
        "Officials",
    ),
    ('"It was chaos," Karimi told Reuters.', "It was chaos", "Karimi"),
    (
        "Karimi told Reuters that the dam had failed overnight.",
        "the dam had failed overnight",
        "Karimi",
    ),
    (
        "The ministry said in a statement that the dam had been inspected in March.",
        "the dam had been inspected in March",
        "ministry",
    ),
    (
        '"This is a disaster," Ruiz said. "We warned them for years."',
        "We warned them for years",
        "Ruiz",
    ),
    (
        "Ruiz, 54, who has fished the river for decades, said the catch had halved.",
        "the catch had halved",
        "Ruiz",
    ),
    (
        "The catch has halved since 2015, Ruiz said, and the young have left the village.",
        "the young have left the village",
        "Ruiz",
    ),
    (
        "The toll rose to 19, the ministry said on Monday, and the count of cases reached 620.",
        "the count of cases reached 620",
        "ministry",
    ),
    (
        'Marta Ruiz runs the co-operative. Ruiz was blunt: "The river is dying."',
        "The river is dying",
        "Ruiz",
    ),
    (
        '"The river is dying," Ruiz, the head of the fishers\' co-operative, said.',
        "The river is dying",
        "Ruiz",
    ),
    (
        'Asked whether the dam would be rebuilt, Lopez said: "Not this year."',
        "Not this year",
        "Lopez",
    ),
    (
        "In a post on X, the mayor wrote that the road would stay closed.",
        "the road would stay closed",
        "mayor",
    ),
    (
        '"We need help now," Lopez said.\n\n"The army should be here."',
        "The army should be here",
        "Lopez",
    ),
]


@pytest.mark.parametrize(("text", "content", "source"), CASES)
def test_a_quote_form_gives_its_content_and_source(
    analyzer: Analyzer, text: str, content: str, source: str
) -> None:
    found = [
        (a.content.text, a.source.name if a.source else None)
        for a in analyzer.analyze(text).attributions
    ]
    assert any(content in c and s is not None and source in s for c, s in found), found
