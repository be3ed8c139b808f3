"""``newsledger train …``: train the learned components on the shared data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from newsledger.cli.common import fail, print_json
from newsledger.errors import DataNotFound
from newsledger.eval import polnear
from newsledger.train.attribution import train_attribution

train_app = typer.Typer(help="Train the learned components.", no_args_is_help=True)


@train_app.command("attribution")
def train_attribution_command(
    data: Annotated[
        Path | None, typer.Option(help="PolNeAR folder (default ../shared/data/polnear).")
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder to write the trained tagger to.")] = Path(
        "models/attribution"
    ),
    config: Annotated[
        Path | None, typer.Option(help="Tagger config (default: the shipped one).")
    ] = None,
    epochs: Annotated[int | None, typer.Option(min=1, help="Override the config's epochs.")] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Only the first N train and dev articles.")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Parsing processes.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Train the attribution tagger on PolNeAR train; keep the epoch best on dev.

    Fixed seeds (config [training] seed). Prints the time and the dev scores of the rules
    alone and of the rules merged with the tagger. To ship it, copy OUT over
    newsledger/resources/models/attribution/.
    """
    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console, transient=as_json,
    ) as bar:  # fmt: skip
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        try:
            result = train_attribution(
                data or polnear.default_data_dir(), out, config=config, epochs=epochs,
                jobs=jobs, limit=limit, progress=progress,
            )  # fmt: skip
        except DataNotFound as exc:
            raise fail(str(exc), 2) from exc
    if as_json:
        print_json({"out": str(result.out), "best_epoch": result.best_epoch,
                    "seconds": result.seconds, "dev_rules": result.rules,
                    "dev_trained": result.trained, "epochs": result.epochs})  # fmt: skip
        return
    typer.echo(f"trained in {result.seconds:.0f}s; best epoch {result.best_epoch}; saved to {out}")
    typer.echo(f"{'PolNeAR dev F1':<16}{'rules':>8}{'trained':>9}")
    for metric in result.rules:
        typer.echo(
            f"{metric:<16}{result.rules[metric]['f1']:>8.3f}{result.trained[metric]['f1']:>9.3f}"
        )
