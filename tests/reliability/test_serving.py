"""Reads stay fast under writes, and the API answers every shape of request it is sent: one
computation per new result however many wait for it, bounded keys, HEAD, a full schema."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from airace.config import Settings
from airace.server import create_app
from airace.service import rankings as service

TOKEN = "serving-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client(tmp_path: Path) -> Any:
    with TestClient(create_app(Settings(db=str(tmp_path / "s.db"), token=TOKEN))) as client:
        yield client


def test_after_a_write_concurrent_rankings_compute_once(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = service.rank_countries
    calls: list[float] = []
    lock = threading.Lock()

    def slow(*args: Any, **kwargs: Any) -> Any:
        with lock:
            calls.append(time.monotonic())
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "rank_countries", slow)
    url = "/api/rankings?uncertainty=false"
    assert client.get(url).status_code == 200
    text = {"text": "Japan has 5,000 GPUs for research.", "language": "en"}
    assert client.post("/api/ingest", json=text, headers=AUTH).status_code == 200
    calls.clear()
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda _: client.get(url), range(12)))
    assert all(answer.status_code == 200 for answer in answers)
    assert len(calls) == 1  # one computed the new ranking; the rest waited or got the last one


def test_a_long_document_key_is_a_422_not_a_500(client: TestClient) -> None:
    answer = client.get("/api/documents/" + "a" * 60_000)
    assert answer.status_code == 422
    assert answer.json()["error"]["key"] == "key"


@pytest.mark.parametrize("path", ["/api/rankings", "/api/documents", "/api/claims", "/"])
def test_head_answers_like_get_without_a_body(client: TestClient, path: str) -> None:
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


def test_the_schema_lists_the_errors_and_the_bearer_scheme(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert any(s["type"] == "http" and s["scheme"].lower() == "bearer" for s in schemes.values())
    review = schema["paths"]["/api/claims/{claim_id}/review"]["post"]
    assert {"401", "403", "404", "422"} <= set(review["responses"])
    assert review["security"]
    rankings = schema["paths"]["/api/rankings"]["get"]
    assert "422" in rankings["responses"] and "security" not in rankings
    body = rankings["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/ErrorBody")
