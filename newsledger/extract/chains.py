"""Numbering and chains of a list of attribution records: what every step that adds or drops
attributions after the rules (page furniture, runs of quotes) needs to keep them whole.

Public entry points: :func:`renumber`, :func:`set_chains`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from newsledger.model import Attribution

__all__ = ["renumber", "set_chains"]


def renumber(attributions: Sequence[Attribution]) -> list[Attribution]:
    """The attributions numbered a1, a2, … in their order, each parent following its id (an
    added attribution with no id of its own keeps the parent it was given, an old id)."""
    new_ids = {a.id: f"a{i + 1}" for i, a in enumerate(attributions) if a.id}
    return [
        dataclasses.replace(
            a, id=f"a{i + 1}", parent=new_ids.get(a.parent) if a.parent is not None else None
        )
        for i, a in enumerate(attributions)
    ]


def set_chains(attributions: Sequence[Attribution]) -> None:
    """Each attribution's chain, outermost source first, from the parent links: "Kim said …
    He also vowed …" is one link, an unnamed source is "(unnamed)"."""
    by_id = {a.id: a for a in attributions}
    for a in attributions:
        chain: list[str] = []
        seen: set[str] = set()
        node: Attribution | None = a
        while node is not None and node.id not in seen:
            seen.add(node.id)
            name = node.source.name if node.source else "(unnamed)"
            if not chain or chain[-1] != name:
                chain.append(name)
            node = by_id.get(node.parent) if node.parent else None
        a.chain = chain[::-1]
