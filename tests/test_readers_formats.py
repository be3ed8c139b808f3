"""Tests for the HTML, WARC, feed and URL readers, field mapping and forced formats.

Every input is built here, in tmp_path or on a local HTTP server on 127.0.0.1; nothing
touches the internet.
"""

from __future__ import annotations

import gzip
import http.server
import io
import ipaddress
import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsledger import __version__
from newsledger.cli import app, options
from newsledger.errors import InputError
from newsledger.model import Article
from newsledger.readers import FORMATS, iter_articles
from newsledger.readers import fetch as fetching
from newsledger.readers.html import fragment_text

Item = Article | InputError
WIDE = {"COLUMNS": "300"}  # no wrapping of messages by Rich


def one_line(message: str) -> str:
    return " ".join(message.split())


def read(*paths: Path | str, **kwargs: object) -> list[Item]:
    return list(iter_articles([str(p) for p in paths], **kwargs))  # type: ignore[arg-type]


def articles(items: list[Item]) -> list[Article]:
    return [x for x in items if isinstance(x, Article)]


def errors(items: list[Item]) -> list[InputError]:
    return [x for x in items if isinstance(x, InputError)]


PARAGRAPHS = [
    "The transport minister resigned on Tuesday after an audit found the rail budget had "
    "been overspent by 40 million euros, officials said.",
    '"I take full responsibility," she told reporters outside parliament, adding that an '
    "independent inquiry would report within six weeks.",
    "Opposition leaders said the resignation came too late and called for a full review of "
    "the ministry's spending since 2019.",
]
BOILERPLATE = {
    "nav": "Home World Business Sport Weather",
    "cookie": "We use cookies to personalise content and ads. Accept all cookies?",
    "ad": "Buy discount garden furniture today, limited offer!",
    "footer": "Copyright 2024 Daily Planet Media Group. All rights reserved.",
}


def news_page(
    title: str = "Minister resigns over rail budget",
    paragraphs: list[str] = PARAGRAPHS,
    *,
    date: str | None = "2024-03-05T09:30:00+00:00",
    site: str | None = "Daily Planet",
    canonical: str | None = "https://planet.example/news/minister-resigns",
) -> str:
    meta = [f"<title>{title} | Daily Planet</title>"]
    if site:
        meta.append(f'<meta property="og:site_name" content="{site}">')
    if canonical:
        meta.append(f'<link rel="canonical" href="{canonical}">')
    if date:
        meta.append(f'<meta property="article:published_time" content="{date}">')
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    menu = "".join(f"<li><a href='/{w}'>{w}</a></li>" for w in BOILERPLATE["nav"].split())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">{"".join(meta)}</head>
<body>
<nav class="site-nav"><ul>{menu}</ul></nav>
<div id="cookie-banner" class="cookie-consent"><p>{BOILERPLATE["cookie"]}</p>
<button>Accept</button></div>
<div class="advertisement ad-slot"><a href="https://ads.example/x">{BOILERPLATE["ad"]}</a></div>
<main><article><h1>{title}</h1>{body}</article></main>
<aside class="related"><h3>Related</h3><ul><li><a href="/a">Other story</a></li></ul></aside>
<footer><p>{BOILERPLATE["footer"]}</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


EMPTY_PAGE = f"""<!doctype html><html><head><title>Daily Planet</title></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<div id="cookie-banner">{BOILERPLATE["cookie"]}</div>
<footer>{BOILERPLATE["footer"]}</footer></body></html>"""


# --- HTML ------------------------------------------------------------------------------------


def test_html_page_keeps_only_the_article_body(tmp_path: Path) -> None:
    path = tmp_path / "story.html"
    path.write_text(news_page(), encoding="utf-8")
    art = articles(read(path))[0]
    for paragraph in PARAGRAPHS:
        assert paragraph in art.text
    for text in BOILERPLATE.values():
        assert text not in art.text
    assert "Other story" not in art.text and "Privacy" not in art.text
    # paragraphs stay on their own lines
    lines = art.text.splitlines()
    assert all(p in lines for p in PARAGRAPHS)
    assert art.title == "Minister resigns over rail budget"
    assert art.published == "2024-03-05"
    assert art.site == "Daily Planet"
    assert art.url == "https://planet.example/news/minister-resigns"
    assert art.id == str(tmp_path / "story")
    assert art.origin == str(path)


def test_html_without_date_takes_the_default(tmp_path: Path) -> None:
    path = tmp_path / "undated.htm"
    path.write_text(news_page(date=None, site=None, canonical=None), encoding="utf-8")
    art = articles(read(path, published="2023-01-02"))[0]
    assert art.published == "2023-01-02"
    assert art.url is None
    assert PARAGRAPHS[0] in art.text


def test_html_without_body_is_an_error_and_the_batch_goes_on(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text(EMPTY_PAGE, encoding="utf-8")
    good = tmp_path / "good.html"
    good.write_text(news_page(), encoding="utf-8")
    items = read(empty, good)
    assert len(items) == 2
    err = items[0]
    assert isinstance(err, InputError)
    assert err.origin == str(empty) and err.reason == "no article text found"
    assert str(empty) in str(err)
    assert isinstance(items[1], Article)


def test_html_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_text(news_page(), encoding="utf-8")
    err = errors(read(path, max_bytes=500))[0]
    assert err.origin == str(path) and "too large" in err.reason


def test_fragment_text_keeps_blocks_as_lines_and_drops_scripts() -> None:
    fragment = (
        "<p>Officials said <b>two</b> people were hurt &amp; one missing.</p>"
        "<script>alert('x')</script><style>p {}</style>"
        "<p>Police said more<br>details would follow.</p>plain tail"
    )
    assert fragment_text(fragment) == (
        "Officials said two people were hurt & one missing.\n"
        "Police said more\ndetails would follow.\nplain tail"
    )


# --- WARC ------------------------------------------------------------------------------------


def write_warc(path: Path, *, compress: bool) -> None:
    """Two HTML pages, one image and one 404 page, as WARC response records (plus a request)."""
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=compress)

        def response(url: str, status: str, content_type: str, body: bytes) -> None:
            headers = StatusAndHeaders(
                status, [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)

        request = writer.create_warc_record(
            "https://planet.example/news/one",
            "request",
            payload=io.BytesIO(b"GET /news/one HTTP/1.1\r\nHost: planet.example\r\n\r\n"),
        )
        writer.write_record(request)
        response(
            "https://planet.example/news/one",
            "200 OK",
            "text/html; charset=utf-8",
            news_page(canonical="https://planet.example/canonical/one").encode(),
        )
        response("https://planet.example/logo.png", "200 OK", "image/png", b"\x89PNG" + bytes(300))
        response(
            "https://planet.example/news/missing",
            "404 Not Found",
            "text/html",
            news_page("Page not found").encode(),
        )
        second = [p.replace("minister", "mayor") for p in PARAGRAPHS]
        response(
            "https://planet.example/news/two",
            "200 OK",
            "text/html",
            news_page("Mayor resigns", second, date=None, canonical=None).encode(),
        )


def warc_layout(path: Path) -> list[tuple[int, int, str, str | None]]:
    """(offset, length, type, target URI) of every record, read with warcio directly."""
    out = []
    with open(path, "rb") as f:
        it = ArchiveIterator(f)
        for record in it:
            uri = record.rec_headers.get_header("WARC-Target-URI")
            record.content_stream().read()
            out.append((it.get_record_offset(), it.get_record_length(), record.rec_type, uri))
    return out


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_reads_html_200_responses_only(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_warc(path, compress=name.endswith(".gz"))
    items = read(path, published="2020-01-01")
    assert not errors(items)
    one, two = articles(items)
    assert one.url == "https://planet.example/news/one"  # the target URI, not the canonical
    assert one.title == "Minister resigns over rail budget"
    assert one.published == "2024-03-05"  # the page's own date
    assert one.site == "Daily Planet"
    assert PARAGRAPHS[1] in one.text and BOILERPLATE["cookie"] not in one.text
    assert one.id is not None and one.id.startswith("urn:uuid:")
    assert two.url == "https://planet.example/news/two"
    assert "mayor resigned" in two.text
    # no date in the page: the WARC-Date (today, when the test wrote it), not the default
    with open(path, "rb") as f:
        records = [r for r in ArchiveIterator(f) if r.rec_type == "response"]
        warc_date = records[-1].rec_headers.get_header("WARC-Date")
    assert two.published == warc_date[:10] != "2020-01-01"
    layout = warc_layout(path)
    offsets = [o for o, _, kind, uri in layout if kind == "response" and uri.endswith("/one")]
    assert one.origin == f"{path}@{offsets[0]}"


def test_truncated_warc_gz_keeps_records_before_the_break(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, compress=True)
    data = whole.read_bytes()
    cut = len(data) // 2
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(data[:cut])
    after = tmp_path / "after.html"
    after.write_text(news_page(), encoding="utf-8")

    layout = warc_layout(whole)
    complete_pages = [
        uri
        for offset, length, kind, uri in layout
        if kind == "response" and offset + length <= cut and uri.endswith(("/one", "/two"))
    ]
    assert len(complete_pages) == 1  # the cut falls between the two pages
    (broken_at,) = [offset for offset, length, _, _ in layout if offset < cut < offset + length]

    items = read(broken, after)
    pages = [a.url for a in articles(items)[:-1]]
    assert pages == complete_pages
    (err,) = errors(items)
    assert err.origin == f"{broken}@{broken_at}"
    assert "truncated or corrupt WARC" in err.reason and f"{broken_at:,}" in err.reason
    assert items[-1] == articles(read(after))[0]  # the batch went on


def test_truncated_plain_warc_is_reported(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc"
    write_warc(whole, compress=False)
    data = whole.read_bytes()
    layout = warc_layout(whole)
    last_offset = layout[-1][0]
    broken = tmp_path / "broken.warc"
    broken.write_bytes(data[: last_offset + 600])  # inside the last page
    items = read(broken)
    assert [a.url for a in articles(items)] == ["https://planet.example/news/one"]
    (err,) = errors(items)
    assert err.origin == f"{broken}@{last_offset}" and "truncated" in err.reason


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc.gz"
    path.write_bytes(gzip.compress(b"this is not an archive\r\n\r\nat all\r\n"))
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    items = read(path, empty)
    assert len(items) == 2 and all(isinstance(x, InputError) for x in items)
    assert items[0].origin.startswith(str(path)) and "WARC" in items[0].reason
    assert items[1].origin == str(empty) and "no WARC records" in items[1].reason


# --- feeds -----------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Daily Planet World</title>
  <link>https://planet.example/</link>
  <description>World news</description>
  <item>
    <title>Minister resigns</title>
    <link>https://planet.example/news/minister</link>
    <guid isPermaLink="false">planet-1001</guid>
    <pubDate>Tue, 05 Mar 2024 23:30:00 -0300</pubDate>
    <description>&lt;p&gt;Short summary.&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>The minister resigned, officials said.</p>
      <p>She said an inquiry would follow.</p><script>track()</script>]]></content:encoded>
  </item>
  <item>
    <title>Floods close roads</title>
    <link>https://planet.example/news/floods</link>
    <description>&lt;p&gt;Police said &lt;b&gt;three&lt;/b&gt; roads
      were closed.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Photo gallery</title>
    <link>https://planet.example/gallery</link>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Planet Wire</title>
  <id>urn:planet:wire</id>
  <updated>2024-04-02T10:00:00Z</updated>
  <entry>
    <title>Budget approved</title>
    <id>urn:planet:wire:1</id>
    <link rel="alternate" href="https://wire.example/budget"/>
    <published>2024-04-01T08:00:00Z</published>
    <updated>2024-04-02T10:00:00Z</updated>
    <content type="html">&lt;p&gt;The council approved the budget.&lt;/p&gt;
      &lt;p&gt;The mayor said it was fair.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Strike ends</title>
    <id>urn:planet:wire:2</id>
    <link href="https://wire.example/strike"/>
    <updated>2024-04-03T10:00:00Z</updated>
    <summary type="text">Unions said the strike was over.</summary>
  </entry>
</feed>
"""


def test_rss_file_entries(tmp_path: Path) -> None:
    path = tmp_path / "world.rss"
    path.write_text(RSS, encoding="utf-8")
    items = read(path, published="2000-01-01")
    first, second, third = items
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.text == "The minister resigned, officials said.\nShe said an inquiry would follow."
    assert (first.id, first.title, first.url) == (
        "planet-1001",
        "Minister resigns",
        "https://planet.example/news/minister",
    )
    assert first.published == "2024-03-06"  # 23:30 at UTC-3 is the next day in UTC
    assert first.site == "Daily Planet World"
    assert first.origin == f"{path}#1"
    assert second.text == "Police said three roads were closed."
    assert second.published == "2000-01-01"  # no date of its own
    assert second.id == "https://planet.example/news/floods"
    assert isinstance(third, InputError)
    assert third.origin == f"{path}#3" and "no content or summary" in third.reason


def test_atom_file_entries(tmp_path: Path) -> None:
    path = tmp_path / "wire.atom"
    path.write_text(ATOM, encoding="utf-8")
    one, two = articles(read(path))
    assert one.text == "The council approved the budget.\nThe mayor said it was fair."
    assert (one.id, one.url, one.published, one.site) == (
        "urn:planet:wire:1",
        "https://wire.example/budget",
        "2024-04-01",
        "Planet Wire",
    )
    assert two.text == "Unions said the strike was over."
    assert two.published == "2024-04-03"  # only an updated date


def test_xml_is_read_when_it_is_a_feed(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(ATOM, encoding="utf-8")
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://planet.example/</loc></url></urlset>",
        encoding="utf-8",
    )
    assert len(articles(read(feed))) == 2
    err = errors(read(sitemap))[0]
    assert err.origin == str(sitemap) and "not an RSS or Atom feed" in err.reason
    # a directory walk takes the feed and skips the sitemap
    assert [a.title for a in articles(read(tmp_path))] == ["Budget approved", "Strike ends"]
    assert not errors(read(tmp_path))


def test_broken_feed_is_an_error_and_the_batch_goes_on(tmp_path: Path) -> None:
    broken = tmp_path / "broken.rss"
    broken.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>X</wrong></channel>',
        encoding="utf-8",
    )
    empty = tmp_path / "empty.rss"
    empty.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>X</title></channel></rss>',
        encoding="utf-8",
    )
    good = tmp_path / "good.atom"
    good.write_text(ATOM, encoding="utf-8")
    items = read(broken, empty, good)
    first, second = items[:2]
    assert isinstance(first, InputError) and isinstance(second, InputError)
    assert first.origin == str(broken) and "not a valid RSS or Atom feed" in first.reason
    assert second.origin == str(empty) and second.reason == "feed has no entries"
    assert len(articles(items)) == 2


# --- JSONL / CSV fields ----------------------------------------------------------------------


def test_csv_field_mapping_and_site(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "uid,Headline,Body,Date,Outlet\n"
        "a1,Budget,The minister said taxes would rise.,2022-05-06,Daily Planet\n",
        encoding="utf-8",
    )
    fields = {
        "id": "uid",
        "title": "headline",
        "text": "body",
        "published": "date",
        "site": "Outlet",
    }
    (art,) = read(path, fields=fields)
    assert isinstance(art, Article)
    assert (art.id, art.title, art.text, art.published, art.site) == (
        "a1",
        "Budget",
        "The minister said taxes would rise.",
        "2022-05-06",
        "Daily Planet",
    )


def test_csv_wrong_text_column_is_an_error_and_the_batch_goes_on(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("id,content,headline\n1,Some text,Title\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("id,body\n2,Police said the road was closed.\n", encoding="utf-8")
    items = read(wrong, good, fields={"text": "body"})
    assert len(items) == 2
    err, art = items
    assert isinstance(err, InputError) and isinstance(art, Article)
    assert err.origin == str(wrong)
    assert "no 'body' column" in err.reason
    for column in ("id", "content", "headline"):
        assert repr(column) in err.reason
    assert art.text == "Police said the road was closed."


def test_jsonl_field_mapping(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    records = [
        {"body": "Officials said it was over.", "date": "2021-07-08T10:00:00Z", "site": "Wire"},
        {"text": "Only the default field."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    first, second = read(path, fields={"text": "body", "published": "date"})
    assert isinstance(first, Article)
    assert (first.text, first.published, first.site) == (
        "Officials said it was over.",
        "2021-07-08",
        "Wire",
    )
    assert isinstance(second, InputError) and second.reason == "no 'body' field"


def test_unknown_field_or_format_is_a_caller_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown article field 'body'"):
        read(tmp_path, fields={"body": "text"})
    with pytest.raises(ValueError, match="unknown input format 'pdf'"):
        read(tmp_path, format="pdf")


# --- forced formats and directories ----------------------------------------------------------


def test_format_overrides_the_extension(tmp_path: Path) -> None:
    page = tmp_path / "page.dat"
    page.write_text(news_page(), encoding="utf-8")
    records = tmp_path / "records.txt"
    records.write_text('{"id": "r1", "text": "From JSON."}\n', encoding="utf-8")
    feed = tmp_path / "feed.txt"
    feed.write_text(RSS, encoding="utf-8")
    assert articles(read(page, format="html"))[0].title == "Minister resigns over rail budget"
    assert articles(read(page))[0].text.startswith("<!doctype html>")  # plain text otherwise
    assert [a.id for a in articles(read(records, format="jsonl"))] == ["r1"]
    assert len(articles(read(feed, format="rss"))) == 2


def test_directory_walk_picks_up_the_new_formats(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(news_page(), encoding="utf-8")
    write_warc(tmp_path / "b.warc.gz", compress=True)
    (tmp_path / "c.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "d.atom").write_text(ATOM, encoding="utf-8")
    (tmp_path / "e.txt").write_text("Plain text.", encoding="utf-8")
    (tmp_path / "skip.pdf").write_bytes(b"%PDF-1.4")
    items = read(tmp_path)
    origins = [x.origin or "" for x in items]
    assert origins[0] == str(tmp_path / "a.html")
    assert sum(o.startswith(str(tmp_path / "b.warc.gz@")) for o in origins) == 2
    assert sum(o.startswith(str(tmp_path / "c.rss#")) for o in origins) == 3
    assert sum(o.startswith(str(tmp_path / "d.atom#")) for o in origins) == 2
    assert origins[-1] == str(tmp_path / "e.txt")
    assert len(items) == 1 + 2 + 3 + 2 + 1


def test_formats_match_the_cli_choices() -> None:
    assert tuple(options.InputFormat) == FORMATS


# --- fetching URLs ---------------------------------------------------------------------------

Route = Callable[[http.server.BaseHTTPRequestHandler], None]


def send(status: int, content_type: str | None, body: bytes, length: bool = True) -> Route:
    def route(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        if content_type:
            handler.send_header("Content-Type", content_type)
        if length:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return route


def redirect(location: str) -> Route:
    def route(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route


def slow(seconds: float) -> Route:
    def route(handler: http.server.BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        send(200, "text/html", news_page().encode())(handler)

    return route


class Server:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)
        routes, requests = self.routes, self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                requests.append((self.path, self.headers.get("User-Agent", "")))
                route = routes.get(self.path)
                if route is None:
                    send(404, "text/html", b"<html><body>not here</body></html>")(self)
                else:
                    route(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture()
def server() -> Iterator[Server]:
    srv = Server()
    thread = threading.Thread(target=srv.httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


def fetch_all(*urls: str, **kwargs: object) -> list[Item]:
    kwargs.setdefault("allow_private", True)
    return read(*urls, **kwargs)


def test_fetch_an_article_page(server: Server) -> None:
    server.routes["/news/one"] = send(200, "text/html; charset=utf-8", news_page().encode())
    (art,) = fetch_all(server.url("/news/one"))
    assert isinstance(art, Article), art
    assert PARAGRAPHS[0] in art.text and BOILERPLATE["footer"] not in art.text
    assert art.title == "Minister resigns over rail budget"
    assert art.url == "https://planet.example/news/minister-resigns"  # canonical
    assert art.origin == server.url("/news/one")
    assert server.requests == [
        ("/news/one", f"newsledger/{__version__} (+https://github.com/newsledger)")
    ]


def test_loopback_is_refused_without_allow_private(server: Server) -> None:
    server.routes["/news/one"] = send(200, "text/html", news_page().encode())
    port = server.httpd.server_address[1]
    ip_url, name_url = server.url("/news/one"), f"http://localhost:{port}/news/one"
    first, second = read(ip_url, name_url)
    assert isinstance(first, InputError) and isinstance(second, InputError)
    assert first.origin == ip_url
    assert "refused: 127.0.0.1 is a loopback address" in first.reason
    assert "--allow-private" in first.reason
    assert second.reason.startswith("refused: host 'localhost' resolves to ")
    assert "loopback" in second.reason
    assert server.requests == []  # never connected


def test_redirects_are_followed_up_to_the_limit(server: Server) -> None:
    server.routes["/news/one"] = send(200, "text/html", news_page().encode())
    server.routes["/r1"] = redirect("/r2")
    server.routes["/r2"] = redirect(server.url("/news/one"))
    server.routes["/loop"] = redirect("/loop")
    ok, loop = fetch_all(server.url("/r1"), server.url("/loop"))
    assert isinstance(ok, Article) and PARAGRAPHS[0] in ok.text
    assert isinstance(loop, InputError) and "too many redirects (more than 5)" in loop.reason
    assert [p for p, _ in server.requests].count("/loop") == 6


def test_a_malformed_redirect_location_is_an_error_and_the_batch_goes_on(server: Server) -> None:
    server.routes["/news/one"] = send(200, "text/html", news_page().encode())
    server.routes["/bad"] = redirect("//[::1")
    server.routes["/idna"] = redirect("http://xn--/")
    bad, idna, ok = fetch_all(server.url("/bad"), server.url("/idna"), server.url("/news/one"))
    assert isinstance(bad, InputError) and bad.origin == server.url("/bad")
    assert "invalid url" in bad.reason.lower()
    assert isinstance(idna, InputError) and "invalid URL" in idna.reason
    assert isinstance(ok, Article) and PARAGRAPHS[0] in ok.text


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://10.1.2.3/admin", "10.1.2.3 is a private address"),
        ("http://[::1]:8080/", "::1 is a loopback address"),
        ("http://0.0.0.0/", "0.0.0.0 is an unspecified address"),
    ],
)
def test_redirect_to_a_private_address_is_refused(
    server: Server, monkeypatch: pytest.MonkeyPatch, target: str, problem: str
) -> None:
    # Let the test server itself count as public, so the first hop goes through.
    real = fetching.address_problem
    loopback = ipaddress.ip_address("127.0.0.1")
    monkeypatch.setattr(
        fetching, "address_problem", lambda ip: None if ip == loopback else real(ip)
    )
    server.routes["/go"] = redirect(target)
    (err,) = read(server.url("/go"))
    assert isinstance(err, InputError)
    assert err.origin == server.url("/go")
    assert f"refused: {problem}" in err.reason
    assert [p for p, _ in server.requests] == ["/go"]


def test_the_connected_address_is_checked_too(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name that resolves to a public address for the check, then to loopback (rebinding)."""
    public = ipaddress.ip_address("93.184.216.34")
    monkeypatch.setattr(fetching, "resolve", lambda host: [public])
    server.routes["/news/one"] = send(200, "text/html", news_page().encode())
    (err,) = read(server.url("/news/one"))
    assert isinstance(err, InputError)
    assert "refused: 127.0.0.1 is a loopback address" in err.reason
    assert server.requests == []  # refused after connecting, before the request was sent


def test_size_cap_with_and_without_content_length(server: Server) -> None:
    big = news_page(paragraphs=PARAGRAPHS * 200).encode()
    server.routes["/declared"] = send(200, "text/html", big)
    server.routes["/streamed"] = send(200, "text/html", big, length=False)
    declared, streamed = fetch_all(
        server.url("/declared"), server.url("/streamed"), max_bytes=20_000
    )
    assert isinstance(declared, InputError) and isinstance(streamed, InputError)
    assert "too large" in declared.reason and f"{len(big):,} bytes" in declared.reason
    assert "too large (more than 20,000 bytes" in streamed.reason
    (fits,) = fetch_all(server.url("/streamed"), max_bytes=len(big))
    assert isinstance(fits, Article)


def test_timeout(server: Server) -> None:
    server.routes["/slow"] = slow(2.0)
    started = time.monotonic()
    (err,) = fetch_all(server.url("/slow"), fetch_timeout=0.3)
    assert time.monotonic() - started < 1.5
    assert isinstance(err, InputError) and err.reason.startswith("timed out after 0.3 s")


def test_non_html_and_http_errors_are_refused(server: Server) -> None:
    server.routes["/logo.png"] = send(200, "image/png", b"\x89PNG" + bytes(100))
    server.routes["/data.json"] = send(200, "application/json", b"{}")
    server.routes["/untyped"] = send(200, None, b"<html></html>")
    png, data, untyped, missing = fetch_all(
        server.url("/logo.png"), server.url("/data.json"), server.url("/untyped"), server.url("/x")
    )
    assert isinstance(png, InputError) and isinstance(data, InputError)
    assert "refused: content type 'image/png' is not HTML or an RSS/Atom feed" == png.reason
    assert "'application/json'" in data.reason
    assert isinstance(untyped, InputError) and "'none given'" in untyped.reason
    assert isinstance(missing, InputError) and missing.reason == "HTTP 404 Not Found"


def test_feed_url_fetches_entry_pages(server: Server) -> None:
    feed = RSS.replace("https://planet.example/news/minister", server.url("/news/one"))
    feed = feed.replace("https://planet.example/news/floods", server.url("/news/gone"))
    feed = feed.replace("https://planet.example/gallery", server.url("/gallery.png"))
    assert "planet.example/" not in feed.replace("<link>https://planet.example/</link>", "")
    server.routes["/feed"] = send(200, "application/rss+xml", feed.encode())
    server.routes["/news/one"] = send(200, "text/html", news_page().encode())
    server.routes["/gallery.png"] = send(200, "image/png", b"\x89PNG" + bytes(100))
    first, second, third = fetch_all(server.url("/feed"))
    assert isinstance(first, Article)
    assert PARAGRAPHS[2] in first.text  # the page, not the feed's text
    assert (first.title, first.id, first.published) == (
        "Minister resigns",
        "planet-1001",
        "2024-03-06",
    )
    assert first.origin == f"{server.url('/feed')}#1"
    assert isinstance(second, InputError) and second.reason == "HTTP 404 Not Found"
    assert server.url("/news/gone") in second.origin
    assert isinstance(third, InputError) and "'image/png' is not HTML" in third.reason
    assert third.origin == f"{server.url('/feed')}#3 ({server.url('/gallery.png')})"

    # without link fetching, the feed's own text
    server.requests.clear()
    texts = [a.text for a in articles(fetch_all(server.url("/feed"), fetch_links=False))]
    assert texts[0] == "The minister resigned, officials said.\nShe said an inquiry would follow."
    assert [p for p, _ in server.requests] == ["/feed"]


def test_feed_served_as_xml_is_sniffed(server: Server) -> None:
    server.routes["/atom"] = send(200, "text/xml; charset=utf-8", ATOM.encode())
    items = fetch_all(server.url("/atom"), fetch_links=False)
    assert [a.title for a in articles(items)] == ["Budget approved", "Strike ends"]


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "a loopback address"),
        ("10.0.0.1", "a private address"),
        ("172.16.5.4", "a private address"),
        ("192.168.1.1", "a private address"),
        ("169.254.169.254", "a link-local address"),
        ("0.0.0.0", "an unspecified address"),
        ("224.0.0.1", "a multicast address"),
        ("240.0.0.1", "a reserved address"),
        ("100.64.0.1", "not a public address"),
        ("::1", "a loopback address"),
        ("::", "an unspecified address"),
        ("fe80::1", "a link-local address"),
        ("fd00::1", "a private address"),
        ("ff02::1", "a multicast address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("::ffff:10.0.0.1", "a private address"),
        ("93.184.216.34", None),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_address_problem(address: str, problem: str | None) -> None:
    assert fetching.address_problem(ipaddress.ip_address(address)) == problem


def test_only_http_urls_are_fetched() -> None:
    with pytest.raises(fetching.FetchError, match="only http and https"):
        fetching.fetch("ftp://example.org/file", fetching.FetchOptions())


# --- CLI -------------------------------------------------------------------------------------


def test_cli_reader_options(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("uid,body\nx1,The minister said taxes would rise.\n", encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(
        app,
        ["analyze", str(path), "--format", "jsonl", "--field", "text=body", "--field", "id=uid"],
        env=WIDE,
    )
    assert ok.exit_code == 0, ok.output
    record = json.loads(ok.stdout.splitlines()[0])
    assert record["article"]["id"] == "x1"

    bad = runner.invoke(app, ["analyze", str(path), "--field", "body"], env=WIDE)
    assert bad.exit_code == 2 and "is not NAME=COLUMN" in one_line(bad.output)
    unknown = runner.invoke(app, ["analyze", str(path), "--field", "author=writer"], env=WIDE)
    assert unknown.exit_code == 2
    assert "unknown article field 'author'" in one_line(unknown.output)


def test_cli_refuses_loopback_urls(server: Server) -> None:
    server.routes["/news/one"] = send(200, "text/html", news_page().encode())
    runner = CliRunner()
    result = runner.invoke(app, ["analyze", server.url("/news/one"), "--timeout", "2"], env=WIDE)
    assert result.exit_code == 1
    message = one_line(result.output)
    assert "127.0.0.1 is a loopback address" in message and "--allow-private" in message
    assert server.requests == []


def test_reader_kwargs() -> None:
    kwargs = options.reader_kwargs(options.InputFormat.csv, ["Text = body"], True, 3.0)
    assert kwargs == {
        "format": "csv",
        "fields": {"text": "body"},
        "allow_private": True,
        "fetch_timeout": 3.0,
        "fetch_links": None,
    }
