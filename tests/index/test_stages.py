"""Each stage of the index on small cases computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from airace.index import IndicatorSpec
from airace.index.aggregate import aggregate
from airace.index.impute import impute
from airace.index.normalise import normalise
from airace.index.ranking import competition_ranks
from airace.index.transform import apply_denominators, orient, transform
from airace.index.weights import indicator_weights, pillar_weights
from tests.index.build import methodology

NAN = math.nan


def column(*values: float) -> np.ndarray:
    return np.array(values, dtype=np.float64)[:, None]


@pytest.mark.parametrize(
    ("method", "values", "expected"),
    [
        ("minmax", (0, 5, 10, NAN), (0, 50, 100, NAN)),
        ("minmax", (3, 3), (100, 100)),  # nobody behind the leader
        ("zscore", (1, 2, 3), (-math.sqrt(1.5), 0, math.sqrt(1.5))),  # population std
        ("zscore", (4, 4, NAN), (0, 0, NAN)),
        ("rank", (10, 20, 20, 40), (0, 50, 50, 100)),  # ties share rank 2.5 of 4
        ("rank", (7, NAN), (100, NAN)),
        ("leader", (0, 25, 50), (0, 50, 100)),  # share of the leader
        ("leader", (10, 40), (25, 100)),  # not min-max: 10 is a quarter of the leader
        ("leader", (-4, -2, -1), (0, 200 / 3, 100)),  # negatives: min-max
    ],
)
def test_normalisation_by_hand(method: str, values: tuple, expected: tuple) -> None:
    assert_allclose(normalise(column(*values), method)[:, 0], expected, equal_nan=True)


def test_normalisation_works_column_by_column_and_over_a_batch() -> None:
    values = np.array([[1.0, 100.0], [3.0, 300.0], [2.0, NAN]])
    single = normalise(values, "rank")
    batch = normalise(np.stack([values, values * 2]), "rank")
    assert_allclose(single, [[0, 0], [100, 100], [50, NAN]], equal_nan=True)
    assert_allclose(batch[1], single, equal_nan=True)
    with pytest.raises(ValueError, match="unknown normalisation"):
        normalise(values, "softmax")


def test_log_transform_orientation_and_denominators() -> None:
    specs = [
        IndicatorSpec("a", "p", 1, transform="log"),
        IndicatorSpec("b", "p", -1, denominator="population"),
        IndicatorSpec("c", "p", 1, denominator="gdp"),
    ]
    values = np.array([[math.e - 1, 10.0, 6.0], [-5.0, 30.0, NAN]])
    divided = apply_denominators(values, specs, np.array([2.0, 0.0]), np.array([3.0, 1.0]))
    assert_allclose(divided, [[math.e - 1, 5.0, 2.0], [-5.0, NAN, NAN]], equal_nan=True)
    oriented = orient(transform(divided, specs), specs)
    assert_allclose(oriented, [[1.0, -5.0, 2.0], [0.0, NAN, NAN]], equal_nan=True)


def test_winsorising_clips_to_the_percentiles_of_the_ranked_rows() -> None:
    specs = [IndicatorSpec("a", "p", 1, transform="winsorise", winsor=(10.0, 90.0))]
    values = np.concatenate([np.arange(1.0, 11.0), [1000.0, NAN]])[:, None]
    clipped = transform(values, specs)[:, 0]
    present = values[~np.isnan(values)]
    low, high = np.percentile(present, 10), np.percentile(present, 90)
    assert_allclose(clipped[:-1], np.clip(present, low, high))
    assert math.isnan(clipped[-1])
    rows = np.array([True] * 10 + [False, False])  # the outlier is not ranked
    only = transform(values, specs, rows=rows)[:, 0]
    assert only[10] == pytest.approx(np.percentile(np.arange(1.0, 11.0), 90))


def test_pillar_mean_imputation_fills_from_the_entity_own_pillar() -> None:
    values = np.array([[20.0, NAN, 40.0, NAN], [10.0, 30.0, NAN, NAN]])
    filled, imputed = impute(values, "pillar_mean", ["p", "p", "p", "q"])
    assert_allclose(filled, [[20, 30, 40, NAN], [10, 30, 20, NAN]], equal_nan=True)
    assert imputed.tolist() == [[False, True, False, False], [False, False, True, False]]
    same, none = impute(values, "none", ["p", "p", "p", "q"])
    assert_allclose(same, values, equal_nan=True)
    assert not none.any()


def test_group_mean_imputation_uses_peers_then_everyone() -> None:
    values = column(10, 30, NAN, 80, NAN)
    groups = ["a", "a", "a", "b", "c"]  # c has nobody with a value: the overall mean
    filled, imputed = impute(values, "group_mean", ["p"], groups)
    assert_allclose(filled[:, 0], [10, 30, 20, 80, 40])
    assert imputed[:, 0].tolist() == [False, False, True, False, True]
    with pytest.raises(ValueError, match="unknown imputation"):
        impute(values, "median", ["p"])


def test_arithmetic_aggregation_renormalises_over_present_values() -> None:
    scores = np.array([[50.0, NAN, 100.0], [NAN, NAN, NAN]])
    result = aggregate(scores, np.array([1.0, 1.0, 2.0]), "arithmetic")
    assert result[0] == pytest.approx((50 + 2 * 100) / 3)
    assert math.isnan(result[1])


def test_geometric_aggregation_by_hand() -> None:
    weights = np.array([0.5, 0.5])
    assert aggregate(np.array([[4.0, 100.0]]), weights, "geometric")[0] == pytest.approx(20)
    # a zero counts as the floor 1, not as a veto
    assert aggregate(np.array([[0.0, 100.0]]), weights, "geometric")[0] == pytest.approx(10)
    # z-scores go through T-scores 50 + 10z and back: sqrt(60 * 40) = 48.99 -> z -0.101
    z = aggregate(np.array([[1.0, -1.0]]), weights, "geometric", normalisation="zscore")[0]
    assert z == pytest.approx((math.sqrt(60 * 40) - 50) / 10)
    # geometric never exceeds arithmetic (AM-GM)
    pair = np.array([[30.0, 90.0]])
    assert aggregate(pair, weights, "geometric")[0] < aggregate(pair, weights, "arithmetic")[0]


def test_aggregation_into_pillars_with_members() -> None:
    members = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    scores = np.array([[20.0, 60.0, 10.0]])
    result = aggregate(scores, np.array([0.25, 0.75, 1.0]), "arithmetic", members=members)
    assert_allclose(result, [[50.0, 10.0]])


def test_custom_and_equal_weights_sum_to_one_per_pillar() -> None:
    m = methodology(
        {"p": ["a", "b"], "q": ["c"]},
        specs={"a": IndicatorSpec("a", "p", 1, weight=3.0), "b": IndicatorSpec("b", "p", 1)},
        pillar_weights={"p": 3.0, "q": 1.0},
    )
    assert_allclose(indicator_weights(m.indicators, "custom"), [0.75, 0.25, 1.0])
    assert_allclose(indicator_weights(m.indicators, "equal"), [0.5, 0.5, 1.0])
    assert_allclose(pillar_weights(m.pillars, "custom"), [0.75, 0.25])
    assert_allclose(pillar_weights(m.pillars, "equal"), [0.5, 0.5])


def test_pca_weights_load_on_the_correlated_indicators() -> None:
    m = methodology({"p": ["a", "b", "c"], "q": ["d"]})
    a = np.array([1.0, 2.0, 3.0, 4.0])
    values = np.stack([a, 2 * a + 1, [1.0, -1.0, -1.0, 1.0], a], axis=1)  # c uncorrelated
    assert_allclose(indicator_weights(m.indicators, "pca", values), [0.5, 0.5, 0.0, 1.0], atol=1e-9)
    with pytest.raises(ValueError, match="pca weights need"):
        indicator_weights(m.indicators, "pca")


def test_competition_ranks_share_the_best_place_and_skip_after_ties() -> None:
    ranks = competition_ranks(np.array([5.0, 7.0, 7.0, 1.0, NAN]))
    assert ranks.tolist() == [3, 1, 1, 4, 0]
    batch = competition_ranks(np.array([[1.0, 2.0], [2.0, 1.0]]))
    assert batch.tolist() == [[2, 1], [1, 2]]
