"""Ledger exports: records as JSON Lines (analyses, claims, conflicts); tables as Parquet or
CSV (pyarrow): the data tables as stored, and claims, their members and conflicts in the
flat form of :func:`newsledger.records.flatten` (the columns ``claims --format csv`` and
``conflicts --format csv`` print)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from newsledger.ledger.claims import list_claims
from newsledger.ledger.conflicts import read_conflicts
from newsledger.ledger.query import table_exists
from newsledger.ledger.schema import DATA_TABLES
from newsledger.ledger.store import Ledger
from newsledger.records import Claim, ClaimMember, Conflict, flat_columns, flatten

__all__ = [
    "RECORDS",
    "RECORD_TABLES",
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
