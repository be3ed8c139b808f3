"""The cross-article word lists (``newsledger/resources/crossdoc.json``); the thresholds are
in :mod:`newsledger.settings`."""

from __future__ import annotations

from typing import Any

from newsledger.resources import load_json


def lexicon() -> dict[str, Any]:
    """The parsed crossdoc word lists, read fresh on each call."""
    return load_json("crossdoc.json")
