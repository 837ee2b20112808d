"""What-if scenarios: change some raw values ("KR.gpu_count += 10000") and rank again.

A change applies to the raw value, before denominators and transforms, exactly as if the news
had reported the new figure; the changed cell is no longer a conflict. On a cell with no
observation, ``+=`` and ``-=`` start from 0 and ``=`` sets the value; ``*=`` and ``/=`` have
nothing to scale and are refused.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from airace.errors import AiraceError
from airace.index.compute import IndexResult, compute_index
from airace.index.methodology import Methodology
from airace.index.table import IndicatorTable

OPERATORS = ("+=", "-=", "*=", "/=", "=")
_FORM = "write ENTITY.INDICATOR OP AMOUNT, e.g. 'KR.gpu_count += 10000' (OP one of += -= *= /= =)"
_OPERATOR = re.compile(r"\+=|-=|\*=|/=|=")
_TARGET = re.compile(r"^\s*([^\s.]+)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*$")
_AMOUNT = re.compile(r"^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$")


class ScenarioError(AiraceError):
    """A what-if change cannot be read or names an unknown entity or indicator."""


@dataclass(frozen=True, slots=True)
class Change:
    """One what-if change: ``entity.indicator op amount``."""

    entity: str
    indicator: str
    op: str
    amount: float

    def apply(self, value: float) -> float:
        """Return ``value`` after this change (NaN: no observation).

        Raises:
            ScenarioError: scaling a missing value.
        """
        if self.op == "=":
            return self.amount
        if math.isnan(value):
            if self.op in ("*=", "/="):
                raise ScenarioError(
                    f"{self.entity}.{self.indicator} has no value to scale",
                    key=f"{self.entity}.{self.indicator}",
                    hint="use = or += to give it one",
                )
            value = 0.0
        if self.op == "+=":
            return value + self.amount
        if self.op == "-=":
            return value - self.amount
        if self.op == "*=":
            return value * self.amount
        return value / self.amount


@dataclass(frozen=True, slots=True)
class ScenarioRow:
    """An entity's score and rank in the scenario beside the baseline's (rank 0: not ranked)."""

    entity: str
    score: float
    rank: int
    base_score: float
    base_rank: int
    low_rank: float | None = None  # the scenario's rank interval (Monte Carlo), if computed
    high_rank: float | None = None

    @property
    def delta_score(self) -> float:
        """Scenario score minus baseline score (NaN when either is not ranked)."""
        return self.score - self.base_score

    @property
    def delta_rank(self) -> int:
        """Places gained: positive when the entity moved up; 0 when either is not ranked."""
        if self.rank == 0 or self.base_rank == 0:
            return 0
        return self.base_rank - self.rank


def parse_change(text: str) -> Change:
    """Read a change written ``ENTITY.INDICATOR OP AMOUNT`` (spaces optional).

    Args:
        text: e.g. ``"KR.gpu_count += 10000"``, ``"VN.ai_talent*=2"``, ``"JP.ai_papers = 1e4"``.

    Returns:
        The change.

    Raises:
        ScenarioError: no operator, no ``ENTITY.INDICATOR`` before it, an amount that is not a
            plain number, or a division by zero; the message says which.
    """
    match = _OPERATOR.search(text)
    if match is None:
        raise ScenarioError(f"no operator in {text!r}", key=text, hint=_FORM)
    target, amount = text[: match.start()], text[match.end() :]
    named = _TARGET.match(target)
    if named is None:
        raise ScenarioError(
            f"expected ENTITY.INDICATOR before {match.group()!r}, got {target.strip()!r}",
            key=text,
            hint=_FORM,
        )
    if not _AMOUNT.match(amount):
        raise ScenarioError(
            f"amount {amount.strip()!r} is not a plain number", key=text, hint=_FORM
        )
    change = Change(named.group(1), named.group(2), match.group(), float(amount))
    if change.op == "/=" and change.amount == 0:
        raise ScenarioError(f"division by zero in {text!r}", key=text, hint=_FORM)
    return change


def apply_changes(table: IndicatorTable, changes: Sequence[Change]) -> IndicatorTable:
    """Return a copy of ``table`` with the changes applied in order.

    Raises:
        ScenarioError: an unknown entity or indicator (named in the message), or scaling a
            missing value.
    """
    for change in changes:
        entity = _known(change.entity, table.entities, "entity")
        indicator = _known(change.indicator, table.indicators, "indicator")
        current = float(table.values[table.row(entity), table.column(indicator)])
        table = table.with_value(entity, indicator, change.apply(current))
    return table


def run_scenario(
    table: IndicatorTable,
    methodology: Methodology,
    changes: Sequence[Change],
    *,
    replications: int | None = None,
) -> list[ScenarioRow]:
    """Rank with and without the changes; with ``replications``, the scenario's rank
    intervals too (the Monte Carlo of the methodology on the changed table).

    Args:
        table: the baseline table.
        methodology: the methodology of both rankings.
        changes: what-if changes.
        replications: Monte Carlo replications for the intervals (None: no intervals).

    Returns:
        A row for every entity ranked in either ranking, by scenario rank (unranked last).

    Raises:
        ScenarioError: a change naming an unknown entity or indicator, or one on an indicator
            too few entities report to be in the index (``min_reporting``): it could not move
            any rank, and a ranking that pretended otherwise would mislead.
    """
    from airace.index.uncertainty import simulate

    base = compute_index(table, methodology)
    changed_table = apply_changes(table, changes)
    changed = compute_index(changed_table, methodology)
    for change in changes:
        _check_in_use(change, changed, methodology)
    spread = (
        simulate(changed_table, methodology, replications=replications, sensitivity=False)
        if replications
        else None
    )
    low = spread.low_rank if spread is not None else None
    high = spread.high_rank if spread is not None else None
    rows = [
        ScenarioRow(
            entity=entity,
            score=float(changed.index[position]),
            rank=int(changed.rank[position]),
            base_score=float(base.index[position]),
            base_rank=int(base.rank[position]),
            low_rank=_finite(low, position),
            high_rank=_finite(high, position),
        )
        for position, entity in enumerate(table.entities)
        if changed.rank[position] > 0 or base.rank[position] > 0
    ]
    return sorted(rows, key=lambda row: (row.rank == 0, row.rank, row.base_rank, row.entity))


def _finite(values: npt.NDArray[np.float64] | None, position: int) -> float | None:
    if values is None or math.isnan(values[position]):
        return None
    return float(values[position])


def _check_in_use(change: Change, result: IndexResult, methodology: Methodology) -> None:
    """Refuse a change on an indicator the index does not use after the change."""
    columns = [
        number
        for number, spec in enumerate(methodology.indicators)
        if spec.source.casefold() == change.indicator.casefold()
    ]
    if not columns:
        raise ScenarioError(
            f"{change.indicator} is not an indicator of the methodology",
            key=change.indicator,
            hint=f"its indicators: {', '.join(methodology.source_ids)}",
        )
    if not any(result.used[number] for number in columns):
        reporting = int(max(result.reporting[number] for number in columns))
        raise ScenarioError(
            f"{change.indicator} is reported by {reporting} "
            f"{'country' if reporting == 1 else 'countries'}, fewer than the "
            f"{methodology.min_reporting} the index needs to use it: no change to it can "
            "move a rank",
            key=change.indicator,
            hint="change an indicator the index uses (airace rank lists those it leaves out)",
        )


def _known(name: str, known: Sequence[str], kind: str) -> str:
    """Return ``name`` as the table spells it (case-insensitively), or refuse it."""
    if name in known:
        return name
    folded = [candidate for candidate in known if candidate.casefold() == name.casefold()]
    if len(folded) == 1:
        return folded[0]
    shown = ", ".join(sorted(known)[:20]) + (", ..." if len(known) > 20 else "")
    raise ScenarioError(f"unknown {kind} {name!r}", key=name, hint=f"known: {shown}")
