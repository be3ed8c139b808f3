"""Article → spaCy Doc → extractors → Analysis.

:class:`Analyzer` owns the spaCy pipeline: the loaded model parses, then the extractors — spaCy
components of their own pipeline, sharing the model's vocabulary — read the parse, and the
record is assembled from the Doc at the end. ``pipe``
streams many articles, in order, on one process or ``jobs`` worker processes; each worker loads
the model once and sends back small :class:`Analysis` records, never spaCy Docs.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

import spacy

from newsledger.errors import ModelNotFound
from newsledger.extract import (
    AttributionStep,
    add_extractors,
    analysis_from_doc,
    plan_extractors,
    warm_tables,
)
from newsledger.extract.attribution_model import Tagger, default_tagger, load_tagger, model_path
from newsledger.model import Analysis, Article
from newsledger.nlp import load_model, parse_texts

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

BATCH_SIZE = 16
ZONE_ARTICLES = 256  # articles per spaCy memory zone, so long runs keep a flat memory profile
CHUNK_ARTICLES = 4  # articles per task sent to a worker process
# "rules": the rule layer alone; "trained": the rules merged with the trained tagger
ATTRIBUTION_MODES = ("rules", "trained")
DEFAULT_ATTRIBUTIONS = "rules"


@dataclass(frozen=True)
class AnalyzerOptions:
    """Everything that describes an :class:`Analyzer`, small and picklable.

    A worker process rebuilds the same analyzer from it with :meth:`Analyzer.from_options`.
    """

    model: str | None = None  # spaCy pipeline name/path; None: the default
    extractors: tuple[str, ...] | None = (
        None  # None: every extractor; else these, after what they need
    )
    attributions: str = DEFAULT_ATTRIBUTIONS  # "rules" | "trained"
    tagger: str | None = None  # folder of a trained tagger; None: the default one


class Analyzer:
    """Analyze articles with one loaded spaCy pipeline.

    >>> analyzer = Analyzer()
    >>> analysis = analyzer.analyze("Kim said that troops were sent.")
    """

    def __init__(
        self,
        model: str | None = None,
        extractors: Iterable[str] | None = None,
        attributions: str = DEFAULT_ATTRIBUTIONS,
        tagger: Tagger | None = None,
    ) -> None:
        if tagger is not None:
            attributions = "trained"  # this tagger rather than the shipped one
        self._tagger = tagger
        if attributions not in ATTRIBUTION_MODES:
            raise ValueError(
                f"unknown attributions mode {attributions!r}; known: {', '.join(ATTRIBUTION_MODES)}"
            )
        self.attributions = attributions
        self.model_name = model
        # each step after the steps it requires (added when not asked for)
        self.extractor_names = plan_extractors(extractors)
        self._nlp: Language | None = None
        self._steps: Language | None = None
        self._tagger_folder: str | None = None

    @classmethod
    def from_options(cls, options: AnalyzerOptions) -> Analyzer:
        """The analyzer ``options`` describe (the tagger loaded from its folder when given)."""
        tagger = load_tagger(options.tagger) if options.tagger else None
        analyzer = cls(options.model, options.extractors, options.attributions, tagger)
        analyzer._tagger_folder = options.tagger
        return analyzer

    @property
    def options(self) -> AnalyzerOptions:
        """The description of this analyzer (``tagger`` is None for a tagger given as an object)."""
        return AnalyzerOptions(
            model=self.model_name,
            extractors=self.extractor_names,
            attributions=self.attributions,
            tagger=self._tagger_folder,
        )

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_model(self.model_name)
        return self._nlp

    @property
    def steps(self) -> Language:
        """The extractors as a spaCy pipeline of their own, sharing the model's vocabulary."""
        if self._steps is None:
            nlp = self.nlp
            steps = spacy.blank(nlp.lang or "en", vocab=nlp.vocab)
            add_extractors(steps, self.extractor_names)
            if "attributions" in steps.pipe_names:
                step = steps.get_pipe("attributions")
                assert isinstance(step, AttributionStep)
                step.tagger = self.tagger
            self._steps = steps
        return self._steps

    @property
    def tagger(self) -> Tagger | None:
        """The trained attribution tagger in "trained" mode (None when rules only)."""
        if self.attributions != "trained":
            return None
        tagger = self._tagger or default_tagger()
        if tagger is None:
            raise ModelNotFound(
                f"no trained attribution tagger at {model_path()}: train one with `newsledger "
                "train attribution --out DIR` and set NEWSLEDGER_TAGGER=DIR, or use the rules"
            )
        return tagger

    def analyze(
        self,
        text: str,
        published: str | None = None,
        title: str | None = None,
        id: str | None = None,
        url: str | None = None,
    ) -> Analysis:
        article = Article(text=text, id=id, title=title, published=published, url=url)
        return next(self.pipe([article]))

    def pipe(self, articles: Iterable[Article], jobs: int = 1) -> Iterator[Analysis]:
        """Analyses of ``articles``, in input order."""
        if jobs <= 1:
            yield from self.pipe_here(articles)
            return
        yield from _pipe_parallel(
            articles, jobs, self.model_name, self.extractor_names, self.attributions, self._tagger
        )

    def pipe_here(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        """Analyses of ``articles``, in input order, on this process."""
        nlp = self.nlp
        iterator = iter(articles)
        while True:
            chunk = list(islice(iterator, ZONE_ARTICLES))
            if not chunk:
                return
            with nlp.memory_zone():
                docs = parse_texts(nlp, (a.text for a in chunk), batch_size=BATCH_SIZE)
                for article, doc in zip(chunk, docs, strict=True):
                    yield self.build(article, doc)

    def build(self, article: Article, doc: Doc) -> Analysis:
        """Run the extractors over ``doc`` (the parse of ``article``) and assemble the record."""
        doc._.nl_article = article
        return analysis_from_doc(self.steps(doc))


# ------------------------------------------------------------------ worker processes
_WORKER: Analyzer | None = None


def _init_worker(
    model: str | None,
    extractors: tuple[str, ...],
    attributions: str,
    tagger: Tagger | None = None,
) -> None:
    global _WORKER
    _WORKER = Analyzer(model, extractors, attributions, tagger)
    _WORKER.nlp  # load the model once per worker  # noqa: B018
    _WORKER.steps  # and its extractors (with the tagger)  # noqa: B018


def _work(chunk: list[Article]) -> list[Analysis]:
    assert _WORKER is not None
    return list(_WORKER.pipe_here(chunk))


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _pipe_parallel(
    articles: Iterable[Article],
    jobs: int,
    model: str | None,
    extractors: tuple[str, ...],
    attributions: str = DEFAULT_ATTRIBUTIONS,
    tagger: Tagger | None = None,
) -> Iterator[Analysis]:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    if context.get_start_method() == "fork":
        load_model(model)  # forked workers share the loaded weights copy-on-write
        warm_tables()  # and the gazetteer and word list, built once here
        if attributions == "trained" and tagger is None:
            default_tagger()
    # a given tagger reaches forked workers by inheritance (spawned ones get a pickled copy)
    initargs = (model, extractors, attributions, tagger)
    with context.Pool(jobs, initializer=_init_worker, initargs=initargs) as pool:
        for results in pool.imap(_work, _chunks(articles, CHUNK_ARTICLES), chunksize=1):
            yield from results


def analyze(
    text: str,
    published: str | None = None,
    title: str | None = None,
    id: str | None = None,
    url: str | None = None,
) -> Analysis:
    """Analyze one article text with a shared default :class:`Analyzer`."""
    return _default().analyze(text, published=published, title=title, id=id, url=url)


_DEFAULT: Analyzer | None = None


def _default() -> Analyzer:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Analyzer()
    return _DEFAULT
