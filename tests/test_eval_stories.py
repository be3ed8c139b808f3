"""The cross-article stories scorer (newsledger.eval.stories) and `newsledger eval stories`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.errors import DataNotFound
from newsledger.eval import stories as st
from newsledger.eval.stories import (
    Corroboration,
    Denial,
    Figure,
    GoldConflict,
    PredictedAttribution,
    PredictedClaim,
    PredictedConflict,
    Prediction,
    Relay,
    Revision,
    Side,
    Statement,
    Story,
)

DATA = Path(__file__).resolve().parents[1] / "eval" / "data" / "stories"
needs_data = pytest.mark.skipif(
    not (DATA / "gold.json").is_file(),
    reason=f"the stories development set is not here ({DATA}): run from a checkout",
)


def _story() -> Story:
    """Two gold conflicts (the second with two pairs of statements), a revision, a denial,
    a corroboration and a relay over 3 articles."""
    return Story(
        id="s",
        domain="layoffs",
        articles=("a1", "a2", "a3"),
        conflicts=(
            GoldConflict((Figure("a1", 1200, "company"), Figure("a2", 2000, "union"))),
            GoldConflict(
                (Figure("a3", 1650, "company"), Figure("a2", 2000, "union")),
                also=((Figure("a3", 1650, "company"), Figure("a3", 2000, "union")),),
            ),
        ),
        revisions=(Revision("company", "jobs", (Figure("a1", 1200), Figure("a3", 1650))),),
        denials=(Denial(Statement("a3", "company"), Statement("a2", "union")),),
        corroborations=(Corroboration(3, (Statement("a1", "company"), Statement("a2", "state"))),),
        relays=(Relay("a3", (("WOSU",), ("a letter from the company",))),),
    )


def _side(article: str, value: float | None, attribution: str = "x", denial: bool = False) -> Side:
    values = () if value is None else ((float(value), float(value)),)
    return Side(article, attribution, values, denial=denial)


def _perfect(story: Story) -> Prediction:
    """What a ledger that reports exactly the gold would give."""
    conflicts = [
        PredictedConflict("quantity", _side(a.article, a.value), _side(b.article, b.value))
        for a, b in (g.sides for g in story.conflicts)
    ]
    conflicts += [
        PredictedConflict("revision", _side(r.values[0].article, r.values[0].value),
                          _side(r.values[-1].article, r.values[-1].value))
        for r in story.revisions
    ]  # fmt: skip
    conflicts += [
        PredictedConflict("denial", _side(d.denying.article, None, denial=True),
                          _side(d.denied.article, None))
        for d in story.denials
    ]  # fmt: skip
    claims = [
        PredictedClaim(
            i,
            "independent",
            tuple(_side(s.article, c.value, f"m{j}") for j, s in enumerate(c.sides)),
        )
        for i, c in enumerate(story.corroborations)
    ]
    attributions = [
        PredictedAttribution(r.article, tuple(names[0] for names in r.chain)) for r in story.relays
    ]
    return Prediction(tuple(conflicts), tuple(claims), tuple(attributions))


def test_gold_as_prediction_scores_one() -> None:
    story = _story()
    rates = st.score([story], _perfect(story)).rates()
    assert rates["conflicts_precision"] == rates["conflicts_recall"] == rates["conflicts_f1"] == 1.0
    assert rates["revisions_misreported_rate"] == 0.0
    assert rates["revisions_found_rate"] == 1.0
    assert rates["denials_recall"] == rates["denials_precision"] == 1.0
    assert rates["corroborations_recall"] == rates["relays_recall"] == 1.0


def test_empty_prediction_scores_zero() -> None:
    s = st.score([_story()], Prediction())
    assert all(v == 0.0 for v in s.rates().values())
    assert (s.conflicts_gold, s.denials_gold, s.corroborations_gold, s.relays_gold) == (2, 1, 1, 1)
    kinds = sorted(e["error"] for e in s.errors)
    assert kinds == ["missed conflict", "missed conflict", "missed corroboration",
                     "missed denial", "missed relay"]  # fmt: skip


def test_known_case_exact_counts() -> None:
    """One true conflict (sides reversed, a value given as a range), one revision reported as
    a conflict, one conflict whose values are wrong, one between two stories; a denial the
    wrong way round; a corroboration whose claim is only relayed; a relay found."""
    story = _story()
    other = Story("t", "flood", ("b1",))
    prediction = Prediction(
        conflicts=(
            PredictedConflict("quantity", _side("a2", 2000), Side("a1", "y", ((1190.0, 1210.0),))),
            PredictedConflict("quantity", _side("a1", 1200), _side("a3", 1650)),
            PredictedConflict("quantity", _side("a3", 1650), _side("a2", 1999)),  # 1999 ≈ 2000
            PredictedConflict("quantity", _side("a3", 1600), _side("a2", 2000)),  # 1600 ≠ 1650
            PredictedConflict("quantity", _side("a1", 5), _side("b1", 7)),
            PredictedConflict("date", _side("a1", None), _side("a2", None)),  # not a figure
            PredictedConflict("denial", _side("a3", None), _side("a2", None, denial=True)),
            PredictedConflict("denial", _side("a1", None, denial=True), _side("b1", None)),
        ),
        claims=(
            PredictedClaim(1, "relay_only", (_side("a1", 3, "m1"), _side("a2", 3, "m2"))),
            PredictedClaim(2, "independent", (_side("a1", 3, "m1"), _side("a1", 3, "m2"))),
        ),
        attributions=(
            PredictedAttribution("a3", ("WOSU",)),
            PredictedAttribution("a3", ("wosu", "company letter")),
            PredictedAttribution("a3", ("WOSU", "the letter from the company")),
        ),
    )
    s = st.score([story, other], prediction)
    assert (s.conflicts_reported, s.conflicts_true, s.conflicts_found) == (5, 2, 2)
    assert s.conflicts_cross_story == 1
    r = s.rates()
    assert r["conflicts_precision"] == pytest.approx(2 / 5)
    assert r["conflicts_recall"] == 1.0
    assert r["conflicts_f1"] == pytest.approx(2 * 0.4 / 1.4)
    assert (s.revisions_gold, s.revisions_misreported, s.revisions_found) == (1, 1, 0)
    assert (s.denials_reported, s.denials_true, s.denials_linked, s.denials_cross_story) == (
        2, 0, 0, 1,
    )  # fmt: skip
    assert s.corroborations_found == 0  # relay_only, and two members in one article only
    assert s.relays_found == 1  # the third chain: "the letter …" and "a letter …" are one key
    errors = [e["error"] for e in s.errors]
    assert "false conflict (a revision)" in errors
    assert "false conflict (two stories)" in errors
    assert "revision reported as a conflict" in errors


def test_value_and_name_matching() -> None:
    assert st.value_matches(5000, [(5000.0, 5000.0)])
    assert st.value_matches(2_300_000, [(2_310_000.0, 2_310_000.0)])  # within 1 %
    assert not st.value_matches(2_300_000, [(2_400_000.0, 2_400_000.0)])
    assert st.value_matches(12, [(12.4, 12.4)]) and not st.value_matches(12, [(13.0, 13.0)])
    assert st.value_matches(40, [(30.0, 50.0)])  # a range holding the gold value
    assert st.name_key("The Station") == st.name_key("station") == "station"
    assert st.name_key("a company memo") == "company memo"
    assert st.same_name("state news agency KeshInform", "KeshInform")
    assert st.same_name("Público", "publico")
    assert not st.same_name("police", "police union")


def test_conflict_values_read_from_the_ledger_record() -> None:
    parse = st.parse_values
    assert parse("1,200") == ((1200.0, 1200.0),)
    assert parse("3–5") == ((3.0, 5.0),)
    assert parse(19.5) == ((19.5, 19.5),)
    assert parse("dollars/total") == ()


def test_missing_data_folder(tmp_path: Path) -> None:
    with pytest.raises(DataNotFound):
        st.load_gold(tmp_path)
    result = CliRunner().invoke(app, ["eval", "stories", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "stories data not found" in result.output


@needs_data
def test_development_set_is_complete() -> None:
    """≥ 12 stories over ≥ 10 domains, 3–5 articles each from ≥ 2 outlets over ≥ 2 days; each
    story has every kind of gold item, and every gold text occurs in its article."""
    stories = st.load_gold(DATA)
    articles = {r["id"]: r for r in st.load_articles(DATA)}
    assert len(stories) >= 12 and len({s.domain for s in stories}) >= 10
    seen: set[str] = set()
    for s in stories:
        assert 3 <= len(s.articles) <= 5, s.id
        assert not seen & set(s.articles)
        seen |= set(s.articles)
        assert len({articles[a]["site"] for a in s.articles}) >= 2, s.id
        assert len({articles[a]["published"] for a in s.articles}) >= 2, s.id
        assert s.conflicts and s.revisions and s.denials and s.corroborations and s.relays, s.id
        figures = [f for c in s.conflicts for pair in c.pairs for f in pair] + [
            f for r in s.revisions for f in r.values
        ]
        statements = [x for d in s.denials for x in (d.denying, d.denied)] + [
            x for c in s.corroborations for x in c.sides
        ]
        for item in (*figures, *statements, *s.relays):
            assert item.article in s.articles, (s.id, item)
            assert item.text in articles[item.article]["text"], (s.id, item)
        for c in s.conflicts:
            for a, b in c.pairs:
                assert a.value != b.value, (s.id, c)
        for r in s.revisions:
            assert len({f.value for f in r.values}) == len(r.values), (s.id, r)
        for d in s.denials:
            assert d.denying.article != d.denied.article, (s.id, d)
    assert seen == set(articles)


@needs_data
@pytest.mark.model
def test_one_story_end_to_end() -> None:
    result = CliRunner().invoke(
        app, ["eval", "stories", "--story", "tarsen-ceasefire", "--format", "json", "--errors"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    for mode in ("all_stories", "per_story"):
        scores = report[mode]
        assert scores["stories"] == 1 and scores["articles"] == 3
        assert scores["conflicts_gold"] == 1 and scores["relays_gold"] == 1
        assert 0.0 <= scores["conflicts_f1"] <= 1.0
        assert isinstance(scores["errors"], list)


def test_a_denial_links_the_denied_claim_not_another_statement_of_its_article() -> None:
    texts = {
        "d1": "The ministry denied that it had hidden the figures.",
        "d2": "The charity said 950 people were treated. It said the ministry hid the figures.",
    }
    story = Story(
        "s", "outbreak", ("d1", "d2"),
        denials=(Denial(Statement("d1", "ministry", "denied that it had hidden the figures"),
                        Statement("d2", "charity", "the ministry hid the figures")),),
    )  # fmt: skip
    right = PredictedConflict(
        "denial",
        Side("d1", "a1", content="that it had hidden the figures", denial=True),
        Side("d2", "a2", content="the ministry hid the figures"),
    )
    wrong = PredictedConflict(
        "denial",
        Side("d1", "a1", content="that it had hidden the figures", denial=True),
        Side("d2", "a1", content="950 people were treated"),
    )
    assert st.score([story], Prediction((right,)), texts).denials_linked == 1
    s = st.score([story], Prediction((wrong,)), texts)
    assert (s.denials_linked, s.denials_reported, s.denials_true) == (0, 1, 0)
    # without the articles' text only the articles are compared
    assert st.score([story], Prediction((wrong,))).denials_linked == 1
