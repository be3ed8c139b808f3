"""Partitions: split inputs read, concatenated, exactly like the single-process readers."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsledger.errors import InputError
from newsledger.model import Article
from newsledger.pipeline import AnalyzerOptions
from newsledger.readers import iter_articles
from newsledger.scale.partition import plan_partitions, shard_key
from newsledger.scale.work import ShardOptions, read_partition

MAX = 400  # a small --max-bytes, so over-long records occur


def as_key(item: Article | InputError) -> object:
    return ("error", item.origin, item.reason) if isinstance(item, InputError) else item


def single(paths: list[str], **kw: object) -> list[object]:
    reader = kw.pop("reader", {})
    return [as_key(x) for x in iter_articles(paths, max_bytes=MAX, **reader, **kw)]


def split(paths: list[str], size: int, **kw: object) -> list[object]:
    reader = kw.pop("reader", {})
    plan = {k: reader[k] for k in ("format", "fields") if k in reader}
    parts = plan_partitions(paths, size, **plan)
    for part in parts:
        assert pickle.loads(pickle.dumps(part)) == part
        json.dumps(part)  # a small plain description
    return [
        as_key(x)
        for part in parts
        for x in read_partition(part, max_bytes=MAX, reader=reader, **kw)
    ]


def kinds(paths: list[str], size: int) -> set[str]:
    return {p["kind"] for p in plan_partitions(paths, size)}


LINE = st.one_of(
    st.builds(
        lambda t, i: json.dumps({"text": t, **({"id": i} if i else {})}, ensure_ascii=False),
        st.text(min_size=0, max_size=80),
        st.sampled_from(["", "x1", "y"]),
    ),
    st.just(""),  # blank line
    st.just("   "),
    st.just("{not json"),
    st.just("[1, 2]"),
    st.builds(lambda n: json.dumps({"text": "w " * n}), st.integers(150, 400)),  # over MAX
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(LINE, min_size=1, max_size=40),
    size=st.integers(1, 700),
    trailing=st.booleans(),
    bad_utf8=st.booleans(),
)
def test_jsonl_ranges_read_like_the_file(
    tmp_path: Path, lines: list[str], size: int, trailing: bool, bad_utf8: bool
) -> None:
    path = tmp_path / "feed.jsonl"
    data = "\n".join(lines).encode() + (b"\n" if trailing else b"")
    if bad_utf8:
        data = data.replace(b"{", b"\xff{", 1)
    path.write_bytes(data)
    assert split([str(path)], size) == single([str(path)])
    if len(data) > size:
        assert kinds([str(path)], size) == {"jsonl"}


CELL = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\x00"), max_size=30),
    st.just('with "quotes", commas\nand a newline'),
    st.just("line one\n\nline three"),
    st.just(""),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.tuples(CELL, CELL, st.sampled_from(["", "2019-01-02", "bad"])), max_size=30),
    size=st.integers(1, 500),
    blank_first=st.booleans(),
    date_column=st.sampled_from(["published", "date", "Date", "when"]),
)
def test_csv_ranges_read_like_the_file(
    tmp_path: Path,
    rows: list[tuple[str, str, str]],
    size: int,
    blank_first: bool,
    date_column: str,
) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if blank_first:
        buffer.write("\n")
    writer.writerow(["Title", "TEXT", date_column])
    for title, text, date in rows:
        writer.writerow([title, text, date])
        if title == "":
            buffer.write("\n")  # blank rows between records
    path = tmp_path / "table.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    assert split([str(path)], size) == single([str(path)])
    if len(rows) > 3 and size < 50:
        assert "csv" in kinds([str(path)], size)


def test_csv_quoted_newlines_never_split_a_record(tmp_path: Path) -> None:
    body = "para one\n\npara two, with a comma\n" * 5
    lines = ["id,text"] + [f'r{i},"{body}{i}"' for i in range(20)]
    path = tmp_path / "multi.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parts = plan_partitions([str(path)], 300)
    assert len(parts) > 3 and {p["kind"] for p in parts} == {"csv"}
    got = split([str(path)], 300)
    assert [a.id for a in got] == [f"r{i}" for i in range(20)]
    assert got == single([str(path)])


def test_csv_problems_read_like_the_file(tmp_path: Path) -> None:
    no_text = tmp_path / "no_text.csv"
    no_text.write_text("a,b\n" + "1,2\n" * 200)
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n" * 200)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"text\n" + b"\x00\x01" * 3000)
    big_field = tmp_path / "big.csv"
    big_field.write_text("text\n" + "\n".join("x" * n for n in (10, 900, 20, 30, 2000)) + "\n")
    for path in (no_text, empty, binary, big_field):
        assert split([str(path)], 100) == single([str(path)]), path.name
    assert kinds([str(no_text), str(empty), str(binary)], 100) == {"files"}


def test_directories_text_ids_and_missing_paths(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "empty").mkdir()
    (root / "a.txt").write_text("Alpha said so.")
    (root / "sub" / "b.txt").write_text("Beta said so.")
    (root / "sub" / "c.jsonl").write_text('{"text": "Gamma said so."}\n\n{"text": ""}\n')
    (root / ".hidden.txt").write_text("skipped")
    (root / "blank.txt").write_text("   \n")
    (root / "page.html").write_text(
        "<html><head><title>Page</title></head><body><article><p>"
        + "The mayor said that the bridge would reopen on Monday after repairs. " * 5
        + "</p></article></body></html>"
    )
    (root / "page.txt").write_text("Same stem as page.html.")
    (root / "sitemap.xml").write_text("<urlset></urlset>")  # not a feed: skipped by the walk
    (root / "feed.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
        "<item><title>One</title><description>The chief said that the road was closed."
        "</description></item></channel></rss>"
    )
    odd = tmp_path / "odd.xml"  # an explicit .xml that is not a feed: an error
    odd.write_text("<note>hi</note>")
    twin = tmp_path / "a"  # explicit path whose id ("…/a") collides with a.txt's
    twin.write_text("Twin said so.")
    a_txt = tmp_path / "a.txt"
    a_txt.write_text("Another said so.")
    paths = [
        str(root),
        str(root / "empty"),
        str(tmp_path / "missing.txt"),
        str(twin),
        str(a_txt),
        str(odd),
    ]
    for size in (1, 30, 10_000):
        assert split(paths, size, published="2020-01-02") == single(paths, published="2020-01-02")
    ids = [x.id for x in split(paths, 1) if isinstance(x, Article)]
    assert len(ids) == len(set(ids))


def test_field_mapping_and_forced_format(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"body": f"Story {i} said."}) + "\n" for i in range(30)))
    table = tmp_path / "table.csv"
    table.write_text("Body,id\n" + "".join(f'"Row {i}\nsaid.",r{i}\n' for i in range(30)))
    forced = tmp_path / "records.data"
    forced.write_text("".join(json.dumps({"text": f"T{i} said."}) + "\n" for i in range(30)))
    reader = {"fields": {"text": "body"}}
    for path in (feed, table):
        got = split([str(path)], 100, reader=reader)
        assert got == single([str(path)], reader=reader)
        assert len(got) == 30 and all(isinstance(a, Article) for a in got)
        planned = plan_partitions([str(path)], 100, fields=reader["fields"])
        assert len(planned) > 3 and {p["kind"] for p in planned} <= {"jsonl", "csv"}
    assert split([str(forced)], 100, reader={"format": "jsonl"}) == single(
        [str(forced)], reader={"format": "jsonl"}
    )
    assert {p["kind"] for p in plan_partitions([str(forced)], 100, format="jsonl")} == {"jsonl"}


def test_urls_are_left_to_the_workers() -> None:
    url = "https://example.com/news/1"
    assert plan_partitions([url]) == [{"kind": "files", "files": [[url, None]]}]


def test_warc_files_get_a_partition_each(tmp_path: Path) -> None:
    for name in ("one.warc.gz", "two.warc"):
        (tmp_path / name).write_bytes(b"WARC/1.0\r\n")
    (tmp_path / "x.txt").write_text("x")
    parts = plan_partitions(
        [str(tmp_path / "x.txt"), str(tmp_path / "one.warc.gz"), str(tmp_path / "two.warc")]
    )
    assert [[f for f, _ in p["files"]] for p in parts] == [
        [str(tmp_path / "x.txt")],
        [str(tmp_path / "one.warc.gz")],
        [str(tmp_path / "two.warc")],
    ]


def test_stdin_cannot_be_partitioned() -> None:
    with pytest.raises(ValueError, match="standard input"):
        plan_partitions(["-"])


def test_shard_key_follows_inputs_and_options(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "x"}\n')
    (part,) = plan_partitions([str(path)])
    options = ShardOptions().key()
    key = shard_key(part, options)
    assert key == shard_key(part, ShardOptions().key())
    assert key != shard_key(part, ShardOptions(published="2020-01-01").key())
    assert key != shard_key(
        part, ShardOptions(analyzer=AnalyzerOptions(extractors=("quotes",))).key()
    )
    path.write_text('{"text": "y"}\n')
    os.utime(path, ns=(1, 1))
    assert shard_key(part, options) != key


def test_shard_options_reject_bad_values() -> None:
    with pytest.raises(ValueError, match="not a date"):
        ShardOptions(published="yesterday")
    with pytest.raises(ValueError, match="unknown extractor"):
        ShardOptions(analyzer=AnalyzerOptions(extractors=("nope",)))


def test_nul_bytes_and_bad_rows_fail_their_line_in_ranges_as_in_the_file(tmp_path: Path) -> None:
    good = "The minister said on Tuesday that taxes would rise next year."
    jsonl = tmp_path / "nul.jsonl"
    lines = [json.dumps({"text": f"{good} {i}"}) for i in range(60)]
    lines[1] = '{"text": "NUL \x00 inside"}'
    lines[30] = '{"text": "NUL \x00 again"}'
    jsonl.write_bytes(("\n".join(lines) + "\n").encode())
    csv_file = tmp_path / "nul.csv"
    rows = [f"{i},{good} {i}" for i in range(60)]
    rows[2] = "2,NUL \x00 inside"
    rows[40] = "40,stray \r carriage return"
    csv_file.write_bytes(("id,text\n" + "\n".join(rows) + "\n").encode())
    for path in (jsonl, csv_file):
        whole = single([str(path)])
        assert split([str(path)], 500) == whole, path.name
        assert kinds([str(path)], 500) == {path.suffix[1:]}  # split, not read whole
        failed = [x for x in whole if isinstance(x, tuple)]
        assert len(failed) == 2 and len(whole) == 60, failed
