"""``newsledger watch``: polling feeds from a local test HTTP server (no network).

The server (``http.server`` in a thread, on 127.0.0.1) serves an RSS feed that honours
``If-None-Match``, a feed that always fails, and a webhook receiver. Fetches reach it with
``allow_private`` (loopback is refused otherwise, which one test checks). The clock is a
stand-in, so backoff is tested without waiting.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsledger.ledger import Ledger
from newsledger.readers.fetch import FetchOptions
from newsledger.watch import Watcher, WatchOptions, parse_interval, post_webhook

ROOT = Path(__file__).resolve().parents[1]
CORPUS = {
    r["id"]: r for r in (json.loads(line) for line in (ROOT / "examples" / "corpus.jsonl").open())
}
#: Two reports that disagree (3,000 vs "at least 1,500" reinforcements; October vs November).
FIRST, SECOND, THIRD = "hd-ukraine-14000", "nw-nis-11000", "mp-pentagon-12000"


def rss(ids: list[str]) -> bytes:
    items = "".join(
        f"<item><guid>urn:example:{i}</guid><title>{escape(CORPUS[i]['title'])}</title>"
        f"<link>https://news.example/{i}</link>"
        f"<pubDate>{formatdate(time.mktime(time.strptime(CORPUS[i]['published'], '%Y-%m-%d')))}"
        f"</pubDate><description>{escape(CORPUS[i]['text'])}</description></item>"
        for i in ids
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>'
        f"<link>https://news.example/</link><description>test</description>{items}"
        "</channel></rss>"
    ).encode()


@dataclass
class Site:
    """What the test server serves, and what it saw."""

    entries: list[str] = field(default_factory=list)
    etag: str = '"v1"'
    hits: dict[str, int] = field(default_factory=dict)
    conditional: list[str | None] = field(default_factory=list)
    user_agents: list[str] = field(default_factory=list)
    hooks: list[dict[str, Any]] = field(default_factory=list)
    hook_delay: float = 0.0
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture()
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            state.hits[self.path] = state.hits.get(self.path, 0) + 1
            state.user_agents.append(self.headers.get("User-Agent", ""))
            if self.path == "/feed.xml":
                sent = self.headers.get("If-None-Match")
                state.conditional.append(sent)
                if sent == state.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                body = rss(state.entries)
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", state.etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif self.path == "/broken.xml":
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            if self.path != "/hook":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            time.sleep(state.hook_delay)
            state.hooks.append(json.loads(body))
            self.send_response(204)
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


class Clock:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now


def options(**changes: Any) -> WatchOptions:
    base: dict[str, Any] = {
        "every": 600.0,
        "fetch": FetchOptions(timeout=5, allow_private=True),
        "fetch_links": False,  # the feed carries the whole text
    }
    return WatchOptions(**{**base, **changes})


def stored_ids(path: Path) -> list[str]:
    with sqlite3.connect(path) as con:
        return [r[0] for r in con.execute("SELECT id FROM articles ORDER BY seq")]


def test_new_items_are_ingested_once_and_304_costs_nothing(
    site: Site, tmp_path: Path, analyzer
) -> None:
    site.entries = [FIRST, SECOND]
    clock = Clock()
    with Ledger(tmp_path / "w.db") as ledger:
        watcher = Watcher(
            ledger, [site.url("/feed.xml")], options(), analyzer=analyzer, clock=clock
        )
        first = watcher.poll()
        [poll] = first.polls
        assert (poll.status, poll.new, poll.stored) == ("new", 2, 2)
        assert first.conflicts, "the two reports disagree"
        assert {c.kind for c in first.conflicts} <= {"quantity", "date", "denial", "revision"}

        clock.now += 600  # due again: the ETag goes back, the server answers 304
        second = watcher.poll()
        assert second.polls[0].status == "not modified" and not second.conflicts
        assert site.conditional == [None, '"v1"']

        site.entries = [THIRD, FIRST, SECOND]  # a new entry on top
        site.etag = '"v2"'
        clock.now += 600
        third = watcher.poll()
        assert (third.polls[0].new, third.polls[0].stored) == (1, 1)
        assert third.stats is not None and third.stats.skipped == 0
        assert any("12,000" in f"{c.a.value} {c.b.value}" for c in third.conflicts)
        assert all("newsledger/" in ua for ua in site.user_agents)
    ids = stored_ids(tmp_path / "w.db")
    assert len(ids) == 3 and len(set(ids)) == 3


def test_a_feed_is_polled_only_when_due(site: Site, tmp_path: Path, analyzer) -> None:
    site.entries = [FIRST]
    clock = Clock()
    with Ledger(tmp_path / "w.db") as ledger:
        watcher = Watcher(
            ledger, [site.url("/feed.xml")], options(), analyzer=analyzer, clock=clock
        )
        watcher.poll()
        clock.now += 599
        assert watcher.poll().polls[0].status == "waiting"
        assert site.hits["/feed.xml"] == 1
        assert watcher.next_due() == pytest.approx(clock.now + 1)


def test_a_failing_feed_backs_off_and_the_rest_go_on(site: Site, tmp_path: Path, analyzer) -> None:
    site.entries = [FIRST]
    clock = Clock()
    urls = [site.url("/broken.xml"), site.url("/feed.xml")]
    with Ledger(tmp_path / "w.db") as ledger:
        watcher = Watcher(ledger, urls, options(), analyzer=analyzer, clock=clock)
        broken, feed = watcher.poll().polls
        assert broken.status == "error" and "HTTP 500" in (broken.error or "")
        assert broken.next_poll == clock.now + 1200  # every × 2
        assert (feed.status, feed.stored) == ("new", 1)

        clock.now += 600
        broken, feed = watcher.poll().polls
        assert broken.status == "waiting" and feed.status == "not modified"
        assert site.hits["/broken.xml"] == 1

        clock.now += 600
        broken, _ = watcher.poll().polls
        assert broken.status == "error" and broken.next_poll == clock.now + 2400  # × 4
        assert site.hits["/broken.xml"] == 2
        row = ledger.con.execute(
            "SELECT failures, last_error FROM watch_feeds WHERE url = ?", (urls[0],)
        ).fetchone()
        assert row[0] == 2 and "500" in row[1]

        site.entries = [SECOND]  # the good feed goes on meanwhile
        site.etag = '"v2"'
        clock.now += 600
        _, feed = watcher.poll().polls
        assert feed.stored == 1


def test_backoff_is_capped(site: Site, tmp_path: Path, analyzer) -> None:
    clock = Clock()
    with Ledger(tmp_path / "w.db") as ledger:
        opts = options(every=600.0, max_backoff=1500.0)
        watcher = Watcher(ledger, [site.url("/broken.xml")], opts, analyzer=analyzer, clock=clock)
        for _ in range(4):
            [poll] = watcher.poll().polls
            assert poll.next_poll - clock.now <= 1500
            clock.now = poll.next_poll
        assert site.hits["/broken.xml"] == 4


def test_resume_after_restart_ingests_nothing_twice(site: Site, tmp_path: Path, analyzer) -> None:
    site.entries = [FIRST, SECOND, THIRD]
    path = tmp_path / "w.db"
    clock = Clock()
    with Ledger(path) as ledger:  # bounded: one entry per poll
        watcher = Watcher(
            ledger, [site.url("/feed.xml")], options(max_items=1), analyzer=analyzer, clock=clock
        )
        [poll] = watcher.poll().polls
        assert (poll.new, poll.left, poll.stored) == (1, 2, 1)
    # a new process: the state is in the ledger
    clock.now += 600
    with Ledger(path) as ledger:
        watcher = Watcher(
            ledger, [site.url("/feed.xml")], options(max_items=5), analyzer=analyzer, clock=clock
        )
        [poll] = watcher.poll().polls
        # entries were left over, so the feed was fetched whole (no If-None-Match)
        assert site.conditional == [None, None]
        assert (poll.new, poll.stored) == (2, 2)
    clock.now += 600
    with Ledger(path) as ledger:
        watcher = Watcher(
            ledger, [site.url("/feed.xml")], options(), analyzer=analyzer, clock=clock
        )
        assert watcher.poll().polls[0].status == "not modified"
        site.etag = '"v2"'  # the same entries again under a new ETag: nothing is new
        clock.now += 600
        [poll] = watcher.poll().polls
        assert poll.status == "nothing new" and poll.new == 0
    assert sorted(stored_ids(path)) == sorted([f"urn:example:{i}" for i in (FIRST, SECOND, THIRD)])
    with sqlite3.connect(path) as con:
        runs = con.execute("SELECT sum(stored), sum(skipped) FROM runs").fetchone()
        assert runs == (3, 0)


def test_loopback_is_refused_unless_allowed(site: Site, tmp_path: Path, analyzer) -> None:
    site.entries = [FIRST]
    with Ledger(tmp_path / "w.db") as ledger:
        opts = options(fetch=FetchOptions(timeout=5))
        watcher = Watcher(ledger, [site.url("/feed.xml")], opts, analyzer=analyzer, clock=Clock())
        [poll] = watcher.poll().polls
        assert poll.status == "error" and "loopback" in (poll.error or "")
    assert "/feed.xml" not in site.hits


def test_webhook_receives_the_new_conflicts(
    site: Site, tmp_path: Path, analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    import newsledger.cli.watch
    from newsledger.cli import app

    monkeypatch.setattr(newsledger.cli.watch, "Analyzer", lambda: analyzer)
    site.entries = [FIRST, SECOND]
    db = tmp_path / "w.db"
    args = [
        "watch",
        site.url("/feed.xml"),
        "--db",
        str(db),
        "--once",
        "--allow-private",
        "--no-fetch-links",
        "--webhook",
        site.url("/hook"),
        "--format",
        "jsonl",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    printed = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    [hook] = site.hooks
    assert hook["event"] == "newsledger.watch.conflicts"
    assert hook["conflicts"] == printed and printed
    with Ledger(db) as ledger:
        from newsledger.ledger.conflicts import read_conflicts

        assert {c.id for c in read_conflicts(ledger.con)} == {c["id"] for c in printed}
    # again: nothing new, so no conflicts and no webhook call
    result = CliRunner().invoke(app, [*args[:4], "--once", "--allow-private", "--every", "1s"])
    assert result.exit_code == 0 and len(site.hooks) == 1


def test_cli_prints_new_conflicts_as_csv(
    site: Site, tmp_path: Path, analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import csv
    import io

    from typer.testing import CliRunner

    import newsledger.cli.watch
    from newsledger.cli import app
    from newsledger.records import Conflict, flat_columns

    monkeypatch.setattr(newsledger.cli.watch, "Analyzer", lambda: analyzer)
    site.entries = [FIRST, SECOND]
    args = ["watch", site.url("/feed.xml"), "--db", str(tmp_path / "w.db"), "--once",
            "--allow-private", "--no-fetch-links", "--format", "csv"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == flat_columns(Conflict) and len(rows) > 1
    result = CliRunner().invoke(app, [*args[:-1], "json"])
    assert result.exit_code == 2 and "jsonl" in result.output


def test_cli_exits_1_when_a_feed_failed_and_2_on_usage(site: Site, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsledger.cli import app

    db = str(tmp_path / "w.db")
    runner = CliRunner()
    result = runner.invoke(
        app, ["watch", site.url("/broken.xml"), "--db", db, "--once", "--allow-private"]
    )
    assert result.exit_code == 1 and "HTTP 500" in result.output
    assert runner.invoke(app, ["watch", "feed.xml", "--db", db]).exit_code == 2
    assert (
        runner.invoke(app, ["watch", site.url("/f"), "--every", "soon", "--db", db]).exit_code == 2
    )


def test_webhook_timeout_and_errors_are_reported(site: Site) -> None:
    from newsledger.watch import Round

    site.hook_delay = 2.0
    began = time.monotonic()
    problem = post_webhook(site.url("/hook"), Round([], []), timeout=0.3)
    assert problem is not None and "0.3 s" in problem
    assert time.monotonic() - began < 1.9
    site.hook_delay = 0.0
    assert post_webhook(site.url("/hook"), Round([], []), timeout=5) is None
    assert "HTTP 404" in (post_webhook(site.url("/nothing-here"), Round([], [])) or "")


def test_parse_interval() -> None:
    assert parse_interval("90") == 90
    assert parse_interval("30s") == 30
    assert parse_interval("10m") == 600
    assert parse_interval("1.5h") == 5400
    assert parse_interval("1d") == 86400
    for bad in ("", "m", "0", "-5m", "soon", "nan", "inf"):
        with pytest.raises(ValueError):
            parse_interval(bad)
