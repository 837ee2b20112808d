"""What-if changes: parsing, applying, and ranks against the baseline."""

from __future__ import annotations

import math

import pytest

from airace.index import IndicatorTable, ScenarioError, apply_changes, parse_change, run_scenario
from tests.index.build import methodology, table


@pytest.mark.parametrize(
    ("text", "entity", "indicator", "op", "amount"),
    [
        ("KR.gpu_count += 10000", "KR", "gpu_count", "+=", 10000.0),
        ("VN.ai_talent*=2", "VN", "ai_talent", "*=", 2.0),
        (" JP . ai_papers = 1e4 ", "JP", "ai_papers", "=", 10000.0),
        ("US.gpu_count -= .5", "US", "gpu_count", "-=", 0.5),
        ("FR.ai_investment /= 4", "FR", "ai_investment", "/=", 4.0),
    ],
)
def test_changes_are_read(text: str, entity: str, indicator: str, op: str, amount: float) -> None:
    change = parse_change(text)
    assert (change.entity, change.indicator, change.op, change.amount) == (
        entity,
        indicator,
        op,
        amount,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("KR.gpu_count 10000", "no operator"),
        ("gpu_count += 1", "ENTITY.INDICATOR"),
        ("KR.gpu_count += ten", "not a plain number"),
        ("KR.gpu_count /= 0", "division by zero"),
    ],
)
def test_unreadable_changes_say_why(text: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message) as raised:
        parse_change(text)
    assert raised.value.hint is not None and "KR.gpu_count += 10000" in raised.value.hint


def values() -> IndicatorTable:
    return table(
        {"US": (100, 90), "KR": (40, 60), "VN": (10, math.nan)},
        ["gpus", "talent"],
    )


def test_changes_apply_to_raw_values_in_order() -> None:
    base = values()
    changed = apply_changes(
        base,
        [parse_change(text) for text in ("kr.GPUS += 10", "KR.gpus *= 2", "VN.talent += 5")],
    )
    assert changed.values[1, 0] == 100  # (40 + 10) * 2, names matched case-insensitively
    assert changed.values[2, 1] == 5  # a missing value starts from 0
    assert base.values[1, 0] == 40
    with pytest.raises(ScenarioError, match="no value to scale"):
        apply_changes(base, [parse_change("VN.talent *= 2")])
    with pytest.raises(ScenarioError, match="unknown entity 'XX'") as raised:
        apply_changes(base, [parse_change("XX.gpus += 1")])
    assert raised.value.hint is not None and "KR" in raised.value.hint
    with pytest.raises(ScenarioError, match="unknown indicator"):
        apply_changes(base, [parse_change("KR.luck += 1")])


def test_a_scenario_reports_new_ranks_beside_the_baseline() -> None:
    m = methodology({"compute": ["gpus"], "people": ["talent"]})
    base = table({"US": (100, 90), "KR": (40, 60), "VN": (10, 50)}, ["gpus", "talent"])
    # KR 1000 GPUs: gpus KR 100, US 9.1; talent US 100, KR 25 -> KR 62.5 over US 54.5
    rows = run_scenario(base, m, [parse_change("KR.gpus = 1000")])
    by_entity = {row.entity: row for row in rows}
    kr, us = by_entity["KR"], by_entity["US"]
    assert (kr.base_rank, kr.rank, kr.delta_rank) == (2, 1, 1)
    assert (us.base_rank, us.rank, us.delta_rank) == (1, 2, -1)
    assert kr.delta_score > 0 > us.delta_score
    assert [row.rank for row in rows] == sorted(row.rank for row in rows)
