"""Ledger exports: analysis records as JSON Lines; tables as Parquet or CSV (pyarrow)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from newsledger.ledger.schema import DATA_TABLES
from newsledger.ledger.store import Ledger

__all__ = ["export_jsonl", "export_tables"]

BATCH_ROWS = 50_000


def export_jsonl(ledger: Ledger, out: TextIO, include_text: bool = False) -> int:
    """Write every stored analysis as one JSON line (the record ``show`` prints); return count."""
    n = 0
    for analysis in ledger.iter_analyses():
        out.write(analysis.to_json(include_text=include_text) + "\n")
        n += 1
    return n


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
    """Write each data table to ``out_dir/TABLE.parquet`` or ``.csv``; return paths and counts."""
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
    return written
