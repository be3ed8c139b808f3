"""Training the attribution tagger on PolNeAR (``newsledger train attribution``).

1. PolNeAR train and dev are parsed with the English pipeline and the rules (``jobs``
   worker processes); each train article becomes a *feature doc*
   (:func:`~newsledger.extract.attribution_model.feature_doc`) and the BIO labels of its gold
   outermost attributions.
2. A spaCy tagger (``newsledger/resources/attribution_tagger.cfg``) is trained on them with
   fixed seeds.
3. After each epoch, the dev articles are analyzed again with the rules merged with the
   tagger — the pipeline ``Analyzer(attributions="trained")`` runs — and scored with the
   PolNeAR harness; the epoch with the best mean of the ``select_on`` F1s is saved (with its
   averaged weights) to ``out``, beside ``training.json`` (settings, seconds, dev scores) and
   a ``LICENCE.md`` saying what the weights were trained on.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import spacy
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from thinc.api import Adam, Config, fix_random_seed

from newsledger.eval import polnear
from newsledger.extract.attribution_model import (
    PIPE,
    AttributionTagger,
    Elements,
    feature_doc,
    rule_elements,
    token_labels,
)
from newsledger.model import Analysis, Article, Attribution
from newsledger.pipeline import Analyzer

CONFIG = "attribution_tagger.cfg"
LICENCE = """\
# The attribution tagger's weights

Trained by `newsledger train attribution` on the **train** split of PolNeAR v1.0.0 (Newell,
Margolin & Ruths, LREC 2018: 840 US political news articles of 2016 with Source / Cue /
Content annotations), selected on its dev split (84 articles). PolNeAR's article texts are the
publishers'; the corpus is distributed for research. The weights hold hashed features and
layer parameters, not the texts. Settings and dev scores: `training.json`.
"""


@dataclass
class Settings:
    """The ``[training]`` section of the config."""

    seed: int = 0
    epochs: int = 12
    dropout: float = 0.15
    batch_size: int = 8
    learn_rate: float = 0.001
    select_on: list[str] = field(
        default_factory=lambda: ["content_exact", "source_exact", "content_source"]
    )


def load_config(path: Path | None = None) -> Any:
    """The thinc ``Config`` of the tagger (the shipped one unless ``path`` is given)."""
    if path is not None:
        return Config().from_disk(path)
    text = resources.files("newsledger.resources").joinpath(CONFIG).read_text(encoding="utf-8")
    return Config().from_str(text)


def _rules(attributions: Sequence[Attribution]) -> Elements:
    """The rule features of an analysis: its outermost attributions' elements."""
    return rule_elements(
        (
            (a.content.start, a.content.end),
            (a.cue.start, a.cue.end),
            (a.source.start, a.source.end) if a.source else None,
        )
        for a in attributions
        if a.parent is None
    )


def gold_elements(gold: polnear.GoldDoc) -> list[tuple[str, list[tuple[int, int]]]]:
    """(role, ranges) of every gold attribution of a PolNeAR document."""
    out: list[tuple[str, list[tuple[int, int]]]] = []
    for g in gold.attributions:
        out += [("CONTENT", list(g.content)), ("SOURCE", list(g.source)), ("CUE", list(g.cue))]
    return out


# ------------------------------------------------------------- parsing (worker processes)
_ANALYZER: Any = None
FEATURE_ATTRS = ["ORTH", "SPACY", "TAG", "DEP", "HEAD", "LEMMA", "ENT_IOB", "ENT_TYPE"]


def _init(model: str | None) -> None:
    global _ANALYZER
    _ANALYZER = Analyzer(model, attributions="rules")
    _ANALYZER.nlp  # noqa: B018


def _featurize(golds: list[polnear.GoldDoc]) -> tuple[bytes, list[list[str]]]:
    """Feature docs (serialized) and gold labels of a chunk of train articles."""
    nlp = _ANALYZER.nlp
    docs = DocBin(attrs=FEATURE_ATTRS)
    labels: list[list[str]] = []
    for gold, doc in zip(golds, nlp.pipe(g.text for g in golds), strict=True):
        analysis = _ANALYZER.build(Article(gold.text, id=gold.name), doc)
        docs.add(feature_doc(doc, _rules(analysis.attributions)))
        labels.append(token_labels(doc, gold_elements(gold)))
    return docs.to_bytes(), labels


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def featurize(
    golds: list[polnear.GoldDoc], jobs: int = 1, model: str | None = None
) -> Iterator[tuple[DocBin, list[list[str]]]]:
    """Feature docs and gold labels, a chunk at a time, on ``jobs`` processes."""
    chunks = list(_chunks(golds, 8))
    if jobs <= 1:
        _init(model)
        for chunk in chunks:
            data, labels = _featurize(chunk)
            yield DocBin().from_bytes(data), labels
        return
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with context.Pool(jobs, initializer=_init, initargs=(model,)) as pool:
        for data, labels in pool.imap(_featurize, chunks):
            yield DocBin().from_bytes(data), labels


# ------------------------------------------------------------------------ training
@dataclass
class Result:
    out: Path
    best_epoch: int
    seconds: float
    rules: dict[str, dict[str, float]]
    trained: dict[str, dict[str, float]]
    epochs: list[dict[str, Any]] = field(default_factory=list)


def _scores(report: polnear.Report) -> dict[str, dict[str, float]]:
    return {
        name: {"p": round(c.precision, 4), "r": round(c.recall, 4), "f1": round(c.f1, 4)}
        for name, c in report.metrics.items()
    }


def train_attribution(
    data: Path,
    out: Path,
    *,
    config: Path | None = None,
    epochs: int | None = None,
    jobs: int = 1,
    limit: int | None = None,
    model: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Result:
    """Train on PolNeAR train, select on dev, save to ``out``. ``limit`` keeps the first N
    train and dev articles (for quick runs); ``progress(stage, done, total)`` is called as
    the work goes."""
    started = time.perf_counter()
    cfg = load_config(config)
    settings = Settings(**cfg["training"])
    if epochs is not None:
        settings.epochs = epochs
    fix_random_seed(settings.seed)
    rng = random.Random(settings.seed)
    report = progress or (lambda stage, done, total: None)

    train_golds = polnear.load_split(data, "train")[:limit]
    dev_golds = polnear.load_split(data, "dev")[:limit]

    nlp = spacy.blank("en")
    component = dict(cfg["components"][PIPE])
    factory = component.pop("factory")
    nlp.add_pipe(factory, name=PIPE, config=component)

    examples: list[Example] = []
    for docs, labels in featurize(train_golds, jobs, model):
        for fdoc, gold in zip(docs.get_docs(nlp.vocab), labels, strict=True):
            words = [t.text for t in fdoc]
            spaces = [bool(t.whitespace_) for t in fdoc]
            examples.append(Example(fdoc, Doc(nlp.vocab, words=words, spaces=spaces, tags=gold)))
        report("parse train", len(examples), len(train_golds))

    rules_only = Analyzer(model, attributions="rules")
    dev_docs = list(rules_only.nlp.pipe(g.text for g in dev_golds))
    report("parse dev", len(dev_docs), len(dev_golds))

    def dev_report(analyzer: Analyzer) -> polnear.Report:
        predictions = {}
        for gold, doc in zip(dev_golds, dev_docs, strict=True):
            analysis: Analysis = analyzer.build(Article(gold.text, id=gold.name), doc)
            predictions[gold.name] = [a for a in analysis.attributions if a.parent is None]
        return polnear.score(dev_golds, predictions)

    rules = _scores(dev_report(rules_only))
    optimizer = Adam(settings.learn_rate)
    nlp.initialize(lambda: examples, sgd=optimizer)
    trained = Analyzer(model, tagger=AttributionTagger(nlp))
    best: tuple[float, int, dict[str, dict[str, float]]] | None = None
    history: list[dict[str, Any]] = []
    for epoch in range(settings.epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        batches = list(_chunks(examples, settings.batch_size))
        for i, batch in enumerate(batches):
            nlp.update(batch, sgd=optimizer, drop=settings.dropout, losses=losses)
            report(f"epoch {epoch + 1}/{settings.epochs}", i + 1, len(batches))
        with nlp.use_params(optimizer.averages):
            scores = _scores(dev_report(trained))
            mean = sum(scores[m]["f1"] for m in settings.select_on) / len(settings.select_on)
            history.append({"epoch": epoch + 1, "loss": round(losses.get(PIPE, 0.0), 1), **{
                m: scores[m]["f1"] for m in scores}})  # fmt: skip
            if best is None or mean >= best[0]:  # a tie goes to the later, better-fitted epoch
                best = (mean, epoch + 1, scores)
                out.mkdir(parents=True, exist_ok=True)
                nlp.to_disk(out)
        report("dev", epoch + 1, settings.epochs)
    assert best is not None
    seconds = time.perf_counter() - started
    result = Result(out, best[1], round(seconds, 1), rules, best[2], history)
    (out / "LICENCE.md").write_text(LICENCE, encoding="utf-8")
    summary = {
        "settings": asdict(settings),
        "train_articles": len(train_golds),
        "dev_articles": len(dev_golds),
        "best_epoch": result.best_epoch,
        "seconds": result.seconds,
        "dev_rules": rules,
        "dev_trained": result.trained,
        "epochs": history,
    }
    (out / "training.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return result
