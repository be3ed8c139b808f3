"""A readable report of one analysis, for the terminal (Rich), and its attributions as rows.

The report (``analyze`` and ``show`` in text): the article's title, id, date and address;
its sources; the attributions as a tree (outermost source first); the figures with their
unit and the source they are attributed to; the dates, resolved; the entities; the events;
the flags.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from newsledger.cli import output
from newsledger.model import Analysis, Attribution, Quantity

KIND_STYLE = {
    "direct": "green",
    "mixed": "yellow",
    "indirect": "cyan",
    "according_to": "magenta",
    "statement": "blue",
}
#: what stands for "no source" in the figures, dates and events: the article says it itself
OWN = "(the article)"


def _short(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _label(att: Attribution) -> str:
    style = KIND_STYLE.get(att.kind, "white")
    source = escape(att.source.name) if att.source else "[dim](unnamed)[/]"
    return (
        f"[bold]{source}[/] [dim]{att.id}[/] [{style}]{att.kind}[/] "
        f"[dim]“{escape(att.cue.text)}” {att.confidence:.2f}[/]\n"
        f"  {escape(_short(att.content.text))}"
    )


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


def _value(q: Quantity) -> str:
    value = _number(q.value)
    if q.value_max is not None and q.value_max != q.value:
        value += f"–{_number(q.value_max)}"
    return ("≈" if q.approximate else "") + value


#: the columns of :func:`attribution_rows`
ATTRIBUTION_COLUMNS = (
    "article_id", "attribution_id", "kind", "act", "source", "source_type", "chain", "parent",
    "cue", "content", "content_start", "content_end", "confidence",
)  # fmt: skip


def attribution_rows(analysis: Analysis) -> list[dict[str, Any]]:
    """One row per attribution (``--format csv`` of ``analyze`` and ``show``)."""
    return [
        {
            "article_id": analysis.article.id,
            "attribution_id": a.id,
            "kind": a.kind,
            "act": a.act,
            "source": a.source.name if a.source else None,
            "source_type": a.source.type if a.source else None,
            "chain": a.chain,
            "parent": a.parent,
            "cue": a.cue.text,
            "content": a.content.text,
            "content_start": a.content.start,
            "content_end": a.content.end,
            "confidence": a.confidence,
        }
        for a in analysis.attributions
    ]


def render_analysis(analysis: Analysis, console: Console) -> None:
    """Print the report of ``analysis`` (see the module's docstring)."""
    info = analysis.article
    output.rule(console, f"[bold]{escape(info.title or info.id)}[/]")
    meta = [f"id {escape(info.id)}"]
    if info.published:
        meta.append(f"published {info.published}")
    if info.site:
        meta.append(escape(info.site))
    if info.url:
        meta.append(escape(info.url))
    console.print("  ".join(meta), style="dim", highlight=False)

    by_id = {a.id: a for a in analysis.attributions}

    def source(attribution: str | None) -> str:
        att = by_id.get(attribution or "")
        if att is None:
            return f"[dim]{OWN}[/]"
        return escape(" → ".join(att.chain) or (att.source.name if att.source else "(unnamed)"))

    _sources(analysis, console)
    _attributions(analysis, console)
    if analysis.quantities:
        parts = {q.id: q.text for q in analysis.quantities if q.id}
        table = output.table("figure", "value", "unit", "measure", "note", "source")
        for q in analysis.quantities:
            notes = [n for n, on in (("approximate", q.approximate), ("vague", q.vague)) if on]
            if q.part_of:
                notes.append(f"part of {parts.get(q.part_of, q.part_of)}")
            table.add_row(
                escape(q.text), _value(q), escape(q.unit or ""), escape(q.measure or ""),
                escape(", ".join(notes)), source(q.attribution),
            )  # fmt: skip
        output.print_table(console, table, "Figures")
    if analysis.dates:
        table = output.table("date", "value", "anchored on", "source")
        for d in analysis.dates:
            table.add_row(escape(d.text), d.value or "", d.anchor, source(d.attribution))
        output.print_table(console, table, "Dates")
    if analysis.entities:
        table = output.table("entity", "type", "also called", "mentions", "knowledge base")
        for e in analysis.entities:
            kb = ", ".join(f"{k} {v}" for k, v in sorted(e.kb.items()) if not isinstance(v, dict))
            table.add_row(
                escape(e.name), e.type, escape(", ".join(e.aliases)), str(len(e.mentions)),
                escape(kb),
            )  # fmt: skip
        output.print_table(console, table, "Entities")
    if analysis.events:
        names = {e.id: e.name for e in analysis.entities}
        table = output.table("event", "trigger", "who", "to whom", "where", "when", "source")
        for ev in analysis.events:
            table.add_row(
                ev.type, escape(ev.trigger.text), escape(names.get(ev.actor or "", ev.actor or "")),
                escape(names.get(ev.target or "", ev.target or "")),
                escape(names.get(ev.location or "", ev.location or "")), ev.date or "",
                source(ev.attribution),
            )  # fmt: skip
        output.print_table(console, table, "Events")
    if analysis.issues:
        table = output.table("kind", "text", "at", "suggestion")
        for issue in analysis.issues:
            table.add_row(
                issue.kind, escape(issue.text), f"{issue.start}",
                escape(issue.suggestion or issue.message or ""),
            )  # fmt: skip
        output.print_table(console, table, "Flags")
    console.print()


def _sources(analysis: Analysis, console: Console) -> None:
    counts = Counter(a.source.name for a in analysis.attributions if a.source)
    if not counts:
        console.print("no attributions found")
        return
    table = output.table("source", "statements", "chains")
    for name, n in counts.most_common():
        chains = sorted(
            {
                " → ".join(a.chain)
                for a in analysis.attributions
                if a.source and a.source.name == name
            }
        )
        table.add_row(escape(name), str(n), escape("; ".join(chains)))
    output.print_table(console, table, "Sources")


def _attributions(analysis: Analysis, console: Console) -> None:
    if not analysis.attributions:
        return
    tree = Tree("[bold]Attributions[/] (outermost source first)")
    children: dict[str | None, list[Attribution]] = {}
    for att in analysis.attributions:
        children.setdefault(att.parent, []).append(att)

    def grow(node: Tree, parent: str | None) -> None:
        for att in children.get(parent, []):
            grow(node.add(_label(att)), att.id)

    grow(tree, None)
    console.print(tree)
