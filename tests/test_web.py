"""The web UI and REST API over the example ledger (FastAPI TestClient, no network)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import warnings
from pathlib import Path
from urllib.parse import quote

import pytest

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from newsledger.ledger import Ledger, query  # noqa: E402
from newsledger.web import create_app  # noqa: E402
from newsledger.web.data import MAX_LIMIT  # noqa: E402


def local(app: FastAPI) -> TestClient:
    """A client that sends ``Host: 127.0.0.1``, as a browser on this machine does."""
    return TestClient(app, base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def client(example_ledger: Path) -> TestClient:
    """The server as ``newsledger serve`` starts it: read-only, no analysis."""
    return local(create_app(str(example_ledger)))


@pytest.fixture(scope="module")
def analyzing(example_ledger: Path, analyzer) -> TestClient:
    """``newsledger serve --allow-analyze``."""
    client = local(create_app(str(example_ledger), allow_analyze=True, analyzer=analyzer))
    client.headers["X-Newsledger"] = "1"
    return client


@pytest.fixture(scope="module")
def con(example_ledger: Path) -> sqlite3.Connection:
    c = sqlite3.connect(f"file:{example_ledger}?mode=ro", uri=True)
    c.row_factory = sqlite3.Row
    return c


@pytest.fixture()
def writable(example_ledger: Path, tmp_path: Path) -> Path:
    path = tmp_path / "copy.db"
    shutil.copy(example_ledger, path)
    return path


def url(article_id: str) -> str:
    return "/articles/" + quote(article_id, safe="")


# ------------------------------------------------------------------ pages
def test_overview_shows_counts_sources_and_latest(client: TestClient, con) -> None:
    r = client.get("/")
    assert r.status_code == 200
    counts = query.counts(con)
    assert f"<strong>{counts['attributions']}</strong> attributions" in r.text
    top = query.sources(con, limit=3)
    for row in top:
        assert f">{row.source}</a>" in r.text
    j = client.get("/index.json").json()
    assert j["counts"] == counts
    assert [s["source"] for s in j["top_sources"][:3]] == [s.source for s in top]
    latest = query.articles(con, limit=1)[0]
    assert j["latest_articles"][0]["id"] == latest["id"]


def test_search_ranks_highlights_and_has_json_twin(client: TestClient, con) -> None:
    r = client.get("/search", params={"q": "troops"})
    assert r.status_code == 200
    assert "<mark>troops</mark>" in r.text or "<mark>Troops</mark>" in r.text
    j = client.get("/search.json", params={"q": "troops", "limit": 100}).json()
    expected = query.about(con, "troops", limit=100)
    got = [(x["article_id"], x["attribution_id"]) for x in j["attributions"]]
    assert got == [(x["article_id"], x["attribution_id"]) for x in expected]
    assert all("[" in x["snippet"] for x in j["attributions"])
    assert j["articles"], "article texts match too"


def test_search_filters_are_in_the_url_and_apply(client: TestClient, con) -> None:
    j = client.get("/search.json", params={"q": "troops", "kind": "direct"}).json()
    assert j["filters"]["kind"] == "direct"
    assert j["attributions"] and all(x["kind"] == "direct" for x in j["attributions"])
    j = client.get(
        "/search.json", params={"q": "troops", "since": "2025-04-25", "until": "2025-04-30"}
    ).json()
    assert j["attributions"]
    assert all("2025-04-25" <= x["published"] <= "2025-04-30" for x in j["attributions"])
    j = client.get("/search.json", params={"q": "said", "source": "Kim Jong Un"}).json()
    assert all("Kim Jong Un" in [x["source"], *x["chain"]] for x in j["attributions"])
    # site filter: the hostile article is the only one of its outlet
    j = client.get("/search.json", params={"q": "officials", "site": '"><b>Evil Outlet</b>'}).json()
    assert {x["id"] for x in j["articles"]} == {"hostile"}
    # an invalid filter is dropped with a note, not an error
    r = client.get("/search", params={"q": "troops", "kind": "nonsense", "since": "soon"})
    assert r.status_code == 200 and "ignored" in r.text


def test_search_pages(client: TestClient) -> None:
    first = client.get("/search.json", params={"q": "said", "limit": 3}).json()
    second = client.get("/search.json", params={"q": "said", "limit": 3, "page": 2}).json()
    both = client.get("/search.json", params={"q": "said", "limit": 6}).json()
    assert first["next_page"] == 2
    ids = [x["attribution_id"] + x["article_id"] for x in first["attributions"]]
    ids += [x["attribution_id"] + x["article_id"] for x in second["attributions"]]
    assert ids == [x["attribution_id"] + x["article_id"] for x in both["attributions"]]
    r = client.get("/search.json", params={"q": "said", "limit": 10**9, "page": -5}).json()
    assert r["limit"] == MAX_LIMIT and r["page"] == 1


def test_article_page_highlights_every_attribution(
    example_seed_id: str, client: TestClient, example_ledger
) -> None:
    r = client.get(url(example_seed_id))
    assert r.status_code == 200
    with Ledger(example_ledger, readonly=True) as ledger:
        record = ledger.get(example_seed_id)
    assert record is not None and record.attributions
    for a in record.attributions:
        assert f'data-attribution="{a.id}"' in r.text
        assert f'id="attr-{a.id}"' in r.text  # the side list
    # every kind present gets its class; the side list names the sources
    for kind in {a.kind for a in record.attributions}:
        assert f"k-{kind}" in r.text
    for name in {a.source.name for a in record.attributions if a.source}:
        assert f">{name}</a>" in r.text.replace("&#39;", "'").replace("&amp;", "&")
    # the text comes through whole: stripping the tags gives the escaped text back
    body = re.search(r'<article class="text" id="text">(.*?)</article>', r.text, re.S).group(1)
    import html

    assert html.unescape(re.sub(r"<[^>]+>", "", body)) == record.text


def test_article_json_twin_is_the_record(
    example_seed_id: str, client: TestClient, example_ledger: Path
) -> None:
    with Ledger(example_ledger, readonly=True) as ledger:
        record = ledger.get(example_seed_id)
    assert client.get(url(example_seed_id) + ".json").json() == record.to_dict(include_text=True)
    assert client.get(f"/api/articles/{example_seed_id}").json() == record.to_dict(
        include_text=True
    )
    # unquoted slashes in the id work too
    assert client.get(f"/articles/{example_seed_id}").status_code == 200


def test_attribution_panel_shows_the_act_and_the_role(client: TestClient, con) -> None:
    row = con.execute(
        "SELECT article_id, id, act, source_role FROM attributions"
        " WHERE source_role IS NOT NULL LIMIT 1"
    ).fetchone()
    assert row is not None, "some source in the examples has a role"
    r = client.get("/attribution", params={"article": row["article_id"], "id": row["id"]})
    assert r.status_code == 200
    assert row["source_role"] in r.text and f"<dd>{row['act']}" in r.text
    other = con.execute("SELECT article_id, id FROM attributions WHERE act = 'thought'").fetchone()
    assert other is not None, "some attribution in the examples is a thought"
    r = client.get("/attribution", params={"article": other["article_id"], "id": other["id"]})
    assert "(not a claim)" in r.text
    j = client.get("/attribution.json", params={"article": row["article_id"], "id": row["id"]})
    assert j.json()["act"] == row["act"] and j.json()["source"]["role"] == row["source_role"]


def test_attribution_panel_shows_the_chain(client: TestClient, con) -> None:
    row = con.execute(
        "SELECT article_id, id, chain FROM attributions WHERE chain LIKE '%,%' LIMIT 1"
    ).fetchone()
    assert row is not None, "some attribution in the examples is relayed"
    import json

    chain = json.loads(row["chain"])
    r = client.get("/attribution", params={"article": row["article_id"], "id": row["id"]})
    assert r.status_code == 200
    assert " → ".join(chain) in r.text.replace("&#39;", "'")
    j = client.get("/attribution.json", params={"article": row["article_id"], "id": row["id"]})
    assert j.json()["chain"] == chain
    assert client.get("/attribution", params={"article": "nope", "id": "a1"}).status_code == 404


def test_source_page_timeline_outlets_relays(client: TestClient, con) -> None:
    r = client.get("/sources/KCNA")
    assert r.status_code == 200
    assert "<svg" in r.text and "<rect" in r.text
    j = client.get("/sources/KCNA.json").json()
    assert "Korean Central News Agency" in j["names"]
    assert j["relays"] and any("Kim Jong Un" in (x["origin"], x["relay"]) for x in j["relays"])
    dated = [x for x in j["timeline"] if x["published"]]
    assert r.text.count("<rect") == len(dated)
    assert sum(x["attributions"] for x in j["timeline"]) == len(
        query.said(con, "KCNA", limit=10_000)
    )
    assert client.get("/sources/Nobody%20Anywhere").status_code == 404
    assert client.get("/api/sources/Nobody%20Anywhere").status_code == 404
    api = client.get("/api/sources/KCNA").json()
    assert (api["names"], api["timeline"], api["relays"]) == (
        j["names"],
        j["timeline"],
        j["relays"],
    )
    assert [x["attribution_id"] for x in api["attributions"]] == [
        x["attribution_id"] for x in j["attributions"]
    ]


def test_graph_shows_relays(client: TestClient, con) -> None:
    r = client.get("/graph")
    assert r.status_code == 200 and 'id="relay-graph"' in r.text
    g = client.get("/graph.json").json()
    assert g["edges"] and g["nodes"]
    # every link between named sources is drawn, and listed in the page's table
    links = query.relays(con, limit=300)
    drawn = {(e["relay"], e["origin"]) for e in g["edges"]}
    assert ("Korean Central News Agency", "Kim Jong Un") in drawn
    assert r.text.count("<tr><td><a href=") == len(g["edges"])
    assert sum(e["attributions"] for e in g["edges"]) <= sum(x.attributions for x in links)


def _section(html: str, element_id: str) -> str:
    """The markup of the element with ``id=element_id`` up to the next sibling of its kind."""
    m = re.search(rf'<(li|section) [^>]*id="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert m is not None, element_id
    return m.group(2)


def test_claims_page_shows_clusters_sources_and_verdicts(client: TestClient, con) -> None:
    from newsledger.ledger.claims import list_claims

    relayed = [c.to_dict() for c in list_claims(con, independence="relay_only", limit=1)]
    independent = [c.to_dict() for c in list_claims(con, independence="independent", limit=1)]
    assert relayed and independent, "the examples hold a relayed and an independent claim"
    for c, verdict in ((relayed[0], "relay_only"), (independent[0], "independent")):
        r = client.get("/claims", params={"independence": verdict, "limit": 100})
        assert r.status_code == 200
        block = _section(r.text, f"claim-{c['id']}")
        assert f'class="badge i-{verdict}"' in block
        assert f"{c['articles']} articles" in block
        for m in c["members"]:
            assert f'href="{url(m["article_id"])}"' in block
            for name in m["chain"] or [m["source"]]:
                assert f'href="/sources/{quote(name, safe="")}"' in block
            assert (m["published"] or "undated") in block
    # the independent claim has at least two origins, the relayed one exactly one named one
    assert len({o["key"] for o in independent[0]["origins"]}) >= 2
    assert len({o["key"] for o in relayed[0]["origins"] if not o["key"].startswith("u:")}) == 1
    assert len({m["article_id"] for m in relayed[0]["members"]}) >= 2
    # the JSON twin and the API serve what the cross-document queries return
    j = client.get("/claims.json", params={"independence": "relay_only", "limit": 100}).json()
    expected = [c.to_dict() for c in list_claims(con, independence="relay_only", limit=100)]
    assert [c["id"] for c in j["claims"]] == [c["id"] for c in expected]
    assert j["claims"][0]["members"] == expected[0]["members"]
    assert j["filters"]["independence"] == "relay_only" and j["available"] is True
    api = client.get("/api/claims", params={"independence": "relay_only", "limit": 100}).json()
    assert api["claims"] == j["claims"]
    one = client.get("/claims.json", params={"claim": relayed[0]["id"]}).json()["claims"]
    assert [c["id"] for c in one] == [relayed[0]["id"]]


def test_claims_filters_and_pages(client: TestClient, con) -> None:
    from newsledger.ledger.claims import list_claims

    j = client.get("/claims.json", params={"about": "troops", "min_articles": 2}).json()
    expected = list_claims(con, about="troops", min_articles=2, limit=20)
    assert expected and [c["id"] for c in j["claims"]] == [c.id for c in expected]
    assert all(c["articles"] >= 2 for c in j["claims"])
    r = client.get("/claims", params={"about": "troops", "min_articles": 2})
    assert 'name="about" value="troops"' in r.text and 'value="2"' in r.text
    first = client.get("/claims.json", params={"limit": 3}).json()
    second = client.get("/claims.json", params={"limit": 3, "page": 2}).json()
    both = client.get("/claims.json", params={"limit": 6}).json()
    assert first["next_page"] == 2
    assert [c["id"] for c in first["claims"] + second["claims"]] == [
        c["id"] for c in both["claims"]
    ]
    html = client.get("/claims", params={"limit": 3, "independence": "single"}).text
    assert 'href="/claims?independence=single&amp;limit=3&amp;page=2"' in html
    # a bad filter is dropped with a note, not an error
    r = client.get("/claims", params={"independence": "bogus", "min_articles": "x"})
    assert r.status_code == 200 and r.text.count("ignored") == 2
    assert client.get("/api/claims", params={"independence": "bogus"}).status_code == 422


def test_cli_conflicts_json_is_what_the_api_serves(
    client: TestClient, example_ledger: Path
) -> None:
    import json

    from typer.testing import CliRunner

    from newsledger.cli import app

    result = CliRunner().invoke(
        app, ["conflicts", "--db", str(example_ledger), "--format", "json", "--limit", "100"]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    api = client.get("/api/conflicts", params={"limit": 100}).json()["conflicts"]
    assert printed and printed == api
    assert set(printed[0]) == {
        "id", "kind", "explanation", "a", "b", "confidence", "verdict", "verdict_note"
    }  # fmt: skip
    confidences = [c["confidence"] for c in printed]
    assert all(0.0 < c <= 1.0 for c in confidences) and confidences == sorted(confidences)[::-1]


def test_cli_claims_json_is_what_the_api_serves(client: TestClient, example_ledger: Path) -> None:
    import json

    from typer.testing import CliRunner

    from newsledger.cli import app

    result = CliRunner().invoke(
        app, ["claims", "--db", str(example_ledger), "--format", "json", "--limit", "100"]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    api = client.get("/api/claims", params={"limit": 100}).json()["claims"]
    assert printed and printed == api
    assert list(printed[0]) == list(api[0])  # the same keys in the same order
    assert {"id", "label", "independence", "origins", "members"} <= set(printed[0])
    assert set(printed[0]["members"][0]) >= {"article_id", "attribution_id", "chain", "origin"}


@pytest.mark.parametrize(
    ("command", "path", "key"),
    [
        (["query", "sources"], "/api/sources", "sources"),
        (["query", "relays"], "/api/relays", "relays"),
    ],
)
def test_cli_sources_and_relays_json_is_what_the_api_serves(
    client: TestClient, example_ledger: Path, command: list[str], path: str, key: str
) -> None:
    import json

    from typer.testing import CliRunner

    from newsledger.cli import app

    result = CliRunner().invoke(
        app, [*command, "--db", str(example_ledger), "--format", "json", "--limit", "20"]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    api = client.get(path, params={"limit": 20}).json()[key]
    assert printed and printed == api
    assert list(printed[0]) == list(api[0])


def test_conflicts_page_sets_both_sides_side_by_side(client: TestClient, con) -> None:
    from newsledger.ledger.conflicts import list_conflicts

    rows = list_conflicts(con, kind="quantity", limit=1000)
    troops = [r for r in rows if {r["value_a"], r["value_b"]} == {"14,000", "11,000"}]
    assert troops, "14,000 vs 11,000 troops is a quantity conflict of the examples"
    f = troops[0]
    r = client.get("/conflicts", params={"kind": "quantity", "limit": 100})
    assert r.status_code == 200
    block = _section(r.text, f"conflict-{f['id']}")
    assert 'class="badge kind">quantity<' in block
    assert block.count('class="side"') == 2
    assert "14,000" in block and "11,000" in block
    import html as html_mod

    assert html_mod.escape(f["explanation"], quote=True).replace("&#x27;", "&#39;") in block
    published = dict(con.execute("SELECT id, published FROM articles").fetchall())
    j = client.get("/conflicts.json", params={"kind": "quantity", "limit": 100}).json()
    got = next(x for x in j["conflicts"] if x["id"] == f["id"])
    for side in ("a", "b"):
        s = got[side]
        article_id, _, attribution_id = f[f"attribution_{side}"].rpartition(":")
        assert (s["article_id"], s["attribution_id"]) == (article_id, attribution_id)
        assert s["value"] == f[f"value_{side}"] and s["claim"] == f[f"claim_{side}"]
        assert s["published"] == published[article_id]
        assert s["chain"] and " > ".join(s["chain"]) == f[f"source_{side}"]
        assert f'href="{url(article_id)}"' in block
        for name in s["chain"]:
            assert f'href="/sources/{quote(name, safe="")}"' in block
        assert f'href="/claims?claim={s["claim"]}"' in block
    assert {"a", "b"} <= set(got) and got["explanation"] == f["explanation"]
    assert all(x["kind"] == "quantity" for x in j["conflicts"])
    api = client.get("/api/conflicts", params={"kind": "quantity", "limit": 100}).json()
    assert api["conflicts"] == j["conflicts"]
    every = client.get("/conflicts.json", params={"limit": 100}).json()["conflicts"]
    assert len(every) == len(list_conflicts(con, limit=100))
    assert {x["kind"] for x in every} >= {"quantity", "date"}


def test_claims_empty_state_and_escaping(writable: Path) -> None:
    with sqlite3.connect(writable) as c:
        cid = c.execute("SELECT claim_a FROM conflicts ORDER BY id LIMIT 1").fetchone()[0]
        c.execute("UPDATE claims SET label = '<b>troops</b> fought' WHERE id = ?", (cid,))
        c.execute(
            "UPDATE conflicts SET explanation = '<script>alert(1)</script>', value_a = '<i>1</i>'"
            " WHERE claim_a = ?",
            (cid,),
        )
    client = local(create_app(str(writable)))
    r = client.get("/claims", params={"claim": cid})
    assert "&lt;b&gt;troops&lt;/b&gt; fought" in r.text and "<b>troops" not in r.text
    r = client.get("/conflicts", params={"limit": 100})
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text and "<script>alert" not in r.text
    assert "&lt;i&gt;1&lt;/i&gt;" in r.text and "<i>1</i>" not in r.text
    for page in ("/claims", "/conflicts"):
        assert not re.search(r"<script(?![^>]*\bsrc=)", client.get(page).text), page
        assert "style=" not in client.get(page).text, "no inline style (CSP)"
    rows = client.get("/api/claims", params={"claim": cid}).json()["claims"]
    assert rows[0]["label"] == "<b>troops</b> fought"
    with sqlite3.connect(writable) as c:
        c.execute("DELETE FROM conflicts")
    assert "The conflicts table is empty." in client.get("/conflicts").text
    with sqlite3.connect(writable) as c:
        c.execute("DROP TABLE conflicts")
        c.execute("DROP TABLE claims")
    client = local(create_app(str(writable)))
    for name in ("claims", "conflicts"):
        assert "cross-document step" in client.get(f"/{name}").text
        j = client.get(f"/api/{name}").json()
        assert j["available"] is False and j[name] == []
        twin = client.get(f"/{name}.json").json()
        assert {k: twin[k] for k in j} == j and "cross-document step" in twin["note"]


def test_claims_pages_keep_the_time_limit(
    example_ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsledger.web.db

    monkeypatch.setattr(newsledger.web.db, "PROGRESS_STEPS", 10)
    slow = local(create_app(str(example_ledger), time_limit=0.0))
    for path in ("/claims", "/conflicts", "/api/claims", "/api/conflicts"):
        r = slow.get(path)
        assert r.status_code == 503 and "longer than" in r.text, path


# ------------------------------------------------------------------ API
def test_api_lists_paginate(example_seed_id: str, client: TestClient, con) -> None:
    total = query.counts(con)["articles"]
    seen: list[str] = []
    page = 1
    while page:
        j = client.get("/api/articles", params={"limit": 5, "page": page}).json()
        seen += [a["id"] for a in j["articles"]]
        page = j["next_page"]
    assert len(seen) == len(set(seen)) == total
    j = client.get("/api/attributions", params={"limit": 500}).json()
    assert j["limit"] == MAX_LIMIT and len(j["attributions"]) == MAX_LIMIT
    j = client.get("/api/attributions", params={"article_id": example_seed_id, "limit": 100}).json()
    n = con.execute(
        "SELECT count(*) FROM attributions WHERE article_id=?", (example_seed_id,)
    ).fetchone()
    assert len(j["attributions"]) == n[0]
    j = client.get("/api/sources", params={"limit": 2, "page": 2}).json()
    assert [s["source"] for s in j["sources"]] == [
        s.source for s in query.sources(con, limit=4)[2:]
    ]
    assert client.get("/api/articles", params={"limit": 0}).status_code == 422
    assert client.get("/api/search", params={"q": "x", "kind": "bogus"}).status_code == 422
    assert client.get("/api/articles/no-such-id").status_code == 404
    assert client.get("/api/articles/no-such-id").json()["status"] == 404


def test_api_articles_search_pages(client: TestClient, con) -> None:
    best = query.search_articles(con, "troops", limit=3)
    assert len(best) >= 2
    j = client.get("/api/articles", params={"q": "troops", "limit": 1, "page": 2}).json()
    assert [a["id"] for a in j["articles"]] == [best[1]["id"]]
    assert (j["page"], j["limit"]) == (2, 1)
    assert j["next_page"] == (3 if len(best) > 2 else None)


def test_openapi_declares_the_api(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    paths = set(spec["paths"])
    for p in ("/api/articles", "/api/attributions", "/api/sources", "/api/search"):
        assert p in paths
    assert "/api/analyze" in paths and "/api/claims" in paths and "/api/conflicts" in paths
    assert all(p.startswith("/api/") for p in paths), "pages stay out of the API description"


# ------------------------------------------------------------------ analyze
JSON = {"Content-Type": "application/json"}


def test_analyze_returns_a_record_without_storing(analyzing: TestClient, con) -> None:
    before = query.counts(con)["articles"]
    text = "Kim Jong Un said that troops were sent to Kursk, KCNA reported."
    r = analyzing.post("/api/analyze", json={"text": text, "published": "2025-04-28"})
    assert r.status_code == 200, r.text
    record = r.json()
    assert record["schema"] == "newsledger.analysis/1"
    assert record["article"]["published"] == "2025-04-28"
    assert record["attributions"]
    for a in record["attributions"]:
        assert text[a["content"]["start"] : a["content"]["end"]] == a["content"]["text"]
    assert r.headers["X-Newsledger-Stored"] == "false"
    assert query.counts(con)["articles"] == before


def test_analyze_is_off_on_a_read_only_server(client: TestClient) -> None:
    r = client.post("/api/analyze", json={"text": "Kim said so."}, headers={"X-Newsledger": "1"})
    assert r.status_code == 403
    assert "--allow-analyze" in r.json()["error"] and r.json()["status"] == 403
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]


def test_analyze_takes_json_only(analyzing: TestClient) -> None:
    # text/plain and forms are what a page of another site can post without a preflight
    for content_type, body in [
        ("text/plain", "Kim said so."),
        ("application/x-www-form-urlencoded", "text=Kim+said+so."),
        ("multipart/form-data; boundary=x", "--x\r\n\r\nKim said so.\r\n--x--"),
        ("text/json", '{"text": "Kim said so."}'),
        ("", '{"text": "Kim said so."}'),
    ]:
        headers = {"Content-Type": content_type} if content_type else {}
        r = analyzing.post("/api/analyze", content=body, headers=headers)
        assert r.status_code == 415, (content_type, r.status_code)
        assert "application/json" in r.json()["error"]
    r = analyzing.post(
        "/api/analyze",
        content='{"text": "Kim said so."}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert r.status_code == 200


def test_analyze_refuses_cross_site_requests(analyzing: TestClient) -> None:
    body = {"text": "Kim said so."}
    r = analyzing.post("/api/analyze", json=body, headers={"X-Newsledger": ""})
    assert r.status_code == 403 and "X-Newsledger: 1" in r.json()["error"]
    for headers in (
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://attacker.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:9999"},
    ):
        r = analyzing.post("/api/analyze", json=body, headers=headers)
        assert r.status_code == 403, headers
    same = {"Sec-Fetch-Site": "same-origin", "Origin": "http://127.0.0.1"}
    assert analyzing.post("/api/analyze", json=body, headers=same).status_code == 200


def test_analyze_limits_and_errors(analyzing: TestClient) -> None:
    big = '{"text": "' + "a" * 200_001 + '"}'
    r = analyzing.post("/api/analyze", content=big, headers=JSON)
    assert r.status_code == 413 and "200,000 bytes" in r.json()["error"]
    assert analyzing.post("/api/analyze", json={"text": "  "}).status_code == 422
    assert analyzing.post("/api/analyze", json={"txt": "x"}).status_code == 422
    assert analyzing.post("/api/analyze", json=["x"]).status_code == 422
    assert analyzing.post("/api/analyze", json={"text": "x", "id": 3}).status_code == 422
    r = analyzing.post("/api/analyze", content=b"{not json", headers=JSON)
    assert r.status_code == 422 and "JSON" in r.json()["error"]
    r = analyzing.post("/api/analyze", json={"text": "Kim said so.", "published": "someday"})
    assert r.status_code == 422 and "someday" in r.json()["error"]
    r = analyzing.post("/api/analyze", content=b"\xff\xfe", headers=JSON)
    assert r.status_code == 422 and "UTF-8" in r.json()["error"]


@pytest.mark.parametrize(
    "body",
    ["[" * 100_000, "{" * 100_000, '{"text": ' + "[" * 90_000 + "]" * 90_000 + "}"],
    ids=["arrays", "objects", "balanced"],
)
def test_deeply_nested_json_is_a_clear_422(analyzing: TestClient, body: str) -> None:
    r = analyzing.post("/api/analyze", content=body, headers=JSON)
    assert r.status_code == 422, r.text[:200]
    assert "nested too deeply" in r.json()["error"] or "JSON" in r.json()["error"]
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]


def test_store_needs_allow_write(client: TestClient, writable: Path, analyzer) -> None:
    r = client.post("/api/analyze?store=true", json={"text": "Kim said troops went."})
    assert r.status_code == 403 and "--allow-write" in r.json()["error"]
    rw = local(create_app(str(writable), allow_write=True, analyzer=analyzer))
    rw.headers["X-Newsledger"] = "1"
    r = rw.post("/api/analyze?store=true", json={"text": "Kim said troops went.", "id": "posted-1"})
    assert r.status_code == 201 and r.headers["X-Newsledger-Stored"] == "true"
    with Ledger(writable, readonly=True) as ledger:
        assert ledger.get("posted-1") is not None
    assert rw.get("/articles/posted-1").status_code == 200
    # plain-text bodies (which any web page can post cross-site) are refused
    r = rw.post(
        "/api/analyze?store=true", content="Kim said so.", headers={"Content-Type": "text/plain"}
    )
    assert r.status_code == 415


def test_read_only_by_default(client: TestClient) -> None:
    db = client.app.state.db
    assert db.allow_write is False
    with db.read() as c:
        with pytest.raises(sqlite3.OperationalError):
            c.execute("DELETE FROM articles")
        # not only query_only: the file itself is opened read-only (mode=ro)
        c.execute("PRAGMA query_only = OFF")
        try:
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                c.execute("DELETE FROM articles")
        finally:
            c.execute("PRAGMA query_only = ON")


# ------------------------------------------------------------------ security
def test_hostile_article_is_escaped(client: TestClient) -> None:
    r = client.get("/articles/hostile")
    assert r.status_code == 200
    assert "<script>alert" not in r.text
    assert "<img src=x" not in r.text and "<b>Evil" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in r.text
    assert "javascript:" not in r.text, "a non-http url is not linked"
    for page in ("/", "/search?q=alert", "/search?q=officials", "/sources/The%20spokesman"):
        body = client.get(page).text
        assert "<script>alert" not in body and "<img src=x" not in body, page
    listed = client.get("/search", params={"q": "alert"}).text
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in listed, "title shown, escaped"
    assert "&#34;&gt;&lt;b&gt;Evil Outlet&lt;/b&gt;" in listed, "site shown, escaped"


HOSTILE_QUERIES = [
    '"',
    '""',
    "%",
    "troops%",
    "NEAR(troops",
    "NEAR(troops Kursk, 2)",
    "troops*",
    "*",
    "troops OR Kursk",
    "-troops",
    "troops NOT Kursk",
    "content:troops",
    "'; DROP TABLE articles; --",
    "\\",
    "^troops",
    "(((",
    "\x00",
    "troops\u202e",
    "ﷺ𝕏",
    "a" * 5000,
]


@pytest.mark.parametrize("q", HOSTILE_QUERIES)
def test_hostile_search_strings(client: TestClient, con, q: str) -> None:
    for path in ("/search", "/search.json", "/api/search", "/api/articles"):
        r = client.get(path, params={"q": q})
        assert r.status_code in (200, 422), (path, q, r.status_code, r.text[:200])
    if "troops" in q and "NOT" not in q:
        # syntax is plain words: results are those of the words themselves
        words = " ".join(re.findall(r"[^\W_]+", q))
        a = client.get("/search.json", params={"q": q}).json()["attributions"]
        b = client.get("/search.json", params={"q": words}).json()["attributions"]
        assert a == b
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] >= 18


@pytest.mark.parametrize(
    "path",
    [
        "/articles/..%2F..%2Fetc%2Fpasswd",
        "/articles/%2e%2e/%2e%2e/etc/passwd",
        "/articles/../../etc/passwd",
        "/static/..%2F..%2Fapp.py",
        "/static/%2e%2e/app.py",
        "/api/articles/..%2F..%2Fetc%2Fpasswd",
        "/sources/..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_path_traversal_is_404(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404, (path, r.status_code)
    assert "root:" not in r.text


def test_security_headers_and_host_check(example_seed_id: str, client: TestClient) -> None:
    r = client.get("/")
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/api/articles").headers["X-Content-Type-Options"] == "nosniff"
    # DNS rebinding: a foreign Host header is refused
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400
    # no inline script anywhere, so the CSP needs no 'unsafe-inline'
    for page in ("/", "/search?q=troops", url(example_seed_id), "/graph"):
        assert not re.search(r"<script(?![^>]*\bsrc=)", client.get(page).text), page


def test_htmx_is_vendored_with_its_licence(client: TestClient) -> None:
    r = client.get("/static/htmx.min.js")
    assert r.status_code == 200 and "htmx" in r.text[:200] and "Zero-Clause BSD" in r.text[:300]
    assert client.get("/static/htmx.LICENSE.txt").status_code == 200
    assert 'src="/static/htmx.min.js"' in client.get("/").text
    assert "https://" not in client.get("/").text.split("<body>")[0], "no CDN"


def test_query_time_limit_gives_503(example_ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsledger.web.db

    # a tiny ledger's queries are short: check the deadline after every few VM steps
    monkeypatch.setattr(newsledger.web.db, "PROGRESS_STEPS", 10)
    slow = local(create_app(str(example_ledger), time_limit=0.0))
    r = slow.get("/search", params={"q": "troops"})
    assert r.status_code == 503 and "longer than" in r.text
    r = slow.get("/api/search", params={"q": "troops"})
    assert r.status_code == 503 and "longer than" in r.json()["error"]


# ------------------------------------------------------------------ CLI
def test_serve_command(monkeypatch: pytest.MonkeyPatch, example_ledger: Path, tmp_path) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from newsledger.cli import app
    from newsledger.cli.serve import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    runner = CliRunner()
    result = runner.invoke(app, ["serve", "--db", str(example_ledger), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/" in result.output and "read-only" in result.output
    assert calls[-1]["host"] == "127.0.0.1" and "warning" not in result.output
    result = runner.invoke(app, ["serve", "--db", str(example_ledger), "--host", "0.0.0.0"])
    assert result.exit_code == 0 and "warning" in result.output
    assert calls[-1]["host"] == "0.0.0.0"
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 2 and "no ledger" in result.output


def test_a_runaway_query_is_stopped(example_ledger: Path) -> None:
    import time

    from newsledger.web.db import Database, QueryTimeout

    db = Database(str(example_ledger), time_limit=0.2)
    began = time.monotonic()
    with pytest.raises(QueryTimeout, match="longer than 0.2 s"), db.read() as c:
        c.execute(
            "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r"
        ).fetchone()
    assert time.monotonic() - began < 5
    with db.read() as c:  # the connection still works afterwards
        assert c.execute("SELECT count(*) FROM articles").fetchone()[0] >= 18


# ------------------------------------------------------------------ rendering
def test_highlight_marks_and_escapes_every_layer() -> None:
    import html

    from newsledger.model import (
        Analysis,
        ArticleInfo,
        Attribution,
        DateMention,
        Event,
        Issue,
        Quantity,
        Source,
        Span,
    )
    from newsledger.web.render import highlight_article

    text = 'KCNA said <b>Kim</b> sent 3,000 "troops" on Monday & recieved <script>x</script>.'

    def span(part: str) -> Span:
        start = text.index(part)
        return Span(part, start, start + len(part))

    content = span('<b>Kim</b> sent 3,000 "troops" on Monday')
    inner = span('3,000 "troops"')
    analysis = Analysis(
        article=ArticleInfo("x", None, None, None, "0"),
        text=text,
        attributions=[
            Attribution("a1", "indirect", span("said"), content, Source("KCNA", 0, 4, "KCNA")),
            Attribution("a2", "direct", span("sent"), inner, None, parent="a1", chain=["KCNA"]),
        ],
        quantities=[Quantity("3,000", text.index("3,000"), text.index("3,000") + 5, 3000.0)],
        dates=[DateMention("Monday", text.index("Monday"), text.index("Monday") + 6, "2025-04-28")],
        events=[Event("e1", span("sent"), "deploy", actor="Kim", target="troops")],
        issues=[
            Issue(
                "misspelling",
                "recieved",
                text.index("recieved"),
                text.index("recieved") + 8,
                suggestion="received",
            )
        ],
    )
    out = str(highlight_article(analysis))
    assert "<b>" not in out and "<script>" not in out
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text
    assert re.search(r'class="source"[^>]*data-attribution="a1"[^>]*>KCNA<', out)
    assert re.search(r'class="[^"]*content[^"]*k-direct[^"]*nested[^"]*quantity', out)
    assert re.search(r'class="[^"]*quantity[^"]*"[^>]*title="[^"]*quantity: 3000.0"', out)
    assert re.search(r'class="[^"]*date[^"]*"[^>]*>Monday<', out)
    assert re.search(r'class="issue" title="misspelling: received\?">recieved<', out)
    assert 'hx-get="/attribution?article=x&amp;id=a2"' in out
    assert re.search(
        r'class="[^"]*\bevent\b[^"]*"[^>]*title="[^"]*event: deploy \(by Kim, on troops\)"', out
    )


def test_snippet_marks_query_words_and_cuts() -> None:
    assert query.snippet("Troops were deployed; the troop went.", "troop deploy") == (
        "[Troops] were [deployed]; the [troop] went."
    )
    long = "a " * 100 + "Kursk <fighting> " + "b " * 100
    out = query.snippet(long, "kursk", ("<<", ">>"), size=10)
    assert out.startswith("…") and out.endswith("…") and "<<Kursk>> <fighting>" in out
    assert len(out) < 120
    assert query.snippet("No match here at all.", "zebra") == "No match here at all."
    assert query.snippet("Some text.", "%%") == "Some text."


def test_a_verdict_is_posted_only_on_a_writable_server(client: TestClient, writable: Path) -> None:
    [first] = client.get("/api/conflicts", params={"limit": 1}).json()["conflicts"]
    url = f"/api/conflicts/{first['id']}/verdict"
    body = {"verdict": "dismissed", "note": "<b>same count, rounded</b>"}
    r = client.post(url, json=body, headers={"X-Newsledger": "1"})
    assert r.status_code == 403 and "--allow-write" in r.json()["error"]
    rw = local(create_app(str(writable), allow_write=True))
    assert rw.post(url, json=body).status_code == 403  # no header: a page of another site
    rw.headers["X-Newsledger"] = "1"
    assert (
        rw.post(url, content="dismissed", headers={"Content-Type": "text/plain"}).status_code == 415
    )
    assert rw.post(url, json={"verdict": "maybe"}).status_code == 422
    assert rw.post("/api/conflicts/999999/verdict", json=body).status_code == 404
    r = rw.post(url, json=body)
    assert r.status_code == 200 and r.json()["verdict"] == "dismissed"
    [shown] = [c for c in rw.get("/api/conflicts", params={"limit": 1000}).json()["conflicts"]
               if c["id"] == first["id"]]  # fmt: skip
    assert (shown["verdict"], shown["verdict_note"]) == ("dismissed", body["note"])
    assert rw.post(url, json={"verdict": None}).status_code == 200
    [cleared] = [c for c in rw.get("/api/conflicts", params={"limit": 1000}).json()["conflicts"]
                 if c["id"] == first["id"]]  # fmt: skip
    assert cleared["verdict"] is None


def test_conflicts_filter_by_confidence_in_api_page_and_cli(
    client: TestClient, example_ledger: Path
) -> None:
    import json

    from typer.testing import CliRunner

    from newsledger.cli import app

    every = client.get("/api/conflicts", params={"limit": 100}).json()["conflicts"]
    floor = sorted(c["confidence"] for c in every)[len(every) // 2]
    kept = client.get("/api/conflicts", params={"limit": 100, "min_confidence": floor}).json()
    assert kept["min_confidence"] == floor
    assert kept["conflicts"] and all(c["confidence"] >= floor for c in kept["conflicts"])
    assert len(kept["conflicts"]) == sum(c["confidence"] >= floor for c in every)
    assert client.get("/api/conflicts", params={"min_confidence": 1.5}).status_code == 422
    result = CliRunner().invoke(
        app,
        ["conflicts", "--db", str(example_ledger), "-f", "json", "--min-confidence", str(floor)],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == kept["conflicts"]
    page = client.get("/conflicts", params={"min_confidence": floor})
    assert (
        page.status_code == 200 and "confidence ≥" in page.text and "badge confidence" in page.text
    )
    assert "ignored" in client.get("/conflicts", params={"min_confidence": "lots"}).text
    # each side's evidence is the article's own text at its offsets
    side = every[0]["a"]
    article = client.get(f"/api/articles/{side['article_id']}").json()
    text = article.get("text") or article["analysis"]["text"]
    assert side["evidence"] == text[side["evidence_start"] : side["evidence_end"]]


def test_claims_carry_confidence_and_each_member_its_evidence(client: TestClient) -> None:
    claims = client.get("/api/claims", params={"limit": 50}).json()["claims"]
    assert claims
    texts: dict[str, str] = {}
    for claim in claims:
        readings = [m["confidence"] for m in claim["members"]]
        assert all(0.0 < r <= 1.0 for r in readings)
        assert claim["confidence"] == max(readings)
        for m in claim["members"]:
            if m["article_id"] not in texts:
                article = client.get(f"/api/articles/{m['article_id']}").json()
                texts[m["article_id"]] = article.get("text") or article["analysis"]["text"]
            text = texts[m["article_id"]]
            assert m["evidence"] == text[m["evidence_start"] : m["evidence_end"]]
            if m["kind"] != "outlet":
                assert m["content"] in m["evidence"]
