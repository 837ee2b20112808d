"""The maturity matrix: each ranked entity in a readiness tier, placed on two composite axes.

The tier comes from the index score: the first tier (highest threshold first) whose threshold
the score reaches, on the normalisation's scale (0..100 for the default min-max). BCG's AI
maturity matrix (2024) names readiness tiers, not quadrants of two independent axes, so the
tiers are ordered levels of one score. The axes only place each entity on the chart: x (capacity
in the default methodology) is the weighted mean of some pillar scores, y (activity) of others,
with the index's pillar weights renormalised over the pillars the entity has (NaN without any).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from airace.index.compute import IndexResult

Array = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class MatrixPoint:
    """An entity's place in the matrix and the id of its archetype."""

    entity: str
    x: float
    y: float
    archetype: str


def maturity_matrix(result: IndexResult) -> list[MatrixPoint]:
    """Place every ranked entity of ``result`` in the methodology's maturity matrix.

    Args:
        result: a computed index.

    Returns:
        One point per ranked entity, in the order of ``result.order()``.
    """
    spec = result.methodology.matrix
    x = _axis(result, spec.x_pillars)
    y = _axis(result, spec.y_pillars)
    return [
        MatrixPoint(
            entity=result.entities[position],
            x=float(x[position]),
            y=float(y[position]),
            archetype=spec.tier(float(result.index[position])).id,
        )
        for position in result.order()
    ]


def _axis(result: IndexResult, pillars: Sequence[str]) -> Array:
    """Return the weighted mean of the named pillars' scores per entity, NaN without any."""
    columns = [result.pillars.index(pillar) for pillar in pillars]
    scores = result.pillar_scores[:, columns]
    present = ~np.isnan(scores)
    weights = np.where(present, result.pillar_weights[columns], 0.0)
    total = weights.sum(axis=1)
    weighted = np.where(present, scores, 0.0) * weights
    result_axis = np.full(len(result.entities), np.nan)
    np.divide(weighted.sum(axis=1), total, out=result_axis, where=total > 0)
    return result_axis
