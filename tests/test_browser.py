"""The web UI in a real browser: Playwright driving Debian's Chromium over a live server.

Searches, opens the seed article, clicks an attribution and reads its chain from the side
panel (loaded by HTMX), and takes a screenshot of each page: into ``docs/img/`` (the README's
pictures) when ``NEWSLEDGER_SCREENSHOTS=1`` (``make screenshots``), else into a temporary folder,
so a test run leaves the work tree clean. Skipped when Chromium or Playwright is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
try:
    from playwright.sync_api import Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None  # type: ignore[assignment]

pytestmark = [
    pytest.mark.skipif(
        sync_playwright is None, reason="playwright is not installed (pip install playwright)"
    ),
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (apt-get install chromium)"),
]

DOCS_IMG = Path(__file__).resolve().parents[1] / "docs" / "img"
IMG = (
    DOCS_IMG
    if os.environ.get("NEWSLEDGER_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "newsledger-screenshots"
)
VIEWPORT = {"width": 1100, "height": 720}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(example_ledger: Path) -> Iterator[str]:
    import uvicorn

    from newsledger.web import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(str(example_ledger)), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        context = browser.new_context(viewport=VIEWPORT, base_url=server)
        pg = context.new_page()
        errors: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.console_errors = errors  # type: ignore[attr-defined]
        yield pg
        browser.close()


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


def test_source_and_graph(page: Page) -> None:
    page.goto("/sources/" + quote("Kim Jong Un", safe=""))
    assert page.locator("svg.chart rect.bar").count() > 0
    shot(page, "source")
    page.goto("/graph")
    assert page.locator("svg.graph path.edge").count() > 0
    shot(page, "graph")
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
