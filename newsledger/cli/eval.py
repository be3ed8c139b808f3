"""``newsledger eval …``: accuracy on the shared evaluation data."""

from __future__ import annotations

import time
from collections.abc import Callable, Sized
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from newsledger.cli import output
from newsledger.cli.helptext import Group, command
from newsledger.cli.output import (
    Format,
    FormatOpt,
    JsonAlias,
    ProgressBar,
    chosen_format,
    print_report,
)
from newsledger.errors import DataNotFound
from newsledger.eval import cofenet, crossdoc, polnear, tempeval
from newsledger.eval import ggt as ggt_eval
from newsledger.eval import quantities as quantities_eval
from newsledger.eval import stories as stories_eval
from newsledger.extract.attribution_model import Tagger, default_tagger, load_tagger
from newsledger.pipeline import Analyzer

eval_app = typer.Typer(
    cls=Group, help="Measure accuracy on the shared evaluation data.", no_args_is_help=True
)

R = TypeVar("R")


def _timed(evaluate: Callable[[], R]) -> tuple[R, float]:
    """Run ``evaluate``: its report and the seconds it took; missing data exits with code 2."""
    started = time.perf_counter()
    try:
        report = evaluate()
    except DataNotFound as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    return report, time.perf_counter() - started


def _echo_json(format: Format, report: Any, seconds: float, **extra: Any) -> None:
    """The report in ``format`` (not text), with ``extra`` keys and the seconds it took."""
    print_report(format, {**report.to_dict(), **extra, "seconds": round(seconds, 1)})


def _pipe(
    bar: ProgressBar, analyzer: Analyzer, jobs: int = 1, step: str = "analyze"
) -> Callable[[Any], Any]:
    """``analyzer.pipe`` with ``jobs``, advancing the bar of ``step`` per article."""

    def pipe(articles: Any) -> Any:
        total = len(articles) if isinstance(articles, Sized) else None
        return bar.count(step, analyzer.pipe(articles, jobs=jobs), total)

    return pipe


@command(eval_app, "polnear")
def eval_polnear(
    split: Annotated[str, typer.Option(help="PolNeAR split: train or dev.")] = "dev",
    data: Annotated[
        Path | None, typer.Option(help="PolNeAR folder (default ../shared/data/polnear).")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N articles.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1)] = 1,
    attributions: Annotated[
        str,
        typer.Option(help="rules, trained, or both side by side (trained only when installed)."),
    ] = "both",
    tagger: Annotated[
        Path | None,
        typer.Option(help="A trained tagger folder (newsledger train attribution --out)."),
    ] = None,
    protocol: Annotated[
        str,
        typer.Option(
            help="paired: attributions matched by overlap and exact spans; cofenet: exact "
            "token spans per role over paragraph instances, as CofeNet scores PolNeAR."
        ),
    ] = "paired",
    instances: Annotated[
        Path | None,
        typer.Option(
            help="cofenet: a CofeNet instance file (JSON lines) to score on (default: the "
            "corpus's cofenet/valid.txt for dev; without one, instances are built here)."
        ),
    ] = None,
    format: FormatOpt = Format.text,
    as_json: JsonAlias = False,
) -> None:
    """Attribution P/R/F1 on PolNeAR (content, content+source, exact spans, per kind): the
    rules alone and the rules merged with the trained tagger, in one run. --protocol
    cofenet scores source, cue and content as CofeNet does instead."""
    fmt = chosen_format(format, as_json)
    if attributions not in ("rules", "trained", "both"):
        raise typer.BadParameter("use rules, trained or both", param_hint="--attributions")
    if protocol not in ("paired", "cofenet"):
        raise typer.BadParameter("use paired or cofenet", param_hint="--protocol")
    if instances is not None and protocol != "cofenet":
        raise typer.BadParameter("only with --protocol cofenet", param_hint="--instances")
    modes = ["rules", "trained"] if attributions == "both" else [attributions]
    trained = None
    if tagger is not None:
        if not (tagger / "config.cfg").is_file() and not (tagger / "model.onnx").is_file():
            raise typer.BadParameter(f"{tagger} holds no trained tagger", param_hint="--tagger")
        trained = load_tagger(tagger)
    if "trained" in modes and trained is None and default_tagger() is None:
        if attributions == "trained":
            typer.echo("error: the trained attribution tagger is not installed", err=True)
            raise typer.Exit(2)
        typer.echo("note: the trained attribution tagger is not installed; rules only", err=True)
        modes = ["rules"]
    if protocol == "cofenet":
        _eval_cofenet(split, data, limit, jobs, modes, trained, instances, fmt)
        return
    reports: dict[str, polnear.Report] = {}
    seconds: dict[str, float] = {}
    with output.progress_bar() as bar:
        for mode in modes:
            analyzer = Analyzer(attributions=mode, tagger=trained if mode == "trained" else None)

            def run(analyzer: Analyzer = analyzer, mode: str = mode) -> polnear.Report:
                return polnear.evaluate(
                    data or polnear.default_data_dir(),
                    split,
                    _pipe(bar, analyzer, jobs, mode),
                    limit=limit,
                )

            reports[mode], seconds[mode] = _timed(run)
    if fmt is not Format.text:
        out = {m: {**r.to_dict(), "seconds": round(seconds[m], 1)} for m, r in reports.items()}
        print_report(fmt, {"split": split, **out})
        return
    if len(reports) > 1:
        typer.echo(polnear.format_comparison(reports))
        typer.echo("")
    for mode, report in reports.items():
        typer.echo(f"PolNeAR {split} — {mode} ({seconds[mode]:.1f}s)")
        typer.echo(polnear.format_report(report))
        typer.echo("")


def _eval_cofenet(
    split: str,
    data: Path | None,
    limit: int | None,
    jobs: int,
    modes: list[str],
    trained: Tagger | None,
    instances: Path | None,
    fmt: Format,
) -> None:
    """``eval polnear --protocol cofenet``: one report per attribution mode."""
    reports: dict[str, cofenet.CofenetReport] = {}
    seconds: dict[str, float] = {}
    with output.progress_bar() as bar:
        for mode in modes:
            analyzer = Analyzer(attributions=mode, tagger=trained if mode == "trained" else None)

            def run(analyzer: Analyzer = analyzer, mode: str = mode) -> cofenet.CofenetReport:
                return cofenet.evaluate_cofenet(
                    data or polnear.default_data_dir(),
                    split,
                    _pipe(bar, analyzer, jobs, mode),
                    instances_file=instances,
                    limit=limit,
                )

            reports[mode], seconds[mode] = _timed(run)
    if fmt is not Format.text:
        out = {m: {**r.to_dict(), "seconds": round(seconds[m], 1)} for m, r in reports.items()}
        print_report(fmt, {"split": split, "protocol": "cofenet", **out})
        return
    for mode, report in reports.items():
        typer.echo(f"PolNeAR {split} — {mode} ({seconds[mode]:.1f}s)")
        typer.echo(cofenet.format_cofenet_report(report))
        typer.echo("")


@command(eval_app, "crossdoc")
def eval_crossdoc(
    data: Annotated[
        Path | None, typer.Option(help="Shared data folder (default ../shared/data).")
    ] = None,
    limit: Annotated[
        int | None, typer.Option(help="SemEval: only the first N incidents with ≥ 2 articles.")
    ] = 100,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1)] = 1,
    skip_semeval: Annotated[bool, typer.Option(help="Only ECB+.")] = False,
    skip_ecbplus: Annotated[bool, typer.Option(help="Only SemEval-2018 task 5.")] = False,
    db: Annotated[
        Path | None,
        typer.Option(help="SemEval: keep the analyzed articles in this ledger and reuse them."),
    ] = None,
    hand_counts: Annotated[
        Path | None,
        typer.Option(help="SemEval: hand-read counts per article (default: the shipped file)."),
    ] = None,
    errors: Annotated[
        int,
        typer.Option(help="SemEval: also list N conflicts of development incidents false by hand."),
    ] = 0,
    format: FormatOpt = Format.text,
    as_json: JsonAlias = False,
) -> None:
    """Across articles: SemEval-2018 task 5 (incident clustering, count conflicts) and ECB+
    (cross-document event coreference, CoNLL F1 against the same-lemma baseline)."""
    fmt = chosen_format(format, as_json)
    report: dict = {}
    try:
        if not skip_ecbplus:
            started = time.perf_counter()
            report["ecbplus"] = crossdoc.evaluate_ecbplus(data)
            report["ecbplus"]["seconds"] = round(time.perf_counter() - started, 1)
        if not skip_semeval:
            analyzer = Analyzer()
            started = time.perf_counter()
            hand = crossdoc.load_hand_counts(hand_counts)
            if hand_counts and not hand:
                raise DataNotFound(f"hand counts not found: {hand_counts}")
            with output.progress_bar() as bar:
                report["semeval2018_task5"] = crossdoc.evaluate_semeval(
                    _pipe(bar, analyzer, jobs), data, limit=limit, db=db, hand=hand
                )
            report["semeval2018_task5"]["limit"] = limit
            report["semeval2018_task5"]["seconds"] = round(time.perf_counter() - started, 1)
    except DataNotFound as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if fmt is not Format.text:
        print_report(fmt, report)
        return
    if "ecbplus" in report:
        e = report["ecbplus"]
        typer.echo(f"ECB+ topics 1–35: {e['mentions']} event mentions, {e['documents']} documents")
        for part, r in (("1–35", e), ("1–20", e["topics_1_20"]), ("21–35", e["topics_21_35"])):
            for name in ("same_lemma", "ours"):
                s = r[name]
                typer.echo(
                    f"  {part:6} {name:10} MUC {s['muc']['f1']:.3f}  B3 {s['bcubed']['f1']:.3f}"
                    f"  CEAF-e {s['ceafe']['f1']:.3f}  CoNLL {s['conll_f1']:.3f}"
                )
    if "semeval2018_task5" in report:
        s = report["semeval2018_task5"]
        c, k = s["clustering_pairwise"], s["conflicts"]
        typer.echo(f"SemEval-2018 task 5: {s['incidents']} incidents, {s['articles']} articles")
        typer.echo(
            f"  same-incident pairs: P {c['precision']:.3f} R {c['recall']:.3f} "
            f"F1 {c['f1']:.3f} ({c['predicted_pairs']} predicted, {c['gold_pairs']} gold)"
        )
        for name, block in (
            ("all", k),
            ("development (first 900)", s.get("development")),
            ("held out (901 on)", s.get("held_out")),
            ("fresh (read once the rules were set)", s.get("fresh")),
        ):
            if block:
                typer.echo(f"  count conflicts, {name}:")
                typer.echo(_conflict_lines(block))
        for e in s["development_false"][:errors]:
            typer.echo(
                f"  false by hand: incidents {'/'.join(dict.fromkeys(e['incidents']))}, "
                f"articles {e['articles'][0][:8]} vs {e['articles'][1][:8]}: hand killed "
                f"{e['hand_killed']}, injured {e['hand_injured']}; {e['explanation'][:120]}"
            )


def _conflict_lines(k: dict) -> str:
    h = k["hand"]
    lines = [
        f"    reference reader: {k['surfaced']}/{k['reference_disagreeing_incidents']} "
        f"disagreeing incidents surfaced (recall {k['recall']:.3f}); "
        f"{k['false']}/{k['reported']} reported conflicts false ({k['false_rate']:.3f}); "
        f"by every stated count {k['false_stated']}/{k['reported']} "
        f"({k['false_stated_rate']:.3f})",
    ]
    if h["incidents_read"]:
        lines.append(
            f"    read by hand ({h['incidents_read']} incidents): {h['surfaced']}/"
            f"{h['disagreeing_incidents']} disagreeing incidents surfaced (recall "
            f"{h['recall']:.3f}; {h['surfaced_true']} by a conflict whose counts really differ, "
            f"{h['recall_true']:.3f}); {h['false']}/{h['judged']} judged conflicts false "
            f"({h['false_rate']:.3f}; {h['unjudged']} unjudged); by every stated toll "
            f"{h['false_every_stated']}/{h['judged']} ({h['false_every_stated_rate']:.3f})"
        )
    if f := k.get("figures"):
        lines.append(
            f"    killed/injured figures read from articles read by hand: {f['right']}/"
            f"{f['right'] + f['wrong']} a toll the article states ({f['precision']:.3f}; "
            f"{f['no_hand_toll']} of a kind it states no toll of)"
        )
    if (r := k.get("ranked")) and r["judged"]:
        at = ", ".join(f"top {n} {v['precision']:.3f}" for n, v in r["at"].items())
        lines.append(
            f"    surest judged conflicts ({r['judged']} judged), precision by hand: "
            f"{at or 'fewer than 10 judged'}"
        )
        lines.append(
            "    precision/recall by confidence: "
            + "; ".join(
                f"≥{c['confidence']:.2f} P {c['precision']:.2f} R {c['recall']:.2f}"
                for c in r["curve"]
            )
        )
    if h["random_incidents_read"]:
        lines.append(
            f"    incidents drawn at random ({h['random_incidents_read']} read): "
            f"{h['random_disagreeing']} disagree, {h['random_surfaced_true']} surfaced by a "
            f"conflict whose counts really differ (recall {h['random_recall_true']:.3f})"
        )
    return "\n".join(lines)


@command(eval_app, "quantities")
def eval_quantities(
    data: Annotated[
        Path | None,
        typer.Option(help="quantulum3 data folder (default ../shared/data/quantities_quantulum3)."),
    ] = None,
    format: FormatOpt = Format.text,
    as_json: JsonAlias = False,
) -> None:
    """Quantity values and units on quantulum3's test sentences (counts and money in scope)."""
    fmt = chosen_format(format, as_json)
    analyzer = Analyzer()
    with output.progress_bar() as bar:
        report, seconds = _timed(
            lambda: quantities_eval.evaluate(
                data or quantities_eval.default_data_dir(), _pipe(bar, analyzer)
            )
        )
    if fmt is not Format.text:
        _echo_json(fmt, report, seconds)
    else:
        typer.echo(quantities_eval.format_report(report))


@command(eval_app, "ggt")
def eval_ggt(
    data: Annotated[
        Path | None,
        typer.Option(help="GGT folder or JSONL file (default ../shared/data/ggt)."),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N articles.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1)] = 1,
    errors: Annotated[
        bool, typer.Option("--errors", help="List wrong speakers, misses, false positives.")
    ] = False,
    attributions: Annotated[
        str, typer.Option(help="rules, or trained (the rules merged with the trained tagger).")
    ] = "rules",
    format: FormatOpt = Format.text,
    as_json: JsonAlias = False,
) -> None:
    """Quotes and speakers on the Gender Gap Tracker's annotated articles: quote P/R/F1 at
    0.3 and 0.5 character coverage, speaker accuracy of the quotes found, by kind and act."""
    fmt = chosen_format(format, as_json)
    if attributions not in ("rules", "trained"):
        raise typer.BadParameter("use rules or trained", param_hint="--attributions")
    analyzer = Analyzer(attributions=attributions)
    with output.progress_bar() as bar:
        report, seconds = _timed(
            lambda: ggt_eval.evaluate(_pipe(bar, analyzer, jobs), data=data, limit=limit)
        )
    if fmt is not Format.text:
        print_report(fmt, {**report.to_dict(errors=errors), "seconds": round(seconds, 1)})
        return
    typer.echo(ggt_eval.format_report(report))
    typer.echo(f"  ({seconds:.1f}s)")
    if errors:
        typer.echo("")
        typer.echo(ggt_eval.format_errors(report))


@command(eval_app, "dates")
def eval_dates(
    data: Annotated[
        Path | None,
        typer.Option(
            help="TempEval-3 folder holding TBAQ-cleaned (default ../shared/data/tempeval3)."
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N documents.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1)] = 1,
    errors: Annotated[int, typer.Option(help="Also list the N most frequent errors.")] = 0,
    format: FormatOpt = Format.text,
    as_json: JsonAlias = False,
) -> None:
    """Date P/R/F1 on TempEval-3 (TimeBank + AQUAINT): strict and relaxed spans, value F1."""
    fmt = chosen_format(format, as_json)
    analyzer = Analyzer(extractors=["dates"])
    with output.progress_bar() as bar:
        report, seconds = _timed(
            lambda: tempeval.evaluate(
                data or tempeval.default_data_dir(), _pipe(bar, analyzer, jobs), limit=limit
            )
        )
    if fmt is not Format.text:
        _echo_json(fmt, report, seconds)
        return
    typer.echo(f"TempEval-3 dates (TBAQ-cleaned) — rules ({seconds:.1f}s)")
    typer.echo(tempeval.format_report(report))
    if errors:
        typer.echo("")
        typer.echo(tempeval.format_errors(report, errors))


@command(eval_app, "stories")
def eval_stories(
    data: Annotated[
        Path | None,
        typer.Option(
            help="Stories folder: articles.jsonl + gold.json (default eval/data/stories)."
        ),
    ] = None,
    per_story: Annotated[
        bool, typer.Option("--per-story", help="Also list the scores story by story.")
    ] = False,
    story: Annotated[
        list[str] | None, typer.Option(help="Only this story (by id; repeatable).")
    ] = None,
    errors: Annotated[
        bool, typer.Option("--errors", help="List the misses and false positives.")
    ] = False,
    format: FormatOpt = Format.text,
    as_json: JsonAlias = False,
) -> None:
    """Invented multi-article stories: figure conflicts P/R/F1, revisions misreported as
    conflicts, denials linked, corroborations, relay chains — measured in one ledger of all
    stories and in one ledger per story (both are always printed)."""
    fmt = chosen_format(format, as_json)
    analyzer = Analyzer()
    with output.progress_bar() as bar:
        started: list[str] = []

        def step(what: str) -> None:  # a ledger is started: the ones before it are done
            bar.update("ledgers", len(started))
            started.append(what)

        report, seconds = _timed(
            lambda: stories_eval.evaluate(data, analyzer, stories=story or None, progress=step)
        )
        bar.update("ledgers", len(started))
    if fmt is not Format.text:
        out = report.to_dict(errors=errors, by_story=per_story)
        print_report(fmt, {**out, "seconds": round(seconds, 1)})
        return
    typer.echo(stories_eval.format_report(report, by_story=per_story))
    typer.echo(f"  ({seconds:.1f}s)")
    if errors:
        typer.echo("")
        typer.echo(stories_eval.format_errors(report))
