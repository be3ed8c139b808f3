"""Merge Parquet shards into a SQLite ledger, idempotently, as a single-process ingest would.

Shards are replayed in input order, item by item: an article whose text (``sha256``) or id the
ledger already holds is skipped; the others are stored, one transaction each; the problems
recorded in the shards (unreadable inputs, texts the language filter rejected, failed
analyses) go to the ledger's ``ingest_errors`` table, unless the article is already stored.
Loading the same shards twice therefore adds nothing the second time, and a ledger loaded
from the shards of a run equals the one ``newsledger ingest`` builds from the same inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from newsledger.ingest import IngestStats, Recorder, storable_names
from newsledger.ledger import Ledger
from newsledger.model import Analysis
from newsledger.scale.shards import ShardInfo, iter_shard, list_shards, shard_info


def load_shards(
    ledger: Ledger,
    shards: Iterable[str | Path | ShardInfo],
    *,
    inputs: Sequence[str] | None = None,
    progress: Callable[[IngestStats], None] | None = None,
    crossdoc_progress: Callable[[int, int], None] | None = None,
) -> IngestStats:
    """Add the articles of ``shards`` (in the order given) that ``ledger`` does not hold yet.

    The load is one ingest run of the ledger, recorded with ``inputs`` (default: the shard
    paths) as its inputs. ``progress`` follows the inputs, ``crossdoc_progress(done,
    total)`` the cross-document update at the end.
    """
    infos = [s if isinstance(s, ShardInfo) else shard_info(s) for s in shards]
    names = storable_names(inputs or [str(i.path) for i in infos])
    stats = IngestStats(run_id=ledger.start_run(names))
    stats.total = sum(i.rows + len(i.problems) for i in infos)
    record = Recorder(ledger, stats)  # counted and recorded as the local ingest does
    known_shas, known_ids = ledger.known()

    def known(sha: str | None, article_id: str | None) -> bool:
        return sha in known_shas or article_id in known_ids

    for info in infos:
        for origin, item in iter_shard(info.path):
            if isinstance(item, Analysis):
                sha, article_id = item.article.text_sha256, item.article.id
                if known(sha, article_id):
                    record.skip()
                else:
                    record.store(item, item.text, origin)
                    known_shas.add(sha)
                    known_ids.add(article_id)
            elif item.kind != "input" and known(item.sha256, item.article_id):
                record.skip()
            else:
                record.fail(item.origin, item.reason)
                if item.kind == "failed":  # as in ingest: a text that was analyzed is "seen"
                    known_shas.add(item.sha256 or "")
                    known_ids.add(item.article_id or "")
            if progress is not None:
                progress(stats)
    # as ingest does: the cross-document tables for every pending article
    record.finish(crossdoc=True, progress=crossdoc_progress)
    return stats


def load_directory(
    ledger: Ledger,
    directory: str | Path,
    *,
    progress: Callable[[IngestStats], None] | None = None,
) -> IngestStats:
    """Load every shard of ``directory``, in input order (see :func:`list_shards`)."""
    return load_shards(ledger, list_shards(directory), inputs=[str(directory)], progress=progress)
