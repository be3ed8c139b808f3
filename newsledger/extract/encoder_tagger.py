"""A fine-tuned MiniLM token classifier for attribution spans, run with onnxruntime.

The encoder (all-MiniLM-L6-v2, 6 layers, 384 wide) was fine-tuned on PolNeAR's outermost
attributions by ``newsledger train attribution --encoder minilm``
(:mod:`newsledger.train.encoder`), exported to ONNX and quantized to int8. At run time only
``onnxruntime`` and ``tokenizers`` are needed (no torch).

The text is read in *windows*: paragraphs (runs of text between blank lines), packed in
reading order into sequences of at most ``max_length`` wordpieces, ``[SEP]`` between two
paragraphs; a paragraph longer than a window is cut at sentence ends where it can. Each
wordpiece gets a BIO label over three roles (source, cue, content); the labels are decoded
with a Viterbi pass that forbids ``I-x`` after anything but ``B-x``/``I-x``, and a span never
runs across a paragraph boundary. :meth:`EncoderTagger.spans` gives, per text, the spans
``(role, start, end)`` in character offsets.

Training and inference share :func:`windows` and :func:`spans_from_tags`, so the offsets a
model learns on are the ones it is read back with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from tokenizers import Tokenizer

from newsledger.errors import ModelNotFound

__all__ = [
    "LABELS",
    "ROLES",
    "Span",
    "ScoredSpan",
    "Window",
    "EncoderTagger",
    "allowed_transitions",
    "batches",
    "paragraphs",
    "spans_from_tags",
    "viterbi",
    "windows",
]

ROLES = ("source", "cue", "content")
LABELS = ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "tagger.json"

Span = tuple[str, int, int]  # (role, start, end) in character offsets
ScoredSpan = tuple[str, int, int, float]  # and the mean probability of its labels

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\u00a0]*\n")
_SENTENCE_END = frozenset({".", "?", "!", ";"})


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The paragraphs of ``text``: (start, end) of each run between blank lines, stripped."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _BLANK_LINE.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    stripped: list[tuple[int, int]] = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            stripped.append((s, e))
    return stripped


@dataclass(slots=True)
class Window:
    """One model input: wordpiece ids with their character offsets in the text.

    ``offsets[i]`` is ``(start, end)`` of wordpiece ``i`` in the whole text, ``(-1, -1)``
    for ``[CLS]``/``[SEP]``; ``paragraph[i]`` the paragraph index (``-1`` for specials).
    """

    ids: list[int] = field(default_factory=list)
    offsets: list[tuple[int, int]] = field(default_factory=list)
    paragraph: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)


def _pieces(
    ids: Sequence[int], offsets: Sequence[tuple[int, int]], tokens: Sequence[str], limit: int
) -> Iterator[tuple[int, int]]:
    """Cut one paragraph's wordpieces into runs of at most ``limit``, at sentence ends if any."""
    start = 0
    n = len(ids)
    while n - start > limit:
        cut = start + limit
        for i in range(start + limit - 1, start + limit // 2, -1):
            if tokens[i] in _SENTENCE_END:
                cut = i + 1
                break
        yield start, cut
        start = cut
    if start < n:
        yield start, n


def windows(
    text: str,
    tokenizer: Any,
    max_length: int = 256,
    cls_id: int = 101,
    sep_id: int = 102,
    skip: Callable[[int, int], bool] | None = None,
) -> list[Window]:
    """Pack the paragraphs of ``text`` into windows of at most ``max_length`` wordpieces.

    ``tokenizer`` is a ``tokenizers.Tokenizer`` (BERT uncased WordPiece); it is called
    without special tokens, one paragraph at a time. The paragraphs ``(start, end)`` for
    which ``skip`` is true are left out.
    """
    paras = paragraphs(text)
    if skip is not None:
        paras = [(s, e) for s, e in paras if not skip(s, e)]
    if not paras:
        return []
    encodings = tokenizer.encode_batch([text[s:e] for s, e in paras], add_special_tokens=False)
    limit = max_length - 2
    out: list[Window] = []
    current = Window()

    def flush() -> None:
        nonlocal current
        if current.ids:
            current.ids.append(sep_id)
            current.offsets.append((-1, -1))
            current.paragraph.append(-1)
            out.append(current)
        current = Window()

    for index, ((p_start, _p_end), enc) in enumerate(zip(paras, encodings, strict=True)):
        ids = enc.ids
        offs = [(p_start + s, p_start + e) for s, e in enc.offsets]
        for a, b in _pieces(ids, offs, enc.tokens, limit):
            size = b - a
            if current.ids and len(current.ids) + size + 1 > max_length - 1:
                flush()
            if not current.ids:
                current.ids.append(cls_id)
                current.offsets.append((-1, -1))
                current.paragraph.append(-1)
            else:
                current.ids.append(sep_id)
                current.offsets.append((-1, -1))
                current.paragraph.append(-1)
            current.ids.extend(ids[a:b])
            current.offsets.extend(offs[a:b])
            current.paragraph.extend([index] * size)
    flush()
    return out


@lru_cache(maxsize=1)
def allowed_transitions() -> npt.NDArray[np.float32]:
    """``(from, to)`` penalties: 0 where BIO allows the pair, -1e4 where it does not."""
    n = len(LABELS)
    table = np.zeros((n, n), dtype=np.float32)
    for j, to in enumerate(LABELS):
        if not to.startswith("I-"):
            continue
        role = to[2:]
        for i, frm in enumerate(LABELS):
            if frm not in (f"B-{role}", f"I-{role}"):
                table[i, j] = -1e4
    return table


def viterbi(logprobs: npt.NDArray[np.float32], starts: Sequence[bool]) -> list[int]:
    """The best BIO-valid label sequence for one run of wordpieces.

    ``logprobs`` is ``(n, labels)``; ``starts[i]`` marks a wordpiece that begins a paragraph
    (an ``I-`` label is not allowed there).
    """
    n = logprobs.shape[0]
    if n == 0:
        return []
    trans = allowed_transitions()
    begin_ok = np.array([0.0 if not lab.startswith("I-") else -1e4 for lab in LABELS])
    score = logprobs[0] + begin_ok
    back = np.zeros((n, len(LABELS)), dtype=np.int64)
    for i in range(1, n):
        cand = score[:, None] + trans
        if starts[i]:
            cand = cand + begin_ok[None, :]
        back[i] = cand.argmax(axis=0)
        score = cand.max(axis=0) + logprobs[i]
    best = [int(score.argmax())]
    for i in range(n - 1, 0, -1):
        best.append(int(back[i, best[-1]]))
    best.reverse()
    return best


def spans_from_tags(
    window: Window, tags: Sequence[int], scores: Sequence[float] | None = None
) -> list[ScoredSpan]:
    """Character spans of the labelled wordpieces of one window (specials skipped), each with
    the mean of its wordpieces' ``scores`` (1.0 without scores)."""
    spans: list[ScoredSpan] = []
    role: str | None = None
    start = end = 0
    last_para = -2
    mass: list[float] = []

    def close() -> None:
        if role is not None:
            spans.append((role, start, end, sum(mass) / len(mass) if mass else 1.0))

    for i, tag in enumerate(tags):
        para = window.paragraph[i]
        if para < 0:
            continue
        label = LABELS[tag]
        if role is not None and label == f"I-{role}" and para == last_para:
            end = window.offsets[i][1]
        else:
            close()
            role = label[2:] if label != "O" else None
            start, end = window.offsets[i]
            mass = []
        if scores is not None:
            mass.append(scores[i])
        last_para = para
    close()
    return spans


def log_softmax(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Log-softmax over the last axis."""
    m = x.max(axis=-1, keepdims=True)
    z = x - m
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def decode_window(window: Window, logits: npt.NDArray[np.float32]) -> list[ScoredSpan]:
    """Viterbi-decode one window's logits ``(len(window), labels)`` into scored spans."""
    keep = [i for i, p in enumerate(window.paragraph) if p >= 0]
    if not keep:
        return []
    lp = log_softmax(logits[keep].astype(np.float32))
    paras = [window.paragraph[i] for i in keep]
    starts = [j == 0 or paras[j] != paras[j - 1] for j in range(len(keep))]
    inner = viterbi(lp, starts)
    tags = [0] * len(window)
    scores = [1.0] * len(window)
    for j, i in enumerate(keep):
        tags[i] = inner[j]
        scores[i] = float(np.exp(lp[j, inner[j]]))
    return spans_from_tags(window, tags, scores)


def batches(jobs: Sequence[tuple[int, Window]], size: int) -> Iterator[list[tuple[int, Window]]]:
    """``jobs`` in batches of at most ``size`` windows of one length each, so that no batch
    holds padding: on a CPU, padding costs as much as text (a window of 256 wordpieces is
    enough rows to keep the matrix products busy on its own)."""
    by_length: dict[int, list[tuple[int, Window]]] = {}
    for job in jobs:
        by_length.setdefault(len(job[1]), []).append(job)
    for length in sorted(by_length):
        same = by_length[length]
        for a in range(0, len(same), size):
            yield same[a : a + size]


class EncoderTagger:
    """The exported tagger: ``model.onnx`` + ``tokenizer.json`` + ``tagger.json`` in a folder."""

    def __init__(self, folder: Path, threads: int = 1) -> None:
        folder = Path(folder)
        model = folder / MODEL_FILE
        if not model.is_file():
            raise ModelNotFound(f"no attribution encoder at {model}")
        import onnxruntime  # noqa: PLC0415 - trained mode only; it takes ~0.5 s to import

        config: dict[str, Any] = {}
        if (folder / CONFIG_FILE).is_file():
            config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
        self.max_length = int(config.get("max_length", 256))
        self.batch_size = int(config.get("batch_size", 16))
        self.tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )

    def logits(self, batch: Sequence[Window]) -> list[npt.NDArray[np.float32]]:
        """Run the model on windows of similar length; one ``(len, labels)`` array each."""
        width = max(len(w) for w in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, w in enumerate(batch):
            ids[row, : len(w)] = w.ids
            mask[row, : len(w)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        names = {i.name for i in self.session.get_inputs()}
        if "token_type_ids" in names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        (out,) = self.session.run(["logits"], feeds)
        return [out[row, : len(w)] for row, w in enumerate(batch)]

    def spans(
        self, texts: Sequence[str], skip: Sequence[Callable[[int, int], bool] | None] = ()
    ) -> list[list[ScoredSpan]]:
        """The predicted spans of each text with their scores, sorted by start; ``skip[i]``
        (when given) names the paragraphs of ``texts[i]`` not to read (see :func:`windows`)."""
        jobs: list[tuple[int, Window]] = []
        for index, text in enumerate(texts):
            leave = skip[index] if index < len(skip) else None
            for w in windows(text, self.tokenizer, self.max_length, skip=leave):
                jobs.append((index, w))
        out: list[list[ScoredSpan]] = [[] for _ in texts]
        for chunk in batches(jobs, self.batch_size):
            for (index, w), logits in zip(chunk, self.logits([w for _, w in chunk]), strict=True):
                out[index].extend(decode_window(w, logits))
        for spans in out:
            spans.sort(key=lambda s: (s[1], s[2]))
        return out
