"""The durable "pending" mark of the cross-document update, its migration, ``newsledger
check`` (report and ``--repair``), and the ledger failing under a write (a full disk)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from test_crossdoc_common import A1, A2, A3, C1, D1, K1, K2, snapshot
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.ledger import Ledger, LedgerWriteError, connect
from newsledger.ledger.conflicts import list_conflicts
from newsledger.ledger.schema import MIGRATIONS, current_version, migrate

RECORDS = [A1, A2, A3, K1, K2, C1, D1]


#: What each migration added, undone (a migration that only rebuilds a table, 12, needs
#: nothing: applied again it rebuilds it again).
UNDO: dict[int, tuple[str, ...]] = {
    13: (
        "DROP INDEX conflicts_confidence",
        "ALTER TABLE conflicts DROP COLUMN confidence",
    ),
    11: (
        "DROP INDEX chains_name_link",
        "CREATE INDEX chains_name ON chains(name COLLATE NOCASE)",
        "DROP INDEX entity_aliases_alias_entity",
        "CREATE INDEX entity_aliases_alias ON entity_aliases(alias COLLATE NOCASE)",
    ),
    10: ("DROP TABLE watch_items", "DROP TABLE watch_feeds"),
    9: (
        "DROP INDEX attributions_act",
        "ALTER TABLE attributions DROP COLUMN act",
        "ALTER TABLE attributions DROP COLUMN source_role",
    ),
    8: ("DROP TABLE crossdoc_pending",),
}


def back_to(path: Path, version: int) -> None:
    """Take the ledger at ``path`` back to schema ``version``, as an older newsledger left it."""
    con = connect(path)
    for newer in sorted(UNDO, reverse=True):
        if newer > version:
            for statement in UNDO[newer]:
                con.execute(statement)
    con.execute("DELETE FROM schema_migrations WHERE version > ?", (version,))
    assert current_version(con) == version
    con.close()


def crossdoc_articles(ledger: Ledger) -> set[str]:
    rows = ledger.con.execute(
        "SELECT article_id FROM ledger_entity_members UNION SELECT article_id FROM claim_members"
    )
    return {r[0] for r in rows}


def test_storing_marks_pending_and_the_update_clears_it(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.db") as ledger:
        for r in RECORDS:
            ledger.add(r)
        assert ledger.pending_crossdoc() == [r.article.id for r in RECORDS]  # ingest order
        ledger.update_crossdoc([A1.article.id])
        assert A1.article.id not in ledger.pending_crossdoc()
        stats = ledger.complete_crossdoc()
        assert stats["articles"] == len(RECORDS) - 1
        assert ledger.pending_crossdoc() == []
        assert ledger.complete_crossdoc()["articles"] == 0  # nothing left: nothing done


def test_an_interrupted_update_completed_later_equals_an_uninterrupted_one(
    tmp_path: Path,
) -> None:
    with Ledger(tmp_path / "clean.db") as clean:
        for r in RECORDS:
            clean.add(r)
        clean.complete_crossdoc()
        expected = snapshot(clean)
        expected_articles = crossdoc_articles(clean)
    with Ledger(tmp_path / "cut.db") as cut:
        for r in RECORDS[:4]:
            cut.add(r)
        cut.update_crossdoc([A1.article.id, A2.article.id])  # "killed" after two articles
        for r in RECORDS[4:]:  # a later run stores the rest and completes every pending one
            cut.add(r)
        cut.complete_crossdoc()
        assert snapshot(cut) == expected
        assert crossdoc_articles(cut) == expected_articles


def test_a_failed_update_transaction_keeps_the_mark(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.db") as ledger:
        ledger.add(A1)
        ledger.con.execute(
            "CREATE TRIGGER boom BEFORE INSERT ON ledger_entity_members"
            " BEGIN SELECT RAISE(ABORT, 'boom'); END"
        )
        with pytest.raises(sqlite3.IntegrityError):
            ledger.complete_crossdoc()
        assert ledger.pending_crossdoc() == [A1.article.id]  # rolled back with the rows
        ledger.con.execute("DROP TRIGGER boom")
        ledger.complete_crossdoc()
        assert ledger.pending_crossdoc() == [] and crossdoc_articles(ledger) == {A1.article.id}


def test_a_ledger_from_before_the_mark_is_migrated_and_completed(tmp_path: Path) -> None:
    path = tmp_path / "v7.db"
    with Ledger(path) as ledger:
        for r in RECORDS[:3]:
            ledger.add(r)
        ledger.update_crossdoc([A1.article.id])  # A2, A3: left out by an interrupted update
    back_to(path, 7)  # the version before the mark: no pending table
    with Ledger(path) as ledger:
        assert current_version(ledger.con) == len(MIGRATIONS)
        assert ledger.pending_crossdoc() == [A2.article.id, A3.article.id]
        ledger.complete_crossdoc()
        assert crossdoc_articles(ledger) == {r.article.id for r in RECORDS[:3]}
        assert ledger.add(K1)  # and it works as a new ledger does


def test_a_ledger_from_before_acts_reads_its_attributions_as_speech(tmp_path: Path) -> None:
    path = tmp_path / "v8.db"
    with Ledger(path) as ledger:
        ledger.add(A1)
    back_to(path, 8)
    with Ledger(path) as ledger:
        assert current_version(ledger.con) == len(MIGRATIONS)
        stored = ledger.get(A1.article.id)
        assert stored is not None and stored.attributions
        assert {a.act for a in stored.attributions} == {"speech"}


def test_rebuild_marks_every_article_and_completes(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.db") as ledger:
        for r in RECORDS:
            ledger.add(r)
        ledger.complete_crossdoc()
        before = snapshot(ledger)
        ledger.rebuild_crossdoc()
        assert ledger.pending_crossdoc() == [] and snapshot(ledger) == before


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.output


def test_check_reports_and_repairs_fts_and_pending(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    with Ledger(db) as ledger:
        for r in RECORDS:
            ledger.add(r)
        ledger.update_crossdoc([r.article.id for r in RECORDS[:3]])
        seq, text = ledger.con.execute("SELECT seq, text FROM articles LIMIT 1").fetchone()
        ledger.con.execute(  # the index loses an article: it no longer matches its table
            "INSERT INTO articles_fts(articles_fts, rowid, text) VALUES ('delete', ?, ?)",
            (seq, text),
        )
    code, out = cli("check", "--db", str(db))
    assert code == 1, out
    assert "articles_fts: does not match its content table" in out
    assert "pending cross-document update: 4 articles" in out
    assert "2 problem(s)" in out

    code, out = cli("check", "--db", str(db), "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    assert report["pending_crossdoc"] == 4 and report["fts"]["attributions_fts"] == "ok"
    assert report["integrity"] == "ok" and report["counts"]["articles"] == len(RECORDS)

    code, out = cli("check", "--db", str(db), "--repair", "--format", "json")
    report = json.loads(out)
    assert code == 0, out
    assert report["ok"] is True and report["problems"] == []
    assert report["repaired"][0] == "rebuilt articles_fts from articles"
    assert report["repaired"][1].startswith("added 4 pending articles")
    with Ledger(db) as ledger:
        assert crossdoc_articles(ledger) >= {r.article.id for r in RECORDS if r.entities}
        assert ledger.con.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (text.split()[0],)
        ).fetchone()[0]
    code, out = cli("check", "--db", str(db))
    assert code == 0 and out.rstrip().endswith("ok"), out


def test_check_without_a_ledger(tmp_path: Path) -> None:
    code, out = cli("check", "--db", str(tmp_path / "none.db"))
    assert code == 2 and "no ledger at" in out


def test_a_full_disk_is_one_clear_error_and_keeps_what_was_committed(tmp_path: Path) -> None:
    db = tmp_path / "full.db"
    with Ledger(db) as ledger:
        ledger.add(A1)
        pages = ledger.con.execute("PRAGMA page_count").fetchone()[0]
        ledger.con.execute(f"PRAGMA max_page_count = {pages}")  # no room to grow
        with pytest.raises(LedgerWriteError) as caught:
            for r in RECORDS[1:]:
                ledger.add(r, "A long article. " * 20_000)
        message = str(caught.value)
        assert message.startswith(f"cannot write to the ledger {db}: database or disk is full")
        assert "\n" not in message
        assert not ledger.con.in_transaction
    with Ledger(db) as ledger:  # consistent, and what was committed stays
        result = ledger.check()
        assert result.ok or result.problems == [
            f"{result.pending_crossdoc} articles are not in the cross-document tables yet "
            "(run `newsledger check --repair` or any ingest)"
        ]
        assert ledger.get(A1.article.id) is not None
        stored = ledger.count()
        assert ledger.pending_crossdoc() == [a for a in ledger.article_ids()][:stored]
        assert not result.integrity and all(v == "ok" for v in result.fts.values())


def test_migrations_stay_numbered() -> None:
    con = sqlite3.connect(":memory:", isolation_level=None)
    assert migrate(con) == len(MIGRATIONS) == 13


def test_a_ledger_before_the_name_indexes_gets_them(tmp_path: Path) -> None:
    path = tmp_path / "v10.db"
    with Ledger(path) as ledger:
        ledger.add(A1)
    back_to(path, 10)
    with Ledger(path) as ledger:
        assert current_version(ledger.con) == len(MIGRATIONS)
        plan = " ".join(
            str(r[-1])
            for r in ledger.con.execute(
                "EXPLAIN QUERY PLAN SELECT article_id, attribution_id FROM chains"
                " WHERE name = ? COLLATE NOCASE",
                ("Kim",),
            )
        )
        assert "COVERING INDEX chains_name_link" in plan


def test_a_ledger_before_confidences_lists_its_conflicts_last_until_rebuilt(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v12.db"
    with Ledger(path) as ledger:
        for r in RECORDS:
            ledger.add(r)
        ledger.complete_crossdoc()
        before = ledger.con.execute("SELECT count(*) FROM conflicts").fetchone()[0]
    assert before, "the records give conflicts"
    back_to(path, 12)
    with Ledger(path) as ledger:
        assert current_version(ledger.con) == len(MIGRATIONS)
        rows = list_conflicts(ledger.con, limit=1000)
        assert len(rows) == before and all(r["confidence"] is None for r in rows)
        assert not list_conflicts(ledger.con, min_confidence=0.0)
        ledger.rebuild_crossdoc()
        rows = list_conflicts(ledger.con, limit=1000)
        assert len(rows) == before and all(0 < r["confidence"] <= 1 for r in rows)


def test_a_statement_joins_the_claim_of_each_of_its_figures_after_migrating() -> None:
    con = sqlite3.connect(":memory:", isolation_level=None)
    migrate(con, MIGRATIONS[:11])
    con.execute(
        "INSERT INTO articles(id, text_sha256, text, ingested_at) VALUES ('a1', 'h', 'x', 'now')"
    )
    row = ("a1", "a3", 0, "e:1", "[]", "[]", "[]")
    insert = (
        "INSERT INTO claim_members(claim_id, article_id, attribution_id, position, origin_key,"
        " chain, figures, terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    con.execute(insert, (1, *row))
    with pytest.raises(sqlite3.IntegrityError):
        con.execute(insert, (2, *row))  # before: one claim per statement
    assert migrate(con, MIGRATIONS[:12]) == 12
    con.execute(insert, (2, *row))  # now: one per figure of it
    assert con.execute(
        "SELECT claim_id FROM claim_members WHERE article_id = 'a1' ORDER BY claim_id"
    ).fetchall() == [(1,), (2,)]
