"""The store on SQLite and PostgreSQL: idempotent writes, origins, lookups."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from airace.errors import StoreError
from airace.model import Document, ItemStatus
from airace.store.repository import Store


def make_document(
    text: str = "Meta có 350.000 GPU.", origin: str = "a.txt", **fields: object
) -> Document:
    values: dict[str, object] = {
        "origin": origin,
        "text": text,
        "content_hash": f"n1:{abs(hash(text)):x}",
        "title": "Tiêu đề",
        "language": "vi",
        "published": date(2024, 6, 29),
        "fetched_at": datetime(2024, 7, 1, 12, 0, tzinfo=UTC),
    }
    values.update(fields)
    return Document(**values)  # type: ignore[arg-type]


def test_document_round_trips_with_all_fields(store: Store) -> None:
    result = store.add_document(make_document())
    assert result.status is ItemStatus.STORED
    assert result.document_id is not None
    stored = store.get_document(result.document_id)
    assert stored is not None
    assert stored.text == "Meta có 350.000 GPU."
    assert stored.title == "Tiêu đề"
    assert stored.language == "vi"
    assert stored.published == date(2024, 6, 29)
    assert stored.size == len("Meta có 350.000 GPU.")


def test_same_hash_from_another_origin_is_a_duplicate_with_both_origins(store: Store) -> None:
    first = store.add_document(make_document(origin="a.txt"))
    second = store.add_document(make_document(origin="https://example.org/a"))
    assert second.status is ItemStatus.DUPLICATE
    assert second.document_id == first.document_id
    assert store.count_documents() == 1
    assert first.document_id is not None
    assert store.origins(first.document_id) == ["a.txt", "https://example.org/a"]


def test_repeating_a_duplicate_does_not_repeat_its_origin(store: Store) -> None:
    first = store.add_document(make_document(origin="a.txt"))
    store.add_document(make_document(origin="a.txt"))
    store.add_document(make_document(origin="a.txt"))
    assert first.document_id is not None
    assert store.origins(first.document_id) == ["a.txt"]


def test_insert_race_on_the_same_hash_reports_duplicate(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = store.add_document(make_document(origin="first"))
    # Pretend the pre-check ran before the other writer committed.
    original = Store._id_for_hash
    calls = iter([None])
    monkeypatch.setattr(
        Store,
        "_id_for_hash",
        staticmethod(lambda connection, h: next(calls, "unused") and original(connection, h)),
    )
    result = store.add_document(make_document(origin="second"))
    assert result.status is ItemStatus.DUPLICATE
    assert result.document_id == stored.document_id
    assert store.count_documents() == 1


def test_document_is_found_by_hash_prefix(store: Store) -> None:
    document = make_document()
    store.add_document(document)
    found = store.get_document(document.content_hash[:8])
    assert found is not None and found.content_hash == document.content_hash


def test_ambiguous_hash_prefix_is_an_error(store: Store) -> None:
    store.add_document(make_document(text="one", content_hash="n1:abc1"))
    store.add_document(make_document(text="two", content_hash="n1:abc2"))
    with pytest.raises(StoreError, match="several"):
        store.get_document("n1:abc")


def test_missing_document_is_none(store: Store) -> None:
    assert store.get_document(999) is None
    assert store.get_document("n1:nothing") is None


def test_listing_is_newest_first_and_filters_language(store: Store) -> None:
    store.add_document(make_document(text="một", language="vi"))
    store.add_document(make_document(text="two", language="en"))
    store.add_document(make_document(text="ba", language="vi"))
    rows = store.list_documents()
    assert [row.title for row in rows] == ["Tiêu đề"] * 3
    assert [row.id for row in rows] == sorted((row.id for row in rows), reverse=True)
    assert {row.language for row in store.list_documents(language="en")} == {"en"}
    assert len(store.list_documents(limit=2)) == 2
    assert len(store.list_documents(limit=2, offset=2)) == 1


def test_iterating_documents_visits_each_once_in_batches(store: Store) -> None:
    for number in range(7):
        store.add_document(make_document(text=f"văn bản {number}"))
    texts = [document.text for document in store.iter_documents(batch=3)]
    assert texts == [f"văn bản {number}" for number in range(7)]


def test_claims_are_stored_with_their_document_and_queried_by_subject_and_metric(
    store: Store,
) -> None:
    from airace.model import Claim, Modality

    text = "Hàn Quốc có khoảng 2.000 GPU H100."
    claims = [
        Claim(0, 28, text[:28], "KR", "gpu_count", 2000, "GPU", approx=True, qualifier="H100",
              modality=Modality.ESTIMATE, alt=((1.0, "USD"),), extractor_version="t"),
        Claim(0, 8, text[:8], "KR", "rank", 5, "rank", extractor_version="t"),
    ]  # fmt: skip
    result = store.add_document(make_document(text=text), claims)
    stored = store.list_claims(subject="KR", metric="gpu_count")
    assert len(stored) == 1
    claim = stored[0]
    assert claim.document_id == result.document_id
    assert (claim.value, claim.approx, claim.qualifier, claim.modality) == (
        2000,
        True,
        "H100",
        Modality.ESTIMATE,
    )
    assert claim.alt == ((1.0, "USD"),)
    assert claim.quote == text[claim.start : claim.end]
    assert len(store.list_claims(subject="KR")) == 2
    assert store.list_claims(metric="budget") == []


def test_duplicate_document_does_not_add_its_claims_again(store: Store) -> None:
    from airace.model import Claim

    claim = Claim(0, 4, "Meta", "Meta", "gpu_count", 1, "GPU", extractor_version="t")
    store.add_document(make_document(text="Meta 1 GPU"), [claim])
    store.add_document(make_document(text="Meta 1 GPU", origin="b"), [claim])
    assert len(store.list_claims()) == 1


def test_a_batch_is_stored_in_one_transaction_and_stays_idempotent(store: Store) -> None:
    one, two = make_document("Một.", origin="1.txt"), make_document("Hai.", origin="2.txt")
    again = make_document("Một.", origin="1-copy.txt")  # the same text inside the batch
    results = store.add_documents([(one, []), (two, []), (again, [])])
    assert [r.status for r in results] == [
        ItemStatus.STORED,
        ItemStatus.STORED,
        ItemStatus.DUPLICATE,
    ]
    assert results[2].document_id == results[0].document_id
    repeated = store.add_documents([(one, []), (two, [])])
    assert [r.status for r in repeated] == [ItemStatus.DUPLICATE, ItemStatus.DUPLICATE]
    assert store.count_documents() == 2
    first = results[0].document_id
    assert first is not None and store.origins(first) == ["1.txt", "1-copy.txt"]


def test_a_batch_puts_each_claim_on_its_own_document(store: Store) -> None:
    from airace.model import Claim

    def claim(value: float) -> Claim:
        return Claim(0, 4, "Meta", "Meta", "gpu_count", value, "GPU")

    stored = store.add_documents([(make_document("Ba.", origin="3.txt"), [claim(3)])])
    batch = [
        (make_document("Một.", origin="1.txt"), [claim(1), claim(11)]),
        (make_document("Ba.", origin="3-copy.txt"), [claim(33)]),  # stored before: not again
        (make_document("Hai.", origin="2.txt"), [claim(2)]),
        (make_document("Một.", origin="1-copy.txt"), [claim(111)]),  # again in the batch
    ]
    results = store.add_documents(batch)
    assert [r.status for r in results] == [
        ItemStatus.STORED, ItemStatus.DUPLICATE, ItemStatus.STORED, ItemStatus.DUPLICATE,
    ]  # fmt: skip
    assert results[1].document_id == stored[0].document_id
    by_document = {
        r.document_id: sorted(
            c.value for c in store.list_claims() if c.document_id == r.document_id
        )
        for r in results
    }
    assert by_document == {results[0].document_id: [1, 11], stored[0].document_id: [3],
                           results[2].document_id: [2]}  # fmt: skip
