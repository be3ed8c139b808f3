"""Across articles on any story: stories, figures of anything counted, revisions, verdicts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from test_crossdoc_common import disputed_values, ledger_of, make_ledger, record, snapshot

from newsledger.crossdoc.claims import stated_count, value_key
from newsledger.crossdoc.propositions import Proposition, denial_in, per_figure
from newsledger.crossdoc.stories import (
    StoryArticle,
    StoryRules,
    best_story,
    merge_plan,
    story_matches,
    story_score,
)
from newsledger.extract.figures import Figure
from newsledger.ledger import conflicts, crossdoc_store
from newsledger.ledger.claims import ClaimIndex, list_claims
from newsledger.ledger.store import Ledger
from newsledger.ledger.stories import story_of
from newsledger.pipeline import Analyzer

RULES = StoryRules(
    window_days=10, follow_up_days=45, similar_follow_up=0.6, follow_up_shared=2.0,
    similar_follow_up_close=0.75, follow_up_close_shared=1.5,
    similar=0.45, similar_place=0.65, similar_alone=0.8, similar_many=0.35,
    many=2, place_weight=0.5, lead_chars=600, compared=20, merge_similar=0.7,
    merge_names=1, merge_max_articles=20,
)  # fmt: skip


def _article(aid: str, day: int, vector: list[float], names=(), places=()) -> StoryArticle:  # type: ignore[no-untyped-def]
    v = np.asarray(vector, dtype=np.float32)
    return StoryArticle(
        aid, date(2026, 5, day), frozenset(names), frozenset(places), v / np.linalg.norm(v)
    )


def test_a_story_needs_meaning_and_shared_names_in_its_date_window() -> None:
    first = _article("a", 1, [1, 0, 0], names={7})
    close_named = _article("b", 3, [0.6, 0.8, 0], names={7})  # cosine 0.6
    close_unnamed = _article("c", 3, [0.6, 0.8, 0], places={3})
    assert story_score(close_named, first, RULES) > 0
    assert story_score(close_unnamed, first, RULES) == 0  # one place in common is not enough
    assert best_story(close_named, {1: [first]}, RULES) == (
        1,
        pytest.approx(story_score(close_named, first, RULES)),
    )
    late = _article("d", 25, [0.6, 0.8, 0], names={7})
    assert best_story(late, {1: [first]}, RULES) is None  # outside the story's dates


def test_a_follow_up_weeks_later_joins_on_a_close_lead_and_several_names() -> None:
    first = _article("a", 1, [1, 0, 0], names={7, 8}, places={3})
    # three weeks on, beyond the ten-day window: one name in common is not enough ...
    one_name = _article("b", 22, [0.8, 0.6, 0], names={7})
    assert best_story(one_name, {1: [first]}, RULES) is None
    # ... two are, with a close lead (cosine 0.8)
    two_names = _article("c", 22, [0.8, 0.6, 0], names={7, 8})
    assert best_story(two_names, {1: [first]}, RULES) == (1, pytest.approx(0.8))
    # a lead as loose as a same-week article may have (0.6 < 0.6 after rounding) stays apart
    loose = _article("d", 22, [0.55, 0.835, 0], names={7, 8})
    assert best_story(loose, {1: [first]}, RULES) is None
    # one name and one place join on a closer lead (0.8), not on a looser one (0.7)
    name_place = _article("f", 22, [0.8, 0.6, 0], names={7}, places={3})
    assert best_story(name_place, {1: [first]}, RULES) == (1, pytest.approx(0.8))
    looser = _article("g", 22, [0.7, 0.714, 0], names={7}, places={3})
    assert best_story(looser, {1: [first]}, RULES) is None
    # and two months on, nothing joins
    later = _article("e", 31, [1, 0, 0], names={7, 8}, places={3})
    assert best_story(replace(later, published=date(2026, 7, 20)), {1: [first]}, RULES) is None


def test_an_article_that_joins_two_stories_joins_them_into_one() -> None:
    first = _article("a", 1, [1, 0, 0], names={7}, places={3})
    other = _article("b", 2, [0.5, 0.866, 0], names={8}, places={4})  # cosine 0.5
    assert best_story(other, {1: [first]}, RULES) is None  # a story of its own
    bridge = _article("c", 3, [0.8, 0.6, 0], names={7, 8})  # 0.8 with a, 0.92 with b
    matches = story_matches(bridge, {1: [first], 2: [other]}, RULES)
    assert [m.story_id for m in matches] == [2, 1]  # best first
    assert [m.bridge for m in matches] == [m.score for m in matches]  # a name with each
    assert best_story(bridge, {1: [first], 2: [other]}, RULES) == (2, matches[0].score)
    # the larger story stays and takes the other in; of two of one size, the closer one
    assert merge_plan(matches, {1: 3, 2: 1}, RULES) == (1, [2])
    assert merge_plan(matches, {1: 1, 2: 1}, RULES) == (2, [1])
    assert merge_plan(matches, {1: 1, 2: 21}, RULES) == (2, [1])
    # a story too large to be taken apart on one article's word stays as it is, and the
    # article joins its best story
    assert merge_plan(matches, {1: 30, 2: 21}, RULES) == (2, [])
    # a weak link to the second story joins nothing: the article goes to its best story
    loose = _article("d", 3, [0.55, 0.835, 0], names={7, 8})  # 0.55 with a, 0.997 with b
    matches = story_matches(loose, {1: [first], 2: [other]}, RULES)
    assert [m.story_id for m in matches] == [2, 1]
    assert merge_plan(matches, {1: 1, 2: 1}, RULES) == (2, [])
    # places in common are no bridge: two stories of one city share them
    placed = _article("e", 3, [0.8, 0.6, 0], names={8}, places={3, 4})
    matches = story_matches(placed, {1: [first], 2: [other]}, RULES)
    assert [m.story_id for m in matches] == [2, 1]  # it may join either story ...
    assert merge_plan(matches, {1: 1, 2: 1}, RULES) == (2, [])  # ... but joins no two
    assert merge_plan([], {}, RULES) is None


class _Leads:
    """Sentence embeddings set by hand: a text holding a key gets its vector, any other
    text one vector of its own."""

    name = "test-leads"

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors = vectors

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), 4), dtype=np.float32)
        for row, text in enumerate(texts):
            v = next((vec for key, vec in self.vectors.items() if key in text), [0, 0, 0, 1])
            out[row] = np.asarray(v, dtype=np.float32) / np.linalg.norm(v)
        return out


_BRIDGED = (
    record(
        "s1", "2025-04-20",
        "Ukrainian officials said North Korea has sent 14,000 troops to Russia.",
        [(["Ukrainian officials"], "said", "North Korea has sent 14,000 troops to Russia")],
        [("Ukrainian officials", "group", [])],
    ),
    record(
        "s2", "2025-04-21",
        "The National Intelligence Service said North Korea had sent 11,000 troops.",
        [(["National Intelligence Service"], "said", "North Korea had sent 11,000 troops")],
        [("National Intelligence Service", "organization", [])],
    ),
    record(
        "s3", "2025-04-22",
        "Both the National Intelligence Service and Ukrainian officials now track the "
        "deployment, a monitoring group said.",
        [(["a monitoring group"], "said", "Both the National Intelligence Service and "
          "Ukrainian officials now track the deployment")],
        [("National Intelligence Service", "organization", []),
         ("Ukrainian officials", "group", [])],
    ),
)  # fmt: skip
_LEADS = {"Both the": [0.8, 0.6, 0, 0], "14,000": [1, 0, 0, 0], "11,000": [0.5, 0.866, 0, 0]}


def test_claims_decided_apart_are_placed_again_when_a_report_joins_their_stories(
    tmp_path: Path,
) -> None:
    embed = _Leads(_LEADS)
    # the first two reports alone: two stories, so their troop counts are never compared
    with Ledger(tmp_path / "apart.db") as ledger:
        for r in _BRIDGED[:2]:
            assert ledger.add(r)
        crossdoc_store.update(ledger.con, ["s1", "s2"], embed)
        assert story_of(ledger.con, "s1") != story_of(ledger.con, "s2")
        assert frozenset(("14,000", "11,000")) not in disputed_values(ledger)
    # a third report close to both, naming both sources, makes them one story: the counts
    # decided apart are compared now, as a rebuild in the same order finds them too
    with Ledger(tmp_path / "joined.db") as ledger:
        for r in _BRIDGED:
            assert ledger.add(r)
        crossdoc_store.update(ledger.con, ["s1", "s2", "s3"], embed)
        assert len({story_of(ledger.con, a) for a in ("s1", "s2", "s3")}) == 1
        assert ledger.con.execute("SELECT count(*) FROM stories").fetchone()[0] == 1
        assert ledger.con.execute("SELECT articles FROM stories").fetchone()[0] == 3
        assert frozenset(("14,000", "11,000")) in disputed_values(ledger, ("quantity",))
        found = snapshot(ledger)
        crossdoc_store.rebuild(ledger.con, embed)
        assert snapshot(ledger) == found


@pytest.mark.model
def test_a_name_tagged_as_two_types_is_one_name_to_stories(tmp_path: Path) -> None:
    # the tagger reads "Tarvik Water" as a company in one report and as a person in the next;
    # the two reports share no other entity and stay one story by the name they share
    texts = (
        "Tarvik Water said about 4,000 homes lost their supply on Monday after a main burst "
        "under the ring road.",
        "About 7,000 homes were left without water on Monday after a main burst under the ring "
        "road, Tarvik Water said on Tuesday.",
    )
    records = [
        record(f"w{i}", f"2026-06-0{i + 1}", text,
               [(["Tarvik Water"], "said", text.split(" said")[0 if i else 1].strip(" ,."))],
               [("Tarvik Water", kind, [])])
        for i, (text, kind) in enumerate(zip(texts, ("organization", "person"), strict=True))
    ]  # fmt: skip
    with make_ledger(tmp_path / "l.db", *records) as ledger:
        entities = {
            r[0] for r in ledger.con.execute("SELECT ledger_entity FROM ledger_entity_members")
        }
        assert len(entities) == 2  # two entities, as the tagger typed them
        assert story_of(ledger.con, "w0") == story_of(ledger.con, "w1")


def test_a_denying_verb_needs_a_claim_as_its_object() -> None:
    assert denial_in("denied", "that its ships had entered the strait")
    assert denial_in("said", "the ministry rejected accusations that it had hidden cases")
    assert not denial_in("said", "2,100 applications had been rejected")
    assert not denial_in("rejected", "a proposal from the union")
    assert denial_in("said", "it is simply not true that the wells were within limits")
    # an act it is accused of, as a gerund; "no truth in" as "not true"
    assert denial_in("flatly denied", "sending any water to leisure resorts")
    assert denial_in("said", "there was no truth in the suggestion that it had ignored an audit")
    assert not denial_in("rejected", "the plan for a new road")
    # insisting on the negation of an accusation
    assert denial_in("insisted", "that none of the site's emergency exits had been locked")
    # insisting sets a clause against what someone said; stressing does not
    assert denial_in("insisted", "that the exits had been checked twice")
    assert not denial_in("stressed", "that the exits had been checked twice")
    # a denying verb with a bare clause, not with a thing that a clause describes
    assert denial_in("denied", "it had ignored warnings about the embankment")
    assert not denial_in("rejected", "2,100 applications that had been filed late")
    # a source's own act denied in the active voice; not a complaint of what others did not do
    assert denial_in("said", "it had never advised the council to sell the bonds")
    assert not denial_in("said", "they were never told about the closure")


@pytest.mark.model
def test_figures_of_anything_counted_conflict_and_a_source_revises(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "a1": ("2026-05-04", "Ohio Wire", "Acme Freight said on Monday it would cut 1,200 jobs "
               "at its Ohio warehouses as online orders fall."),
        "a2": ("2026-05-05", "Columbus Daily", "The Teamsters local at Acme Freight said on "
               "Tuesday the company would cut 2,000 jobs at its Ohio warehouses."),
        "a3": ("2026-05-08", "Ohio Wire", "Acme Freight now says it will cut 1,650 jobs at its "
               "Ohio warehouses, after adding a site in Delaware County."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        rows = conflicts.list_conflicts(ledger.con)
        found = {
            (r["kind"], frozenset((r["value_a"], r["value_b"]))) for r in rows
            if r["kind"] in ("quantity", "revision")
        }  # fmt: skip
        assert ("quantity", frozenset(("1,200", "2,000"))) in found
        assert ("revision", frozenset(("1,200", "1,650"))) in found
        assert ("quantity", frozenset(("1,200", "1,650"))) not in found
        # a verdict survives a rebuild, which renumbers the conflicts
        target = next(r for r in rows if r["kind"] == "quantity")
        assert conflicts.set_verdict(ledger.con, target["id"], "confirmed", "checked the filing")
        ledger.rebuild_crossdoc()
        sides = (target["attribution_a"], target["attribution_b"])
        again = [
            r for r in conflicts.list_conflicts(ledger.con)
            if (r["attribution_a"], r["attribution_b"]) == sides
        ]  # fmt: skip
        assert [(r["verdict"], r["verdict_note"]) for r in again] == [
            ("confirmed", "checked the filing")
        ]
        assert not conflicts.set_verdict(ledger.con, 10_000, "dismissed")
        with pytest.raises(ValueError, match="verdict"):
            conflicts.set_verdict(ledger.con, target["id"], "maybe")


def test_each_figure_of_a_statement_is_a_proposition_of_its_own() -> None:
    def fig(text: str, value: float, measure: str, **kw: object) -> Figure:
        return Figure(unit="m", facet="total", value=value, value_max=None, lo=value,
                      hi=value, text=text, measure=measure, subjects={measure}, **kw)  # type: ignore[arg-type]  # fmt: skip

    p = Proposition("a1", "a3", 2, "it had burned 12,000 hectares and forced 4,000 people out",
                    ["BC Wildfire Service"], "BC Wildfire Service", "e1", "organization",
                    "2026-07-21", terms={"burn", "hectare"}, dates=[("2026-07-20", "2026-07-20",
                    "Monday")], start=True)  # fmt: skip
    p.figures = [fig("12,000 hectares", 12_000, "hectare burn"),
                 fig("4,000 people", 4_000, "people force")]  # fmt: skip
    first, second = per_figure(p)
    assert [f.text for f in first.figures] == ["12,000 hectares"] and first.part == 0
    assert first.dates and first.start  # the statement's dates stay with its first figure
    assert [f.text for f in second.figures] == ["4,000 people"] and second.part == 1
    assert not second.dates and not second.start and second.subjects == {"people force"}
    assert (second.article_id, second.attribution_id) == ("a1", "a3")
    p.denial = True
    assert per_figure(p) == [p]  # a denial stays whole
    assert stated_count(fig("2023 tests", 2023, "test")) is None  # a year, not a count
    assert stated_count(fig("thousands of jobs", 1000, "job", vague=True)) is None
    assert value_key(fig("214 wells", 214, "well test")) == "qv:m/total:214"


@pytest.mark.model
def test_the_same_value_from_two_sources_corroborates_whatever_figure_of_a_statement_it_is(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "f1": ("2026-07-21", "Kamloops Wire", "The Cache Ridge wildfire north of Kamloops has "
               "burned 12,000 hectares and forced about 4,000 people from their homes, the BC "
               "Wildfire Service said on Tuesday."),
        "f2": ("2026-07-22", "Interior News", "The Thompson-Nicola Regional District said on "
               "Wednesday that 4,000 residents near the Cache Ridge wildfire north of Kamloops "
               "were under evacuation orders."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        claims = list_claims(ledger.con, limit=100)
        both = [
            c for c in claims
            if {m.article_id for m in c.members} == {"f1", "f2"}
        ]  # fmt: skip
        assert len(both) == 1 and both[0].independence == "independent"
        assert {m.value for m in both[0].members} == {4000}
        # the statement's first figure keeps a claim of its own
        hectares = [c for c in claims if any(m.value == 12_000 for m in c.members)]
        assert len(hectares) == 1 and [m.article_id for m in hectares[0].members] == ["f1"]


@pytest.mark.model
def test_one_incident_in_a_ledger_of_three_articles(
    analyzer: Analyzer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # three reports of one ferry accident alone in a ledger: too few articles for word
    # statistics to say they are of one incident (none at all here); their leads' meaning
    # says it
    monkeypatch.setattr(ClaimIndex, "story_similarity", lambda self, a, b: 0.0)
    texts = {
        "s1": ("2026-08-04", "Mediterranean News Agency", "A passenger ferry carrying 612 "
               "people ran aground on rocks off the Greek island of Naxos late on Monday, "
               "injuring 23 people, the Hellenic Coast Guard said."),
        "s2": ("2026-08-05", "ERT", "Passengers of the ferry that ran aground off Naxos on "
               "Monday described chaos on board. The Naxos health centre said it had treated "
               "31 people, most for cuts and bruises."),
        "s3": ("2026-08-06", "Kathimerini", "The Hellenic Coast Guard now says 28 people were "
               "injured when the ferry ran aground off Naxos on Monday, up from its first "
               "count."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        found = {
            frozenset((r["value_a"], r["value_b"])) for r in conflicts.list_conflicts(ledger.con)
            if r["kind"] == "quantity"
        }  # fmt: skip
        assert frozenset(("23", "31")) in found or frozenset(("28", "31")) in found
        assert frozenset(("23", "28")) not in found  # the coast guard revising its own count


@pytest.mark.model
def test_an_old_value_its_own_source_revised_is_not_disputed_by_the_new_value(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "f1": ("2026-07-21", "Valley Wire", "The Larch Creek wildfire has burned 12,000 "
               "hectares, the Tarn Wildfire Service said on Monday."),
        "f2": ("2026-07-23", "Coast News", "The Larch Creek wildfire has burned 19,500 "
               "hectares, the Tarn Wildfire Service now says. A satellite analysis by the "
               "University of Tarn found that the wildfire had burned 19,500 hectares."),
        "f3": ("2026-07-23", "Metro Post", "Residents of Larch Creek said the Tarn Wildfire "
               "Service had burned 3,000 hectares in controlled fires this spring."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        found = {
            (r["kind"], frozenset((r["value_a"], r["value_b"])))
            for r in conflicts.list_conflicts(ledger.con)
        }
        assert ("revision", frozenset(("12,000", "19,500"))) in found
        # the satellite count agrees with the service's new value: no dispute of its old one
        assert ("quantity", frozenset(("12,000", "19,500"))) not in found


@pytest.mark.model
def test_a_conflict_is_less_sure_when_the_two_articles_agree_on_the_value_elsewhere(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    first = ("Acme Freight said on Monday it would cut 1,200 jobs at its Ohio warehouses as "
             "online orders fall.")  # fmt: skip
    union = ("The Teamsters local at Acme Freight said on Tuesday the company would cut 2,000 "
             "jobs at its Ohio warehouses.")  # fmt: skip

    def sure(second: str, name: str) -> list[tuple[str, str, str, float]]:
        texts = {"a1": ("2026-05-04", "Ohio Wire", first), "a2": ("2026-05-05", "Columbus", second)}
        with ledger_of(analyzer, tmp_path / f"{name}.db", texts) as ledger:
            return [
                (r["kind"], r["value_a"], r["value_b"], r["confidence"])
                for r in conflicts.list_conflicts(ledger.con)
            ]

    [(kind, a, b, alone)] = sure(union, "alone")
    # the second article also gives the company's own 1,200: the two articles agree on it
    [(kind2, a2, b2, agreeing)] = sure(f"{union} {first}", "agreeing")
    assert (kind, a, b) == (kind2, a2, b2) == ("quantity", "1,200", "2,000")
    assert agreeing < alone


@pytest.mark.model
def test_a_reports_aside_on_a_source_corroborates_and_disputes_nothing(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "g1": ("2026-05-04", "Borders Wire", "GALASHIELS, May 4 (Borders Wire) — Demand for "
               "emergency food in the Tweed Valley has doubled since March, a food bank network "
               "said on Monday. The Tweed Valley Pantry Network, which coordinates 27 collection "
               "points across the valley, said 6,200 people had received parcels in April."),
        "g2": ("2026-05-05", "Southern Reporter", "GALASHIELS, May 5 (Southern Reporter) — "
               "Scottish Borders Council said on Tuesday that 4,100 people received food parcels "
               "in the Tweed Valley in April, fewer than the Tweed Valley Pantry Network "
               "reported. A council spokeswoman said the figure came from monthly returns from "
               "the 27 collection points in the valley."),
        "g3": ("2026-05-06", "Valley Times", "GALASHIELS, May 6 (Valley Times) — The Tweed Valley "
               "Pantry Network asked for more volunteers on Wednesday. Borders Volunteer Centre, "
               "which has placed 45 collection volunteers with the network this year, said more "
               "drivers were needed."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        points = [c for c in list_claims(ledger.con, limit=100) if c.value == 27]
        # the outlet's aside on the network and the council's figure: one claim, two sources
        assert len(points) == 1 and points[0].independence == "independent"
        assert {m.article_id for m in points[0].members} == {"g1", "g2"}
        # the dispute is the sources' own counts, never an aside
        assert disputed_values(ledger) == {frozenset(("6,200", "4,100"))}


@pytest.mark.model
def test_the_leads_own_count_is_a_claim_and_a_value_it_replaces_is_none(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "w1": ("2026-07-02", "Lakes Wire", "KENDAL, July 2 (Lakes Wire) — The Cumbria "
               "Environment Agency closed 12 public swimming spots on Windermere on Tuesday "
               "after a bloom of toxic algae, the worst on the lake in a decade. The Windermere "
               "Lake Trust said the agency had acted too late."),
        "w2": ("2026-07-03", "Fell Times", "KENDAL, July 3 (Fell Times) — The Windermere Lake "
               "Trust said on Wednesday that 19 swimming spots on Windermere were shut by the "
               "algae bloom, and called on the Cumbria Environment Agency to test the water "
               "daily."),
        "w4": ("2026-07-08", "North West Post", "KENDAL, July 8 (North West Post) — The Cumbria "
               "Environment Agency now allows 60 boat launches a day on Windermere, down from the "
               "90 it allowed last week, as the algae bloom spread north."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        # the agency's act told in the first lead, against the trust's count
        assert frozenset(("12", "19")) in disputed_values(ledger, ("quantity",))
        # the later lead's new value is a claim; the value it replaces is none
        w4_values = {m.value for c in list_claims(ledger.con, limit=100) for m in c.members
                     if m.article_id == "w4"}  # fmt: skip
        assert w4_values == {60}


@pytest.mark.model
def test_a_named_sources_new_value_revises_the_figure_its_description_gave(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "q1": ("2026-04-14", "Midlands Press", "BUXTON, England, April 14 (Midlands Press) — "
               "Three workers were unaccounted for on Tuesday after part of a working face "
               "collapsed at a limestone quarry near Buxton, the site's operator said. Hallam "
               "Stone Ltd said the slip happened shortly after 7.40 a.m. at its Coldside "
               "Quarry."),
        "q2": ("2026-04-16", "Derby Courier", "BUXTON, April 16 (Derby Courier) — Hallam Stone "
               "Ltd now says four workers are unaccounted for after the collapse at its Coldside "
               "Quarry, including a subcontracted driver."),
        "q3": ("2026-04-17", "Peak Times", "BUXTON, April 17 (Peak Times) — Derbyshire Fire "
               "and Rescue Service said seven workers were unaccounted for at the Coldside "
               "Quarry, far more than Hallam Stone Ltd has said."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        found = {
            (r["kind"], frozenset((r["value_a"], r["value_b"])))
            for r in conflicts.list_conflicts(ledger.con)
        }
        # the operator the first report describes is the company it names next
        assert ("quantity", frozenset(("3", "4"))) not in found
        assert ("revision", frozenset(("3", "4"))) in found
        # a source of its own still disputes the company's count
        assert ("quantity", frozenset(("4", "7"))) in found


@pytest.mark.model
def test_a_revision_that_names_the_value_it_replaces_is_no_dispute(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "s1": ("2026-03-02", "Air Wire", "DUBLIN, March 2 (Air Wire) — Shannonair said on "
               "Monday that it expected its takeover of Kestrel Air to produce cost savings of "
               "€60 million a year by 2028."),
        "s2": ("2026-03-05", "Irish Ledger", "DUBLIN, March 5 (Irish Ledger) — Chief executive "
               "Orla Garvey said Shannonair now expects its takeover of Kestrel Air to produce "
               "cost savings of €85 million a year, up from the €60 million it forecast when "
               "the deal was announced."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        assert _kinds_between(ledger, "60,000,000", "85,000,000") == {"revision"}


@pytest.mark.model
def test_a_report_telling_that_a_source_has_a_new_value_is_its_revision(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "c1": ("2026-04-06", "Westcoast Wire", "PERTH, April 6 (Westcoast Wire) — Bleaching "
               "has hit 38 per cent of the reefs surveyed along the Ningaloo coast, the "
               "Indian Ocean Marine Institute said on Monday, after the hottest summer on "
               "record in the region."),
        "c2": ("2026-04-20", "Reef Weekly", "PERTH — Underwater checks at Ningaloo have found "
               "bleaching more widespread than the aerial survey suggested, and the Indian "
               "Ocean Marine Institute has raised its estimate to 44 per cent of the reefs "
               "surveyed along the coast."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        assert _kinds_between(ledger, "38", "44") == {"revision"}


def _kinds_between(ledger: Ledger, a: str, b: str) -> set[str]:
    """The kinds of conflict recorded between two values."""
    return {
        r["kind"]
        for r in conflicts.list_conflicts(ledger.con)
        if {r["value_a"], r["value_b"]} == {a, b}
    }
