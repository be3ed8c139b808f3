"""The ledger's SQLite schema, as numbered migrations applied when a ledger is opened.

Each migration is a list of SQL statements run in one transaction together with its row in
``schema_migrations``, so a database is always at a whole version. Add a migration by
appending a new :class:`Migration` to :data:`MIGRATIONS` with the next number; never edit one
that has shipped.

Every table that holds part of an analysis has an ``article_id`` column referencing
``articles(id)`` with ``ON DELETE CASCADE``, and a ``position`` column that keeps the order of
the record's lists, so an :class:`~newsledger.model.Analysis` can be rebuilt exactly from the
rows. Columns holding numbers that may be integers or floats in the record (quantity values,
confidences) are declared without a type, so SQLite keeps the value as it was given.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = ["MIGRATIONS", "Migration", "current_version", "migrate", "DATA_TABLES"]


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


_V1 = (
    # ---------------------------------------------------------------- articles
    # ``seq`` is an explicit integer rowid: the FTS5 index refers to it, and an explicit
    # INTEGER PRIMARY KEY never changes (VACUUM may renumber implicit rowids).
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        text_sha256 TEXT NOT NULL UNIQUE,
        url TEXT,
        title TEXT,
        published TEXT,
        site TEXT,
        text TEXT NOT NULL,
        origin TEXT,
        ingested_at TEXT NOT NULL,
        run_id INTEGER
    )
    """,
    "CREATE INDEX articles_published ON articles(published)",
    # ---------------------------------------------------------------- entities + mentions
    """
    CREATE TABLE entities (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        aliases TEXT NOT NULL,
        kb TEXT NOT NULL,
        PRIMARY KEY (article_id, id)
    )
    """,
    "CREATE INDEX entities_name ON entities(name COLLATE NOCASE)",
    # every alias of every entity, an index for resolving "KCNA" to the canonical name;
    # derived from entities.aliases (which the record is rebuilt from)
    """
    CREATE TABLE entity_aliases (
        article_id TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        alias TEXT NOT NULL,
        FOREIGN KEY (article_id, entity_id) REFERENCES entities(article_id, id) ON DELETE CASCADE
    )
    """,
    "CREATE INDEX entity_aliases_alias ON entity_aliases(alias COLLATE NOCASE)",
    "CREATE INDEX entity_aliases_entity ON entity_aliases(article_id, entity_id)",
    """
    CREATE TABLE mentions (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        entity_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        PRIMARY KEY (article_id, entity_id, position),
        FOREIGN KEY (article_id, entity_id) REFERENCES entities(article_id, id) ON DELETE CASCADE
    )
    """,
    # ---------------------------------------------------------------- attributions + chains
    """
    CREATE TABLE attributions (
        seq INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        cue_text TEXT NOT NULL,
        cue_start INTEGER NOT NULL,
        cue_end INTEGER NOT NULL,
        content_text TEXT NOT NULL,
        content_start INTEGER NOT NULL,
        content_end INTEGER NOT NULL,
        source_text TEXT,
        source_start INTEGER,
        source_end INTEGER,
        source_name TEXT,
        source_entity TEXT,
        source_type TEXT,
        parent TEXT,
        chain TEXT NOT NULL,
        confidence,
        UNIQUE (article_id, id)
    )
    """,
    "CREATE INDEX attributions_source_name ON attributions(source_name COLLATE NOCASE)",
    "CREATE INDEX attributions_article ON attributions(article_id, position)",
    """
    CREATE TABLE chains (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        attribution_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        PRIMARY KEY (article_id, attribution_id, position),
        FOREIGN KEY (article_id, attribution_id)
            REFERENCES attributions(article_id, id) ON DELETE CASCADE
    )
    """,
    "CREATE INDEX chains_name ON chains(name COLLATE NOCASE)",
    # ---------------------------------------------------------------- quantities, dates, ...
    """
    CREATE TABLE quantities (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        id TEXT NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        value,
        value_max,
        unit TEXT,
        approximate INTEGER NOT NULL,
        vague INTEGER NOT NULL,
        part_of TEXT,
        attribution TEXT,
        PRIMARY KEY (article_id, position)
    )
    """,
    """
    CREATE TABLE dates (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        value TEXT,
        anchor TEXT NOT NULL,
        attribution TEXT,
        PRIMARY KEY (article_id, position)
    )
    """,
    "CREATE INDEX dates_value ON dates(value)",
    """
    CREATE TABLE events (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        id TEXT NOT NULL,
        trigger_text TEXT NOT NULL,
        trigger_start INTEGER NOT NULL,
        trigger_end INTEGER NOT NULL,
        type TEXT NOT NULL,
        actor TEXT,
        target TEXT,
        location TEXT,
        date TEXT,
        attribution TEXT,
        PRIMARY KEY (article_id, position)
    )
    """,
    "CREATE INDEX events_type ON events(type)",
    """
    CREATE TABLE issues (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        suggestion TEXT,
        confidence,
        message TEXT,
        PRIMARY KEY (article_id, position)
    )
    """,
    "CREATE INDEX issues_kind ON issues(kind)",
    # ---------------------------------------------------------------- runs and errors
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        inputs TEXT NOT NULL,
        stored INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0
    )
    """,
    """
    CREATE TABLE ingest_errors (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        origin TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    )
    """,
    "CREATE INDEX ingest_errors_origin ON ingest_errors(origin)",
    # ---------------------------------------------------------------- full-text search
    # External-content FTS5 tables: the text lives once, in the base table; triggers keep
    # the index in step with every insert, update and delete (cascades included).
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        text, content='articles', content_rowid='seq', tokenize='porter unicode61'
    )
    """,
    """
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, text) VALUES (new.seq, new.text);
    END
    """,
    """
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, text) VALUES ('delete', old.seq, old.text);
    END
    """,
    """
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, text) VALUES ('delete', old.seq, old.text);
        INSERT INTO articles_fts(rowid, text) VALUES (new.seq, new.text);
    END
    """,
    """
    CREATE VIRTUAL TABLE attributions_fts USING fts5(
        content_text, content='attributions', content_rowid='seq',
        tokenize='porter unicode61'
    )
    """,
    """
    CREATE TRIGGER attributions_fts_insert AFTER INSERT ON attributions BEGIN
        INSERT INTO attributions_fts(rowid, content_text) VALUES (new.seq, new.content_text);
    END
    """,
    """
    CREATE TRIGGER attributions_fts_delete AFTER DELETE ON attributions BEGIN
        INSERT INTO attributions_fts(attributions_fts, rowid, content_text)
        VALUES ('delete', old.seq, old.content_text);
    END
    """,
    """
    CREATE TRIGGER attributions_fts_update AFTER UPDATE OF content_text ON attributions BEGIN
        INSERT INTO attributions_fts(attributions_fts, rowid, content_text)
        VALUES ('delete', old.seq, old.content_text);
        INSERT INTO attributions_fts(rowid, content_text) VALUES (new.seq, new.content_text);
    END
    """,
)

# Across articles (newsledger.crossdoc): ledger-wide entities, claim clusters, conflicts.
# Rows derived from an article cascade with it; ``claims``/``conflicts`` are pruned by the
# cross-document update when they lose their members.
_V2 = (
    """
    CREATE TABLE ledger_entities (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        kb TEXT NOT NULL DEFAULT '{}'
    )
    """,
    "CREATE INDEX ledger_entities_name ON ledger_entities(name COLLATE NOCASE)",
    """
    CREATE TABLE ledger_entity_members (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        entity_id TEXT NOT NULL,
        ledger_entity INTEGER NOT NULL,
        PRIMARY KEY (article_id, entity_id)
    )
    """,
    "CREATE INDEX ledger_entity_members_entity ON ledger_entity_members(ledger_entity)",
    """
    CREATE TABLE ledger_entity_keys (
        key TEXT NOT NULL,
        ledger_entity INTEGER NOT NULL,
        PRIMARY KEY (key, ledger_entity)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX ledger_entity_keys_entity ON ledger_entity_keys(ledger_entity)",
    """
    CREATE TABLE entity_merge_log (
        id INTEGER PRIMARY KEY,
        action TEXT NOT NULL,
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        reason TEXT NOT NULL,
        by TEXT NOT NULL CHECK (by IN ('auto', 'user')),
        at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE entity_rules (
        id INTEGER PRIMARY KEY,
        action TEXT NOT NULL CHECK (action IN ('merge', 'split')),
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE attribution_entities (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        attribution_id TEXT NOT NULL,
        role TEXT NOT NULL,
        ledger_entity INTEGER NOT NULL,
        PRIMARY KEY (article_id, attribution_id, role, ledger_entity)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX attribution_entities_entity ON attribution_entities(ledger_entity, role)",
    """
    CREATE TABLE claims (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL,
        kind TEXT NOT NULL,
        facet TEXT,
        value,
        value_max,
        date_lo TEXT,
        date_hi TEXT,
        denial INTEGER NOT NULL DEFAULT 0,
        subjects TEXT NOT NULL DEFAULT '[]',
        independence TEXT NOT NULL,
        origins TEXT NOT NULL DEFAULT '[]',
        members INTEGER NOT NULL DEFAULT 0,
        articles INTEGER NOT NULL DEFAULT 0,
        first_published TEXT,
        last_published TEXT
    )
    """,
    "CREATE INDEX claims_facet ON claims(facet)",
    """
    CREATE TABLE claim_members (
        claim_id INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        attribution_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        source_entity INTEGER,
        origin_key TEXT NOT NULL,
        origin_name TEXT,
        chain TEXT NOT NULL,
        published TEXT,
        date TEXT,
        value,
        value_max,
        lo,
        hi,
        figures TEXT NOT NULL DEFAULT '[]',
        terms TEXT NOT NULL,
        PRIMARY KEY (article_id, attribution_id)
    )
    """,
    "CREATE INDEX claim_members_claim ON claim_members(claim_id, position)",
    """
    CREATE TABLE claim_keys (
        key TEXT NOT NULL,
        claim_id INTEGER NOT NULL,
        PRIMARY KEY (key, claim_id)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE conflicts (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('quantity', 'date', 'denial')),
        claim_a INTEGER NOT NULL,
        claim_b INTEGER NOT NULL,
        attribution_a TEXT NOT NULL,
        attribution_b TEXT NOT NULL,
        value_a TEXT,
        value_b TEXT,
        source_a TEXT,
        source_b TEXT,
        explanation TEXT NOT NULL,
        UNIQUE (kind, claim_a, claim_b, value_a, value_b)
    )
    """,
    "CREATE INDEX conflicts_b ON conflicts(claim_b)",
    # document frequency of content terms over the clustered attributions ('' holds N)
    "CREATE TABLE term_stats (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID",
)

_V3 = (
    # [[start, end], …] when a cue interrupts the content ("“X,” he said, “Y.”"), else NULL
    "ALTER TABLE attributions ADD COLUMN content_parts TEXT",
)

_V4 = (
    # a disagreement between two articles is recorded once (newsledger.crossdoc.conflicts)
    "CREATE INDEX conflicts_attribution_a ON conflicts(attribution_a)",
)

_V5 = (
    # what a figure counts, as lemmas ("ballot reject"): newsledger.extract.measures
    "ALTER TABLE quantities ADD COLUMN measure TEXT",
)

_V6 = (
    # stories: articles telling the same story (newsledger.crossdoc.stories)
    """
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        first_published TEXT,
        last_published TEXT,
        articles INTEGER NOT NULL DEFAULT 0
    )
    """,
    """
    CREATE TABLE article_stories (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        story_id INTEGER NOT NULL,
        score REAL
    )
    """,
    "CREATE INDEX article_stories_story ON article_stories(story_id)",
    # the lead's sentence embedding stories are found by, per model (float16)
    """
    CREATE TABLE article_vectors (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        vector BLOB NOT NULL
    )
    """,
)

_V7 = (
    # conflicts of kind 'revision' (one source's new value, newsledger.ledger.conflicts): the
    # table is rebuilt, since SQLite cannot change a CHECK
    """
    CREATE TABLE conflicts_v8 (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('quantity', 'date', 'denial', 'revision')),
        claim_a INTEGER NOT NULL,
        claim_b INTEGER NOT NULL,
        attribution_a TEXT NOT NULL,
        attribution_b TEXT NOT NULL,
        value_a TEXT,
        value_b TEXT,
        source_a TEXT,
        source_b TEXT,
        explanation TEXT NOT NULL,
        UNIQUE (kind, claim_a, claim_b, value_a, value_b)
    )
    """,
    "INSERT INTO conflicts_v8(id, kind, claim_a, claim_b, attribution_a, attribution_b, value_a,"
    " value_b, source_a, source_b, explanation) SELECT id, kind, claim_a, claim_b, attribution_a,"
    " attribution_b, value_a, value_b, source_a, source_b, explanation FROM conflicts",
    "DROP TABLE conflicts",
    "ALTER TABLE conflicts_v8 RENAME TO conflicts",
    "CREATE INDEX conflicts_b ON conflicts(claim_b)",
    "CREATE INDEX conflicts_attribution_a ON conflicts(attribution_a)",
    # a user's verdict on a conflict, by what it sets against what (attribution references and
    # values are stable across re-ingest and rebuild, conflict ids are not)
    """
    CREATE TABLE conflict_verdicts (
        kind TEXT NOT NULL,
        attribution_a TEXT NOT NULL,
        attribution_b TEXT NOT NULL,
        value_a TEXT NOT NULL DEFAULT '',
        value_b TEXT NOT NULL DEFAULT '',
        verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'dismissed')),
        note TEXT,
        decided_at TEXT NOT NULL,
        PRIMARY KEY (kind, attribution_a, attribution_b, value_a, value_b)
    ) WITHOUT ROWID
    """,
)

_V8 = (
    # Articles stored but not yet in the cross-document tables: the mark is set in the
    # transaction that stores the article and cleared in the one that adds its cross-document
    # rows, so every update (and ``newsledger check --repair``) can complete what an
    # interrupted one left.
    """
    CREATE TABLE crossdoc_pending (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE
    ) WITHOUT ROWID
    """,
    # Ledgers from before the mark: an article with entities or attributions but no
    # cross-document rows at all was left out by an interrupted update.
    """
    INSERT INTO crossdoc_pending(article_id)
    SELECT a.id FROM articles a
    WHERE (EXISTS (SELECT 1 FROM entities e WHERE e.article_id = a.id)
           OR EXISTS (SELECT 1 FROM attributions t WHERE t.article_id = a.id))
      AND NOT EXISTS (SELECT 1 FROM ledger_entity_members m WHERE m.article_id = a.id)
      AND NOT EXISTS (SELECT 1 FROM claim_members c WHERE c.article_id = a.id)
    """,
)

_V9 = (
    # speech, writing, thought, intent, finding, perception, decision (extract/acts.py);
    # attributions stored before this read as speech
    "ALTER TABLE attributions ADD COLUMN act TEXT NOT NULL DEFAULT 'speech'",
    "CREATE INDEX attributions_act ON attributions(act)",
    # the source's title or description apart from its name ("chief executive")
    "ALTER TABLE attributions ADD COLUMN source_role TEXT",
)

_V10 = (
    # ``newsledger watch``: per feed or URL watched, the validators of its last answer (sent
    # back as If-None-Match / If-Modified-Since), its error count (for the backoff) and when
    # it is due again; seconds since the epoch (UTC)
    """
    CREATE TABLE watch_feeds (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        next_poll REAL NOT NULL DEFAULT 0,
        last_polled REAL,
        last_status TEXT,
        last_error TEXT
    ) WITHOUT ROWID
    """,
    # the items of each watched feed already handled (by entry id, link or hash), so a
    # restarted watch reads none twice; a failed item is tried again a few times
    """
    CREATE TABLE watch_items (
        feed TEXT NOT NULL REFERENCES watch_feeds(url) ON DELETE CASCADE,
        item TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('stored', 'skipped', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 1,
        article_id TEXT,
        seen_at REAL NOT NULL,
        PRIMARY KEY (feed, item)
    ) WITHOUT ROWID
    """,
)

_V11 = (
    # A source filter (``/search?source=KCNA``, ``said``, the relay links) reads the chain
    # links of a name and the entities a name is an alias of; with the attribution's key (and
    # the entity's) in the name's index, both are read from the index alone, without a lookup
    # of each row in the table (17,518 links of Korean Central News Agency on the benchmark
    # ledger). The new indexes have the old ones as their prefix, so those go.
    "CREATE INDEX chains_name_link ON chains(name COLLATE NOCASE, article_id, attribution_id)",
    "DROP INDEX chains_name",
    "CREATE INDEX entity_aliases_alias_entity"
    " ON entity_aliases(alias COLLATE NOCASE, article_id, entity_id)",
    "DROP INDEX entity_aliases_alias",
)

_V12 = (
    # one statement may state several figures, each its own claim ("sickened 410 and killed
    # 12"): a statement is a member of each of its figures' claims; the table is rebuilt,
    # since SQLite cannot change a primary key
    """
    CREATE TABLE claim_members_v12 (
        claim_id INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        attribution_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        source_entity INTEGER,
        origin_key TEXT NOT NULL,
        origin_name TEXT,
        chain TEXT NOT NULL,
        published TEXT,
        date TEXT,
        value,
        value_max,
        lo,
        hi,
        figures TEXT NOT NULL DEFAULT '[]',
        terms TEXT NOT NULL,
        PRIMARY KEY (article_id, attribution_id, claim_id)
    )
    """,
    "INSERT INTO claim_members_v12 SELECT claim_id, article_id, attribution_id, position,"
    " source_entity, origin_key, origin_name, chain, published, date, value, value_max, lo, hi,"
    " figures, terms FROM claim_members",
    "DROP TABLE claim_members",
    "ALTER TABLE claim_members_v12 RENAME TO claim_members",
    "CREATE INDEX claim_members_claim ON claim_members(claim_id, position)",
)

_V13 = (
    # how sure a conflict is (0–1: newsledger.crossdoc.conflicts.conflict_confidence); NULL in
    # a ledger from before it until ``crossdoc rebuild``
    "ALTER TABLE conflicts ADD COLUMN confidence REAL",
    "CREATE INDEX conflicts_confidence ON conflicts(confidence)",
)

#: Every migration, in order. Version numbers are 1, 2, 3, … without gaps.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _V1),
    Migration(2, "across articles: ledger entities, claims, conflicts", _V2),
    Migration(3, "attribution content in pieces", _V3),
    Migration(4, "conflicts found by attribution", _V4),
    Migration(5, "what figures measure", _V5),
    Migration(6, "stories", _V6),
    Migration(7, "revisions and verdicts on conflicts", _V7),
    Migration(8, "articles pending the cross-document update", _V8),
    Migration(9, "what act an attribution reports; the source's role", _V9),
    Migration(10, "watched feeds and the items seen", _V10),
    Migration(11, "name indexes that cover the source filter", _V11),
    Migration(12, "a statement in the claim of each of its figures", _V12),
    Migration(13, "a confidence on each conflict", _V13),
)

#: Tables holding ledger data (what ``export`` writes), parents before children.
DATA_TABLES: tuple[str, ...] = (
    "articles",
    "entities",
    "entity_aliases",
    "mentions",
    "attributions",
    "chains",
    "quantities",
    "dates",
    "events",
    "issues",
    "runs",
    "ingest_errors",
)


def current_version(con: sqlite3.Connection) -> int:
    """The highest applied migration, 0 for a new database."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    row = con.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(con: sqlite3.Connection, migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Apply the migrations newer than the database's version; return the new version.

    ``con`` must be in autocommit mode (``isolation_level=None``). Each migration runs in its
    own ``BEGIN IMMEDIATE`` transaction, so concurrent openers apply it once and a failure
    leaves the database at the previous version.
    """
    for expected, m in enumerate(migrations, start=1):
        if m.version != expected:
            raise ValueError(f"migration {m.name!r} has version {m.version}, expected {expected}")
    version = current_version(con)
    if version > len(migrations):
        raise RuntimeError(
            f"the ledger is at schema version {version}, newer than this newsledger "
            f"(which knows up to {len(migrations)}); upgrade newsledger"
        )
    for m in migrations[version:]:
        con.execute("BEGIN IMMEDIATE")
        try:
            # another process may have applied it while we waited for the lock
            if current_version(con) >= m.version:
                con.execute("COMMIT")
                continue
            for statement in m.statements:
                con.execute(statement)
            con.execute(
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                (m.version, m.name, now()),
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return current_version(con)


def now() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")
