"""Charts drawn on the server as SVG: no script, a few kilobytes each, styled by the page's
stylesheet and colours given as presentation attributes (allowed by the CSP).

Every piece of text goes through :func:`markupsafe.escape`; numbers are formatted here.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from newsledger.web.render import article_url

#: series colours (Okabe–Ito and Tableau hues that stay apart for colour-blind readers)
PALETTE = (
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#e69f00",
    "#56b4e9",
    "#8c564b",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
OTHER = "#9aa0a6"


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except (TypeError, ValueError):
        return None


def nice_step(top: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) giving about ``ticks`` ticks up to ``top``."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def short_number(v: float) -> str:
    """14000 → ``14k``, 2500000 → ``2.5M``, 2.5 → ``2.5``."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= size:
            return f"{v / size:.3g}{suffix}"
    return f"{v:.3g}"


def long_number(v: Any) -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return f"{f:,.0f}" if f == int(f) else f"{f:,}"


def colours(sources: list[str]) -> dict[str, str]:
    return {s: PALETTE[i] if i < len(PALETTE) else OTHER for i, s in enumerate(sources)}


#: room a date label (``2025-04-29`` at 10 px) takes on the time axis
DATE_LABEL_PX = 64


def figures_svg(chart: dict[str, Any], width: int = 560, height: int = 220) -> Markup:
    """Values over time by source (a chart of :func:`newsledger.ledger.browse.story_figures`):
    a point per figure at its published date, a vertical line up to the top of a range
    ("1,000 to 3,000"), a line joining one source's figures; each point links to its article
    and says who said what in its tooltip. The legend names the sources by colour."""
    points = [p for p in chart["points"] if _day(p["date"]) is not None]
    if not points:
        return Markup("")
    by_count: dict[str, int] = {}
    for p in points:
        by_count[p["source"]] = by_count.get(p["source"], 0) + 1
    order = sorted(by_count, key=lambda s: (-by_count[s], s.casefold()))
    colour = colours(order)
    pad_l, pad_r, pad_t, pad_b = 48, 36, 12, 28
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b
    days = [_day(p["date"]) for p in points]
    first, last = min(d for d in days if d), max(d for d in days if d)
    span = max(1, (last - first).days)
    top_value = max(float(p["value"]) for p in points)
    step = nice_step(top_value * 1.05)
    top = step * math.ceil(top_value * 1.05 / step)

    def x_of(d: date) -> float:
        if first == last:
            return pad_l + plot_w / 2
        return pad_l + plot_w * (d - first).days / span

    def y_of(v: float) -> float:
        return pad_t + plot_h * (1 - min(v, top) / top)

    title = escape(chart["title"])
    parts = [
        f'<svg class="chart figures" role="group" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{title}: {len(points)} figures from {len(order)} sources,"
        f" {first.isoformat()} to {last.isoformat()}</title>",
    ]
    tick = 0.0
    while tick <= top + step / 2:
        y = y_of(tick)
        parts.append(
            f'<line class="grid" x1="{pad_l}" y1="{y:.1f}" x2="{width - pad_r}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{pad_l - 6}" y="{y + 3:.1f}" text-anchor="end">'
            f"{short_number(tick)}</text>"
        )
        tick += step
    parts.append(
        f'<line class="axis" x1="{pad_l}" y1="{pad_t + plot_h}" x2="{width - pad_r}"'
        f' y2="{pad_t + plot_h}"/>'
    )
    shown = -math.inf
    for d in sorted({d for d in days if d}):
        if x_of(d) - shown < DATE_LABEL_PX:
            continue  # too close to the label before it
        shown = x_of(d)
        parts.append(
            f'<text class="tick" x="{shown:.1f}" y="{height - 10}" text-anchor="middle">'
            f"{d.isoformat()}</text>"
        )
    for source in order:
        mine = sorted(
            ((_day(p["date"]), p) for p in points if p["source"] == source),
            key=lambda dp: dp[0] or first,
        )
        if len(mine) > 1:
            path = " ".join(f"{x_of(d):.1f},{y_of(float(p['value'])):.1f}" for d, p in mine if d)
            parts.append(
                f'<polyline class="series" points="{path}" fill="none"'
                f' stroke="{colour[source]}" stroke-width="1.5"/>'
            )
    for d, p in ((d, p) for d, p in zip(days, points, strict=True) if d):
        x, y = x_of(d), y_of(float(p["value"]))
        c = colour[p["source"]]
        value = long_number(p["value"])
        if p.get("value_max") is not None:
            value += "–" + long_number(p["value_max"])
            parts.append(
                f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x:.1f}"'
                f' y2="{y_of(float(p["value_max"])):.1f}" stroke="{c}" stroke-width="3"'
                ' stroke-opacity=".45"/>'
            )
        via = " via " + " → ".join(p["chain"]) if len(p.get("chain") or []) > 1 else ""
        note = escape(f"{p['source']}{via}: {value} ({p['date']}, {p['title'] or p['article_id']})")
        parts.append(
            f'<a href="{escape(article_url(p["article_id"]))}" aria-label="{note}">'
            '<circle class="point"'
            f' cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{c}" data-source="{escape(p["source"])}">'
            f"<title>{note}</title></circle></a>"
        )
    parts.append("</svg>")
    legend = "".join(
        f'<li><svg class="swatch" width="12" height="12" aria-hidden="true"><rect width="12"'
        f' height="12" fill="{colour[s]}"/></svg> {escape(s)} <span class="meta">{by_count[s]}'
        "</span></li>"
        for s in order
    )
    return Markup(
        f'<figure class="chart-box"><figcaption>{title}</figcaption>{"".join(parts)}'
        f'<ul class="legend-list">{legend}</ul></figure>'
    )


def _bucket(rows: list[dict[str, Any]], limit: int) -> tuple[list[dict[str, Any]], str]:
    """Per-date rows summed per month (or year) when there are more than ``limit`` dates."""
    if len(rows) <= limit:
        return rows, "day"
    for cut, unit in ((7, "month"), (4, "year")):
        merged: dict[str, dict[str, Any]] = {}
        for r in rows:
            key = r["published"][:cut]
            m = merged.setdefault(key, {"published": key, "said": 0, "about": 0})
            m["said"] += r["said"]
            m["about"] += r["about"]
        if len(merged) <= limit or unit == "year":
            return list(merged.values()), unit
    return rows, "day"  # pragma: no cover - the loop returns


def counts_svg(rows: list[dict[str, Any]], width: int = 720, height: int = 170) -> Markup:
    """Stacked bars per published date (a month or a year when there are many): how many
    attributions an entity said, and how many were about it (rows of
    :func:`newsledger.ledger.timeline.timeline_counts`)."""
    dated = [r for r in rows if r.get("published")]
    if not dated:
        return Markup('<p class="empty">No dated attributions.</p>')
    dated, unit = _bucket(dated, 60)
    pad_l, pad_b, pad_t = 40, 30, 10
    plot_w, plot_h = width - pad_l - 10, height - pad_b - pad_t
    top = max(r["said"] + r["about"] for r in dated) or 1
    slot = plot_w / len(dated)
    bar = max(2.0, min(28.0, slot * 0.7))
    parts = [
        f'<svg class="chart counts" role="img" viewBox="0 0 {width} {height}" width="{width}"'
        f' height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>Attributions per {unit}: said and about, {len(dated)} {unit}s</title>",
        f'<line x1="{pad_l}" y1="{pad_t + plot_h}" x2="{width - 10}" y2="{pad_t + plot_h}"'
        ' class="axis"/>',
        f'<text x="{pad_l - 4}" y="{pad_t + 8}" class="tick" text-anchor="end">{top}</text>',
        f'<text x="{pad_l - 4}" y="{pad_t + plot_h}" class="tick" text-anchor="end">0</text>',
    ]
    every = max(1, math.ceil(len(dated) / 8))
    for i, r in enumerate(dated):
        x = pad_l + slot * i + (slot - bar) / 2
        base = pad_t + plot_h
        label = escape(r["published"])
        for kind, colour in (("said", PALETTE[0]), ("about", PALETTE[4])):
            h = plot_h * r[kind] / top
            if h <= 0:
                continue
            parts.append(
                f'<rect class="stack {kind}" x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}"'
                f' height="{h:.1f}" fill="{colour}"><title>{label}: {r[kind]} {kind}</title></rect>'
            )
            base -= h
        if i % every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - 12}" class="tick"'
                f' text-anchor="middle">{label}</text>'
            )
    parts.append("</svg>")
    legend = (
        '<ul class="legend-list">'
        f'<li><svg class="swatch" width="12" height="12" aria-hidden="true"><rect width="12"'
        f' height="12" fill="{PALETTE[0]}"/></svg> said (source, origin or relay)</li>'
        f'<li><svg class="swatch" width="12" height="12" aria-hidden="true"><rect width="12"'
        f' height="12" fill="{PALETTE[4]}"/></svg> about it (named in what was said)</li></ul>'
    )
    return Markup(f'<figure class="chart-box">{"".join(parts)}{legend}</figure>')
