"""Quotes that carry on the running speaker: ``“…,” Kim said. “…”`` and a quote paragraph
after a quote paragraph, with no speech verb of their own.

News writing gives a run of quotes one cue: the quote after ``“We are ready,” the coach
said.`` is the coach's too, as is a paragraph that is all quotation after a paragraph ending
in one. A quote whose text no attribution holds becomes a ``direct`` attribution of the
speaker of the attribution just before it when nothing but the rest of that attribution's
own sentence, at most one paragraph break, separates them (:data:`MAX_GAP` characters at
most): the cue is the earlier attribution's own cue, the chain and act are the same, and
the confidence lower. Narration between the two — another sentence that is not part of the
quote — breaks the run, since it may bring in another speaker.

Public entry point: :func:`continue_quotes`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from newsledger.extract.quotes import QuoteScan
from newsledger.model import Attribution, Span

__all__ = ["CONTINUED_CONFIDENCE", "MAX_GAP", "MIN_WORDS", "continue_quotes", "renumber"]

#: At most this many characters (not counting spaces) between the end of the running
#: speaker's attribution and the quote that continues it.
MAX_GAP = 12
#: A quoted phrase of fewer words is a scare quote or a title, not a quote of its own.
MIN_WORDS = 4
#: A continued quote's confidence, times its speaker's attribution's.
CONTINUED_CONFIDENCE = 0.8

_RUNNING_KINDS = frozenset({"direct", "mixed", "indirect"})
_RUNNING_ACTS = frozenset({"speech", "writing"})


def _end_of(a: Attribution) -> int:
    ends = [a.content.end, a.cue.end]
    if a.source is not None:
        ends.append(a.source.end)
    return max(ends)


def _gap_ok(text: str, start: int, end: int) -> bool:
    gap = text[start:end]
    if gap.count("\n\n") > 1 or any(mark in gap for mark in '"“”'):
        return False
    # the rest of the speaker's sentence only: "…," she said. / …, he added.\n\n
    return len("".join(gap.split())) <= MAX_GAP


def continue_quotes(
    text: str, attributions: list[Attribution], scan: QuoteScan
) -> list[Attribution]:
    """``attributions`` with the quotes that continue a running speaker added (after the
    attribution they continue), all numbered again in text order."""
    contents = sorted((a.content.start, a.content.end) for a in attributions)
    running = sorted(
        (a for a in attributions if a.source is not None and a.kind in _RUNNING_KINDS),
        key=_end_of,
    )
    added: list[tuple[Attribution, Attribution]] = []  # (continued, new)
    for quote in scan.quotes:
        if not quote.closed or not quote.double:
            continue
        start, end = quote.start, quote.end
        if len(text[start:end].split()) < MIN_WORDS:
            continue
        if any(s < end and start < e for s, e in contents):
            continue
        before = [a for a in running if _end_of(a) <= start]
        if not before:
            continue
        speaker = before[-1]
        if speaker.act not in _RUNNING_ACTS or not _gap_ok(text, _end_of(speaker), start):
            continue
        new = dataclasses.replace(
            speaker,
            id="",
            kind="direct",
            content=Span(text[start:end], start, end),
            content_parts=[],
            confidence=round(speaker.confidence * CONTINUED_CONFIDENCE, 2),
        )
        added.append((speaker, new))
        running.append(new)  # the run goes on: a third quote continues the second
        running.sort(key=_end_of)
        contents.append((start, end))
    if not added:
        return attributions
    after: dict[int, list[Attribution]] = {}
    for speaker, new in added:
        after.setdefault(id(speaker), []).append(new)
    ordered: list[Attribution] = []

    def place(a: Attribution) -> None:
        ordered.append(a)
        for follower in after.get(id(a), ()):
            place(follower)

    for a in attributions:
        place(a)
    return renumber(ordered)


def renumber(attributions: Sequence[Attribution]) -> list[Attribution]:
    """The attributions numbered a1, a2, … in their order, parents following their ids (a
    new attribution with no id keeps its copied parent)."""
    new_ids = {a.id: f"a{i + 1}" for i, a in enumerate(attributions) if a.id}
    out: list[Attribution] = []
    for i, a in enumerate(attributions):
        parent = new_ids.get(a.parent) if a.parent is not None else None
        out.append(dataclasses.replace(a, id=f"a{i + 1}", parent=parent))
    return out
