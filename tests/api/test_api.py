"""The REST API end to end on SQLite and PostgreSQL: reads, filters, errors, guarded writes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from airace.config import Settings
from airace.server import create_app
from airace.store.repository import open_store

TOKEN = "correct horse battery staple"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

KOREA_LOW = "Seoul, 3/5/2024. Hàn Quốc hiện có 2.000 GPU H100."
KOREA_HIGH = "Seoul, 9/5/2024. Hàn Quốc có khoảng 10.000 GPU."
META = "Menlo Park, May 2, 2024. Meta owns 350,000 H100 GPUs, according to the company."


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    open_store(db_url, migrate_schema=True).close()  # a PostgreSQL schema is set up first
    app = create_app(Settings(db=db_url, token=TOKEN, max_request_bytes=64_000))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def ingest(client: TestClient, text: str, **extra: object) -> dict[str, object]:
    response = client.post("/api/ingest", json={"text": text, **extra}, headers=AUTH)
    assert response.status_code == 200, response.text
    [item] = response.json()["items"]
    assert isinstance(item, dict)
    return item


def test_ingest_then_read_documents_and_claims(client: TestClient) -> None:
    first = ingest(client, KOREA_LOW, title="GPU ở Hàn Quốc")
    assert first["status"] == "stored"
    assert ingest(client, KOREA_LOW)["status"] == "duplicate"  # idempotent
    ingest(client, META, language="en")
    documents = client.get("/api/documents", params={"limit": 1}).json()
    assert documents["total"] == 2 and len(documents["items"]) == 1
    detail = client.get(f"/api/documents/{first['document_id']}").json()
    text = detail["document"]["text"]
    for claim in detail["claims"]:
        assert text[claim["start"] : claim["end"]] == claim["quote"]
    korea = client.get("/api/claims", params={"entity": "Hàn Quốc", "metric": "gpu_count"}).json()
    assert korea["total"] == 1 and korea["items"][0]["value"] == 2000
    english = client.get("/api/claims", params={"language": "en"}).json()
    assert english["total"] >= 1
    assert all(item["subject"] != "KR" for item in english["items"])
    assert client.get("/api/claims", params={"period": "1999"}).json()["total"] == 0


def test_pagination_is_bounded_and_consistent(client: TestClient) -> None:
    ingest(client, KOREA_LOW)
    ingest(client, META)
    everything = client.get("/api/claims", params={"limit": 500}).json()
    pages = [
        client.get("/api/claims", params={"limit": 1, "offset": at}).json()["items"][0]["id"]
        for at in range(everything["total"])
    ]
    assert pages == [item["id"] for item in everything["items"]]
    too_big = client.get("/api/claims", params={"limit": 501})
    assert too_big.status_code == 422
    assert too_big.json()["error"]["key"] == "limit"


def test_bad_input_gets_a_clear_4xx(client: TestClient) -> None:
    cases = [
        ("/api/claims?status=maybe", 422, "status"),
        ("/api/claims?period=last-year", 422, "period"),
        ("/api/claims/424242", 404, None),
        ("/api/documents/424242", 404, None),
        ("/api/entities/Atlantis", 404, None),
        ("/api/rankings?weights=luck=2", 400, "luck"),
        ("/api/rankings?normalisation=softmax", 422, "normalisation"),
        ("/api/conflicts?indicator=luck", 400, "indicator"),
        ("/api/nowhere", 404, None),
    ]
    for url, status, key in cases:
        response = client.get(url)
        assert response.status_code == status, url
        error = response.json()["error"]
        assert error["message"] and "Traceback" not in response.text
        if key is not None:
            assert error["key"] == key, url


def test_writes_need_the_token_compared_in_full(client: TestClient) -> None:
    body = {"text": KOREA_LOW}
    assert client.post("/api/ingest", json=body).status_code == 401
    wrong = {"Authorization": f"Bearer {TOKEN[:-1]}"}
    assert client.post("/api/ingest", json=body, headers=wrong).status_code == 401
    basic = {"Authorization": f"Basic {TOKEN}"}
    assert client.post("/api/ingest", json=body, headers=basic).status_code == 401
    assert client.get("/api/documents").json()["total"] == 0  # nothing was written


def test_without_a_configured_token_writes_are_disabled(db_url: str) -> None:
    open_store(db_url, migrate_schema=True).close()
    with TestClient(create_app(Settings(db=db_url))) as client:
        response = client.post("/api/ingest", json={"text": KOREA_LOW}, headers=AUTH)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "writes_disabled"
        assert client.get("/api/documents").status_code == 200  # reads stay public


def test_request_bodies_are_limited(client: TestClient) -> None:
    huge = {"text": "x" * 70_000}
    response = client.post("/api/ingest", json=huge, headers=AUTH)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    neither = client.post("/api/ingest", json={"title": "no text"}, headers=AUTH)
    assert neither.status_code == 422
    assert client.get("/api/documents").json()["total"] == 0


def test_review_rejects_a_figure_and_the_conflict_goes_away(client: TestClient) -> None:
    ingest(client, KOREA_LOW)
    ingest(client, KOREA_HIGH)
    conflicts = client.get("/api/conflicts", params={"entity": "KR"}).json()["items"]
    [gpus] = [c for c in conflicts if c["indicator"] == "gpu_count"]
    assert {e["value"] for e in gpus["evidence"]} == {2000, 10000}
    wrong = next(e["claim_id"] for e in gpus["evidence"] if e["value"] == 10000)
    done = client.post(f"/api/claims/{wrong}/review", json={"decision": "reject"}, headers=AUTH)
    assert done.status_code == 200 and done.json()["stored"] is True
    again = client.post(f"/api/claims/{wrong}/review", json={"decision": "reject"}, headers=AUTH)
    assert again.json()["stored"] is False
    entity = client.get("/api/entities/KR").json()
    [observation] = [o for o in entity["observations"] if o["indicator"] == "gpu_count"]
    assert observation["value"] == 2000 and observation["conflict"] is False
    history = client.get(f"/api/claims/{wrong}").json()
    assert history["claim"]["status"] == "rejected" and len(history["reviews"]) == 1
    bad = client.post(f"/api/claims/{wrong}/review", json={"decision": "correct"}, headers=AUTH)
    assert bad.status_code == 400 and "needs a field" in bad.json()["error"]["message"]
    missing = client.post("/api/claims/99999/review", json={"decision": "accept"}, headers=AUTH)
    assert missing.status_code == 404


def test_rankings_follow_weights_and_writes(client: TestClient) -> None:
    base = client.get("/api/rankings", params={"uncertainty": False}).json()
    assert len(base["rows"]) >= 30 and base["rows"][0]["entity"] == "US"
    assert all(row["low_rank"] is None for row in base["rows"])
    weighted = client.get(
        "/api/rankings", params={"uncertainty": False, "weights": "government=20"}
    ).json()
    assert [r["entity"] for r in weighted["rows"]] != [r["entity"] for r in base["rows"]]
    assert weighted["digest"] != base["digest"]
    spread = client.get("/api/rankings", params={"replications": 50, "seed": 1}).json()
    assert all(r["low_rank"] <= r["rank"] <= r["high_rank"] for r in spread["rows"][:3])
    # a new document is visible at once: the cache is keyed by the data
    before = {r["entity"]: r["score"] for r in base["rows"]}
    ingest(client, "Hà Nội, 5/1/2026. Năm 2025, đầu tư tư nhân vào AI tại Việt Nam đạt 50 tỷ USD.")
    after = client.get("/api/rankings", params={"uncertainty": False}).json()
    assert {r["entity"]: r["score"] for r in after["rows"]}["VN"] != before.get("VN")


def test_matrix_explain_scenario_and_indicators(client: TestClient) -> None:
    matrix = client.get("/api/matrix").json()
    assert {"x", "y", "archetypes", "items"} <= set(matrix)
    assert matrix["items"][0]["archetype"] in {a["id"] for a in matrix["archetypes"]}
    explained = client.get("/api/explain/Hàn Quốc").json()
    assert explained["entity"] == "KR" and explained["rank"] >= 1
    assert {p["pillar"] for p in explained["pillars"]} >= {"infrastructure", "research"}
    indicators = client.get("/api/indicators").json()["items"]
    assert "gpu_count" in {i["id"] for i in indicators}
    body = {"changes": ["KR.ai_investment = 5e12"]}
    assert client.post("/api/scenario", json=body).status_code == 401
    rows = client.post("/api/scenario", json=body, headers=AUTH).json()["items"]
    [korea] = [row for row in rows if row["entity"] == "KR"]
    assert korea["rank"] < korea["base_rank"] and korea["delta_rank"] > 0
    assert korea["low_rank"] <= korea["rank"] <= korea["high_rank"]
    # an indicator too few countries report cannot move a rank: said, not ranked
    thin = {"changes": ["KR.gpu_count = 5000000"]}
    refused = client.post("/api/scenario", json=thin, headers=AUTH)
    assert refused.status_code == 400 and "fewer than" in refused.json()["error"]["message"]
    unknown = client.post("/api/scenario", json={"changes": ["KR.luck += 1"]}, headers=AUTH)
    assert unknown.status_code == 400 and "luck" in unknown.json()["error"]["message"]


def test_openapi_documents_every_api_route(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/claims", "/api/rankings", "/api/ingest", "/api/claims/{claim_id}/review"} <= paths
    assert not any(path.startswith(("/countries", "/static")) for path in paths)
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/swagger/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()  # works offline
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_http_semantics_of_errors(client: TestClient) -> None:
    denied = client.post("/api/ingest", json={"text": KOREA_LOW})
    assert denied.headers["www-authenticate"].startswith("Bearer")
    broken = client.post(
        "/api/ingest", content=b'{"text": ', headers={**AUTH, "content-type": "application/json"}
    )
    assert broken.status_code == 422 and "not valid JSON" in broken.json()["error"]["message"]
    blank = client.post("/api/ingest", json={"text": "   \n  "}, headers=AUTH)
    assert blank.status_code == 422 and blank.json()["items"][0]["status"] == "failed"
    ingest(client, KOREA_LOW)
    [claim] = client.get("/api/claims").json()["items"]
    unknown = client.post(
        f"/api/claims/{claim['id']}/review",
        json={"decision": "correct", "subject": "Atlantis"},
        headers=AUTH,
    )
    assert unknown.status_code == 400  # a bad field value, not a missing resource
    backwards = client.post(
        f"/api/claims/{claim['id']}/review",
        json={"decision": "correct", "value": 10, "value_max": 5},
        headers=AUTH,
    )
    assert backwards.status_code == 422
    huge = client.get("/api/rankings", params={"uncertainty": False, "weights": "talent=1e308"})
    assert huge.status_code == 400


def test_compare_history_and_factcheck_endpoints(client: TestClient) -> None:
    compared = client.get("/api/compare", params={"reference": ["oxford_2024"]}).json()
    [oxford] = compared["comparisons"]
    assert oxford["reference"] == "oxford_2024" and oxford["countries"] >= 40
    assert -1 <= oxford["rho"] <= 1 and oxford["wealth_rho"] is not None
    unknown = client.get("/api/compare", params={"reference": ["nope"]})
    assert unknown.status_code == 400 and "nope" in unknown.json()["error"]["message"]
    history = client.get("/api/history/KR", params={"from": 2020, "to": 2024}).json()
    assert history["entity"] == "KR" and history["points"][-1]["year"] == 2024
    item = ingest(
        client, "Seoul, 9/12/2024. Theo Chỉ số AI toàn cầu 2024, Hàn Quốc hiện xếp thứ 6."
    )
    detail = client.get(f"/api/documents/{item['document_id']}").json()
    [rank] = [c for c in detail["claims"] if c["metric"] == "rank"]
    claim = client.get(f"/api/claims/{rank['id']}").json()
    assert claim["factcheck"]["verdict"] == "agrees"
    assert claim["factcheck"]["index"] == "global_ai_index"
    listed = client.get("/api/factcheck").json()
    assert [c["claim_id"] for c in listed] == [rank["id"]]
