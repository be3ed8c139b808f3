"""Across articles: claim clusters, their independence (``crossdoc.claims``, ``ledger.claims``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_crossdoc_common import (
    A1,
    A2,
    A3,
    K1,
    K2,
    claim_of,
    ledger_of,
    make_ledger,
    record,
)

from newsledger.ledger import claims
from newsledger.ledger.claims import list_claims
from newsledger.pipeline import Analyzer


def test_relay_only_and_independent_clusters(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path / "l.db", A1, A2, A3, K1, K2)
    # Kim via KCNA in two outlets: one origin, relayed
    kim = claim_of(ledger, "k1")
    assert {m["article_id"] for m in kim["members"]} == {"k1", "k2"}
    assert kim["independence"] == "relay_only"
    assert {o["name"] for o in kim["origins"]} == {"Kim Jong Un"}
    # NIS directly (a2) and through Yonhap (a3): the same origin, so not corroboration
    nis = claim_of(ledger, "a2")
    assert {m["article_id"] for m in nis["members"]} == {"a2", "a3"}
    assert nis["independence"] == "relay_only"
    assert nis["members"][1]["chain"] == ["Yonhap", "NIS"]
    # 14,000 is another claim (its figure disagrees)
    assert claim_of(ledger, "a1")["id"] != nis["id"]
    # a second, independent origin for 11,000
    other = record(
        "a4", "2025-04-23",
        "The Pentagon said North Korea had sent 11,000 troops to Russia.",
        [(["Pentagon"], "said", "North Korea had sent 11,000 troops to Russia")],
        [("Pentagon", "organization", []), ("North Korea", "place", []), ("Russia", "place", [])],
    )  # fmt: skip
    ledger.add(other)
    ledger.update_crossdoc(["a4"])
    found = claims.claim_detail(ledger.con, nis["id"])
    assert found is not None
    nis = found.to_dict()
    assert nis["independence"] == "independent"
    assert len(nis["members"]) == 3


@pytest.mark.model
def test_a_stand_in_in_an_article_that_never_names_the_origin_is_independent(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "s1": ("2026-03-02", "Coast Wire", "CAGLIARI, March 2 (Coast Wire) — More than 900 "
               "migrants landed on the Sardinian island of San Pietro between Friday and Sunday, "
               "the prefecture said on Monday. The island's coast guard said its patrol boats "
               "had escorted 31 boats into the harbour of Carloforte over the three days."),
        "s2": ("2026-03-03", "Island Post", "CARLOFORTE, March 3 (Island Post) — The rescue "
               "charity Tidewatch said on Tuesday that arrivals on San Pietro over the weekend "
               "were far higher than the prefecture's count. The group, which flies a spotter "
               "plane over the channel, said its crews had logged 31 boats reaching the island "
               "over the three days."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        both = [
            c for c in list_claims(ledger.con, limit=100)
            if {m.article_id for m in c.members} == {"s1", "s2"}
        ]  # fmt: skip
        assert len(both) == 1 and {m.value for m in both[0].members} == {31}
        # "the group" of the second article is not the coast guard, which it never names
        assert both[0].independence == "independent"
