"""Span helpers shared by the extractors that attach mentions to attributions."""

from __future__ import annotations

from newsledger.model import Analysis


def attribution_at(analysis: Analysis, start: int, end: int) -> str | None:
    """The id of the innermost attribution whose content contains ``[start, end)``, or None.

    "Innermost" is the shortest containing content, so a figure inside a quote relayed by
    another source belongs to the quoted speaker's attribution, not the relay's.
    """
    best: tuple[int, str] | None = None
    for a in analysis.attributions:
        c = a.content
        if c.start <= start and end <= c.end:
            size = c.end - c.start
            if best is None or size < best[0]:
                best = (size, a.id)
    return best[1] if best else None
