"""Across articles: timelines per ledger entity (``ledger.timeline``)."""

from __future__ import annotations

from pathlib import Path

from test_crossdoc_common import (
    A1,
    A2,
    K1,
    K2,
    make_ledger,
)

from newsledger.ledger import timeline


def test_timeline_said_and_about(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path / "l.db", A1, A2, K1, K2)
    t = timeline.timeline(ledger.con, "Kim Jong-un")
    assert t is not None and t["name"] == "Kim Jong Un"
    assert [i["article_id"] for i in t["said"]] == ["k1", "k2"]
    assert [i["date"] for i in t["said"]] == ["2025-04-28", "2025-04-29"]
    assert "origin" in t["said"][0]["roles"]
    kcna = timeline.timeline(ledger.con, "KCNA")
    assert [i["article_id"] for i in kcna["said"]] == ["k1", "k2"]
    assert {"relay"} <= set(kcna["said"][0]["roles"])
    russia = timeline.timeline(ledger.con, "Russia")
    assert [i["article_id"] for i in russia["about"]] == ["a1", "a2"]
    assert timeline.timeline(ledger.con, "nobody at all") is None
