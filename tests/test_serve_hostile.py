"""``serve`` under hostile requests, over a live server (uvicorn in a thread, real sockets):
a slow analysis does not stall other requests, the queue is bounded, the time limit holds,
errors keep the connection and the security headers, nothing internal leaks."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import uvicorn

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from newsledger.model import Article  # noqa: E402
from newsledger.web import create_app  # noqa: E402
from newsledger.web.app import INTERNAL_ERROR  # noqa: E402

HEADERS = {"Content-Type": "application/json", "X-Newsledger": "1"}
#: The body that stalled the server: 16 KB of quote marks.
HOSTILE = json.dumps({"text": '"' * 16_000})


class Record:
    def __init__(self, article: Article) -> None:
        self.chars = len(article.text)

    def to_dict(self) -> dict[str, Any]:
        return {"schema": "newsledger.analysis/1", "chars": self.chars}


class SlowAnalyzer:
    """Stands in for the pipeline on hostile text (one starting with a quote mark):
    ``seconds`` of work in C calls that hold the GIL for a long stretch each, as a regular
    expression or a Cython component does; other texts are instant."""

    def __init__(self, seconds: float, chunk: int = 20_000_000) -> None:
        self.seconds = seconds
        self.chunk = chunk

    def pipe(self, articles: list[Article]) -> Iterator[Record]:
        for article in articles:
            if article.text.startswith('"'):
                end = time.monotonic() + self.seconds
                while time.monotonic() < end:
                    sum(range(self.chunk))  # one call, the GIL held throughout
            yield Record(article)


class FailingAnalyzer:
    def pipe(self, articles: list[Article]) -> Iterator[Record]:
        raise RuntimeError("secret internal detail /home/user/ledger.db")
        yield  # pragma: no cover


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live(app: FastAPI) -> Iterator[int]:
    """``app`` served by uvicorn on a free loopback port, as ``newsledger serve`` runs it."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("the web server did not start")
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


def request(
    port: int,
    method: str,
    path: str,
    body: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes, float]:
    """One request on a fresh connection: status, headers, body and seconds taken."""
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    start = time.perf_counter()
    try:
        con.request(method, path, body=body, headers=headers or {})
        r = con.getresponse()
        data = r.read()
        return (
            r.status,
            {k.lower(): v for k, v in r.getheaders()},
            data,
            time.perf_counter() - start,
        )
    finally:
        con.close()


def test_a_hostile_analysis_does_not_stall_reads(example_ledger: Path) -> None:
    app = create_app(
        str(example_ledger),
        allow_analyze=True,
        analyzer_factory=partial(SlowAnalyzer, 1.0),
        analyze_queue=2,
    )
    app.state.analysis.start().result(30)  # the worker process is up, its analyzer built
    with live(app) as port, ThreadPoolExecutor(4) as pool:
        request(port, "GET", "/api/sources")  # warm the connection of the request thread
        posts = [
            pool.submit(request, port, "POST", "/api/analyze", HOSTILE, HEADERS) for _ in range(3)
        ]
        time.sleep(0.2)  # one analysis runs, two wait
        # the queue is full: a fourth is refused at once, with Retry-After
        status, headers, body, took = request(port, "POST", "/api/analyze", HOSTILE, HEADERS)
        assert status == 503 and "retry-after" in headers, (status, body)
        assert "busy" in json.loads(body)["error"] and took < 1.0
        assert "default-src 'self'" in headers["content-security-policy"]
        latencies = {}
        for path in ("/api/sources", "/static/style.css", "/"):
            status, _, _, took = request(port, "GET", path)
            assert status == 200, path
            latencies[path] = took
        print("GET latencies while 3 hostile analyses are in hand:", latencies)
        assert max(latencies.values()) < 1.0, latencies
        assert not posts[2].done(), "the reads were answered while analyses were in hand"
        answers = [p.result() for p in posts]
        assert app.state.analysis.worker_alive()
    assert not app.state.analysis.worker_alive(), "the worker ends with the server"
    assert [a[0] for a in answers] == [200, 200, 200]
    assert all(json.loads(a[2])["chars"] == 16_000 for a in answers)


def test_the_time_limit_stops_the_analysis(example_ledger: Path) -> None:
    app = create_app(
        str(example_ledger),
        allow_analyze=True,
        analyzer_factory=partial(SlowAnalyzer, 60.0),
        analyze_queue=0,
        analyze_time_limit=0.5,
    )
    app.state.analysis.start().result(30)
    with live(app) as port:
        status, headers, body, took = request(port, "POST", "/api/analyze", HOSTILE, HEADERS)
        assert status == 503 and headers["retry-after"] == "5"
        assert "longer than 0.5 s" in json.loads(body)["error"]
        assert took < 1.5, took
        # the worker doing it was killed: its place is free, a fresh worker answers
        app.state.analysis.time_limit = 30.0
        body = json.dumps({"text": "Kim said so."})
        status, _, answer, _ = request(port, "POST", "/api/analyze", body, HEADERS)
        assert status == 200, answer


def test_in_process_the_time_limit_answers_and_keeps_the_place(example_ledger: Path) -> None:
    app = create_app(
        str(example_ledger),
        allow_analyze=True,
        analyzer=SlowAnalyzer(3.0, chunk=1_000_000),
        analyze_queue=0,
        analyze_time_limit=0.3,
    )
    with live(app) as port:
        status, headers, body, took = request(port, "POST", "/api/analyze", HOSTILE, HEADERS)
        assert status == 503 and headers["retry-after"] == "5"
        assert "longer than 0.3 s" in json.loads(body)["error"] and took < 2.0
        # a thread cannot be stopped: the place stays taken until the analysis ends
        status, _, body, _ = request(port, "POST", "/api/analyze", HOSTILE, HEADERS)
        assert status == 503 and "busy" in json.loads(body)["error"]


@pytest.mark.parametrize("in_process", [True, False], ids=["thread", "process"])
def test_errors_keep_the_connection_and_the_headers(example_ledger: Path, in_process: bool) -> None:
    if in_process:
        app = create_app(str(example_ledger), allow_analyze=True, analyzer=FailingAnalyzer())
    else:
        app = create_app(str(example_ledger), allow_analyze=True, analyzer_factory=FailingAnalyzer)
        app.state.analysis.start().result(30)
    with live(app) as port:
        con = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            answers = []
            for method, path, body in [
                ("POST", "/api/analyze", "[" * 100_000),
                ("GET", "/api/sources", None),
                ("POST", "/api/analyze", json.dumps({"text": "Kim said so."})),
                ("GET", "/api/sources", None),
                ("POST", "/api/analyze", "{" * 100_000),
                ("GET", "/static/style.css", None),
            ]:
                con.request(method, path, body=body, headers=HEADERS)
                r = con.getresponse()
                answers.append((r.status, dict(r.getheaders()), r.read()))
                assert not r.will_close, (method, path, r.status)
        finally:
            con.close()
    assert [a[0] for a in answers] == [422, 200, 500, 200, 422, 200]
    assert b"nested too deeply" in answers[0][2]
    status, headers, body = answers[2]
    assert json.loads(body) == {"error": INTERNAL_ERROR, "status": 500}
    assert b"secret" not in body and b"RuntimeError" not in body
    for _, headers, _ in answers:
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


@pytest.mark.slow
def test_the_worker_process_answers_what_the_thread_does(example_ledger: Path, analyzer) -> None:
    """The records a worker process sends back are byte for byte those of the pipeline here."""
    text = "Kim Jong Un said that troops were sent to Kursk, KCNA reported."
    body = {"text": text, "published": "2025-04-28", "title": "T", "id": "x-1"}
    here = TestClient(
        create_app(str(example_ledger), allow_analyze=True, analyzer=analyzer),
        base_url="http://127.0.0.1",
    )
    there = TestClient(
        create_app(str(example_ledger), allow_analyze=True), base_url="http://127.0.0.1"
    )
    a = here.post("/api/analyze", json=body, headers=HEADERS)
    b = there.post("/api/analyze", json=body, headers=HEADERS)
    assert a.status_code == b.status_code == 200 and a.content == b.content


def test_a_page_error_is_a_generic_html_500(
    example_ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsledger.web import data

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("secret internal detail")

    monkeypatch.setattr(data, "search", boom)
    client = TestClient(create_app(str(example_ledger)), base_url="http://127.0.0.1")
    for path, kind in (("/search?q=troops", "text/html"), ("/api/search?q=troops", "json")):
        r = client.get(path)
        assert r.status_code == 500 and kind in r.headers["content-type"], path
        assert "secret" not in r.text and "ValueError" not in r.text and "Traceback" not in r.text
        assert "default-src 'self'" in r.headers["Content-Security-Policy"]


def test_testserver_is_not_a_production_host(example_ledger: Path) -> None:
    client = TestClient(create_app(str(example_ledger)))  # sends Host: testserver
    r = client.get("/api/sources")
    assert r.status_code == 400
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    for host in ("127.0.0.1", "localhost", "127.0.0.1:8000", "localhost:8000"):
        assert client.get("/api/sources", headers={"Host": host}).status_code == 200, host


def test_nested_json_to_any_endpoint(example_ledger: Path) -> None:
    client = TestClient(create_app(str(example_ledger)), base_url="http://127.0.0.1")
    spec = client.get("/api/openapi.json").json()
    nested = "[" * 100_000
    for path in spec["paths"]:
        url = path.replace("{article_id}", "x").replace("{name}", "x")
        for method in ("GET", "POST", "PUT"):
            r = client.request(method, url, content=nested, headers=HEADERS)
            assert r.status_code in (200, 403, 404, 405, 422), (method, url, r.status_code)
            assert "default-src 'self'" in r.headers["Content-Security-Policy"]
            assert r.headers["content-type"].startswith("application/json")


def test_serve_turns_analysis_on_only_when_asked(
    monkeypatch: pytest.MonkeyPatch, example_ledger: Path
) -> None:
    from typer.testing import CliRunner

    from newsledger.cli import app
    from newsledger.web.analysis import AnalysisPool

    apps: list[FastAPI] = []
    started: list[AnalysisPool] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append(app))
    monkeypatch.setattr(AnalysisPool, "start", lambda self: started.append(self))
    runner = CliRunner()
    result = runner.invoke(app, ["serve", "--db", str(example_ledger)])
    assert result.exit_code == 0 and "(read-only)" in result.output
    assert apps[-1].state.analysis is None and not started
    result = runner.invoke(
        app, ["serve", "--db", str(example_ledger), "--allow-analyze", "--analyze-time-limit", "5"]
    )
    assert result.exit_code == 0 and "POST /api/analyze on" in result.output, result.output
    pool = apps[-1].state.analysis
    assert pool is not None and pool.time_limit == 5.0 and not pool.in_process
    assert started == [pool], "the worker loads its model as the server starts"
    assert not apps[-1].state.allow_write
    result = runner.invoke(
        app, ["serve", "--db", str(example_ledger), "--host", "0.0.0.0", "--allow-analyze"]
    )
    assert "have articles analyzed (--allow-analyze)" in result.output


def test_analysis_outlives_a_lifespan(example_ledger: Path) -> None:
    app = create_app(str(example_ledger), allow_analyze=True, analyzer=SlowAnalyzer(0.0))
    body = json.dumps({"text": "Kim said so."})
    for _ in range(2):  # each `with` runs the app's startup and shutdown
        with TestClient(app, base_url="http://127.0.0.1") as client:
            r = client.post("/api/analyze", content=body, headers=HEADERS)
            assert r.status_code == 200 and r.json()["chars"] == 12


def test_the_workbench_pages_under_hostile_requests(example_ledger: Path) -> None:
    """The list pages, stories, timelines and the graph over real sockets: hostile filters and
    ids answer 200 or 404 with the security headers, markup stays escaped, traversal is 404,
    huge limits are capped, and a page right after answers normally on the same server."""
    app = create_app(str(example_ledger), allowed_hosts=["127.0.0.1"])
    evil = "%3Cscript%3Ealert(1)%3C%2Fscript%3E"
    fts = "NEAR(troops%20OR%20%22*%22%2C%202)"
    with live(app) as port:
        for path in (
            f"/articles?q={evil}&site={evil}&sort={evil}&since={evil}",
            f"/articles.json?q={fts}&limit=100000000&page=-3",
            f"/sources?name={evil}&type={evil}&sort=name",
            f"/entities?name={fts}&type={evil}",
            f"/stories?q={fts}&min_articles={evil}",
            f"/stories/{evil}",
            "/stories/..%2F..%2Fetc%2Fpasswd",
            f"/timeline/{evil}",
            "/timeline/..%2F..%2Fetc%2Fpasswd.json",
            f"/timeline/Kim%20Jong%20Un?role={evil}&order={evil}&until={evil}",
            f"/graph?limit=999999999&min={evil}&named={evil}",
            f"/graph/source?name={evil}",
        ):
            status, headers, body, _ = request(port, "GET", path)
            assert status in (200, 404), (path, status)
            assert "default-src 'self'" in headers["content-security-policy"], path
            assert b"<script>alert" not in body or headers["content-type"].startswith(
                "application/json"
            ), path
            assert b"root:" not in body, path
        status, _, body, _ = request(port, "GET", "/articles.json?limit=100000000")
        assert status == 200 and json.loads(body)["limit"] == 100
        status, _, body, _ = request(port, "GET", "/graph.json?limit=999999999&named=0")
        assert status == 200 and len(json.loads(body)["nodes"]) <= 300
