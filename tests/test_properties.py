"""Property tests: analyze never raises, offsets always index the text, JSON round-trips."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsledger.model import Analysis
from newsledger.pipeline import Analyzer

QUOTES = "“”\"'‘’«»‹›„`"
PUNCT = ".,;:!?-—–()[]/…"

# Characters weighted towards what the quote scanner and the parser care about.
chars = st.one_of(
    st.sampled_from(QUOTES),
    st.sampled_from(PUNCT),
    st.sampled_from(" \n\n\t\u00a0"),
    st.characters(codec="utf-8", categories=("Lu", "Ll", "Nd")),
    st.characters(codec="utf-8"),
)
raw_text = st.text(chars, max_size=200)

VOCAB = [
    "said",
    "says",
    "told reporters",
    "according to",
    "As per",
    "citing",
    "quoted",
    "as saying",
    "In a statement released by",
    "his claim that",
    "that",
    "He",
    "she",
    "they",
    "sources",
    "the ministry",
    "Kim Jong Un",
    "Kim",
    "KCNA",
    "Angela Merkel",
    "Reuters",
    "the minister",
    "taxes will rise",
    "troops were sent",
    '"',
    "“",
    "”",
    "'",
    "‘",
    "’",
    "«",
    "»",
    "''",
    ",",
    ".",
    ":",
    " - ",
    "\n",
    "(KCNA)",
]
sentences = st.lists(st.sampled_from(VOCAB), max_size=40).map(" ".join)
texts = st.one_of(raw_text, sentences)

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def check(analysis: Analysis, text: str) -> None:
    assert analysis.text == text
    for where, span_text, start, end in analysis.spans():
        assert 0 <= start <= end <= len(text), (where, start, end)
        assert text[start:end] == span_text, where
    ids = {a.id for a in analysis.attributions}
    for a in analysis.attributions:
        assert a.kind in ("direct", "mixed", "indirect", "according_to", "statement")
        assert 0.0 <= a.confidence <= 1.0
        assert a.parent is None or a.parent in ids
    data = analysis.to_dict()
    assert Analysis.from_dict(data, text).to_dict() == data


@SETTINGS
@given(text=texts)
def test_analyze_never_raises_and_spans_hold(analyzer: Analyzer, text: str) -> None:
    check(analyzer.analyze(text), text)


@SETTINGS
@given(text=sentences, published=st.none() | st.dates().map(lambda d: d.isoformat()))
def test_json_round_trip(analyzer: Analyzer, text: str, published: str | None) -> None:
    analysis = analyzer.analyze(text, published=published, title="t", url="https://x.test/")
    check(analysis, text)
    data = analysis.to_dict(include_text=True)
    assert Analysis.from_dict(data).to_dict(include_text=True) == data
