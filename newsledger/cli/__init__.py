"""The ``newsledger`` command line: one module per command, assembled here."""

from __future__ import annotations

import typer

from newsledger.cli.analyze import analyze
from newsledger.cli.eval import eval_app

app = typer.Typer(
    name="newsledger",
    help="Who claims what, on whose authority, when, with what figures.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(analyze)
app.add_typer(eval_app, name="eval")


def main() -> None:
    app()
