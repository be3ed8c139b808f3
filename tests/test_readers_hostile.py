"""Hostile inputs to the readers: every input is an item, bad records are errors of their
own line, messages are plain (no parser internals, no raw bytes), deep nesting is bounded."""

from __future__ import annotations

import gzip
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import newsledger.readers.tabular as tabular
from newsledger.errors import InputError
from newsledger.model import Article
from newsledger.readers import INVALID_NAME, iter_articles

Item = Article | InputError
TEXT = "The minister said on Tuesday that taxes would rise next year, officials said."


def read(*paths: Path | str, **kwargs: object) -> list[Item]:
    return list(iter_articles([str(p) for p in paths], **kwargs))  # type: ignore[arg-type]


def row(text: str, **fields: str) -> str:
    return json.dumps({"text": text, **fields})


def test_a_nul_byte_near_the_start_of_jsonl_fails_its_line_only(tmp_path: Path) -> None:
    path = tmp_path / "nul.jsonl"
    lines = [row(TEXT), '{"text": "a NUL \x00 here"}', "{not json", '{"title": "no text"}']
    path.write_bytes(("\n".join([*lines, row(TEXT + " Again.")]) + "\n").encode())
    items = read(path)
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Article", "InputError", "InputError", "InputError", "Article"]
    nul, bad, missing = (i for i in items if isinstance(i, InputError))
    assert nul.origin == f"{path}:2" and "NUL" in nul.reason
    assert bad.origin == f"{path}:3" and bad.reason.startswith("not valid JSON")
    assert missing.origin == f"{path}:4" and missing.reason == "no 'text' field"


def test_a_binary_file_named_jsonl_is_still_one_error(tmp_path: Path) -> None:
    path = tmp_path / "image.jsonl"
    path.write_bytes(bytes(range(256)) * 40)
    (error,) = read(path)
    assert isinstance(error, InputError) and error.origin == str(path)
    assert "binary" in error.reason


def test_csv_rows_with_nul_bytes_or_stray_carriage_returns_fail_alone(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(
        b"id,text\n"
        b"a," + TEXT.encode() + b"\n"
        b"b,with a NUL \x00 byte\n"
        b"c,a stray\rcarriage return\n"
        b'd,"' + TEXT.encode() + b' Still read."\n'
    )
    items = read(path)
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "InputError", "Article"]
    assert items[1].origin == f"{path}:3" and "NUL" in items[1].reason  # type: ignore[union-attr]
    assert items[2].origin == f"{path}:4" and "malformed CSV" in items[2].reason  # type: ignore[union-attr]
    assert isinstance(items[3], Article) and items[3].id == "d"


def test_a_reader_raising_mid_file_is_an_error_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tabular.read_jsonl

    def breaks(path: str, *args: object, **kwargs: object) -> Iterator[Item]:
        items = real(path, *args, **kwargs)  # type: ignore[arg-type]
        yield next(items)
        raise RuntimeError("reader bug\x1b[31m")

    monkeypatch.setattr(tabular, "read_jsonl", breaks)
    first = tmp_path / "a.jsonl"
    first.write_text(row(TEXT) + "\n" + row(TEXT + " Two.") + "\n", encoding="utf-8")
    after = tmp_path / "b.txt"
    after.write_text(TEXT, encoding="utf-8")
    items = read(first, tmp_path / "missing.txt", after)
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "InputError", "Article"]
    error = items[1]
    assert isinstance(error, InputError) and error.origin == str(first)
    assert error.reason == f"could not be read (after {first}:1): RuntimeError: reader bug\\x1b[31m"
    assert items[3].origin == str(after)  # type: ignore[union-attr]


def test_an_idna_url_that_cannot_be_decoded_is_an_input_error() -> None:
    (error,) = read("http://xn--/")
    assert isinstance(error, InputError) and error.origin == "http://xn--/"
    assert error.reason.startswith("not a valid URL")


def test_a_file_name_that_is_not_utf8_is_read_and_flagged(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.path.join(os.fsencode(folder), b"caf\xff.txt")
    with open(bad, "wb") as f:
        f.write(TEXT.encode())
    with open(os.path.join(os.fsencode(folder), b"empty\xfe.txt"), "wb") as f:
        f.write(b" ")
    items = read(folder)
    article, error = sorted(items, key=lambda i: isinstance(i, InputError))
    assert isinstance(article, Article) and isinstance(error, InputError)
    assert article.origin == f"{folder}/caf\ufffd.txt" and article.id == f"{folder}/caf\ufffd"
    assert INVALID_NAME in article.flags
    assert error.origin == f"{folder}/empty\ufffd.txt"
    for name in (article.origin, article.id, error.origin):
        name.encode("utf-8")  # storable and printable


def test_json_escapes_of_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"text": TEXT + " \udcff", "title": "t\ud800"}) + "\n")
    (article,) = read(path)
    assert isinstance(article, Article)
    assert article.text == TEXT + " \ufffd" and article.title == "t\ufffd"
    assert "invalid_utf8" in article.flags


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("fake.warc.gz", gzip.compress(b"this is not an archive\r\n\r\nat all\r\n")),
        ("junk.warc", b"\x00\x01garbage \xff\xfe bytes\r\n\r\n" * 10),
        ("header.warc", b"WARC/1.0\r\nContent-Length: nope\r\n\x00\xff\r\n\r\n"),
        ("gz.warc.gz", gzip.compress(b"WARC/1.0\r\n")[:-6] + b"\x00\x01\x02"),
    ],
)
def test_warc_errors_are_plain_words_with_the_offset(
    tmp_path: Path, name: str, data: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    items = read(path)
    assert items and all(isinstance(i, InputError) for i in items)
    for error in items:
        assert isinstance(error, InputError)
        assert error.origin.startswith(str(path))
        for leak in ("b'", "\\x", "Error", "Exception", "Traceback", "\x00", "\ufffd"):
            assert leak not in error.reason, error.reason
    broken = [e for e in items if "corrupt WARC" in e.reason]  # type: ignore[union-attr]
    for error in broken:
        assert error.origin.startswith(f"{path}@") and "byte offset" in error.reason  # type: ignore[union-attr]


def test_200000_nested_divs_are_reported_quickly(tmp_path: Path) -> None:
    n = 200_000
    path = tmp_path / "deep.html"
    path.write_text(
        "<html><body>" + "<div>" * n + f"<p>{TEXT * 3}</p>" + "</div>" * n + "</body></html>",
        encoding="utf-8",
    )
    started = time.monotonic()
    (error,) = read(path)
    assert time.monotonic() - started < 5
    assert isinstance(error, InputError)
    assert error.reason.startswith("the HTML is too deeply nested (200,000 levels")


def test_moderate_nesting_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "nested.html"
    path.write_text(
        "<html><body>" + "<div>" * 200 + f"<p>{TEXT * 3}</p>" + "</div>" * 200 + "</body></html>",
        encoding="utf-8",
    )
    (article,) = read(path)
    assert isinstance(article, Article) and TEXT in article.text
