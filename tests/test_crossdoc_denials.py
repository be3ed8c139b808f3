"""What a denial denies: its content read as the claim it answers, and the claims that
accuse its source."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_crossdoc_common import ledger_of

from newsledger.crossdoc.conflicts import (
    accused_in,
    denied_text,
    mask_names,
    name_heads,
    named_alike,
)
from newsledger.ledger import Ledger, conflicts
from newsledger.model import Article
from newsledger.pipeline import Analyzer


def test_a_denial_is_compared_by_what_it_denies() -> None:
    assert (
        denied_text(
            "allegations that its inspectors ignored the cracks, saying every bridge was checked",
            "the agency",
        )
        == "the agency's inspectors ignored the cracks"
    )
    assert denied_text("that they had hidden the losses", "the Marlow family") == (
        "the Marlow family had hidden the losses"
    )
    assert denied_text("claims from the opposition that it rigged the vote", "the council") == (
        "the council rigged the vote"
    )
    # the accuser named: "its" is the accuser's, not the denier's
    assert denied_text("claims by the union that its members were locked out", "the firm") == (
        "its members were locked out"
    )
    # nothing to strip: the content as it is
    assert denied_text("the figures", None) == "the figures"


def test_a_claim_accuses_the_source_it_names_as_its_subject() -> None:
    assert accused_in('"Two Ostravian tanks crossed the river at dawn,', ["Ostravia"])
    assert accused_in("that the directors paid themselves bonuses", ["directors of Kelm Bank"])
    assert accused_in("Kelm Bank had hidden the losses for a year", ["Kelm Bank"])
    # the source named further on, or not as the one who acts
    assert not accused_in("A truce between Ostravia and its neighbour held", ["Ostravia"])
    assert not accused_in("that Kelm Bank's pension fund was short", ["directors of Kelm Bank"])
    assert not accused_in("the river rose overnight", [])
    # a stock word for any source names no one in particular
    assert not accused_in("that the agency had no evidence of it", ["the state news agency"])
    assert name_heads("directors of Kelm Bank") == {"directors", "bank"}
    # a place after "in" is where the source is, not who it is
    assert name_heads("officials in Harlow County") == {"officials"}
    assert name_heads("A consumer association in Agrigento") == {"association"}


def test_one_source_described_two_ways_is_named_alike() -> None:
    assert named_alike("French customs", "the customs directorate")
    assert named_alike("the court clerk's office", "the clerk of Cleveland's housing court")
    # a possessor is another party; a shared place or stock word names no one
    assert not named_alike("the company", "the company's critics")
    assert not named_alike("the health department", "health officials")
    assert not named_alike("A consumer association in Agrigento", "Idrosud Agrigento")
    assert not named_alike("the regional police", "a committee of relatives")
    assert not named_alike(None, "the board")


@pytest.mark.model
def test_a_denial_in_other_words_finds_the_accusation_it_answers(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "n1": ("2026-03-02", "Baltic Wire", "A fishing truce between Ostravia and the Republic "
               "of Talmis held through its first week on Monday, officials from both countries "
               "said, after talks in Oslo. Ostravia said its coast guard had stopped 12 Talmisian "
               "trawlers for fishing without licences."),
        "n2": ("2026-03-04", "Northern Courier", "Talmis fisheries minister Anja Brekk said on "
               "Wednesday that the fishing truce with Ostravia was fragile. \"Three Ostravian "
               "patrol boats chased our trawlers off the Sele banks on Tuesday,\" Brekk said. "
               "Brekk said the Talmisian fleet had lost a week of catch since the truce began."),
        "n3": ("2026-03-06", "Baltic Wire", "Ostravia on Friday denied that any of its ships "
               "had entered Talmisian waters since the fishing truce began, calling the "
               "accusation an attempt to derail the talks in Oslo."),
    }  # fmt: skip
    with Ledger(tmp_path / "l.db") as ledger:
        for aid, (day, site, text) in texts.items():
            ledger.add(next(analyzer.pipe([Article(text=text, id=aid, published=day, site=site)])))
        ledger.update_crossdoc(list(texts))
        rows = conflicts.list_conflicts(ledger.con, kind="denial")
        denied = {
            (r["attribution_a"].rsplit(":", 1)[0], r["attribution_b"].rsplit(":", 1)[0])
            for r in rows
        }
        assert ("n2", "n3") in denied or ("n3", "n2") in denied
        accused = [r for r in rows if "Ostravian patrol boats" in _content(ledger, r)]
        assert accused, rows
        # Ostravia's own statement is not what Ostravia denies
        assert not any({r["attribution_a"][:2], r["attribution_b"][:2]} == {"n1", "n3"}
                       and "Ostravia" in (r["source_a"] or "") + (r["source_b"] or "")
                       and "stopped" in _content(ledger, r) for r in rows)  # fmt: skip


def _content(ledger: Ledger, row: dict[str, object]) -> str:
    out = []
    for side in ("a", "b"):
        article, _, att = str(row[f"attribution_{side}"]).rpartition(":")
        found = ledger.con.execute(
            "SELECT content_text FROM attributions WHERE article_id = ? AND id = ?", (article, att)
        ).fetchone()
        out.append(found[0] if found else "")
    return " | ".join(out)


@pytest.mark.model
def test_a_denial_without_a_claim_is_read_by_the_reason_it_gives(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "r1": ("2026-10-06", "Lakeside Times", "The mayoral recount in Dunmore went into a "
               "second day on Tuesday. Jill Ortega, a lawyer for candidate Sam Whitlock, said "
               "the campaign's volunteers had been barred from the counting room for most of "
               "Monday. The city clerk said 4,100 ballots had been recounted."),
        "r2": ("2026-10-08", "Dunmore Herald", "The Dunmore city clerk on Thursday rejected "
               "accusations from the Whitlock campaign, saying that no volunteer from either "
               "side had been kept out of the counting room. The recount is expected to end "
               "on Friday."),
    }  # fmt: skip
    with Ledger(tmp_path / "l.db") as ledger:
        for aid, (day, site, text) in texts.items():
            ledger.add(next(analyzer.pipe([Article(text=text, id=aid, published=day, site=site)])))
        ledger.update_crossdoc(list(texts))
        rows = conflicts.list_conflicts(ledger.con, kind="denial")
        assert any("barred from the counting room" in _content(ledger, r) for r in rows), rows


@pytest.mark.model
def test_a_claim_stored_after_its_denial_of_the_same_day_is_linked(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "d1": ("2026-03-02", "Baltic Wire", "A fishing truce between Ostravia and the Republic "
               "of Talmis held through its first week on Monday, officials from both countries "
               "said, after talks in Oslo."),
        "d3": ("2026-03-06", "Baltic Wire", "Ostravia on Friday denied that any of its ships "
               "had entered Talmisian waters near the Sele banks since the fishing truce with "
               "the Republic of Talmis began, calling the accusation an attempt to derail the "
               "talks in Oslo."),
        "d2": ("2026-03-06", "Northern Courier", "Talmis fisheries minister Anja Brekk said on "
               "Friday that the fishing truce with Ostravia was fragile. \"Three Ostravian "
               "patrol boats chased our trawlers off the Sele banks on Thursday,\" Brekk said."),
    }  # fmt: skip
    with Ledger(tmp_path / "l.db") as ledger:
        for aid, (day, site, text) in texts.items():
            ledger.add(next(analyzer.pipe([Article(text=text, id=aid, published=day, site=site)])))
        ledger.update_crossdoc(list(texts))
        rows = conflicts.list_conflicts(ledger.con, kind="denial")
        assert any("Ostravian patrol boats" in _content(ledger, r) for r in rows), rows


def test_names_are_masked_to_compare_what_is_said() -> None:
    masked = mask_names("the Nordvik Aurora had strayed from the lane before it ran aground")
    assert "Nordvik" not in masked and "strayed from the lane" in masked
    # an opening stop word is kept, an opening name is not
    assert mask_names("The Bank of England cut rates") == "The it cut rates"
    assert mask_names("Halvard Shipping denied it") == "it denied it"
    assert mask_names("") == ""


@pytest.mark.model
def test_a_denial_by_a_description_answers_the_claim_accusing_what_it_stands_for(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    texts = {
        "h1": ("2026-05-04", "Huron Daily", "ALPENA, Mich. — County Commissioner Ray Delacroix "
               "said on Monday he had been told that Lakeview was negotiating to sell the "
               "hospital's east wing, which houses the birthing suites, to a senior-living "
               "developer. Nurses at Alpena General said the maternity unit was busy."),
        "h2": ("2026-05-06", "Lakes Wire", "ALPENA, Mich. — Lakeview Health Partners said on "
               "Wednesday that it would close the maternity unit at Alpena General in June, "
               "citing staffing and low birth numbers. The company also said it was untrue "
               "that it had discussed selling any part of the hospital."),
    }  # fmt: skip
    with ledger_of(analyzer, tmp_path / "l.db", texts) as ledger:
        rows = conflicts.list_conflicts(ledger.con, kind="denial")
        # "the company" stands for Lakeview Health Partners, whom the claim accuses by name
        assert any("negotiating to sell" in _content(ledger, r) for r in rows), rows
