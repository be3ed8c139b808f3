"""Across articles: claim clusters, their independence (``crossdoc.claims``, ``ledger.claims``)."""

from __future__ import annotations

from pathlib import Path

from test_crossdoc_common import (
    A1,
    A2,
    A3,
    K1,
    K2,
    claim_of,
    make_ledger,
    record,
)

from newsledger.ledger import claims


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
