"""newsledger: who claims what, on whose authority, when, with what figures.

The public API is deliberately small::

    import newsledger
    analysis = newsledger.analyze(text, published="2025-04-29")
    print(analysis.to_json())

    for analysis in newsledger.Analyzer().pipe(articles, jobs=2):
        ...
"""

from newsledger.model import SCHEMA, Analysis, Article, Attribution, Source, Span
from newsledger.pipeline import Analyzer, analyze

__version__ = "0.1.0"

__all__ = [
    "SCHEMA",
    "Analysis",
    "Analyzer",
    "Article",
    "Attribution",
    "Source",
    "Span",
    "analyze",
    "__version__",
]
