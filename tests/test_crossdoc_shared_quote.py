"""The same quotation, word for word, in several outlets is one quote relayed: one claim,
one origin (the earliest article's)."""

from __future__ import annotations

from pathlib import Path

from newsledger.crossdoc.claims import quote_key, quoted_passages
from newsledger.ledger import Ledger
from newsledger.ledger.claims import list_claims
from newsledger.pipeline import Analyzer

QUOTE = '"We will rebuild every school that was damaged by the flood,"'


def test_quoted_passages_are_long_quotations_in_a_shared_form() -> None:
    text = f'{QUOTE} Ames said. Hale called it "a good start."'
    assert quoted_passages(text) == {"we will rebuild every school that was damaged by the flood"}
    curly = "“We will rebuild every school that was damaged by the flood!” she said."
    assert quoted_passages(curly) == quoted_passages(text)
    assert quote_key(next(iter(quoted_passages(text)))).startswith("qt:")


def test_the_same_quote_in_two_outlets_has_one_origin(analyzer: Analyzer, tmp_path: Path) -> None:
    first = analyzer.analyze(
        "Education Minister Ruth Ames visited Greenfield on Monday after the flood. "
        f"{QUOTE} Ames told reporters.",
        id="a",
        published="2025-05-01",
    )
    later = analyzer.analyze(
        "Flood relief in Greenfield. Local officials promised help. "
        f"{QUOTE} said Mayor Tom Hale on Tuesday.",
        id="b",
        published="2025-05-02",
    )
    for order in ((later, first), (first, later)):  # the same whatever came in first
        with Ledger(tmp_path / f"{order[0].article.id}.db") as ledger:
            for analysis in order:
                ledger.add(analysis)
            ledger.update_crossdoc([a.article.id for a in order])
            shared = [c for c in list_claims(ledger.con) if c.articles == 2]
        assert len(shared) == 1, [c.label for c in list_claims(ledger.con)]
        claim = shared[0]
        assert claim.independence == "relay_only"
        assert {m.origin.name for m in claim.members} == {"Ruth Ames"}
