"""The maturity matrix: each ranked entity placed by two composite axes into four archetypes.

The x axis (capacity in the default methodology) is the weighted mean of some pillar scores,
the y axis (activity) of others, with the index's pillar weights renormalised over the pillars
the entity has. An axis is high from its threshold up; thresholds are on the normalisation's
scale (0..100 for the default min-max). An entity with no score in any pillar of an axis gets NaN
there and counts as low on it.
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
    archetypes = {(archetype.x, archetype.y): archetype.id for archetype in spec.archetypes}
    points = []
    for position in result.order():
        x_level = "high" if x[position] >= spec.x_threshold else "low"
        y_level = "high" if y[position] >= spec.y_threshold else "low"
        points.append(
            MatrixPoint(
                entity=result.entities[position],
                x=float(x[position]),
                y=float(y[position]),
                archetype=archetypes[(x_level, y_level)],
            )
        )
    return points


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
