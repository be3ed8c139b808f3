"""The web UI in a real browser: Playwright driving Debian's Chromium over a live server.

Searches, opens the seed article, clicks an attribution and reads its chain from the side
panel (loaded by HTMX), and takes a screenshot of each page: into ``docs/img/`` (the README's
pictures) when ``NEWSLEDGER_SCREENSHOTS=1`` (``make screenshots``), else into a temporary folder,
so a test run leaves the work tree clean. Skipped when Chromium or Playwright is missing.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from browser_support import NEEDS_BROWSER, browser_page, live_server

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = NEEDS_BROWSER

DOCS_IMG = Path(__file__).resolve().parents[1] / "docs" / "img"
IMG = (
    DOCS_IMG
    if os.environ.get("NEWSLEDGER_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "newsledger-screenshots"
)


@pytest.fixture(scope="module")
def server(example_ledger: Path) -> Iterator[str]:
    from newsledger.web import create_app

    app = create_app(str(example_ledger))
    with live_server(app) as url:
        yield url


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    with browser_page(server) as pg:
        yield pg


def shot(page: Page, name: str) -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMG / f"{name}.png"), full_page=False)


def relayed_attribution(ledger: Path, article_id: str) -> tuple[str, list[str]]:
    """The seed article's first attribution whose chain runs through Kim Jong Un."""
    with sqlite3.connect(f"file:{ledger}?mode=ro", uri=True) as con:
        for aid, chain in con.execute(
            "SELECT id, chain FROM attributions WHERE article_id = ? ORDER BY position",
            (article_id,),
        ):
            links = json.loads(chain)
            if len(links) > 1 and "Kim Jong Un" in links:
                return aid, links
    pytest.fail("the seed article has no attribution relayed to Kim Jong Un")


def test_overview(page: Page) -> None:
    page.goto("/")
    assert page.locator("h1").inner_text() == "Overview"
    assert page.locator("table tbody tr").count() > 0
    shot(page, "overview")


def test_search_then_open_the_seed_article_and_its_chain(
    page: Page, example_ledger: Path, example_seed_id: str
) -> None:
    page.goto("/search")
    page.fill("form.filters input[name=q]", "troops")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("#results ol.results li mark")
    assert "q=troops" in page.url, "the search state is in the URL (hx-push-url)"
    assert page.locator("#results li.result").count() > 0
    shot(page, "search")

    link = page.locator(f'#results a[href="/articles/{quote(example_seed_id, safe="")}"]')
    if link.count():
        link.first.click()
    else:  # not on the first page of results: open it directly
        page.goto(f"/articles/{quote(example_seed_id, safe='')}")
    page.wait_for_selector("article.text")
    aid, chain = relayed_attribution(example_ledger, example_seed_id)
    assert any("Korean Central News Agency" in n or n == "KCNA" for n in chain), chain

    page.locator(f'article.text a[data-attribution="{aid}"]').first.click()
    panel = page.locator(f'#panel .attribution-panel[data-attribution="{aid}"]')
    panel.wait_for()
    assert panel.locator(".chain").inner_text() == " → ".join(chain)
    assert "Kim Jong Un" in panel.inner_text()
    assert "/articles/" in page.url, "the panel loads in place"
    shot(page, "article")
    assert not page.console_errors, page.console_errors  # type: ignore[attr-defined]


def test_source_page(page: Page) -> None:
    page.goto("/sources/" + quote("Kim Jong Un", safe=""))
    assert page.locator("svg.chart rect.bar").count() > 0
    shot(page, "source")
    assert not page.console_errors, page.console_errors  # type: ignore[attr-defined]


def test_graph_draws_sources_and_a_click_shows_statements(page: Page) -> None:
    """The relay graph (Cytoscape, vendored): nodes drawn where the server placed them, none
    overlapping, every label inside its box; clicking a source loads its statements."""
    page.goto("/graph")
    page.wait_for_selector("#relay-graph[data-ready=true]")
    nodes = page.evaluate(
        """() => window.newsledgerGraph.nodes().map(n => {
            const b = n.boundingBox({includeLabels: false});
            const l = n.boundingBox({includeNodes: false, includeEdges: false});
            return {name: n.data('name'), box: [b.x1, b.y1, b.x2, b.y2],
                    label: [l.x1, l.y1, l.x2, l.y2]};
        })"""
    )
    names = {n["name"] for n in nodes}
    assert {"Korean Central News Agency", "Kim Jong Un"} <= names
    assert not names & {"statement", "world", "(unnamed)", "we"}
    boxes = [n["box"] for n in nodes]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    for n in nodes:  # the label (wrapped, never cut) stays within its box
        (x1, y1, x2, y2), (lx1, ly1, lx2, ly2) = n["box"], n["label"]
        assert x1 - 1 <= lx1 and lx2 <= x2 + 1 and y1 - 1 <= ly1 and ly2 <= y2 + 1, n
    assert page.locator("#relay-graph canvas").count() > 0
    shot(page, "graph")
    # click the agency: its statements come into the side panel
    point = page.evaluate(
        """() => { const n = window.newsledgerGraph.nodes().filter(
                 n => n.data('name') === 'Korean Central News Agency')[0];
               const p = n.renderedPosition(); const r = document.querySelector('#relay-graph')
                 .getBoundingClientRect(); return {x: r.left + p.x, y: r.top + p.y}; }"""
    )
    page.mouse.click(point["x"], point["y"])
    panel = page.locator('#graph-panel .graph-source[data-source="Korean Central News Agency"]')
    panel.wait_for()
    assert panel.locator("ol.statements li").count() > 0
    assert "Kim Jong Un" in panel.inner_text()
    shot(page, "graph-statements")
    # the search box finds a source and shows its statements too
    page.fill("#graph-find", "Yonhap")
    page.dispatch_event("#graph-find", "change")
    page.locator('#graph-panel .graph-source[data-source="Yonhap"]').wait_for()
    assert not page.console_errors, page.console_errors  # type: ignore[attr-defined]


def test_story_timeline_and_list_pages(
    page: Page, example_ledger: Path, example_seed_id: str
) -> None:
    with sqlite3.connect(f"file:{example_ledger}?mode=ro", uri=True) as con:
        story = con.execute(
            "SELECT story_id FROM article_stories WHERE article_id = ?", (example_seed_id,)
        ).fetchone()[0]
    page.goto(f"/stories/{story}")
    assert page.locator("svg.chart.figures circle.point").count() >= 3
    page.locator("#figures").scroll_into_view_if_needed()
    shot(page, "story")
    page.goto("/timeline/" + quote("Kim Jong Un", safe=""))
    assert page.locator("svg.chart.counts rect").count() > 0
    assert page.locator("#said li").count() > 0
    shot(page, "timeline")
    page.goto("/articles")
    page.select_option("select[name=sort]", "oldest")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/articles?*sort=oldest*")
    assert page.locator("table.list tbody tr").count() > 0
    page.goto("/sources?name=KCNA")
    assert "Korean Central News Agency" in page.locator("table.list").inner_text()
    shot(page, "sources")
    page.goto("/entities")
    shot(page, "entities")
    assert not page.console_errors, page.console_errors  # type: ignore[attr-defined]


def test_claims_and_conflicts(page: Page) -> None:
    page.goto("/claims")
    page.select_option("select[name=independence]", "relay_only")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/claims?*independence=relay_only*")
    claims = page.locator("li.claim")
    assert claims.count() > 0
    assert claims.locator(".badge.i-relay_only").count() == claims.count()
    assert claims.first.locator('table.members a[href^="/articles/"]').count() >= 2
    page.goto("/claims?min_articles=2")
    assert page.locator("li.claim .badge.i-independent").count() > 0
    shot(page, "claims")
    page.goto("/conflicts?kind=quantity")
    troops = page.locator("section.conflict", has_text="14,000").filter(has_text="11,000")
    assert troops.count() > 0
    sides = troops.first.locator(".side")
    assert sides.count() == 2
    assert {
        sides.nth(0).locator(".value").inner_text(),
        sides.nth(1).locator(".value").inner_text(),
    } == {"14,000", "11,000"}
    # side by side: the two sides share a row
    a, b = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert a and b and abs(a["y"] - b["y"]) < 2 and b["x"] > a["x"] + a["width"] - 1
    troops.first.scroll_into_view_if_needed()
    shot(page, "conflicts")
    assert not page.console_errors, page.console_errors  # type: ignore[attr-defined]


def test_hostile_article_runs_no_script(page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto("/articles/hostile")
    page.wait_for_selector("article.text")
    assert "<script>alert(1)</script>" in page.locator("article.text").inner_text()
    assert page.locator("article.text img").count() == 0
    assert dialogs == []
