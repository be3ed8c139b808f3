"""The relay graph's layout: where each source goes, computed here so the drawing is the same
in every browser and the JSON twin carries it.

Each connected group of sources is laid out on its own, in columns by relay depth (an agency
left of the people it quotes, arrows pointing right), each column ordered by the mean row of
its neighbours (barycentres) to cut crossings, a tall column folded into several; the groups
are then packed in rows, the largest first. Nodes are boxes sized to their whole label
(wrapped on words, never cut), so no two boxes overlap.
"""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

#: label font size (px) the widths are estimated for; the page draws labels at this size
FONT_PX = 12
#: characters per label line before it wraps
WRAP = 22
LINE_PX = 15
PAD_X, PAD_Y = 10, 7
#: space between columns (for the arrows) and between rows
COL_GAP, ROW_GAP = 64, 12
GROUP_GAP = 48
#: the widest row of groups (before a new row starts) when the groups' area asks for more
PACK_WIDTH = 1600

# Advance widths of a sans-serif face at 1 px, a little generous (Helvetica/Arial metrics,
# rounded up), so an estimated box holds its label in the fonts browsers pick for sans-serif.
_NARROW = set("ijl.,:;'!|’`")
_SEMI = set('ftrI()[] -/"')
_WIDE = set("mwMW@")
_UPPER_WIDE = set("ABCDGHKNOQRUVXY&%")


def char_width(ch: str) -> float:
    if ch in _NARROW:
        return 0.3
    if ch in _SEMI:
        return 0.4
    if ch in _WIDE:
        return 0.95
    if ch in _UPPER_WIDE:
        return 0.78
    if ch.isupper() or ch.isdigit():
        return 0.68
    if ch.isascii():
        return 0.58
    return 1.0  # CJK and other wide scripts


def text_width(text: str, size: float = FONT_PX) -> float:
    return sum(char_width(c) for c in text) * size


def label_lines(name: str) -> list[str]:
    """``name`` wrapped on words into lines of about :data:`WRAP` characters (a longer word
    is split); joined with spaces they give the name back."""
    lines = textwrap.wrap(name, WRAP, break_long_words=True, break_on_hyphens=False)
    return lines or [name]


@dataclass
class Box:
    name: str
    lines: list[str]
    w: float
    h: float
    x: float = 0.0  # centre
    y: float = 0.0


@dataclass
class _Group:
    names: list[str]
    columns: list[list[str]] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0


def _box(name: str) -> Box:
    lines = label_lines(name)
    w = max(text_width(line) for line in lines) + 2 * PAD_X
    h = LINE_PX * len(lines) + 2 * PAD_Y
    return Box(name, lines, math.ceil(w), math.ceil(h))


def _groups(names: list[str], edges: list[tuple[str, str]]) -> list[list[str]]:
    parent = {n: n for n in names}

    def find(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    out: dict[str, list[str]] = defaultdict(list)
    for n in names:
        out[find(n)].append(n)
    return list(out.values())


def _mean(values: list[int]) -> float:
    return sum(values) / len(values) if values else math.inf


def _columns(names: list[str], edges: list[tuple[str, str]]) -> list[list[str]]:
    """Nodes in columns by their longest relay path from a node nobody relays (bounded, so
    a cycle stops growing), those nobody relays moved right up to what they relay; each
    column ordered by barycentres."""
    members = set(names)
    out_edges: dict[str, list[str]] = defaultdict(list)
    in_edges: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        if a in members and b in members:
            out_edges[a].append(b)
            in_edges[b].append(a)
    depth = dict.fromkeys(names, 0)
    for _ in range(len(names)):
        changed = False
        for a in names:
            for b in out_edges[a]:
                if depth[b] < depth[a] + 1 < len(names):
                    depth[b] = depth[a] + 1
                    changed = True
        if not changed:
            break
    # a source nobody relays goes just left of the nearest source it relays, so its arrows
    # cross no column (a reporter quoting a leader sits beside the agency quoting him)
    for n in names:
        if out_edges[n] and not in_edges[n]:
            depth[n] = max(0, min(depth[b] for b in out_edges[n]) - 1)
    columns: dict[int, list[str]] = defaultdict(list)
    for n in sorted(names, key=str.casefold):
        columns[depth[n]].append(n)
    cols = [columns[d] for d in sorted(columns)]
    for _sweep in range(3):
        for c in range(1, len(cols)):
            rows = {n: i for k in range(c) for i, n in enumerate(cols[k])}
            cols[c].sort(key=lambda n: _mean([rows[r] for r in in_edges[n] if r in rows]))
        for c in range(len(cols) - 2, -1, -1):
            rows = {n: i for k in range(c + 1, len(cols)) for i, n in enumerate(cols[k])}
            cols[c].sort(key=lambda n: _mean([rows[o] for o in out_edges[n] if o in rows]))
    return cols


def _fold(cols: list[list[str]]) -> list[list[str]]:
    """A column much taller than the group is wide is folded into several side by side."""
    tallest = max(len(c) for c in cols)
    rows = max(10, math.ceil(math.sqrt(tallest * 3)))
    out: list[list[str]] = []
    for col in cols:
        out += [col[i : i + rows] for i in range(0, len(col), rows)] or [col]
    return out


def _place_group(group: _Group, boxes: dict[str, Box]) -> None:
    widths = [max(boxes[n].w for n in col) for col in group.columns]
    heights = [sum(boxes[n].h for n in col) + ROW_GAP * (len(col) - 1) for col in group.columns]
    group.height = max(heights)
    x = 0.0
    for col, width, height in zip(group.columns, widths, heights, strict=True):
        y = (group.height - height) / 2
        for n in col:
            b = boxes[n]
            b.x, b.y = x + width / 2, y + b.h / 2
            y += b.h + ROW_GAP
        x += width + COL_GAP
    group.width = x - COL_GAP


def layout(names: list[str], edges: list[tuple[str, str]]) -> dict[str, Box]:
    """A box (centre, size, label lines) for each name; ``edges`` are (relay, origin)."""
    boxes = {n: _box(n) for n in names}
    groups = [_Group(g) for g in _groups(names, edges)]
    for g in groups:
        g.columns = _fold(_columns(g.names, edges))
        _place_group(g, boxes)
    groups.sort(key=lambda g: (-len(g.names), -g.height, min(g.names, key=str.casefold)))
    # rows of groups about as wide as a screen is wide for their total area (4:3)
    area = sum((g.width + GROUP_GAP) * (g.height + GROUP_GAP) for g in groups)
    limit = max([min(PACK_WIDTH, math.sqrt(area * 4 / 3)), *(g.width for g in groups)])
    x = y = shelf = 0.0
    for g in groups:
        if x > 0 and x + g.width > limit:
            x, y, shelf = 0.0, y + shelf + GROUP_GAP, 0.0
        for n in g.names:
            boxes[n].x += x
            boxes[n].y += y
        x += g.width + GROUP_GAP
        shelf = max(shelf, g.height)
    return boxes


def graph_payload(graph: dict[str, Any]) -> dict[str, Any]:
    """The graph (from :func:`newsledger.ledger.browse.relay_graph`) with each node's place,
    size and label lines, and each edge's drawn width (1–9 px, growing with the log of the
    attributions it carries)."""
    nodes = graph["nodes"]
    edges = graph["edges"]
    boxes = layout([n["name"] for n in nodes], [(e["relay"], e["origin"]) for e in edges])
    top = max([e["attributions"] for e in edges] or [1])
    placed = []
    for i, n in enumerate(nodes):
        b = boxes[n["name"]]
        placed.append(
            {**n, "id": f"n{i}", "x": b.x, "y": b.y, "w": b.w, "h": b.h, "lines": b.lines}
        )
    ids = {n["name"]: n["id"] for n in placed}
    drawn = [
        {
            **e,
            "id": f"e{i}",
            "source": ids[e["relay"]],
            "target": ids[e["origin"]],
            "width": round(1 + 8 * math.log1p(e["attributions"]) / math.log1p(top), 1),
        }
        for i, e in enumerate(edges)
    ]
    return {**graph, "nodes": placed, "edges": drawn}
