"""The extractors: one module per reader of a parsed Doc, registered as spaCy components.

:mod:`newsledger.extract.components` registers each step as a spaCy component factory with the
``Doc`` extensions it requires and assigns; :data:`EXTRACTORS` maps step names to those
factories in run order. Steps are referred to by name (``Analyzer(extractors=[...])``), so
worker processes receive names, never callables.
"""

from __future__ import annotations

from newsledger.extract.components import (
    EXTENSIONS,
    EXTRACTORS,
    AttributionStep,
    add_extractors,
    analysis_from_doc,
    plan_extractors,
    warm_tables,
)

__all__ = [
    "EXTENSIONS",
    "EXTRACTORS",
    "AttributionStep",
    "add_extractors",
    "analysis_from_doc",
    "plan_extractors",
    "warm_tables",
]
