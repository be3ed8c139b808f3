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
from newsledger.cli.ingest import ingest_command
from newsledger.cli.load import load
from newsledger.cli.query import query_app
from newsledger.cli.serve import serve
from newsledger.cli.show import show
from newsledger.cli.train import train_app
from newsledger.cli.watch import watch_command

__all__ = ["app", "main"]

app = typer.Typer(
    name="newsledger",
    help="Who claims what, on whose authority, when, with what figures.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(analyze)
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")
app.command("ingest")(ingest_command)
app.command("check")(check_command)
app.command()(load)
app.command()(show)
app.add_typer(query_app, name="query")
app.command()(export)
app.add_typer(entities_app, name="entities")
app.command("claims")(claims_command)
app.command("conflicts")(conflicts_command)
app.command("verdict")(verdict_command)
app.command("timeline")(timeline_command)
app.add_typer(crossdoc_app, name="crossdoc")
app.command()(serve)
app.command("watch")(watch_command)


def main() -> None:
    app()
