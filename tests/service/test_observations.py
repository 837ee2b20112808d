"""Observations, conflicts and review through the service layer, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from airace.config import Settings
from airace.errors import AiraceError
from airace.model import ReviewStatus
from airace.service.observations import find_entity, list_conflicts, load_observations
from airace.service.pipeline import ingest
from airace.service.review import review_claim
from airace.store.repository import Store

ARTICLES = {
    "a.txt": "Seoul, 3/5/2024. Năm 2024, Hàn Quốc hiện có 2.000 GPU H100, theo Bộ Khoa học.\n",
    "b.txt": "Seoul, 10/5/2024. Năm 2024, Hàn Quốc sở hữu khoảng 10.000 GPU H100.\n",
    "c.txt": "Seoul, 12/5/2024. Hàn Quốc có 2.000 GPU H100 trong năm nay.\n",
}


@pytest.fixture
def corpus(tmp_path: Path, store: Store, settings: Settings) -> Store:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    report = ingest([str(folder)], store, settings)
    assert report.failed == 0, report.items
    return store


def kr_gpus(store: Store) -> list:  # type: ignore[type-arg]
    return [o for o in load_observations(store, entity="KR", indicator="gpu_count",
                                         reference=False)]  # fmt: skip


def test_korean_gpu_reports_merge_into_one_conflicting_observation(corpus: Store) -> None:
    [observation] = kr_gpus(corpus)
    assert observation.period == "2024"
    assert observation.conflict
    assert (observation.low, observation.high) == (2000, 10000)
    assert observation.value == 2000  # two documents agree, and the figure is precise
    assert len(observation.evidence) == 3
    assert all(e.quote and e.claim_id for e in observation.evidence)
    conflicts = list_conflicts(corpus, entity="Hàn Quốc")
    assert [(c.entity, c.indicator) for c in conflicts] == [("KR", "gpu_count")]


def test_review_changes_the_observation_and_keeps_the_claim(corpus: Store) -> None:
    [observation] = kr_gpus(corpus)
    precise = [e.claim_id for e in observation.evidence if e.value == 2000]
    for claim_id in precise:
        assert claim_id is not None
        review_claim(corpus, claim_id, ReviewStatus.REJECTED, note="old count")
    [after] = kr_gpus(corpus)
    assert after.value == 10000 and not after.conflict
    assert corpus.get_claim(precise[0]) is not None  # rejected, not deleted


def test_correction_is_used_and_validated(corpus: Store) -> None:
    [observation] = kr_gpus(corpus)
    approx = next(e.claim_id for e in observation.evidence if e.approx)
    assert approx is not None
    with pytest.raises(AiraceError, match="needs a field"):
        review_claim(corpus, approx, ReviewStatus.CORRECTED)
    with pytest.raises(AiraceError, match="unknown metric"):
        review_claim(corpus, approx, ReviewStatus.CORRECTED, metric="gpus")
    with pytest.raises(AiraceError, match="as_of"):
        review_claim(corpus, approx, ReviewStatus.CORRECTED, as_of="24")
    with pytest.raises(AiraceError, match="given with"):
        review_claim(corpus, approx, ReviewStatus.REJECTED, value=1.0)
    review_claim(corpus, approx, ReviewStatus.CORRECTED, value=2000.0)
    [after] = kr_gpus(corpus)
    assert not after.conflict and after.value == 2000


def test_reference_figures_are_observations_with_sources(store: Store) -> None:
    found = load_observations(store, entity="US")
    assert found, "the curated reference data gives the US observations"
    assert all(e.url or e.source for o in found for e in o.evidence)


def test_entities_are_found_by_id_or_name_in_any_language() -> None:
    assert find_entity("kr").id == "KR"
    assert find_entity("Hàn Quốc").id == "KR"
    assert find_entity("South Korea").id == "KR"
    with pytest.raises(AiraceError, match="unknown entity"):
        find_entity("Atlantis Prime")


def test_unknown_indicator_is_a_clear_error(store: Store) -> None:
    with pytest.raises(AiraceError, match="unknown indicator"):
        load_observations(store, indicator="gpus")


def test_plans_are_kept_apart_and_a_review_can_change_the_modality(
    corpus: Store, settings: Settings
) -> None:
    from airace.service.pipeline import ingest_text

    text = "Seoul, 20/5/2024. Năm 2024, chính phủ Hàn Quốc dự kiến mua 15.000 GPU H100."
    ingest_text(text, corpus, origin="plan.txt", language="vi")
    planned = next(c for c in corpus.list_claims(subject="KR") if c.value == 15000)
    assert str(planned.modality) == "plan"
    assert [c.id for c in corpus.list_claims(modality="plan")] == [planned.id]  # to review
    assert planned.id not in {c.id for c in corpus.list_claims(modality="fact")}
    [observation] = kr_gpus(corpus)
    assert planned.id not in {e.claim_id for e in observation.evidence}  # not a holding
    with pytest.raises(AiraceError, match="unknown modality"):
        review_claim(corpus, planned.id or 0, ReviewStatus.CORRECTED, modality="wish")
    review_claim(corpus, planned.id or 0, ReviewStatus.CORRECTED, modality="fact")
    [observation] = kr_gpus(corpus)
    assert planned.id in {e.claim_id for e in observation.evidence}
    held = next(e.claim_id for e in observation.evidence if e.claim_id != planned.id)
    review_claim(corpus, held or 0, ReviewStatus.CORRECTED, modality="plan")
    [observation] = kr_gpus(corpus)
    assert held not in {e.claim_id for e in observation.evidence}
