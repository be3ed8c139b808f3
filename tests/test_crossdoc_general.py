"""Across articles on any story: stories, figures of anything counted, revisions, verdicts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from newsledger.crossdoc.propositions import denial_in
from newsledger.crossdoc.stories import StoryArticle, StoryRules, best_story, story_score
from newsledger.ledger import Ledger, conflicts
from newsledger.model import Article
from newsledger.pipeline import Analyzer

RULES = StoryRules(
    window_days=10, similar=0.45, similar_place=0.65, similar_alone=0.8, similar_many=0.35,
    many=2, place_weight=0.5, lead_chars=600, compared=20,
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


def test_a_denying_verb_needs_a_claim_as_its_object() -> None:
    assert denial_in("denied", "that its ships had entered the strait")
    assert denial_in("said", "the ministry rejected accusations that it had hidden cases")
    assert not denial_in("said", "2,100 applications had been rejected")
    assert not denial_in("rejected", "a proposal from the union")
    assert denial_in("said", "it is simply not true that the wells were within limits")


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
    with Ledger(tmp_path / "l.db") as ledger:
        for aid, (day, site, text) in texts.items():
            ledger.add(next(analyzer.pipe([Article(text=text, id=aid, published=day, site=site)])))
        ledger.update_crossdoc(list(texts))
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
