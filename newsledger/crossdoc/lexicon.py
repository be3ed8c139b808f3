"""The cross-article word lists (``newsledger/resources/crossdoc.json``); the thresholds are
in :mod:`newsledger.settings`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newsledger.resources import load_frozen


def lexicon() -> Mapping[str, Any]:
    """The crossdoc word lists, read once and read-only (lists as tuples)."""
    return load_frozen("crossdoc.json")
