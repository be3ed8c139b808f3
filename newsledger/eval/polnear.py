"""PolNeAR evaluation harness: load the gold attributions and score predictions.

PolNeAR (Political News Attribution Relations, Newell et al. 2018) ships as
brat standoff files::

    <data_dir>/data/<split>/text/<name>.txt
    <data_dir>/data/<split>/attributions/<name>_<annotator>.ann

An ``.ann`` file holds text-bound annotations (``T`` lines, discontinuous spans
written ``10 20;25 40``) and one event (``E`` line) per attribution::

    T4\tAttribution 107 114\treports
    E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1

The event type is ``Attribution`` or ``Attribution-no-source``; its roles are
``Source``, ``Cue`` and ``Content``, optionally numbered (``Content2`` is a
second content piece). Roles may be missing. ``Discard``/``Discuss`` spans,
annotator notes (``#`` lines) and the continuation lines of multi-line
annotated strings are ignored. When an event has no ``Cue`` role, the event
trigger span (which otherwise coincides with the cue) is used as the cue.

Offsets index the ``.txt`` file read as UTF-8 with ``newline=""`` (no newline
translation), so ``text[start:end]`` is the annotated string.

Metrics (micro-averaged over documents, see :func:`score`):

``content``
    a predicted content matches a gold content when their character overlap
    is at least 50% of the gold length *and* at least 50% of the predicted
    length (a discontinuous span counts as the union of its pieces);
    one-to-one, greedy by overlap size, largest first.
``content_source``
    ``content`` plus matching sources: the predicted source overlaps the gold
    source by at least 50% of the shorter of the two, or neither has a
    source. Computed with its own one-to-one matching requiring both.
``content_exact``, ``source_exact``, ``cue_exact``
    the same character range, after trimming whitespace at both ends of each
    piece (pieces separated only by whitespace are joined). One-to-one, over
    the attributions that have that element.

Gold attributions without a content span (rare annotation slips) are kept in
:attr:`GoldDoc.attributions` and counted in ``n_gold`` but take no part in the
content metrics; likewise for sources and cues in ``source_exact``/``cue_exact``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsledger.errors import DataNotFound
from newsledger.eval.checkout import shared_data_dir
from newsledger.model import ATTRIBUTION_KINDS, Analysis, Article, Attribution

__all__ = [
    "DOUBLE_QUOTES",
    "GOLD_KINDS",
    "METRICS",
    "SINGLE_QUOTES",
    "Counts",
    "GoldAttribution",
    "GoldDoc",
    "Range",
    "Report",
    "default_data_dir",
    "evaluate",
    "format_comparison",
    "format_report",
    "gold_kind",
    "has_quote_mark",
    "load_split",
    "score",
]

Range = tuple[int, int]

#: Metric names, in report order.
METRICS: tuple[str, ...] = (
    "content",
    "content_source",
    "content_exact",
    "source_exact",
    "cue_exact",
)

#: Heuristic categories of gold attributions used for per-kind recall.
GOLD_KINDS: tuple[str, ...] = ("direct", "indirect")

#: Quote marks that are never apostrophes: straight, curly and angle double quotes.
DOUBLE_QUOTES = frozenset('"\u201c\u201d\u00ab\u00bb')
#: Quote marks that double as apostrophes (``don't``): straight and curly single quotes.
SINGLE_QUOTES = frozenset("'\u2018\u2019")

_RELATIVE_DATA = Path("..") / "shared" / "data" / "polnear"


# --------------------------------------------------------------------------- data


@dataclass(slots=True)
class GoldAttribution:
    """One gold attribution; each element is a sorted list of (start, end) ranges.

    An element the annotator left out is an empty list.
    """

    id: str
    content: list[Range] = field(default_factory=list)
    source: list[Range] = field(default_factory=list)
    cue: list[Range] = field(default_factory=list)


@dataclass(slots=True)
class GoldDoc:
    """One PolNeAR article with the attributions of one annotator."""

    name: str
    text: str
    attributions: list[GoldAttribution] = field(default_factory=list)
    annotator: str = ""

    def span_text(self, ranges: Sequence[Range], sep: str = " ") -> str:
        """The text of a (possibly discontinuous) span, pieces joined by ``sep``."""
        return sep.join(self.text[s:e] for s, e in ranges)


def default_data_dir() -> Path:
    """Where the PolNeAR corpus is expected: ``../shared/data/polnear``.

    Looked up relative to the current working directory first, then relative
    to the directory holding the ``newsledger`` package (the repository root).
    The second candidate is returned even when it does not exist, so that
    :func:`load_split` reports the missing path; outside a checkout (an installed wheel),
    :class:`~newsledger.errors.DataNotFound`.
    """
    return shared_data_dir(_RELATIVE_DATA.name)


def _split_dir(data_dir: Path, split: str) -> Path:
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataNotFound(
            f"PolNeAR data folder not found: {data_dir} "
            "(expected the corpus at ../shared/data/polnear, with data/<split>/text "
            "and data/<split>/attributions)"
        )
    # Accept both the corpus root (holding data/) and the data/ folder itself.
    root = data_dir / "data" if (data_dir / "data").is_dir() else data_dir
    split_dir = root / split
    if not split_dir.is_dir():
        present = sorted(p.name for p in root.iterdir() if (p / "text").is_dir())
        raise DataNotFound(
            f"PolNeAR split {split!r} not found: {split_dir} does not exist "
            f"(splits present: {', '.join(present) or 'none'})"
        )
    for sub in ("text", "attributions"):
        if not (split_dir / sub).is_dir():
            raise DataNotFound(
                f"PolNeAR split {split!r} is incomplete: {split_dir / sub} is missing"
            )
    return split_dir


def _merge(ranges: Iterable[Range]) -> list[Range]:
    """Sort ranges, drop empty ones and join overlapping or touching ones."""
    out: list[Range] = []
    for s, e in sorted(r for r in ranges if r[1] > r[0]):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t|$)")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")
_ROLE = re.compile(r"^([A-Za-z-]+?)\d*$")


def parse_ann(ann_text: str) -> list[GoldAttribution]:
    """Parse the attributions of one brat ``.ann`` file (see the module docstring)."""
    spans: dict[str, list[Range]] = {}
    events: list[tuple[str, str, list[tuple[str, str]]]] = []
    for line in ann_text.splitlines():
        m = _T_LINE.match(line)
        if m:
            tid, _label, offsets = m.groups()
            ranges = [(int(a), int(b)) for a, b in (p.split() for p in offsets.split(";"))]
            spans[tid] = ranges
            continue
        m = _E_LINE.match(line)
        if m:
            eid, rest = m.groups()
            args = [a.split(":", 1) for a in rest.split() if ":" in a]
            if not args:
                continue
            trigger = args[0][1]
            roles = [(role, ref) for role, ref in args[1:]]
            events.append((eid, trigger, roles))
        # anything else: notes (#), continuation lines of multi-line strings, ...
    out: list[GoldAttribution] = []
    for eid, trigger, roles in events:
        parts: dict[str, list[Range]] = {"content": [], "source": [], "cue": []}
        for role, ref in roles:
            rm = _ROLE.match(role)
            key = rm.group(1).lower() if rm else role.lower()
            if key in parts and ref in spans:
                parts[key].extend(spans[ref])
        if not parts["cue"] and trigger in spans:
            parts["cue"].extend(spans[trigger])
        out.append(
            GoldAttribution(
                id=eid,
                content=_merge(parts["content"]),
                source=_merge(parts["source"]),
                cue=_merge(parts["cue"]),
            )
        )
    return out


def load_split(data_dir: Path, split: str, all_annotators: bool = False) -> list[GoldDoc]:
    """Load one PolNeAR split (``train``, ``dev``, ``test``... any folder present).

    ``data_dir`` is the corpus root (holding ``data/``) or its ``data/`` folder.
    Each article uses exactly one annotation file: the first of its
    ``<name>_<annotator>.ann`` files in sorted order; with ``all_annotators``, every
    annotation file of an article gives a document of its own (same name and text, its
    ``annotator``), in annotator order. Texts without an annotation file, and annotation
    files without a text, are skipped. Documents come back sorted by name.

    Raises :class:`~newsledger.errors.DataNotFound` naming the missing path when
    the folder or split is absent.
    """
    split_dir = _split_dir(data_dir, split)
    anns: dict[str, list[Path]] = {}
    for ann in (split_dir / "attributions").glob("*.ann"):
        name, sep, _annotator = ann.stem.rpartition("_")
        if sep:
            anns.setdefault(name, []).append(ann)
    docs: list[GoldDoc] = []
    for txt in sorted((split_dir / "text").glob("*.txt")):
        name = txt.stem
        if name not in anns:
            continue
        with txt.open(encoding="utf-8", newline="") as f:
            text = f.read()
        files = sorted(anns[name])
        for ann in files if all_annotators else files[:1]:
            docs.append(
                GoldDoc(
                    name=name,
                    text=text,
                    attributions=parse_ann(ann.read_text(encoding="utf-8")),
                    annotator=ann.stem.rpartition("_")[2],
                )
            )
    return docs


# ------------------------------------------------------------------------ scoring


@dataclass(slots=True)
class Counts:
    """Micro-averaged true positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(slots=True)
class Report:
    """Scores of one run. ``metrics`` maps each name in :data:`METRICS` to its counts.

    ``content_by_pred_kind`` holds, per predicted ``kind``, the ``content``
    matches (tp) and non-matches (fp): only precision is meaningful there.
    ``content_by_gold_kind`` holds, per heuristic gold category (see
    :func:`gold_kind`), matched (tp) and missed (fn) golds: only recall is
    meaningful there.
    """

    n_docs: int
    n_gold: int
    n_pred: int
    metrics: dict[str, Counts]
    content_by_pred_kind: dict[str, Counts]
    content_by_gold_kind: dict[str, Counts]
    split: str | None = None
    n_pred_nested_excluded: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "split": self.split,
            "n_docs": self.n_docs,
            "n_gold": self.n_gold,
            "n_pred": self.n_pred,
            "n_pred_nested_excluded": self.n_pred_nested_excluded,
            "metrics": {k: v.to_dict() for k, v in self.metrics.items()},
            "content_by_pred_kind": {
                k: {"tp": v.tp, "fp": v.fp, "precision": round(v.precision, 4)}
                for k, v in self.content_by_pred_kind.items()
            },
            "content_by_gold_kind": {
                k: {"tp": v.tp, "fn": v.fn, "recall": round(v.recall, 4)}
                for k, v in self.content_by_gold_kind.items()
            },
        }


def has_quote_mark(s: str) -> bool:
    """Whether ``s`` contains a quotation mark.

    Double marks (:data:`DOUBLE_QUOTES`: straight, curly, angle) always count.
    Single marks (:data:`SINGLE_QUOTES`: straight, curly) count unless they sit
    between two letters or digits, where they are apostrophes (``don't``).
    """
    for i, ch in enumerate(s):
        if ch in DOUBLE_QUOTES:
            return True
        if ch in SINGLE_QUOTES:
            before = s[i - 1] if i > 0 else ""
            after = s[i + 1] if i + 1 < len(s) else ""
            if not (before.isalnum() and after.isalnum()):
                return True
    return False


def gold_kind(doc: GoldDoc, gold: GoldAttribution) -> str:
    """Heuristic category of a gold attribution: ``direct`` if its content
    starts, ends with or contains a quote mark (:func:`has_quote_mark`), else
    ``indirect``."""
    return "direct" if has_quote_mark(doc.span_text(gold.content).strip()) else "indirect"


def _length(ranges: Sequence[Range]) -> int:
    return sum(e - s for s, e in ranges)


def _overlap(a: Sequence[Range], b: Sequence[Range]) -> int:
    """Characters shared by two merged range lists."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            total += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def _exact_key(text: str, ranges: Sequence[Range]) -> tuple[Range, ...]:
    """Ranges trimmed of surrounding whitespace, whitespace-only gaps joined."""
    pieces: list[Range] = []
    n = len(text)
    for s, e in _merge((max(0, a), min(b, n)) for a, b in ranges):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s:
            continue
        if pieces and not text[pieces[-1][1] : s].strip():
            pieces[-1] = (pieces[-1][0], e)
        else:
            pieces.append((s, e))
    return tuple(pieces)


def _greedy(candidates: list[tuple[tuple[int, ...], int, int]]) -> list[tuple[int, int]]:
    """One-to-one matching: take (key, gold, pred) candidates best key first."""
    candidates.sort(key=lambda c: (tuple(-k for k in c[0]), c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _key, g, p in candidates:
        if g not in used_g and p not in used_p:
            used_g.add(g)
            used_p.add(p)
            pairs.append((g, p))
    return pairs


def _content_overlap(gold: Sequence[Range], pred: Sequence[Range]) -> int | None:
    """Overlap when it is ≥ 50% of both the gold and the predicted length, else None."""
    ov = _overlap(gold, pred)
    if ov > 0 and 2 * ov >= _length(gold) and 2 * ov >= _length(pred):
        return ov
    return None


def _source_overlap(gold: Sequence[Range], pred: Sequence[Range] | None) -> int | None:
    """Source agreement: both absent (0), or overlap ≥ 50% of the shorter span."""
    if not gold and not pred:
        return 0
    if not gold or not pred:
        return None
    ov = _overlap(gold, pred)
    if ov > 0 and 2 * ov >= min(_length(gold), _length(pred)):
        return ov
    return None


def _exact_counts(gold_keys: list[tuple[Range, ...]], pred_keys: list[tuple[Range, ...]]) -> Counts:
    g, p = Counter(gold_keys), Counter(pred_keys)
    tp = sum((g & p).values())
    return Counts(tp, len(pred_keys) - tp, len(gold_keys) - tp)


def _pred_ranges(start: int, end: int) -> list[Range]:
    return _merge([(start, end)])


def _content_ranges(a: Attribution) -> list[Range]:
    """A predicted content's pieces (its parts when a cue interrupts it)."""
    if a.content_parts:
        return _merge((p.start, p.end) for p in a.content_parts)
    return _pred_ranges(a.content.start, a.content.end)


def score(golds: list[GoldDoc], predictions: dict[str, list[Attribution]]) -> Report:
    """Score predicted attributions (by document name) against the gold documents.

    Documents missing from ``predictions`` have no predictions; predictions for
    names that are not among ``golds`` are ignored. See the module docstring for
    the metrics. Pass only the attributions to be scored (``evaluate`` drops
    nested ones).
    """
    metrics = {m: Counts() for m in METRICS}
    by_pred_kind = {k: Counts() for k in ATTRIBUTION_KINDS}
    by_gold_kind = {k: Counts() for k in GOLD_KINDS}
    n_gold = n_pred = 0
    for doc in golds:
        preds = list(predictions.get(doc.name, []))
        n_gold += len(doc.attributions)
        n_pred += len(preds)
        text = doc.text
        gcont = [g for g in doc.attributions if g.content]
        p_content = [_content_ranges(p) for p in preds]
        p_source = [
            _pred_ranges(p.source.start, p.source.end) if p.source is not None else None
            for p in preds
        ]

        # content (overlap) and content_source
        c_cands: list[tuple[tuple[int, ...], int, int]] = []
        cs_cands: list[tuple[tuple[int, ...], int, int]] = []
        for gi, g in enumerate(gcont):
            for pi in range(len(preds)):
                ov = _content_overlap(g.content, p_content[pi])
                if ov is None:
                    continue
                c_cands.append(((ov,), gi, pi))
                sov = _source_overlap(g.source, p_source[pi])
                if sov is not None:
                    cs_cands.append(((ov, sov), gi, pi))
        c_pairs = _greedy(c_cands)
        cs_pairs = _greedy(cs_cands)
        metrics["content"].add(len(c_pairs), len(preds) - len(c_pairs), len(gcont) - len(c_pairs))
        metrics["content_source"].add(
            len(cs_pairs), len(preds) - len(cs_pairs), len(gcont) - len(cs_pairs)
        )

        matched_p = {p for _, p in c_pairs}
        matched_g = {g for g, _ in c_pairs}
        for pi, p in enumerate(preds):
            kc = by_pred_kind.setdefault(p.kind, Counts())
            kc.add(1 if pi in matched_p else 0, 0 if pi in matched_p else 1, 0)
        for gi, g in enumerate(gcont):
            kc = by_gold_kind[gold_kind(doc, g)]
            kc.add(1 if gi in matched_g else 0, 0, 0 if gi in matched_g else 1)

        # exact metrics
        ex = _exact_counts(
            [_exact_key(text, g.content) for g in gcont],
            [_exact_key(text, r) for r in p_content],
        )
        metrics["content_exact"].add(ex.tp, ex.fp, ex.fn)
        ex = _exact_counts(
            [_exact_key(text, g.source) for g in doc.attributions if g.source],
            [_exact_key(text, r) for r in p_source if r],
        )
        metrics["source_exact"].add(ex.tp, ex.fp, ex.fn)
        p_cue = [_pred_ranges(p.cue.start, p.cue.end) for p in preds]
        ex = _exact_counts(
            [_exact_key(text, g.cue) for g in doc.attributions if g.cue],
            [_exact_key(text, r) for r in p_cue if r],
        )
        metrics["cue_exact"].add(ex.tp, ex.fp, ex.fn)

    return Report(
        n_docs=len(golds),
        n_gold=n_gold,
        n_pred=n_pred,
        metrics=metrics,
        content_by_pred_kind=by_pred_kind,
        content_by_gold_kind=by_gold_kind,
    )


def evaluate(
    data_dir: Path,
    split: str,
    analyze_many: Callable[[list[Article]], Iterable[Analysis]],
    limit: int | None = None,
    outermost_only: bool = True,
) -> Report:
    """Run ``analyze_many`` on a PolNeAR split and score its attributions.

    Each gold document becomes ``Article(text=..., id=name)``; the analyses are
    matched back by ``analysis.article.id``. ``limit`` keeps the first N
    documents (sorted by name).

    ``outermost_only`` (default True) drops predicted attributions whose
    ``parent`` is set, i.e. attributions nested inside another attribution's
    content: PolNeAR annotates only the outermost attribution, so nested ones
    would count as false positives. Their number is in
    ``Report.n_pred_nested_excluded``.

    Raises ``ValueError`` when an analysis carries a text that differs from the
    article's, since its offsets would then not index the gold text.
    """
    golds = load_split(data_dir, split)
    if limit is not None:
        golds = golds[: max(limit, 0)]
    by_name = {g.name: g for g in golds}
    articles = [Article(text=g.text, id=g.name) for g in golds]
    predictions: dict[str, list[Attribution]] = {}
    nested = 0
    for analysis in analyze_many(articles):
        name = analysis.article.id
        gold = by_name.get(name)
        if gold is None:
            continue
        if analysis.text and analysis.text != gold.text:
            raise ValueError(
                f"PolNeAR {split}/{name}: the analysis text differs from the article text, "
                "so its offsets cannot be scored"
            )
        kept: list[Attribution] = []
        for a in analysis.attributions:
            if outermost_only and a.parent is not None:
                nested += 1
            else:
                kept.append(a)
        predictions.setdefault(name, []).extend(kept)
    report = score(golds, predictions)
    report.split = split
    report.n_pred_nested_excluded = nested
    return report


def format_report(report: Report) -> str:
    """A compact plain-text table of a :class:`Report`."""
    head = f"PolNeAR {report.split}" if report.split else "PolNeAR"
    lines = [
        f"{head}: {report.n_docs} docs, {report.n_gold} gold, {report.n_pred} predicted"
        + (
            f" ({report.n_pred_nested_excluded} nested excluded)"
            if report.n_pred_nested_excluded
            else ""
        ),
        "",
        f"{'metric':<16}{'P':>7}{'R':>7}{'F1':>7}   tp/fp/fn",
    ]
    for name, c in report.metrics.items():
        lines.append(
            f"{name:<16}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}   {c.tp}/{c.fp}/{c.fn}"
        )
    lines += ["", "content precision by predicted kind:"]
    for kind, c in report.content_by_pred_kind.items():
        if c.tp + c.fp:
            lines.append(f"  {kind:<14}{c.precision:>7.3f}   {c.tp}/{c.tp + c.fp}")
    lines += ["content recall by gold kind (heuristic: quote marks => direct):"]
    for kind, c in report.content_by_gold_kind.items():
        lines.append(f"  {kind:<14}{c.recall:>7.3f}   {c.tp}/{c.tp + c.fn}")
    return "\n".join(lines)


def format_comparison(reports: dict[str, Report]) -> str:
    """Reports of several pipelines (by name) side by side: P / R / F1 per metric."""
    names = list(reports)
    head = f"{'metric':<16}" + "".join(f"{name:>22}" for name in names)
    lines = [head, f"{'':<16}" + f"{'P     R     F1':>22}" * len(names)]
    for metric in METRICS:
        row = f"{metric:<16}"
        for name in names:
            c = reports[name].metrics[metric]
            row += f"{c.precision:>10.3f}{c.recall:>6.3f}{c.f1:>6.3f}"
        lines.append(row)
    return "\n".join(lines)
