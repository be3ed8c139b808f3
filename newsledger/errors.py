"""Every error newsledger raises, in one place.

Messages name the input and say what is wrong, so a user can fix it without
reading a traceback.
"""

from __future__ import annotations


class NewsledgerError(Exception):
    """Base class of all newsledger errors."""


class InputError(NewsledgerError):
    """An input could not be read as an article (empty, binary, too large, missing field...).

    ``origin`` names the input ("data.csv", "feed.jsonl:12", "-" for stdin).
    Readers *yield* these instead of raising them so a batch goes on with the rest.
    """

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class ModelNotFound(NewsledgerError):
    """No English spaCy pipeline is installed."""


class DataNotFound(NewsledgerError):
    """An evaluation data set is missing (e.g. ../shared/data/polnear)."""
