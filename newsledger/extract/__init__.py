"""The extractors, registered by name, in the order they run.

Each step takes the parsed ``Doc``, the ``Analysis`` being filled and a ``state`` dict that
carries intermediate results (quote scan, name clusters) to later steps. Steps are referred to
by name (``Analyzer(extractors=[...])``), so worker processes receive names, never callables.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from newsledger.extract.attributions import extract_attributions
from newsledger.extract.dates import find_dates
from newsledger.extract.events import extract_events
from newsledger.extract.gazetteer import gazetteer
from newsledger.extract.names import Names, build_names
from newsledger.extract.quantities import extract_quantities
from newsledger.extract.quotes import QuoteScan, find_quotes
from newsledger.extract.spans import attribution_at
from newsledger.extract.spelling import english_words, find_misspellings, misspelling_issues
from newsledger.model import Analysis, Article, Entity, Issue

__all__ = ["EXTRACTORS", "RELINK_CONFIDENCE", "Step", "warm_tables"]

Step = Callable[[Doc, Analysis, dict], None]
RELINK_CONFIDENCE = 0.75  # a misspelt name this sure joins the entity it was meant for


def _quotes(doc: Doc, analysis: Analysis, state: dict) -> None:
    scan = find_quotes(doc.text)
    state["quotes"] = scan
    text = doc.text
    for offset in scan.unbalanced:
        analysis.issues.append(
            Issue(
                kind="unbalanced_quotes",
                text=text[offset : offset + 1],
                start=offset,
                end=offset + 1,
                message="quotation mark without its pair; the quote ends at the paragraph end",
            )
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


def _names(doc: Doc, analysis: Analysis, state: dict) -> None:
    names = build_names(doc)
    state["names"] = names
    analysis.entities = _entities(names)


def _misspellings(doc: Doc, analysis: Analysis, state: dict) -> None:
    names: Names = state.get("names") or build_names(doc)
    state["names"] = names
    found = find_misspellings(doc, names)
    analysis.issues.extend(misspelling_issues(doc, found))
    for m in found:  # "fight against Ukarine": the mention is Ukraine's
        if m.confidence >= RELINK_CONFIDENCE and (m.cluster is not None or m.place is not None):
            names.relink(m.token, m.place, m.cluster)
    names.compact()
    analysis.entities = _entities(names)


def _attributions(doc: Doc, analysis: Analysis, state: dict) -> None:
    scan: QuoteScan = state.get("quotes") or find_quotes(doc.text)
    names: Names = state.get("names") or build_names(doc)
    tagger = state.get("attribution_tagger")
    analysis.attributions = extract_attributions(doc, scan, names, tagger)
    if "names" in state:  # a source may have turned a capital into its state's mention
        analysis.entities = _entities(names)


def _events(doc: Doc, analysis: Analysis, state: dict) -> None:
    analysis.events = extract_events(doc, analysis)


def _quantities(doc: Doc, analysis: Analysis, state: dict) -> None:
    analysis.quantities = extract_quantities(doc, analysis)


def _dates(doc: Doc, analysis: Analysis, state: dict) -> None:
    article: Article = state["article"]
    scan = find_dates(doc, article.published)
    for mention in scan.mentions:
        mention.attribution = attribution_at(analysis, mention.start, mention.end)
    analysis.dates = scan.mentions
    analysis.issues.extend(scan.issues)


def _input_flags(doc: Doc, analysis: Analysis, state: dict) -> None:
    article: Article = state["article"]
    text = analysis.text
    if "invalid_utf8" in getattr(article, "flags", ()):
        first = text.find("\ufffd")
        if first >= 0:
            analysis.issues.append(
                Issue(
                    kind="invalid_utf8",
                    text=text[first : first + 1],
                    start=first,
                    end=first + 1,
                    message="the input was not valid UTF-8; bad bytes were replaced with U+FFFD",
                )
            )
    if len(doc.text) < len(text):
        end = len(text)
        analysis.issues.append(
            Issue(
                kind="truncated",
                text=text[len(doc.text) : end][:0],
                start=len(doc.text),
                end=len(doc.text),
                message=f"only the first {len(doc.text)} of {len(text)} characters were analyzed",
            )
        )


def warm_tables() -> None:
    """Build the process-wide lookup tables now (before forking workers) rather than lazily."""
    gazetteer()
    english_words()


EXTRACTORS: dict[str, Step] = {
    "input_flags": _input_flags,
    "quotes": _quotes,
    "names": _names,
    "misspellings": _misspellings,
    "attributions": _attributions,
    "dates": _dates,
    "quantities": _quantities,
    # events read entities, attributions and (when present) dates: keep this step last
    "events": _events,
}
