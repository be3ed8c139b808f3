"""Schemathesis against the API's own OpenAPI document: requests generated from every
operation's declared parameters and body, valid and invalid, on the example ledger with
``POST /api/analyze`` on; no answer is a 5xx, and every answer has the security headers.

A few examples per operation in the quick tier; ``slow`` runs many more.
(``schemathesis.pytest.from_fixture`` does not work with this pytest, so the cases are drawn
from the schema's Hypothesis strategy inside a test.)
"""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

warnings.filterwarnings("ignore", category=DeprecationWarning)
schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from newsledger.web import create_app  # noqa: E402
from newsledger.web.app import LOOPBACK_HOSTS, SECURITY_HEADERS  # noqa: E402

#: Examples per generation mode (valid, invalid), over all operations: quick tier, ``slow``.
QUICK, MANY = 150, 2_000


@pytest.fixture(scope="module")
def api_schema(example_ledger: Path, analyzer: Any) -> Any:
    app = create_app(
        str(example_ledger),
        allow_analyze=True,
        analyzer=analyzer,
        # schemathesis's ASGI client sends Host: testserver, a name only tests may use
        allowed_hosts=[*LOOPBACK_HOSTS, "testserver"],
    )
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


def check(case: Any) -> int:
    # the header that proves a same-site caller, so that analyses run too (without it, 403)
    headers = {"X-Newsledger": "1"} if case.method == "POST" else None
    response = case.call(headers=headers)
    case.validate_response(response, checks=[not_a_server_error])
    got = {name.lower() for name in response.headers}
    for name in SECURITY_HEADERS:
        assert name.lower() in got, (case.method, case.path, response.status_code, name)
    return int(response.status_code)


def run(api_schema: Any, mode: GenerationMode, examples: int) -> None:
    """``examples`` generated requests over every operation of the schema."""
    strategy = api_schema.as_strategy(generation_mode=mode)
    seen: set[str] = set()
    statuses: Counter[int] = Counter()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def each(case: Any) -> None:
        seen.add(f"{case.method} {case.operation.path}")
        statuses[check(case)] += 1

    each()
    operations = {
        f"{op.ok().method.upper()} {op.ok().path}" for op in api_schema.get_all_operations()
    }
    print(
        f"schemathesis {mode.value}: {examples} examples, {len(seen)}/{len(operations)} operations,"
        f" statuses {dict(sorted(statuses.items()))}"
    )
    assert len(seen) >= len(operations) // 2, (seen, operations)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_5xx(api_schema: Any, mode: GenerationMode) -> None:
    run(api_schema, mode, QUICK)


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_5xx_many(api_schema: Any, mode: GenerationMode) -> None:
    run(api_schema, mode, MANY)
