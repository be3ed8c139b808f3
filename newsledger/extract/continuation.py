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

import bisect
import dataclasses

from newsledger.extract.chains import renumber
from newsledger.extract.quotes import QuoteScan
from newsledger.model import Attribution, Span

__all__ = ["CONTINUED_CONFIDENCE", "MAX_GAP", "MIN_WORDS", "continue_quotes"]

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
    if end - start > 40 * MAX_GAP:  # far apart: no need to look (and the look stays cheap)
        return False
    gap = text[start:end]
    if gap.count("\n\n") > 1 or any(mark in gap for mark in '"“”'):
        return False
    # the rest of the speaker's sentence only: "…," she said. / …, he added.\n\n
    return len("".join(gap.split())) <= MAX_GAP


def continue_quotes(
    text: str, attributions: list[Attribution], scan: QuoteScan
) -> list[Attribution]:
    """``attributions`` with the quotes that continue a running speaker added (after the
    attribution they continue), all numbered again in text order. Linear in the quotes and
    attributions, but for the sorting."""
    spans = sorted((a.content.start, a.content.end) for a in attributions)
    span_starts = [s for s, _ in spans]
    reach: list[int] = []  # the furthest content end among the first k contents
    for _, e in spans:
        reach.append(max(e, reach[-1]) if reach else e)
    running = sorted(
        (a for a in attributions if a.source is not None and a.kind in _RUNNING_KINDS),
        key=_end_of,
    )
    running_ends = [_end_of(a) for a in running]
    added: list[tuple[Attribution, Attribution]] = []  # (continued, new)
    last_new: Attribution | None = None
    for quote in sorted(scan.quotes, key=lambda q: q.start):
        if not quote.closed or not quote.double:
            continue
        start, end = quote.start, quote.end
        if len(text[start:end].split()) < MIN_WORDS:
            continue
        k = bisect.bisect_left(span_starts, end)  # the contents starting before the quote ends
        if k and reach[k - 1] > start:
            continue  # some attribution already holds (part of) it
        j = bisect.bisect_right(running_ends, start)
        speaker = running[j - 1] if j else None
        if last_new is not None and _end_of(last_new) <= start:
            if speaker is None or _end_of(last_new) >= _end_of(speaker):
                speaker = last_new  # the run goes on: a third quote continues the second
        if speaker is None:
            continue
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
        last_new = new
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
