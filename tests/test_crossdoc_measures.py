"""Which figures of a story count the same thing: persons under any noun, exclusive states of
one counted noun, a verb that belongs to the next figure."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from test_crossdoc_common import disputed_values, ledger_of

from newsledger.crossdoc.figures import (
    MEASURE_FEATURES,
    bare_unit,
    counts_persons,
    exclusive_measures,
    measure_chance,
    measure_features,
    measure_model,
)
from newsledger.crossdoc.stories import HashedWords
from newsledger.extract.figures import build_figure
from newsledger.ledger import Ledger
from newsledger.ledger.claims import ClaimIndex
from newsledger.pipeline import Analyzer


def _articles_by_claim(ledger: Ledger, value: float) -> list[tuple[int, int]]:
    """(claim, number of articles) of the claims whose members state ``value``."""
    return [
        (r[0], r[1]) for r in ledger.con.execute(
            "SELECT claim_id, COUNT(DISTINCT article_id) FROM claim_members"
            " WHERE value = ? GROUP BY claim_id", (value,),
        )
    ]  # fmt: skip


def test_states_of_one_counted_noun_that_exclude_each_other() -> None:
    assert exclusive_measures("absentee ballot remain", "absentee ballot reject")
    assert exclusive_measures("repair cost", "repair save")
    assert not exclusive_measures("absentee ballot remain", "absentee ballot remain count")
    assert not exclusive_measures("job cut", "layoff")  # no counted noun in common
    assert not exclusive_measures("people evacuate", "people displace")
    assert exclusive_measures("flight add", "flight cancel")  # added, not cancelled


def test_a_measure_that_is_only_a_unit_names_nothing_counted() -> None:
    assert bare_unit("tonne") and bare_unit("tonnes") and bare_unit("dollar")
    assert not bare_unit("catch of tonne recommend") and not bare_unit("ballot")


@pytest.mark.model
def test_a_bare_unit_is_not_compared_with_what_another_figure_counts(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "q1": ("2026-10-01", "Harbour Post", "LERWICK — The Shetland Catchers' Association "
               "said its mackerel quota is already being cut by 38,000 tonnes, after the North "
               "Atlantic Stock Council met in Lerwick on Monday."),
        "q2": ("2026-10-02", "Island Record", "LERWICK — The North Atlantic Stock Council, "
               "which met in Lerwick on Monday, recommended a total catch of 612,000 tonnes of "
               "mackerel, the Shetland Catchers' Association said."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        values = disputed_values(ledger)
        assert frozenset(("38,000", "612,000")) not in values


def test_a_count_of_persons_by_any_person_noun() -> None:
    assert counts_persons({"key": "m/injured", "counted": "miners"})
    assert counts_persons({"key": "people/killed", "counted": None})
    assert not counts_persons({"key": "m/total", "counted": "tonnes"})


def test_a_verb_after_and_belongs_to_the_next_figure() -> None:
    text = "The fever has infected 230 people and killed 7 since March, officials said."
    i = text.index("230 people")
    fig = build_figure(text, i, i + 10, len(text), {"value": 230, "unit": "people"})
    assert fig is not None and fig.facet != "killed"
    text = "Three people were killed and 5 injured in the crash."
    i = text.index("Three people")
    fig = build_figure(text, i, i + 12, len(text), {"value": 3, "unit": "people"})
    assert fig is not None and fig.facet == "killed"


@pytest.mark.model
def test_workers_and_people_injured_are_one_count_remaining_and_rejected_are_not(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "m1": ("2026-09-03", "Valley Post", "An explosion at the Orlen Mining colliery near "
               "Tarnow on Thursday injured 15 miners, the mine rescue service said. The county "
               "clerk said 9,800 absentee ballots remained to be counted in the local vote."),
        "m2": ("2026-09-04", "Tarnow Daily", "Police said 22 people had been injured in "
               "Thursday's explosion at the Orlen Mining colliery near Tarnow. The county clerk "
               "said 640 absentee ballots had been rejected for late postmarks."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        found = disputed_values(ledger, ("quantity", "revision"))
        assert frozenset(("15", "22")) in found
        assert frozenset(("9,800", "640")) not in found


@pytest.mark.model
def test_counts_ten_times_apart_or_a_noun_alone_are_not_one_count(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "p1": ("2026-01-12", "Harbour Post", "DUBLIN — Some 620 pharmacies across Ireland have "
               "run out of children's amoxicillin, the Pharmacy Owners' Association said on "
               "Monday, citing a survey in which more than 1,100 pharmacies took part. The "
               "National Medicines Supply Office said supplies of amoxicillin would improve."),
        "p2": ("2026-01-13", "Island Record", "DUBLIN — Just 240 pharmacies across Ireland have "
               "run out of children's amoxicillin, the National Medicines Supply Office said on "
               "Tuesday, well below the figure of the Pharmacy Owners' Association. \"Nobody "
               "should have to visit three pharmacies with a sick child,\" one mother said."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        values = disputed_values(ledger)
        assert frozenset(("620", "240")) in values  # the dispute
        assert frozenset(("620", "3")) not in values and frozenset(("240", "3")) not in values
        assert frozenset(("1,100", "240")) not in values  # who took part is another count


@pytest.mark.model
def test_one_small_count_of_one_noun_from_two_sources_corroborates(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "b1": ("2026-08-10", "Harbour Post", "LAMPEDUSA — The island's coast guard said its "
               "patrol boats had intercepted or escorted 46 boats into the harbour over the "
               "three days, many of them small iron vessels from Tunisia. The rescue charity "
               "Mare Aperto said arrivals on Lampedusa had doubled."),
        "b2": ("2026-08-11", "Island Record", "LAMPEDUSA — The rescue charity Mare Aperto, "
               "which flies surveillance aircraft over the central Mediterranean, said its "
               "crews had logged 46 boats reaching the island over the three days. The coast "
               "guard on Lampedusa said arrivals from Tunisia had doubled."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        shared = _articles_by_claim(ledger, 46)
        assert any(n == 2 for _, n in shared), shared


@pytest.mark.model
def test_counts_in_a_unit_of_their_own_are_compared_by_what_they_measure(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "c1": ("2026-09-07", "Harbour Post", "NEWCASTLE — The cargo ship Tasman Reach lost 52 "
               "containers overboard in a storm off the coast on Sunday, the Australian Maritime "
               "Safety Authority said. It was carrying 2,900 containers when it left Melbourne "
               "on Friday, the authority said."),
        "c2": ("2026-09-08", "Island Record", "NEWCASTLE — The owner of the Tasman Reach said on "
               "Monday that 35 containers had gone overboard in Sunday's storm, fewer than the "
               "52 counted by the Australian Maritime Safety Authority."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        values = disputed_values(ledger, ("quantity",))
        assert frozenset(("52", "35")) in values  # the containers lost
        # the ship's load is another count, not a dispute of how many were lost
        assert not any("2,900" in pair for pair in values)


def _fig(value: float, **kw: object) -> dict[str, object]:
    return {"key": "general/total", "value": value, **kw}


def test_pair_features_read_values_positions_and_cues() -> None:
    a = _fig(4500, at=0.05, contrast=False)
    b = _fig(11000, at=0.4, contrast=True)
    feats = dict(zip(MEASURE_FEATURES, measure_features(a, b, (0.3, 0.6, 0.5)), strict=True))
    assert feats["measure"] == 0.3 and feats["context"] == 0.6 and feats["counted"] == 0.5
    assert feats["log_ratio"] == pytest.approx(math.log(11000 / 4500))
    assert feats["later"] == 0.4 and feats["contrast"] == 1.0 and feats["same_key"] == 1.0
    # a figure stored before positions were kept stands mid-text; values a world apart cap
    old = dict(zip(MEASURE_FEATURES, measure_features(_fig(1), _fig(1e9), (0, 0, 0)), strict=True))
    assert old["later"] == 0.5 and old["log_ratio"] == 3.0


def test_the_pair_model_weighs_meaning_closeness_and_place() -> None:
    assert measure_model()["features"] == list(MEASURE_FEATURES)
    near = measure_features(_fig(4500, at=0.05), _fig(5200, at=0.1), (0.6, 0.7, 0.8))
    far = measure_features(_fig(4500, at=0.05), _fig(90, at=0.1), (0.6, 0.7, 0.8))
    late = measure_features(_fig(4500, at=0.9), _fig(5200, at=0.95), (0.6, 0.7, 0.8))
    unlike = measure_features(_fig(4500, at=0.05), _fig(5200, at=0.1), (0.1, 0.1, 0.2))
    chance = measure_chance(near)
    assert 0.0 <= measure_chance(unlike) < chance <= 1.0
    # values far apart, or figures deep in their texts, are less likely one count
    assert measure_chance(far) < chance and measure_chance(late) < chance
    model = {"features": list(MEASURE_FEATURES), "weights": [0.0] * 9, "bias": 0.0}
    assert measure_chance(near, model) == 0.5


@pytest.mark.model
def test_one_count_in_other_words_is_disputed_by_the_pair_model(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    # "flats … receiving heating only at night" / "apartments … getting heat no more than a
    # few hours a night": no lemma in common, no contrast cue; the learned pair model reads
    # them as one count
    texts = {
        "h1": ("2026-03-02", "Baltic Courier", "TALLINN — About 2,400 flats in the Lasnamäe "
               "district were receiving heating only at night on Tuesday, the city's heating "
               "utility said, after a boiler failed."),
        "h2": ("2026-03-03", "Harbour Wire", "TALLINN — A tenants' group said on Wednesday "
               "that 3,900 apartments in Lasnamäe were getting heat no more than a few hours a "
               "night."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        values = disputed_values(ledger)
    assert frozenset(("2,400", "3,900")) in values


@pytest.mark.model
def test_one_value_with_a_fraction_of_one_noun_from_two_sources_corroborates(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    # "reached 41.3 degrees" / "a peak of 41.3 degrees": a unit alone names no measure, but a
    # value with a fraction, of one noun, in one story rarely repeats by chance
    texts = {
        "t1": ("2026-07-20", "Valley Post", "CORDOBA — The state weather service said the "
               "thermometer at Cordoba airport reached 41.3 degrees Celsius on Sunday "
               "afternoon, the highest reading there this summer."),
        "t2": ("2026-07-21", "Southern Wire", "CORDOBA — The city's own network of street "
               "sensors recorded a peak of 41.3 degrees on Sunday afternoon, a spokesman for "
               "Cordoba city council said, adding that pavements were hotter still."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        shared = _articles_by_claim(ledger, 41.3)
        assert any(n == 2 for _, n in shared), shared


@pytest.mark.model
def test_one_value_of_two_nouns_of_one_meaning_from_two_sources_corroborates(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "p1": ("2026-03-02", "Dublin Wire", "DUBLIN — Shannonair agreed on Monday to buy the "
               "regional carrier Kestrel Air. The combined company will have a fleet of 64 "
               "aircraft, Shannonair said in a statement to the stock exchange."),
        "p2": ("2026-03-04", "Aviation Daily", "The two carriers together operate 64 planes, "
               "said Routewise Analytics, a data firm that tracks airline fleets, after "
               "Shannonair agreed to buy Kestrel Air this week."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        shared = _articles_by_claim(ledger, 64.0)
        assert any(n == 2 for _, n in shared), shared


def test_two_counted_nouns_that_name_two_things_are_never_one_count() -> None:
    # hashed word vectors: "degrees" and "runners" share nothing; the values are close, the
    # figures early in their texts, yet they count two things
    index = ClaimIndex(sqlite3.connect(":memory:"), HashedWords())
    heat = {
        "key": "m/total",
        "value": 29.0,
        "counted": "degrees",
        "measure": "temperature climb",
        "context": "after temperatures climbed to N degrees during the race",
        "at": 0.05,
    }
    taken = {
        "key": "m/total",
        "value": 27.0,
        "counted": "runners",
        "measure": "runner take",
        "context": "its crews took N runners to hospital during the race",
        "at": 0.08,
    }
    also = {**taken, "value": 31.0, "context": "N runners were taken to hospital during the race"}
    assert index.measure_features(heat, taken) is not None  # what the trainer sees
    assert index.measure_chance(heat, taken) == 0.0
    assert index.measure_chance(taken, also) > 0.0


class _Chances(ClaimIndex):
    """A claim index whose pair model is a table of chances between figure texts."""

    def __init__(self, chances: dict[frozenset[str], float]) -> None:
        super().__init__(sqlite3.connect(":memory:"), HashedWords())
        self.chances = chances

    def measure_chance(self, a: dict[str, Any], b: dict[str, Any]) -> float:
        return self.chances.get(frozenset((a["text"], b["text"])), 0.0)


def _stated(text: str, value: float) -> dict[str, Any]:
    return {"key": "m/total", "value": value, "lo": value, "hi": value, "text": text}


def test_a_count_answers_the_count_of_the_other_report_that_is_likeliest_its_own() -> None:
    treated, dozens = _stated("84 runners treated", 84), _stated("dozens needed help", 36)
    taken, attended = _stated("27 taken to hospital", 27), _stated("212 attended to", 212)
    index = _Chances({
        frozenset((treated["text"], taken["text"])): 0.81,
        frozenset((treated["text"], attended["text"])): 0.64,
        frozenset((dozens["text"], taken["text"])): 0.99,
        frozenset((dozens["text"], attended["text"])): 0.09,
        frozenset((taken["text"], attended["text"])): 0.34,  # one report tells them apart
        frozenset((treated["text"], dozens["text"])): 0.53,
    })  # fmt: skip
    index.figures = {"x": [treated, dozens], "y": [taken, attended]}
    # 27 counts what "dozens" counts, not what 84 counts: 84 answers 212
    assert not index.counterparts(("x", treated), ("y", taken))
    assert index.counterparts(("x", treated), ("y", attended))
    assert index.counterparts(("y", taken), ("x", dozens))
    # a report that gives two sources' counts of one thing tells neither apart
    police, organisers = _stated("5,000", 5000), _stated("20,000", 20000)
    drones = _stated("9,500", 9500)
    index = _Chances({
        frozenset(("5,000", "20,000")): 0.9,
        frozenset(("5,000", "9,500")): 0.6,
        frozenset(("20,000", "9,500")): 0.8,
    })  # fmt: skip
    index.figures = {"x": [police], "y": [organisers, drones]}
    assert index.counterparts(("x", police), ("y", drones))
    # a report that also gives the other's value: that value is no other thing counted
    union, regulator, again = _stated("90m", 90e6), _stated("55m", 55e6), _stated("55m ", 55e6)
    index = _Chances({
        frozenset(("90m", "55m")): 0.49,
        frozenset(("55m ", "55m")): 0.76,
        frozenset(("55m ", "90m")): 0.61,
    })  # fmt: skip
    index.figures = {"x": [again], "y": [union, regulator]}
    assert index.counterparts(("x", again), ("y", union))
