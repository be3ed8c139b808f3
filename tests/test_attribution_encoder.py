"""The shipped attribution encoder (newsledger/resources/models/attribution/): its files and
model card, exact spans on known text, and trained mode in the pipeline (one process and
forked workers). Inference only: CI never trains."""

from __future__ import annotations

import hashlib
import pickle
import re
from pathlib import Path

import pytest

from newsledger.extract.attribution_model import (
    EncoderAttributionTagger,
    cue_marks,
    default_tagger,
    load_tagger,
    model_path,
)
from newsledger.extract.encoder_tagger import MODEL_FILE, EncoderTagger, paragraphs
from newsledger.model import Article

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "article.txt"
FOLDER = model_path()

pytestmark = pytest.mark.skipif(
    not (FOLDER / MODEL_FILE).is_file(), reason=f"no attribution encoder at {FOLDER}"
)

TEXT = (
    "Officials in the capital confirmed on Monday that the bridge would stay closed until "
    'March.\n\n"We have no choice," the transport minister, Ana Ruiz, told reporters. '
    '"The cracks are too deep."\n\n'
    "According to the city's engineers, repairs will cost at least $40 million."
)


@pytest.fixture(scope="module")
def encoder() -> EncoderTagger:
    return EncoderTagger(FOLDER)


def test_the_model_is_small_and_its_card_names_its_hash() -> None:
    model = FOLDER / MODEL_FILE
    assert model.stat().st_size <= 25 * 1024 * 1024
    card = (FOLDER / "MODEL_CARD.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(model.read_bytes()).hexdigest()
    assert digest in card
    for needed in ("all-MiniLM-L6-v2", "Apache-2.0", "PolNeAR", "research", "newsledger train"):
        assert needed in card


def test_exact_spans_on_a_known_text(encoder: EncoderTagger) -> None:
    (spans,) = encoder.spans([TEXT])
    found = {(role, TEXT[s:e]) for role, s, e, _ in spans}
    assert ("source", "Officials in the capital") in found
    assert ("cue", "confirmed") in found
    assert ("content", "that the bridge would stay closed until March") in found
    assert ("content", '"We have no choice,"') in found
    assert ("content", '"The cracks are too deep."') in found
    assert ("source", "the transport minister, Ana Ruiz,") in found
    assert ("cue", "told") in found
    assert ("cue", "According to") in found
    assert ("source", "the city's engineers") in found
    assert ("content", "repairs will cost at least $40 million") in found
    for _role, s, e, score in spans:
        assert 0 <= s < e <= len(TEXT) and 0.0 < score <= 1.0


def test_spans_are_sorted_within_paragraphs(encoder: EncoderTagger) -> None:
    (spans,) = encoder.spans([TEXT])
    assert spans == sorted(spans, key=lambda x: (x[1], x[2]))
    for _role, s, e, _ in spans:
        assert not re.search(r"\n\s*\n", TEXT[s:e])  # no span runs over a blank line


@pytest.mark.skipif(not SEED.is_file(), reason=f"seed article absent: {SEED}")
def test_seed_article_chains_hold_in_trained_mode() -> None:
    from newsledger.pipeline import Analyzer

    text = SEED.read_text(encoding="utf-8")
    analysis = Analyzer(attributions="trained").analyze(text)
    for att in analysis.attributions:
        for span in (att.cue, att.content, *att.content_parts):
            assert text[span.start : span.end] == span.text
        if att.source is not None:
            assert text[att.source.start : att.source.end] == att.source.text
    sources = {a.source.text for a in analysis.attributions if a.source is not None}
    assert "The KCNA" in sources or "KCNA" in sources
    nested = [a for a in analysis.attributions if a.parent is not None]
    assert nested, "the KCNA relays Kim: a nested chain"


def test_the_tagger_pickles_without_its_session() -> None:
    tagger = load_tagger(FOLDER)
    assert isinstance(tagger, EncoderAttributionTagger)
    tagger.add_confidence = 0.55
    copy = pickle.loads(pickle.dumps(tagger))
    assert copy.folder == tagger.folder and copy.add_confidence == 0.55
    assert copy.encoder.spans(["He said it was over."])[0]
    assert default_tagger() is not None


def test_forked_workers_give_what_one_process_gives() -> None:
    from newsledger.pipeline import Analyzer

    articles = [Article(text=TEXT, id="a"), Article(text=TEXT.replace("Monday", "Friday"), id="b")]
    analyzer = Analyzer(attributions="trained")
    one = [
        [(x.cue.start, x.content.start, x.content.end) for x in r.attributions]
        for r in analyzer.pipe(articles, jobs=1)
    ]
    two = [
        [(x.cue.start, x.content.start, x.content.end) for x in r.attributions]
        for r in Analyzer(attributions="trained").pipe(articles, jobs=2)
    ]
    assert one == two


def test_paragraphs_with_a_rule_cue_are_not_read_when_skipped() -> None:
    from newsledger.nlp import load_model

    doc = load_model()(TEXT)
    second = TEXT.index('"We have')
    told = TEXT.index("told")
    rules = [("CUE", [(told, told + len("told"))])]
    tagger = EncoderAttributionTagger(FOLDER)

    def in_second(t) -> bool:  # noqa: ANN001 - a Tagged
        return any(second <= s < TEXT.index("According") for s, _ in t.content)

    assert tagger.skip_ruled, "trained mode leaves the rules' paragraphs to the rules"
    read = tagger.predict(doc, rules)
    assert read and not any(in_second(t) for t in read)
    tagger.alone = True  # measuring the encoder by itself: every paragraph
    assert any(in_second(t) for t in tagger.predict(doc, rules))
    tagger.alone, tagger.skip_ruled = False, False
    assert any(in_second(t) for t in tagger.predict(doc, rules))


class Recorder:
    """Stands in for the ONNX encoder: notes which paragraphs it was told to leave out."""

    def __init__(self) -> None:
        self.left: list[str] = []

    def spans(self, texts, skip):  # noqa: ANN001, ANN201 - EncoderTagger.spans' own types
        (text,), (leave,) = texts, skip
        self.left = [text[s:e] for s, e in paragraphs(text) if leave(s, e)]
        return [[]]


class Recorded(EncoderAttributionTagger):
    @property
    def encoder(self) -> Recorder:  # type: ignore[override]
        if not hasattr(self, "recorder"):
            self.recorder = Recorder()
        return self.recorder


def test_paragraphs_without_a_cue_word_or_quotation_mark_are_not_read() -> None:
    from newsledger.nlp import load_model

    plain = "The bridge opened in 1962 and carries 40,000 cars a day."
    text = TEXT + "\n\n" + plain
    doc = load_model()(text)
    marks = cue_marks(doc, text)
    assert text.index("confirmed") in marks and text.index("According") in marks
    assert text.index('"We') in marks
    assert not any(text.index(plain) <= m for m in marks)
    tagger = Recorded(FOLDER)
    assert tagger.skip_uncued, "trained mode reads only where an attribution may be cued"
    tagger.predict(doc, [])
    assert tagger.recorder.left == [plain]
    said = text.index("told")
    tagger.predict(doc, [("CUE", [(said, said + 4)])])  # the rules' paragraph, and the plain one
    assert tagger.recorder.left == [text[text.index('"We') : text.index("\n\nAccording")], plain]
    tagger.skip_uncued = False
    tagger.predict(doc, [])
    assert tagger.recorder.left == []
