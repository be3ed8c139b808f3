"""The trained attribution tagger: labels, decoding, training on a small corpus, merging."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.eval import polnear
from newsledger.extract.attribution_model import (
    AttributionTagger,
    Tagged,
    decode,
    default_tagger,
    feature_doc,
    token_labels,
)
from newsledger.pipeline import Analyzer, AnalyzerOptions
from newsledger.train.attribution import gold_elements, load_config

SPEAKERS = ["Smith", "The minister", "Police", "Jones", "The agency", "Officials"]
CLAIMS = [
    "the bridge will close in May",
    "taxes would rise next year",
    "the suspect had fled",
    "the vote was fair",
    "prices are falling",
    "the border stays open",
]


def _article(i: int) -> tuple[str, str]:
    """A small article and its brat annotations: an indirect quote and a split quote."""
    who, claim = SPEAKERS[i % 6], CLAIMS[(i + 1) % 6]
    other = CLAIMS[(i + 3) % 6]
    first = f"{who} said that {claim}."
    second = f"“It is {other[4:]},” she told reporters. “We are sure.”"
    text = f"{first} {second}\n"
    s2 = len(first) + 1
    q1 = second.index("”") + 1
    cue2 = second.index("told")
    q2 = second.index("“We")
    ann = [
        f"T1\tSource 0 {len(who)}\t{who}",
        f"T2\tCue {len(who) + 1} {len(who) + 5}\tsaid",
        f"T3\tContent {len(who) + 6} {len(first)}\tthat {claim}.",
        f"T4\tAttribution {len(who) + 1} {len(who) + 5}\tsaid",
        "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3",
        f"T5\tSource {s2 + q1 + 1} {s2 + q1 + 4}\tshe",
        f"T6\tCue {s2 + cue2} {s2 + cue2 + 4}\ttold",
        f"T7\tContent {s2} {s2 + q1};{s2 + q2} {s2 + len(second)}\tx",
        f"T8\tAttribution {s2 + cue2} {s2 + cue2 + 4}\ttold",
        "E2\tAttribution:T8 Source:T5 Cue:T6 Content:T7",
    ]
    return text, "\n".join(ann) + "\n"


def _elements(ann: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """(role, ranges) of every gold attribution in a brat annotation text."""
    gold = polnear.GoldDoc("x", "", polnear.parse_ann(ann))
    return gold_elements(gold)


def write_corpus(root: Path, n_train: int = 12, n_dev: int = 3) -> Path:
    for split, n, offset in (("train", n_train, 0), ("dev", n_dev, 100)):
        (root / "data" / split / "text").mkdir(parents=True)
        (root / "data" / split / "attributions").mkdir(parents=True)
        for i in range(n):
            text, ann = _article(i + offset)
            name = f"pub_2016-01-{i + 1:02d}_{split}{i}"
            (root / "data" / split / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
            (root / "data" / split / "attributions" / f"{name}_ann.ann").write_text(
                ann, encoding="utf-8"
            )
    return root


def small_config(path: Path, epochs: int) -> Path:
    cfg = load_config()
    cfg["training"]["epochs"] = epochs
    cfg["training"]["learn_rate"] = 0.005
    model = cfg["components"]["attribution_tagger"]["model"]["tok2vec"]
    model["embed"]["width"] = model["encode"]["width"] = 32
    model["encode"]["depth"] = 2
    cfg.to_disk(path)
    return path


# ------------------------------------------------------------------- labels and decoding


def test_labels_decode_back_to_the_elements(analyzer: Analyzer) -> None:
    text, ann = _article(1)
    doc = analyzer.nlp(text)
    gold = polnear.parse_ann(ann)
    labels = token_labels(doc, _elements(ann))
    assert set(labels) <= {"O"} | {f"{b}-{r}" for b in "BI" for r in ("CONTENT", "SOURCE", "CUE")}
    tagged = decode(doc, labels)
    assert len(tagged) == 2
    for t, g in zip(tagged, gold, strict=True):
        assert t.content == g.content  # the split quote comes back in its two pieces
        assert t.cue == tuple(g.cue[0]) and t.source == tuple(g.source[0])
        for start, end in [*t.content, t.cue, t.source]:
            assert text[start:end].strip() == text[start:end]


def test_whitespace_inside_a_span_keeps_it_whole(analyzer: Analyzer) -> None:
    text = "Hillary Clinton\xa0was headed to the hospital, the Post said."
    doc = analyzer.nlp(text)
    end = text.index(", the Post")
    labels = token_labels(doc, [("CONTENT", [(0, end)])])
    assert [t.text for t in doc][:4] == ["Hillary", "Clinton", "\xa0", "was"]
    assert labels[:4] == ["B-CONTENT", "I-CONTENT", "I-CONTENT", "I-CONTENT"]
    (t,) = decode(doc, labels)
    assert t.content == [(0, end)]


def test_feature_doc_carries_the_rule_roles(analyzer: Analyzer) -> None:
    text = "Smith said that prices are falling."
    doc = analyzer.nlp(text)
    fdoc = feature_doc(doc, [("SOURCE", [(0, 5)]), ("CUE", [(6, 10)])])
    assert [t.text for t in fdoc] == [t.text for t in doc]
    assert [t.lemma_ for t in fdoc][:3] == ["B-SOURCE", "B-CUE", "O"]
    assert fdoc[0].dep_.startswith("nsubj") and fdoc[0].dep_.endswith(">")


# ------------------------------------------------------------------------------ training


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("tagger")
    corpus = write_corpus(root / "corpus")
    config = small_config(root / "small.cfg", epochs=12)
    out = root / "model"
    result = CliRunner().invoke(
        app,
        ["train", "attribution", "--data", str(corpus), "--out", str(out),
         "--config", str(config), "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out, json.loads(result.stdout)


def test_training_writes_a_loadable_model_with_its_scores(trained: tuple[Path, dict]) -> None:
    out, report = trained
    assert {"config.cfg", "LICENCE.md", "training.json"} <= {p.name for p in out.iterdir()}
    assert "PolNeAR" in (out / "LICENCE.md").read_text(encoding="utf-8")
    assert 1 <= report["best_epoch"] <= 12 and len(report["epochs"]) == 12
    for side in ("dev_rules", "dev_trained"):
        assert set(report[side]) == set(polnear.METRICS)
    saved = json.loads((out / "training.json").read_text(encoding="utf-8"))
    assert saved["dev_trained"] == report["dev_trained"] and saved["settings"]["seed"] == 0


def test_the_tagger_learns_the_training_articles(
    trained: tuple[Path, dict], analyzer: Analyzer
) -> None:
    out, _ = trained
    tagger = AttributionTagger.from_disk(out)
    text, ann = _article(3)
    doc = analyzer.nlp(text)
    want = token_labels(doc, _elements(ann))
    got = tagger.label(doc, [])
    agree = sum(a == b for a, b in zip(want, got, strict=True)) / len(want)
    assert agree >= 0.9, list(zip([t.text for t in doc], want, got, strict=True))


def test_the_trained_pipeline_keeps_offsets_and_finds_the_quotes(
    trained: tuple[Path, dict],
) -> None:
    out, _ = trained
    analyzer = Analyzer(tagger=AttributionTagger.from_disk(out))
    text, _ = _article(4)
    analysis = analyzer.analyze(text)
    for _, span_text, start, end in analysis.spans():
        assert text[start:end] == span_text
    cues = {a.cue.text for a in analysis.attributions}
    assert {"said", "told"} <= cues


def test_a_given_tagger_runs_in_worker_processes_too(trained: tuple[Path, dict]) -> None:
    from newsledger.model import Article

    out, _ = trained
    analyzer = Analyzer(tagger=AttributionTagger.from_disk(out))
    articles = [Article(_article(i)[0], id=f"a{i}") for i in range(6)]
    one = [a.to_dict() for a in analyzer.pipe(articles, jobs=1)]
    two = [a.to_dict() for a in analyzer.pipe(articles, jobs=2)]
    assert one == two


def test_eval_polnear_prints_rules_and_trained_side_by_side(tmp_path: Path) -> None:
    if default_tagger() is None:
        pytest.skip("no trained tagger is shipped in this checkout")
    corpus = write_corpus(tmp_path / "corpus", n_train=0, n_dev=2)
    result = CliRunner().invoke(app, ["eval", "polnear", "--data", str(corpus), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {"rules", "trained"} <= set(report)
    assert report["rules"]["n_gold"] == report["trained"]["n_gold"] == 4


def test_eval_polnear_scores_a_given_tagger_beside_the_rules(
    trained: tuple[Path, dict], tmp_path: Path
) -> None:
    out, _ = trained
    corpus = write_corpus(tmp_path / "corpus", n_train=0, n_dev=2)
    args = ["eval", "polnear", "--data", str(corpus), "--tagger", str(out)]
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rules"]["n_gold"] == report["trained"]["n_gold"] == 4
    table = CliRunner().invoke(app, args)
    assert table.exit_code == 0 and "rules" in table.stdout and "trained" in table.stdout
    missing = CliRunner().invoke(app, ["eval", "polnear", "--tagger", str(tmp_path)])
    assert missing.exit_code == 2 and "--tagger" in missing.output


def test_unknown_attributions_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="attributions mode"):
        Analyzer(attributions="neural")


def test_analyzer_options_describe_an_analyzer_and_pickle() -> None:
    options = AnalyzerOptions(extractors=("names", "quotes"))
    analyzer = Analyzer.from_options(options)
    assert analyzer.options == options
    assert pickle.loads(pickle.dumps(options)) == options
    assert Analyzer().options == AnalyzerOptions(extractors=Analyzer().extractor_names)
    with pytest.raises(ValueError):
        Analyzer.from_options(AnalyzerOptions(attributions="neural"))


def test_analyzer_options_load_the_tagger_from_its_folder(trained: tuple[Path, dict]) -> None:
    out, _ = trained
    analyzer = Analyzer.from_options(AnalyzerOptions(tagger=str(out)))
    assert analyzer.attributions == "trained"
    assert analyzer.tagger is not None
    assert analyzer.options.tagger == str(out)


class OneReading:
    """A tagger that reads "officials … fail" as one content, cued by "diary" (source "his")."""

    sets: frozenset[str] = frozenset()
    adds = True
    add_confidence = 0.7
    alone = False

    def __init__(self, nests_rules: bool) -> None:
        self.nests_rules = nests_rules

    def predict(self, doc, rules) -> list[Tagged]:  # noqa: ANN001 - a Doc and Elements
        text = doc.text
        diary, his = text.index("diary"), text.index("his")
        content = (text.index("officials"), text.index("fail") + len("fail"))
        return [Tagged([content], (diary, diary + 5), (his, his + 3), 0.95)]


@pytest.mark.parametrize("nests_rules", [False, True])
def test_an_added_attribution_nests_a_rules_one_only_when_allowed(nests_rules: bool) -> None:
    text = "In his diary, officials and several of their closest advisers said the plan would fail."
    rules = Analyzer().analyze(text).attributions
    assert [text[a.cue.start : a.cue.end] for a in rules if a.parent is None] == ["said"]
    found = Analyzer(tagger=OneReading(nests_rules)).analyze(text).attributions
    outer = [text[a.cue.start : a.cue.end] for a in found if a.parent is None]
    assert outer == (["diary"] if nests_rules else ["said"])
    for a in found:
        assert text[a.content.start : a.content.end] == a.content.text
