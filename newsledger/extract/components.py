"""The extractors as registered spaCy components.

Each step is a component factory (``newsledger_quotes``, ``newsledger_names``, …) that declares,
as spaCy meta, the ``Doc`` extensions it needs (``requires``) and fills (``assigns``). Results
travel between steps on those extensions — never through a side dictionary — so
``nlp.analyze_pipes()`` checks the run order and a missing input is an error, not a silent
rebuild. The components need a Doc parsed by a pipeline with a parser and an entity
recognizer (``en_core_web_sm``); ``newsledger_quotes`` needs only the text.

They run in newsledger's own :class:`~newsledger.pipeline.Analyzer`, or in any spaCy pipeline::

    nlp = spacy.load("en_core_web_sm")
    for name in ("quotes", "names", "attributions"):
        nlp.add_pipe(EXTRACTORS[name])
    record = analysis_from_doc(nlp("Kim said that troops were sent."))

The Doc extensions, all ``None`` until a step fills them:

- ``doc._.nl_article`` — the :class:`~newsledger.model.Article` parsed (its date resolves dates);
  set by the caller, optional.
- ``doc._.nl_issues`` — :class:`~newsledger.model.Issue` list, appended by several steps.
- ``doc._.nl_furniture`` — the page furniture (:mod:`~newsledger.extract.furniture`): ad
  markers, "READ MORE" lines, photo credits, prompts, bylines; no attribution is taken from it.
- ``doc._.nl_quotes`` — the quote scan; ``doc._.nl_names`` — the name clusters;
  ``doc._.nl_coref`` — pronouns resolved to people (token index → antecedent).
- ``doc._.nl_entities``, ``nl_attributions``, ``nl_dates``, ``nl_quantities``, ``nl_events`` —
  the record's lists, assembled by :func:`analysis_from_doc` at the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.pipe_analysis import analyze_pipes
from spacy.tokens import Doc

from newsledger.extract.acts import set_acts
from newsledger.extract.attribution_model import Tagger
from newsledger.extract.attributions import extract_attributions
from newsledger.extract.continuation import continue_quotes
from newsledger.extract.coref import resolve_plurals, resolve_pronouns, resolve_things
from newsledger.extract.dates import find_dates
from newsledger.extract.events import extract_events
from newsledger.extract.furniture import (
    Furniture,
    drop_furniture,
    find_furniture,
    furniture_issues,
    outside_furniture,
)
from newsledger.extract.gazetteer import gazetteer
from newsledger.extract.measures import read_measures
from newsledger.extract.names import Names, build_names, source_role
from newsledger.extract.quantities import extract_quantities
from newsledger.extract.quotes import QuoteScan, find_quotes
from newsledger.extract.spans import attribution_at
from newsledger.extract.spelling import english_words, find_misspellings, misspelling_issues
from newsledger.model import Analysis, Article, ArticleInfo, Attribution, Entity, Issue
from newsledger.nlp import CUTS_KEY, MAX_RUN_CHARS
from newsledger.settings import DEFAULT_SETTINGS

__all__ = [
    "EXTENSIONS",
    "EXTRACTORS",
    "AttributionStep",
    "add_extractors",
    "analysis_from_doc",
    "plan_extractors",
    "warm_tables",
]


EXTENSIONS = (
    "nl_article",
    "nl_issues",
    "nl_furniture",
    "nl_quotes",
    "nl_names",
    "nl_coref",
    "nl_entities",
    "nl_attributions",
    "nl_dates",
    "nl_quantities",
    "nl_events",
)
for _name in EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

# Step name → component factory, in the order a full analysis runs them. A step may also read
# what an earlier step filled without requiring it: dates and figures link to the attribution
# holding them, and events take their dates, when those steps ran first.
EXTRACTORS: dict[str, str] = {
    "input_flags": "newsledger_input_flags",
    "furniture": "newsledger_furniture",
    "quotes": "newsledger_quotes",
    "names": "newsledger_names",
    "misspellings": "newsledger_misspellings",
    "coref": "newsledger_coref",
    "attributions": "newsledger_attributions",
    "dates": "newsledger_dates",
    "quantities": "newsledger_quantities",
    "events": "newsledger_events",
}


# ---------------------------------------------------------------------- the record
def _issues(doc: Doc) -> list[Issue]:
    issues: list[Issue] | None = doc._.nl_issues
    if issues is None:
        issues = doc._.nl_issues = []
    return issues


def _text(doc: Doc) -> str:
    article: Article | None = doc._.nl_article
    return article.text if article is not None else doc.text


def _parsed_text(doc: Doc) -> str:
    """``doc.text`` — the part of the article that was parsed — without building it again
    from the tokens (spaCy does that at each access), kept on the Doc."""
    cached = doc.user_data.get(_PARSED_TEXT)
    if isinstance(cached, str):
        return cached
    article: Article | None = doc._.nl_article
    if article is None or not len(doc):
        text = doc.text
    else:
        last = doc[-1]
        text = article.text[: last.idx + len(last.text_with_ws)]
    doc.user_data[_PARSED_TEXT] = text
    return text


_PARSED_TEXT = "newsledger_parsed_text"


def analysis_from_doc(doc: Doc) -> Analysis:
    """The :class:`Analysis` record of what the steps run so far have put on ``doc``."""
    article: Article | None = doc._.nl_article
    if article is None:
        article = Article(text=doc.text)
    return Analysis(
        article=ArticleInfo(
            id=article.id or article.sha256[:12],
            title=article.title,
            published=article.published,
            url=article.url,
            text_sha256=article.sha256,
            site=article.site,
        ),
        text=article.text,
        attributions=list(doc._.nl_attributions or []),
        entities=list(doc._.nl_entities or []),
        dates=list(doc._.nl_dates or []),
        quantities=list(doc._.nl_quantities or []),
        events=list(doc._.nl_events or []),
        issues=list(doc._.nl_issues or []),
    )


def _entities(names: Names) -> list[Entity]:
    return [
        Entity(
            id=c.id,
            name=c.name,
            type=c.type,
            aliases=list(c.aliases),
            mentions=[[s, e] for s, e in c.mentions],
            kb=dict(c.kb),
        )
        for c in names.clusters
        if c.mentions
    ]


# ---------------------------------------------------------------------- the steps
@Language.component("newsledger_input_flags", assigns=["doc._.nl_issues"])
def input_flags(doc: Doc) -> Doc:
    """Issues about the input itself: bytes that were not UTF-8, a run without whitespace cut
    to bound the parse, text cut before parsing."""
    article: Article | None = doc._.nl_article
    text = _text(doc)
    issues = _issues(doc)
    if article is not None and "invalid_utf8" in article.flags:
        first = text.find("\ufffd")
        if first >= 0:
            issues.append(
                Issue(
                    kind="invalid_utf8",
                    text=text[first : first + 1],
                    start=first,
                    end=first + 1,
                    message="the input was not valid UTF-8; bad bytes were replaced with U+FFFD",
                )
            )
    for offset in doc.user_data.get(CUTS_KEY, ()):
        issues.append(
            Issue(
                kind="split_run",
                text="",
                start=offset,
                end=offset,
                message=f"a run of more than {MAX_RUN_CHARS} characters without a space was cut"
                " here to bound the parse",
            )
        )
    parsed = len(_parsed_text(doc))
    if parsed < len(text):
        issues.append(
            Issue(
                kind="truncated",
                text="",
                start=parsed,
                end=parsed,
                message=f"only the first {parsed} of {len(text)} characters were analyzed",
            )
        )
    return doc


@Language.component("newsledger_furniture", assigns=["doc._.nl_furniture", "doc._.nl_issues"])
def furniture(doc: Doc) -> Doc:
    """The page furniture of the text (advertisement markers, links to other stories, photo
    credits and captions, prompts, bylines), each also a ``furniture`` issue."""
    found = find_furniture(_parsed_text(doc))
    doc._.nl_furniture = found
    _issues(doc).extend(furniture_issues(found))
    return doc


@Language.component("newsledger_quotes", assigns=["doc._.nl_quotes", "doc._.nl_issues"])
def quotes(doc: Doc) -> Doc:
    """The quotation marks paired into quotes; a mark left without its pair is an issue."""
    scan = find_quotes(_parsed_text(doc))
    doc._.nl_quotes = scan
    text = _parsed_text(doc)
    issues = _issues(doc)
    for offset in scan.unbalanced:
        issues.append(
            Issue(
                kind="unbalanced_quotes",
                text=text[offset : offset + 1],
                start=offset,
                end=offset + 1,
                message="quotation mark without its pair; the quote ends at the paragraph end",
            )
        )
    return doc


@Language.component("newsledger_names", assigns=["doc._.nl_names", "doc._.nl_entities"])
def names(doc: Doc) -> Doc:
    """The names clustered into entities (people, organisations, places, groups)."""
    found = build_names(doc)
    doc._.nl_names = found
    doc._.nl_entities = _entities(found)
    return doc


@Language.component(
    "newsledger_misspellings",
    requires=["doc._.nl_names"],
    assigns=["doc._.nl_issues", "doc._.nl_entities"],
)
def misspellings(doc: Doc) -> Doc:
    """Probable misspellings of names; a sure one joins the entity it was meant for."""
    clusters: Names = doc._.nl_names
    found = find_misspellings(doc, clusters)
    _issues(doc).extend(misspelling_issues(doc, found))
    for m in found:  # "fight against Ukarine": the mention is Ukraine's
        if m.confidence >= DEFAULT_SETTINGS.extract.relink_confidence and (
            m.cluster is not None or m.place is not None
        ):
            clusters.relink(m.token, m.place, m.cluster)
    clusters.compact()
    doc._.nl_entities = _entities(clusters)
    return doc


@Language.component(
    "newsledger_coref",
    requires=["doc._.nl_names", "doc._.nl_quotes"],
    assigns=["doc._.nl_coref"],
)
def coref(doc: Doc) -> Doc:
    """he/she/his/her resolved to the most salient person that agrees with them
    (:mod:`~newsledger.extract.coref`); the attribution step reads their sources so."""
    clusters: Names = doc._.nl_names
    pieces = doc._.nl_furniture or ()  # read when the furniture step ran
    found = resolve_pronouns(
        doc, clusters, doc._.nl_quotes, [(f.start, f.end) for f in pieces], _parsed_text(doc)
    )
    doc._.nl_coref = found
    clusters.antecedents = {i: (a.cluster, a.start, a.end) for i, a in found.items()}
    clusters.plural_antecedents = resolve_plurals(doc, clusters, doc._.nl_quotes)
    clusters.thing_antecedents = resolve_things(
        doc, clusters, doc._.nl_quotes, [(f.start, f.end) for f in pieces]
    )
    return doc


def _set_roles(doc: Doc, names: Names, attributions: list[Attribution]) -> None:
    """Each source's role apart from its name ("chief executive")."""
    for a in attributions:
        if a.source is None:
            continue
        span = doc.char_span(a.source.start, a.source.end, alignment_mode="expand")
        if span is not None:
            a.source.role = source_role(span, names, a.source.entity)


@dataclass
class AttributionStep:
    """The attribution component: the rules, merged with a trained tagger when one is set."""

    tagger: Tagger | None = None

    def __call__(self, doc: Doc) -> Doc:
        clusters: Names = doc._.nl_names
        furniture: list[Furniture] = doc._.nl_furniture
        # a quote inside furniture is no quote; what is said inside it is no attribution
        scan: QuoteScan = outside_furniture(doc._.nl_quotes, furniture)
        found = extract_attributions(doc, scan, clusters, self.tagger, _parsed_text(doc))
        found = drop_furniture(found, furniture)
        set_acts(doc, found)  # said, wrote, believes, plans, found …
        # "“…,” Kim said. “…”": the second quote is Kim's too (a running speaker's act)
        doc._.nl_attributions = continue_quotes(_parsed_text(doc), found, scan)
        _set_roles(doc, clusters, doc._.nl_attributions)
        # a source may have turned a capital into its state's mention
        doc._.nl_entities = _entities(clusters)
        return doc


@Language.factory(
    "newsledger_attributions",
    requires=["doc._.nl_furniture", "doc._.nl_quotes", "doc._.nl_names", "doc._.nl_coref"],
    assigns=["doc._.nl_attributions", "doc._.nl_entities"],
)
def make_attributions(nlp: Language, name: str) -> AttributionStep:
    """Set ``.tagger`` on the component to merge a trained tagger's spans."""
    return AttributionStep()


@Language.component("newsledger_dates", assigns=["doc._.nl_dates", "doc._.nl_issues"])
def dates(doc: Doc) -> Doc:
    """Dates resolved against the article's date, each linked to the attribution holding it."""
    article: Article | None = doc._.nl_article
    scan = find_dates(doc, article.published if article is not None else None)
    record = analysis_from_doc(doc)
    for mention in scan.mentions:
        mention.attribution = attribution_at(record, mention.start, mention.end)
    doc._.nl_dates = scan.mentions
    _issues(doc).extend(scan.issues)
    return doc


@Language.component("newsledger_quantities", assigns=["doc._.nl_quantities"])
def quantities(doc: Doc) -> Doc:
    """Figures with what they measure (:mod:`~newsledger.extract.measures`), each linked to
    the attribution holding it."""
    found = extract_quantities(doc, analysis_from_doc(doc))
    read_measures(doc, found)
    doc._.nl_quantities = found
    return doc


@Language.component(
    "newsledger_events",
    requires=["doc._.nl_entities", "doc._.nl_attributions"],
    assigns=["doc._.nl_events"],
)
def events(doc: Doc) -> Doc:
    """Events with their actors, places and (when dates ran) dates."""
    doc._.nl_events = extract_events(doc, analysis_from_doc(doc))
    return doc


# ---------------------------------------------------------------------- planning
def _needs(step: str) -> list[str]:
    """The steps that assign what ``step`` requires (the first assigner of each, in order)."""
    required = Language.get_factory_meta(EXTRACTORS[step]).requires
    needed: list[str] = []
    for attr in required:
        for other, factory in EXTRACTORS.items():
            if other != step and attr in Language.get_factory_meta(factory).assigns:
                if other not in needed:
                    needed.append(other)
                break
        else:
            raise ValueError(f"extractor {step!r} requires {attr}, which no extractor assigns")
    return needed


def plan_extractors(requested: Iterable[str] | None = None) -> tuple[str, ...]:
    """The steps to run for ``requested`` (None: all), each after the steps it requires.

    A requested step keeps its place; a step it requires but that was not requested (or was
    listed after it) is run just before it.
    """
    names = list(EXTRACTORS) if requested is None else list(requested)
    unknown = [n for n in names if n not in EXTRACTORS]
    if unknown:
        raise ValueError(
            f"unknown extractor(s): {', '.join(unknown)}; known: {', '.join(EXTRACTORS)}"
        )
    order: list[str] = []

    def add(step: str, chain: tuple[str, ...]) -> None:
        if step in order:
            return
        if step in chain:
            raise ValueError(f"extractors require each other: {' → '.join((*chain, step))}")
        for need in _needs(step):
            add(need, (*chain, step))
        order.append(step)

    for step in names:
        add(step, ())
    return tuple(order)


def add_extractors(nlp: Language, steps: Iterable[str]) -> None:
    """Add ``steps`` (as planned by :func:`plan_extractors`) to ``nlp`` and check the order."""
    for step in steps:
        nlp.add_pipe(EXTRACTORS[step], name=step)
    problems = {
        name: missing for name, missing in analyze_pipes(nlp)["problems"].items() if missing
    }
    if problems:
        detail = "; ".join(
            f"{name} needs {', '.join(missing)}" for name, missing in problems.items()
        )
        raise ValueError(f"extractors out of order: {detail}")


def warm_tables() -> None:
    """Build the process-wide lookup tables now (before forking workers) rather than lazily."""
    gazetteer()
    english_words()
