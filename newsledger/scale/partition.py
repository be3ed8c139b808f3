"""Plan partitions: the units of work sent to workers, as small picklable dicts.

A partition names what to read, never the data itself:

``{"kind": "files", "files": [[path, text_id], ...]}``
    whole files (or URLs), read by the project readers. ``text_id`` is the article id of a
    plain-text or HTML file, assigned here in input order exactly as
    :func:`newsledger.readers.iter_articles` assigns it; it is ``None`` for record files
    (JSONL, CSV), WARC archives, feeds, URLs and paths that cannot be read (their error is
    reported by the worker, in the reader's own words). Small inputs next to each other share
    one partition; a WARC archive or a feed file has one of its own.
``{"kind": "jsonl", "path": p, "start": s, "end": e, "line_base": n}``
    the records of a JSON Lines file whose first byte lies in ``[s, e)`` (``e`` is ``None``
    for the end of the file). As with Hadoop text splits, a range that starts inside a line
    leaves that line to the range before it. ``n`` counts the newlines before ``s``, so line
    numbers (and the default ids ``stem:LINE``) are the same as in a single-process run.
``{"kind": "csv", "path": p, "header_end": h, "start": s, "end": e, "line_base": n}``
    the CSV rows in ``[s, e)``, with the header row in ``[0, h)``. CSV fields may hold quoted
    newlines, so CSV files are split after one scan, on record boundaries.

Partitions are listed in input order: their articles, concatenated, are the articles of a
single-process run, in the same order.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from newsledger.errors import InputError
from newsledger.readers import (
    SNIFF_BYTES,
    decode_bytes,
    file_format,
    is_url,
    records_binary_reason,
    unique_id,
    walk,
)
from newsledger.readers.tabular import field_names, raise_field_size_limit

Partition = dict[str, Any]

#: A partition holds about this many bytes of input unless told otherwise.
DEFAULT_PARTITION_BYTES = 1 << 20
#: Readers (``newsledger.readers.file_format``) of files that hold one article, with an id
#: assigned in input order.
SINGLE_ARTICLE = ("text", "html")
#: Readers of files read whole, each in a partition of its own (archives, feeds).
CONTAINERS = ("warc", "rss")
_CHUNK = 1 << 20


def plan_partitions(
    paths: Sequence[str],
    partition_bytes: int = DEFAULT_PARTITION_BYTES,
    *,
    format: str | None = None,
    fields: Mapping[str, str] | None = None,
) -> list[Partition]:
    """Partitions covering every input of ``paths`` (files, directories, URLs), in input order.

    ``partition_bytes`` is the target input size of one partition; ``format`` and ``fields``
    are the reader options of :func:`newsledger.readers.iter_articles` (pass the workers the
    same ones). Raises ``ValueError`` for ``-`` (standard input cannot be shared between
    workers).
    """
    partition_bytes = max(int(partition_bytes), 1)
    planner = _Planner(partition_bytes, format, field_names(fields)["text"])
    for path in paths:
        if path == "-":
            raise ValueError(
                "standard input (-) cannot be split over workers; save it to a file first"
            )
        if is_url(path):
            planner.add_unreadable(path)  # fetched by the worker, as iter_articles does
        elif os.path.isdir(path):
            found = False
            for item in walk(path):
                found = True
                planner.add(item.origin if isinstance(item, InputError) else item)
            if not found:
                planner.add_unreadable(path)  # the reader reports the empty directory
        else:
            planner.add(path)
    return planner.finish()


def auto_partition_bytes(paths: Sequence[str], workers: int, per_worker: int = 4) -> int:
    """A partition size giving each of ``workers`` about ``per_worker`` partitions.

    Kept between 16 KiB (a few articles) and 16 MiB, so a lost partition is cheap to redo.
    """
    total = sum(_input_bytes(p) for p in paths if p != "-")
    target = total // max(1, workers * per_worker) + 1
    return min(max(target, 16 << 10), 16 << 20)


def shard_key(partition: Partition, options: Mapping[str, Any]) -> str:
    """Content hash naming the shard of ``partition`` analyzed with ``options``.

    It covers the partition's description, the identity of its input files (resolved path,
    size, modification time) and the options (dates, limits, model, extractors, code), so a
    rerun finds the shards it already has and recomputes only what changed.
    """
    payload = {
        "partition": partition,
        "inputs": [file_identity(p) for p in partition_paths(partition)],
        "options": dict(options),
    }
    data = json.dumps(payload, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("ascii")).hexdigest()[:32]


def partition_paths(partition: Partition) -> list[str]:
    if partition["kind"] == "files":
        return [path for path, _ in partition["files"]]
    return [partition["path"]]


def describe(partition: Partition) -> str:
    """A short human-readable name: ``a.jsonl[0:1048576]`` or ``3 files from x.txt``."""
    if partition["kind"] == "files":
        files = partition["files"]
        first = files[0][0] if files else "?"
        return first if len(files) == 1 else f"{len(files)} files from {first}"
    end = "" if partition["end"] is None else partition["end"]
    return f"{partition['path']}[{partition['start']}:{end}]"


def file_identity(path: str) -> list[Any]:
    resolved = os.path.abspath(path)
    try:
        st = os.stat(path)
    except OSError:
        return [resolved, None, None]
    return [resolved, st.st_size, st.st_mtime_ns]


# ------------------------------------------------------------------ planning
class _Planner:
    def __init__(self, partition_bytes: int, format: str | None, text_column: str) -> None:
        self.size = partition_bytes
        self.format = format
        self.text_column = text_column
        self.partitions: list[Partition] = []
        self.group: list[list[str | None]] = []
        self.group_bytes = 0
        self.used_ids: set[str] = set()

    def add(self, path: str) -> None:
        if not os.path.isfile(path):
            self.add_unreadable(path)
            return
        kind = self.format or file_format(path)
        if kind in CONTAINERS:
            self._flush()
            self.partitions.append({"kind": "files", "files": [[path, None]]})
        elif kind in ("jsonl", "csv"):
            size = _input_bytes(path)
            ranges = None
            if size > self.size:
                if kind == "csv":
                    ranges = _csv_ranges(path, self.size, self.text_column)
                else:
                    ranges = _jsonl_ranges(path, self.size)
            if ranges is None:  # small, or a file-level problem the reader will report
                self._add_to_group(path, None, size)
            else:
                self._flush()
                self.partitions.extend(ranges)
        elif kind in SINGLE_ARTICLE:
            text_id = unique_id(path, self.used_ids)
            self._add_to_group(path, text_id, _input_bytes(path))
        else:  # e.g. an .xml file that is not a feed: the reader says so
            self._add_to_group(path, None, 0)

    def add_unreadable(self, path: str) -> None:
        self._add_to_group(path, None, 0)

    def _add_to_group(self, path: str, text_id: str | None, size: int) -> None:
        if self.group and self.group_bytes + size > self.size:
            self._flush()
        self.group.append([path, text_id])
        self.group_bytes += size

    def _flush(self) -> None:
        if self.group:
            self.partitions.append({"kind": "files", "files": self.group})
        self.group = []
        self.group_bytes = 0

    def finish(self) -> list[Partition]:
        self._flush()
        return self.partitions


def _input_bytes(path: str) -> int:
    if os.path.isdir(path):
        total = 0
        for item in walk(path):
            if not isinstance(item, InputError):
                total += _input_bytes(item)
        return total
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _binary_or_unreadable(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return records_binary_reason(f.read(SNIFF_BYTES)) is not None
    except OSError:
        return True


def _jsonl_ranges(path: str, size: int) -> list[Partition] | None:
    """Equal byte ranges, each with the number of newlines before its start."""
    if _binary_or_unreadable(path):
        return None
    try:
        file_size = os.stat(path).st_size
        starts = list(range(0, file_size, size))
        if len(starts) > 1 and file_size - starts[-1] < size // 4:
            starts.pop()  # a short tail joins the range before it
        bases = _newlines_before(path, starts)
    except OSError:
        return None
    ranges: list[Partition] = []
    for i, (start, base) in enumerate(zip(starts, bases, strict=True)):
        end = starts[i + 1] if i + 1 < len(starts) else None
        ranges.append(
            {"kind": "jsonl", "path": path, "start": start, "end": end, "line_base": base}
        )
    return ranges


def _newlines_before(path: str, offsets: list[int]) -> list[int]:
    """For each of the sorted ``offsets``, how many ``\\n`` bytes the file has before it."""
    counts: list[int] = []
    seen = 0
    position = 0
    pending = iter(offsets)
    target = next(pending, None)
    with open(path, "rb") as f:
        while target is not None:
            chunk = f.read(_CHUNK)
            while target is not None and target <= position + len(chunk):
                counts.append(seen + chunk.count(b"\n", 0, target - position))
                target = next(pending, None)
            if not chunk:
                break
            seen += chunk.count(b"\n")
            position += len(chunk)
    while target is not None:  # offsets past the end (the file shrank)
        counts.append(seen)
        target = next(pending, None)
    return counts


def _csv_ranges(path: str, size: int, text_column: str = "text") -> list[Partition] | None:
    """Ranges of whole CSV records, found with one scan; None if the file has no good header."""
    if _binary_or_unreadable(path):
        return None
    raise_field_size_limit()
    scan = _CsvScan(path)
    header_end: int | None = None
    ranges: list[Partition] = []
    try:
        with open(path, "rb") as f:
            reader = csv.reader(scan.lines(f))
            start = line_base = 0
            for row in reader:
                if header_end is None:
                    if not any(cell.strip() for cell in row):
                        continue
                    if text_column.lower() not in {name.strip().lower() for name in row}:
                        return None  # the reader reports the missing column
                    header_end = start = scan.offset
                    line_base = scan.lines_read
                    continue
                if scan.offset - start >= size:
                    ranges.append(_csv_range(path, header_end, start, scan.offset, line_base))
                    start, line_base = scan.offset, scan.lines_read
    except csv.Error:
        pass  # the last range runs to the end and its worker reports the error
    except OSError:
        return None
    if header_end is None:
        return None
    ranges.append(_csv_range(path, header_end, start, None, line_base))
    return ranges


def _csv_range(path: str, header_end: int, start: int, end: int | None, base: int) -> Partition:
    return {
        "kind": "csv",
        "path": path,
        "header_end": header_end,
        "start": start,
        "end": end,
        "line_base": base,
    }


class _CsvScan:
    """Feeds a file to ``csv.reader`` line by line, counting bytes and lines consumed.

    ``csv.reader`` asks for lines only until a record is complete, so after each row
    ``offset`` is the byte offset where the next record starts.
    """

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.offset = 0
        self.lines_read = 0

    def lines(self, f: Any) -> Iterator[str]:
        for raw in f:
            self.offset += len(raw)
            self.lines_read += 1
            yield decode_bytes(raw, self.origin)[0]


def shard_name(key: str) -> str:
    return f"shard-{key}.parquet"


def shard_path(out_dir: str | Path, key: str) -> Path:
    return Path(out_dir) / shard_name(key)
