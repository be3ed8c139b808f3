"""Hostile input: reading stays linear in time and bounded in memory, offsets still hold.

The parse runs on bounded pieces joined back into one Doc over exactly the text; the
attribution rules read a huge or quote-packed text in bounded windows. Sizes here are small,
but large enough that quadratic work would show (time at n against 4n).
"""

from __future__ import annotations

import time

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsledger import nlp as nlp_module
from newsledger.extract import attributions
from newsledger.extract.attributions import attribution_windows
from newsledger.extract.quotes import Quote, QuoteScan, find_quotes
from newsledger.model import Analysis
from newsledger.nlp import MAX_RUN_CHARS, MAX_TEXT_CHARS, parse_pieces, parse_texts
from newsledger.pipeline import Analyzer


def covers(pieces: list[tuple[int, int]], text: str) -> bool:
    return "".join(text[a:b] for a, b in pieces) == text and all(a < b for a, b in pieces)


def test_a_normal_text_is_one_piece() -> None:
    text = "Kim said the troops were sent.\n\n" * 200
    assert parse_pieces(text) == [(0, len(text))]
    assert parse_pieces("") == [(0, 0)]


def test_a_long_text_is_cut_at_line_breaks_then_sentences_then_spaces() -> None:
    text = ("A sentence here. " * 30 + "\n") * 40
    pieces = parse_pieces(text, size=1_000, run=50)
    assert covers(pieces, text) and len(pieces) > 1
    assert all(b - a <= 1_000 for a, b in pieces)
    assert all(text[b - 1] == "\n" for _, b in pieces[:-1])
    one_line = "A sentence here. " * 300
    pieces = parse_pieces(one_line, size=1_000, run=50)
    assert covers(pieces, one_line) and all(one_line[b - 2 : b] == ". " for _, b in pieces[:-1])
    words = "word " * 1_000
    assert all(words[b - 1] == " " for _, b in parse_pieces(words, size=700, run=50)[:-1])


def test_a_run_without_whitespace_is_cut() -> None:
    text = "a " + '"' * (3 * MAX_RUN_CHARS + 7) + " b"
    pieces = parse_pieces(text)
    assert covers(pieces, text)
    assert max(b - a for a, b in pieces) <= MAX_RUN_CHARS + 2


def test_pieces_are_found_in_linear_time() -> None:
    text = ("x" * 400 + " ") * 4_000 + '"' * 200_000  # 1.8M characters
    start = time.perf_counter()
    pieces = parse_pieces(text)
    assert time.perf_counter() - start < 2.0
    assert covers(pieces, text)


def test_joined_pieces_keep_the_text_and_every_offset() -> None:
    blank = spacy.blank("en")
    long = ("He said “yes” on Monday. " * 5_000) + '"' * 5_000 + " end"
    texts = ["short one", long, "another"]
    docs = list(parse_texts(blank, texts, batch_size=4))
    assert [d.text for d in docs] == texts
    for doc in docs:
        text = doc.text
        assert all(text[t.idx : t.idx + len(t)] == t.text for t in doc)


def test_a_quote_mark_run_tokenizes_in_linear_time() -> None:
    blank = spacy.blank("en")
    start = time.perf_counter()
    (doc,) = parse_texts(blank, ['"' * 40_000], batch_size=1)
    elapsed = time.perf_counter() - start
    assert doc.text == '"' * 40_000
    assert elapsed < 3.0  # whole, the tokenizer takes minutes over this run


def test_a_text_over_the_limit_is_cut_and_flagged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp_module, "MAX_TEXT_CHARS", 50)
    blank = spacy.blank("en")
    (doc,) = parse_texts(blank, ["word " * 40], batch_size=1)
    assert doc.text == ("word " * 40)[:50]
    assert MAX_TEXT_CHARS == 1_500_000


def scan_of(starts: list[int]) -> QuoteScan:
    return QuoteScan([Quote(s, s + 3, closed=True, double=True) for s in starts], [])


def test_windows_cover_the_doc_within_their_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attributions, "WINDOW_CHARS", 500)
    monkeypatch.setattr(attributions, "SPLIT_CHARS", 200)
    monkeypatch.setattr(attributions, "SPLIT_QUOTES", 3)
    blank = spacy.blank("en")
    text = 'Kim said "yes" and "no". ' * 60
    doc = blank(text)
    windows = attribution_windows(doc, find_quotes(text))
    assert windows[0][0] == 0 and windows[-1][1] == len(doc)
    assert all(a[1] == b[0] for a, b in zip(windows, windows[1:], strict=False))
    starts = [q.start for q in find_quotes(text).quotes if q.double]
    for a, b in windows:
        lo, hi = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
        assert hi - lo <= 200 and sum(lo <= s < hi for s in starts) <= 3
    assert attribution_windows(blank("Short text."), scan_of([])) == [(0, 3)]


# ------------------------------------------------------------------ with the model
def timed(analyzer: Analyzer, text: str) -> tuple[float, Analysis]:
    start = time.perf_counter()
    analysis = analyzer.analyze(text)
    return time.perf_counter() - start, analysis


def spans_hold(analysis: Analysis, text: str) -> None:
    assert analysis.text == text
    for where, span_text, start, end in analysis.spans():
        assert 0 <= start <= end <= len(text), where
        assert text[start:end] == span_text, where


def test_quote_marks_take_linear_time(analyzer: Analyzer) -> None:
    analyzer.analyze("Warm up.")
    small, _ = timed(analyzer, '"' * 1_500)
    big, analysis = timed(analyzer, '"' * 6_000)
    spans_hold(analysis, '"' * 6_000)
    assert big < 5.0 and big < 8 * small + 0.5  # quadratic: ~16 times


def test_many_quotations_take_linear_time(analyzer: Analyzer) -> None:
    analyzer.analyze("Warm up.")
    unit = 'Kim said "yes." '
    small, _ = timed(analyzer, unit * 150)
    text = unit * 600  # 600 quotations: read in windows
    big, analysis = timed(analyzer, text)
    spans_hold(analysis, text)
    assert len(analysis.attributions) >= 500
    assert big < 8 * small + 0.5


@pytest.mark.slow
def test_unbalanced_quotes_on_one_line(analyzer: Analyzer) -> None:
    text = ('He said "no and ' * 2_000)[:30_000]
    elapsed, analysis = timed(analyzer, text)
    spans_hold(analysis, text)
    assert elapsed < 30.0


# Small bounds so that short fuzzed texts go through pieces and windows.
HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(['"', "“", "”", "'", "‘", "’", "«", "»", "''", "``", "\n", "\n\n", " "]),
        st.sampled_from(["Kim said", "Merkel", "said", "told", "42", "2019", "May 3", ". ", ":"]),
        st.text(st.characters(codec="utf-8"), max_size=8),
        st.integers(0, 400).map(lambda n: '"' * n),
    ),
    max_size=60,
).map("".join)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=HOSTILE)
def test_fuzz_analyze_in_pieces_and_windows(analyzer: Analyzer, text: str) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(nlp_module, "PARSE_CHUNK_CHARS", 120)
        mp.setattr(nlp_module, "MAX_RUN_CHARS", 30)
        mp.setattr(attributions, "WINDOW_CHARS", 200)
        mp.setattr(attributions, "WINDOW_QUOTES", 3)
        mp.setattr(attributions, "SPLIT_CHARS", 90)
        mp.setattr(attributions, "SPLIT_QUOTES", 2)
        analysis = analyzer.analyze(text)
    spans_hold(analysis, text)
    ids = {a.id for a in analysis.attributions}
    assert all(a.parent is None or a.parent in ids for a in analysis.attributions)


@pytest.mark.slow
def test_events_with_many_dates_take_linear_time(analyzer: Analyzer) -> None:
    unit = "Troops attacked Kyiv on Monday, officials told Reuters. "
    small, _ = timed(analyzer, unit * 100)
    text = unit * 400
    big, analysis = timed(analyzer, text)
    spans_hold(analysis, text)
    assert analysis.events and all(e.date for e in analysis.events[:5])
    assert big < 8 * small + 0.5


@pytest.mark.model
def test_a_run_cut_to_bound_the_parse_is_an_issue(analyzer: Analyzer) -> None:
    run = "x" * 1_200
    text = f"The minister said the plan works. {run} The end."
    record = analyzer.analyze(text)
    cuts = [i for i in record.issues if i.kind == "split_run"]
    start = text.index(run)
    assert cuts and all(start < i.start < start + len(run) and i.text == "" for i in cuts)
    for i in record.issues:
        assert text[i.start : i.end] == i.text
