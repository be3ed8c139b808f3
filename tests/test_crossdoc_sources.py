"""Across articles: who stands behind a figure — independence with descriptions, revisions
told in the sentence, figures set against another source's, names that hold a number."""

from __future__ import annotations

from newsledger.crossdoc.claims import independence, stand_in_apart
from newsledger.crossdoc.propositions import denial_in
from newsledger.extract.figures import contrast_cue, number_in_name, revision_cue


def test_a_description_beside_a_named_origin_is_a_source_of_its_own() -> None:
    office = ("n:secretary of state office", "secretary of state's office")
    assert independence([office, ("u:b:board", "board")], 2) == "independent"
    assert independence([("e:4", "INEM"), ("u:b:hospital sources", "hospital sources")], 2) == (
        "independent"
    )
    # a stand-in for a named source, a pronoun or the same head word: one source relayed
    assert independence([("e:1", "KCNA"), ("u:b:state media", "state media")], 2) == "relay_only"
    assert independence([("e:1", "Acme"), ("u:b:company", "company")], 2) == "relay_only"
    assert independence([("e:1", "Acme"), ("u:b:it", "It")], 1) == "single"
    assert independence(
        [("n:fnv havens union", "FNV Havens union"), ("u:b:union", "union")], 2
    ) == ("relay_only")
    assert independence([("e:1", "A"), ("e:2", "B")], 1) == "independent"
    # a stand-in that cannot stand for the named origin is a source of its own
    apart = frozenset({"u:b:group"})
    assert independence([("e:1", "Harbour Police"), ("u:b:group", "group")], 2, apart) == (
        "independent"
    )


def test_a_stand_in_stands_for_what_its_own_article_names_and_of_its_kind() -> None:
    # its article does not name the origin: "the group" there is someone else
    assert stand_in_apart("the group", "Harbour Police", mentioned=False)
    # named there, and of a kind the stand-in may be: it may stand for it
    assert not stand_in_apart("the group", "Orvale Holdings", mentioned=True)
    assert not stand_in_apart("the agency", "Coastal Emergency Agency", mentioned=True)
    # an organisation of another kind: a company is no agency
    assert stand_in_apart("the company", "Coastal Emergency Agency", mentioned=True)
    # a pronoun may stand for anything its article names
    assert not stand_in_apart("it", "Coastal Emergency Agency", mentioned=True)


def _at(text: str, figure: str) -> tuple[str, int, int]:
    i = text.index(figure)
    return text, i, i + len(figure)


def test_revision_and_contrast_cues_are_read_from_the_sentence() -> None:
    assert revision_cue(*_at("The board now says 12,300 ballots remain. Later 5 more.", "12,300"))
    assert revision_cue(*_at("It had 28 injured, up from its first count.", "28"))
    assert not revision_cue(
        *_at("The board said 12,300 ballots remain. It now says more.", "12,300")
    )
    assert not revision_cue(*_at("1,500 people had now been evacuated.", "1,500"))
    assert contrast_cue(
        *_at("Its clinics treated 950 people, more than twice the official count.", "950")
    )
    assert contrast_cue(
        *_at("Organisers said 20,000 took part, four times the figure given by police.", "20,000")
    )
    assert not contrast_cue(*_at("Police said 5,000 people marched.", "5,000"))


def test_a_number_inside_a_name_is_no_count() -> None:
    assert number_in_name(*_at("Acme agreed to recall its Cozy 1500 heaters.", "1500"))
    assert not number_in_name(*_at("LISBON — About 500 people marched.", "500"))
    assert not number_in_name(*_at("It closed on June 12 after talks.", "12"))
    assert not number_in_name(*_at("Officials said Tuesday 14 people were hurt.", "14"))
    assert not number_in_name(*_at("Police said 13 people were hurt.", "13"))


def test_denying_verbs_in_their_other_forms() -> None:
    assert denial_in("said", "it had called twice, disputing the chief's account")
    assert not denial_in("said", "it was disputing 40 invoices")


def test_a_word_for_false_denies_only_what_is_said() -> None:
    # it calls what is said false: ending the content or a clause, or before "that" …
    assert denial_in("said", "the reports were baseless")
    assert denial_in("said", "it was untrue that it had discussed selling the wing")
    assert denial_in("said", "the figures were false and misleading")
    assert denial_in("called", "the story fake news")
    # … not when it describes a thing
    assert not denial_in("says", "the ring bought 5,200 seats, using hundreds of fake accounts")
    assert not denial_in("said", "false documents had been filed with the registry")
