"""Reviews on SQLite and PostgreSQL: stored beside the claim, idempotent, status mirrored."""

from __future__ import annotations

from datetime import date

import pytest

from airace.errors import StoreError
from airace.model import Claim, Review, ReviewStatus
from airace.store.repository import Store
from tests.store.test_repository import make_document


def stored_claim(store: Store) -> Claim:
    text = "Hàn Quốc có 2.000 GPU H100."
    claim = Claim(start=0, end=len(text), quote=text, subject="KR", metric="gpu_count",
                  value=2000.0, unit="GPU", extractor_version="test")  # fmt: skip
    store.add_document(make_document(text), [claim])
    [found] = store.list_claims()
    assert found.id is not None
    return found


def test_a_review_is_stored_beside_the_claim_which_keeps_its_values(store: Store) -> None:
    claim = stored_claim(store)
    assert claim.id is not None
    review, stored = store.add_review(
        Review(claim_id=claim.id, status=ReviewStatus.CORRECTED, value=2500.0, note="typo")
    )
    assert stored and review.id is not None and review.created_at is not None
    after = store.get_claim(claim.id)
    assert after is not None
    assert after.value == 2000.0  # the original is never overwritten
    assert after.status is ReviewStatus.CORRECTED
    assert store.latest_reviews()[claim.id].value == 2500.0


def test_repeating_the_latest_review_stores_nothing(store: Store) -> None:
    claim = stored_claim(store)
    assert claim.id is not None
    store.add_review(Review(claim_id=claim.id, status=ReviewStatus.REJECTED))
    _, stored = store.add_review(Review(claim_id=claim.id, status=ReviewStatus.REJECTED))
    assert not stored
    store.add_review(Review(claim_id=claim.id, status=ReviewStatus.ACCEPTED))
    assert [r.status for r in store.list_reviews(claim.id)] == [ReviewStatus.REJECTED,
                                                                ReviewStatus.ACCEPTED]  # fmt: skip
    assert store.latest_reviews()[claim.id].status is ReviewStatus.ACCEPTED


def test_reviewing_a_missing_claim_fails_and_writes_nothing(store: Store) -> None:
    with pytest.raises(StoreError, match="no claim 999"):
        store.add_review(Review(claim_id=999, status=ReviewStatus.REJECTED))
    assert store.latest_reviews() == {}


def test_iter_claims_yields_the_documents_publication_date_in_batches(store: Store) -> None:
    for number in range(5):
        text = f"Nhật Bản có {number + 1}.000 GPU."
        claim = Claim(start=0, end=len(text), quote=text, subject="JP", metric="gpu_count",
                      value=1000.0 * (number + 1), unit="GPU", extractor_version="t")  # fmt: skip
        store.add_document(make_document(text, origin=f"{number}.txt"), [claim])
    found = list(store.iter_claims(metrics=["gpu_count"], batch=2))
    assert [c.value for c, _ in found] == [1000.0, 2000.0, 3000.0, 4000.0, 5000.0]
    assert {published for _, published in found} == {date(2024, 6, 29)}
    assert list(store.iter_claims(metrics=["funding"])) == []


def test_the_same_review_sent_at_once_is_stored_once(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    claim = stored_claim(store)
    assert claim.id is not None
    review = Review(claim_id=claim.id, status=ReviewStatus.REJECTED, note="same")
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: store.add_review(review), range(16)))
    assert sum(stored for _, stored in results) == 1
    assert len(store.list_reviews(claim.id)) == 1
    [kept] = store.list_reviews(claim.id)
    assert kept.created_at is not None and kept.created_at.tzinfo is not None
