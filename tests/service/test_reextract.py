"""Re-reading stored documents: claims come back as a fresh ingest would make them, changed
claims keep their ids, reviewed claims stay, and a stopped run goes on where it stopped."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from airace.config import Settings
from airace.model import Review, ReviewStatus
from airace.service import reextract as module
from airace.service.pipeline import ingest
from airace.service.reextract import reextract
from airace.store.repository import Store

SAMPLES = Path(__file__).resolve().parents[2] / "airace" / "samples" / "articles"


def claim_rows(store: Store) -> set[tuple[int, int, int, str, str, float]]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT document_id, span_start, span_end, subject, metric, value FROM claims")
        ).all()
    return {tuple(row) for row in rows}  # type: ignore[misc]


def execute(store: Store, sql: str, **values: object) -> None:
    with store.engine.begin() as connection:
        connection.execute(sa.text(sql), values)


def test_documents_stored_without_claims_get_what_an_ingest_gives(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    from airace.store.repository import open_store

    ingest([str(SAMPLES)], store, settings, extract=False)
    assert claim_rows(store) == set()
    report = reextract(store)
    other = open_store(str(tmp_path / "fresh.db"))
    try:
        ingest([str(SAMPLES)], other, settings)
        assert claim_rows(store) == claim_rows(other) and report.new == len(claim_rows(other))
    finally:
        other.close()
    assert report.documents == 11 and report.gone == report.changed == 0
    again = reextract(store)
    assert again.documents == 0  # every document is the current extractor's now


def test_an_older_reading_is_brought_up_to_date_and_reviews_are_kept(
    store: Store, settings: Settings
) -> None:
    ingest([str(SAMPLES)], store, settings)
    before = claim_rows(store)
    with store.engine.connect() as connection:
        ids = [row[0] for row in connection.execute(sa.text("SELECT id FROM claims ORDER BY id"))]
    changed, missing, reviewed = ids[0], ids[1], ids[2]
    execute(store, "UPDATE claims SET extractor_version = 'old-1'")
    execute(store, "UPDATE claims SET value = value + 1 WHERE id = :id", id=changed)
    execute(store, "DELETE FROM claims WHERE id = :id", id=missing)
    execute(
        store,
        "INSERT INTO claims (document_id, span_start, span_end, quote, subject, metric, value,"
        " unit, approx, extractor_version, status) SELECT document_id, 0, 1, 'x', 'JP',"
        " 'gpu_count', 7, 'GPU', false, 'old-1', 'auto' FROM claims WHERE id = :id",
        id=changed,
    )
    store.add_review(Review(claim_id=reviewed, status=ReviewStatus.ACCEPTED))
    execute(store, "UPDATE claims SET value = 123456 WHERE id = :id", id=reviewed)

    report = reextract(store, made_by="old-")
    assert (report.new, report.gone, report.changed, report.kept) == (1, 1, 1, 1)
    assert report.same == len(before) - 3
    after = claim_rows(store)
    assert {row[5] for row in after if row[:3] == _span(before, reviewed, store)} == {123456}
    assert store.get_claim(changed) is not None  # changed in place: the same id
    assert store.list_reviews(reviewed)  # the review is still there
    assert reextract(store).documents == 0


def _span(
    rows: set[tuple[int, int, int, str, str, float]], claim_id: int, store: Store
) -> tuple[int, int, int]:
    claim = store.get_claim(claim_id)
    assert claim is not None and claim.document_id is not None
    return (claim.document_id, claim.start, claim.end)


def test_a_run_stopped_midway_leaves_whole_documents_and_goes_on(
    store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest([str(SAMPLES)], store, settings, extract=False)
    real = module.plan_changes
    calls = {"n": 0}

    def failing(*args: object) -> object:
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("killed")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "plan_changes", failing)
    with pytest.raises(RuntimeError):
        reextract(store)
    with store.engine.connect() as connection:
        done = connection.execute(
            sa.text("SELECT count(DISTINCT document_id) FROM claims")
        ).scalar()
    assert done == 3  # the fourth document's transaction rolled back
    monkeypatch.setattr(module, "plan_changes", real)
    assert reextract(store).documents == 8
