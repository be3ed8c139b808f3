"""How ``--help`` reads: whole paragraphs, plain metavars, click-style usage lines.

Docstrings are wrapped at the source's line length; Typer's Rich help keeps those line
breaks in every paragraph but the first, so a terminal of another width shows sentences
broken mid-line. :func:`reflow` joins the lines of each paragraph (lists and indented
blocks keep their lines) and lets Rich wrap them to the terminal. Every command is made
with :class:`Command` (through :func:`command`), which reflows its help, names each
argument and option value in capitals (``PATH|URL...``, ``--db FILE``, ``--limit N``)
instead of Typer's ``{paths}...`` and ``<str>``, and shows flags without a type.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any, TypeVar, get_args, get_origin

import typer
from typer._click import Context
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

__all__ = ["Command", "Group", "command", "reflow"]

F = TypeVar("F", bound=Callable[..., Any])

# a line that starts its own line in a reflowed paragraph: a list item or an indented block
_OWN_LINE = re.compile(r"^(\s+|[-*•] |\d+[.)] )")


def reflow(text: str | None) -> str | None:
    """``text`` with each paragraph's lines joined into one (blank lines separate
    paragraphs; list items and indented lines stay on lines of their own)."""
    if not text:
        return text
    paragraphs = re.split(r"\n[ \t]*\n", inspect.cleandoc(text))
    out = []
    for paragraph in paragraphs:
        lines: list[str] = []
        for line in paragraph.splitlines():
            if lines and not _OWN_LINE.match(line):
                lines[-1] = f"{lines[-1].rstrip()} {line.strip()}"
            else:
                lines.append(line.rstrip())
        out.append("\n".join(lines))
    return "\n\n".join(out)


_NAMES = {str: "TEXT", int: "N", float: "NUMBER", bool: ""}


def _metavar(param: TyperOption) -> str | None:
    """A metavar for an option that has none: its choices, or its type's name in capitals
    (``N``, ``TEXT``, ``PATH``); "" for a flag."""
    if param.is_flag or param.count:
        return ""
    desc = param.type_descriptor
    if desc.is_choice:
        return "|".join(str(getattr(c, "value", c)) for c in desc.choices or ())
    if desc.is_path:
        return "PATH"
    annotation = desc.annotation
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    return _NAMES.get(annotation) if isinstance(annotation, type) else None


class _Argument(TyperArgument):
    """An argument shown by its metavar alone (the type beside it would repeat it)."""

    def display_type_rich(self, ctx: Context) -> str | None:  # noqa: ARG002
        return None


class Command(TyperCommand):
    """A Typer command whose help reads well: see the module's docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = reflow(self.help)
        for param in self.params:
            if isinstance(param, TyperArgument):
                if param.metavar is None:
                    param.metavar = (param.name or "value").upper()
                param.__class__ = _Argument
            elif isinstance(param, TyperOption) and param.metavar is None:
                param.metavar = _metavar(param)

    def get_help_option(self, ctx: Context) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        """``[OPTIONS] PATH...``: required arguments bare, optional ones in brackets."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = param.metavar or (param.name or "value").upper()
                name += "..." if param.nargs != 1 else ""
                pieces.append(name if param.required else f"[{name}]")
        return pieces


class Group(TyperGroup):
    """A Typer group (``newsledger``, ``newsledger query`` …) whose help reads as
    :class:`Command`'s does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = reflow(self.help)

    def get_help_option(self, ctx: Context) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option


def command(app: typer.Typer, name: str | None = None, **kwargs: Any) -> Callable[[F], F]:
    """``app.command(name)`` made with :class:`Command`."""
    return app.command(name, cls=Command, **kwargs)
