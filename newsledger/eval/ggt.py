"""Quotes and their speakers on the Gender Gap Tracker's human-annotated evaluation set.

The data (``../shared/data/ggt/ggt_dev.jsonl``, README there) lists, for each article, every
quote the annotators marked — direct and indirect speech — with its character offsets and its
speaker resolved to a name (``source``, with other spellings in ``source_alt``).

Matching follows the Gender Gap Tracker's own evaluation: for each gold quote in turn, the
not yet matched predicted attribution that covers the largest share of the gold quote's
characters is its match when that share exceeds the threshold (0.3 in their paper; we also
report 0.5). Predictions left unmatched are false positives. What GGT calls a quote is a
source's words — speech and writing, and whatever "according to" gives a source, a study or a
report included — so the attributions scored are those whose act is a quote act (``quote_acts``
of ``resources/acts.json``) and every "according to" attribution (:func:`is_quote`); the report
also scores every attribution, act by act, to show what the other acts would cost. A matched
quote's speaker is right when the predicted source's canonical name names the gold speaker
(:func:`~newsledger.eval.stories.same_name` against ``source`` and every ``source_alt``).

:func:`score` is pure (gold and predicted records in, counts out), so it is tested on
hand-built records; :func:`evaluate` runs an analyzer over the data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsledger.errors import DataNotFound
from newsledger.eval import polnear
from newsledger.eval.checkout import shared_data_dir
from newsledger.eval.stories import same_name
from newsledger.model import Analysis, Article, Attribution
from newsledger.resources import speech_acts

__all__ = [
    "THRESHOLDS",
    "Counts",
    "GoldQuote",
    "GoldText",
    "Match",
    "Predicted",
    "Report",
    "coverage",
    "default_data_dir",
    "evaluate",
    "format_errors",
    "format_report",
    "is_quote",
    "load",
    "predicted_of",
    "score",
]

#: Character-coverage thresholds reported (the Gender Gap Tracker's 0.3, and a stricter 0.5).
THRESHOLDS: tuple[float, ...] = (0.3, 0.5)


@dataclass(frozen=True, slots=True)
class GoldQuote:
    start: int
    end: int
    source: str
    alts: tuple[str, ...] = ()
    source_text: str | None = None  # the mention in the text when it is not the name ("she")
    cue: str | None = None

    def names(self) -> tuple[str, ...]:
        return (self.source, *self.alts)


@dataclass(frozen=True, slots=True)
class GoldText:
    id: str
    text: str
    quotes: tuple[GoldQuote, ...]


@dataclass(frozen=True, slots=True)
class Predicted:
    """One predicted attribution, as the scorer sees it."""

    start: int
    end: int
    kind: str
    act: str
    source: str | None  # canonical name
    source_text: str | None  # the mention
    cue: str
    aliases: tuple[str, ...] = ()  # the other names the article gives the source's entity


@dataclass(slots=True)
class Counts(polnear.Counts):
    """True and false positives and negatives, and how many of the true positives have the
    right speaker."""

    speaker_right: int = 0

    @property
    def speaker(self) -> float:
        return self.speaker_right / self.tp if self.tp else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**polnear.Counts.to_dict(self), "speaker_accuracy": round(self.speaker, 4)}


@dataclass(frozen=True, slots=True)
class Match:
    """A gold quote with its matched prediction (or none), for error lists."""

    doc: str
    gold: GoldQuote
    predicted: Predicted | None
    speaker_right: bool


@dataclass(slots=True)
class Report:
    """Counts per threshold: overall, by predicted kind, by predicted act; and the errors at
    the first threshold."""

    overall: dict[float, Counts] = field(default_factory=dict)
    by_kind: dict[float, dict[str, Counts]] = field(default_factory=dict)
    by_act: dict[float, dict[str, Counts]] = field(default_factory=dict)
    by_mention: dict[float, dict[str, Counts]] = field(default_factory=dict)
    all_acts: dict[float, Counts] = field(default_factory=dict)  # every attribution scored
    misses: list[Match] = field(default_factory=list)
    wrong_speakers: list[Match] = field(default_factory=list)
    false_positives: list[tuple[str, str, Predicted]] = field(default_factory=list)
    documents: int = 0

    def to_dict(self, errors: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"documents": self.documents}
        for t in sorted(self.overall):
            out[f"overlap_{t}"] = {
                **self.overall[t].to_dict(),
                "every_act": self.all_acts[t].to_dict() if t in self.all_acts else None,
                "by_kind": {k: c.to_dict() for k, c in sorted(self.by_kind[t].items())},
                "by_act": {k: c.to_dict() for k, c in sorted(self.by_act[t].items())},
                "by_speaker_mention": {
                    k: c.to_dict() for k, c in sorted(self.by_mention[t].items())
                },
            }
        if errors:
            out["errors"] = {
                "misses": [_match_dict(m) for m in self.misses],
                "wrong_speakers": [_match_dict(m) for m in self.wrong_speakers],
                "false_positives": [
                    {"doc": d, "text": text, "kind": p.kind, "act": p.act, "source": p.source}
                    for d, text, p in self.false_positives
                ],
            }
        return out


def _match_dict(m: Match) -> dict[str, Any]:
    out: dict[str, Any] = {
        "doc": m.doc,
        "start": m.gold.start,
        "end": m.gold.end,
        "gold_source": m.gold.source,
        "gold_mention": m.gold.source_text,
    }
    if m.predicted is not None:
        out["predicted_source"] = m.predicted.source
        out["predicted_mention"] = m.predicted.source_text
        out["kind"] = m.predicted.kind
    return out


# --------------------------------------------------------------------------- data
def default_data_dir() -> Path:
    """``../shared/data/ggt`` (see :func:`~newsledger.eval.checkout.shared_data_dir`)."""
    return shared_data_dir("ggt")


def load(data: Path | None = None) -> list[GoldText]:
    """The gold articles of ``data`` (a folder holding ``*.jsonl``, or one JSONL file)."""
    path = data or default_data_dir()
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise DataNotFound(
            f"GGT data not found: {path} holds no .jsonl file "
            "(expected ../shared/data/ggt/ggt_dev.jsonl; give --data)"
        )
    docs: list[GoldText] = []
    for file in files:
        with file.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if line.strip():
                    docs.append(_gold(json.loads(line), f"{file}:{number}"))
    return docs


def _gold(row: dict[str, Any], where: str) -> GoldText:
    text = row.get("text")
    if not isinstance(text, str):
        raise DataNotFound(f"{where}: no text")
    quotes = []
    for q in row.get("expected", []):
        start, end = int(q["start"]), int(q["end"])
        if text[start:end] != q["content"]:
            raise DataNotFound(f"{where}: quote offsets {start}:{end} do not hold its content")
        quotes.append(
            GoldQuote(
                start=start,
                end=end,
                source=q["source"],
                alts=tuple(q.get("source_alt") or ()),
                source_text=q.get("source_text"),
                cue=q.get("cue"),
            )
        )
    return GoldText(id=str(row.get("id") or where), text=text, quotes=tuple(quotes))


# --------------------------------------------------------------------------- scoring
def coverage(gold: tuple[int, int], pred: tuple[int, int]) -> float:
    """The share of ``gold``'s characters that ``pred`` covers."""
    length = gold[1] - gold[0]
    if length <= 0:
        return 0.0
    return max(0, min(gold[1], pred[1]) - max(gold[0], pred[0])) / length


def is_quote(predicted: Predicted, quote_acts: Collection[str]) -> bool:
    """Whether GGT counts ``predicted`` as a quote: its act is a quote act, or it is an
    "according to" attribution ("according to the study, …" gives the study's words)."""
    return predicted.act in quote_acts or predicted.kind == "according_to"


def predicted_of(analysis: Analysis, acts: Collection[str] | None = None) -> list[Predicted]:
    """The attributions of ``analysis`` (those of ``acts``; None: all) as predicted quotes:
    a content in pieces (``content_parts``: "“X,” he said. “Y.”") is one quote a piece, as
    the annotators mark them; attributions of the same text along one chain are one quote."""
    best: dict[tuple[int, int], tuple[int, Predicted]] = {}
    aliases = {e.id: tuple(e.aliases) for e in analysis.entities}
    for a in analysis.attributions:
        if a.content.end <= a.content.start or (acts is not None and a.act not in acts):
            continue
        for piece in a.content_parts or [a.content]:
            key = (piece.start, piece.end)
            # a relayed quote ("X told Reuters …", "quoted X as saying …") is one quote, its
            # speaker the innermost source of the chain
            if key not in best or len(a.chain) > best[key][0]:
                best[key] = (len(a.chain), _predicted(a, piece.start, piece.end, aliases))
    return [p for _, p in sorted(best.values(), key=lambda x: (x[1].start, x[1].end))]


def _predicted(
    a: Attribution, start: int, end: int, aliases: dict[str, tuple[str, ...]]
) -> Predicted:
    source = a.source
    entity = source.entity if source is not None else None
    return Predicted(
        start=start,
        end=end,
        kind=a.kind,
        act=a.act,
        source=source.name if source is not None else None,
        source_text=source.text if source is not None else None,
        cue=a.cue.text,
        aliases=aliases.get(entity, ()) if entity is not None else (),
    )


def _speaker_right(gold: GoldQuote, pred: Predicted) -> bool:
    if pred.source is None:
        return False
    # the entity's canonical name or another name the article gives it ("the EU" for the
    # European Union): one speaker, however it is spelled
    return any(
        same_name(said, name) for said in (pred.source, *pred.aliases) for name in gold.names()
    )


def _mention_kind(gold: GoldQuote) -> str:
    """How the text names the gold speaker: by name, a pronoun, or a description."""
    mention = (gold.source_text or "").strip().lower()
    if not mention:
        return "name"
    if mention in {"he", "she", "they", "i", "we", "it", "his", "her", "their"}:
        return "pronoun"
    return "description"


def score(
    docs: Sequence[GoldText],
    predictions: Sequence[Sequence[Predicted]],
    thresholds: Sequence[float] = THRESHOLDS,
) -> Report:
    """Counts of ``predictions`` (one list per document, in order) against ``docs``."""
    report = Report(documents=len(docs))
    for t in thresholds:
        overall = Counts()
        by_kind: dict[str, Counts] = {}
        by_act: dict[str, Counts] = {}
        by_mention: dict[str, Counts] = {}
        for doc, preds in zip(docs, predictions, strict=True):
            matches, unmatched = _match(doc, preds, t)
            for m in matches:
                mention = by_mention.setdefault(_mention_kind(m.gold), Counts())
                if m.predicted is None:
                    overall.fn += 1
                    mention.fn += 1
                    if t == thresholds[0]:
                        report.misses.append(m)
                    continue
                right = int(m.speaker_right)
                for c in (
                    overall,
                    by_kind.setdefault(m.predicted.kind, Counts()),
                    by_act.setdefault(m.predicted.act, Counts()),
                    mention,
                ):
                    c.tp += 1
                    c.speaker_right += right
                if not right and t == thresholds[0]:
                    report.wrong_speakers.append(m)
            for p in unmatched:
                overall.fp += 1
                by_kind.setdefault(p.kind, Counts()).fp += 1
                by_act.setdefault(p.act, Counts()).fp += 1
                if t == thresholds[0]:
                    report.false_positives.append((doc.id, doc.text[p.start : p.end], p))
        report.overall[t] = overall
        report.by_kind[t] = by_kind
        report.by_act[t] = by_act
        report.by_mention[t] = by_mention
    return report


def _match(
    doc: GoldText, preds: Sequence[Predicted], threshold: float
) -> tuple[list[Match], list[Predicted]]:
    """Greedy, gold quote by gold quote: the unmatched prediction covering most of it."""
    left = list(preds)
    matches: list[Match] = []
    for gold in doc.quotes:
        best, best_cover = -1, threshold
        for i, p in enumerate(left):
            c = coverage((gold.start, gold.end), (p.start, p.end))
            if c > best_cover:
                best, best_cover = i, c
        if best < 0:
            matches.append(Match(doc.id, gold, None, False))
            continue
        p = left.pop(best)
        matches.append(Match(doc.id, gold, p, _speaker_right(gold, p)))
    return matches, left


# --------------------------------------------------------------------------- running
def evaluate(
    analyze: Callable[[Iterable[Article]], Iterator[Analysis]],
    data: Path | None = None,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Analyze the GGT articles with ``analyze`` and score the attributions found."""
    docs = load(data)[:limit] if limit else load(data)
    articles = [Article(text=d.text, id=d.id.replace("/", "_")) for d in docs]
    quotes = speech_acts().quote_acts
    predictions: list[list[Predicted]] = []
    for i, analysis in enumerate(analyze(articles), 1):
        predictions.append(predicted_of(analysis))
        if progress is not None:
            progress(i, len(docs))
    report = score(docs, [[p for p in ps if is_quote(p, quotes)] for ps in predictions])
    everything = score(docs, predictions)
    report.by_act = everything.by_act
    report.all_acts = everything.overall
    return report


def format_report(report: Report) -> str:
    lines = [f"GGT quotes: {report.documents} articles"]
    for t in sorted(report.overall):
        c = report.overall[t]
        lines.append(
            f"  overlap > {t}: quotes P {c.precision:.3f} R {c.recall:.3f} F1 {c.f1:.3f} "
            f"(tp {c.tp}, fp {c.fp}, fn {c.fn}); speaker right {c.speaker:.3f} ({c.speaker_right}"
            f"/{c.tp})"
        )
        if t in report.all_acts:
            e = report.all_acts[t]
            lines.append(
                f"    every act scored: P {e.precision:.3f} R {e.recall:.3f} F1 {e.f1:.3f}"
                f" (tp {e.tp}, fp {e.fp}); speaker {e.speaker:.3f}"
            )
        for title, groups in (
            ("by predicted kind", report.by_kind[t]),
            ("by predicted act (every act scored)", report.by_act[t]),
            ("by how the text names the speaker", report.by_mention[t]),
        ):
            lines.append(f"    {title}:")
            for name, k in sorted(groups.items()):
                lines.append(
                    f"      {name:<14} P {k.precision:.3f}  tp {k.tp:>4}  fp {k.fp:>4}  fn "
                    f"{k.fn:>4}  speaker {k.speaker:.3f}"
                )
    return "\n".join(lines)


def format_errors(report: Report) -> str:
    lines = ["wrong speakers (gold | predicted name | predicted mention | kind):"]
    for m in report.wrong_speakers:
        assert m.predicted is not None
        lines.append(
            f"  {m.doc} {m.gold.start}: {m.gold.source}"
            f"{' (' + m.gold.source_text + ')' if m.gold.source_text else ''} | "
            f"{m.predicted.source} | {m.predicted.source_text} | {m.predicted.kind}"
        )
    lines.append("missed quotes (gold speaker: start):")
    for m in report.misses:
        lines.append(f"  {m.doc} {m.gold.start}-{m.gold.end}: {m.gold.source}")
    lines.append("false positives (kind act | cue | source | text):")
    for doc, text, p in report.false_positives:
        snippet = " ".join(text.split())[:100]
        lines.append(f"  {doc} [{p.kind} {p.act}] {p.cue} | {p.source} | {snippet}")
    return "\n".join(lines)
