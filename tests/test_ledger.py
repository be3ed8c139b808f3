"""The ledger store: schema and migrations, exact round trips, idempotence, concurrency, queries."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsledger.ledger import Ledger, connect
from newsledger.ledger import query as q
from newsledger.ledger.schema import DATA_TABLES, MIGRATIONS, Migration, current_version, migrate
from newsledger.model import (
    Analysis,
    ArticleInfo,
    Attribution,
    DateMention,
    Entity,
    Event,
    Issue,
    Quantity,
    Source,
    Span,
)
from newsledger.pipeline import Analyzer
from newsledger.text import fts_query

CHILD_TABLES = [t for t in DATA_TABLES if t not in ("articles", "runs", "ingest_errors")]

TEXTS = [
    "The minister said that taxes would rise next year.",
    "“We will not retreat,” the general told reporters on Monday.",
    "“We will win this war,” the general said on Monday. “They will lose it.”",
    "According to Reuters, about 1,200 troops crossed the border, officials said.",
    "Police said the suspect, 34, was arrested in Leeds. Neighbours told the BBC he "
    "had lived there for years.",
]


def full_record() -> Analysis:
    """A record with every list filled and every optional field used (some None)."""
    text = "Ünïcode: KCNA quoted Kim as saying 2,000 or 3 troops left on 4 May; Teh end."

    def span(s: str) -> Span:
        i = text.index(s)
        return Span(s, i, i + len(s))

    kcna, kim = span("KCNA"), span("Kim")
    return Analysis(
        article=ArticleInfo(
            id="full-1",
            title="Tïtle",
            published="2025-05-04",
            url="https://example.com/a?b=1",
            text_sha256="0" * 64,
            site="Example",
        ),
        text=text,
        attributions=[
            Attribution(
                "a1",
                "according_to",
                span("quoted"),
                span("Kim as saying 2,000 or 3 troops left on 4 May"),
                Source(
                    kcna.text,
                    kcna.start,
                    kcna.end,
                    "Korean Central News Agency",
                    "e1",
                    "organization",
                ),
                None,
                ["Korean Central News Agency"],
                0.85,
            ),
            Attribution(
                "a2",
                "indirect",
                span("saying"),
                span("2,000 or 3 troops left on 4 May"),
                Source(kim.text, kim.start, kim.end, "Kim Jong Un", None, "person"),
                "a1",
                ["Korean Central News Agency", "Kim Jong Un"],
                1,
                [span("2,000 or 3 troops"), span("4 May")],
            ),
            Attribution("a3", "statement", span("Teh"), span("end"), None, None, ["(unnamed)"]),
        ],
        entities=[
            Entity(
                "e1",
                "Korean Central News Agency",
                "organization",
                ["KCNA"],
                [[kcna.start, kcna.end]],
                {"wikidata": "Q1", "n": [1, 2.5]},
            ),
            Entity("e2", "Kim Jong Un", "person", [], [[kim.start, kim.end], [0, 3]], {}),
        ],
        quantities=[
            Quantity(
                "2,000",
                text.index("2,000"),
                text.index("2,000") + 5,
                2000.0,
                3.0,
                "troops",
                True,
                False,
                "q2",
                "a2",
                "q1",
            ),
            Quantity(
                "3", text.index("3 "), text.index("3 ") + 1, 3, None, None, False, True, None, None
            ),
        ],
        dates=[
            DateMention(
                "4 May",
                text.index("4 May"),
                text.index("4 May") + 5,
                "2025-05-04",
                "published",
                "a2",
            ),
            DateMention("Teh", text.index("Teh"), text.index("Teh") + 3, None),
        ],
        events=[
            Event(
                "v1", span("left"), "movement", "Kim Jong Un", None, "border", "2025-05-04", "a2"
            ),
            Event("v2", span("end"), "other"),
        ],
        issues=[
            Issue("misspelling", "Teh", text.index("Teh"), text.index("Teh") + 3, "The", 0.9),
            Issue("unbalanced_quotes", "“", 0, 0, None, None, "no closing quote"),
        ],
    )


@pytest.fixture
def ledger(tmp_path: Path):
    with Ledger(tmp_path / "l.db") as led:
        yield led


def orphans(con: sqlite3.Connection) -> dict[str, int]:
    """Child rows whose article is missing, per table (all zeros in a consistent ledger)."""
    out = {}
    for table in CHILD_TABLES:
        out[table] = con.execute(
            f"SELECT count(*) FROM {table} c LEFT JOIN articles a ON a.id = c.article_id"
            " WHERE a.id IS NULL"
        ).fetchone()[0]
    return out


# ---------------------------------------------------------------------- schema


def test_new_ledger_is_migrated_with_wal_and_foreign_keys(ledger: Ledger) -> None:
    con = ledger.con
    assert current_version(con) == len(MIGRATIONS)
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    assert set(DATA_TABLES) | {"schema_migrations", "articles_fts", "attributions_fts"} <= names
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert con.execute("PRAGMA busy_timeout").fetchone()[0] > 0


def test_every_child_table_cascades_from_articles(ledger: Ledger) -> None:
    for table in CHILD_TABLES:
        fks = ledger.con.execute(f"PRAGMA foreign_key_list({table})").fetchall()
        to_articles = [fk for fk in fks if fk["table"] in ("articles", "entities", "attributions")]
        assert to_articles, table
        assert all(fk["on_delete"] == "CASCADE" for fk in to_articles), table


def test_migrations_apply_once_and_a_failing_one_rolls_back(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    Ledger(path).close()
    Ledger(path).close()  # reopening applies nothing twice
    con = connect(path)
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)
    bad = Migration(len(MIGRATIONS) + 1, "broken", ("CREATE TABLE extra (x)", "NOT SQL"))
    with pytest.raises(sqlite3.OperationalError):
        migrate(con, (*MIGRATIONS, bad))
    assert current_version(con) == len(MIGRATIONS)
    assert con.execute("SELECT 1 FROM sqlite_master WHERE name = 'extra'").fetchone() is None
    good = Migration(len(MIGRATIONS) + 1, "extra", ("CREATE TABLE extra (x)",))
    assert migrate(con, (*MIGRATIONS, good)) == len(MIGRATIONS) + 1
    con.close()
    with pytest.raises(RuntimeError, match="newer"):
        Ledger(path)  # this code knows fewer migrations than the file has


# ---------------------------------------------------------------------- round trips


def test_full_record_round_trips_exactly(ledger: Ledger) -> None:
    record = full_record()
    assert ledger.add(record)
    back = ledger.get("full-1")
    assert back is not None
    assert back.to_json() == record.to_json()  # same values and same int/float/bool types
    assert back.text == record.text
    assert Analysis.from_dict(back.to_dict(), back.text).to_dict() == record.to_dict()
    assert ledger.get("missing") is None


def test_seed_and_texts_round_trip(ledger: Ledger, seed: Analysis, analyzer: Analyzer) -> None:
    records = [seed, *(analyzer.analyze(t, id=f"t{i}") for i, t in enumerate(TEXTS))]
    assert ledger.add_many(records, batch_size=2) == len(records)
    for record in records:
        back = ledger.get(record.article.id)
        assert back is not None
        assert back.to_dict() == record.to_dict()
        assert back.to_json() == record.to_json()
        for _, text, start, end in back.spans():
            assert back.text[start:end] == text
    assert any(a.content_parts for r in records for a in r.attributions)
    n_attr = sum(len(r.attributions) for r in records)
    assert ledger.count("attributions") == n_attr
    assert ledger.count("chains") == sum(len(a.chain) for r in records for a in r.attributions)


def test_add_is_idempotent_by_sha_and_by_id(ledger: Ledger, seed: Analysis) -> None:
    assert ledger.add(seed)
    counts = {t: ledger.count(t) for t in DATA_TABLES}
    assert not ledger.add(seed)
    assert ledger.add_many([seed, seed]) == 0
    same_id = Analysis.from_dict(seed.to_dict(), "other text")
    same_id.article.text_sha256 = "f" * 64
    assert not ledger.add(same_id)
    assert {t: ledger.count(t) for t in DATA_TABLES} == counts
    assert ledger.has_sha(seed.article.text_sha256)
    assert not ledger.has_sha("f" * 64)


def test_a_failing_article_leaves_no_rows(ledger: Ledger) -> None:
    record = full_record()
    record.entities.append(record.entities[0])  # duplicate entity id: the insert fails midway
    with pytest.raises(sqlite3.IntegrityError):
        ledger.add(record)
    assert {t: ledger.count(t) for t in DATA_TABLES if t != "runs"} == dict.fromkeys(
        [t for t in DATA_TABLES if t != "runs"], 0
    )


def test_delete_cascades_and_keeps_fts_in_step(ledger: Ledger, seed: Analysis) -> None:
    ledger.add(seed)
    ledger.add(full_record())
    assert q.about(ledger.con, "troops")
    assert ledger.delete("full-1")
    assert not ledger.delete("full-1")
    assert all(n == 0 for n in orphans(ledger.con).values())
    assert ledger.con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert all(r["article_id"] != "full-1" for r in q.about(ledger.con, "troops"))
    ledger.con.execute("INSERT INTO attributions_fts(attributions_fts) VALUES ('integrity-check')")
    ledger.con.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


# ---------------------------------------------------------------------- concurrency


def test_reader_reads_while_a_write_transaction_is_open(tmp_path: Path, seed: Analysis) -> None:
    path = tmp_path / "c.db"
    writer = Ledger(path)
    writer.add(full_record())
    reader = Ledger(path, readonly=True)
    with writer.transaction():
        writer._insert(seed, None, None, None)  # uncommitted
        # the reader is not blocked and sees the last committed state
        assert reader.count() == 1
        assert reader.get(seed.article.id) is None
        assert reader.get("full-1") is not None
        assert q.sources(reader.con)
    assert reader.count() == 2
    assert reader.get(seed.article.id).to_dict() == seed.to_dict()  # type: ignore[union-attr]
    with pytest.raises(sqlite3.OperationalError):
        reader.con.execute("DELETE FROM articles")  # read-only
    reader.close()
    writer.close()


# ---------------------------------------------------------------------- queries


@pytest.fixture
def filled(ledger: Ledger, seed: Analysis) -> Ledger:
    ledger.add(seed)
    ledger.add(full_record())
    return ledger


def test_sources_counts_attributions_by_canonical_name(filled: Ledger, seed: Analysis) -> None:
    rows = q.sources(filled.con, limit=100)
    counts = {r.source: r.attributions for r in rows}
    expected: dict[str, int] = {}
    for rec in (seed, full_record()):
        for a in rec.attributions:
            if a.source:
                expected[a.source.name] = expected.get(a.source.name, 0) + 1
    assert counts == expected
    assert [r.attributions for r in rows] == sorted(counts.values(), reverse=True)


def test_said_by_matches_source_or_chain_case_insensitively(filled: Ledger, seed: Analysis) -> None:
    rows = q.said(filled.con, "kim jong un", limit=1000)
    expected = {
        (rec.article.id, a.id)
        for rec in (seed, full_record())
        for a in rec.attributions
        if (a.source and a.source.name == "Kim Jong Un") or "Kim Jong Un" in a.chain
    }
    assert {(r["article_id"], r["attribution_id"]) for r in rows} == expected
    assert all(isinstance(r["chain"], list) for r in rows)
    assert q.said(filled.con, "Nobody At All") == []


def test_relays_resolve_aliases(filled: Ledger) -> None:
    rows = q.relays(filled.con, "KCNA")
    pairs = {(r.relay, r.origin) for r in rows}
    assert ("Korean Central News Agency", "Kim Jong Un") in pairs
    assert all("Korean Central News Agency" in p for p in pairs)
    assert q.relays(filled.con, "KCNA", aliases=False) == []
    assert q.relays(filled.con) != []


def test_about_ranks_fts_matches_with_snippets(filled: Ledger) -> None:
    rows = q.about(filled.con, "troops")
    assert rows
    assert all("troop" in r["content"].lower() for r in rows)
    assert all("[" in r["snippet"] for r in rows)
    assert [r["score"] for r in rows] == sorted(r["score"] for r in rows)


NASTY = [
    '"',
    '""',
    'troops"',
    "%",
    "*",
    "troops*",
    "OR",
    "troops OR",
    "NEAR(",
    "NEAR(troops",
    "AND NOT",
    "-troops",
    "^troops",
    "troops:",
    "content_text:troops",
    "{troops}",
    "(",
    ")",
    "'; DROP TABLE articles; --",
    "",
    "   ",
    "\x00",
    "troops\u2028",
    "🙂",
]


@pytest.mark.parametrize("text", NASTY)
def test_about_is_safe_with_any_input(filled: Ledger, text: str) -> None:
    rows = q.about(filled.con, text)
    assert isinstance(rows, list)
    if fts_query(text) is None:
        assert rows == []
    assert filled.count() == 2


def test_about_and_articles_search_words_not_syntax(filled: Ledger) -> None:
    assert q.about(filled.con, 'troops" OR "x') == []  # words: troops AND or AND x
    assert q.about(filled.con, "TROOPS*") == q.about(filled.con, "troops")
    found = q.articles(filled.con, text="Kursk")
    assert [r["id"] for r in found] == [r["id"] for r in found if "kursk" in r["id"]]
    assert found
    assert len(q.articles(filled.con)) == 2


# ---------------------------------------------------------------------- any record round trips

_text = st.text(st.characters(codec="utf-8"), max_size=12)
_int = st.integers(0, 10**9)
_num = st.none() | st.integers(-(10**12), 10**12) | st.floats(allow_nan=False, allow_infinity=False)
_span = st.builds(Span, _text, _int, _int)
_opt = st.none() | _text
_json = st.recursive(
    st.none() | st.booleans() | _int | st.floats(allow_nan=False, allow_infinity=False) | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=6,
)
_source = st.builds(Source, _text, _int, _int, _text, _opt, _text)
_attribution = st.builds(
    Attribution,
    _text,
    st.sampled_from(["direct", "mixed", "indirect", "according_to", "statement"]),
    _span,
    _span,
    st.none() | _source,
    _opt,
    st.lists(_text, max_size=4),
    _num,
)
_entity = st.builds(
    Entity,
    _text,
    _text,
    _text,
    st.lists(_text, max_size=3),
    st.lists(st.lists(_int, min_size=2, max_size=2), max_size=3),
    st.dictionaries(_text, _json, max_size=3),
)
_records = st.builds(
    Analysis,
    article=st.builds(ArticleInfo, _text.filter(bool), _opt, _opt, _opt, _text, _opt),
    text=_text,
    attributions=st.lists(_attribution, max_size=4, unique_by=lambda a: a.id),
    entities=st.lists(_entity, max_size=4, unique_by=lambda e: e.id),
    quantities=st.lists(
        st.builds(
            Quantity,
            _text,
            _int,
            _int,
            _num,
            _num,
            _opt,
            st.booleans(),
            st.booleans(),
            _opt,
            _opt,
            _text,
        ),
        max_size=3,
    ),  # fmt: skip
    dates=st.lists(
        st.builds(
            DateMention,
            _text,
            _int,
            _int,
            _opt,
            st.sampled_from(["published", "explicit", "none"]),
            _opt,
        ),
        max_size=3,
    ),  # fmt: skip
    events=st.lists(
        st.builds(Event, _text, _span, _text, _opt, _opt, _opt, _opt, _opt), max_size=3
    ),
    issues=st.lists(st.builds(Issue, _text, _text, _int, _int, _opt, _num, _opt), max_size=3),
)


@settings(max_examples=60, deadline=None)
@given(record=_records)
def test_any_record_round_trips(record: Analysis) -> None:
    with Ledger(":memory:") as led:
        assert led.add(record)
        back = led.get(record.article.id)
        assert back is not None
        assert back.to_json() == record.to_json()
        assert back.text == record.text


def test_a_version_2_ledger_gains_content_parts_and_keeps_its_rows(
    tmp_path: Path, seed: Analysis
) -> None:
    path = tmp_path / "v2.db"
    con = connect(path)
    migrate(con, MIGRATIONS[:2])
    con.execute(
        "INSERT INTO articles(id, text_sha256, text, ingested_at)"
        " VALUES ('old', 'x', 'Kim said so.', '2026-01-01')"
    )
    con.execute(
        "INSERT INTO attributions(article_id, position, id, kind, cue_text, cue_start, cue_end,"
        " content_text, content_start, content_end, chain, confidence)"
        " VALUES ('old', 0, 'a1', 'indirect', 'said', 4, 8, 'so', 9, 11, '[]', 0.5)"
    )
    con.close()
    with Ledger(path) as led:
        assert current_version(led.con) == len(MIGRATIONS)
        back = led.get("old")
        assert back is not None and back.attributions[0].content.text == "so"
        assert back.attributions[0].content_parts == []
        assert led.add(seed)
