"""The work done on one partition, the same for every engine (local processes or Dask).

:func:`process_shard` reads a partition's articles with the project readers and analyzes
them. Workers receive the partition (a small dict) and the
:class:`~newsledger.pipeline.AnalyzerOptions` the local engine builds its analyzer from (model,
extractors, attributions mode, tagger folder), never pickled callables or models: each worker
process builds its :class:`~newsledger.pipeline.Analyzer` once (:func:`get_analyzer`) and reuses
it for every partition it runs.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsledger.errors import InputError
from newsledger.extract import EXTRACTORS, warm_tables
from newsledger.ingest import analyze_each, guarded
from newsledger.model import SCHEMA, Analysis, Article
from newsledger.nlp import MODEL_PACKAGES
from newsledger.pipeline import Analyzer, AnalyzerOptions
from newsledger.readers import file_format, iter_articles, normalize_date
from newsledger.readers import html as html_reader
from newsledger.readers import text as text_reader
from newsledger.scale.partition import Partition, describe, shard_path
from newsledger.scale.ranges import read_csv_range, read_jsonl_range
from newsledger.scale.shards import Problem, shard_info, write_shard

DEFAULT_MAX_BYTES = 10_000_000


#: Filters an ingest applies before analysis, by name: each maps an article text to the reason
#: it is rejected, or None. Workers import them by name (``module:function``).
FILTERS: dict[str, str] = {"language": "newsledger.ingest:language_problem"}


@dataclass(frozen=True, slots=True)
class ShardOptions:
    """How the articles of every partition are read and analyzed (picklable, names only)."""

    published: str | None = None  # date for inputs without one (YYYY-MM-DD)
    max_bytes: int = DEFAULT_MAX_BYTES
    analyzer: AnalyzerOptions = AnalyzerOptions()  # the analyzer every worker builds
    filters: tuple[str, ...] = ()  # names in FILTERS; the ledger ingest uses ("language",)
    reader: tuple[tuple[str, Any], ...] = ()  # more iter_articles options, see reader_options

    @staticmethod
    def reader_options(**kwargs: Any) -> tuple[tuple[str, Any], ...]:
        """``reader=`` from :func:`~newsledger.readers.iter_articles` keywords (``format``,
        ``fields``, ``allow_private``, ``fetch_timeout``, ``fetch_links``), hashable."""
        out = []
        for name, value in sorted(kwargs.items()):
            if isinstance(value, Mapping):
                value = tuple(sorted(value.items()))
            out.append((name, value))
        return tuple(out)

    def reader_kwargs(self) -> dict[str, Any]:
        kwargs = dict(self.reader)
        if kwargs.get("fields") is not None:
            kwargs["fields"] = dict(kwargs["fields"])
        return kwargs

    def __post_init__(self) -> None:
        if self.published is not None and normalize_date(self.published) is None:
            raise ValueError(f"published {self.published!r} is not a date (expected YYYY-MM-DD)")
        if self.analyzer.extractors is not None:
            unknown = [n for n in self.analyzer.extractors if n not in EXTRACTORS]
            if unknown:
                raise ValueError(
                    f"unknown extractor(s): {', '.join(unknown)}; known: {', '.join(EXTRACTORS)}"
                )
        unknown = [n for n in self.filters if n not in FILTERS]
        if unknown:
            raise ValueError(
                f"unknown filter(s): {', '.join(unknown)}; known: {', '.join(FILTERS)}"
            )

    def key(self) -> dict[str, Any]:
        """Everything that changes the output, for the shard key: options, model, code."""
        analyzer = self.analyzer
        key: dict[str, Any] = {
            "schema": SCHEMA,
            "published": normalize_date(self.published),
            "max_bytes": self.max_bytes,
            "model": model_identity(analyzer.model),
            "extractors": list(analyzer.extractors or EXTRACTORS),
            "attributions": analyzer.attributions,
            "filters": list(self.filters),
            "reader": [list(pair) for pair in self.reader],
            "code": code_fingerprint(),
        }
        if analyzer.tagger is not None:  # only then, so the shards of earlier runs stay valid
            key["tagger"] = analyzer.tagger
        return key


@dataclass(slots=True)
class ShardResult:
    """What one partition gave, in input order: analyses (with their origin and position
    among the partition's items) and problems."""

    analyses: list[Analysis] = field(default_factory=list)
    origins: list[str | None] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[InputError]:
        return [p.error() for p in self.problems]


def process_shard(
    inputs: Partition,
    analyzer_options: AnalyzerOptions | None = None,
    *,
    published: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    filters: Sequence[str] = (),
    reader: Mapping[str, Any] | None = None,
) -> ShardResult:
    """Read and analyze the articles of partition ``inputs``, in input order.

    The analyzer ``analyzer_options`` describe (default: the default analyzer) is built once
    per process. Unreadable inputs,
    articles a filter rejects and articles whose analysis raises become :class:`Problem`
    records; nothing is raised for bad input, so a partition goes on. ``reader`` holds more
    :func:`~newsledger.readers.iter_articles` options (``format``, ``fields``, fetching).
    """
    analyzer = get_analyzer(analyzer_options)
    checks = [_filter(name) for name in filters]
    result = ShardResult()
    kept: list[tuple[int, Article]] = []
    position = 0
    items = read_partition(inputs, published=published, max_bytes=max_bytes, reader=reader)
    for item in guarded(items, describe(inputs)):
        if isinstance(item, InputError):
            result.problems.append(Problem(item.origin, item.reason, position))
        elif reason := next((r for check in checks if (r := check(item.text))), None):
            result.problems.append(_article_problem(item, "rejected", reason, position))
        else:
            kept.append((position, item))
        position += 1
    # as the local ingest does: an article whose analysis raises is a problem, the rest go on
    outcomes = analyze_each(analyzer, (article for _, article in kept))
    for (position, article), (_, analysis) in zip(kept, outcomes, strict=True):
        if isinstance(analysis, InputError):
            result.problems.append(_article_problem(article, "failed", analysis.reason, position))
            continue
        result.analyses.append(analysis)
        result.origins.append(article.origin)
        result.positions.append(position)
    result.problems.sort(key=lambda p: p.position)
    return result


def _article_problem(article: Article, kind: str, reason: str, position: int) -> Problem:
    sha = article.sha256
    article_id = article.id or sha[:12]
    return Problem(article.origin or article_id, reason, position, kind, sha, article_id)


def _filter(name: str) -> Callable[[str], str | None]:
    module, _, function = FILTERS[name].partition(":")
    return getattr(importlib.import_module(module), function)


def process_with(inputs: Partition, options: ShardOptions) -> ShardResult:
    return process_shard(
        inputs,
        options.analyzer,
        published=options.published,
        max_bytes=options.max_bytes,
        filters=options.filters,
        reader=options.reader_kwargs(),
    )


def read_partition(
    partition: Partition,
    *,
    published: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    reader: Mapping[str, Any] | None = None,
) -> Iterator[Article | InputError]:
    """The articles (or input errors) of one partition, as the project readers give them.

    ``reader`` holds more :func:`~newsledger.readers.iter_articles` options; give the ones
    the partitions were planned with (``format``, ``fields``).
    """
    date = normalize_date(published)
    options = dict(reader or {})
    fields = options.get("fields")
    kind = partition.get("kind")
    if kind == "files":
        for path, text_id in partition["files"]:
            if text_id is None:
                yield from iter_articles([path], published=date, max_bytes=max_bytes, **options)
            elif (options.get("format") or file_format(path)) == "html":
                yield html_reader.read_file(path, text_id, date, max_bytes)
            else:
                yield text_reader.read_file(path, text_id, date, max_bytes)
    elif kind == "jsonl":
        yield from read_jsonl_range(
            partition["path"],
            partition["start"],
            partition["end"],
            partition["line_base"],
            date,
            max_bytes,
            fields,
        )
    elif kind == "csv":
        yield from read_csv_range(
            partition["path"],
            partition["header_end"],
            partition["start"],
            partition["end"],
            partition["line_base"],
            date,
            max_bytes,
            fields,
        )
    else:
        raise ValueError(f"unknown partition kind {kind!r} in {partition!r}")


# ------------------------------------------------------------------ per-process state
_ANALYZERS: dict[AnalyzerOptions, Analyzer] = {}
_LOCK = threading.Lock()


def get_analyzer(options: AnalyzerOptions | None = None) -> Analyzer:
    """This process's analyzer for ``options`` (:meth:`Analyzer.from_options
    <newsledger.pipeline.Analyzer.from_options>`), its model loaded once."""
    key = options or AnalyzerOptions()
    with _LOCK:  # a worker plugin may load the model while the first task starts
        analyzer = _ANALYZERS.get(key)
        if analyzer is None:
            analyzer = Analyzer.from_options(key)
            analyzer.nlp  # noqa: B018  (load now, under the lock)
            warm_tables()  # the gazetteer and word lists, once per process
            _ANALYZERS[key] = analyzer
    return analyzer


def model_identity(model: str | None) -> str:
    """``package==version`` of the spaCy pipeline that ``model`` resolves to, without loading it."""
    for package in (model,) if model else MODEL_PACKAGES:
        if importlib.util.find_spec(package) is None:
            continue
        try:
            return f"{package}=={importlib.metadata.version(package)}"
        except importlib.metadata.PackageNotFoundError:
            return package
    return model or "none"


_FINGERPRINT: str | None = None


def code_fingerprint() -> str:
    """A hash of newsledger's code and resources: shards made by other code are not reused."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        root = Path(__file__).resolve().parents[1]
        digest = hashlib.sha256()
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".json", ".txt") and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(b"\0")
                digest.update(path.read_bytes())
        _FINGERPRINT = digest.hexdigest()[:16]
    return _FINGERPRINT


def run_partition(
    partition: Partition, key: str, out_dir: str, options: ShardOptions
) -> dict[str, Any]:
    """Analyze one partition into the shard ``out_dir/shard-KEY.parquet``; return a summary.

    This is the task every engine runs. A shard that is already there (finished by an
    earlier run, or by an earlier try of this task) is not computed again.
    """
    path = shard_path(out_dir, key)
    started = time.perf_counter()
    if path.exists():
        try:
            info = shard_info(path)
        except ValueError:
            pass  # unreadable: compute it again
        else:
            return _summary(key, path, info.rows, info.errors, reused=True, started=started)
    result = process_with(partition, options)
    write_shard(
        path,
        result.analyses,
        origins=result.origins,
        positions=result.positions,
        problems=result.problems,
        key=key,
        partition=partition,
        options=options.key(),
    )
    rows = len(result.analyses)
    return _summary(key, path, rows, result.errors, reused=False, started=started)


def _summary(
    key: str, path: Path, rows: int, errors: list[InputError], *, reused: bool, started: float
) -> dict[str, Any]:
    return {
        "key": key,
        "path": str(path),
        "rows": rows,
        "errors": [[e.origin, e.reason] for e in errors],
        "reused": reused,
        "seconds": time.perf_counter() - started,
        "pid": os.getpid(),
    }
