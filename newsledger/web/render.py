"""HTML built in Python: the highlighted article text, snippets and the SVG charts.

Every piece of text that reaches the page goes through :func:`markupsafe.escape`; markup is
only ever put *between* escaped segments, at offsets taken from the record.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

from newsledger.model import Analysis, Attribution

#: private-use characters put around snippet matches by the queries, replaced after escaping
MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"


def article_url(article_id: str) -> str:
    return "/articles/" + quote(article_id, safe="")


def source_url(name: str) -> str:
    return "/sources/" + quote(name, safe="")


def timeline_url(entity: str | int) -> str:
    """An entity's timeline page (by ledger entity id or name)."""
    return "/timeline/" + quote(str(entity), safe="")


def story_url(story_id: int) -> str:
    return f"/stories/{int(story_id)}"


def attribution_url(article_id: str, attribution_id: str) -> str:
    return "/attribution?" + urlencode({"article": article_id, "id": attribution_id})


def snippet_html(snippet: str | None) -> Markup:
    """A snippet with private-use match marks as escaped HTML with ``<mark>`` elements."""
    if not snippet:
        return Markup("")
    out: list[str] = []
    open_ = False
    for i, part in enumerate(snippet.replace(MARK_CLOSE, MARK_OPEN).split(MARK_OPEN)):
        if i:
            out.append("</mark>" if open_ else "<mark>")
            open_ = not open_
        out.append(str(escape(part)))
    if open_:
        out.append("</mark>")
    return Markup("".join(out))


def snippet_plain(snippet: str | None) -> str | None:
    """The same snippet with matches marked ``[`` ``]`` (the JSON form)."""
    if snippet is None:
        return None
    return snippet.replace(MARK_OPEN, "[").replace(MARK_CLOSE, "]")


def chain_text(chain: Iterable[str]) -> str:
    return " → ".join(chain)


# ------------------------------------------------------------------ the article text
@dataclass(slots=True)
class _Layer:
    start: int
    end: int
    role: str  # content | cue | source | issue | date | quantity | event
    attribution: Attribution | None = None
    title: str | None = None


def _layers(analysis: Analysis) -> list[_Layer]:
    layers: list[_Layer] = []
    for a in analysis.attributions:
        layers.append(_Layer(a.content.start, a.content.end, "content", a))
        layers.append(_Layer(a.cue.start, a.cue.end, "cue", a))
        if a.source:
            layers.append(_Layer(a.source.start, a.source.end, "source", a))
    for i in analysis.issues:
        note = i.kind + (f": {i.suggestion}?" if i.suggestion else "")
        if i.message:
            note += f" ({i.message})"
        layers.append(_Layer(i.start, i.end, "issue", title=note))
    for d in analysis.dates:
        layers.append(_Layer(d.start, d.end, "date", title=f"date: {d.value or 'unresolved'}"))
    for q in analysis.quantities:
        value = q.value if q.value_max is None else f"{q.value}–{q.value_max}"
        note = f"quantity: {value}" + (f" {q.unit}" if q.unit else "")
        if q.approximate:
            note += " (approximate)"
        layers.append(_Layer(q.start, q.end, "quantity", title=note))
    for e in analysis.events:
        note = f"event: {e.type}"
        roles = [
            f"{k} {v}" for k, v in (("by", e.actor), ("on", e.target), ("in", e.location)) if v
        ]
        if roles:
            note += " (" + ", ".join(roles) + ")"
        layers.append(_Layer(e.trigger.start, e.trigger.end, "event", title=note))
    n = len(analysis.text)
    return [x for x in layers if 0 <= x.start < x.end <= n]


def attribution_title(a: Attribution) -> str:
    who = a.source.name if a.source else "unattributed"
    title = f"{who} ({a.kind.replace('_', ' ')})"
    if len(a.chain) > 1:
        title += " via " + chain_text(a.chain)
    return title


def highlight_article(analysis: Analysis) -> Markup:
    """The article text as HTML: each attribution's content, cue and source marked by kind,
    misspellings, dates and quantities marked; every text segment escaped."""
    text = analysis.text
    layers = _layers(analysis)
    bounds = sorted({0, len(text), *(x.start for x in layers), *(x.end for x in layers)})
    starts: dict[int, list[_Layer]] = defaultdict(list)
    for x in layers:
        starts[x.start].append(x)
    active: list[_Layer] = []
    out: list[str] = []
    article_id = analysis.article.id
    for left, right in zip(bounds, bounds[1:], strict=False):
        active = [x for x in active if x.end > left] + starts.get(left, [])
        segment = escape(text[left:right])
        if not active:
            out.append(str(segment))
            continue
        classes: list[str] = []
        titles: list[str] = []
        contents = [x for x in active if x.role == "content"]
        inner = min(contents, key=lambda x: x.end - x.start) if contents else None
        for x in active:
            classes.append(x.role)
            if x.title:
                titles.append(x.title)
        # a cue or source links to its own attribution, other text to the innermost content
        marks = [x for x in active if x.role in ("cue", "source")]
        owner = min(marks, key=lambda x: x.end - x.start) if marks else inner
        if inner is not None:
            classes.append("k-" + inner.attribution.kind)  # type: ignore[union-attr]
            if len(contents) > 1:
                classes.append("nested")
        attrs = f' class="{" ".join(sorted(set(classes)))}"'
        if owner is not None and owner.attribution is not None:
            a = owner.attribution
            titles.insert(0, attribution_title(a))
            url = attribution_url(article_id, a.id)
            attrs += (
                f' data-attribution="{escape(a.id)}" href="{escape(url)}"'
                f' hx-get="{escape(url)}" hx-target="#panel" hx-swap="innerHTML"'
            )
            tag = "a"
        else:
            tag = "span"
        if titles:
            attrs += f' title="{escape("; ".join(titles))}"'
        out.append(f"<{tag}{attrs}>{segment}</{tag}>")
    return Markup("".join(out))


# ------------------------------------------------------------------ SVG charts
def timeline_svg(rows: list[dict], width: int = 640, height: int = 140) -> Markup:
    """A bar chart of attributions per published date (rows from ``source_timeline``)."""
    dated = [r for r in rows if r.get("published")]
    if not dated:
        return Markup('<p class="empty">No dated articles for this source.</p>')
    pad_l, pad_b, pad_t = 30, 34, 10
    plot_w, plot_h = width - pad_l - 10, height - pad_b - pad_t
    top = max(r["attributions"] for r in dated)
    slot = plot_w / len(dated)
    bar = max(2.0, min(28.0, slot * 0.7))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}"'
        f' height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>Attributions per publication date, {len(dated)} dates</title>",
        f'<line x1="{pad_l}" y1="{pad_t + plot_h}" x2="{width - 10}" y2="{pad_t + plot_h}"'
        ' class="axis"/>',
        f'<text x="{pad_l - 4}" y="{pad_t + 8}" class="tick" text-anchor="end">{top}</text>',
        f'<text x="{pad_l - 4}" y="{pad_t + plot_h}" class="tick" text-anchor="end">0</text>',
    ]
    every = max(1, math.ceil(len(dated) / 8))
    for i, r in enumerate(dated):
        h = plot_h * r["attributions"] / top
        x = pad_l + slot * i + (slot - bar) / 2
        label = escape(r["published"])
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{pad_t + plot_h - h:.1f}" width="{bar:.1f}"'
            f' height="{h:.1f}"><title>{label}: {r["attributions"]} attributions in'
            f" {r['articles']} articles</title></rect>"
        )
        if i % every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - 18}" class="tick"'
                f' text-anchor="middle">{label}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


# ------------------------------------------------------------------ claims and conflicts
def number(value: object) -> str:
    """A figure as people write it: 14000.0 → ``14,000``, 2.5 → ``2.5``."""
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value) if value is not None else ""
    return f"{v:,.0f}" if v == int(v) else f"{v:,}"


def figure_text(claim: dict) -> str:
    """A claim's figure (``troops/total: 14,000`` or ``people/killed: 100–200``), or ''."""
    if claim.get("facet") is None or claim.get("value") is None:
        return ""
    value = number(claim["value"])
    if claim.get("value_max") is not None:
        value += "–" + number(claim["value_max"])
    return f"{claim['facet']}: {value}"


INDEPENDENCE_TEXT = {
    "independent": "independent: at least two origins say it",
    "relay_only": "relay only: one origin, passed on by several articles",
    "single": "single: one origin, one article",
}
