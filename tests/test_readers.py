"""Tests for newsledger.readers.iter_articles: every input format and every failure mode."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from newsledger.errors import InputError
from newsledger.model import Article
from newsledger.readers import decode_bytes, iter_articles, normalize_date


def read(*paths: Path | str, **kwargs: object) -> list[Article | InputError]:
    return list(iter_articles([str(p) for p in paths], **kwargs))  # type: ignore[arg-type]


def only_article(items: list[Article | InputError]) -> Article:
    assert len(items) == 1
    assert isinstance(items[0], Article), items[0]
    return items[0]


def only_error(items: list[Article | InputError]) -> InputError:
    assert len(items) == 1
    assert isinstance(items[0], InputError), items[0]
    return items[0]


# --- plain text ---------------------------------------------------------------------------


def test_txt_file_is_one_article(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("The minister said on Monday that taxes would rise.\n", encoding="utf-8")
    art = only_article(read(path))
    assert art.text == "The minister said on Monday that taxes would rise.\n"
    assert art.id == str(tmp_path / "story")
    assert art.origin == str(path)
    assert art.flags == ()
    assert art.published is None


def test_unknown_extension_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("Officials said the bridge is closed.", encoding="utf-8")
    no_ext = tmp_path / "README"
    no_ext.write_text("Police said two people were hurt.", encoding="utf-8")
    items = read(path, no_ext)
    assert [a.text for a in items if isinstance(a, Article)] == [
        "Officials said the bridge is closed.",
        "Police said two people were hurt.",
    ]
    assert [a.id for a in items if isinstance(a, Article)] == [
        str(tmp_path / "notes"),
        str(tmp_path / "README"),
    ]


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfCaf\xc3\xa9 owners said.")
    art = only_article(read(path))
    assert art.text == "Café owners said."
    assert art.flags == ()


def test_repeated_ids_are_made_unique(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("First.", encoding="utf-8")
    (tmp_path / "a.md").write_text("Second.", encoding="utf-8")
    a_txt = tmp_path / "a.txt"
    items = read(a_txt, tmp_path / "a.md", a_txt, a_txt)
    ids = [a.id for a in items if isinstance(a, Article)]
    assert ids == [str(tmp_path / "a"), str(tmp_path / "a.md"), str(a_txt), f"{a_txt}#2"]


def test_published_default_fills_text_articles(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Text.", encoding="utf-8")
    assert only_article(read(path, published="2024-03-05")).published == "2024-03-05"
    assert only_article(read(path, published="2024-03-05T10:00:00Z")).published == "2024-03-05"
    assert only_article(read(path, published="last Tuesday")).published is None


# --- stdin --------------------------------------------------------------------------------


def test_stdin_bytes() -> None:
    art = only_article(read("-", stdin=io.BytesIO(b"Reuters reported the deal.")))
    assert art.text == "Reuters reported the deal."
    assert art.id == "stdin"
    assert art.origin == "-"


def test_stdin_text_stream() -> None:
    art = only_article(read("-", stdin=io.StringIO("Aides said it was over.")))
    assert art.text == "Aides said it was over."


def test_stdin_defaults_to_sys_stdin_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(b"From the real stdin."), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    assert only_article(read("-")).text == "From the real stdin."


def test_stdin_too_large() -> None:
    err = only_error(read("-", stdin=io.BytesIO(b"x" * 50), max_bytes=10))
    assert err.origin == "-"
    assert "50 bytes" in err.reason and "10 bytes" in err.reason and "--max-bytes" in err.reason


def test_stdin_mixed_with_files_keeps_order(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("File A.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("File B.", encoding="utf-8")
    items = read(tmp_path / "a.txt", "-", tmp_path / "b.txt", stdin=io.BytesIO(b"Stdin."))
    assert [a.text for a in items if isinstance(a, Article)] == ["File A.", "Stdin.", "File B."]


# --- failure modes of single inputs ------------------------------------------------------


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\t\n", encoding="utf-8")
    items = read(empty, blank)
    assert [(e.origin, e.reason) for e in items if isinstance(e, InputError)] == [
        (str(empty), "empty article"),
        (str(blank), "empty article"),
    ]


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    err = only_error(read(path))
    assert err.origin == str(path)
    assert err.reason.startswith("looks like a binary file (")
    assert err.reason.endswith("not text")


def test_binary_file_with_many_control_bytes(tmp_path: Path) -> None:
    path = tmp_path / "blob.dat"
    path.write_bytes(b"\x01\x02\x03\x04abc" * 100)
    err = only_error(read(path))
    assert "looks like a binary file" in err.reason
    assert "control bytes" in err.reason


def test_few_control_bytes_are_still_text(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    path.write_bytes(b"A page break\x0c and a bell\x07 in a long enough sentence of text.")
    assert only_article(read(path)).text.startswith("A page break")


def test_invalid_utf8_is_replaced_and_flagged(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café owners said prices rose.".encode("latin-1"))
    art = only_article(read(path))
    assert art.text == "Caf\ufffd owners said prices rose."
    assert art.flags == ("invalid_utf8",)


def test_oversize_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 100, encoding="utf-8")
    err = only_error(read(path, max_bytes=100))
    assert err.origin == str(path)
    assert "too large" in err.reason
    assert "500 bytes" in err.reason and "100 bytes" in err.reason
    assert "--max-bytes" in err.reason
    assert only_article(read(path, max_bytes=500)).text == "word " * 100


def test_nonexistent_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    err = only_error(read(missing))
    assert err.origin == str(missing)
    assert err.reason == "no such file or directory"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file"
)
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Hidden.", encoding="utf-8")
    path.chmod(0)
    try:
        err = only_error(read(path))
    finally:
        path.chmod(0o600)
    assert err.origin == str(path)
    assert err.reason == "Permission denied"


def test_open_failure_reports_os_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same path as test_unreadable_file, for runs as root (where chmod 0 is no barrier)."""
    path = tmp_path / "secret.txt"
    path.write_text("Hidden.", encoding="utf-8")

    def refuse(file: object, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr("newsledger.readers.common.open", refuse, raising=False)
    monkeypatch.setattr("newsledger.readers.tabular.open", refuse, raising=False)
    jsonl = tmp_path / "feed.jsonl"
    jsonl.write_text('{"text": "x"}\n', encoding="utf-8")
    items = read(path, jsonl)
    assert [(e.origin, e.reason) for e in items if isinstance(e, InputError)] == [
        (str(path), "Permission denied"),
        (str(jsonl), "Permission denied"),
    ]


def test_errors_do_not_stop_the_batch(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Still read.", encoding="utf-8")
    items = read(tmp_path / "missing.txt", tmp_path, good)
    assert isinstance(items[0], InputError)
    assert isinstance(items[-1], Article) and items[-1].text == "Still read."


# --- JSON Lines -----------------------------------------------------------------------------


def test_jsonl_bad_lines_do_not_stop_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": "First story.", "title": "One", "url": "http://x/1"}),
        "",
        "{not json",
        "[1, 2]",
        json.dumps({"id": "a2", "title": "no text"}),
        json.dumps({"id": "a3", "text": "   "}),
        json.dumps({"id": "a4", "text": 42}),
        json.dumps({"text": "No id here.", "published": "2023-11-02T08:30:00+01:00"}),
        "   ",
        json.dumps({"id": 7, "text": "Numeric id."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read(path)
    summary = [
        (x.origin, x.id if isinstance(x, Article) else x.reason.split(":")[0]) for x in items
    ]
    assert summary == [
        (f"{path}:1", "a1"),
        (f"{path}:3", "not valid JSON"),
        (f"{path}:4", "not a JSON object (got an array)"),
        (f"{path}:5", "no 'text' field"),
        (f"{path}:6", "empty article"),
        (f"{path}:7", "'text' is not a string (got a number)"),
        (f"{path}:8", "feed:8"),
        (f"{path}:10", "7"),
    ]
    first = items[0]
    assert isinstance(first, Article)
    assert (first.text, first.title, first.url) == ("First story.", "One", "http://x/1")
    no_id = items[6]
    assert isinstance(no_id, Article) and no_id.published == "2023-11-02"


def test_ndjson_extension_and_published_default(tmp_path: Path) -> None:
    path = tmp_path / "feed.ndjson"
    records = [
        {"id": "dated", "text": "A.", "published": "2020-01-31"},
        {"id": "undated", "text": "B."},
        {"id": "garbled", "text": "C.", "published": "31/01/2020"},
        {"id": "impossible", "text": "D.", "published": "2020-02-31"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    items = read(path, published="2024-06-01")
    assert [(a.id, a.published) for a in items if isinstance(a, Article)] == [
        ("dated", "2020-01-31"),
        ("undated", "2024-06-01"),
        ("garbled", "2024-06-01"),
        ("impossible", "2024-06-01"),
    ]
    no_default = read(path)
    assert [a.published for a in no_default if isinstance(a, Article)] == [
        "2020-01-31",
        None,
        None,
        None,
    ]


def test_jsonl_record_limit_and_invalid_utf8_per_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    big = json.dumps({"id": "big", "text": "x" * 500}).encode()
    bad = b'{"id": "bad", "text": "Caf\xe9 said."}'
    ok = json.dumps({"id": "ok", "text": "Fine."}).encode()
    path.write_bytes(b"\n".join([big, bad, ok]) + b"\n")
    items = read(path, max_bytes=100)
    assert isinstance(items[0], InputError)
    assert items[0].origin == f"{path}:1"
    assert f"{len(big) + 1} bytes" in items[0].reason and "--max-bytes" in items[0].reason
    bad_art, ok_art = items[1], items[2]
    assert isinstance(bad_art, Article) and isinstance(ok_art, Article)
    assert bad_art.text == "Caf\ufffd said." and bad_art.flags == ("invalid_utf8",)
    assert ok_art.flags == ()
    assert len(items) == 3


def test_binary_jsonl_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\x00\x01" * 100)
    err = only_error(read(path))
    assert err.origin == str(path) and "binary" in err.reason


# --- CSV -------------------------------------------------------------------------------------


def test_csv_case_insensitive_headers(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text(
        "ID,Title,TEXT,Published,url,extra\n"
        'n1,Budget,"The minister said, ""no more"".",2022-05-06,http://n/1,x\n'
        ',Untitled,"Line one.\nLine two.",,,\n'
        "\n"
        "n3,Empty,,2022-05-07,,\n",
        encoding="utf-8",
    )
    items = read(path, published="2021-01-01")
    first, second, third = items
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.id, first.title, first.text) == ("n1", "Budget", 'The minister said, "no more".')
    assert (first.published, first.url, first.origin) == ("2022-05-06", "http://n/1", f"{path}:2")
    assert (second.id, second.text, second.published) == (
        "news:3",
        "Line one.\nLine two.",
        "2021-01-01",
    )
    assert isinstance(third, InputError)
    assert (third.origin, third.reason) == (f"{path}:6", "empty article")


def test_csv_without_text_column(tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("id,body,headline\n1,Some text,Title\n2,More,Other\n", encoding="utf-8")
    err = only_error(read(path))
    assert err.origin == str(path)
    assert "no 'text' column" in err.reason
    for column in ("id", "body", "headline"):
        assert repr(column) in err.reason


def test_csv_huge_field(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    huge = "word " * 100_000  # 500 kB, far above csv's default 128 kB field limit
    path.write_text(f'id,text\nbig,"{huge}"\nsmall,Short.\n', encoding="utf-8")
    items = read(path)
    assert [a.id for a in items if isinstance(a, Article)] == ["big", "small"]
    big = items[0]
    assert isinstance(big, Article) and big.text == huge


def test_csv_record_limit_and_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(b"id,text\n" + b"big," + b"y" * 300 + b"\nbad,Caf\xe9 said.\nok,Fine.\n")
    items = read(path, max_bytes=100)
    assert isinstance(items[0], InputError)
    assert items[0].origin == f"{path}:2" and "too large" in items[0].reason
    bad_art, ok_art = items[1], items[2]
    assert isinstance(bad_art, Article) and isinstance(ok_art, Article)
    assert bad_art.text == "Caf\ufffd said." and bad_art.flags == ("invalid_utf8",)
    assert ok_art.flags == ()


def test_csv_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    err = only_error(read(path))
    assert err.origin == str(path) and "no header row" in err.reason


# --- directories ----------------------------------------------------------------------------


def test_directory_walk_is_recursive_sorted_and_filtered(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "b_sub" / "deeper").mkdir(parents=True)
    (root / ".hidden_dir").mkdir()
    (root / "c.txt").write_text("C", encoding="utf-8")
    (root / "a.txt").write_text("A", encoding="utf-8")
    (root / "b_sub" / "z.jsonl").write_text('{"id": "bz", "text": "BZ"}\n', encoding="utf-8")
    (root / "b_sub" / "deeper" / "d.csv").write_text("id,text\nbd,BD\n", encoding="utf-8")
    (root / "b_sub" / "e.ndjson").write_text('{"id": "be", "text": "BE"}\n', encoding="utf-8")
    (root / "skip.md").write_text("not picked up", encoding="utf-8")
    (root / ".hidden.txt").write_text("hidden", encoding="utf-8")
    (root / ".hidden_dir" / "h.txt").write_text("hidden", encoding="utf-8")
    items = read(root)
    assert all(isinstance(a, Article) for a in items)
    assert [a.text for a in items if isinstance(a, Article)] == ["A", "BD", "BE", "BZ", "C"]
    assert [a.origin for a in items if isinstance(a, Article)] == [
        str(root / "a.txt"),
        f"{root / 'b_sub' / 'deeper' / 'd.csv'}:2",
        f"{root / 'b_sub' / 'e.ndjson'}:1",
        f"{root / 'b_sub' / 'z.jsonl'}:1",
        str(root / "c.txt"),
    ]


def test_empty_directory_is_reported(tmp_path: Path) -> None:
    (tmp_path / "only.md").write_text("ignored", encoding="utf-8")
    err = only_error(read(tmp_path))
    assert err.origin == str(tmp_path) and "no .txt" in err.reason


# --- helpers --------------------------------------------------------------------------------


def test_decode_bytes() -> None:
    assert decode_bytes(b"\xef\xbb\xbfok", "x") == ("ok", False)
    assert decode_bytes(b"a\xffb", "x") == ("a\ufffdb", True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-02-29", "2024-02-29"),
        (" 2024-02-29 ", "2024-02-29"),
        ("2024-02-29T23:59:59", "2024-02-29"),
        ("2024-02-29T23:59:59.123+05:30", "2024-02-29"),
        ("2024-02-29 10:00Z", "2024-02-29"),
        ("2023-02-29", None),
        ("20240229", None),
        ("Feb 29, 2024", None),
        ("", None),
        (None, None),
        (20240229, None),
    ],
)
def test_normalize_date(value: object, expected: str | None) -> None:
    assert normalize_date(value) == expected
