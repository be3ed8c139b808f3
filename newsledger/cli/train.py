"""``newsledger train …``: train the learned components on the shared data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsledger.cli import output
from newsledger.cli.common import fail
from newsledger.cli.helptext import Group, command
from newsledger.cli.output import Format, FormatOpt, JsonAlias, chosen_format, print_report
from newsledger.errors import DataNotFound
from newsledger.eval import polnear
from newsledger.train.attribution import train_attribution
from newsledger.train.measure_pairs import train_measure_pairs

train_app = typer.Typer(cls=Group, help="Train the learned components.", no_args_is_help=True)


@command(train_app, "attribution")
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
    encoder: Annotated[
        str | None,
        typer.Option(
            help="minilm: fine-tune the MiniLM encoder (needs the train extra: pip install "
            "'.[train]') instead of the spaCy CNN tagger."
        ),
    ] = None,
    learning_rate: Annotated[
        float, typer.Option(help="Encoder: peak learning rate.", min=1e-7)
    ] = 1e-4,
    format: FormatOpt = Format.text,
    as_json: JsonAlias = False,
) -> None:
    """Train the attribution tagger on PolNeAR train; keep the epoch best on dev.

    Fixed seeds. The spaCy CNN tagger prints the dev scores of the rules alone and of the
    rules merged with the tagger. With --encoder minilm, the encoder is fine-tuned with a
    checkpoint after every epoch (run the same command again to resume), then exported to
    OUT as an int8 ONNX model. To ship either, copy OUT over
    newsledger/resources/models/attribution/.
    """
    fmt = chosen_format(format, as_json)
    if encoder is not None:
        _train_encoder(encoder, data, out, epochs, limit, learning_rate, fmt)
        return
    with output.progress_bar() as bar:
        try:
            result = train_attribution(
                data or polnear.default_data_dir(), out, config=config, epochs=epochs,
                jobs=jobs, limit=limit, progress=bar.update,
            )  # fmt: skip
        except DataNotFound as exc:
            raise fail(str(exc), 2) from exc
    if fmt is not Format.text:
        print_report(fmt, {"out": str(result.out), "best_epoch": result.best_epoch,
                       "seconds": result.seconds, "dev_rules": result.rules,
                       "dev_trained": result.trained, "epochs": result.epochs})  # fmt: skip
        return
    typer.echo(f"trained in {result.seconds:.0f}s; best epoch {result.best_epoch}; saved to {out}")
    typer.echo(f"{'PolNeAR dev F1':<16}{'rules':>8}{'trained':>9}")
    for metric in result.rules:
        typer.echo(
            f"{metric:<16}{result.rules[metric]['f1']:>8.3f}{result.trained[metric]['f1']:>9.3f}"
        )


def _train_encoder(
    encoder: str,
    data: Path | None,
    out: Path,
    epochs: int | None,
    limit: int | None,
    learning_rate: float,
    fmt: Format,
) -> None:
    if encoder != "minilm":
        raise typer.BadParameter(f"unknown encoder {encoder!r}: use minilm", param_hint="--encoder")
    try:
        from newsledger.train import encoder as trainer  # noqa: PLC0415 - the train extra
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise fail(f"the encoder needs the train extra (pip install '.[train]'): {exc}", 2) from exc
    settings = trainer.EncoderSettings(learning_rate=learning_rate, limit=limit)
    if epochs is not None:
        settings.epochs = epochs
    work = out / "training"
    try:
        result = trainer.train(
            work, data, settings, progress=lambda line: typer.echo(line, err=True)
        )
    except DataNotFound as exc:
        raise fail(str(exc), 2) from exc
    model = trainer.export(work / "best", out, max_length=settings.max_length)
    if fmt is not Format.text:
        print_report(fmt, {"out": str(out), "model": str(model), **result})
        return
    typer.echo(f"exported {model} ({model.stat().st_size / 1e6:.1f} MB)")
    for record in result["history"]:
        dev = record["dev"]
        typer.echo(
            f"epoch {record['epoch']}: dev exact F1 source {dev['source']['f1']:.3f} "
            f"cue {dev['cue']['f1']:.3f} content {dev['content']['f1']:.3f}"
        )


@command(train_app, "measure-pairs")
def train_measure_pairs_command(
    data: Annotated[
        list[Path] | None,
        typer.Option(
            metavar="DIR",
            help="A story set folder, repeatable (default: eval/data/stories and stories_blind).",
        ),
    ] = None,
    out: Annotated[Path, typer.Option(help="JSON file to write the model to.")] = Path(
        "models/measure_pairs.json"
    ),
    l2: Annotated[float, typer.Option(min=0.0, help="L2 penalty of the weights.")] = 1.0,
    format: FormatOpt = Format.text,
    as_json: JsonAlias = False,
) -> None:
    """Learn how likely two figures of one story count the same thing, from story gold.

    Every pair of figures of two articles of a story is an example; the statements of one
    gold conflict, corroboration or revision are the positives. Prints the precision and
    recall of each round (or set) scored by a model fitted on the others, at several
    thresholds (the ledger's is the ``measure_chance`` conflict setting). To ship the
    model, copy OUT over newsledger/resources/models/measure_pairs.json.
    """
    fmt = chosen_format(format, as_json)
    folders = data or [Path("eval/data/stories"), Path("eval/data/stories_blind")]
    with output.progress_bar() as bar:
        try:
            model = train_measure_pairs(folders, out, l2=l2, progress=bar.callback("stories"))
        except DataNotFound as exc:
            raise fail(str(exc), 2) from exc
    report = model.as_json()
    if fmt is not Format.text:
        print_report(fmt, report)
        return
    scores = report["scores"]
    typer.echo(f"{scores['pairs']} pairs, {scores['positive']} of one thing; saved to {out}")
    typer.echo(f"{'threshold':<11}{'P':>7}{'R':>7}{'F1':>7}   (each round left out)")
    for t, s in scores["left_out"].items():
        typer.echo(f"{t:<11}{s['p']:>7.3f}{s['r']:>7.3f}{s['f1']:>7.3f}")
