"""The workbench's list and detail pages over the example ledger: articles, sources, entities,
stories and one story, an entity's timeline, the interactive relay graph; each page and its
``.json`` twin, filters, sort, paging, empty states, 404s and hostile input."""

from __future__ import annotations

import html
import math
import re
import shutil
import sqlite3
import warnings
from pathlib import Path
from urllib.parse import quote

import pytest

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from newsledger.ledger import Ledger, browse, query  # noqa: E402
from newsledger.ledger.timeline import timeline  # noqa: E402
from newsledger.web import create_app  # noqa: E402
from newsledger.web.data import MAX_LIMIT  # noqa: E402
from newsledger.web.graph import label_lines, layout  # noqa: E402

JUNK = ("statement", "world", "we", "We", "admission", "(unnamed)", "two sides")


@pytest.fixture(scope="module")
def client(example_ledger: Path) -> TestClient:
    return TestClient(create_app(str(example_ledger)), base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def con(example_ledger: Path) -> sqlite3.Connection:
    c = sqlite3.connect(f"file:{example_ledger}?mode=ro", uri=True)
    c.row_factory = sqlite3.Row
    return c


def text_of(body: str) -> str:
    """The page's text, tags dropped and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def kim(con: sqlite3.Connection) -> int:
    row = con.execute("SELECT id FROM ledger_entities WHERE name = 'Kim Jong Un'").fetchone()
    assert row is not None, "the example ledger knows Kim Jong Un"
    return int(row[0])


def seed_story(con: sqlite3.Connection, seed_id: str) -> int:
    row = con.execute("SELECT story_id FROM article_stories WHERE article_id = ?", (seed_id,))
    return int(row.fetchone()[0])


# ------------------------------------------------------------------ every page and its twin
def test_every_page_answers_with_its_json_twin(
    client: TestClient, con, example_seed_id: str
) -> None:
    story = seed_story(con, example_seed_id)
    pages = {
        "/articles": "articles",
        "/sources": "sources",
        "/entities": "entities",
        "/stories": "stories",
        f"/stories/{story}": "story_articles",
        f"/timeline/{kim(con)}": "said",
        "/timeline/Kim%20Jong%20Un": "said",
        "/graph": "edges",
    }
    for path, key in pages.items():
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html"), path
        twin = path.split("?")[0] + ".json"
        assert f'href="{twin}' in r.text, f"{path} links its JSON twin"
        j = client.get(twin)
        assert j.status_code == 200 and j.headers["content-type"] == "application/json", twin
        assert j.json()[key], (twin, key)
    nav = client.get("/").text
    for path in ("/articles", "/sources", "/entities", "/stories", "/graph"):
        assert f'<a href="{path}">' in nav, f"{path} is in the navigation"


def test_unknown_ids_are_404(client: TestClient) -> None:
    for path in (
        "/stories/999999",
        "/stories/999999.json",
        "/stories/abc",
        "/stories/-1",
        "/stories/1e3",
        "/stories/" + "9" * 40,
        "/timeline/nobody%20at%20all",
        "/timeline/nobody%20at%20all.json",
        "/timeline/999999",
        "/graph/source?name=nobody%20at%20all",
        "/graph/source",
    ):
        r = client.get(path)
        assert r.status_code == 404, (path, r.status_code)
        if path.endswith(".json"):
            assert r.json()["status"] == 404


# ------------------------------------------------------------------ articles
def test_articles_filters_sort_and_paging(client: TestClient, con) -> None:
    all_ = client.get("/articles.json", params={"limit": 100}).json()["articles"]
    assert len(all_) == con.execute("SELECT count(*) FROM articles").fetchone()[0]
    dates = [a["published"] or "" for a in all_]
    assert dates == sorted(dates, reverse=True), "newest first by default"
    oldest = client.get("/articles.json", params={"limit": 100, "sort": "oldest"}).json()
    assert [a["published"] or "" for a in oldest["articles"]] == sorted(dates)
    titles = client.get("/articles.json", params={"limit": 100, "sort": "title"}).json()
    got = [(a["title"] or "").casefold() for a in titles["articles"]]
    assert got == sorted(got)
    most = client.get("/articles.json", params={"limit": 100, "sort": "attributions"}).json()
    counts = [a["attributions"] for a in most["articles"]]
    assert counts == sorted(counts, reverse=True)
    # paging: two pages of 3 are the first 6
    p1 = client.get("/articles.json", params={"limit": 3}).json()
    p2 = client.get("/articles.json", params={"limit": 3, "page": 2}).json()
    assert p1["next_page"] == 2 and p2["page"] == 2
    assert [a["id"] for a in p1["articles"] + p2["articles"]] == [a["id"] for a in all_[:6]]
    page = client.get("/articles", params={"limit": 3, "page": 2}).text
    assert 'rel="prev" href="/articles?limit=3&amp;page=1"' in page
    assert 'rel="next" href="/articles?limit=3&amp;page=3"' in page
    # filters
    site = client.get("/articles.json", params={"site": "Harbor Daily", "limit": 100}).json()
    assert site["articles"] and {a["site"] for a in site["articles"]} == {"Harbor Daily"}
    span = client.get(
        "/articles.json", params={"since": "2025-04-25", "until": "2025-04", "limit": 100}
    ).json()
    assert span["articles"]
    assert all("2025-04-25" <= a["published"] <= "2025-04-30" for a in span["articles"])
    words = client.get("/articles.json", params={"q": "troops", "limit": 100}).json()
    expected = query.search_articles(con, "troops", limit=100)
    assert words["sort"] == "relevance"
    assert [a["id"] for a in words["articles"]] == [a["id"] for a in expected]
    assert all("[" in a["snippet"] for a in words["articles"])
    by_date = client.get("/articles.json", params={"q": "troops", "sort": "oldest"}).json()
    assert {a["id"] for a in by_date["articles"]} <= {a["id"] for a in expected}
    assert "<mark>" in client.get("/articles", params={"q": "troops"}).text.lower()


def test_articles_empty_states_and_notes(client: TestClient) -> None:
    r = client.get("/articles", params={"q": "zzzyxnonexistentword"})
    assert r.status_code == 200
    assert "No articles match" in text_of(r.text) and "zzzyxnonexistentword" in r.text
    r = client.get("/articles", params={"sort": "bogus", "since": "soon"})
    assert r.status_code == 200
    assert "sort='bogus' ignored" in text_of(r.text) and "since='soon' ignored" in text_of(r.text)
    j = client.get("/articles.json", params={"q": '"*%'}).json()
    assert j["filters"]["q"] is None and j["articles"] and "no words" in j["notes"][0]
    j = client.get("/articles.json", params={"limit": 10**9, "page": -5}).json()
    assert j["limit"] == MAX_LIMIT and j["page"] == 1
    far = client.get("/articles", params={"page": 500}).text
    assert "No articles match" in text_of(far) and "on page 500" in text_of(far)


# ------------------------------------------------------------------ sources
def test_sources_list_filters_aliases_and_sort(client: TestClient, con) -> None:
    j = client.get("/sources.json", params={"limit": 5}).json()
    top = query.sources(con, limit=5)
    assert [(s["source"], s["attributions"], s["articles"]) for s in j["sources"]] == [
        (s.source, s.attributions, s.articles) for s in top
    ], "the same counts as the overview and /api/sources"
    kcna = client.get("/sources.json", params={"name": "KCNA"}).json()["sources"]
    assert [s["source"] for s in kcna] == ["Korean Central News Agency"]
    assert "KCNA" in kcna[0]["aliases"] and kcna[0]["type"] == "organization"
    people = client.get("/sources.json", params={"type": "person", "limit": 100}).json()
    assert people["sources"] and {s["type"] for s in people["sources"]} == {"person"}
    by_name = client.get("/sources.json", params={"sort": "name", "limit": 100}).json()
    names = [s["source"].casefold() for s in by_name["sources"]]
    assert names == sorted(names)
    part = client.get("/sources.json", params={"name": "ministry", "limit": 100}).json()
    assert part["sources"] and all("ministry" in s["source"].lower() for s in part["sources"])
    r = client.get("/sources", params={"name": "KCNA"})
    assert f'href="/sources/{quote("Korean Central News Agency", safe="")}"' in r.text
    empty = client.get("/sources", params={"name": "nobody at all"})
    assert "No sources match" in text_of(empty.text)
    assert "type='x'" not in empty.text  # an unknown type is a filter that matches nothing
    p1 = client.get("/sources.json", params={"limit": 2}).json()
    p2 = client.get("/sources.json", params={"limit": 2, "page": 2}).json()
    both = client.get("/sources.json", params={"limit": 4}).json()
    assert [s["source"] for s in p1["sources"] + p2["sources"]] == [
        s["source"] for s in both["sources"]
    ]


def test_the_sources_list_follows_the_ledger(example_ledger: Path, tmp_path: Path, analyzer):
    """The totals are kept between requests only while the ledger file is unchanged."""
    path = tmp_path / "copy.db"
    shutil.copy(example_ledger, path)
    client = TestClient(create_app(str(path)), base_url="http://127.0.0.1")
    before = client.get("/sources.json", params={"name": "Ambassador Quillfeather"}).json()
    assert before["sources"] == []
    with Ledger(path) as ledger:
        text = "Ambassador Quillfeather said the talks would resume on Monday."
        ledger.add(analyzer.analyze(text, published="2025-06-02", id="quill"))
    after = client.get("/sources.json", params={"name": "Quillfeather"}).json()
    assert after["sources"] and "Quillfeather" in after["sources"][0]["source"]


# ------------------------------------------------------------------ entities
def test_entities_list_filters_and_links(client: TestClient, con) -> None:
    j = client.get("/entities.json", params={"limit": 100}).json()
    assert j["available"] and j["entities"]
    counts = [e["articles"] for e in j["entities"]]
    assert counts == sorted(counts, reverse=True)
    kim_row = next(e for e in j["entities"] if e["name"] == "Kim Jong Un")
    assert kim_row["type"] == "person" and kim_row["said"] > 0
    assert "Kim Jong-un" in kim_row["names"]
    expected = browse.entity_list(con, limit=100)
    assert [e["id"] for e in j["entities"]] == [e["id"] for e in expected]
    places = client.get("/entities.json", params={"type": "place", "limit": 100}).json()
    assert {e["type"] for e in places["entities"]} == {"place"}
    alias = client.get("/entities.json", params={"name": "KCNA"}).json()["entities"]
    assert "Korean Central News Agency" in [e["name"] for e in alias]
    said = client.get("/entities.json", params={"sort": "said"}).json()["entities"]
    assert [e["said"] for e in said] == sorted((e["said"] for e in said), reverse=True)
    r = client.get("/entities", params={"name": "Kim Jong"})
    assert f'href="/timeline/{kim(con)}"' in r.text
    assert "No entities match" in text_of(client.get("/entities?name=nobody+at+all").text)


# ------------------------------------------------------------------ stories
def test_stories_list_and_filters(client: TestClient, con, example_seed_id: str) -> None:
    j = client.get("/stories.json").json()
    assert j["available"] and j["stories"]
    story = seed_story(con, example_seed_id)
    mine = next(s for s in j["stories"] if s["id"] == story)
    assert mine["articles"] >= 10 and mine["title"] and mine["sites"]
    big = client.get("/stories.json", params={"min_articles": 2}).json()["stories"]
    assert big and all(s["articles"] >= 2 for s in big)
    most = client.get("/stories.json", params={"sort": "articles"}).json()["stories"]
    assert [s["articles"] for s in most] == sorted((s["articles"] for s in most), reverse=True)
    found = client.get("/stories.json", params={"q": "monument"}).json()["stories"]
    assert story in [s["id"] for s in found]
    none = client.get("/stories", params={"q": "zzzyxnonexistentword"})
    assert "No stories match" in text_of(none.text)
    r = client.get("/stories")
    assert f'href="/stories/{story}"' in r.text


def test_story_page_has_articles_claims_conflicts_and_figures(
    client: TestClient, con, example_seed_id: str
) -> None:
    story = seed_story(con, example_seed_id)
    j = client.get(f"/stories/{story}.json").json()
    members = {
        r[0]
        for r in con.execute("SELECT article_id FROM article_stories WHERE story_id = ?", (story,))
    }
    assert {a["id"] for a in j["story_articles"]} == members or len(j["story_articles"]) == 50
    assert j["claims"] and all(c["articles_in_story"] >= 1 for c in j["claims"])
    sides = {(c["kind"], c["a"]["value"], c["b"]["value"]) for c in j["conflicts"]}
    assert ("quantity", "14,000", "11,000") in sides or ("quantity", "11,000", "14,000") in sides
    assert all(c["kind"] != "revision" for c in j["conflicts"])
    assert all(c["kind"] == "revision" for c in j["revisions"])
    totals = next(f for f in j["figures"] if f["key"] == "troops/total")
    values = {p["value"] for p in totals["points"]}
    assert {14000, 11000, 12000} <= values
    assert len(totals["sources"]) >= 2
    page = client.get(f"/stories/{story}").text
    assert page.count('<svg class="chart figures"') == len(j["figures"])
    assert 'class="point"' in page and "troops: total" in page
    for c in j["claims"][:3]:
        assert f'href="/claims?claim={c["id"]}"' in page
    # paging of its articles
    p2 = client.get(f"/stories/{story}.json", params={"limit": 3, "page": 2}).json()
    p1 = client.get(f"/stories/{story}.json", params={"limit": 3}).json()
    six = client.get(f"/stories/{story}.json", params={"limit": 6}).json()
    assert [a["id"] for a in p1["story_articles"] + p2["story_articles"]] == [
        a["id"] for a in six["story_articles"]
    ]


# ------------------------------------------------------------------ timeline
def test_timeline_chart_list_filters_and_paging(client: TestClient, con) -> None:
    lid = kim(con)
    j = client.get(f"/timeline/{lid}.json", params={"limit": 100}).json()
    expected = timeline(con, str(lid), limit=100)
    assert j["entity"] == {"id": lid, "name": "Kim Jong Un", "type": "person"}
    assert [i["attribution_id"] + i["article_id"] for i in j["said"]] == [
        i["attribution_id"] + i["article_id"] for i in expected["said"]
    ]
    assert sum(c["said"] for c in j["counts"]) == len(j["said"])
    assert sum(c["about"] for c in j["counts"]) == len(j["about"])
    by_name = client.get("/timeline/Kim%20Jong-un.json", params={"limit": 100}).json()
    assert by_name["entity"]["id"] == lid, "a name or alias finds the entity"
    said = client.get(f"/timeline/{lid}.json", params={"role": "said"}).json()
    assert said["said"] and not said["about"]
    about = client.get(f"/timeline/{lid}.json", params={"role": "about"}).json()
    assert about["about"] and not about["said"]
    newest = client.get(f"/timeline/{lid}.json", params={"order": "newest", "limit": 100}).json()
    assert [i["date"] or "" for i in newest["said"]] == sorted(
        (i["date"] or "" for i in newest["said"]), reverse=True
    )
    span = client.get(f"/timeline/{lid}.json", params={"since": "2025-05", "until": "2025-05"})
    assert all(i["date"] >= "2025-05" for i in span.json()["said"] if i["dated_by"] == "published")
    first = client.get(f"/timeline/{lid}.json", params={"limit": 5}).json()
    second = client.get(f"/timeline/{lid}.json", params={"limit": 5, "page": 2}).json()
    assert first["next_page"] == 2
    keys = lambda p: {i["article_id"] + i["attribution_id"] for i in p["said"] + p["about"]}  # noqa: E731
    assert len(keys(first)) == 5 and not keys(first) & keys(second)
    r = client.get(f"/timeline/{lid}")
    assert '<svg class="chart counts"' in r.text and 'class="stack said"' in r.text
    assert "What it said" in r.text and "What was said of it" in r.text
    empty = client.get(f"/timeline/{lid}", params={"since": "2030"})
    assert "Nothing it said in these dates" in text_of(empty.text)


# ------------------------------------------------------------------ the relay graph
def test_graph_draws_named_sources_without_junk(client: TestClient, con) -> None:
    g = client.get("/graph.json").json()
    names = {n["name"] for n in g["nodes"]}
    assert {"Korean Central News Agency", "Kim Jong Un"} <= names
    assert not names & set(JUNK), names & set(JUNK)
    assert "Kim Jong-un" not in names, "spellings of one entity are one node"
    kim_node = next(n for n in g["nodes"] if n["name"] == "Kim Jong Un")
    assert "Kim Jong-un" in kim_node["spellings"]
    ids = {n["id"]: n["name"] for n in g["nodes"]}
    edge = next(
        e
        for e in g["edges"]
        if (ids[e["source"]], ids[e["target"]]) == ("Korean Central News Agency", "Kim Jong Un")
    )
    raw = {(r.relay, r.origin): r.attributions for r in query.relays(con, limit=300)}
    assert edge["attributions"] == sum(
        n for (a, b), n in raw.items() if a == "Korean Central News Agency" and "Kim Jong" in b
    )
    hidden = set(g["hidden"]["names"])
    assert g["hidden"]["links"] > 0 and hidden, "what is left out is said"
    assert not hidden & names and "state media" in hidden, "descriptions are no nodes"
    # boxes hold their whole label and do not overlap
    for n in g["nodes"]:
        assert " ".join(n["lines"]) == n["name"]
    boxes = [
        (n["x"] - n["w"] / 2, n["y"] - n["h"] / 2, n["x"] + n["w"] / 2, n["y"] + n["h"] / 2)
        for n in g["nodes"]
    ]
    assert not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    everything = client.get("/graph.json", params={"named": "0"}).json()
    every_name = {n["name"] for n in everything["nodes"]}
    assert "statement" in every_name and "(unnamed)" not in every_name
    page = client.get("/graph").text
    assert 'id="relay-graph"' in page and 'data-src="/graph.json"' in page
    assert 'src="/static/cytoscape.min.js"' in page and 'src="/static/graph.js"' in page
    assert "Draw them too" in page
    small = client.get("/graph.json", params={"limit": 3}).json()
    assert len(small["nodes"]) <= 3
    capped = client.get("/graph", params={"limit": 10**9, "min": "x"})
    assert capped.status_code == 200 and 'value="300"' in capped.text
    heavy = client.get("/graph.json", params={"min": 3}).json()
    assert heavy["edges"] and all(e["attributions"] >= 3 for e in heavy["edges"])


def test_graph_panel_shows_a_sources_statements(client: TestClient, con) -> None:
    r = client.get("/graph/source", params={"name": "Korean Central News Agency"})
    assert r.status_code == 200
    said = query.said(con, "Korean Central News Agency", limit=3)
    assert said and html.escape(said[0]["content"], quote=False)[:40] in r.text.replace(
        "&#39;", "'"
    )
    assert 'href="/sources/Korean%20Central%20News%20Agency"' in r.text
    j = client.get("/graph/source.json", params={"name": "KCNA"}).json()
    assert "Korean Central News Agency" in j["names"] and j["attributions"]


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_the_layout_stays_readable_at_200_nodes() -> None:
    """200 sources: 12 agencies relaying 8 people each, one wire service relaying 80, some
    links between agencies, long names; no box overlaps another, no label is cut, the
    drawing keeps a screen-like shape and the relays sit left of what they relay."""
    names = [f"Agency {i}" for i in range(12)]
    names += [
        f"Spokesperson number {j} of the Ministry of Agency {i}"
        for i in range(12)
        for j in range(8)
    ]
    names += ["Global Wire"] + [f"Wire source {k}" for k in range(91)]
    assert len(names) == 200
    edges = [
        (f"Agency {i}", f"Spokesperson number {j} of the Ministry of Agency {i}")
        for i in range(12)
        for j in range(8)
    ]
    edges += [("Global Wire", f"Wire source {k}") for k in range(91)]
    edges += [(f"Agency {i}", f"Agency {i + 1}") for i in range(0, 10, 2)]
    boxes = layout(names, edges)
    assert set(boxes) == set(names)
    rects = [(b.x - b.w / 2, b.y - b.h / 2, b.x + b.w / 2, b.y + b.h / 2) for b in boxes.values()]
    assert all(math.isfinite(v) for r in rects for v in r)
    assert not any(overlap(a, b) for i, a in enumerate(rects) for b in rects[i + 1 :])
    for name, b in boxes.items():
        assert " ".join(b.lines) == name and b.lines == label_lines(name)
    width = max(r[2] for r in rects) - min(r[0] for r in rects)
    height = max(r[3] for r in rects) - min(r[1] for r in rects)
    assert 0.3 < width / height < 4, (width, height)
    for a, b in edges:
        if a.startswith("Agency") and b.startswith("Spokes"):
            assert boxes[a].x < boxes[b].x


# ------------------------------------------------------------------ the source filter
def test_the_source_filter_resolves_aliases_like_the_source_page(client: TestClient, con) -> None:
    """``source=KCNA`` finds what ``/sources/KCNA`` lists: the agency as the source or as a
    link of the chain, under any of its names."""
    by_alias = client.get("/search.json", params={"q": "troops", "source": "KCNA"}).json()
    by_name = client.get(
        "/search.json", params={"q": "troops", "source": "Korean Central News Agency"}
    ).json()
    assert by_alias["attributions"], "the alias finds the agency's statements"
    assert by_alias["attributions"] == by_name["attributions"]
    for a in by_alias["attributions"]:
        assert "Korean Central News Agency" in a["chain"] + [a["source"]]
    listed = {(x["article_id"], x["attribution_id"]) for x in query.said(con, "KCNA", limit=500)}
    api = client.get("/api/attributions", params={"source": "KCNA", "limit": 100}).json()
    assert api["attributions"]
    assert {(x["article_id"], x["attribution_id"]) for x in api["attributions"]} <= listed
    r = client.get("/search", params={"q": "troops", "source": "kcna"})
    assert "Nothing matches" not in r.text


# ------------------------------------------------------------------ hostile input
HOSTILE_TEXT = [
    '"',
    "%",
    "troops*",
    "NEAR(troops Kursk, 2)",
    "troops OR Kursk",
    "content:troops",
    "'; DROP TABLE articles; --",
    "\\",
    "(((",
    "\x00",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "a" * 5000,
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_filters_are_plain_text(client: TestClient, con, text: str) -> None:
    for path, name in (
        ("/articles", "q"),
        ("/articles", "site"),
        ("/articles", "sort"),
        ("/sources", "name"),
        ("/sources", "type"),
        ("/entities", "name"),
        ("/stories", "q"),
        ("/stories", "since"),
        ("/graph", "limit"),
        ("/graph/source", "name"),
        ("/timeline/Kim%20Jong%20Un", "role"),
    ):
        for suffix in ("", ".json"):
            url = path + suffix if not path.startswith("/graph/source") else path
            r = client.get(url, params={name: text})
            assert r.status_code in (200, 404), (url, name, r.status_code)
            if r.headers["content-type"].startswith("text/html"):  # JSON carries text as is
                assert "<script>alert" not in r.text and "<img src=x" not in r.text, (url, name)
            else:
                assert r.headers["content-type"] == "application/json", (url, name)
                assert r.headers["x-content-type-options"] == "nosniff"
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] >= 18


def test_hostile_article_is_escaped_on_every_new_page(client: TestClient, con) -> None:
    story = con.execute("SELECT story_id FROM article_stories WHERE article_id = 'hostile'")
    row = story.fetchone()
    pages = [
        "/articles",
        "/articles?sort=oldest",
        "/articles?site=%22%3E%3Cb%3EEvil+Outlet%3C%2Fb%3E",
        "/articles?q=alert",
        "/sources?sort=name&limit=100",
        "/entities?limit=100&sort=name",
        "/stories?sort=earliest",
        "/graph?named=0",
        "/graph/source?name=Officials",
    ]
    if row:
        pages.append(f"/stories/{row[0]}")
    for page in pages:
        r = client.get(page)
        assert r.status_code in (200, 404), page
        body = r.text
        assert "<script>alert" not in body and "<img src=x" not in body, page
        assert "<b>Evil" not in body, page
    listed = client.get("/articles", params={"sort": "oldest"}).text
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in listed, "title shown, escaped"
    assert "&#34;&gt;&lt;b&gt;Evil Outlet&lt;/b&gt;" in listed, "site shown, escaped"


@pytest.mark.parametrize(
    "path",
    [
        "/stories/..%2F..%2Fetc%2Fpasswd",
        "/stories/%2e%2e/%2e%2e/etc/passwd",
        "/timeline/..%2F..%2Fetc%2Fpasswd",
        "/timeline/../../etc/passwd",
        "/timeline/%2e%2e%2f%2e%2e%2fetc%2fpasswd.json",
        "/static/..%2Fworkbench.py",
        "/static/%2e%2e/graph.py",
    ],
)
def test_path_traversal_on_new_pages_is_404(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404, (path, r.status_code)
    assert "root:" not in r.text and "def " not in r.text


def test_new_pages_have_no_inline_script_and_the_graph_library_is_vendored(
    client: TestClient, con, example_seed_id: str
) -> None:
    story = seed_story(con, example_seed_id)
    for page in (
        "/articles",
        "/sources",
        "/entities",
        "/stories",
        f"/stories/{story}",
        "/graph",
        f"/timeline/{kim(con)}",
    ):
        body = client.get(page).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", body), page
        assert "https://" not in body.split("<main ")[0], "no CDN"
        assert " style=" not in body, f"{page}: an inline style the CSP would block"
    lib = client.get("/static/cytoscape.min.js")
    assert lib.status_code == 200 and "Cytoscape Consortium" in lib.text[:300]
    licence = client.get("/static/cytoscape.LICENSE.txt")
    assert licence.status_code == 200 and "Permission is hereby granted" in licence.text
    assert client.get("/static/graph.js").status_code == 200
    axe = client.get("/static/axe.min.js")  # the accessibility check of the browser tests
    assert axe.status_code == 200 and "Deque Systems" in axe.text[:300]
    licence = client.get("/static/axe.LICENSE.txt")
    assert licence.status_code == 200 and "Mozilla Public License" in licence.text


def test_json_twins_serve_attributions_as_the_api_records(client: TestClient) -> None:
    """One serializer: the attribution rows of the pages' twins and of the API are
    :class:`~newsledger.records.AttributionRow` records, the same keys in the same order."""
    from dataclasses import fields

    from newsledger.records import AttributionRow

    keys = [f.name for f in fields(AttributionRow)]
    kcna = quote("Korean Central News Agency")
    twins = {
        "/search.json?q=troops": "/api/search?q=troops",
        f"/sources/{kcna}.json": f"/api/sources/{kcna}",
        f"/graph/source.json?name={kcna}": None,
        "/search.json?q=troops&source=KCNA": "/api/search?q=troops&source=KCNA",
    }
    for page, api in twins.items():
        rows = client.get(page).json()["attributions"]
        assert rows and all(list(r) == keys for r in rows), page
        if api is not None:
            served = client.get(api).json()["attributions"]
            assert [r["attribution_id"] for r in rows] == [r["attribution_id"] for r in served]
            assert [list(r) for r in served] == [keys] * len(served)
    listed = client.get("/api/attributions", params={"source": "KCNA"}).json()["attributions"]
    assert listed and all(list(r) == keys for r in listed)
