"""Merge Parquet shards into a SQLite ledger, idempotently.

Articles whose text (``sha256``) the ledger already holds are skipped, so loading the same
shards twice, or shards that overlap a ledger built another way, adds nothing twice. Shards
are loaded in input order, so with duplicate texts the first one read is kept, as in a
single-process ingest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from newsledger.errors import InputError
from newsledger.model import Analysis
from newsledger.scale.shards import ShardInfo, list_shards, read_shard, shard_info


class LedgerLike(Protocol):
    def has_sha(self, sha: str) -> bool: ...

    def add(self, analysis: Analysis, text: str) -> Any: ...


@dataclass(slots=True)
class LoadReport:
    shards: int = 0
    added: int = 0
    skipped: int = 0  # already in the ledger (same text)
    errors: list[InputError] = field(default_factory=list)  # input errors recorded in shards


def load_shards(
    shards: Iterable[str | Path | ShardInfo],
    ledger: LedgerLike,
    *,
    on_shard: Callable[[ShardInfo, int, int], None] | None = None,
) -> LoadReport:
    """Add the articles of ``shards`` (in the order given) that ``ledger`` does not hold yet."""
    report = LoadReport()
    for shard in shards:
        info = shard if isinstance(shard, ShardInfo) else shard_info(shard)
        added = skipped = 0
        for analysis in read_shard(info.path):
            if ledger.has_sha(analysis.article.text_sha256):
                skipped += 1
                continue
            ledger.add(analysis, analysis.text)
            added += 1
        report.shards += 1
        report.added += added
        report.skipped += skipped
        report.errors.extend(info.errors)
        if on_shard is not None:
            on_shard(info, added, skipped)
    return report


def load_directory(directory: str | Path, ledger: LedgerLike, **kwargs: Any) -> LoadReport:
    """Load every shard of ``directory``, in input order (see :func:`list_shards`)."""
    return load_shards(list_shards(directory), ledger, **kwargs)
