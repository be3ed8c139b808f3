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
        self.article = article

    def to_dict(self) -> dict[str, Any]:
        return {"schema": "newsledger.analysis/1", "chars": len(self.article.text)}


class SlowAnalyzer:
    """Stands in for the pipeline on hostile text: ``seconds`` of pure-Python work per
    article (holding the GIL in short stretches, as the extractors do), deterministic."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.calls = 0

    def pipe(self, articles: list[Article]) -> Iterator[Record]:
        for article in articles:
            self.calls += 1
            end = time.monotonic() + self.seconds
            n = 0
            while time.monotonic() < end:
                n += sum(i * i for i in range(200))
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
    slow = SlowAnalyzer(seconds=1.0)
    app = create_app(str(example_ledger), allow_analyze=True, analyzer=slow, analyze_queue=2)
    with live(app) as port, ThreadPoolExecutor(4) as pool:
        request(port, "GET", "/api/sources")  # warm the connection of the worker thread
        posts = [
            pool.submit(request, port, "POST", "/api/analyze", HOSTILE, HEADERS) for _ in range(3)
        ]
        deadline = time.monotonic() + 5
        while slow.calls == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert slow.calls == 1, "the first analysis is running"
        time.sleep(0.1)  # the other two are in the queue now
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
        assert slow.calls <= 2, "the reads were answered while analyses were still in hand"
        answers = [p.result() for p in posts]
    assert [a[0] for a in answers] == [200, 200, 200]
    assert all(json.loads(a[2])["chars"] == 16_000 for a in answers)


def test_the_time_limit_answers_503_and_keeps_the_place(example_ledger: Path) -> None:
    slow = SlowAnalyzer(seconds=1.5)
    app = create_app(
        str(example_ledger),
        allow_analyze=True,
        analyzer=slow,
        analyze_queue=0,
        analyze_time_limit=0.3,
    )
    with live(app) as port:
        status, headers, body, took = request(port, "POST", "/api/analyze", HOSTILE, HEADERS)
        assert status == 503 and headers["retry-after"] == "5"
        assert "longer than 0.3 s" in json.loads(body)["error"]
        assert took < 1.2, took
        # the abandoned analysis still runs: its place is not given to another one yet
        status, _, body, _ = request(port, "POST", "/api/analyze", HOSTILE, HEADERS)
        assert status == 503 and "busy" in json.loads(body)["error"]
        time.sleep(1.5)
        slow.seconds = 0.0
        status, _, _, _ = request(port, "POST", "/api/analyze", HOSTILE, HEADERS)
        assert status == 200


def test_errors_keep_the_connection_and_the_headers(example_ledger: Path) -> None:
    app = create_app(str(example_ledger), allow_analyze=True, analyzer=FailingAnalyzer())
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
