"""Ledger exports: records as JSON Lines (analyses, claims, conflicts); tables as Parquet or
CSV (pyarrow): the data tables as stored, and claims, their members and conflicts in the
flat form of :func:`newsledger.records.flatten` (the columns ``claims --format csv`` and
``conflicts --format csv`` print); and the datasets people look at (articles, attributions,
claims, conflicts, each filtered as the web pages filter them) as CSV, JSON Lines or Parquet
(:func:`export_dataset`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import IO, Any, TextIO, get_args, get_type_hints

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from newsledger.ledger import query
from newsledger.ledger.claims import claim_detail, list_claims
from newsledger.ledger.conflicts import read_conflicts
from newsledger.ledger.query import table_exists
from newsledger.ledger.schema import DATA_TABLES
from newsledger.ledger.store import Ledger
from newsledger.records import Claim, ClaimMember, Conflict, flat_columns, flatten

__all__ = [
    "DATASETS",
    "DATASET_FORMATS",
    "RECORDS",
    "RECORD_TABLES",
    "dataset_records",
    "export_dataset",
    "export_jsonl",
    "export_records",
    "export_tables",
    "iter_claims",
    "iter_conflicts",
]

BATCH_ROWS = 50_000
#: claims and conflicts are read this many at a time
RECORD_BATCH = 500
#: what ``export_records`` writes as JSON Lines
RECORDS = ("analyses", "claims", "conflicts")
#: the record tables ``export_tables`` adds to the data tables
RECORD_TABLES = ("claims", "claim_members", "conflicts")


def export_jsonl(ledger: Ledger, out: TextIO, include_text: bool = False) -> int:
    """Write every stored analysis as one JSON line (the record ``show`` prints); return count."""
    n = 0
    for analysis in ledger.iter_analyses():
        out.write(analysis.to_json(include_text=include_text) + "\n")
        n += 1
    return n


def iter_claims(ledger: Ledger) -> Iterator[Claim]:
    """Every claim, the most reported first (the order of ``claims`` and ``/api/claims``)."""
    if not table_exists(ledger.con, "claims"):
        return
    offset = 0
    while batch := list_claims(ledger.con, limit=RECORD_BATCH, offset=offset):
        yield from batch
        offset += RECORD_BATCH


def iter_conflicts(ledger: Ledger) -> Iterator[Conflict]:
    """Every conflict (the order of ``conflicts`` and ``/api/conflicts``)."""
    if not table_exists(ledger.con, "conflicts"):
        return
    offset = 0
    while batch := read_conflicts(ledger.con, limit=RECORD_BATCH, offset=offset):
        yield from batch
        offset += RECORD_BATCH


def export_records(ledger: Ledger, what: str, out: TextIO, include_text: bool = False) -> int:
    """Write every record of ``what`` (one of :data:`RECORDS`) as one JSON line: analyses as
    ``show`` prints them, claims and conflicts as ``/api/claims`` and ``/api/conflicts``
    serve them. Returns the count."""
    if what == "analyses":
        return export_jsonl(ledger, out, include_text)
    records: Iterator[Claim] | Iterator[Conflict]
    if what == "claims":
        records = iter_claims(ledger)
    elif what == "conflicts":
        records = iter_conflicts(ledger)
    else:
        raise ValueError(f"unknown records {what!r} (one of {', '.join(RECORDS)})")
    n = 0
    for record in records:
        out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def _record_tables(ledger: Ledger) -> dict[str, tuple[list[str], list[dict[str, Any]]]]:
    """The columns and flat rows of each record table (:data:`RECORD_TABLES`)."""
    claims = [c.to_dict() for c in iter_claims(ledger)]
    return {
        "claims": (
            flat_columns(Claim, skip=("members",)),
            [flatten({k: v for k, v in c.items() if k != "members"}) for c in claims],
        ),
        "claim_members": (
            ["claim_id", *flat_columns(ClaimMember)],
            [flatten({"claim_id": c["id"], **m}) for c in claims for m in c["members"]],
        ),
        "conflicts": (
            flat_columns(Conflict),
            [flatten(c.to_dict()) for c in iter_conflicts(ledger)],
        ),
    }


def _arrow_schema(ledger: Ledger, table: str) -> pa.Schema:
    fields = []
    for col in ledger.con.execute(f"PRAGMA table_info({table})"):
        declared = (col["type"] or "").upper()
        if declared == "TEXT":
            t = pa.string()
        elif declared == "INTEGER":
            t = pa.int64()
        else:  # REAL or untyped numbers (values, confidences)
            t = pa.float64()
        fields.append(pa.field(col["name"], t, nullable=not col["notnull"] or bool(col["pk"])))
    return pa.schema(fields)


def export_tables(ledger: Ledger, out_dir: Path, fmt: str) -> dict[str, tuple[Path, int]]:
    """Write each data table to ``out_dir/TABLE.parquet`` or ``.csv``, and the claims, their
    members and the conflicts in their flat form; return paths and counts."""
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"unknown table format {fmt!r} (parquet or csv)")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, tuple[Path, int]] = {}
    for table in DATA_TABLES:
        schema = _arrow_schema(ledger, table)
        path = out_dir / f"{table}.{fmt}"
        if fmt == "parquet":
            writer = pq.ParquetWriter(path, schema)
        else:
            writer = pcsv.CSVWriter(path, schema)
        rows = 0
        cur = ledger.con.execute(f"SELECT * FROM {table}")  # table names from DATA_TABLES only
        try:
            while batch := cur.fetchmany(BATCH_ROWS):
                columns = list(zip(*batch, strict=True))
                arrays = [
                    pa.array(values, type=field.type)
                    for values, field in zip(columns, schema, strict=True)
                ]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
                rows += len(batch)
            if rows == 0:
                writer.write_table(schema.empty_table())
        finally:
            writer.close()
        written[table] = (path, rows)
    for table, (names, records) in _record_tables(ledger).items():
        data = pa.table({name: [r.get(name) for r in records] for name in names})
        path = out_dir / f"{table}.{fmt}"
        if fmt == "parquet":
            pq.write_table(data, path)
        else:
            pcsv.write_csv(data, path)
        written[table] = (path, len(records))
    return written


# ---------------------------------------------------------------- datasets

#: The formats a dataset is exported in.
DATASET_FORMATS = ("csv", "jsonl", "parquet")
_PAGE = 2_000
_S, _I, _F = pa.string(), pa.int64(), pa.float64()


def _arrow_type(hint: Any) -> pa.DataType:
    """The Arrow type of a record field's flat cell (lists are joined or JSON: strings)."""
    kinds = [k for k in get_args(hint) if k is not type(None)] or [hint]
    kind = kinds[0] if len(kinds) == 1 else None
    if kind is bool:
        return pa.bool_()
    if kind is int:
        return _I
    if kind is float:
        return _F
    return _S


def _record_columns(
    cls: type, prefix: str = "", skip: tuple[str, ...] = ()
) -> tuple[tuple[str, pa.DataType], ...]:
    """The columns (:func:`newsledger.records.flat_columns`) of a record, with their types."""
    hints = get_type_hints(cls)
    out: list[tuple[str, pa.DataType]] = []
    for f in fields(cls):
        if f.name in skip:
            continue
        kind = hints[f.name]
        if is_dataclass(kind) and isinstance(kind, type):
            out += _record_columns(kind, f"{prefix}{f.name}.")
        else:
            out.append((f"{prefix}{f.name}", _arrow_type(kind)))
    return tuple(out)


#: Each dataset's columns in CSV and Parquet (JSON Lines has the whole records: lists stay
#: lists, a conflict's sides stay objects). Claims and conflicts have the flat form of
#: ``newsledger export`` and ``claims``/``conflicts --format csv`` (``a.value``, …).
DATASETS: dict[str, tuple[tuple[str, pa.DataType], ...]] = {
    "articles": (
        ("id", _S), ("title", _S), ("published", _S), ("site", _S), ("url", _S),
        ("text_sha256", _S), ("ingested_at", _S), ("attributions", _I),
    ),
    "attributions": (
        ("article_id", _S), ("attribution_id", _S), ("published", _S), ("title", _S),
        ("site", _S), ("kind", _S), ("source", _S), ("chain", _S), ("cue", _S),
        ("content", _S), ("confidence", _F),
    ),
    "claims": _record_columns(Claim, skip=("members",)),
    "conflicts": _record_columns(Conflict),
}  # fmt: skip


def _pages(fetch: Callable[[int, int], list[Any]]) -> Iterator[Any]:
    offset = 0
    while True:
        rows = fetch(_PAGE, offset)
        yield from rows
        if len(rows) < _PAGE:
            return
        offset += _PAGE


def _text(filters: Mapping[str, Any], name: str) -> str | None:
    value = filters.get(name)
    return value if isinstance(value, str) and value.strip() else None


def dataset_records(
    con: sqlite3.Connection, dataset: str, filters: Mapping[str, Any] | None = None
) -> Iterator[dict[str, Any]]:
    """Every record of ``dataset`` that passes ``filters``, as the API serves them.

    ``articles``: ``q`` (full-text, best first; else newest first). ``attributions``:
    ``q`` (full-text, ranked within the search window of :mod:`~newsledger.ledger.query`),
    ``source``, ``kind``, ``since``, ``until``, ``site``, ``article_id``. ``claims``:
    ``about``, ``independence``, ``min_articles``, ``claim``. ``conflicts``: ``kind``.
    """
    f = dict(filters or {})
    if dataset == "articles":
        q = _text(f, "q")
        yield from _pages(lambda n, o: query.articles(con, limit=n, offset=o, text=q))
    elif dataset == "attributions":
        source, kind, since, until, site = (
            _text(f, k) for k in ("source", "kind", "since", "until", "site")
        )
        q = _text(f, "q")
        if q is not None:
            rows = _pages(
                lambda n, o: query.search_attributions(
                    con,
                    q,
                    source=source,
                    kind=kind,
                    since=since,
                    until=until,
                    site=site,
                    limit=n,
                    offset=o,
                )  # fmt: skip
            )
            yield from ({k: v for k, v in r.items() if k != "snippet"} for r in rows)
        else:
            aid = _text(f, "article_id")
            yield from _pages(
                lambda n, o: query.attributions(
                    con,
                    article_id=aid,
                    source=source,
                    kind=kind,
                    since=since,
                    until=until,
                    site=site,
                    limit=n,
                    offset=o,
                )  # fmt: skip
            )
    elif dataset == "claims":
        if not query.table_exists(con, "claims"):
            return
        if f.get("claim") is not None:
            found = claim_detail(con, int(f["claim"]))
            yield from ([found.to_dict()] if found is not None else [])
            return
        about, independence = _text(f, "about"), _text(f, "independence")
        least = int(f.get("min_articles") or 1)
        yield from (
            c.to_dict()
            for c in _pages(
                lambda n, o: list_claims(
                    con,
                    about=about,
                    independence=independence,
                    min_articles=least,
                    limit=n,
                    offset=o,
                )  # fmt: skip
            )
        )
    elif dataset == "conflicts":
        if not query.table_exists(con, "conflicts"):
            return
        kind = _text(f, "kind")
        yield from (
            c.to_dict()
            for c in _pages(lambda n, o: read_conflicts(con, kind=kind, limit=n, offset=o))
        )
    else:
        raise ValueError(f"unknown dataset {dataset!r} (one of {', '.join(DATASETS)})")


def _flat(dataset: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """A record as one row of the dataset's columns (lists joined, nested objects spread)."""
    if dataset == "attributions":
        return {**record, "chain": " > ".join(record.get("chain") or [])}
    if dataset in ("claims", "conflicts"):
        return flatten({k: v for k, v in record.items() if k != "members"})
    return dict(record)


def export_dataset(
    records: Iterator[Mapping[str, Any]], dataset: str, fmt: str, out: IO[bytes]
) -> int:
    """Write ``records`` (from :func:`dataset_records`) to the binary stream ``out`` as
    ``csv`` (a header row even when empty), ``jsonl`` or ``parquet``; return the count."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r} (one of {', '.join(DATASETS)})")
    if fmt not in DATASET_FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(DATASET_FORMATS)})")
    n = 0
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
            n += 1
        return n
    schema = pa.schema([pa.field(name, t) for name, t in DATASETS[dataset]])
    writer: pq.ParquetWriter | pcsv.CSVWriter
    writer = pq.ParquetWriter(out, schema) if fmt == "parquet" else pcsv.CSVWriter(out, schema)
    try:
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            columns = {name: [r.get(name) for r in batch] for name in schema.names}
            writer.write_table(pa.Table.from_pydict(columns, schema=schema))
            batch.clear()

        for record in records:
            batch.append(_flat(dataset, record))
            n += 1
            if len(batch) >= BATCH_ROWS:
                flush()
        if batch or n == 0:
            flush()
    finally:
        writer.close()
    return n
