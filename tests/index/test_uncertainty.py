"""The Monte Carlo over method choices: reproducible, consistent with the plain index."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from numpy.testing import assert_allclose

from airace.errors import AiraceError
from airace.index import IndicatorSpec, IndicatorTable, compute_index, simulate
from airace.index.batch import BatchScorer, find_conflicts
from airace.index.compute import prepare_table, score_pillars
from airace.index.methodology import AGGREGATIONS, IMPUTATIONS, NORMALISATIONS
from tests.index.build import methodology, random_table, table

PILLARS = {"p": ["a", "b", "c"], "q": ["d", "e"], "r": ["f"]}
SPECS = {
    "b": IndicatorSpec("b", "p", 1, transform="log"),
    "c": IndicatorSpec("c", "p", -1, transform="winsorise", winsor=(10.0, 90.0)),
    "e": IndicatorSpec("e", "q", 1, denominator="population"),
}


def test_the_same_seed_gives_the_same_intervals_and_another_seed_may_not() -> None:
    m = methodology(PILLARS, specs=SPECS, imputation="pillar_mean", replications=300)
    values = random_table(30, m, seed=5)
    first, second = simulate(values, m), simulate(values, m)
    assert_allclose(first.low_rank, second.low_rank, equal_nan=True)
    assert_allclose(first.high_rank, second.high_rank, equal_nan=True)
    assert first.sensitivity == second.sensitivity
    other = simulate(values, m, seed=m.uncertainty.seed + 1)
    assert other.seed != first.seed
    assert not np.array_equal(first.median_rank, other.median_rank) or not np.array_equal(
        first.high_rank, other.high_rank
    )


def test_intervals_hold_the_median_and_widen_with_more_uncertainty() -> None:
    m = methodology(PILLARS, specs=SPECS, replications=400)
    values = random_table(25, m, seed=2)
    base = compute_index(values, m)
    spread = simulate(values, m)
    ranked = base.rank > 0
    assert (spread.low_rank[ranked] <= spread.median_rank[ranked]).all()
    assert (spread.median_rank[ranked] <= spread.high_rank[ranked]).all()
    assert np.isnan(spread.median_rank[~ranked]).all()
    assert set(spread.sensitivity) == {
        "weights",
        "normalisation",
        "imputation",
        "aggregation",
        "conflicts",
    }
    assert all(shift >= 0 for shift in spread.sensitivity.values())
    # with one choice everywhere, near-fixed weights and no conflicts, the interval collapses
    fixed = dataclasses.replace(
        m.uncertainty,
        normalisations=(m.normalisation,),
        imputations=(m.imputation,),
        aggregations=(m.aggregation,),
        weight_concentration=1e9,
        vary_conflicts=False,
    )
    still = simulate(values, dataclasses.replace(m, uncertainty=fixed))
    assert_allclose(still.low_rank[ranked], base.rank[ranked])
    assert_allclose(still.high_rank[ranked], base.rank[ranked])
    assert still.sensitivity["normalisation"] == 0.0
    narrow = np.nanmean(still.high_rank - still.low_rank)
    assert np.nanmean(spread.high_rank - spread.low_rank) > narrow


def test_a_conflict_spanning_the_field_spans_the_ranks() -> None:
    m = methodology({"p": ["a"]}, replications=400)
    names = ("A", "B", "C", "D", "E", "F")
    low = np.array([[np.nan], [np.nan], [0.0], [np.nan], [np.nan], [np.nan]])
    high = np.where(np.isnan(low), np.nan, 70.0)
    values = table(
        dict(zip(names, [(10,), (20,), (30,), (40,), (50,), (60,)], strict=True)),
        ["a"],
        low=low,
        high=high,
    )
    # C drawn uniformly from 0..70: below everyone (rank 6) and above everyone (rank 1) each
    # with probability 1/7, more than the 5 % each tail of the 90 % interval leaves out
    only = dataclasses.replace(
        m.uncertainty,
        normalisations=("minmax",),
        imputations=("none",),
        aggregations=("arithmetic",),
    )
    spread = simulate(values, dataclasses.replace(m, uncertainty=only))
    assert (spread.low_rank[2], spread.high_rank[2]) == (1, 6)
    assert (spread.low_rank[0], spread.high_rank[0]) == (5, 6)  # A only loses to C below it
    assert spread.sensitivity["conflicts"] > 0
    assert spread.sensitivity["weights"] == 0.0  # one pillar: weights cannot matter
    assert spread.sensitivity["normalisation"] == 0.0  # one alternative: nothing varies


def test_at_least_one_replication_is_needed() -> None:
    m = methodology({"p": ["a"]})
    with pytest.raises(AiraceError, match="at least one replication"):
        simulate(random_table(4, m), m, replications=0)


@pytest.mark.parametrize(
    ("normalisation", "imputation", "aggregation"),
    list(itertools.product(NORMALISATIONS, IMPUTATIONS, AGGREGATIONS)),
)
def test_batched_scores_equal_the_plain_stage_functions(
    normalisation: str, imputation: str, aggregation: str
) -> None:
    m = methodology(PILLARS, specs=SPECS, weights="custom")
    values = random_table(20, m, seed=9, conflicting=0.3)
    prepared = prepare_table(values, m)
    rows = prepared.eligible
    scorer = BatchScorer(prepared, rows, m, find_conflicts(prepared, rows))
    batch = np.empty((4, int(rows.sum()), len(m.indicators)))
    drawn = scorer.draw(np.random.default_rng(3), batch)
    plain = batch.copy()
    plain[:, ~prepared.present[rows]] = np.nan
    expected = score_pillars(
        plain,
        prepared,
        rows,
        normalisation=normalisation,
        imputation=imputation,
        aggregation=aggregation,
        weights="custom",
    ).pillar_scores
    found = scorer.pillar_scores(batch, drawn, normalisation, imputation, aggregation)
    assert_allclose(found, expected, rtol=1e-9, atol=1e-9, equal_nan=True)


def test_rank_quantiles_from_counts_match_numpy() -> None:
    from airace.index.uncertainty import _rank_quantiles

    drawing = np.random.default_rng(5)
    for count in (1, 2, 7, 1000):
        ranks = drawing.integers(1, 30, size=(count, 12)).astype(np.int32)
        median, low, high = _rank_quantiles(ranks, 0.05)
        assert_allclose(median, np.median(ranks, axis=0))
        assert_allclose(low, np.quantile(ranks, 0.05, axis=0, method="lower"))
        assert_allclose(high, np.quantile(ranks, 0.95, axis=0, method="higher"))


def test_conflict_worlds_are_shared_and_their_number_is_a_setting() -> None:
    # With one conflict world every replication sees the same drawn values, so a contested
    # entity's rank never moves; with many worlds it does.
    values = table({"A": (50, 50), "B": (52, 52), "C": (48, 48), "D": (10, 10)}, ["x", "y"])
    low, high = values.values.copy(), values.values.copy()
    low[1, 0], high[1, 0] = 0.0, 100.0  # B's x is contested between 0 and 100
    contested = IndicatorTable(
        entities=values.entities, indicators=values.indicators, values=values.values,
        low=low, high=high,
    )  # fmt: skip
    base = methodology({"p": ["x", "y"]}, replications=400)
    only_conflicts = dataclasses.replace(
        base.uncertainty, normalisations=("minmax",), imputations=("none",),
        aggregations=("arithmetic",), weight_concentration=1e6, conflict_draws=1,
    )  # fmt: skip
    one = simulate(contested, dataclasses.replace(base, uncertainty=only_conflicts))
    assert one.low_rank[1] == one.high_rank[1]
    many = dataclasses.replace(only_conflicts, conflict_draws=200)
    spread = simulate(contested, dataclasses.replace(base, uncertainty=many))
    assert spread.low_rank[1] < spread.high_rank[1]
