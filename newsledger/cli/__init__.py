"""The ``newsledger`` command line: one module per command, assembled here."""

from __future__ import annotations

import typer

from newsledger.cli.analyze import analyze
from newsledger.cli.check import check_command
from newsledger.cli.crossdoc import (
    claims_command,
    conflicts_command,
    crossdoc_app,
    timeline_command,
    verdict_command,
)
from newsledger.cli.entities import entities_app
from newsledger.cli.eval import eval_app
from newsledger.cli.export import export
from newsledger.cli.helptext import Group, command
from newsledger.cli.ingest import ingest_command
from newsledger.cli.load import load
from newsledger.cli.query import query_app
from newsledger.cli.serve import serve
from newsledger.cli.show import show
from newsledger.cli.train import train_app
from newsledger.cli.watch import watch_command

__all__ = ["app", "main"]

app = typer.Typer(
    cls=Group,
    name="newsledger",
    help="Who claims what, on whose authority, when, with what figures.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
command(app, "analyze")(analyze)
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")
command(app, "ingest")(ingest_command)
command(app, "check")(check_command)
command(app, "load")(load)
command(app, "show")(show)
app.add_typer(query_app, name="query")
command(app, "export")(export)
app.add_typer(entities_app, name="entities")
command(app, "claims")(claims_command)
command(app, "conflicts")(conflicts_command)
command(app, "verdict")(verdict_command)
command(app, "timeline")(timeline_command)
app.add_typer(crossdoc_app, name="crossdoc")
command(app, "serve")(serve)
command(app, "watch")(watch_command)


def main() -> None:
    app()
