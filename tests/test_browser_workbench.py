"""The fact-checker's journey in a real browser (Playwright driving Debian's Chromium) over
``serve --write``: an empty ledger → three articles ingested by upload (progress polled by
HTMX) → a conflict opened → confirmed (and undone, and confirmed again) → the conflicts
exported as CSV and the file read back. Skipped when Chromium or Playwright is missing.
Screenshots go to ``docs/img/`` with ``NEWSLEDGER_SCREENSHOTS=1``, else to a temporary folder.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser_support import NEEDS_BROWSER, browser_page, live_server

if TYPE_CHECKING:
    from playwright.sync_api import Page

from newsledger.ledger import Ledger

pytestmark = NEEDS_BROWSER

ROOT = Path(__file__).resolve().parents[1]
IMG = (
    ROOT / "docs" / "img"
    if os.environ.get("NEWSLEDGER_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "newsledger-screenshots"
)
#: Three reports of the example corpus that disagree (14,000 vs about 12,000 troops …).
UPLOADS = ("hd-ukraine-14000", "nw-nis-11000", "mp-pentagon-12000")


@pytest.fixture(scope="module")
def workbench(tmp_path_factory: pytest.TempPathFactory, analyzer) -> Iterator[tuple[str, Path]]:
    """``newsledger serve --write`` over an empty ledger, live on a free port."""
    from newsledger.web import create_app

    path = tmp_path_factory.mktemp("workbench") / "empty.db"
    Ledger(path).close()
    app = create_app(str(path), allow_write=True, analyzer=analyzer)
    with live_server(app) as url:
        yield url, path


@pytest.fixture(scope="module")
def page(workbench: tuple[str, Path]) -> Iterator[Page]:
    with browser_page(workbench[0], accept_downloads=True) as pg:
        yield pg


def shot(page: Page, name: str) -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMG / f"{name}.png"), full_page=False)


def test_ingest_confirm_and_export_in_the_browser(
    page: Page, workbench: tuple[str, Path], tmp_path: Path
) -> None:
    _, ledger_path = workbench
    corpus = {r["id"]: r for r in map(json.loads, (ROOT / "examples" / "corpus.jsonl").open())}
    files = []
    for article_id in UPLOADS:
        f = tmp_path / f"{article_id}.jsonl"
        f.write_text(json.dumps(corpus[article_id]) + "\n", encoding="utf-8")
        files.append(str(f))

    # an empty ledger
    page.goto("/")
    assert page.locator("h1").inner_text() == "Overview"
    page.goto("/conflicts")
    assert page.locator("section.conflict").count() == 0

    # ingest three articles by upload; the job page polls its progress
    page.click("header nav a[href='/ingest']")
    page.set_input_files("form.ingest input[name=files]", files)
    shot(page, "ingest")
    page.click("form.ingest button[type=submit]")
    page.wait_for_url("**/ingest/jobs/*")
    page.wait_for_selector("#job[data-state=done]", timeout=240_000)
    text = page.locator("#job").inner_text()
    assert "3 stored" in text and "0 failed" in text, text
    for article_id in UPLOADS:
        assert page.locator(f"#job ul.stored a:text-is('{article_id}')").count() == 1
    shot(page, "ingest-done")

    # open a conflict: 14,000 against about 12,000 troops
    page.click("#job a[href='/conflicts']")
    conflict = page.locator("section.conflict", has_text="14,000").filter(has_text="12,000")
    assert conflict.count() >= 1
    conflict_id = conflict.first.get_attribute("data-conflict")
    conflict.first.locator("a.conflict-link").click()
    page.wait_for_url(f"**/conflicts/{conflict_id}")
    verdict = page.locator(f"#verdict-{conflict_id}")

    # confirm it with a note (HTMX swaps the verdict in place); undo; confirm again
    verdict.locator("form.verdict-form input[name=note]").fill(
        "both figures as reported; the sources differ"
    )
    verdict.locator("form.verdict-form button[value=confirmed]").click()
    page.wait_for_selector(f"#verdict-{conflict_id} .badge.verdict-confirmed")
    assert "/conflicts/" in page.url, "the verdict is given in place"
    page.locator(f"#verdict-{conflict_id} button.undo").click()
    page.wait_for_selector(f"#verdict-{conflict_id}.v-none")
    page.locator(f"#verdict-{conflict_id} form.verdict-form input[name=note]").fill(
        "confirmed after checking"
    )
    page.locator(f"#verdict-{conflict_id} form.verdict-form button[value=confirmed]").click()
    page.wait_for_selector(f"#verdict-{conflict_id} .badge.verdict-confirmed")
    shot(page, "conflict-verdict")

    # export the conflicts as CSV and read the file back
    page.goto("/conflicts")
    with page.expect_download() as info:
        page.click("p.export a[data-format=csv]")
    download = info.value
    assert download.suggested_filename == "newsledger-conflicts.csv"
    saved = tmp_path / "conflicts.csv"
    download.save_as(saved)
    rows = list(csv.DictReader(saved.open(encoding="utf-8")))
    with Ledger(ledger_path) as ledger:
        from newsledger.ledger.conflicts import read_conflicts

        stored = read_conflicts(ledger.con, limit=1000)
    assert [int(r["id"]) for r in rows] == [c.id for c in stored]
    [mine] = [r for r in rows if r["id"] == conflict_id]
    assert (mine["verdict"], mine["verdict_note"]) == ("confirmed", "confirmed after checking")
    assert "14,000" in mine["a.value"] + mine["b.value"]
    assert not page.console_errors, page.console_errors  # type: ignore[attr-defined]
