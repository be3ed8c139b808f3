"""API contract: random query parameters against every GET endpoint the OpenAPI document
declares; no answer is a 5xx, and every 200 answer has the declared JSON shape."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from newsledger.web import create_app  # noqa: E402


@pytest.fixture(scope="module")
def client(example_ledger: Path) -> TestClient:
    return TestClient(create_app(str(example_ledger)), base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    return client.get("/api/openapi.json").json()


# ------------------------------------------------------------------ a small schema checker
def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def check(spec: dict[str, Any], schema: dict[str, Any], value: Any, where: str = "$") -> None:
    """Raise AssertionError when ``value`` does not fit the JSON ``schema`` (the subset
    FastAPI emits: $ref, anyOf, type, properties, required, items, additionalProperties)."""
    schema = _resolve(spec, schema)
    if "anyOf" in schema:
        errors = []
        for option in schema["anyOf"]:
            try:
                check(spec, option, value, where)
                return
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(f"{where}: fits no anyOf option: {errors}")
    kind = schema.get("type")
    types = {
        "object": dict,
        "array": list,
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "null": type(None),
    }
    if kind is not None:
        assert isinstance(value, types[kind]), f"{where}: {value!r} is not {kind}"
        if kind in ("integer", "number"):
            assert not isinstance(value, bool), f"{where}: a boolean, not {kind}"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{where}: missing {key!r}"
        props = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                check(spec, props[key], item, f"{where}.{key}")
            elif isinstance(schema.get("additionalProperties"), dict):
                check(spec, schema["additionalProperties"], item, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            check(spec, schema["items"], item, f"{where}[{i}]")


# ------------------------------------------------------------------ request strategies
_words = st.sampled_from(
    [
        "troops",
        "Kim Jong Un",
        "KCNA",
        "Kursk",
        "said",
        "examples/north-korea-kursk",
        "hd-ukraine-14000",
        "'; DROP TABLE articles; --",
        '"',
        "*",
    ]
)
_any_text = st.text(max_size=40)


def _value(schema: dict[str, Any], valid: bool) -> st.SearchStrategy[Any]:
    """Values for a parameter schema: valid ones, or (``valid`` false) valid mixed with
    arbitrary ones."""
    options = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    s = options[0] if options else {"type": "string"}
    if s.get("type") == "integer":
        low, high = s.get("minimum", -(10**6)), s.get("maximum", 10**6)
        good = st.integers(low, min(high, low + 200))
        return good if valid else st.one_of(good, st.integers(), _any_text)
    if s.get("type") == "boolean":
        return st.booleans() if valid else st.one_of(st.booleans(), _any_text)
    if "pattern" in s:
        good = st.from_regex(s["pattern"], fullmatch=True)
        return good if valid else st.one_of(good, _any_text)
    return st.one_of(_words, st.text(max_size=12)) if valid else st.one_of(_words, _any_text)


def _operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (path, op["get"])
        for path, op in sorted(spec["paths"].items())
        if "get" in op and path.startswith("/api/") and not path.endswith("openapi.json")
    ]


@st.composite
def requests(draw: st.DrawFn, spec: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    path, op = draw(st.sampled_from(_operations(spec)))
    valid = draw(st.integers(0, 3)) > 0  # mostly valid requests, which reach the queries
    url = path
    params: dict[str, Any] = {}
    for p in op.get("parameters", []):
        value = draw(_value(p.get("schema", {}), valid))
        if p["in"] == "path":
            url = url.replace("{" + p["name"] + "}", quote(str(value), safe="") or "x")
        elif draw(st.booleans()):
            params[p["name"]] = value
    return path, url, params


def test_every_get_operation_is_covered(spec: dict[str, Any]) -> None:
    paths = {path for path, _ in _operations(spec)}
    assert {"/api/articles", "/api/attributions", "/api/sources", "/api/search"} <= paths
    assert {"/api/claims", "/api/conflicts", "/api/relays"} <= paths


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_api_contract(client: TestClient, spec: dict[str, Any], data: st.DataObject) -> None:
    path, url, params = data.draw(requests(spec))
    r = client.get(url, params=params)
    assert r.status_code < 500, (url, params, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json"), (url, params)
    body = r.json()
    if r.status_code != 200:
        assert isinstance(body.get("error"), str) and body["status"] == r.status_code
        return
    declared = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    check(spec, declared["schema"], body, f"{url}")
    if "limit" in body:
        assert 1 <= body["limit"] <= 100
        for key in ("articles", "attributions", "sources", "claims", "conflicts"):
            if isinstance(body.get(key), list) and path != "/api/sources/{name}":
                assert len(body[key]) <= body["limit"]


def test_checker_catches_a_wrong_shape(spec: dict[str, Any]) -> None:
    schema = spec["paths"]["/api/sources"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    good = {"page": 1, "limit": 1, "next_page": None, "sources": []}
    check(spec, schema, good)
    with pytest.raises(AssertionError):
        check(spec, schema, {**good, "sources": [{"source": 3}]})
    with pytest.raises(AssertionError):
        check(spec, schema, {"page": 1})
