"""Exports round-trip: what a CSV or Parquet file holds is what the API lists."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from airace.config import Settings
from airace.errors import AiraceError
from airace.server import create_app
from airace.service.export import (
    CLAIM_COLUMNS,
    Export,
    ExportFilter,
    build_export,
    export_to_file,
    stream_export,
)
from airace.service.pipeline import ingest
from airace.store.repository import Store, open_store

SAMPLES = Path(__file__).resolve().parents[2] / "airace" / "samples" / "articles"
COMPARED = ["id", "subject", "metric", "value", "unit", "quote", "document_id", "status"]


@pytest.fixture
def filled(db_url: str, settings: Settings) -> Iterator[tuple[Store, TestClient]]:
    store = open_store(db_url, migrate_schema=True)
    assert ingest([str(SAMPLES)], store, settings).failed == 0
    with TestClient(create_app(Settings(db=db_url))) as client:
        yield store, client
    store.close()


def api_claims(client: TestClient, **filters: str) -> pd.DataFrame:
    items = client.get("/api/claims", params={"limit": 500, **filters}).json()["items"]
    frame = pd.DataFrame(items)
    return frame.sort_values("id").reset_index(drop=True)[COMPARED]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_an_exported_file_reads_back_as_the_api_listing(
    filled: tuple[Store, TestClient], tmp_path: Path, fmt: str
) -> None:
    store, client = filled
    path = tmp_path / f"claims.{fmt}"
    count = export_to_file(build_export(store, "claims"), fmt, path)
    frame = pd.read_csv(path) if fmt == "csv" else pd.read_parquet(path)
    assert count == len(frame) > 20
    assert list(frame.columns) == list(CLAIM_COLUMNS)
    ours = frame.sort_values("id").reset_index(drop=True)[COMPARED]
    pd.testing.assert_frame_equal(ours, api_claims(client), check_dtype=False)
    # provenance: every quote is the document's text at its span
    documents = {d.id: d.text for d in store.iter_documents()}
    for row in frame.itertuples():
        assert documents[row.document_id][row.span_start : row.span_end] == row.quote
    assert frame["document_origin"].str.len().gt(0).all()


def test_filters_and_the_api_stream_agree(filled: tuple[Store, TestClient]) -> None:
    _, client = filled
    response = client.get("/api/export/claims", params={"format": "csv", "entity": "Hàn Quốc"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    streamed = pd.read_csv(io.BytesIO(response.content))
    assert len(streamed) > 0 and set(streamed["subject"]) == {"KR"}
    listed = api_claims(client, entity="Hàn Quốc")
    assert streamed.sort_values("id")["id"].tolist() == listed["id"].tolist()
    parquet = client.get("/api/export/claims", params={"format": "parquet", "metric": "rank"})
    ranks = pd.read_parquet(io.BytesIO(parquet.content))
    assert set(ranks["metric"]) == {"rank"}
    unknown = client.get("/api/export/observations", params={"entity": "Atlantis"})
    assert unknown.status_code == 404 and "Atlantis" in unknown.text


def test_observations_rankings_and_documents_carry_their_provenance(
    filled: tuple[Store, TestClient],
) -> None:
    store, _ = filled
    lines = b"".join(stream_export(build_export(store, "observations"), "jsonl")).splitlines()
    rows = [json.loads(line) for line in lines]
    from_claims = [row for row in rows if row["claim_id"] is not None]
    assert from_claims and all(row["evidence_quote"] and row["span_end"] for row in from_claims)
    assert any(row["claim_id"] is None and row["evidence_url"] for row in rows)  # reference
    ranking = json.loads(b"".join(stream_export(build_export(store, "rankings"), "json")))
    assert ranking[0]["rank"] == 1 and "pillar_research" in ranking[0]
    documents = pd.read_csv(
        io.BytesIO(b"".join(stream_export(build_export(store, "documents"), "csv")))
    )
    assert len(documents) == store.count_documents()
    assert documents["text"].str.len().equals(documents["size"])


def test_an_empty_export_is_still_a_valid_file(filled: tuple[Store, TestClient]) -> None:
    store, _ = filled
    none = ExportFilter(metric="no_such_metric")
    assert b"".join(stream_export(build_export(store, "claims", none), "json")) == b"[]\n"
    header = b"".join(stream_export(build_export(store, "claims", none), "csv")).decode()
    assert header.strip().split(",") == list(CLAIM_COLUMNS)


def test_a_failed_export_leaves_no_file(tmp_path: Path) -> None:
    def broken() -> Iterator[dict[str, object]]:
        yield {"id": 1}
        raise RuntimeError("disk gone")

    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError):
        export_to_file(Export("claims", {"id": "int"}, broken), "csv", target)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(AiraceError, match="cannot write"):
        export_to_file(Export("claims", {"id": "int"}, broken), "csv", tmp_path / "no" / "x.csv")
    with pytest.raises(AiraceError, match="unknown format"):
        list(stream_export(Export("claims", {"id": "int"}, broken), "xlsx"))
    with pytest.raises(AiraceError, match="unknown status"):
        build_export(None, "claims", ExportFilter(status="maybe"))  # type: ignore[arg-type]


def test_an_empty_filter_is_no_filter(filled: tuple[Store, TestClient]) -> None:
    _, client = filled
    response = client.get("/api/export/observations", params={"entity": "", "format": "jsonl"})
    assert response.status_code == 200 and response.text.count("\n") > 100
