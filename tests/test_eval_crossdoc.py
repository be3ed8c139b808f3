"""The SemEval-2018 task 5 conflict reference reader (newsledger.eval.crossdoc)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsledger.errors import DataNotFound
from newsledger.eval import checkout
from newsledger.eval.crossdoc import (
    HandCount,
    SemEvalDoc,
    _false_by_hand,
    _figures_by_hand,
    _Found,
    _score_conflicts,
    _slices,
    default_data_dir,
    load_hand_counts,
    reference_counts,
    reference_stated,
)


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


def _doc(doc_id: str, incident: str, **counts: int) -> SemEvalDoc:
    return SemEvalDoc(doc_id, incident, None, None, "", dict(counts),
                      {k: {v} for k, v in counts.items()})  # fmt: skip


def _hand(
    killed: int | None, injured: int | None, *, about: bool = True, random: bool = False
) -> HandCount:
    return HandCount(about, killed, injured,
                     frozenset(() if killed is None else (killed,)),
                     frozenset(() if injured is None else (injured,)), random)  # fmt: skip


def test_hand_counts_judge_conflicts_and_recall() -> None:
    docs = {d.doc_id: d for d in (
        _doc("a1", "A", killed=7), _doc("a2", "A", killed=6),  # the reader sees 7 vs 6
        _doc("b1", "B", injured=4), _doc("b2", "B", injured=5),
        _doc("c1", "C", killed=2), _doc("c2", "C", killed=2),
    )}  # fmt: skip
    hand = {
        "a1": _hand(6, None), "a2": _hand(6, None),  # by hand: 7 included the gunman
        "b1": _hand(None, 4), "b2": _hand(None, 5),  # a real disagreement
        "c1": _hand(2, 3, random=True), "c2": _hand(2, 1, random=True),  # drawn at random
    }  # fmt: skip
    found = [
        _Found("a1", "a2", "killed", ("7", "6")),
        _Found("b1", "b2", "injured", ("4", "5")),
        _Found("b1", "c1", "injured", ("4", "3")),  # two incidents: false whatever the counts
    ]
    scores = _score_conflicts(found, {"A", "B", "C"}, docs, hand)
    h = scores["hand"]
    assert (scores["reported"], scores["false"]) == (3, 1)  # the reader believes a1/a2
    assert (h["judged"], h["false"]) == (3, 2)
    assert (h["disagreeing_incidents"], h["surfaced"], h["surfaced_true"]) == (2, 1, 1)
    assert h["recall_true"] == 0.5
    # C, drawn at random, disagrees on the injured and no conflict joins its articles
    assert (h["random_incidents_read"], h["random_disagreeing"]) == (1, 1)
    assert h["random_surfaced_true"] == 0
    # the false ones are listed for error analysis, only within the incidents asked for
    listed = _false_by_hand(found, {"A", "B", "C"}, docs, hand)
    assert [e["articles"] for e in listed] == [["a1", "a2"], ["b1", "c1"]]
    assert listed[0]["hand_killed"] == [6, 6]
    assert [e["articles"] for e in _false_by_hand(found, {"A"}, docs, hand)] == [["a1", "a2"]]
    # an article nobody read leaves its conflicts unjudged, not false
    del hand["b2"]
    assert _score_conflicts(found, {"B"}, docs, hand)["hand"]["unjudged"] == 1


def test_figures_are_checked_against_the_hand_tolls() -> None:
    docs = {"a": _doc("a", "A"), "b": _doc("b", "A")}
    died = HandCount(True, 2, 3, frozenset({2}), frozenset({3}), attacker_died=True)
    hand = {"a": died, "b": _hand(None, 1)}

    def fig(kind: str, value: float, bound: float = 0.0) -> dict:
        return {"key": f"people/{kind}", "lo": value - 0.01, "hi": value + bound + 0.01}

    figures = [
        ("a", fig("killed", 2)),  # the toll
        ("a", fig("killed", 3)),  # the toll with the attacker, who died
        ("a", fig("injured", 5)),  # not a toll the article states
        ("a", fig("injured", 2, bound=1.5)),  # "at least two": allows 3
        ("b", fig("killed", 1)),  # b states no count of the dead
        ("b", fig("injured", 1)),
    ]
    f = _figures_by_hand(figures, {"A"}, docs, hand)
    assert (f["right"], f["wrong"], f["no_hand_toll"]) == (4, 1, 1)
    assert _figures_by_hand(figures, {"B"}, docs, hand)["right"] == 0


def test_hand_counts_file_errors_name_the_line(tmp_path: Path) -> None:
    good = {"doc_id": "x", "incident": "1", "about": True, "killed": 2, "injured": None,
            "killed_all": [1, 2], "injured_all": []}  # fmt: skip
    path = tmp_path / "hand.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "about": False}) + "\n")
    [x] = load_hand_counts(path).values()
    assert x.killed is None and not x.killed_all  # the last line wins; "about": false
    path.write_text(json.dumps(good) + "\n{not json\n")
    with pytest.raises(ValueError, match=r"hand\.jsonl, line 2"):
        load_hand_counts(path)
    with pytest.raises(DataNotFound, match=r"hand counts not found: .*absent\.jsonl"):
        load_hand_counts(tmp_path / "absent.jsonl")


def test_shipped_hand_counts_are_well_formed() -> None:
    hand = load_hand_counts()
    assert len(hand) >= 900
    assert sum(h.random for h in hand.values()) >= 500  # incidents drawn at random
    for h in hand.values():
        for value, every in ((h.killed, h.killed_all), (h.injured, h.injured_all)):
            assert value is None or value >= 0
            assert value is None or not every or value in every or value == 0


def test_fresh_hand_counts_are_a_slice_of_their_own(tmp_path: Path) -> None:
    line = {"incident": "1", "about": True, "killed": 1, "injured": None,
            "killed_all": [1], "injured_all": []}  # fmt: skip
    path = tmp_path / "hand.jsonl"
    path.write_text("\n".join(json.dumps({**line, "doc_id": d, "picked": p}) for d, p in (
        ("a", "fresh"), ("b", "random"), ("c", "flagged"), ("d", "fresh"),
    )) + "\n")  # fmt: skip
    hand = load_hand_counts(path)
    assert [d for d, h in sorted(hand.items()) if h.fresh] == ["a", "d"]
    assert [d for d, h in sorted(hand.items()) if h.random] == ["b"]
    docs = {d.doc_id: d for d in (_doc("a", "A"), _doc("b", "B"), _doc("c", "C"), _doc("d", "D"))}
    rank = {"A": 5, "B": 10, "C": 950, "D": 990}
    slices = _slices({"A", "B", "C", "D"}, rank, docs, hand)
    # incidents read once the rules were set count in neither development nor held-out
    assert slices == {"development": {"B"}, "held_out": {"C"}, "fresh": {"A", "D"}}


def test_evaluation_data_is_found_in_the_checkout() -> None:
    assert checkout.eval_data_file("semeval_hand_counts.jsonl").parts[-3:] == (
        "eval", "data", "semeval_hand_counts.jsonl",
    )  # fmt: skip
    with pytest.raises(DataNotFound, match="evaluation data not found"):
        checkout.eval_data_file("absent.jsonl")


def test_outside_a_checkout_the_evaluation_data_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # as installed from a wheel: site-packages/newsledger/eval/checkout.py
    fake = tmp_path / "site-packages" / "newsledger" / "eval" / "checkout.py"
    monkeypatch.setattr(checkout, "__file__", str(fake))
    monkeypatch.chdir(tmp_path)
    for find in (load_hand_counts, checkout.shared_data_dir, default_data_dir):
        with pytest.raises(DataNotFound, match="not run from a repository checkout"):
            find()


def test_the_toll_facet_of_a_conflict_is_read_whatever_its_measure() -> None:
    from newsledger.eval.crossdoc import toll_facet

    assert toll_facet("people/killed: '2 people' vs '3 people' (…)") == "killed"
    assert toll_facet("people/injured (people wound): 'three people' vs …") == "injured"
    assert toll_facet("troops/killed_or_injured: …") == "killed_or_injured"
    assert toll_facet("m/total (block of street): '3200 block' vs …") is None
    assert toll_facet("m/total (people killed): …") is None
