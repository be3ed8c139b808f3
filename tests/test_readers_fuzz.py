"""A fuzz target over the readers: random bytes and random structures into each reader.

Every outcome must be articles or the project's own clear errors (:class:`InputError`),
never another exception; articles are storable (no lone surrogates, non-empty text). The
readers are called directly, below the guard of ``iter_articles`` that would turn a reader's
exception into an error, so a reader bug fails here. Bounded to run in seconds.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_readers_formats import write_warc

from newsledger.errors import InputError
from newsledger.model import Article
from newsledger.readers import feeds, fetch, html, iter_articles, tabular, text, warc

FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,  # the same examples on every run: a CI failure can be reproduced
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MAX_BYTES = 1 << 16
Reader = Callable[[str], Iterable[Article | InputError]]
READERS: dict[str, Reader] = {
    ".txt": lambda p: [text.read_file(p, "id", None, MAX_BYTES)],
    ".jsonl": lambda p: tabular.read_jsonl(p, None, MAX_BYTES),
    ".csv": lambda p: tabular.read_csv(p, None, MAX_BYTES),
    ".html": lambda p: [html.read_file(p, "id", None, MAX_BYTES)],
    ".warc": lambda p: warc.read_warc(p, None, MAX_BYTES),
    ".warc.gz": lambda p: warc.read_warc(p, None, MAX_BYTES),
    ".rss": lambda p: feeds.read_feed_file(p, None, fetch.FetchOptions(max_bytes=MAX_BYTES)),
}


def outcomes(suffix: str, data: bytes) -> list[Article | InputError]:
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / f"fuzz{suffix}")
        Path(path).write_bytes(data)
        items = list(READERS[suffix](path))
        # and through iter_articles, whose guard must not have had to step in
        for item in iter_articles([path], max_bytes=MAX_BYTES):
            assert not isinstance(item, InputError) or "could not be read" not in item.reason
    for item in items:
        assert isinstance(item, Article | InputError), item
        if isinstance(item, Article):
            assert item.text.strip()
            for value in (item.text, item.origin, item.id, item.title, item.url, item.site):
                (value or "").encode("utf-8")  # no lone surrogates: storable, printable
        else:
            assert item.reason and "Traceback" not in item.reason
    return items


@FUZZ
@given(st.sampled_from(sorted(READERS)), st.binary(max_size=3000))
def test_random_bytes_into_every_reader(suffix: str, data: bytes) -> None:
    outcomes(suffix, data)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
RECORD = st.fixed_dictionaries(
    {},
    optional={
        "text": st.text(max_size=200) | JSON,
        "id": JSON,
        "title": JSON,
        "published": st.text(max_size=30) | JSON,
        "url": JSON,
        "date": JSON,
    },
)


@FUZZ
@given(st.lists(RECORD.map(json.dumps) | JSON.map(json.dumps) | st.text(max_size=60), max_size=8))
def test_random_json_lines(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    items = outcomes(".jsonl", data)
    assert len(items) <= data.count(b"\n") + 1  # one item at most per line


@FUZZ
@given(
    st.lists(st.text(max_size=12), min_size=1, max_size=5),
    st.lists(st.lists(st.text(max_size=80), max_size=6), max_size=6),
)
def test_random_csv_tables(header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    outcomes(".csv", buffer.getvalue().encode("utf-8", "surrogatepass"))


TAGS = st.sampled_from(
    "<div> </div> <p> </p> <br> <script> </script> <style> <!-- --> <a href='x'> </a> "
    "<article> </article> <title> <meta charset=x> &amp; &#0; &#xD800; <![CDATA[ ]]> <html> "
    "<body> <h1> </h1> <table> <td> < > \x00 \ufffd".split(" ")
)
WORDS = st.sampled_from(["The", "minister", "said", "on", "Tuesday", "taxes", "would", "rise."])


@FUZZ
@given(st.lists(TAGS | WORDS.map(lambda w: w + " "), max_size=300))
def test_random_tag_soup(parts: list[str]) -> None:
    outcomes(".html", "".join(parts).encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.lists(TAGS | WORDS.map(lambda w: w + " "), max_size=60), st.integers(0, 3))
def test_random_feeds(parts: list[str], entries: int) -> None:
    body = "".join(parts)
    item = f"<item><title>{body[:40]}</title><description>{body}</description></item>"
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{item * entries}'
    outcomes(".rss", (feed + "</channel></rss>").encode("utf-8", "surrogatepass"))


_ARCHIVES: dict[bool, bytes] = {}


def archive(compress: bool) -> bytes:
    if compress not in _ARCHIVES:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "a.warc"
            write_warc(path, compress=compress)
            _ARCHIVES[compress] = path.read_bytes()
    return _ARCHIVES[compress]


@FUZZ
@given(
    st.booleans(),
    st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=6),
    st.integers(0, 1 << 20),
)
def test_damaged_web_archives(compress: bool, flips: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(archive(compress))
    for where, value in flips:
        data[where % len(data)] = value
    data = data[: max(1, cut % (len(data) + 1))]
    outcomes(".warc.gz" if compress else ".warc", bytes(data))
