"""The cross-article word lists and thresholds (``newsledger/resources/crossdoc.json``)."""

from __future__ import annotations

from typing import Any

from newsledger.resources import load_json


def lexicon() -> dict[str, Any]:
    """The parsed crossdoc word lists and thresholds, read fresh on each call."""
    return load_json("crossdoc.json")
