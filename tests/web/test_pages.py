"""Dashboard pages rendered by the server: content, language, escaping, offline assets."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from importlib import resources

import pytest
import yaml
from fastapi.testclient import TestClient

from airace.config import Settings
from airace.server import create_app
from airace.store.repository import open_store
from airace.web.pages import format_number

TOKEN = "t0ken"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    open_store(db_url, migrate_schema=True).close()
    with TestClient(create_app(Settings(db=db_url, token=TOKEN))) as test_client:
        yield test_client


def ingest(client: TestClient, text: str, title: str | None = None) -> int:
    response = client.post("/api/ingest", json={"text": text, "title": title}, headers=AUTH)
    assert response.status_code == 200, response.text
    document_id = response.json()["items"][0]["document_id"]
    assert isinstance(document_id, int)
    return document_id


def test_both_languages_have_the_same_interface_keys() -> None:
    folder = resources.files("airace.web") / "i18n"
    en = yaml.safe_load((folder / "en.yaml").read_text(encoding="utf-8"))
    vi = yaml.safe_load((folder / "vi.yaml").read_text(encoding="utf-8"))
    assert set(en) == set(vi)
    for key in en:  # the same placeholders in both
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", vi[key])), key


@pytest.mark.parametrize(
    ("value", "digits", "lang", "expected"),
    [
        (1234567.891, 1, "en", "1,234,567.9"),
        (1234567.891, 1, "vi", "1.234.567,9"),
        (2000, 0, "vi", "2.000"),
        (float("nan"), 1, "en", "–"),
        (None, 0, "vi", "–"),
    ],
)
def test_numbers_follow_the_language(
    value: float | None, digits: int, lang: str, expected: str
) -> None:
    assert format_number(value, digits, lang) == expected


def test_overview_shows_the_ranking_matrix_and_documents(client: TestClient) -> None:
    ingest(client, "Hà Nội, 5/6/2025. Việt Nam hiện có 2.000 GPU H100.", title="GPU Việt Nam")
    page = client.get("/?lang=en")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    rows = re.findall(r'<tr data-entity="([A-Z]{2})">', page.text)
    assert len(rows) >= 30 and rows[0] == "US"
    assert 'id="spec-matrix"' in page.text and "GPU Việt Nam" in page.text
    assert page.text.count('type="range"') == 5  # one slider per pillar


def test_vietnamese_interface_and_number_format(client: TestClient) -> None:
    page = client.get("/compute", params={"lang": "vi"})
    assert "Tổng quan" in page.text and 'lang="vi"' in page.text
    assert page.cookies.get("lang") == "vi" or "lang=vi" in page.headers.get("set-cookie", "")
    overview = client.get("/")  # the cookie keeps the choice
    assert "Bảng xếp hạng" in overview.text
    # names of countries, pillars and archetypes in Vietnamese too
    assert ">Hoa Kỳ</a>" in overview.text and ">Nhân lực" in overview.text
    spec = re.search(
        r'<script type="application/json" id="spec-matrix">(.*?)</script>', overview.text
    )
    assert spec is not None
    shown = json.dumps(json.loads(spec.group(1)), ensure_ascii=False)
    assert "Nhóm tiên phong" in shown and "AI pioneers" not in shown
    assert ">United States</a>" not in overview.text
    scores = re.findall(r'<td class="num">(\d+,\d)</td>', overview.text)
    assert scores, "scores use a decimal comma in Vietnamese"
    english = client.get("/", params={"lang": "en"})
    assert "Ranking" in english.text and re.search(r'<td class="num">\d+\.\d</td>', english.text)


def test_document_text_and_titles_are_escaped(client: TestClient) -> None:
    document = ingest(client, f"Meta owns 350,000 H100 GPUs. {HOSTILE}", title=HOSTILE)
    for url in (f"/documents/{document}", "/", "/claims"):
        page = client.get(url)
        assert "<script>alert" not in page.text, url
        assert "<img src=x" not in page.text, url
    shown = client.get(f"/documents/{document}").text
    assert html.escape("<script>alert(1)</script>", quote=False) in shown


def test_the_document_page_highlights_every_claim_span(client: TestClient) -> None:
    text = "Seoul, 3/5/2024. Hàn Quốc hiện có 2.000 GPU H100. Meta owns 350,000 H100 GPUs."
    document = ingest(client, text)
    claims = client.get("/api/claims", params={"document": document}).json()["items"]
    assert claims
    chosen = claims[0]["id"]
    page = client.get(f"/documents/{document}", params={"claim": chosen}).text
    body = re.search(r'<div class="text" id="text">(.*?)</div>', page, re.S)
    assert body is not None
    marks = re.findall(
        r'<mark id="claim-(\d+)"(?: class="([^"]*)")?[^>]*>(.*?)</mark>', body.group(1)
    )
    assert {int(found) for found, _, _ in marks} == {claim["id"] for claim in claims}
    assert [cls for found, cls, _ in marks if int(found) == chosen] == ["selected"]
    quotes = {claim["id"]: claim["quote"] for claim in claims}
    for found, _, inner in marks:
        assert html.unescape(inner) == quotes[int(found)]
    stored = client.get(f"/api/documents/{document}").json()["document"]["text"]
    assert html.unescape(re.sub(r"<[^>]+>", "", body.group(1))) == stored


def test_country_claims_and_compute_pages(client: TestClient) -> None:
    ingest(client, "Seoul, 3/5/2024. Hàn Quốc hiện có 2.000 GPU H100.")
    ingest(client, "Seoul, 9/5/2024. Hàn Quốc có khoảng 10.000 GPU.")
    country = client.get("/countries/Hàn Quốc")
    assert country.status_code == 200 and "South Korea" in country.text
    assert 'id="spec-profile"' in country.text
    assert 'class="conflict"' in country.text  # 2,000 against 10,000 GPUs
    claims = client.get("/claims", params={"entity": "KR", "metric": "gpu_count"})
    assert claims.text.count('data-review="reject"') == 2
    compute = client.get("/compute")
    assert "South Korea" in compute.text and 'id="spec-holders"' in compute.text
    go = client.get("/claims/1/go", follow_redirects=False)
    assert go.status_code == 303 and go.headers["location"].startswith("/documents/")


def test_pages_answer_head_requests(client: TestClient) -> None:
    for url in ("/", "/compute", "/claims", "/countries/KR"):
        response = client.head(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/html")


def test_missing_things_get_an_html_404(client: TestClient) -> None:
    for url in ("/countries/Atlantis", "/documents/999", "/claims/999/go"):
        page = client.get(url)
        assert page.status_code == 404, url
        assert page.headers["content-type"].startswith("text/html")


def test_pages_load_nothing_from_the_internet(client: TestClient) -> None:
    page = client.get("/").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(not s.startswith(("http:", "https:", "//")) for s in sources)
    [bundle] = re.findall(r'<script src="(/static/vendor/[^"]+)"', page)
    served = client.get(bundle)
    assert served.status_code == 200 and "vegaEmbed" in served.text
    assert "immutable" in served.headers["cache-control"]
    assert client.get("/static/app.js").status_code == 200


def test_a_bad_query_on_a_page_answers_in_html(client: TestClient) -> None:
    page = client.get("/claims", params={"offset": "-1"})
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "offset" in page.text
    api = client.get("/api/claims", params={"offset": "-1"})
    assert api.status_code == 422 and api.json()["error"]["key"] == "offset"


def test_an_organisation_page_points_to_its_home_country(client: TestClient) -> None:
    ingest(client, "Menlo Park, May 2, 2024. Meta owns 350,000 H100 GPUs.")
    page = client.get("/countries/Meta", params={"lang": "en"})
    assert page.status_code == 200
    assert 'href="/countries/US?lang=en"' in page.text
    assert '<p class="lead">Not ranked' not in page.text


def test_compare_page_shows_rho_beside_the_wealth_baseline(client: TestClient) -> None:
    page = client.get("/compare?lang=en")
    assert page.status_code == 200
    for reference in ("oxford_2024", "tortoise_2021"):
        assert f'id="{reference}"' in page.text
    rhos = re.findall(r"<strong>Spearman rho (-?[0-9.]+)</strong>", page.text)
    assert len(rhos) >= 2 and all(-1 <= float(rho) <= 1 for rho in rhos)
    assert "wealth baseline" in page.text
    vietnamese = client.get("/compare?lang=vi")
    assert vietnamese.status_code == 200 and "Hệ số Spearman" in vietnamese.text


def test_claims_page_shows_the_fact_check_of_a_rank(client: TestClient) -> None:
    ingest(client, "Seoul, 9/12/2024. Theo Chỉ số AI toàn cầu 2024, Hàn Quốc hiện xếp thứ 6.")
    ingest(client, "Seoul, 10/12/2024. Theo Chỉ số AI toàn cầu 2024, Nhật Bản xếp thứ 2.")
    page = client.get("/claims?lang=en&metric=rank")
    assert page.status_code == 200
    assert 'class="verdict verdict-agrees"' in page.text  # Korea 6th: the published rank
    assert 'class="verdict verdict-disagrees"' in page.text  # Japan 2nd: it is not
    assert "official" in page.text
