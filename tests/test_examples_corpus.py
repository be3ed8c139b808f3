"""The example corpus (examples/corpus.jsonl): its shape, and what the analyzer finds in it."""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from conftest import ROOT

from newsledger.model import Analysis, Article
from newsledger.pipeline import Analyzer

CORPUS = ROOT / "examples" / "corpus.jsonl"
FIELDS = ("id", "title", "published", "site", "url", "text")
# "SEOUL, April 28 (Northern Wire) — ..."
DATELINE = re.compile(r"^([A-Z][A-Z .'-]+), ([A-Z][a-z]+) (\d{1,2}) \(([^)]+)\) — ")


def _records() -> list[dict]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    records = []
    for n, line in enumerate(lines, 1):
        assert line.strip(), f"{CORPUS.name}:{n}: blank line"
        value = json.loads(line)
        assert isinstance(value, dict), f"{CORPUS.name}:{n}: not a JSON object"
        records.append(value)
    return records


RECORDS = _records()


def test_size_and_outlets() -> None:
    assert len(RECORDS) >= 14
    sites = {r["site"] for r in RECORDS}
    assert len(sites) >= 5
    for site in sites:
        assert sum(r["site"] == site for r in RECORDS) >= 2, f"{site} has one article only"


@pytest.mark.parametrize("record", RECORDS, ids=[r.get("id", "?") for r in RECORDS])
def test_record_shape(record: dict) -> None:
    for name in FIELDS:
        assert isinstance(record.get(name), str) and record[name].strip(), name
    assert re.fullmatch(r"[a-z0-9-]+", record["id"])
    published = date.fromisoformat(record["published"])
    assert record["published"] == published.isoformat()
    url = urlsplit(record["url"])
    assert url.scheme == "https" and url.hostname and url.hostname.endswith(".example")
    assert f"/{published:%Y/%m/%d}/" in url.path
    words = len(record["text"].split())
    assert 150 <= words <= 400, f"{words} words"
    assert "\n" in record["text"], "paragraphs are separated by newlines"
    dateline = DATELINE.match(record["text"])
    assert dateline, f"no dateline: {record['text'][:60]!r}"
    assert dateline[2] == f"{published:%B}" and int(dateline[3]) == published.day
    assert dateline[4] in record["site"]


def test_ids_unique_and_dates_spread() -> None:
    ids = [r["id"] for r in RECORDS]
    assert len(ids) == len(set(ids))
    days = sorted(date.fromisoformat(r["published"]) for r in RECORDS)
    assert (days[-1] - days[0]).days >= 14


@pytest.fixture(scope="module")
def analyses(analyzer: Analyzer) -> list[Analysis]:
    articles = [
        Article(
            text=r["text"],
            id=r["id"],
            title=r["title"],
            published=r["published"],
            url=r["url"],
            site=r["site"],
        )
        for r in RECORDS
    ]
    return list(analyzer.pipe(articles))


def test_every_article_has_attributions(analyses: list[Analysis]) -> None:
    assert [a.article.id for a in analyses] == [r["id"] for r in RECORDS]
    for analysis in analyses:
        assert analysis.attributions, f"{analysis.article.id}: no attributions"
        assert analysis.article.site


def test_nested_source_chains(analyses: list[Analysis]) -> None:
    nested = [a.article.id for a in analyses if any(len(att.chain) >= 2 for att in a.attributions)]
    assert len(nested) >= 4, nested


def test_disagreeing_deployment_figures_are_attributed(analyses: list[Analysis]) -> None:
    contents = [att.content.text for a in analyses for att in a.attributions]
    for figure in ("14,000", "11,000"):
        assert any(figure in text for text in contents), f"{figure} is in no attribution"
