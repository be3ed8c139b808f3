"""The extractors as spaCy components: declared needs, planned order, use in any pipeline."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.pipe_analysis import analyze_pipes
from spacy.tokens import Doc

from newsledger.extract import (
    EXTENSIONS,
    EXTRACTORS,
    AttributionStep,
    add_extractors,
    analysis_from_doc,
    plan_extractors,
)
from newsledger.model import Article
from newsledger.nlp import load_model
from newsledger.pipeline import Analyzer


@Language.component("test_needs_nothing_assigned", requires=["doc._.nl_nothing"])
def _needs_nothing_assigned(doc: Doc) -> Doc:
    return doc


# ---------------------------------------------------------------------- planning (no weights)
def test_every_step_is_a_registered_factory_with_declared_extensions() -> None:
    declared = {f"doc._.{name}" for name in EXTENSIONS}
    for step, factory in EXTRACTORS.items():
        meta = Language.get_factory_meta(factory)
        assert meta.assigns, step
        assert set(meta.assigns) <= declared, step
        assert set(meta.requires) <= declared, step


def test_the_full_plan_is_the_registered_order_and_passes_analyze_pipes() -> None:
    steps = plan_extractors(None)
    assert steps == tuple(EXTRACTORS)
    nlp = spacy.blank("en")
    add_extractors(nlp, steps)
    assert nlp.pipe_names == list(steps)
    assert not any(analyze_pipes(nlp)["problems"].values())


@pytest.mark.parametrize(
    ("requested", "planned"),
    [
        (["attributions"], ("furniture", "quotes", "names", "coref", "attributions")),
        (["misspellings"], ("names", "misspellings")),
        (["coref"], ("names", "quotes", "coref")),
        (["events"], ("names", "furniture", "quotes", "coref", "attributions", "events")),
        # a step listed after the step needing it moves before it; the rest keep their place
        (["attributions", "quotes"], ("furniture", "quotes", "names", "coref", "attributions")),
        # optional reads impose no order: dates before attributions links no attribution
        (
            ["dates", "attributions"],
            ("dates", "furniture", "quotes", "names", "coref", "attributions"),
        ),
        (["names", "quotes"], ("names", "quotes")),
        (["quantities"], ("quantities",)),
    ],
)
def test_a_step_runs_after_the_steps_it_requires(
    requested: list[str], planned: tuple[str, ...]
) -> None:
    assert plan_extractors(requested) == planned


def test_unknown_steps_are_named() -> None:
    with pytest.raises(ValueError, match="unknown extractor.*nope.*known: input_flags"):
        plan_extractors(["quotes", "nope"])


def test_a_requirement_no_step_assigns_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(EXTRACTORS, "orphan", "test_needs_nothing_assigned")
    with pytest.raises(ValueError, match="'orphan' requires doc._.nl_nothing"):
        plan_extractors(["orphan"])


def test_a_step_added_before_its_input_is_refused() -> None:
    nlp = spacy.blank("en")
    with pytest.raises(ValueError, match="out of order: attributions needs doc._.nl_furniture"):
        add_extractors(nlp, ["attributions", "furniture", "quotes", "names"])


def test_quotes_run_on_a_blank_pipeline() -> None:
    nlp = spacy.blank("en")
    add_extractors(nlp, ["quotes"])
    doc = nlp('He said "yes" and then "no')
    scan = doc._.nl_quotes
    assert [doc.text[q.start : q.end] for q in scan.quotes][0] == '"yes"'
    record = analysis_from_doc(doc)
    assert [i.kind for i in record.issues] == ["unbalanced_quotes"]
    assert record.text == doc.text and record.attributions == []


def test_extensions_start_empty_on_every_doc() -> None:
    nlp = spacy.blank("en")
    add_extractors(nlp, ["quotes"])
    first = nlp('A "b')
    second = nlp("plain")
    assert first._.nl_issues and second._.nl_issues == []
    assert spacy.blank("en")("x")._.nl_issues is None


# ---------------------------------------------------------------------- with the weights
@pytest.mark.model
def test_components_in_a_users_pipeline_equal_the_analyzer(
    analyzer: Analyzer, seed_text: str
) -> None:
    steps = ("furniture", "quotes", "names", "coref", "attributions")
    nlp = load_model.__wrapped__()  # a pipeline of one's own, not the shared one
    for step in steps:
        nlp.add_pipe(EXTRACTORS[step])
    doc = nlp.make_doc(seed_text)
    doc._.nl_article = Article(text=seed_text)
    theirs = analysis_from_doc(nlp(doc))
    ours = Analyzer(extractors=steps).analyze(seed_text)
    assert theirs.attributions and theirs.attributions == ours.attributions
    assert theirs.entities == ours.entities


@pytest.mark.model
def test_the_analyzer_runs_the_planned_steps_and_hands_the_tagger_on(analyzer: Analyzer) -> None:
    only = Analyzer(extractors=["attributions"])
    assert only.extractor_names == ("furniture", "quotes", "names", "coref", "attributions")
    assert only.steps.pipe_names == list(only.extractor_names)
    step = only.steps.get_pipe("attributions")
    assert isinstance(step, AttributionStep) and step.tagger is None
    record = only.analyze("Kim Jong Un said that 300 troops were sent to Russia.")
    assert record.attributions and record.entities
    assert record.dates == [] and record.quantities == [] and record.events == []
