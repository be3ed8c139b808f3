"""The workbench's actions (TestClient, no network): ingest from the browser, verdicts,
entity merges and splits, exports; the CSRF token on every form; every write refused when
the server runs without ``--write``."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import time
import warnings
from pathlib import Path
from typing import Any

import pytest

warnings.filterwarnings("ignore", category=DeprecationWarning)
import pyarrow.parquet as pq  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from newsledger.ledger import Ledger  # noqa: E402
from newsledger.ledger import entities as identity  # noqa: E402
from newsledger.web import actions, create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')

#: Short reports, one per upload format, none of them in the example corpus.
TEXTS = {
    "txt": "The mayor of Springfield said on Monday that 300 jobs would be cut at the plant,"
    " according to a statement from the city council. Union leaders said the figure was"
    " too low and that they expected more cuts later in the year.",
    "html": "The health ministry said on Tuesday that 45 new cases had been reported in the"
    " northern province. Officials said the outbreak was under control, according to the"
    " regional broadcaster, and that schools would stay open for now.",
    "jsonl": "The finance minister told reporters on Wednesday that the budget deficit would"
    " fall to 2 percent next year. Economists said the forecast was optimistic, according to"
    " a survey published by the central bank the same day.",
    "csv": "Police said on Thursday that 12 people had been arrested after the protest in the"
    " capital. A spokesman said that the demonstration had been peaceful until the evening,"
    " according to local news reports.",
    "warc": "The airline said on Friday that 80 flights had been cancelled because of the"
    " strike. Passengers were told to check the website before travelling, a spokeswoman"
    " said, according to the national news agency.",
}


def html_page(title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{s.strip()}.</p>" for s in text.split(". ") if s.strip())
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body><nav>Home</nav>"
        f"<article><h1>{title}</h1>{paragraphs}{paragraphs}</article><footer>(c)</footer>"
        "</body></html>"
    )


def warc_bytes(url: str, page: str) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
    )
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(page.encode()), http_headers=headers
    )
    writer.write_record(record)
    return out.getvalue()


def local(app: Any) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)


def token(client: TestClient, page: str = "/export") -> str:
    """The CSRF token of the forms on ``page`` (a GET sets the cookie it is made from)."""
    r = client.get(page)
    assert r.status_code == 200, r.text
    if "csrf_token" not in r.text:
        r = client.get("/ingest")
    found = TOKEN.search(r.text)
    assert found, "the page carries a CSRF token"
    return found.group(1)


@pytest.fixture(scope="module")
def client(example_ledger: Path) -> TestClient:
    """``newsledger serve``: read-only."""
    return local(create_app(str(example_ledger)))


@pytest.fixture()
def writable(example_ledger: Path, tmp_path: Path) -> Path:
    path = tmp_path / "copy.db"
    shutil.copy(example_ledger, path)
    return path


@pytest.fixture()
def rw(writable: Path, analyzer) -> TestClient:
    """``newsledger serve --write`` over a copy of the example ledger."""
    return local(create_app(str(writable), allow_write=True, analyzer=analyzer))


@pytest.fixture()
def empty(tmp_path: Path, analyzer) -> tuple[TestClient, Path]:
    """``newsledger serve --write`` over an empty ledger."""
    path = tmp_path / "empty.db"
    Ledger(path).close()
    return local(create_app(str(path), allow_write=True, analyzer=analyzer)), path


def first_conflict(client: TestClient) -> dict[str, Any]:
    return client.get("/api/conflicts", params={"kind": "quantity", "limit": 1}).json()[
        "conflicts"
    ][0]


def wait_for(client: TestClient, job_url: str, limit: float = 240) -> dict[str, Any]:
    began = time.monotonic()
    while time.monotonic() - began < limit:
        job = client.get(job_url + ".json").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    pytest.fail(f"the ingest {job_url} did not finish in {limit} s")


# ------------------------------------------------------------------ write off
def test_every_write_route_refuses_when_write_is_off(
    client: TestClient, example_ledger: Path
) -> None:
    before = example_ledger.stat().st_mtime_ns, example_ledger.read_bytes()
    conflict = first_conflict(client)
    forms = {
        "/ingest": {"text": TEXTS["txt"], "csrf_token": "x"},
        f"/conflicts/{conflict['id']}/verdict": {"verdict": "confirmed", "csrf_token": "x"},
        "/edit/entities/merge": {"a": "1", "b": "2", "csrf_token": "x"},
        "/edit/entities/split": {"a": "1", "b": "x:e1", "csrf_token": "x"},
    }
    for path, form in forms.items():
        r = client.post(path, data=form)
        assert r.status_code == 403, (path, r.status_code)
        assert "--write" in r.text
    assert client.get("/ingest").status_code == 403
    assert client.get("/ingest/jobs/abc").status_code == 403
    page = client.get("/conflicts")
    assert "set-cookie" not in page.headers, "no CSRF cookie on a read-only server"
    assert 'href="/ingest"' not in page.text and "verdict-form" not in page.text
    assert example_ledger.read_bytes() == before[1]


def test_reads_stay_open_when_write_is_off(client: TestClient) -> None:
    conflict = first_conflict(client)
    r = client.get(f"/conflicts/{conflict['id']}")
    assert r.status_code == 200 and "Verdict" in r.text and "<form" not in r.text.split("<main ")[1]
    assert client.get(f"/conflicts/{conflict['id']}.json").json() == conflict
    assert client.get("/conflicts/999999").status_code == 404
    assert client.get("/edit/entities", params={"q": "Kim"}).status_code == 200
    assert client.get("/export").status_code == 200
    assert client.get("/export/conflicts.csv").status_code == 200


# ------------------------------------------------------------------ CSRF
def test_csrf_token_is_checked_on_every_post(rw: TestClient, writable: Path) -> None:
    r = rw.get("/conflicts")  # a first visit sets the cookie
    assert "newsledger_csrf=" in r.headers["set-cookie"]
    assert "HttpOnly" in r.headers["set-cookie"] and "SameSite=Strict" in r.headers["set-cookie"]
    assert "set-cookie" not in rw.get("/conflicts").headers, "once per browser"
    conflict = first_conflict(rw)
    url = f"/conflicts/{conflict['id']}/verdict"
    good = token(rw, "/conflicts")
    body = {"verdict": "confirmed", "note": "checked"}
    assert rw.post(url, data=body).status_code == 403  # no token
    assert rw.post(url, data={**body, "csrf_token": "0" * 64}).status_code == 403
    other = local(rw.app)  # another browser: its own cookie, its own token
    stolen = token(other, "/conflicts")
    assert stolen != good
    assert rw.post(url, data={**body, "csrf_token": stolen}).status_code == 403
    cross = {"Sec-Fetch-Site": "cross-site"}
    assert rw.post(url, data={**body, "csrf_token": good}, headers=cross).status_code == 403
    null = {"Origin": "null", "Sec-Fetch-Site": "cross-site"}  # a sandboxed frame elsewhere
    assert rw.post(url, data={**body, "csrf_token": good}, headers=null).status_code == 403
    evil = {"Origin": "http://evil.example"}
    assert rw.post(url, data={**body, "csrf_token": good}, headers=evil).status_code == 403
    for path in ("/ingest", "/edit/entities/merge", "/edit/entities/split"):
        assert rw.post(path, data={"a": "1", "b": "2", "text": "x"}).status_code == 403, path
    with sqlite3.connect(writable) as con:
        assert con.execute("SELECT count(*) FROM conflict_verdicts").fetchone()[0] == 0
    r = rw.post(url, data={**body, "csrf_token": good}, headers={"X-CSRF-Token": "ignored"})
    assert r.status_code == 303
    cookieless = local(rw.app)
    r = cookieless.post(url, data={**body, "csrf_token": good})
    assert r.status_code == 403 and "cookie" in r.text


# ------------------------------------------------------------------ verdicts
def test_verdict_confirm_dismiss_and_undo(rw: TestClient) -> None:
    conflict = first_conflict(rw)
    cid = conflict["id"]
    page = rw.get(f"/conflicts/{cid}")
    assert page.status_code == 200 and 'class="verdict-form"' in page.text
    good = TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
    htmx = {"HX-Request": "true"}
    note = "<script>alert(1)</script> same count"
    r = rw.post(
        f"/conflicts/{cid}/verdict",
        data={"verdict": "confirmed", "note": note, "csrf_token": good},
        headers=htmx,
    )
    assert r.status_code == 200 and 'id="verdict-' in r.text
    assert "confirmed" in r.text and "<script>alert" not in r.text and "&lt;script&gt;" in r.text
    assert 'class="undo-form"' in r.text and 'name="verdict" value=""' in r.text
    shown = rw.get(f"/conflicts/{cid}.json").json()
    assert (shown["verdict"], shown["verdict_note"]) == ("confirmed", note)
    # dismiss: the undo goes back to confirmed, with its note
    r = rw.post(
        f"/conflicts/{cid}/verdict",
        headers=htmx,
        data={"verdict": "dismissed", "note": "rounded", "csrf_token": good},
    )
    assert 'name="verdict" value="confirmed"' in r.text
    undo = re.search(r'class="undo-form".*?</form>', r.text, re.S).group(0)  # type: ignore[union-attr]
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', undo))
    assert fields["verdict"] == "confirmed"
    r = rw.post(
        f"/conflicts/{cid}/verdict",
        headers=htmx,
        data={"verdict": "confirmed", "note": note, "csrf_token": good},
    )
    assert rw.get(f"/conflicts/{cid}.json").json()["verdict"] == "confirmed"
    # undo of the first verdict: none
    r = rw.post(f"/conflicts/{cid}/verdict", data={"verdict": "", "csrf_token": good})
    assert r.status_code == 303 and r.headers["location"] == f"/conflicts/{cid}"
    cleared = rw.get(f"/conflicts/{cid}.json").json()
    assert cleared["verdict"] is None and cleared["verdict_note"] is None
    listed = rw.get("/conflicts", params={"kind": "quantity"}).text
    assert f'id="verdict-{cid}"' in listed
    bad = rw.post(f"/conflicts/{cid}/verdict", data={"verdict": "maybe", "csrf_token": good})
    assert bad.status_code == 422
    gone = rw.post("/conflicts/999999/verdict", data={"verdict": "confirmed", "csrf_token": good})
    assert gone.status_code == 404
    long_note = {"verdict": "dismissed", "note": "x" * 2001, "csrf_token": good}
    assert rw.post(f"/conflicts/{cid}/verdict", data=long_note).status_code == 422


# ------------------------------------------------------------------ ingest
def test_upload_of_each_format(empty: tuple[TestClient, Path]) -> None:
    client, path = empty
    good = token(client, "/ingest")
    jsonl = json.dumps(
        {
            "id": "budget",
            "title": "Budget",
            "published": "2025-03-05",
            "site": "Capital Times",
            "text": TEXTS["jsonl"],
        }
    )
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["id", "title", "published", "text"])
    writer.writerow(["arrests", "Arrests", "2025-03-06", TEXTS["csv"]])
    files = [
        ("files", ("jobs.txt", TEXTS["txt"].encode(), "text/plain")),
        ("files", ("cases.html", html_page("New cases", TEXTS["html"]).encode(), "text/html")),
        ("files", ("budget.jsonl", (jsonl + "\n").encode(), "application/json")),
        ("files", ("arrests.csv", rows.getvalue().encode(), "text/csv")),
        (
            "files",
            (
                "strike.warc",
                warc_bytes("https://air.example/strike", html_page("Strike", TEXTS["warc"])),
                "application/warc",
            ),
        ),
        ("files", ("broken.csv", b"title,body\nx,y\n", "text/csv")),
    ]
    r = client.post("/ingest", data={"csrf_token": good}, files=files)
    assert r.status_code == 303, r.text
    job_url = r.headers["location"]
    assert job_url.startswith("/ingest/jobs/")
    job = wait_for(client, job_url)
    assert job["state"] == "done", job
    assert job["stored"] == 5 and job["failed"] == 1, job
    [error] = job["errors"]
    assert error["input"].startswith("broken.csv") and "text" in error["reason"]
    assert "/tmp" not in json.dumps(job) and "newsledger-upload" not in json.dumps(job)
    with sqlite3.connect(path) as con:
        ids = {r[0] for r in con.execute("SELECT id FROM articles")}
        budget = con.execute(
            "SELECT title, published, site FROM articles WHERE id = 'budget'"
        ).fetchone()
    assert {"jobs", "cases", "budget", "arrests"} <= ids and len(ids) == 5
    assert budget == ("Budget", "2025-03-05", "Capital Times")
    page = client.get(job_url)
    assert page.status_code == 200 and "broken.csv" in page.text and "Done" in page.text
    assert 'hx-trigger="every 1s"' not in page.text, "a finished job is not polled"
    # again: everything is skipped, nothing stored twice
    again = wait_for(
        client,
        client.post("/ingest", data={"csrf_token": good}, files=files[:2]).headers["location"],
    )
    assert (again["stored"], again["skipped"]) == (0, 2)


def test_paste_text_with_title_date_and_site(empty: tuple[TestClient, Path]) -> None:
    client, path = empty
    good = token(client, "/ingest")
    form = {
        "csrf_token": good,
        "text": TEXTS["txt"],
        "title": '<script>alert("t")</script> Plant cuts',
        "published": "2025-02-03",
        "site": "Springfield Post",
        "url": "https://post.example/cuts",
    }
    r = client.post("/ingest", data=form, headers={"HX-Request": "true"})
    assert r.status_code == 202 and 'id="job"' in r.text
    job_id = re.search(r"/ingest/jobs/([\w-]+)", r.text).group(1)  # type: ignore[union-attr]
    job = wait_for(client, f"/ingest/jobs/{job_id}")
    assert job["stored"] == 1, job
    with sqlite3.connect(path) as con:
        row = con.execute("SELECT title, published, site, url FROM articles").fetchone()
    assert row == (form["title"], "2025-02-03", "Springfield Post", "https://post.example/cuts")
    page = client.get(f"/ingest/jobs/{job_id}")
    assert "<script>alert" not in page.text


def test_ingest_errors_name_the_input(
    empty: tuple[TestClient, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, path = empty
    good = token(client, "/ingest")
    r = client.post(
        "/ingest",
        data={
            "csrf_token": good,
            "text": TEXTS["txt"],
            "title": "Cuts",
            "published": "tomorrow",
            "urls": "ftp://files.example/a",
        },
    )
    assert r.status_code == 422
    assert "pasted text (Cuts)" in r.text and "&#39;tomorrow&#39; is not a date" in r.text
    assert "ftp://files.example/a" in r.text and "Nothing was ingested" in r.text
    assert TEXTS["txt"][:40] in r.text, "the form keeps what was typed"
    r = client.post(
        "/ingest",
        data={"csrf_token": good},
        files=[("files", ("slides.pdf", b"%PDF-1.4", "application/pdf"))],
    )
    assert r.status_code == 422 and "slides.pdf" in r.text
    monkeypatch.setattr(actions, "MAX_UPLOAD_BYTES", 100)
    r = client.post(
        "/ingest",
        data={"csrf_token": good},
        files=[("files", ("long.txt", TEXTS["txt"].encode(), "text/plain"))],
    )
    assert r.status_code == 422 and "long.txt" in r.text and "at most 100" in r.text
    monkeypatch.setattr(actions, "MAX_FORM_BYTES", 1000)
    r = client.post(
        "/ingest",
        data={"csrf_token": good},
        files=[("files", ("big.txt", b"word " * 500, "text/plain"))],
    )
    assert r.status_code == 413
    many = [("files", (f"f{i}.txt", b"x", "text/plain")) for i in range(actions.MAX_FILES + 1)]
    monkeypatch.setattr(actions, "MAX_FORM_BYTES", 50_000_000)
    assert client.post("/ingest", data={"csrf_token": good}, files=many).status_code == 400
    assert client.post("/ingest", data={"csrf_token": good}).status_code == 422  # nothing
    # a URL on a loopback address is refused for that input (no private fetches)
    r = client.post("/ingest", data={"csrf_token": good, "urls": "http://127.0.0.1:9/feed.xml"})
    job = wait_for(client, r.headers["location"])
    [error] = job["errors"]
    assert error["input"] == "http://127.0.0.1:9/feed.xml" and "loopback" in error["reason"]
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def test_an_upload_name_cannot_leave_the_upload_folder(empty: tuple[TestClient, Path]) -> None:
    client, _ = empty
    good = token(client, "/ingest")
    files = [("files", ("../../../etc/passwd.txt", TEXTS["txt"].encode(), "text/plain"))]
    job = wait_for(
        client, client.post("/ingest", data={"csrf_token": good}, files=files).headers["location"]
    )
    assert job["inputs"] == ["passwd.txt"] and job["stored_ids"] == ["passwd"]


def test_jobs_json_and_unknown_job(empty: tuple[TestClient, Path]) -> None:
    client, _ = empty
    assert client.get("/ingest/jobs/nope").status_code == 404
    assert client.get("/ingest/jobs/nope.json").status_code == 404


# ------------------------------------------------------------------ entities
def test_merge_refuses_self_merges_ambiguous_and_unknown_names(
    rw: TestClient, writable: Path
) -> None:
    good = token(rw, "/edit/entities")
    with sqlite3.connect(writable) as con:
        # two ledger entities that share a name ("Twin"): the name alone is ambiguous
        first, other = [
            r[0]
            for r in con.execute(
                "SELECT id FROM ledger_entities WHERE type = 'organization' ORDER BY id LIMIT 2"
            )
        ]
        con.executemany(
            "INSERT INTO ledger_entity_keys(key, ledger_entity) VALUES ('n:twin', ?)",
            [(first,), (other,)],
        )
        entities_before = con.execute("SELECT count(*) FROM ledger_entities").fetchone()[0]
    r = rw.post("/edit/entities/merge", data={"a": "Twin", "b": "Twin", "csrf_token": good})
    assert r.status_code == 409 and "ambiguous" in r.text
    assert str(first) in r.text and str(other) in r.text
    r = rw.post("/edit/entities/merge", data={"a": str(first), "b": str(first), "csrf_token": good})
    assert r.status_code == 409 and "same ledger entity" in r.text
    r = rw.post("/edit/entities/merge", data={"a": "Nobody Atall", "b": "1", "csrf_token": good})
    assert r.status_code == 404 and "Nobody Atall" in r.text
    with sqlite3.connect(writable) as con:
        assert con.execute("SELECT count(*) FROM ledger_entities").fetchone()[0] == entities_before
        assert con.execute("SELECT count(*) FROM entity_rules").fetchone()[0] == 0


def test_ambiguous_name_and_types_at_the_ledger(writable: Path) -> None:
    with Ledger(writable) as ledger, ledger.transaction() as con:
        person = con.execute(
            "SELECT id FROM ledger_entities WHERE type = 'person' ORDER BY id LIMIT 1"
        ).fetchone()[0]
        place, kb = con.execute(
            "SELECT id, kb FROM ledger_entities WHERE type = 'place' AND kb != '{}' LIMIT 1"
        ).fetchone()
        assert json.loads(kb), "a place with a gazetteer id"
        # two entities that share a name: the name alone is ambiguous
        con.execute(
            "INSERT INTO ledger_entity_keys(key, ledger_entity) VALUES ('n:twin', ?)", (person,)
        )
        con.execute(
            "INSERT INTO ledger_entity_keys(key, ledger_entity) VALUES ('n:twin', ?)", (place,)
        )
        with pytest.raises(ValueError, match="ambiguous"):
            identity.add_rule(con, "merge", "Twin", str(person))
        with pytest.raises(ValueError, match="same ledger entity"):
            identity.add_rule(con, "merge", str(person), str(person))
        with pytest.raises(KeyError):
            identity.add_rule(con, "merge", "999999", str(person))
        person_kb = json.loads(
            con.execute("SELECT kb FROM ledger_entities WHERE id = ?", (person,)).fetchone()[0]
        )
        kept = identity.add_rule(con, "merge", str(person), str(place))
        name, type_, merged_kb = con.execute(
            "SELECT name, type, kb FROM ledger_entities WHERE id = ?", (kept,)
        ).fetchone()
        assert type_ == "person"
        assert json.loads(merged_kb) == person_kb, "no gazetteer id copied onto the person"
        # re-applied on rebuild, with the same result
        identity.apply_rules(con)


def test_merge_and_split_in_the_browser(rw: TestClient, writable: Path) -> None:
    good = token(rw, "/edit/entities")
    with sqlite3.connect(writable) as con:
        a, b = (
            r[0]
            for r in con.execute(
                "SELECT id FROM ledger_entities WHERE type = 'organization' ORDER BY id LIMIT 2"
            )
        )
    r = rw.post("/edit/entities/merge", data={"a": str(a), "b": str(b), "csrf_token": good})
    assert r.status_code == 200 and "merged into ledger entity" in r.text
    kept = min(a, b)
    page = rw.get("/edit/entities", params={"entity": kept})
    assert "Split off" in page.text
    member = re.search(r'name="b" value="([^"]+:e\d+)"', page.text).group(1)  # type: ignore[union-attr]
    r = rw.post("/edit/entities/split", data={"a": str(kept), "b": member, "csrf_token": good})
    assert r.status_code == 200 and "split off as ledger entity" in r.text
    with sqlite3.connect(writable) as con:
        rules = con.execute("SELECT action FROM entity_rules ORDER BY id").fetchall()
    assert rules == [("merge",), ("split",)]
    r = rw.post("/edit/entities/split", data={"a": str(kept), "b": "nope:e1", "csrf_token": good})
    assert r.status_code == 404


# ------------------------------------------------------------------ export
def all_pages(client: TestClient, path: str, key: str, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    page = 1
    while page:
        data = client.get(path, params={**params, "page": page, "limit": 100}).json()
        out.extend(data[key])
        page = data["next_page"]
    return out


def test_export_contents_read_back(client: TestClient) -> None:
    conflicts = all_pages(client, "/api/conflicts", "conflicts")
    r = client.get("/export/conflicts.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="newsledger-conflicts.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [int(x["id"]) for x in rows] == [c["id"] for c in conflicts]
    assert rows[0]["a.value"] == (conflicts[0]["a"]["value"] or "")
    assert rows[0]["b.source"] == (conflicts[0]["b"]["source"] or "")
    lines = client.get("/export/conflicts.jsonl").text.splitlines()
    assert [json.loads(line) for line in lines] == conflicts
    quantity = client.get("/export/conflicts.jsonl", params={"kind": "quantity"}).text
    assert {json.loads(x)["kind"] for x in quantity.splitlines()} == {"quantity"}

    relayed = all_pages(client, "/api/claims", "claims", independence="relay_only")
    r = client.get("/export/claims.parquet", params={"independence": "relay_only"})
    table = pq.read_table(io.BytesIO(r.content))
    assert table.column("id").to_pylist() == [c["id"] for c in relayed]
    assert set(table.column("independence").to_pylist()) == {"relay_only"}

    kcna = all_pages(
        client, "/api/attributions", "attributions", source="Korean Central News Agency"
    )
    r = client.get("/export/attributions.csv", params={"source": "Korean Central News Agency"})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == len(kcna) > 0
    assert [x["attribution_id"] for x in rows] == [a["attribution_id"] for a in kcna]
    assert rows[0]["chain"] == " > ".join(kcna[0]["chain"])

    articles = all_pages(client, "/api/articles", "articles")
    exported = [json.loads(x) for x in client.get("/export/articles.jsonl").text.splitlines()]
    assert [a["id"] for a in exported] == [a["id"] for a in articles]
    found = client.get("/export/articles.csv", params={"q": "troops"}).text
    assert 0 < len(list(csv.DictReader(io.StringIO(found)))) < len(articles)
    empty = client.get("/export/articles.csv", params={"q": "zzzqqqxxx"}).text
    assert empty.splitlines()[0].startswith('"id"') and len(empty.splitlines()) == 1

    assert client.get("/export/secrets.csv").status_code == 404
    assert client.get("/export/conflicts.xlsx").status_code == 404
    assert client.get("/export/claims.csv", params={"min_articles": "many"}).status_code == 422


def test_web_exports_have_the_columns_of_newsledger_export(
    client: TestClient, example_ledger: Path, tmp_path: Path
) -> None:
    from newsledger.ledger.export import export_tables

    with Ledger(example_ledger, readonly=True) as ledger:
        export_tables(ledger, tmp_path, "csv")
    for dataset in ("claims", "conflicts"):
        cli = list(csv.DictReader((tmp_path / f"{dataset}.csv").open(encoding="utf-8")))
        web = list(csv.DictReader(io.StringIO(client.get(f"/export/{dataset}.csv").text)))
        assert list(web[0]) == list(cli[0]), dataset
        assert [r["id"] for r in web] == [r["id"] for r in cli]
        assert [r["label" if dataset == "claims" else "a.value"] for r in web] == [
            r["label" if dataset == "claims" else "a.value"] for r in cli
        ]


def test_pages_link_their_export_with_the_filters(client: TestClient) -> None:
    page = client.get("/conflicts", params={"kind": "quantity"}).text
    assert 'href="/export/conflicts.csv?kind=quantity"' in page
    page = client.get("/claims", params={"independence": "independent", "page": "1"}).text
    assert 'href="/export/claims.parquet?independence=independent"' in page
    page = client.get("/search", params={"q": "troops", "kind": "direct"}).text
    assert 'href="/export/attributions.jsonl?q=troops&amp;kind=direct"' in page


# ------------------------------------------------------------------ serve --write
def test_serve_write_flag(monkeypatch: pytest.MonkeyPatch, example_ledger: Path) -> None:
    import sys

    import uvicorn
    from typer.testing import CliRunner

    from newsledger.cli import app

    serve_module = sys.modules["newsledger.cli.serve"]
    made: list[dict[str, Any]] = []
    real = serve_module.create_app

    def spy(db: str, **kw: Any) -> Any:
        made.append(kw)
        return real(db, **{**kw, "analyzer": object()})

    monkeypatch.setattr(serve_module, "create_app", spy)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: None)
    runner = CliRunner()
    for flag in ("--write", "--allow-write"):
        result = runner.invoke(app, ["serve", "--db", str(example_ledger), flag])
        assert result.exit_code == 0, result.output
        assert made[-1]["allow_write"] is True and "read-write" in result.output
    result = runner.invoke(app, ["serve", "--db", str(example_ledger)])
    assert made[-1]["allow_write"] is False and "read-only" in result.output
    result = runner.invoke(
        app, ["serve", "--db", str(example_ledger), "--write", "--host", "0.0.0.0"]
    )
    assert result.exit_code == 2 and "loopback" in result.output
