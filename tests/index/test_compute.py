"""The whole index on hand-computed tables, and the properties a fair index must keep."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from airace.index import IndicatorSpec, IndicatorTable, compute_index, maturity_matrix
from tests.index.build import methodology, random_table, table

NAN = math.nan


def test_equal_weights_reproduce_the_hand_computed_mean() -> None:
    m = methodology({"compute": ["gpus", "dcs"], "money": ["usd"]})
    values = table(
        {"US": (100, 40, 50), "CN": (50, 20, 30), "VN": (0, 0, 10)}, ["gpus", "dcs", "usd"]
    )
    result = compute_index(values, m)
    # min-max per column: gpus 100/50/0, dcs 100/50/0, usd 100/50/0
    assert_allclose(result.normalised, [[100, 100, 100], [50, 50, 50], [0, 0, 0]])
    assert_allclose(result.pillar_scores, [[100, 100], [50, 50], [0, 0]])
    assert_allclose(result.index, [100, 50, 0])
    assert result.rank.tolist() == [1, 2, 3]
    assert [result.entities[at] for at in result.order()] == ["US", "CN", "VN"]


def test_pillars_weigh_by_their_weights_not_by_their_number_of_indicators() -> None:
    m = methodology({"a": ["x1", "x2", "x3"], "b": ["y"]}, weights="custom")
    values = table({"P": (100, 100, 100, 0), "Q": (0, 0, 0, 100)}, ["x1", "x2", "x3", "y"])
    result = compute_index(values, m)
    assert_allclose(result.index, [50, 50])  # one pillar each, pillars equal
    assert result.rank.tolist() == [1, 1]  # a tie shares the place
    heavier = compute_index(values, m.with_weights({"b": 3.0}))
    assert_allclose(heavier.index, [25, 75])
    assert heavier.rank.tolist() == [2, 1]


def test_missing_values_are_averaged_over_or_imputed() -> None:
    values = table({"A": (100, NAN, 0), "B": (0, 100, 100), "C": (50, 50, 50)}, ["x", "y", "z"])
    plain = compute_index(values, methodology({"p": ["x", "y"], "q": ["z"]}))
    # min-max: x 100/0/50, y -/100/0 (A has none), z 0/100/50
    # A: p from x alone 100, q 0 -> 50; B: p 50, q 100 -> 75; C: p 25, q 50 -> 37.5
    assert_allclose(plain.index, [50, 75, 37.5])
    assert not plain.imputed.any()
    pillars = {"p": ["x", "y"], "q": ["z"]}
    uncapped = methodology(pillars, imputation="group_mean").replace(cap_imputed=False)
    mean = compute_index(values, uncapped)
    # everyone in one group: A's y is the mean of B's 100 and C's 0 -> p 75, index 37.5
    assert mean.imputed.tolist() == [[False, True, False], [False] * 3, [False] * 3]
    assert mean.index[0] == pytest.approx(37.5)
    # capped (the default): an imputed value never beats a reported one, so A's y is held
    # at C's 0 -> p 50, index 25
    capped = compute_index(values, methodology(pillars, imputation="group_mean"))
    assert capped.normalised[0, 1] == pytest.approx(0)
    assert capped.index[0] == pytest.approx(25)


def test_entities_below_the_coverage_threshold_are_not_ranked() -> None:
    m = methodology({"p": ["a", "b"], "q": ["c", "d"]}, min_coverage=0.5)
    values = table(
        {"full": (1, 2, 3, 4), "half": (2, NAN, 1, NAN), "thin": (1000, NAN, NAN, NAN)},
        ["a", "b", "c", "d"],
    )
    result = compute_index(values, m)
    assert result.rank.tolist() == [1, 2, 0]
    assert math.isnan(result.index[2])
    assert_allclose(result.coverage, [1.0, 0.5, 0.25])
    # the unranked outlier does not stretch anyone's scale: full and half span 0..100 in 'a'
    assert_allclose(result.normalised[:2, 0], [0, 100])


def test_lower_is_better_indicators_score_the_lowest_value_best() -> None:
    m = methodology({"p": ["rank"]}, specs={"rank": IndicatorSpec("rank", "p", -1)})
    result = compute_index(table({"A": (1,), "B": (5,), "C": (9,)}, ["rank"]), m)
    assert_allclose(result.index, [100, 50, 0])


def test_per_capita_divides_by_population_except_scale_free_indicators() -> None:
    m = methodology(
        {"p": ["gpus"], "q": ["score"]},
        specs={"score": IndicatorSpec("score", "q", 1, scale_free=True)},
    )
    per_person = m.per_capita()
    assert [spec.denominator for spec in per_person.indicators] == ["population", "none"]
    assert per_person.digest != m.digest
    values = table(
        {"big": (1000, 50), "small": (100, 50)},
        ["gpus", "score"],
        population=np.array([1000.0, 10.0]),
    )
    totals, people = compute_index(values, m), compute_index(values, per_person)
    assert_allclose(totals.normalised[:, 0], [100, 0])
    assert_allclose(people.normalised[:, 0], [0, 100])  # 1 vs 10 per person
    assert_allclose(people.normalised[:, 1], totals.normalised[:, 1])


def test_geometric_aggregation_penalises_imbalance() -> None:
    values = table(
        {"balanced": (50, 50), "lopsided": (100, 1), "floor": (1, 1), "top": (100, 100)},
        ["x", "y"],
    )
    pillars = {"p": ["x"], "q": ["y"]}
    arithmetic = compute_index(values, methodology(pillars))
    geometric = compute_index(values, methodology(pillars, aggregation="geometric"))
    balanced, lopsided = 0, 1
    assert arithmetic.index[lopsided] > arithmetic.index[balanced]
    assert geometric.index[lopsided] < geometric.index[balanced]


MONOTONE = st.sampled_from(
    [
        ("minmax", "none", "arithmetic"),
        ("minmax", "pillar_mean", "arithmetic"),
        ("rank", "none", "arithmetic"),
        ("leader", "pillar_mean", "arithmetic"),
        ("minmax", "none", "geometric"),
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    who=st.integers(0, 7),
    factor=st.floats(1.0, 5.0),
    choice=MONOTONE,
)
def test_a_uniform_improvement_never_lowers_a_rank(
    seed: int, who: int, factor: float, choice: tuple[str, str, str]
) -> None:
    normalisation, imputation, aggregation = choice
    m = methodology(
        {"p": ["a", "b"], "q": ["c", "d", "e"]},
        normalisation=normalisation,
        imputation=imputation,
        aggregation=aggregation,
    )
    before = random_table(8, m, seed=seed)
    values = before.values.copy()
    values[who] *= factor
    after = random_table(8, m, seed=seed)
    after = type(after)(
        entities=after.entities, indicators=after.indicators, values=values, groups=after.groups
    )
    base, better = compute_index(before, m), compute_index(after, m)
    assert better.rank[who] <= base.rank[who]
    assert better.index[who] >= base.index[who] - 1e-9


def test_the_same_table_gives_the_same_index_whatever_the_row_order() -> None:
    m = methodology({"p": ["a", "b"], "q": ["c"]}, imputation="pillar_mean")
    values = random_table(12, m, seed=3)
    order = np.random.default_rng(0).permutation(12)
    shuffled = type(values)(
        entities=tuple(values.entities[at] for at in order),
        indicators=values.indicators,
        values=values.values[order],
        groups=tuple(values.groups[at] for at in order) if values.groups else None,
    )
    first, second = compute_index(values, m), compute_index(shuffled, m)
    assert_allclose(second.index, first.index[order], equal_nan=True)


def test_the_maturity_matrix_puts_each_ranked_entity_in_the_tier_of_its_score() -> None:
    m = methodology({"capacity": ["gpus"], "activity": ["usd"]})
    values = table(
        {"both": (100, 100), "has": (90, 10), "does": (10, 90), "some": (40, 30), "none": (0, 0)},
        ["gpus", "usd"],
    )
    result = compute_index(values, m)
    points = {point.entity: point for point in maturity_matrix(result)}
    # tiers from 75, 50, 25 and 0 on the index (the mean of the two pillars here)
    assert {name: point.archetype for name, point in points.items()} == {
        "both": "pioneers",
        "has": "contenders",
        "does": "contenders",
        "some": "practitioners",
        "none": "emergents",
    }
    # the axes only place the points
    assert (points["has"].x, points["has"].y) == pytest.approx((90, 10))
    assert m.matrix.tier(-5).id == "emergents"


def test_a_reported_small_value_never_scores_below_an_imputed_one() -> None:
    # A reports a tiny y; B reports nothing in y but is strong in x, the pillar mean would
    # give it 100 in y: the cap holds B's y at A's score.
    values = table({"A": (0, 1), "B": (100, NAN), "C": (50, 100)}, ["x", "y"])
    m = methodology({"p": ["x", "y"]}, imputation="pillar_mean")
    result = compute_index(values, m)
    assert result.imputed[1, 1]
    assert result.normalised[1, 1] <= result.normalised[0, 1]
    uncapped = compute_index(values, m.replace(cap_imputed=False))
    assert uncapped.normalised[1, 1] > uncapped.normalised[0, 1]


def test_an_indicator_too_few_entities_report_is_left_out() -> None:
    values = table({"A": (10, NAN), "B": (20, 5), "C": (30, NAN), "D": (40, NAN)}, ["wide", "rare"])
    m = methodology({"p": ["wide"], "q": ["rare"]}).replace(min_reporting=2)
    result = compute_index(values, m)
    assert result.reporting.tolist() == [4, 1]
    assert result.used.tolist() == [True, False]
    # B's single "rare" figure does not make a pillar of its own: only "wide" ranks
    assert np.isnan(result.pillar_scores[:, 1]).all()
    assert [result.entities[at] for at in result.order()] == ["D", "C", "B", "A"]
    assert_allclose(result.coverage, [1, 1, 1, 1])  # over the indicators in use
    kept = compute_index(values, m.replace(min_reporting=1))
    assert kept.used.all()
    assert not np.isnan(kept.pillar_scores[1, 1])


def test_an_indicator_of_another_counts_it_per_person_with_a_floor() -> None:
    specs = {
        "models": IndicatorSpec(id="models", pillar="p", direction=1),
        "models_pc": IndicatorSpec(
            id="models_pc", pillar="q", direction=1, denominator="population", of="models"
        ),
    }
    m = methodology({"p": ["models"], "q": ["models_pc"]}, specs=specs)
    base = table({"BIG": (100,), "MID": (20,), "TINY": (2,)}, ["models"])
    values = IndicatorTable(
        entities=base.entities,
        indicators=base.indicators,
        values=base.values,
        population=np.array([1000.0, 100.0, 1.0]),
    )
    result = compute_index(values, m)
    assert_allclose(result.raw[:, 1], [0.1, 0.2, 2.0])
    assert_allclose(result.normalised[:, 1], [0, 100 / 19, 100])  # TINY: 2 models for 1 person
    floored = compute_index(values, m.replace(population_floor=100.0))
    assert_allclose(floored.raw[:, 1], [0.1, 0.2, 0.02])
    assert [floored.entities[at] for at in floored.order()] == ["BIG", "MID", "TINY"]
