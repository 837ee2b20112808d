"""Property-based tests of the REST API from its own OpenAPI schema (schemathesis, in-process).

Every operation the schema lists, reads and token-guarded writes alike, gets a bounded number of
generated requests, valid and invalid, against an app on a small seeded SQLite database; none
may answer with a 5xx. Writes carry the valid bearer token so that they reach the code behind
the guard.

The operations are listed at collection from ``create_app().openapi()`` (cheap: no store is
opened), and each test draws its cases from a schema loaded in a fixture, because schemathesis'
``from_fixture`` does not run under pytest 9 (it sets ``Function._nodeid``, which is gone).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from airace.config import Settings
from airace.server import create_app

TOKEN = "schema-test-token"
REPORTS = [
    ("Seoul, 3/5/2024. Hàn Quốc hiện có 2.000 GPU H100.", "vi"),
    ("Seoul, 9/5/2024. Hàn Quốc có khoảng 10.000 GPU.", "vi"),
    ("Meta owns 350,000 H100 GPUs. Japan has 5,000 GPUs.", "en"),
]
# Examples per operation and generation mode (valid, invalid): enough to reach every parameter,
# few enough that the whole module runs in well under a minute.
EXAMPLES = 25
OPERATIONS = sorted(
    (method.upper(), path)
    for path, methods in create_app(Settings(db="unused.db")).openapi()["paths"].items()
    for method in methods
)


def seeded_database(folder: Path) -> str:
    """Return a SQLite database holding a few reports with claims (one conflict included)."""
    from airace.service.pipeline import ingest_text
    from airace.store.repository import open_store

    url = str(folder / "api.db")
    store = open_store(url, migrate_schema=True)
    try:
        for number, (text, language) in enumerate(REPORTS):
            ingest_text(text, store, origin=f"report-{number}", language=language)
    finally:
        store.close()
    return url


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> schemathesis.BaseSchema:
    """The app's schema, loaded in-process from an app over a seeded database."""
    db = seeded_database(tmp_path_factory.mktemp("schema"))
    # a generated URL to ingest must fail fast: no test reads the internet
    app = create_app(Settings(db=db, token=TOKEN, fetch_timeout=1.0))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def send(app: Any, method: str, url: str) -> httpx.Response:
    """Send one request to ``app`` in-process (its store was opened when the schema loaded)."""

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.request(
                method,
                url,
                json={"decision": "reject"},
                headers={"Authorization": f"Bearer {TOKEN}"},
            )

    return asyncio.run(call())


def test_the_schema_lists_reads_and_writes() -> None:
    methods = {method for method, _ in OPERATIONS}
    assert methods == {"GET", "POST"}
    assert ("POST", "/api/claims/{claim_id}/review") in OPERATIONS


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_generated_request_gets_a_server_error(
    api_schema: schemathesis.BaseSchema, method: str, path: str
) -> None:
    operation = api_schema[path][method]
    # valid requests, and invalid ones where the operation has something to get wrong
    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=2 * EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same cases on every run: a failure here is reproducible
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def no_server_error(case: schemathesis.Case) -> None:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {TOKEN}"}, checks=[not_a_server_error]
        )

    no_server_error()


# Ids a database cannot hold (beyond 64-bit, Unicode digits) found by fuzzing: each must be
# "not found" or "invalid", never a server error.
ODD_IDS = [
    ("GET", "/api/claims/9223372036854775808"),
    ("GET", "/api/claims/-99999999999999999999"),
    ("POST", "/api/claims/99999999999999999999/review"),
    ("GET", "/api/documents/99999999999999999999"),
    ("GET", "/api/documents/%C2%B2"),
    ("GET", "/api/claims?document=%C2%B2"),
    ("GET", "/api/claims?document=99999999999999999999"),
    ("GET", "/documents/99999999999999999999"),
    ("GET", "/claims/99999999999999999999/go"),
    ("GET", "/claims?offset=99999999999999999999"),
    ("GET", "/api/claims/12345"),  # an ordinary missing id, for comparison
]


@pytest.mark.parametrize(("method", "url"), ODD_IDS, ids=[f"{m} {u}" for m, u in ODD_IDS])
def test_ids_out_of_the_databases_range_are_client_errors(
    api_schema: schemathesis.BaseSchema, method: str, url: str
) -> None:
    answer = send(api_schema.app, method, url)
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text)
