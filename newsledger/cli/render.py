"""A readable ledger of one analysis, for the terminal (Rich)."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from newsledger.model import Analysis, Attribution

KIND_STYLE = {
    "direct": "green",
    "mixed": "yellow",
    "indirect": "cyan",
    "according_to": "magenta",
    "statement": "blue",
}


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


def render_analysis(analysis: Analysis, console: Console) -> None:
    info = analysis.article
    title = escape(info.title or info.id)
    console.rule(f"[bold]{title}[/]")
    meta = [f"id {escape(info.id)}"]
    if info.published:
        meta.append(f"published {info.published}")
    if info.url:
        meta.append(escape(info.url))
    console.print("  ".join(meta), style="dim", highlight=False)

    counts = Counter(a.source.name for a in analysis.attributions if a.source)
    if counts:
        table = Table(title="Sources", show_edge=False, header_style="bold")
        table.add_column("source")
        table.add_column("statements", justify="right")
        table.add_column("chains")
        for name, n in counts.most_common():
            chains = sorted(
                {
                    " → ".join(a.chain)
                    for a in analysis.attributions
                    if a.source and a.source.name == name
                }
            )
            table.add_row(escape(name), str(n), escape("; ".join(chains)))
        console.print(table)

    tree = Tree("[bold]Attributions[/] (outermost source first)")
    children: dict[str | None, list[Attribution]] = {}
    for att in analysis.attributions:
        children.setdefault(att.parent, []).append(att)

    def grow(node: Tree, parent: str | None) -> None:
        for att in children.get(parent, []):
            grow(node.add(_label(att)), att.id)

    grow(tree, None)
    console.print(tree)

    if analysis.issues:
        issues = Table(title="Flags", show_edge=False, header_style="bold")
        for column in ("kind", "text", "at", "suggestion"):
            issues.add_column(column)
        for issue in analysis.issues:
            issues.add_row(
                issue.kind,
                escape(issue.text),
                f"{issue.start}",
                escape(issue.suggestion or issue.message or ""),
            )
        console.print(issues)
    console.print()
