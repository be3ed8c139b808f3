"""Accessibility in a real browser (Playwright driving Debian's Chromium): axe-core (vendored in
``static/axe.min.js``) runs on every workbench page of ``serve --write`` over a copy of the
example ledger and fails on a serious or critical violation; the keyboard alone reaches and
works the skip link, the verdict buttons, the article's attributions and the relay graph's
sources. Skipped when Chromium or Playwright is missing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from browser_support import NEEDS_BROWSER, browser_page, live_server

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = NEEDS_BROWSER

#: What fails the check; moderate and minor findings are reported, not failed.
FAILING = ("serious", "critical")


@pytest.fixture(scope="module")
def ledger_copy(example_ledger: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example ledger copied (the keyboard test gives a verdict)."""
    path = tmp_path_factory.mktemp("a11y") / "examples.db"
    with sqlite3.connect(example_ledger) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    return path


@pytest.fixture(scope="module")
def server(ledger_copy: Path, analyzer) -> Iterator[str]:
    from newsledger.web import create_app

    app = create_app(str(ledger_copy), allow_write=True, analyzer=analyzer)
    with live_server(app) as url:
        yield url


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    with browser_page(server) as pg:
        yield pg


def _json(page: Page, url: str) -> dict:
    return json.loads(page.request.get(url).text())


def workbench_pages(page: Page, seed_id: str) -> dict[str, str]:
    """Every page of the workbench, by name, with real ids from the ledger."""
    story = _json(page, "/stories.json")["stories"][0]["id"]
    conflict = _json(page, "/conflicts.json")["conflicts"][0]["id"]
    kim = _json(page, "/entities.json?name=Kim%20Jong%20Un")["entities"][0]["id"]
    return {
        "overview": "/",
        "articles": "/articles",
        "article": f"/articles/{quote(seed_id, safe='')}",
        "sources": "/sources",
        "source": "/sources/Korean%20Central%20News%20Agency",
        "entities": "/entities",
        "stories": "/stories",
        "story": f"/stories/{story}",
        "timeline": "/timeline/Kim%20Jong%20Un",
        "graph": "/graph",
        "claims": "/claims",
        "conflicts": "/conflicts",
        "conflict": f"/conflicts/{conflict}",
        "search": "/search?q=troops",
        "search (empty)": "/search?q=zzzzqqq",
        "ingest": "/ingest",
        "entities (edit)": "/edit/entities?q=Kim",
        "entity (edit: merge form, split buttons)": f"/edit/entities?q=Kim&entity={kim}",
        "stories (empty)": "/stories?q=zzzzqqq",
        "articles (a bad filter noted)": "/articles?since=yesterday&sort=nonsense",
        "export": "/export",
    }


def run_axe(page: Page) -> list[dict]:
    """axe-core's violations on the page as loaded (loaded from /static: the CSP allows it)."""
    page.add_script_tag(url="/static/axe.min.js")
    return page.evaluate(
        """async () => {
            const r = await axe.run(document, { resultTypes: ["violations"] });
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
                count: v.nodes.length,
            }));
        }"""
    )


def test_axe_finds_no_serious_violation_on_any_page(page: Page, example_seed_id: str) -> None:
    found: dict[str, list[dict]] = {}
    for name, url in workbench_pages(page, example_seed_id).items():
        response = page.goto(url)
        assert response is not None and response.status == 200, (name, url)
        if name == "graph":
            page.wait_for_selector("#relay-graph[data-ready=true]")
        found[name] = run_axe(page)
    report = {
        name: [f"{v['impact']}: {v['id']} ({v['count']}) {v['nodes']}" for v in violations]
        for name, violations in found.items()
        if violations
    }
    print(json.dumps(report, indent=1))  # the moderate and minor ones, for the record
    failing = {
        name: [v for v in violations if v["impact"] in FAILING]
        for name, violations in found.items()
    }
    assert not any(failing.values()), json.dumps({k: v for k, v in failing.items() if v}, indent=1)
    assert not page.console_errors, page.console_errors  # type: ignore[attr-defined]


def focused(page: Page) -> str:
    """The focused element as ``tag#id.class text``."""
    return page.evaluate(
        """() => { const e = document.activeElement;
            return e.tagName.toLowerCase() + "#" + e.id + "." + e.className + " "
                + (e.textContent || "").trim().slice(0, 40); }"""
    )


def tab_to(page: Page, selector: str, limit: int = 200) -> None:
    """Press Tab until the element ``selector`` has the focus."""
    target = page.locator(selector).first
    target.wait_for()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {selector} (last: {focused(page)})")


def outline_visible(page: Page) -> bool:
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
            return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2)
                || s.boxShadow !== "none"; }"""
    )


def test_skip_link_is_first_and_moves_to_main(page: Page) -> None:
    page.goto("/conflicts")
    page.keyboard.press("Tab")
    assert "skip" in focused(page).lower()
    assert outline_visible(page), "the focused skip link shows a focus ring"
    assert page.locator("a.skip").is_visible(), "the skip link appears when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('main').contains(document.activeElement)")


def test_every_control_shows_its_focus(page: Page) -> None:
    page.goto("/articles")
    for _ in range(25):
        page.keyboard.press("Tab")
        assert outline_visible(page), f"no visible focus on {focused(page)}"


def test_a_verdict_by_keyboard(page: Page) -> None:
    conflict = _json(page, "/conflicts.json")["conflicts"][0]["id"]
    page.goto(f"/conflicts/{conflict}")
    tab_to(page, f"#verdict-{conflict} input[name=note]")
    page.keyboard.type("checked by keyboard")
    tab_to(page, f"#verdict-{conflict} button[value=confirmed]")
    assert outline_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#verdict-{conflict} .badge.verdict-confirmed")
    assert "checked by keyboard" in page.locator(f"#verdict-{conflict}").inner_text()
    # undo, by keyboard too
    tab_to(page, f"#verdict-{conflict} button.undo")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#verdict-{conflict}.v-none")


def test_the_article_attributions_by_keyboard(page: Page, example_seed_id: str) -> None:
    page.goto(f"/articles/{quote(example_seed_id, safe='')}")
    tab_to(page, "#text a")
    assert outline_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_selector("#panel .chain, #panel dl")
    assert "/articles/" in page.url, "the panel loads in place"
    # the side list: a <details> opens with Enter
    tab_to(page, "ol.attributions summary")
    page.keyboard.press("Enter")
    assert page.locator("ol.attributions details").first.get_attribute("open") is not None
    # the page with its panel loaded and a <details> open passes axe too
    assert not [v for v in run_axe(page) if v["impact"] in FAILING]


def test_graph_sources_from_a_keyboard_list(page: Page) -> None:
    page.goto("/graph")
    page.wait_for_selector("#relay-graph[data-ready=true]")
    item = "#graph-sources a[data-name='Korean Central News Agency']"
    tab_to(page, "#graph-sources summary")
    page.keyboard.press("Enter")
    tab_to(page, item)
    page.keyboard.press("Enter")
    page.wait_for_selector("#graph-panel h3")
    assert "Korean Central News Agency" in page.locator("#graph-panel h3").inner_text()
    picked = page.evaluate("() => window.newsledgerGraph.nodes('.picked').map(n => n.data('name'))")
    assert picked == ["Korean Central News Agency"]
    assert not [v for v in run_axe(page) if v["impact"] in FAILING]
    assert not page.console_errors, page.console_errors  # type: ignore[attr-defined]


#: what takes the keyboard's focus: every visible link, button and field
FOCUSABLE = (
    "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]),"
    " select:not([disabled]), textarea:not([disabled]), summary"
)


@pytest.mark.parametrize(
    "url",
    ["/ingest", "/export", "/conflicts", "/edit/entities?q=Kim"],
    ids=["ingest", "export", "conflicts", "entity editor"],
)
def test_every_action_is_reached_by_tab(page: Page, url: str) -> None:
    """Tab, from the top, visits every visible link, button and field of the page."""
    page.goto(url)
    total = page.evaluate(
        """(sel) => {
            const all = [...document.querySelectorAll(sel)]
                .filter(e => e.getClientRects().length > 0);
            all.forEach((e, i) => e.setAttribute("data-kbd", String(i)));
            return all.length;
        }""",
        FOCUSABLE,
    )
    assert total > 3
    seen: set[str] = set()
    for _ in range(total + 10):
        page.keyboard.press("Tab")
        mark = page.evaluate("() => document.activeElement.getAttribute('data-kbd')")
        if mark is not None:
            seen.add(mark)
    missed = page.evaluate(
        """(seen) => [...document.querySelectorAll("[data-kbd]")]
            .filter(e => !seen.includes(e.getAttribute("data-kbd")))
            .map(e => e.outerHTML.slice(0, 120))""",
        sorted(seen),
    )
    assert not missed, missed
