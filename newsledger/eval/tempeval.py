"""TempEval-3 evaluation harness for the date extractor (TimeML ``.tml`` files).

The data is the TempEval-3 training corpus ``TBAQ-cleaned/`` (TimeBank and AQUAINT)::

    <data_dir>/TBAQ-cleaned/TimeBank/*.tml
    <data_dir>/TBAQ-cleaned/AQUAINT/*.tml

From each file we take the document creation time (the ``TIMEX3`` whose
``functionInDocument`` is ``CREATION_TIME``), the plain text of the ``TEXT`` element (its
character data, with the inline ``TIMEX3``/``EVENT``/``SIGNAL`` tags removed) and the
character offsets of every ``TIMEX3`` inside it. Our extractor runs on that text with the
creation date as the article's published date.

Only gold timexes of type ``DATE`` are scored (``TIME``, ``DURATION`` and ``SET`` are not dates
in our record). A predicted date that overlaps a gold timex of another type and no gold
``DATE`` is left out of the count (it is a timex, only typed differently).

Metrics (micro-averaged over documents; see :func:`score_doc`):

``strict``
    the same character range; one-to-one.
``relaxed``
    the ranges overlap; one-to-one, greedily by overlap size.
``value``
    TempEval-3 attribute F1: the relaxed matches whose normalized value equals the gold
    ``value`` exactly, as precision over all predictions and recall over all gold dates.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsledger.errors import DataNotFound
from newsledger.eval.checkout import shared_data_dir
from newsledger.model import Analysis, Article, DateMention

__all__ = [
    "CORPORA",
    "Counts",
    "GoldDoc",
    "Report",
    "Timex",
    "default_data_dir",
    "evaluate",
    "format_errors",
    "format_report",
    "load_corpus",
    "parse_tml",
    "score_doc",
]

CORPORA = ("TimeBank", "AQUAINT")

PredictMany = Callable[[list[Article]], Iterable[Analysis]]


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    type: str
    value: str
    text: str


@dataclass(slots=True)
class GoldDoc:
    name: str
    corpus: str
    dct: str | None  # YYYY-MM-DD
    text: str
    timexes: list[Timex]

    @property
    def dates(self) -> list[Timex]:
        return [t for t in self.timexes if t.type == "DATE"]


@dataclass(slots=True)
class Counts:
    n_gold: int = 0
    n_pred: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0

    def add(self, other: Counts) -> None:
        self.n_gold += other.n_gold
        self.n_pred += other.n_pred
        self.strict += other.strict
        self.relaxed += other.relaxed
        self.value += other.value

    def prf(self, hits: int) -> tuple[float, float, float]:
        p = hits / self.n_pred if self.n_pred else 0.0
        r = hits / self.n_gold if self.n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"n_gold": self.n_gold, "n_pred": self.n_pred}
        for name in ("strict", "relaxed", "value"):
            p, r, f = self.prf(getattr(self, name))
            out[name] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}
        return out


@dataclass(slots=True)
class Report:
    total: Counts = field(default_factory=Counts)
    by_corpus: dict[str, Counts] = field(default_factory=dict)
    n_docs: int = 0
    errors: list[tuple[str, str, str, str | None, str | None]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_docs": self.n_docs,
            "all": self.total.to_dict(),
            **{name: c.to_dict() for name, c in self.by_corpus.items()},
        }


def default_data_dir() -> Path:
    """``../shared/data/tempeval3``, from the working directory or the repository
    (:class:`~newsledger.errors.DataNotFound` outside a checkout)."""
    return shared_data_dir("tempeval3")


# ------------------------------------------------------------------------------ reading
def parse_tml(source: str, name: str = "<string>", corpus: str = "") -> GoldDoc:
    """One TimeML document: DCT, plain ``TEXT`` and the offsets of its timexes."""
    try:
        root = ET.fromstring(source)
    except ET.ParseError as exc:
        raise ValueError(f"{name}: not well-formed TimeML: {exc}") from exc
    dct = None
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            dct = (timex.get("value") or "")[:10] or None
            break
    text_el = root.find("TEXT")
    if text_el is None:
        raise ValueError(f"{name}: no TEXT element")
    parts: list[str] = []
    timexes: list[Timex] = []
    length = 0

    def walk(el: ET.Element) -> None:
        nonlocal length
        start = length
        if el.text:
            parts.append(el.text)
            length += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                length += len(child.tail)
        if el.tag == "TIMEX3" and el is not text_el:
            timexes.append(
                Timex(
                    start=start,
                    end=length,
                    type=el.get("type", ""),
                    value=el.get("value", ""),
                    text="",
                )
            )

    walk(text_el)
    text = "".join(parts)
    timexes = [Timex(t.start, t.end, t.type, t.value, text[t.start : t.end]) for t in timexes]
    timexes.sort(key=lambda t: t.start)
    return GoldDoc(name=name, corpus=corpus, dct=dct, text=text, timexes=timexes)


def load_corpus(data_dir: Path, corpora: Iterable[str] = CORPORA) -> Iterator[GoldDoc]:
    """The documents of ``corpora`` under ``data_dir`` (the folder holding ``TBAQ-cleaned``)."""
    base = Path(data_dir) / "TBAQ-cleaned"
    if not base.is_dir():
        raise DataNotFound(
            f"TempEval-3 data not found: {base} is not a folder "
            "(expected ../shared/data/tempeval3/TBAQ-cleaned with TimeBank/ and AQUAINT/)"
        )
    for corpus in corpora:
        folder = base / corpus
        if not folder.is_dir():
            raise DataNotFound(f"TempEval-3 data not found: no {corpus} folder in {base}")
        for path in sorted(folder.glob("*.tml")):
            yield parse_tml(path.read_text(encoding="utf-8"), path.stem, corpus)


# ------------------------------------------------------------------------------ scoring
def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score_doc(
    gold: GoldDoc, predicted: list[DateMention]
) -> tuple[Counts, list[tuple[str, str, str, str | None, str | None]]]:
    """Counts for one document, and its errors as (doc, kind, text, gold value, our value)."""
    dates = gold.dates
    others = [t for t in gold.timexes if t.type != "DATE"]
    preds = []
    for p in predicted:
        span = (p.start, p.end)
        if not any(_overlap(span, (g.start, g.end)) for g in dates) and any(
            _overlap(span, (o.start, o.end)) for o in others
        ):
            continue  # a timex of another type: neither right nor wrong
        preds.append(p)
    counts = Counts(n_gold=len(dates), n_pred=len(preds))
    gold_spans = {(g.start, g.end) for g in dates}
    counts.strict = sum(1 for p in {(p.start, p.end) for p in preds} if p in gold_spans)
    pairs = sorted(
        (
            (_overlap((p.start, p.end), (g.start, g.end)), i, j)
            for i, p in enumerate(preds)
            for j, g in enumerate(dates)
            if _overlap((p.start, p.end), (g.start, g.end)) > 0
        ),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    errors: list[tuple[str, str, str, str | None, str | None]] = []
    for _, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        counts.relaxed += 1
        if preds[i].value == dates[j].value:
            counts.value += 1
        else:
            errors.append((gold.name, "value", dates[j].text, dates[j].value, preds[i].value))
    for j, g in enumerate(dates):
        if j not in used_g:
            errors.append((gold.name, "missed", g.text, g.value, None))
    for i, p in enumerate(preds):
        if i not in used_p:
            errors.append((gold.name, "spurious", p.text, None, p.value))
    return counts, errors


def evaluate(
    data_dir: Path,
    predict: PredictMany,
    corpora: Iterable[str] = CORPORA,
    limit: int | None = None,
) -> Report:
    """Score ``predict`` over the corpora. ``predict`` maps the gold documents (as
    :class:`Article` records: the plain text, the creation date as ``published``) to their
    analyses, in order: ``Analyzer.pipe`` fits."""
    docs = list(load_corpus(data_dir, corpora))
    if limit is not None:
        docs = docs[:limit]
    articles = [
        Article(text=d.text, id=d.name, published=d.dct, origin=f"{d.corpus}/{d.name}.tml")
        for d in docs
    ]
    report = Report()
    for doc, analysis in zip(docs, predict(articles), strict=True):
        counts, errors = score_doc(doc, analysis.dates)
        report.total.add(counts)
        report.by_corpus.setdefault(doc.corpus, Counts()).add(counts)
        report.errors.extend(errors)
        report.n_docs += 1
    return report


def format_errors(report: Report, limit: int = 40) -> str:
    """The most frequent errors, as "count  kind  text  gold → ours" lines."""
    counts: dict[tuple[str, str, str | None, str | None], int] = {}
    for _, kind, text, gold, ours in report.errors:
        key = (kind, " ".join(text.split()), gold, ours)
        counts[key] = counts.get(key, 0) + 1
    rows = sorted(counts.items(), key=lambda kv: -kv[1])[:limit]
    return "\n".join(
        f"{n:>4}  {kind:<8}  {text!r:<30}  {gold} → {ours}" for (kind, text, gold, ours), n in rows
    )


def format_report(report: Report) -> str:
    rows = [("all", report.total), *report.by_corpus.items()]
    lines = [f"{report.n_docs} documents", ""]
    lines.append(
        f"{'':<10} {'gold':>5} {'pred':>5}   {'strict P/R/F1':<20} "
        f"{'relaxed P/R/F1':<20} {'value P/R/F1':<20}"
    )
    for name, c in rows:
        cells = []
        for metric in ("strict", "relaxed", "value"):
            p, r, f = c.prf(getattr(c, metric))
            cells.append(f"{p:.3f}/{r:.3f}/{f:.3f}".ljust(20))
        lines.append(f"{name:<10} {c.n_gold:>5} {c.n_pred:>5}   " + " ".join(cells))
    return "\n".join(lines)
