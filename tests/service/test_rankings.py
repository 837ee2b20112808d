"""Rankings through the service: reference data alone ranks real countries; claims move them."""

from __future__ import annotations

from pathlib import Path

import pytest

from airace.config import Settings
from airace.errors import AiraceError
from airace.service.pipeline import ingest
from airace.service.rankings import (
    country_matrix,
    explain_entity,
    rank_countries,
    resolve_methodology,
    run_scenarios,
)
from airace.store.repository import Store


@pytest.fixture
def methodology():  # type: ignore[no-untyped-def]
    return resolve_methodology()


def test_a_fresh_store_ranks_at_least_thirty_real_countries(store: Store, methodology) -> None:  # type: ignore[no-untyped-def]
    ranking = rank_countries(store, methodology, uncertainty=False)
    assert len(ranking.rows) >= 30
    assert [row.rank for row in ranking.rows] == sorted(row.rank for row in ranking.rows)
    assert ranking.rows[0].entity == "US"
    assert ranking.digest == methodology.digest
    assert set(ranking.rows[0].pillars) == set(ranking.pillars)


def test_uncertainty_is_reproducible_with_a_seed(store: Store, methodology) -> None:  # type: ignore[no-untyped-def]
    first = rank_countries(store, methodology, replications=200, seed=7)
    second = rank_countries(store, methodology, replications=200, seed=7)
    assert [(r.entity, r.low_rank, r.high_rank) for r in first.rows] == [
        (r.entity, r.low_rank, r.high_rank) for r in second.rows
    ]
    for row in first.rows:
        assert row.low_rank is not None and row.high_rank is not None
        assert row.low_rank <= row.high_rank
    assert first.sensitivity and set(first.sensitivity) >= {"weights", "normalisation"}


def test_ingested_claims_enter_the_ranking(
    tmp_path: Path,
    store: Store,
    settings: Settings,
    methodology,  # type: ignore[no-untyped-def]
) -> None:
    before = rank_countries(store, methodology, uncertainty=False)
    vn_before = next(row for row in before.rows if row.entity == "VN")
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "vn.txt").write_text(
        "Hà Nội, 2/1/2026. Năm 2025, đầu tư tư nhân vào AI tại Việt Nam đạt 50 tỷ USD.\n",
        encoding="utf-8",
    )
    assert ingest([str(folder)], store, settings).failed == 0
    after = rank_countries(store, methodology, uncertainty=False)
    vn_after = next(row for row in after.rows if row.entity == "VN")
    assert vn_after.pillars["investment"] > vn_before.pillars["investment"]
    explanation = explain_entity(store, "Việt Nam", methodology)
    steps = {s.indicator: s for p in explanation.pillars for s in p.indicators}
    money = steps["ai_investment"].observation
    assert money is not None and money.value == 50e9 and money.period == "2025"
    assert money.evidence[0].quote and "50 tỷ USD" in money.evidence[0].quote
    # the per-person variant reads the same observation
    assert steps["ai_investment_per_person"].observation == money


def test_scenario_raises_the_changed_country(store: Store, methodology) -> None:  # type: ignore[no-untyped-def]
    rows = run_scenarios(store, methodology, ["VN.ai_investment *= 100"])
    vn = next(row for row in rows if row.entity == "VN")
    assert vn.score > vn.base_score
    assert vn.rank <= vn.base_rank
    with pytest.raises(AiraceError):
        run_scenarios(store, methodology, ["VN.gpus += 1"])


def test_matrix_gives_every_ranked_country_an_archetype(store: Store, methodology) -> None:  # type: ignore[no-untyped-def]
    rows = country_matrix(store, methodology)
    ids = {archetype.id for archetype in methodology.matrix.archetypes}
    assert rows and all(row.archetype in ids for row in rows)
    us = next(row for row in rows if row.entity == "US")
    assert us.archetype == methodology.matrix.archetypes[0].id  # the leader is in the top tier
    ranking = rank_countries(store, methodology, uncertainty=False)
    score = {row.entity: row.score for row in ranking.rows}
    tiers = [tier.id for tier in methodology.matrix.archetypes]
    ordered = sorted(rows, key=lambda row: -score[row.entity])
    # tiers never go up as the score goes down
    assert [tiers.index(r.archetype) for r in ordered] == sorted(
        tiers.index(r.archetype) for r in ordered
    )


def test_weights_and_per_capita_change_the_ranking(store: Store) -> None:
    plain = rank_countries(store, resolve_methodology(), uncertainty=False)
    per_capita = rank_countries(store, resolve_methodology(per_capita=True), uncertainty=False)
    assert [r.entity for r in plain.rows] != [r.entity for r in per_capita.rows]
    with pytest.raises(AiraceError):
        resolve_methodology(weights="nonsense=2")


def test_explaining_an_entity_without_data_is_a_clear_error(store: Store, methodology) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AiraceError, match="no observations"):
        explain_entity(store, "AQ", methodology)
