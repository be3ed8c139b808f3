"""Scaling out: split inputs into partitions, analyze each on a worker, keep Parquet shards.

The stages, one module each:

- :mod:`.partition`: plan partitions (small picklable dicts) from input paths; JSONL and CSV
  files are split by byte ranges that keep records whole, text files are grouped, WARC and
  other container files go one per partition.
- :mod:`.ranges`: read the articles of one byte range of a JSONL or CSV file.
- :mod:`.work`: :func:`process_shard`, the one function every engine runs on a partition,
  with the spaCy model loaded once per worker process.
- :mod:`.shards`: the Parquet shard format (``newsledger.shard/1``), written atomically.
- :mod:`.dask_runner` / :mod:`.local_runner`: run partitions on Dask or a local process pool;
  a shard that is already there is not computed again.
- :mod:`.load`: merge shards into a SQLite ledger, skipping articles already stored.
"""

from __future__ import annotations

from newsledger.scale.partition import Partition, plan_partitions, shard_key
from newsledger.scale.shards import SHARD_FORMAT, Problem, ShardInfo, read_shard, write_shard
from newsledger.scale.work import ShardOptions, ShardResult, process_shard

__all__ = [
    "SHARD_FORMAT",
    "Partition",
    "Problem",
    "ShardInfo",
    "ShardOptions",
    "ShardResult",
    "plan_partitions",
    "process_shard",
    "read_shard",
    "shard_key",
    "write_shard",
]
