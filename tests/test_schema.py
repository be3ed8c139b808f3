"""The JSON record ``newsledger.analysis/1``: its keys, value ranges, and its documentation."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from conftest import ROOT

from newsledger import model
from newsledger.model import ATTRIBUTION_KINDS, SCHEMA, SPEECH_ACTS, Analysis

TOP_KEYS = {
    "schema",
    "article",
    "attributions",
    "entities",
    "quantities",
    "dates",
    "events",
    "issues",
}
ARTICLE_KEYS = {"id", "title", "published", "url", "text_sha256", "site"}
ATTRIBUTION_KEYS = {
    "id", "kind", "cue", "content", "source", "parent", "chain", "confidence", "content_parts",
    "act",
}  # fmt: skip
SPAN_KEYS = {"text", "start", "end"}
SOURCE_KEYS = {"text", "start", "end", "name", "entity", "type", "role"}
ENTITY_KEYS = {"id", "name", "type", "aliases", "mentions", "kb"}
KINDS = {"direct", "mixed", "indirect", "according_to", "statement"}

SCHEMA_DOC = ROOT / "docs" / "schema.md"
#: Every record of the JSON form (Article is the input, not part of the record).
RECORDS = [
    model.ArticleInfo,
    model.Attribution,
    model.Span,
    model.Source,
    model.Entity,
    model.Quantity,
    model.DateMention,
    model.Event,
    model.Issue,
]


@pytest.fixture(scope="module")
def record(seed: Analysis) -> dict:
    return json.loads(seed.to_json())


def test_schema_constant() -> None:
    assert SCHEMA == "newsledger.analysis/1"
    assert set(ATTRIBUTION_KINDS) == KINDS


def test_top_level_keys(record: dict) -> None:
    assert set(record) == TOP_KEYS
    assert record["schema"] == SCHEMA
    for name in TOP_KEYS - {"schema", "article"}:
        assert isinstance(record[name], list), name


def test_text_only_on_request(seed: Analysis) -> None:
    with_text = json.loads(seed.to_json(include_text=True))
    assert set(with_text) == TOP_KEYS | {"text"}
    assert with_text["text"] == seed.text


def test_article_keys(record: dict) -> None:
    assert set(record["article"]) == ARTICLE_KEYS
    assert record["article"]["published"] == "2025-04-29"
    assert re.fullmatch(r"[0-9a-f]{64}", record["article"]["text_sha256"])


def test_attribution_keys_and_values(record: dict, seed: Analysis) -> None:
    assert record["attributions"]
    ids = {a["id"] for a in record["attributions"]}
    for a in record["attributions"]:
        assert set(a) == ATTRIBUTION_KEYS, a["id"]
        assert a["kind"] in KINDS, a["id"]
        assert a["act"] in SPEECH_ACTS, a["id"]
        assert isinstance(a["confidence"], float | int)
        assert 0.0 <= a["confidence"] <= 1.0, a["id"]
        assert set(a["cue"]) == SPAN_KEYS
        assert set(a["content"]) == SPAN_KEYS
        assert a["source"] is None or set(a["source"]) == SOURCE_KEYS
        assert a["parent"] is None or a["parent"] in ids
        assert isinstance(a["chain"], list) and all(isinstance(c, str) for c in a["chain"])
        for part in ("cue", "content", "source"):
            span = a[part]
            if span is not None:
                assert seed.text[span["start"] : span["end"]] == span["text"], (a["id"], part)
        for span in a["content_parts"]:
            assert set(span) == SPAN_KEYS
            assert seed.text[span["start"] : span["end"]] == span["text"], a["id"]
            assert a["content"]["start"] <= span["start"] < span["end"] <= a["content"]["end"]


def test_entity_keys(record: dict) -> None:
    assert record["entities"]
    for e in record["entities"]:
        assert set(e) == ENTITY_KEYS
        assert all(len(m) == 2 and m[0] <= m[1] for m in e["mentions"])


def test_round_trip(seed: Analysis) -> None:
    data = json.loads(seed.to_json())
    assert Analysis.from_dict(data, seed.text).to_dict() == data
    with pytest.raises(ValueError, match="newsledger.analysis/1"):
        Analysis.from_dict({**data, "schema": "newsledger.analysis/0"}, seed.text)


# --- the documentation cannot drift from the dataclasses ----------------------------------


@pytest.fixture(scope="module")
def schema_doc() -> str:
    assert SCHEMA_DOC.is_file(), f"{SCHEMA_DOC} is missing"
    return SCHEMA_DOC.read_text(encoding="utf-8")


def test_doc_names_the_schema_and_kinds(schema_doc: str) -> None:
    assert SCHEMA in schema_doc
    for kind in KINDS:
        assert f"`{kind}`" in schema_doc, kind
    for issue in ("unbalanced_quotes", "invalid_utf8", "truncated", "misspelling", "furniture"):
        assert f"`{issue}`" in schema_doc, issue
    for key in TOP_KEYS:
        assert f"`{key}`" in schema_doc, key


def section(doc: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    lines = doc.splitlines()
    level = heading.split(" ", 1)[0]
    starts = [i for i, line in enumerate(lines) if line.strip() == heading]
    assert starts, f"docs/schema.md has no heading {heading!r}"
    body: list[str] = []
    for line in lines[starts[0] + 1 :]:
        marks = line.split(" ", 1)[0]
        if marks and set(marks) == {"#"} and len(marks) <= len(level):
            break
        body.append(line)
    return "\n".join(body)


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_doc_describes_every_field(schema_doc: str, cls: type) -> None:
    """Each record has its own section, and a table row for each of its fields."""
    body = section(schema_doc, f"### `{cls.__name__}`")
    missing = [f.name for f in dataclasses.fields(cls) if f"| `{f.name}`" not in body]
    assert not missing, f"docs/schema.md, section {cls.__name__}, lacks the fields {missing}"
    documented = set(re.findall(r"^\| `(\w+)`", body, flags=re.MULTILINE))
    extra = documented - {f.name for f in dataclasses.fields(cls)}
    assert not extra, f"docs/schema.md, section {cls.__name__}, documents unknown fields {extra}"


def test_every_record_dataclass_is_checked() -> None:
    """A new record dataclass in model.py must be added to RECORDS (and documented)."""
    defined = {
        obj
        for obj in vars(model).values()
        if isinstance(obj, type)
        and dataclasses.is_dataclass(obj)
        and obj.__module__ == model.__name__
    }
    assert defined - {model.Analysis, model.Article} == set(RECORDS)
