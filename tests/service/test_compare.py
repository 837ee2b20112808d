"""airace against published indices, year-by-year history, and Spearman's rho itself."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from airace.errors import AiraceError, LexiconError
from airace.service.compare import (
    compare_rankings,
    reference_indices,
    reference_values,
    spearman,
    wealth_scores,
)
from airace.service.rankings import country_history, rank_countries, resolve_methodology
from airace.store.repository import Store


def test_spearman_agrees_with_hand_computed_values() -> None:
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # d = (0, 0, -1, 1): 1 - 6 * 2 / (4 * 15) = 0.8
    assert spearman([1, 2, 3, 4], [1, 2, 4, 3]) == pytest.approx(0.8)
    # ties share their average rank: ranks (1.5, 1.5, 3) against (1, 2, 3)
    assert spearman([5, 5, 9], [1, 2, 3]) == pytest.approx(0.8660254)
    assert spearman([1, 2], [1, 2]) is None
    assert spearman([1, 1, 1], [1, 2, 3]) is None


def test_the_wealth_baseline_puts_rich_large_economies_first() -> None:
    scores = wealth_scores(["US", "VN", "ET", "CH"])
    assert set(scores) == {"US", "VN", "ET", "CH"}
    assert scores["US"] > scores["VN"] > scores["ET"]
    assert scores["CH"] > scores["VN"]


def test_every_reference_index_has_a_published_table() -> None:
    for reference in reference_indices().values():
        values = reference_values(reference)
        assert len(values) >= 50, reference.id
    oxford = reference_values(reference_indices()["oxford_2024"])
    assert oxford["US"] > oxford["VN"] > 0


def test_a_malformed_comparisons_file_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "comparisons.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "references": {
                    "x": {"name": "X", "indicator": "i", "period": "2024", "direction": "up"}
                }
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match=r"references\.x\.direction"):
        reference_indices(path)


def test_compare_reports_rho_beside_the_wealth_baseline(store: Store) -> None:
    methodology = resolve_methodology()
    report = compare_rankings(store, methodology, references=["oxford_2024", "tortoise_2021"])
    assert [c.reference for c in report.comparisons] == ["oxford_2024", "tortoise_2021"]
    ranked = rank_countries(store, methodology, uncertainty=False)
    assert report.ranked == len(ranked.rows)
    for comparison in report.comparisons:
        assert comparison.countries >= 40
        assert comparison.rho is not None and -1 <= comparison.rho <= 1
        assert comparison.wealth_rho is not None
        shifts = [abs(d.shift) for d in comparison.differences]
        assert shifts == sorted(shifts, reverse=True) and shifts[0] > 0
        for difference in comparison.differences:
            assert difference.shift == difference.reference_rank - difference.rank
            # drivers push the way the country moved
            assert all((d.effect > 0) == (difference.shift > 0) for d in difference.drivers)
    assert {p.pillar for p in report.pillars} == set(methodology.pillar_ids)
    assert all(0 <= p.share <= 1 for p in report.pillars)


def test_compare_two_methodologies_and_unknown_references(store: Store) -> None:
    methodology = resolve_methodology()
    same = compare_rankings(store, methodology, references=["oxford_2024"], against=methodology)
    versus = same.comparisons[-1]
    assert versus.reference == "methodology"
    assert versus.rho == pytest.approx(1.0) and not versus.differences
    other = methodology.with_weights({methodology.pillar_ids[0]: 10})
    moved = compare_rankings(store, methodology, references=["oxford_2024"], against=other)
    assert moved.comparisons[-1].rho is not None and moved.comparisons[-1].rho < 1
    with pytest.raises(AiraceError, match="unknown reference index"):
        compare_rankings(store, methodology, references=["nope"])


def test_rank_by_year_uses_only_the_figures_known_then(store: Store) -> None:
    methodology = resolve_methodology()
    now = rank_countries(store, methodology, uncertainty=False)
    then = rank_countries(store, methodology, uncertainty=False, year=2022)
    assert then.year == 2022
    assert [r.entity for r in now.rows] != [r.entity for r in then.rows] or [
        r.score for r in now.rows
    ] != [r.score for r in then.rows]
    long_ago = rank_countries(store, methodology, uncertainty=False, year=1995)
    assert not long_ago.rows


def test_history_follows_one_country_through_the_years(store: Store) -> None:
    methodology = resolve_methodology()
    history = country_history(store, "Hàn Quốc", methodology, first=2020, last=2024)
    assert history.entity == "KR"
    years = [point.year for point in history.points]
    assert years == sorted(years) and years[-1] == 2024 and years[0] >= 2020
    latest = history.points[-1]
    ranked = rank_countries(store, methodology, uncertainty=False, year=2024)
    mine = next(row for row in ranked.rows if row.entity == "KR")
    assert (latest.rank, latest.score) == (mine.rank, pytest.approx(mine.score))
    assert set(latest.pillars) == set(methodology.pillar_ids)
    with pytest.raises(AiraceError):
        country_history(store, "KR", methodology, first=1990, last=1991)
