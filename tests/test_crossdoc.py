"""Across articles: entity identity, claim clusters, conflicts, timelines, incremental update."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.crossdoc import identity
from newsledger.crossdoc.figures import interval
from newsledger.ingest import ingest
from newsledger.ledger import Ledger, claims, conflicts, entities, timeline
from newsledger.model import (
    Analysis,
    ArticleInfo,
    Attribution,
    DateMention,
    Entity,
    Quantity,
    Source,
    Span,
)
from newsledger.pipeline import Analyzer

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------- hand-made records


def _span(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(part, start, start + len(part))


def record(
    aid: str,
    published: str,
    text: str,
    says: list[tuple[list[str], str, str]],
    entities: list[tuple[str, str, list[str]]] = (),  # type: ignore[assignment]
    quantities: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> Analysis:
    """An analysis of ``text``: ``says`` = [(chain, cue, content)], ``entities`` =
    [(name, type, aliases)] with mentions found in the text; a chain's last link is the
    source and gets the entity of that name when there is one."""
    ents = []
    for i, (name, type_, aliases) in enumerate(entities, start=1):
        mentions = []
        for n in (name, *aliases):
            pos = text.find(n)
            while pos >= 0:
                mentions.append([pos, pos + len(n)])
                pos = text.find(n, pos + 1)
        ents.append(Entity(f"e{i}", name, type_, list(aliases), sorted(mentions)))
    atts = []
    for i, (chain, cue, content) in enumerate(says, start=1):
        last = chain[-1]
        ent = next((e for e in ents if last in (e.name, *e.aliases)), None)
        s = text.index(last)
        source = Source(last, s, s + len(last), ent.name if ent else last,
                        ent.id if ent else None, ent.type if ent else "unknown")  # fmt: skip
        atts.append(Attribution(
            f"a{i}", "indirect", _span(text, cue), _span(text, content), source,
            chain=[*chain[:-1], source.name],
        ))  # fmt: skip
    qs = []
    for j, q in enumerate(quantities, start=1):
        sp = _span(text, q.pop("text"))
        qs.append(Quantity(sp.text, sp.start, sp.end, id=f"q{j}", **q))
    sha = hashlib.sha256(text.encode()).hexdigest()
    return Analysis(
        ArticleInfo(aid, None, published, None, sha), text,
        attributions=atts, entities=ents, quantities=qs,
    )  # fmt: skip


A1 = record(
    "a1", "2025-04-20",
    "Ukrainian officials said North Korea has sent 14,000 troops to Russia. "
    "Kim Jong Un visited a factory.",
    [(["Ukrainian officials"], "said", "North Korea has sent 14,000 troops to Russia")],
    [("North Korea", "place", []), ("Russia", "place", []), ("Kim Jong Un", "person", []),
     ("Ukrainian officials", "group", [])],
)  # fmt: skip
A2 = record(
    "a2", "2025-04-21",
    "The National Intelligence Service (NIS) said North Korea had sent 11,000 troops to "
    "Russia. Kim Jong-un was not seen.",
    [(["National Intelligence Service"], "said",
      "North Korea had sent 11,000 troops to Russia")],
    [("National Intelligence Service", "organization", ["NIS"]), ("North Korea", "place", []),
     ("Russia", "place", []), ("Kim Jong-un", "person", [])],
)  # fmt: skip
A3 = record(
    "a3", "2025-04-22",
    "Yonhap, citing the NIS, reported that North Korea had sent 11,000 troops to Russia.",
    [(["Yonhap", "NIS"], "reported", "North Korea had sent 11,000 troops to Russia")],
    [("Yonhap", "organization", []), ("NIS", "organization", []),
     ("North Korea", "place", []), ("Russia", "place", [])],
)  # fmt: skip
# Kim's words through KCNA in two outlets, KCNA spelled out in one of them
K1 = record(
    "k1", "2025-04-28",
    "KCNA quoted Kim Jong Un as saying that the heroic soldiers liberated the Kursk region "
    "with unmatched courage.",
    [(["KCNA", "Kim Jong Un"], "quoted",
      "that the heroic soldiers liberated the Kursk region with unmatched courage")],
    [("KCNA", "organization", []), ("Kim Jong Un", "person", [])],
)  # fmt: skip
K2 = record(
    "k2", "2025-04-29",
    "The Korean Central News Agency quoted Kim Jong-un as saying that heroic soldiers "
    "liberated the Kursk region with unmatched courage.",
    [(["Korean Central News Agency", "Kim Jong-un"], "quoted",
      "that heroic soldiers liberated the Kursk region with unmatched courage")],
    [("Korean Central News Agency", "organization", []), ("Kim Jong-un", "person", [])],
)  # fmt: skip
# a denial of the casualty figures, and the figures
C1 = record(
    "c1", "2025-04-20",
    "According to Ukraine's HUR, about 4,700 North Korean soldiers have been killed or "
    "injured.",
    [(["HUR"], "According to",
      "about 4,700 North Korean soldiers have been killed or injured")],
    [("HUR", "organization", [])],
)  # fmt: skip
D1 = record(
    "d1", "2025-04-30",
    "Pyongyang dismissed the casualty figures as a fabrication from start to finish.",
    [(["Pyongyang"], "dismissed", "the casualty figures as a fabrication from start to finish")],
    [("Pyongyang", "place", [])],
)  # fmt: skip


def make_ledger(path: Path, *records: Analysis) -> Ledger:
    ledger = Ledger(path)
    for r in records:
        assert ledger.add(r)
    ledger.update_crossdoc([r.article.id for r in records])
    return ledger


def member_entity(ledger: Ledger, article: str, name: str) -> int:
    row = ledger.con.execute(
        "SELECT m.ledger_entity FROM ledger_entity_members m JOIN entities e ON"
        " e.article_id = m.article_id AND e.id = m.entity_id WHERE m.article_id = ?"
        " AND e.name = ?",
        (article, name),
    ).fetchone()
    return row[0]


def snapshot(ledger: Ledger) -> tuple[Any, ...]:
    """Clusters and conflicts as comparable sets of attribution references."""
    con = ledger.con
    groups = {}
    for cid, ref in con.execute(
        "SELECT claim_id, article_id || ':' || attribution_id FROM claim_members"
    ):
        groups.setdefault(cid, set()).add(ref)
    clusters = sorted(tuple(sorted(g)) for g in groups.values())
    verdicts = sorted(
        (tuple(sorted(groups[r[0]])), r[1])
        for r in con.execute("SELECT id, independence FROM claims")
    )
    found = sorted(
        (r[0], *sorted((tuple(sorted(groups[r[1]])), tuple(sorted(groups[r[2]])))), r[3], r[4])
        for r in con.execute(
            "SELECT kind, claim_a, claim_b, value_a || '|' || value_b, attribution_a"
            " || '|' || attribution_b FROM conflicts"
        )
    )
    entities = sorted(
        tuple(sorted(f"{a}:{e}" for a, e in con.execute(
            "SELECT article_id, entity_id FROM ledger_entity_members WHERE ledger_entity = ?",
            (lid,),
        ))) for (lid,) in con.execute("SELECT id FROM ledger_entities")
    )  # fmt: skip
    return clusters, verdicts, found, entities


# ---------------------------------------------------------------- identity


def test_normalize_and_acronym() -> None:
    assert identity.normalize_name("Kim Jong-un") == identity.normalize_name("Kim Jong Un")
    assert identity.normalize_name("South Korea's") == "south korea"
    assert identity.normalize_name("the Kremlin") == "kremlin"
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


# ---------------------------------------------------------------- claims


def _claim_of(ledger: Ledger, article: str) -> dict[str, Any]:
    cid = ledger.con.execute(
        "SELECT claim_id FROM claim_members WHERE article_id = ?", (article,)
    ).fetchone()[0]
    return claims.claim_detail(ledger.con, cid)


def test_relay_only_and_independent_clusters(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path / "l.db", A1, A2, A3, K1, K2)
    # Kim via KCNA in two outlets: one origin, relayed
    kim = _claim_of(ledger, "k1")
    assert {m["article_id"] for m in kim["members"]} == {"k1", "k2"}
    assert kim["independence"] == "relay_only"
    assert {o["name"] for o in kim["origins"]} == {"Kim Jong Un"}
    # NIS directly (a2) and through Yonhap (a3): the same origin, so not corroboration
    nis = _claim_of(ledger, "a2")
    assert {m["article_id"] for m in nis["members"]} == {"a2", "a3"}
    assert nis["independence"] == "relay_only"
    assert nis["members"][1]["chain"] == ["Yonhap", "NIS"]
    # 14,000 is another claim (its figure disagrees)
    assert _claim_of(ledger, "a1")["id"] != nis["id"]
    # a second, independent origin for 11,000
    other = record(
        "a4", "2025-04-23",
        "The Pentagon said North Korea had sent 11,000 troops to Russia.",
        [(["Pentagon"], "said", "North Korea had sent 11,000 troops to Russia")],
        [("Pentagon", "organization", []), ("North Korea", "place", []), ("Russia", "place", [])],
    )  # fmt: skip
    ledger.add(other)
    ledger.update_crossdoc(["a4"])
    nis = claims.claim_detail(ledger.con, nis["id"])
    assert nis["independence"] == "independent"
    assert len(nis["members"]) == 3


# ---------------------------------------------------------------- conflicts


def test_quantity_conflict_14000_vs_11000(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path / "l.db", A1, A2)
    rows = conflicts.list_conflicts(ledger.con, kind="quantity")
    assert len(rows) == 1
    row = rows[0]
    assert {row["value_a"], row["value_b"]} == {"14,000", "11,000"}
    assert {row["attribution_a"], row["attribution_b"]} == {"a1:a1", "a2:a1"}
    assert {row["source_a"], row["source_b"]} == {
        "Ukrainian officials",
        "National Intelligence Service",
    }
    assert "troops/total" in row["explanation"]


@pytest.mark.parametrize(
    ("first", "second", "conflict"),
    [
        ("1,000 to 3,000", "at least 1,500", False),  # ranges overlap
        ("about 12,000", "12,400", False),  # within the approximation
        ("about 12,000", "about 11,000", True),  # both rounded to thousands, different
        ("3,000", "at least 1,500", True),  # a minimum far below
        ("roughly 4,700", "4,650", False),
    ],
)
def test_tolerance(tmp_path: Path, first: str, second: str, conflict: bool) -> None:
    def rec(aid: str, who: str, figure: str) -> Analysis:
        text = f"{who} said that {figure} soldiers had been sent to Russia."
        return record(aid, "2025-04-21", text,
                      [([who], "said", f"that {figure} soldiers had been sent to Russia")],
                      [(who, "organization", []), ("Russia", "place", [])])  # fmt: skip

    ledger = make_ledger(tmp_path / "l.db", rec("x1", "Kyiv", first), rec("x2", "Seoul", second))
    assert bool(conflicts.list_conflicts(ledger.con, kind="quantity")) is conflict


def test_record_quantities_are_used_with_their_flags(tmp_path: Path) -> None:
    def rec(aid: str, who: str, text_figure: str, **q: Any) -> Analysis:
        text = f"{who} said {text_figure} soldiers were sent to Russia."
        content = f"{text_figure} soldiers were sent to Russia"
        quantity = {"text": text_figure, "attribution": "a1", "unit": "soldiers", **q}
        return record(
            aid, "2025-04-21", text, [([who], "said", content)],
            [(who, "organization", []), ("Russia", "place", [])], [quantity],
        )  # fmt: skip

    vague = make_ledger(
        tmp_path / "v.db",
        rec("v1", "Kyiv", "thousands of", value=2000, vague=True),
        rec("v2", "Seoul", "3,000", value=3000),
    )
    assert not conflicts.list_conflicts(vague.con)
    exact = make_ledger(tmp_path / "e.db", rec("v1", "Kyiv", "2,000", value=2000),
                        rec("v2", "Seoul", "3,000", value=3000))  # fmt: skip
    assert len(conflicts.list_conflicts(exact.con, kind="quantity")) == 1


def test_interval_documented_tolerance() -> None:
    assert interval(12000, None, approximate=True, vague=False, bound=None) == (11550, 12450)
    lo, hi = interval(1500, None, approximate=False, vague=False, bound="lower")
    assert (lo, hi) == (1500, 2250)
    assert interval(100, None, approximate=False, vague=False, bound=None) == (99, 101)


def test_denial_conflict(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path / "l.db", C1, D1)
    rows = conflicts.list_conflicts(ledger.con, kind="denial")
    assert len(rows) == 1
    assert {rows[0]["attribution_a"], rows[0]["attribution_b"]} == {"c1:a1", "d1:a1"}
    assert "killed_or_injured" in rows[0]["explanation"]
    # a denial published before the figures does not answer them
    early = make_ledger(tmp_path / "e.db", record(
        "d0", "2025-04-10", D1.text, [(["Pyongyang"], "dismissed",
        "the casualty figures as a fabrication from start to finish")],
        [("Pyongyang", "place", [])]), C1)  # fmt: skip
    assert not conflicts.list_conflicts(early.con, kind="denial")


def test_date_conflict(tmp_path: Path) -> None:
    def rec(aid: str, who: str, when: str) -> Analysis:
        text = f"{who} said the troops began arriving in Russia {when}."
        return record(aid, "2025-04-21", text,
                      [([who], "said", f"the troops began arriving in Russia {when}")],
                      [(who, "organization", []), ("Russia", "place", [])])  # fmt: skip

    ledger = make_ledger(tmp_path / "l.db", rec("t1", "Kyiv", "in October"),
                         rec("t2", "Seoul", "in early November"),
                         rec("t3", "Washington", "in late October"))  # fmt: skip
    rows = conflicts.list_conflicts(ledger.con, kind="date")
    pairs = {frozenset((r["attribution_a"][:2], r["attribution_b"][:2])) for r in rows}
    # October vs early November and late October vs early November; October ⊃ late October
    assert pairs == {frozenset(("t1", "t2")), frozenset(("t2", "t3"))}


# ---------------------------------------------------------------- incremental, timeline


def test_incremental_update_equals_rebuild(tmp_path: Path) -> None:
    records = [A1, A2, A3, K1, K2, C1, D1]
    ledger = Ledger(tmp_path / "l.db")
    for r in records:  # one update per article, as separate ingests would do
        ledger.add(r)
        ledger.update_crossdoc([r.article.id])
    incremental = snapshot(ledger)
    assert incremental[2], "the records hold conflicts"
    ledger.rebuild_crossdoc()
    assert snapshot(ledger) == incremental
    # updating again changes nothing
    ledger.update_crossdoc([r.article.id for r in records])
    assert snapshot(ledger) == incremental


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


# ---------------------------------------------------------------- example corpus + CLI


@pytest.fixture(scope="module")
def example_db(tmp_path_factory: pytest.TempPathFactory, analyzer: Analyzer) -> Path:
    folder = tmp_path_factory.mktemp("examples")
    shutil.copy(ROOT / "examples" / "corpus.jsonl", folder / "corpus.jsonl")
    shutil.copy(ROOT / "examples" / "north-korea-kursk.txt", folder / "north-korea-kursk.txt")
    db = folder / "x.db"
    with Ledger(db) as ledger:
        stats = ingest(ledger, [str(folder)], published="2025-04-29", analyzer=analyzer)
        assert stats.stored == 18 and stats.crossdoc and stats.crossdoc["articles"] == 18
    return db


def _cli(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_example_ledger_shows_clusters_and_conflicts(example_db: Path) -> None:
    db = str(example_db)
    found = _cli("claims", "--db", db, "--min-articles", "2", "--format", "json")
    verdicts = {c["independence"] for c in found}
    assert {"independent", "relay_only"} <= verdicts
    casualties = [c for c in found if c["facet"] == "troops/killed_or_injured"]
    assert casualties and casualties[0]["independence"] == "independent"
    assert len({m["article_id"] for m in casualties[0]["members"]}) >= 2
    rows = _cli("conflicts", "--db", db, "--format", "json")
    values = {frozenset((r["value_a"], r["value_b"])) for r in rows if r["kind"] == "quantity"}
    assert frozenset(("14,000", "11,000")) in values
    assert {"quantity", "date", "denial"} <= {r["kind"] for r in rows}
    about = _cli("claims", "--db", db, "--about", "killed", "--format", "json")
    assert about and all(any("kill" in m["content"].lower() for m in c["members"]) for c in about)
    t = _cli("timeline", "KCNA", "--db", db, "--format", "json")
    assert t["name"] == "Korean Central News Agency" and len(t["said"]) >= 5
    listed = _cli("entities", "list", "--db", db, "--format", "json")
    assert any(e["name"] == "Kim Jong Un" for e in listed)
    shown = _cli("entities", "show", "Kim Jong-un", "--db", db)
    assert {"Kim Jong Un", "Kim Jong-un"} <= set(shown["names"])


def test_cli_merge_split_rebuild_and_errors(example_db: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "copy.db")
    shutil.copy(example_db, db)
    runner = CliRunner()
    result = runner.invoke(app, ["entities", "merge", "Pentagon", "Defense Department", "--db", db])
    assert result.exit_code == 0, result.output
    shown = _cli("entities", "show", "Pentagon", "--db", db)
    assert {"Pentagon", "Defense Department"} <= set(shown["names"])
    result = runner.invoke(app, ["crossdoc", "rebuild", "--db", db])
    assert result.exit_code == 0, result.output
    shown = _cli("entities", "show", "Pentagon", "--db", db)
    assert {"Pentagon", "Defense Department"} <= set(shown["names"])
    member = shown["members"][0]
    ref = f"{member['article_id']}:{member['entity_id']}"
    result = runner.invoke(app, ["entities", "split", "Pentagon", ref, "--db", db])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["entities", "show", "no such thing", "--db", db]).exit_code == 1
    assert (
        runner.invoke(app, ["entities", "merge", "Pentagon", "nobody", "--db", db]).exit_code == 1
    )
    assert runner.invoke(app, ["entities", "split", "Pentagon", "noref", "--db", db]).exit_code == 2
    assert runner.invoke(app, ["timeline", "nobody", "--db", db]).exit_code == 1
    assert runner.invoke(app, ["conflicts", "--kind", "x", "--db", db]).exit_code == 2
    assert runner.invoke(app, ["claims", "--db", str(tmp_path / "none.db")]).exit_code == 2


def test_figures_of_different_stories_do_not_conflict(tmp_path: Path) -> None:
    def rec(aid: str, published: str, city: str, figure: str) -> Analysis:
        text = f"Police said {figure} people were killed in {city}."
        return record(aid, published, text,
                      [(["Police"], "said", f"{figure} people were killed in {city}")],
                      [("Police", "organization", []), (city, "place", [])])  # fmt: skip

    other_city = make_ledger(
        tmp_path / "a.db", rec("s1", "2017-04-01", "Chicago", "two"),
        rec("s2", "2017-04-02", "Houston", "three"),
    )  # fmt: skip
    assert not conflicts.list_conflicts(other_city.con)
    months_apart = make_ledger(
        tmp_path / "b.db", rec("s1", "2017-01-01", "Chicago", "two"),
        rec("s2", "2017-04-02", "Chicago", "three"),
    )  # fmt: skip
    assert not conflicts.list_conflicts(months_apart.con)
    same_story = make_ledger(
        tmp_path / "c.db", rec("s1", "2017-04-01", "Chicago", "two"),
        rec("s2", "2017-04-02", "Chicago", "three"),
    )  # fmt: skip
    rows = conflicts.list_conflicts(same_story.con, kind="quantity")
    assert len(rows) == 1 and "people/killed" in rows[0]["explanation"]


def test_top_sources_count_one_ledger_entity_once(tmp_path: Path) -> None:
    from newsledger.ledger import query

    ledger = make_ledger(tmp_path / "l.db", K1, K2)
    rows = {r["source"]: r for r in query.sources(ledger.con, limit=50)}
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


# ---------------------------------------------------------------- the outlet's own counts


def _report(aid: str, published: str, text: str, site: str | None = None) -> Analysis:
    """A record with no attributions: every count in it is the outlet's own statement."""
    rec = record(aid, published, text, [], [("Chicago", "place", [])])
    rec.article.site = site
    return rec


def _pair_conflicts(tmp_path: Path, name: str, first: str, second: str) -> list[dict[str, Any]]:
    ledger = make_ledger(
        tmp_path / f"{name}.db",
        _report("r1", "2017-04-01", first),
        _report("r2", "2017-04-02", second),
    )  # fmt: skip
    return conflicts.list_conflicts(ledger.con, kind="quantity")


def test_outlet_own_casualty_counts_conflict(tmp_path: Path) -> None:
    ledger = make_ledger(
        tmp_path / "l.db",
        _report("r1", "2017-04-01", "Two people were killed in a shooting in Chicago on "
                "Saturday night.", site="tribune.example"),
        _report("r2", "2017-04-02", "Three people were killed in a shooting in Chicago on "
                "Saturday night, police and witnesses at the scene of the shooting said."),
    )  # fmt: skip
    rows = conflicts.list_conflicts(ledger.con, kind="quantity")
    assert len(rows) == 1
    row = rows[0]
    assert {row["value_a"], row["value_b"]} == {"2", "3"}
    assert "people/killed" in row["explanation"]
    assert {row["source_a"], row["source_b"]} == {"tribune.example", "(the article)"}
    detail = claims.claim_detail(ledger.con, row["claim_a"])
    assert detail is not None
    member = detail["members"][0]
    assert member["kind"] == "outlet"
    assert member["attribution_id"].startswith("own-")
    assert member["content"].endswith("in Chicago on Saturday night.")


def test_outlet_counts_skip_subgroups_other_groups_and_tallies(tmp_path: Path) -> None:
    base = "Nine people were injured in a shooting in Chicago on Saturday night."

    def conflicts_of(name: str, second: str, days: int = 1) -> list[dict[str, Any]]:
        ledger = make_ledger(
            tmp_path / f"{name}.db",
            _report("r1", "2017-04-01", base),
            _report("r2", f"2017-04-{1 + days:02d}", second),
        )  # fmt: skip
        return conflicts.list_conflicts(ledger.con, kind="quantity")

    # a subgroup counted beside the article's total is not a competing total
    assert not conflicts_of("sub", "Five officers were injured in the shooting. " + base)
    # additions are not totals
    more = record(
        "r2", "2017-04-02", "Police said two more people were injured in Chicago.",
        [(["Police"], "said", "two more people were injured in Chicago")],
        [("Police", "organization", []), ("Chicago", "place", [])],
    )  # fmt: skip
    ledger = make_ledger(tmp_path / "more.db", _report("r1", "2017-04-01", base), more)
    assert not conflicts.list_conflicts(ledger.con, kind="quantity")
    # a city's tally for the year is not the toll of the shooting
    assert not conflicts_of("tally", "40 people have been injured in Chicago this year. " + base)
    # counts of two different groups are different people
    officers = "Five officers were injured in a shooting in Chicago on Saturday night."
    ledger = make_ledger(
        tmp_path / "groups.db", _report("r1", "2017-04-01", officers),
        _report("r2", "2017-04-02",
                "Four civilians were injured in a shooting in Chicago on Saturday night."),
    )  # fmt: skip
    assert not conflicts.list_conflicts(ledger.con, kind="quantity")
    # the same story a day later with a different toll is a conflict; ten days later the
    # count belongs to another shooting
    changed = "Seven people were injured in a shooting in Chicago on Saturday night."
    assert len(conflicts_of("changed", changed)) == 1
    assert not conflicts_of("later", changed, days=10)


def test_conflict_between_articles_preferred_to_one_within_an_article(tmp_path: Path) -> None:
    text = ("Police said 15 people were injured in a shooting in Chicago. "
            "Doctors said eight people were injured in a shooting in Chicago.")  # fmt: skip
    first = record(
        "w1", "2017-04-01", text,
        [(["Police"], "said", "15 people were injured in a shooting in Chicago"),
         (["Doctors"], "said", "eight people were injured in a shooting in Chicago")],
        [("Police", "organization", []), ("Doctors", "group", []), ("Chicago", "place", [])],
    )  # fmt: skip
    alone = make_ledger(tmp_path / "a.db", first)
    [row] = conflicts.list_conflicts(alone.con, kind="quantity")
    assert {row["attribution_a"], row["attribution_b"]} == {"w1:a1", "w1:a2"}
    second = _report("w2", "2017-04-01", "Eight people were injured in a shooting in Chicago.")
    both = make_ledger(tmp_path / "b.db", first, second)
    [row] = conflicts.list_conflicts(both.con, kind="quantity")
    assert row["attribution_a"] == "w1:a1"
    assert row["attribution_b"].startswith("w2:own-")


def test_counts_after_a_killing_or_wounding_verb_conflict(tmp_path: Path) -> None:
    # no "killed"/"injured" after the count: the verb before it says what it counts
    ledger = make_ledger(
        tmp_path / "active.db",
        _report("r1", "2017-04-01", "A gunman opened fire at a party in Chicago on Saturday "
                "night, wounding three others."),
        _report("r2", "2017-04-02", "A gunman opened fire at a party in Chicago on Saturday "
                "night, wounding at least five others."),
    )  # fmt: skip
    [row] = conflicts.list_conflicts(ledger.con, kind="quantity")
    assert "people/injured" in row["explanation"]
    assert {row["value_a"], row["value_b"]} == {"3", "5"}
    # "killing two people" is a killed count, not an injured one
    ledger = make_ledger(
        tmp_path / "kill.db",
        _report("r1", "2017-04-01", "A gunman opened fire in Chicago on Saturday night, "
                "killing two people."),
        _report("r2", "2017-04-02", "Three people were killed in a shooting in Chicago on "
                "Saturday night."),
    )  # fmt: skip
    [row] = conflicts.list_conflicts(ledger.con, kind="quantity")
    assert "people/killed" in row["explanation"]


def test_counts_joined_by_and_are_one_count_of_people(tmp_path: Path) -> None:
    def quantity_conflicts(name: str, first: str, second: str) -> list[dict[str, Any]]:
        return _pair_conflicts(tmp_path, name, first, second)

    joined = "Three women and one man were injured in a shooting in Chicago on Saturday night."
    # "three women and one man": four people, not three women against four people
    assert not quantity_conflicts(
        "same", joined, "Four people were injured in a shooting in Chicago on Saturday night."
    )
    [row] = quantity_conflicts(
        "other", joined, "Six people were injured in a shooting in Chicago on Saturday night."
    )
    assert {row["value_a"], row["value_b"]} == {"4", "6"}
    # two counts of one facet in separate clauses are not added up
    assert len(quantity_conflicts(
        "clauses",
        "Two people were killed in a shooting in Chicago on Saturday night, and three people "
        "were killed in a crash in Chicago on Sunday.",
        "Five people were killed in a shooting in Chicago on Saturday night.",
    )) == 1  # fmt: skip


def test_counts_without_a_noun_and_the_word_that_follows_them(tmp_path: Path) -> None:
    def quantity_conflicts(name: str, first: str, second: str) -> list[dict[str, Any]]:
        return _pair_conflicts(tmp_path, name, first, second)

    # "two dead and five wounded": counts of people without a noun; each its own facet
    [row] = quantity_conflicts(
        "bare",
        "A shooting in Chicago on Saturday night left two dead and five wounded.",
        "Two people were killed and three people were injured in a shooting in Chicago on "
        "Saturday night.",
    )
    assert "people/injured" in row["explanation"]
    assert {row["value_a"], row["value_b"]} == {"5", "3"}
    # "one killed, four injured": "killed" is not the verb of "four"
    [row] = quantity_conflicts(
        "headline",
        "One killed, four injured in a shooting in Chicago on Saturday night.",
        "One person was killed and six people were injured in a shooting in Chicago on "
        "Saturday night.",
    )
    assert "people/injured" in row["explanation"]
    assert {row["value_a"], row["value_b"]} == {"4", "6"}
    # "three people are dead and four more are injured": a killed count, not killed or injured
    [row] = quantity_conflicts(
        "first-word",
        "Three people are dead and four more are injured after a shooting in Chicago on "
        "Saturday night.",
        "Two people were killed in a shooting in Chicago on Saturday night.",
    )
    assert "people/killed:" in row["explanation"]


def test_a_toll_of_an_earlier_year_is_not_the_incident_toll(tmp_path: Path) -> None:
    today = "Two people were killed in a shooting in Chicago on Saturday night."
    ledger = make_ledger(
        tmp_path / "year.db",
        _report("r1", "2017-04-01", "In 2009, seven people were killed in a shooting in "
                "Chicago. " + today),
        _report("r2", "2017-04-02", today),
    )  # fmt: skip
    assert not conflicts.list_conflicts(ledger.con, kind="quantity")
    ledger = make_ledger(
        tmp_path / "no-year.db",
        _report("r1", "2017-04-01", "Seven people were killed in a shooting in Chicago. "
                + today),
        _report("r2", "2017-04-02", today),
    )  # fmt: skip
    assert len(conflicts.list_conflicts(ledger.con, kind="quantity")) == 1


def test_an_earlier_season_toll_and_a_nationwide_tally_are_not_the_incident_toll(
    tmp_path: Path,
) -> None:
    today = "Two people were killed in a shooting in Chicago on Saturday night."
    for name, earlier in (
        ("summer", "Last summer, five people were killed in a shooting in Chicago. "),
        ("ago", "Three years ago, six people were killed in a shooting in Chicago. "),
        ("nation", "Nineteen officers have been killed nationwide in shootings. "),
    ):
        ledger = make_ledger(
            tmp_path / f"{name}.db",
            _report("r1", "2017-04-01", earlier + today),
            _report("r2", "2017-04-02", today),
        )  # fmt: skip
        assert not conflicts.list_conflicts(ledger.con, kind="quantity"), name


def test_related_story_headlines_are_not_the_outlet_toll(tmp_path: Path) -> None:
    today = "Two people were killed in a shooting in Chicago on Saturday night."
    links = ("Police investigated a shooting in Chicago on Saturday night.\nRelated: Seven "
             "killed in shooting at Chicago house party\n" + today)  # fmt: skip
    ledger = make_ledger(
        tmp_path / "links.db",
        _report("r1", "2017-04-01", links),
        _report("r2", "2017-04-02", "Police investigated. " + today),
    )  # fmt: skip
    assert not conflicts.list_conflicts(ledger.con, kind="quantity")
    # the article's own headline, before its body, is its statement
    ledger = make_ledger(
        tmp_path / "head.db",
        _report("r1", "2017-04-01", "Watch video\nSeven killed in Chicago shooting\n"
                "Police investigated a shooting in Chicago on Saturday night."),
        _report("r2", "2017-04-02", today),
    )  # fmt: skip
    [row] = conflicts.list_conflicts(ledger.con, kind="quantity")
    assert {row["value_a"], row["value_b"]} == {"7", "2"}


def test_one_of_a_pair_told_apart_is_a_part(tmp_path: Path) -> None:
    total = "Two people were wounded in a shooting in Chicago on Saturday night."
    scene = "Police responded to a shooting in Chicago on Saturday night. "
    ledger = make_ledger(
        tmp_path / "pair.db",
        _report("r1", "2017-04-01", total),
        _report("r2", "2017-04-02", scene + "One person was wounded in the foot, and the "
                "other was wounded in the leg."),
    )  # fmt: skip
    assert not conflicts.list_conflicts(ledger.con, kind="quantity")
    ledger = make_ledger(
        tmp_path / "one.db",
        _report("r1", "2017-04-01", total),
        _report("r2", "2017-04-02", scene + "One person was wounded in the foot."),
    )  # fmt: skip
    assert len(conflicts.list_conflicts(ledger.con, kind="quantity")) == 1


def test_a_count_without_a_number_allows_up_to_ten_times_its_reading(tmp_path: Path) -> None:
    where = " people were injured in a shooting in Chicago on Saturday night."

    def report(aid: str, count: str, value: int, vague: bool = False) -> Analysis:
        quantity = {"text": count + " people", "value": value, "unit": "people", "vague": vague}
        return record(aid, "2017-04-01", count + where, [], [("Chicago", "place", [])],
                      [quantity])  # fmt: skip

    def count(name: str, other: str, value: int) -> int:
        ledger = make_ledger(
            tmp_path / f"{name}.db", report("r1", "Several", 3, vague=True),
            report("r2", other, value),
        )  # fmt: skip
        return len(conflicts.list_conflicts(ledger.con, kind="quantity"))

    assert count("nine", "Nine", 9) == 0  # "several" (at least three) does not deny nine
    assert count("forty", "Forty", 40) == 1  # … but it is not forty
    assert count("two", "Two", 2) == 1  # … nor two


def _dated(rec: Analysis, *days: tuple[str, str]) -> Analysis:
    """``rec`` with date mentions: (text in the article, ISO value)."""
    for text, value in days:
        start = rec.text.index(text)
        rec.dates.append(DateMention(text, start, start + len(text), value, "published"))
    return rec


def test_counts_of_another_incident_are_left_out(tmp_path: Path) -> None:
    today = "One person was killed in a shooting in Chicago on Saturday night."

    def quantity_conflicts(name: str, first: Analysis) -> list[dict[str, Any]]:
        second = _report("r2", "2017-05-14", today)
        ledger = make_ledger(tmp_path / f"{name}.db", first, second)
        return conflicts.list_conflicts(ledger.con, kind="quantity")

    # a count stated with a day weeks before the article belongs to that day's shooting
    earlier = "The last shooting killed two people in Chicago on Jan. 30. " + today
    first = _dated(_report("r1", "2017-05-14", earlier), ("Jan. 30", "2017-01-30"))
    assert not quantity_conflicts("day", first)
    assert len(quantity_conflicts("no-day", _report("r1", "2017-05-14", earlier))) == 1
    # an attributed tally is not the toll either
    tally = record(
        "r1", "2017-05-14", "Police said 100 people had been killed in Chicago as of June 15.",
        [(["Police"], "said", "100 people had been killed in Chicago as of June 15")],
        [("Police", "organization", []), ("Chicago", "place", [])],
    )  # fmt: skip
    assert not quantity_conflicts("tally", tally)
    # a measure near a casualty word is no count of people (read by the small number reader
    # or with the record's unit)
    feet = "He stood about 50 feet from the man who was killed in Chicago on Saturday night."
    assert not quantity_conflicts("feet", _report("r1", "2017-05-14", feet))
    measure = record(
        "r1", "2017-05-14", feet, [], [("Chicago", "place", [])],
        [{"text": "about 50 feet", "value": 50.0, "unit": "feet", "approximate": True}],
    )  # fmt: skip
    assert not quantity_conflicts("feet-unit", measure)


def test_an_age_after_a_name_is_no_count(tmp_path: Path) -> None:
    content = ("the gunman killed two people -- Renee Benjamin and Brian Sadowsky, 44 -- and "
               "injured 14 others in Chicago on Saturday night")  # fmt: skip
    first = record(
        "r1", "2017-05-14", f"Police said {content}.", [(["Police"], "said", content)],
        [("Police", "organization", []), ("Chicago", "place", [])],
    )  # fmt: skip
    second = _report("r2", "2017-05-14", "Two people were killed and 14 others were injured "
                     "in a shooting in Chicago on Saturday night.")  # fmt: skip
    ledger = make_ledger(tmp_path / "age.db", first, second)
    assert not conflicts.list_conflicts(ledger.con, kind="quantity")


def test_tolls_of_shootings_on_different_days_are_not_compared(tmp_path: Path) -> None:
    first = _dated(
        _report("r1", "2017-11-12", "Two people were killed at a house party in Houston on "
                "Saturday."),
        ("Saturday", "2017-11-11"),
    )  # fmt: skip

    def second(published: str, day: str) -> Analysis:
        return _dated(
            _report("r2", published, "One person was killed at a house party in Houston on "
                    "Saturday."),
            ("Saturday", day),
        )  # fmt: skip

    # a week later, another Saturday: another shooting
    ledger = make_ledger(tmp_path / "week.db", first, second("2017-11-18", "2017-11-18"))
    assert not conflicts.list_conflicts(ledger.con, kind="quantity")
    # the next day, the same Saturday: the same shooting, two tolls
    ledger = make_ledger(tmp_path / "same.db", first, second("2017-11-13", "2017-11-11"))
    assert len(conflicts.list_conflicts(ledger.con, kind="quantity")) == 1


def test_a_partitive_count_is_a_part(tmp_path: Path) -> None:
    ledger = make_ledger(
        tmp_path / "of.db",
        _report("r1", "2017-04-01", "Five people were shot in Chicago on Saturday night. Three "
                "of those victims were killed, police said."),
        _report("r2", "2017-04-02", "Two people were killed in a shooting in Chicago on "
                "Saturday night."),
    )  # fmt: skip
    assert not conflicts.list_conflicts(ledger.con, kind="quantity")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # an enumeration: four men and a woman are five people
        (
            "Four men and a woman were wounded in a shooting in Chicago on Saturday night.",
            "Five people were wounded in a shooting in Chicago on Saturday night.",
        ),
        # "a girl and two men": three
        (
            "A shooting in Chicago on Saturday night left a 10-year-old girl and two men wounded.",
            "Three people were wounded in a shooting in Chicago on Saturday night.",
        ),
        # "three died … and a fourth": four
        (
            "Three men died at the scene of a shooting in Chicago on Saturday night and a fourth "
            "died at a hospital.",
            "Four people were killed in a shooting in Chicago on Saturday night.",
        ),
        # others of the same facet add up: one critically hurt and three others injured
        (
            "One man is in critical condition and three others are injured after a shooting in "
            "Chicago on Saturday night.",
            "Four people were injured in a shooting in Chicago on Saturday night.",
        ),
        # the dead "including the gunman" against the victims killed
        (
            "Seven people are dead, including the gunman, after a shooting in Chicago on "
            "Saturday night.",
            "Six people were killed in a shooting in Chicago on Saturday night.",
        ),
        # a named group is most often a part of the toll: "four women" of five killed
        (
            "Four women were killed in a shooting in Chicago on Saturday night.",
            "Five people were killed in a shooting in Chicago on Saturday night.",
        ),
        (
            "Four officers were wounded in a shooting in Chicago on Saturday night.",
            "Three officers were wounded in a shooting in Chicago on Saturday night.",
        ),
        (
            "At least 13 people were killed in a shooting in Chicago on Saturday night. The "
            "suspected shooter is among the dead.",
            "Twelve people were killed in a shooting in Chicago on Saturday night.",
        ),
        # a decade of life is no count
        (
            "One woman in her 20's was killed in a shooting in Chicago on Saturday night.",
            "One person was killed in a shooting in Chicago on Saturday night.",
        ),
    ],
)
def test_counts_read_as_the_articles_mean_them(tmp_path: Path, first: str, second: str) -> None:
    assert not _pair_conflicts(tmp_path, "agree", first, second)


def test_counts_by_condition_and_tallies_are_no_tolls(tmp_path: Path) -> None:
    lead = "Five people were injured in a shooting in Chicago on Saturday night."
    # two "in critical condition" are a part of the five, not a competing toll
    assert not _pair_conflicts(
        tmp_path, "condition", lead,
        "Five people were hurt in a shooting in Chicago on Saturday night. Police said two "
        "victims remain hospitalized in critical condition.",
    )  # fmt: skip
    # a city-wide tally of several shootings is not the incident's toll
    assert not _pair_conflicts(
        tmp_path, "tally", lead,
        "Twelve people were wounded in shootings across Chicago on Saturday night.",
    )  # fmt: skip
    # a toll taken back ("initially said") is not the article's count
    assert not _pair_conflicts(
        tmp_path, "early", "One person was killed in a shooting in Chicago on Saturday night.",
        "Police initially said two people were killed in a shooting in Chicago on Saturday "
        "night.",
    )  # fmt: skip


def test_others_after_a_fatal_wounding_are_not_added(tmp_path: Path) -> None:
    fatal = ("A shooting in Chicago on Saturday night fatally wounded a 17-year-old boy and "
             "injured five others.")  # fmt: skip
    same = "Five people were injured in a shooting in Chicago on Saturday night."
    assert not _pair_conflicts(tmp_path, "fatally", fatal, same)


def test_others_of_another_facet_are_not_added(tmp_path: Path) -> None:
    # "one killed and four others wounded": four injured; against five injured, a conflict
    [row] = _pair_conflicts(
        tmp_path, "others",
        "One person was killed and four others were wounded in a shooting in Chicago on "
        "Saturday night.",
        "Five people were wounded in a shooting in Chicago on Saturday night.",
    )  # fmt: skip
    assert {row["value_a"], row["value_b"]} == {"4", "5"}


def test_one_disagreement_between_two_articles_is_recorded_once(tmp_path: Path) -> None:
    repeated = (
        "Two people were killed in a shooting in Chicago on Saturday night. Police said two "
        "people were killed when a man opened fire in Chicago on Saturday night."
    )
    rows = _pair_conflicts(
        tmp_path, "once", repeated,
        "Three people were killed in a shooting in Chicago on Saturday night.",
    )  # fmt: skip
    assert len(rows) == 1


def test_a_count_deep_in_the_story_is_not_the_outlets_toll(tmp_path: Path) -> None:
    filler = "Neighbors gathered on the street and talked about the family for hours. " * 25
    deep = (
        "Two people were killed in a shooting in Chicago on Saturday night. " + filler
        + "Police said one person was killed in a shooting in Chicago on Saturday night."
    )  # fmt: skip
    lead = "Three people were killed in a shooting in Chicago on Saturday night."
    # the lead count (two) conflicts with three; the count 1,800 characters down does not
    rows = _pair_conflicts(tmp_path, "deep", deep, lead)
    assert {(r["value_a"], r["value_b"]) for r in rows} <= {("2", "3"), ("3", "2")}
    only_deep = "The mayor spoke on Sunday. " + filler + lead
    one = "One person was killed in a shooting in Chicago on Saturday night."
    assert not _pair_conflicts(tmp_path, "only-deep", only_deep, one)


@pytest.mark.parametrize(
    ("second", "values"),
    [
        # a singular victim is the lead's toll of the dead
        ("A man was shot and killed in a shooting in Chicago on Saturday night.", {"1", "2"}),
        # "four people were shot, one fatally": one dead, three wounded
        ("Four people were shot, one fatally, in a shooting in Chicago on Saturday night.",
         {"1", "2"}),
    ],
)  # fmt: skip
def test_lead_toll_without_a_number_of_the_dead(
    tmp_path: Path, second: str, values: set[str]
) -> None:
    first = "Two people were killed in a shooting in Chicago on Saturday night."
    [row] = _pair_conflicts(tmp_path, "lead", first, second)
    assert {row["value_a"], row["value_b"]} == values
    assert "people/killed" in row["explanation"]


def test_lead_toll_said_by_someone_else_is_not_the_outlets(tmp_path: Path) -> None:
    text = "Police said a man was shot and killed in Chicago on Saturday night."
    said = record("r2", "2017-04-02", text, [(["Police"], "said", "a man was shot and killed")],
                  [("Chicago", "place", [])])  # fmt: skip
    alone = _report("r3", "2017-04-02", "A man was shot and killed in Chicago on Saturday.")
    ledger = make_ledger(tmp_path / "said.db", said, alone)
    kinds = {
        (m["article_id"], m["kind"])
        for (cid,) in ledger.con.execute("SELECT id FROM claims")
        for m in (claims.claim_detail(ledger.con, cid) or {"members": []})["members"]
    }
    assert ("r2", "outlet") not in kinds  # the police's words, not the outlet's
    assert ("r3", "outlet") in kinds
    # the toll stays the police's claim, and a different toll conflicts with it
    two = _report("r1", "2017-04-01", "Two people were killed in Chicago on Saturday night.")
    ledger = make_ledger(tmp_path / "said2.db", two, said)
    [row] = conflicts.list_conflicts(ledger.con, kind="quantity")
    assert {row["source_a"], row["source_b"]} == {"Police", "(the article)"}
    assert {row["value_a"], row["value_b"]} == {"1", "2"}
