"""One identity per entity across the ledger, stored: ``ledger_entities`` and hand rules.

Each article's entities are merged into ledger-wide entities (``ledger_entities``) by the keys
of :func:`newsledger.crossdoc.identity.entity_keys` (normalized names and aliases, acronyms,
gazetteer ids, person name parts; a surname alone only when exactly one ledger person has
it). Persons never merge with non-persons. Hand merges and splits are stored as rules
(``entity_rules``) and applied after the automatic merging, so they survive re-ingest and
``crossdoc rebuild``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from newsledger.crossdoc.identity import (
    better_name,
    entity_keys,
    is_acronym,
    is_person,
    normalize_name,
    spelled_alike,
)
from newsledger.errors import NewsledgerError
from newsledger.ledger.claim_refresh import refresh_claims_with_origin
from newsledger.settings import DEFAULT_SETTINGS

__all__ = [
    "AmbiguousEntity",
    "add_rule",
    "apply_rules",
    "describe",
    "find_entities",
    "find_entity",
    "list_entities",
    "lookup_name",
    "merge",
    "resolve_article",
    "resolve_entity",
    "show_entity",
    "split",
]

Row = dict[str, Any]
_SETTINGS = DEFAULT_SETTINGS.extract


@lru_cache(maxsize=1)
def now() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _type_ok(con: sqlite3.Connection, ledger_id: int, type_: str) -> bool:
    row = con.execute("SELECT type FROM ledger_entities WHERE id = ?", (ledger_id,)).fetchone()
    return row is not None and is_person(row[0]) == is_person(type_)


def _candidates(con: sqlite3.Connection, keys: set[str], type_: str, name: str) -> list[int]:
    found: set[int] = set()
    surname: dict[str, set[int]] = {}
    for key in sorted(keys):
        if key.startswith("g:"):  # a given name and an initial: surnames spelled alike
            surname[key] = _spelled_alike(con, key, type_, name)
            continue
        ids = [r[0] for r in con.execute(
            "SELECT ledger_entity FROM ledger_entity_keys WHERE key = ?", (key,)
        )]  # fmt: skip
        ids = [i for i in ids if _type_ok(con, i, type_)]
        if key.startswith(("s:", "v:")):  # only when one ledger person has it
            surname[key] = set(ids)
        else:
            found.update(ids)
    if not found:
        for same in surname.values():
            if len(same) == 1:  # unambiguous within the ledger
                found.update(same)
    return sorted(found)


def _spelled_alike(con: sqlite3.Connection, key: str, type_: str, name: str) -> set[int]:
    """The ledger entities of a ``g:`` key (at most ``name_spelling_candidates`` of
    ``type_``'s kind, else none) whose names are spelled alike with ``name``
    (:func:`spelled_alike`), read with their names and types in one query."""
    rows = [
        (i, n)
        for i, n, t in con.execute(
            "SELECT k.ledger_entity, e.name, e.type FROM ledger_entity_keys k JOIN"
            " ledger_entities e ON e.id = k.ledger_entity WHERE k.key = ? LIMIT ?",
            (key, _SETTINGS.name_spelling_candidates + 1),
        )
        if is_person(t) == is_person(type_)
    ]
    if len(rows) > _SETTINGS.name_spelling_candidates:
        return set()
    return {i for i, n in rows if spelled_alike(name, n, _SETTINGS.name_spelling_ratio)}


def _new_entity(con: sqlite3.Connection, name: str, type_: str, kb: dict[str, Any]) -> int:
    cur = con.execute(
        "INSERT INTO ledger_entities(name, type, kb) VALUES (?, ?, ?)",
        (name, type_, json.dumps(kb, ensure_ascii=False, sort_keys=True)),
    )
    return int(cur.lastrowid or 0)


def _absorb(con: sqlite3.Connection, ledger_id: int, name: str, type_: str, kb: dict) -> None:
    row = con.execute("SELECT name, type, kb FROM ledger_entities WHERE id = ?", (ledger_id,))
    old_name, old_type, old_kb = row.fetchone()
    merged = {**kb, **json.loads(old_kb)}
    new_name = name if better_name(old_name, name) else old_name
    new_type = old_type if old_type not in ("unknown", "") else type_
    con.execute(
        "UPDATE ledger_entities SET name = ?, type = ?, kb = ? WHERE id = ?",
        (new_name, new_type, json.dumps(merged, ensure_ascii=False, sort_keys=True), ledger_id),
    )


def _log(con: sqlite3.Connection, action: str, a: str, b: str, reason: str, by: str) -> None:
    con.execute(
        "INSERT INTO entity_merge_log(action, a, b, reason, by, at) VALUES (?, ?, ?, ?, ?, ?)",
        (action, a, b, reason, by, now()),
    )


def resolve_article(con: sqlite3.Connection, article_id: str) -> dict[str, int]:
    """Map each entity of ``article_id`` to a ledger entity (creating or merging as needed);
    returns {article entity id: ledger entity id}. Runs inside the caller's transaction."""
    out: dict[str, int] = {}
    rows = con.execute(
        "SELECT id, name, type, aliases, kb FROM entities WHERE article_id = ? ORDER BY position",
        (article_id,),
    ).fetchall()
    for eid, name, type_, aliases_json, kb_json in rows:
        aliases = json.loads(aliases_json or "[]")
        kb = json.loads(kb_json or "{}")
        lookup, stored = entity_keys(name, aliases, kb, type_)
        found = _candidates(con, lookup, type_, name)
        if not found:
            target = _new_entity(con, name, type_, kb)
        else:
            target = found[0]
            for other in found[1:]:
                merge(con, target, other, reason=f"shared key via {article_id}:{eid}", by="auto")
            _absorb(con, target, name, type_, kb)
        for key in stored:
            con.execute(
                "INSERT OR IGNORE INTO ledger_entity_keys(key, ledger_entity) VALUES (?, ?)",
                (key, target),
            )
        con.execute(
            "INSERT OR REPLACE INTO ledger_entity_members(article_id, entity_id, ledger_entity)"
            " VALUES (?, ?, ?)",
            (article_id, eid, target),
        )
        out[eid] = target
    return out


def lookup_name(con: sqlite3.Connection, name: str) -> int | None:
    """The ledger entity a bare name (a chain link) stands for, when exactly one has it."""
    norm = normalize_name(name)
    if not norm:
        return None
    keys = [f"n:{norm}"]
    if is_acronym(name):
        keys.append(f"a:{norm.replace(' ', '')}")
    ids: set[int] = set()
    for key in keys:
        ids.update(r[0] for r in con.execute(
            "SELECT ledger_entity FROM ledger_entity_keys WHERE key = ?", (key,)
        ))  # fmt: skip
    return next(iter(ids)) if len(ids) == 1 else None


def _same_kind(a: str, b: str) -> bool:
    """Whether entities of types ``a`` and ``b`` may share knowledge-base ids (the same type,
    or one not known)."""
    return a == b or a in ("unknown", "") or b in ("unknown", "")


def merge(con: sqlite3.Connection, keep: int, gone: int, *, reason: str, by: str = "auto") -> int:
    """Merge ledger entity ``gone`` into ``keep`` (the lower id survives); returns the
    survivor. Members, keys, attribution links and claim origins move along.

    A hand merge (``by="user"``) of entities of different types (a person and a place) keeps
    the name, type and knowledge-base ids of ``keep``, the entity merged into, and copies
    none of ``gone``'s: a gazetteer id never moves across types."""
    if keep == gone:
        return keep
    rows = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT id, name, type, kb FROM ledger_entities WHERE id IN (?, ?)", (keep, gone)
        )
    }
    target = rows.get(keep)  # what the user merges into
    keep, gone = min(keep, gone), max(keep, gone)
    found = rows.get(gone)
    if found is None or target is None:
        return keep
    across = by == "user" and not _same_kind(rows[keep][1], rows[gone][1])
    con.execute(
        "UPDATE ledger_entity_members SET ledger_entity = ? WHERE ledger_entity = ?", (keep, gone)
    )
    con.execute(
        "INSERT OR IGNORE INTO ledger_entity_keys(key, ledger_entity)"
        " SELECT key, ? FROM ledger_entity_keys WHERE ledger_entity = ?",
        (keep, gone),
    )
    con.execute("DELETE FROM ledger_entity_keys WHERE ledger_entity = ?", (gone,))
    con.execute(
        "INSERT OR IGNORE INTO attribution_entities(article_id, attribution_id, role,"
        " ledger_entity) SELECT article_id, attribution_id, role, ? FROM attribution_entities"
        " WHERE ledger_entity = ?",
        (keep, gone),
    )
    con.execute("DELETE FROM attribution_entities WHERE ledger_entity = ?", (gone,))
    con.execute("UPDATE claim_members SET source_entity = ? WHERE source_entity = ?", (keep, gone))
    con.execute(
        "UPDATE claim_members SET origin_key = ? WHERE origin_key = ?", (f"e:{keep}", f"e:{gone}")
    )
    if across:  # the survivor is what the user merged into, with its own ids only
        con.execute(
            "UPDATE ledger_entities SET name = ?, type = ?, kb = ? WHERE id = ?",
            (target[0], target[1], target[2], keep),
        )
    else:
        _absorb(con, keep, found[0], found[1], json.loads(found[2]))
    con.execute("DELETE FROM ledger_entities WHERE id = ?", (gone,))
    _log(con, "merge", str(keep), str(gone), reason, by)
    refresh_claims_with_origin(con, f"e:{keep}")
    return keep


def split(con: sqlite3.Connection, article_id: str, entity_id: str, *, by: str = "user") -> int:
    """Give the article entity its own ledger entity; returns the new id."""
    row = con.execute(
        "SELECT m.ledger_entity, e.name, e.type, e.kb FROM ledger_entity_members m"
        " JOIN entities e ON e.article_id = m.article_id AND e.id = m.entity_id"
        " WHERE m.article_id = ? AND m.entity_id = ?",
        (article_id, entity_id),
    ).fetchone()
    if row is None:
        raise KeyError(f"no entity {entity_id!r} in article {article_id!r}")
    old, name, type_, kb = row
    others = con.execute(
        "SELECT count(*) FROM ledger_entity_members WHERE ledger_entity = ?", (old,)
    ).fetchone()[0]
    if others <= 1:
        return int(old)
    new = _new_entity(con, name, type_, json.loads(kb))
    con.execute(
        "UPDATE ledger_entity_members SET ledger_entity = ? WHERE article_id = ? AND entity_id = ?",
        (new, article_id, entity_id),
    )
    con.execute(
        "UPDATE attribution_entities SET ledger_entity = ? WHERE article_id = ? AND"
        " ledger_entity = ? AND attribution_id IN (SELECT id FROM attributions WHERE"
        " article_id = ? AND source_entity = ?)",
        (new, article_id, old, article_id, entity_id),
    )
    con.execute(
        "UPDATE claim_members SET source_entity = ?, origin_key = CASE WHEN origin_key = ?"
        " THEN ? ELSE origin_key END WHERE article_id = ? AND source_entity = ? AND"
        " attribution_id IN (SELECT id FROM attributions WHERE article_id = ? AND"
        " source_entity = ?)",
        (new, f"e:{old}", f"e:{new}", article_id, old, article_id, entity_id),
    )
    _log(con, "split", str(old), f"{article_id}:{entity_id}", f"new entity {new}", by)
    refresh_claims_with_origin(con, f"e:{old}")
    refresh_claims_with_origin(con, f"e:{new}")
    return new


# ---------------------------------------------------------------- hand rules


def find_entities(con: sqlite3.Connection, ref: str) -> list[int]:
    """Every ledger entity ``ref`` names: the one of that id ("12"), or those with that name
    or alias (case-insensitive, normalized), lowest id first."""
    if ref.isdigit():
        row = con.execute("SELECT id FROM ledger_entities WHERE id = ?", (int(ref),)).fetchone()
        return [int(row[0])] if row else []
    norm = normalize_name(ref)
    rows = con.execute(
        "SELECT DISTINCT ledger_entity FROM ledger_entity_keys WHERE key IN (?, ?, ?)"
        " ORDER BY ledger_entity",
        (f"n:{norm}", f"a:{norm.replace(' ', '')}", f"u:{norm}"),
    ).fetchall()
    return [int(r[0]) for r in rows]


def find_entity(con: sqlite3.Connection, ref: str) -> int | None:
    """A ledger entity by id ("12") or by name/alias (case-insensitive, normalized); of
    several with that name, the lowest id (:func:`find_entities` gives them all)."""
    found = find_entities(con, ref)
    return found[0] if found else None


class AmbiguousEntity(NewsledgerError, ValueError):
    """A name that stands for more than one ledger entity."""


def describe(con: sqlite3.Connection, ledger_id: int) -> str:
    """``15 Yonhap (organization)``."""
    row = con.execute("SELECT name, type FROM ledger_entities WHERE id = ?", (ledger_id,))
    found = row.fetchone()
    return f"{ledger_id} {found[0]} ({found[1]})" if found else str(ledger_id)


def resolve_entity(con: sqlite3.Connection, ref: str) -> int:
    """The one ledger entity ``ref`` (an id or a name) stands for. Raises KeyError when none
    does and :class:`AmbiguousEntity` (naming the candidates) when several do."""
    found = find_entities(con, ref)
    if not found:
        raise KeyError(f"no ledger entity {ref!r} (see `newsledger entities list`)")
    if len(found) > 1:
        shown = "; ".join(describe(con, i) for i in found[:10])
        more = f" and {len(found) - 10} more" if len(found) > 10 else ""
        raise AmbiguousEntity(
            f"{ref!r} is ambiguous: it names {len(found)} ledger entities: {shown}{more};"
            " give an id instead"
        )
    return found[0]


def _ref_of(con: sqlite3.Connection, ledger_id: int) -> str:
    """A stable reference to a ledger entity for a rule: one of its members."""
    row = con.execute(
        "SELECT article_id, entity_id FROM ledger_entity_members WHERE ledger_entity = ?"
        " ORDER BY article_id, entity_id LIMIT 1",
        (ledger_id,),
    ).fetchone()
    if row is None:
        raise KeyError(f"ledger entity {ledger_id} has no members")
    return f"{row[0]}:{row[1]}"


def _member(con: sqlite3.Connection, ref: str) -> int | None:
    article_id, _, entity_id = ref.rpartition(":")
    row = con.execute(
        "SELECT ledger_entity FROM ledger_entity_members WHERE article_id = ? AND entity_id = ?",
        (article_id, entity_id),
    ).fetchone()
    return int(row[0]) if row else None


def add_rule(con: sqlite3.Connection, action: str, a: str, b: str) -> int:
    """Store a hand rule and apply it; ``merge``: a and b are ledger entity refs (id or
    name, :func:`resolve_entity`: an ambiguous name is refused, as is a merge of an entity
    with itself), b merged into a; ``split``: a is a ledger entity ref, b is
    ``ARTICLE_ID:ENTITY_ID``. Rules refer to
    article entities, so they hold through re-ingest and rebuild. Returns the entity id."""
    if action == "merge":
        ia, ib = resolve_entity(con, a), resolve_entity(con, b)
        if ia == ib:
            raise ValueError(
                f"{a!r} and {b!r} are the same ledger entity ({describe(con, ia)}): "
                "nothing to merge"
            )
        ra, rb = _ref_of(con, ia), _ref_of(con, ib)
        con.execute(
            "INSERT INTO entity_rules(action, a, b, at) VALUES ('merge', ?, ?, ?)", (ra, rb, now())
        )
        return merge(con, ia, ib, reason=f"hand merge {a} + {b}", by="user")
    if action == "split":
        candidates = find_entities(con, a)
        if not candidates:
            raise KeyError(f"no ledger entity {a!r} (see `newsledger entities list`)")
        article_id, _, entity_id = b.rpartition(":")
        if _member(con, b) not in candidates:
            raise KeyError(f"{b!r} is not a member of ledger entity {a!r}")
        con.execute(
            "INSERT INTO entity_rules(action, a, b, at) VALUES ('split', ?, ?, ?)", (a, b, now())
        )
        return split(con, article_id, entity_id)
    raise ValueError(f"unknown rule action {action!r} (merge or split)")


def apply_rules(con: sqlite3.Connection) -> None:
    """Apply every stored hand rule in order (idempotent); rules whose articles are gone
    wait until they come back."""
    for action, a, b in con.execute("SELECT action, a, b FROM entity_rules ORDER BY id").fetchall():
        if action == "merge":
            ia, ib = _member(con, a), _member(con, b)
            if ia is not None and ib is not None and ia != ib:
                merge(con, ia, ib, reason="hand rule (re-applied)", by="user")
        else:
            article_id, _, entity_id = b.rpartition(":")
            if _member(con, b) is not None:
                split(con, article_id, entity_id)


# ---------------------------------------------------------------- queries


def list_entities(
    con: sqlite3.Connection, *, text: str | None = None, limit: int = 50
) -> list[Row]:
    """Ledger entities with their article and attribution counts, most mentioned first."""
    where, params = "", []
    if text:
        where = " WHERE le.name LIKE ? ESCAPE '\\'"
        params.append(
            "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
    cur = con.execute(
        "SELECT le.id, le.name, le.type, le.kb,"
        " (SELECT count(DISTINCT article_id) FROM ledger_entity_members m"
        "  WHERE m.ledger_entity = le.id) AS articles,"
        " (SELECT count(*) FROM attribution_entities x WHERE x.ledger_entity = le.id"
        "  AND x.role = 'source') AS said"
        f" FROM ledger_entities le{where} ORDER BY articles DESC, le.id LIMIT ?",
        (*params, limit),
    )
    return [{**dict(r), "kb": json.loads(r["kb"])} for r in _rows(cur)]


def show_entity(con: sqlite3.Connection, ledger_id: int) -> Row | None:
    """One ledger entity: names seen, member article entities, merge log."""
    row = con.execute(
        "SELECT id, name, type, kb FROM ledger_entities WHERE id = ?", (ledger_id,)
    ).fetchone()
    if row is None:
        return None
    members = con.execute(
        "SELECT m.article_id, m.entity_id, e.name, e.type, e.aliases FROM ledger_entity_members m"
        " JOIN entities e ON e.article_id = m.article_id AND e.id = m.entity_id"
        " WHERE m.ledger_entity = ? ORDER BY m.article_id, m.entity_id",
        (ledger_id,),
    ).fetchall()
    names = sorted({m[2] for m in members} | {a for m in members for a in json.loads(m[4])})
    log = con.execute(
        "SELECT action, a, b, reason, by, at FROM entity_merge_log WHERE a = ? OR b = ?"
        " ORDER BY id",
        (str(ledger_id), str(ledger_id)),
    ).fetchall()
    return {
        "id": row[0],
        "name": row[1],
        "type": row[2],
        "kb": json.loads(row[3]),
        "names": names,
        "members": [
            {"article_id": m[0], "entity_id": m[1], "name": m[2], "type": m[3]} for m in members
        ],
        "log": [dict(zip(("action", "a", "b", "reason", "by", "at"), r, strict=True)) for r in log],
    }


def _rows(cur: sqlite3.Cursor) -> list[Row]:
    cols = [d[0] for d in cur.description]
    return [_DictRow(cols, r) for r in cur.fetchall()]


class _DictRow(dict):  # a row usable as r["col"] whatever the connection's row_factory
    def __init__(self, cols: list[str], values: Iterable[Any]) -> None:
        super().__init__(zip(cols, values, strict=True))
