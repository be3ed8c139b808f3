"""Across articles: one identity per entity (``crossdoc.identity``, ``ledger.entities``)."""

from __future__ import annotations

from pathlib import Path

from test_crossdoc_common import (
    A1,
    A2,
    A3,
    K1,
    K2,
    make_ledger,
    member_entity,
    record,
)

from newsledger.crossdoc import identity
from newsledger.ledger import entities
from newsledger.model import (
    Analysis,
)
from newsledger.text import normalize_name


def test_normalize_and_acronym() -> None:
    assert normalize_name("Kim Jong-un") == normalize_name("Kim Jong Un")
    assert normalize_name("South Korea's") == "south korea"
    assert normalize_name("the Kremlin") == "kremlin"
    assert identity.acronym("Korean Central News Agency") == "kcna"
    assert identity.acronym("National Intelligence Service") == "nis"
    assert identity.acronym("Kremlin") is None


def test_identity_merges_hyphen_alias_and_acronym(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path / "l.db", A1, A2, A3, K1, K2)
    # hyphen: Kim Jong Un (a1, k1) and Kim Jong-un (a2, k2)
    kim = {member_entity(ledger, a, n) for a, n in
           [("a1", "Kim Jong Un"), ("a2", "Kim Jong-un"), ("k1", "Kim Jong Un"),
            ("k2", "Kim Jong-un")]}  # fmt: skip
    assert len(kim) == 1
    # alias: NIS is an alias in a2 and a name in a3
    assert member_entity(ledger, "a2", "National Intelligence Service") == member_entity(
        ledger, "a3", "NIS"
    )
    # acronym: KCNA (k1) and Korean Central News Agency (k2), no alias given anywhere
    kcna = member_entity(ledger, "k1", "KCNA")
    assert kcna == member_entity(ledger, "k2", "Korean Central News Agency")
    assert entities.show_entity(ledger.con, kcna)["name"] == "Korean Central News Agency"
    # different things stay apart
    assert member_entity(ledger, "a1", "North Korea") != member_entity(ledger, "a1", "Russia")


def test_surname_only_person_kept_apart_when_ambiguous(tmp_path: Path) -> None:
    def park(aid: str, text: str, name: str) -> Analysis:
        return record(aid, "2025-04-21", text, [], [(name, "person", [])])

    one = make_ledger(tmp_path / "one.db", park("p1", "Park Ji-hoon spoke.", "Park Ji-hoon"),
                      park("p2", "Park spoke again.", "Park"))  # fmt: skip
    assert member_entity(one, "p1", "Park Ji-hoon") == member_entity(one, "p2", "Park")
    two = make_ledger(
        tmp_path / "two.db",
        park("p1", "Park Ji-hoon spoke.", "Park Ji-hoon"),
        park("p3", "Park Min-su spoke.", "Park Min-su"),
        park("p2", "Park spoke again.", "Park"),
        park("p4", "Park answered.", "Park"),
    )
    ids = {
        member_entity(two, a, n)
        for a, n in [("p1", "Park Ji-hoon"), ("p3", "Park Min-su"), ("p2", "Park"), ("p4", "Park")]
    }
    assert len(ids) == 4  # fmt: skip


def test_a_surname_spelled_two_ways_is_one_person_when_only_one_fits(tmp_path: Path) -> None:
    assert identity.spelling_skeleton("Virtannen") == identity.spelling_skeleton("Virtanen")
    assert identity.spelling_skeleton("Virtanen") != identity.spelling_skeleton("Vartola")

    def said(aid: str, name: str) -> Analysis:
        return record(aid, "2026-10-05", f"{name} spoke.", [], [(name, "person", [])])

    one = make_ledger(tmp_path / "one.db", said("t1", "Mikko Virtanen"),
                      said("t2", "Mikko Virtannen"))  # fmt: skip
    assert member_entity(one, "t1", "Mikko Virtanen") == member_entity(one, "t2", "Mikko Virtannen")
    # a surname of two words written as one ("Van Dijk" / "Vandijk")
    two = make_ledger(tmp_path / "two.db", said("t1", "Marit Van Dorsselaer"),
                      said("t2", "Marit Vandorsselaer"))  # fmt: skip
    assert member_entity(two, "t1", "Marit Van Dorsselaer") == member_entity(
        two, "t2", "Marit Vandorsselaer"
    )
    # another first name is another person
    other = make_ledger(tmp_path / "o.db", said("t1", "Mikko Virtanen"),
                        said("t4", "Anna Virtannen"))  # fmt: skip
    assert member_entity(other, "t1", "Mikko Virtanen") != member_entity(
        other, "t4", "Anna Virtannen"
    )


def test_a_surname_with_a_slip_the_skeleton_misses_is_one_person_when_alike(
    tmp_path: Path,
) -> None:
    # a letter swapped, a letter added: the skeletons differ, the spellings are close
    assert identity.spelling_skeleton("Lindqvist") != identity.spelling_skeleton("Lindquist")
    assert identity.spelled_alike("Anita Lindqvist", "Anita Lindquist", 0.85)
    assert identity.spelled_alike("Darnell Ekstrom", "Darnell Eckstrom", 0.85)
    assert not identity.spelled_alike("Anita Lindqvist", "Anita Lindgren", 0.85)
    assert not identity.spelled_alike("Anita Lindqvist", "Maria Lindquist", 0.85)
    assert not identity.spelled_alike("John Smith", "John Smyth", 0.85)  # too short to tell

    def said(aid: str, name: str) -> Analysis:
        return record(aid, "2026-10-05", f"{name} spoke.", [], [(name, "person", [])])

    one = make_ledger(tmp_path / "one.db", said("t1", "Anita Lindqvist"),
                      said("t2", "Anita Lindquist"))  # fmt: skip
    assert member_entity(one, "t1", "Anita Lindqvist") == member_entity(
        one, "t2", "Anita Lindquist"
    )
    # a surname as far off is another person
    two = make_ledger(tmp_path / "two.db", said("t1", "Anita Lindqvist"),
                      said("t3", "Anita Lindgren"))  # fmt: skip
    assert member_entity(two, "t1", "Anita Lindqvist") != member_entity(two, "t3", "Anita Lindgren")


def test_hand_merge_and_split_kept_through_reingest_and_rebuild(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path / "l.db", A1, A2, A3)
    ua, nis = (
        member_entity(ledger, "a1", "Ukrainian officials"),
        member_entity(ledger, "a2", "National Intelligence Service"),
    )
    assert ua != nis
    with ledger.transaction() as con:
        entities.add_rule(con, "merge", "Ukrainian officials", "NIS")
    assert member_entity(ledger, "a1", "Ukrainian officials") == member_entity(ledger, "a3", "NIS")
    log = ledger.con.execute("SELECT action, by FROM entity_merge_log WHERE by = 'user'").fetchall()
    assert [tuple(r) for r in log] == [("merge", "user")]
    with ledger.transaction() as con:
        entities.add_rule(con, "split", "NIS", "a3:e2")
    assert member_entity(ledger, "a3", "NIS") != member_entity(
        ledger, "a2", "National Intelligence Service"
    )
    # re-ingest a1 and a3: the rules hold
    for r in (A1, A3):
        assert ledger.delete(r.article.id)
        assert ledger.add(r)
    ledger.update_crossdoc(["a1", "a3"])
    assert member_entity(ledger, "a1", "Ukrainian officials") == member_entity(
        ledger, "a2", "National Intelligence Service"
    )
    assert member_entity(ledger, "a3", "NIS") != member_entity(
        ledger, "a2", "National Intelligence Service"
    )
    ledger.rebuild_crossdoc()
    assert member_entity(ledger, "a1", "Ukrainian officials") == member_entity(
        ledger, "a2", "National Intelligence Service"
    )
    assert member_entity(ledger, "a3", "NIS") != member_entity(
        ledger, "a2", "National Intelligence Service"
    )


def test_top_sources_count_one_ledger_entity_once(tmp_path: Path) -> None:
    from newsledger.ledger import query

    ledger = make_ledger(tmp_path / "l.db", K1, K2)
    rows = {r.source: r.to_dict() for r in query.sources(ledger.con, limit=50)}
    per_article = {
        r["source_name"]
        for r in ledger.con.execute(
            "SELECT source_name FROM attributions WHERE source_name LIKE 'Kim%'"
        )
    }
    assert per_article == {"Kim Jong Un", "Kim Jong-un"}  # two spellings in the articles …
    kim = [name for name in rows if name.startswith("Kim")]
    assert kim == ["Kim Jong Un"]  # … one source in the ledger
    assert rows["Kim Jong Un"]["articles"] == 2
