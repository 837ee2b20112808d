"""Aggregation: indicators into pillar scores, pillar scores into the index (OECD/JRC step 7).

- ``arithmetic``: the weighted mean over the values present, weights renormalised over them (an
  entity missing an indicator is scored on the others, not given zero).
- ``geometric``: the weighted geometric mean over the values present, likewise renormalised. It
  punishes imbalance: a weak pillar cannot be fully made up by a strong one. It needs positive
  scores, so on the 0..100 scales (minmax, rank, leader) scores are clipped to at least 1; z-scores
  are first mapped to T-scores ``50 + 10 z``, clipped to at least 1 (z >= -4.9 is untouched), and
  the mean is mapped back to the z scale. A score of 0 thus counts as 1, not as a veto.

Functions take a batch ``(..., E, K)`` whose items share one pattern of missing values.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from airace.index.methodology import AGGREGATIONS

Array = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]

__all__ = ["AGGREGATIONS", "aggregate", "positive_scale"]

# Smallest score the geometric mean takes, on the positive scale.
_GEOMETRIC_FLOOR = 1.0


def positive_scale(normalisation: str) -> tuple[float, float]:
    """Return ``(offset, factor)`` that map a normalisation's scores to a positive scale."""
    return (50.0, 10.0) if normalisation == "zscore" else (0.0, 1.0)


def aggregate(
    scores: Array,
    weights: Array,
    method: str,
    *,
    members: Array | None = None,
    normalisation: str = "minmax",
    present: Mask | None = None,
) -> Array:
    """Aggregate scores by a weighted mean over the present values.

    Args:
        scores: ``(..., E, K)`` scores, NaN where missing.
        weights: ``(K,)`` weights, or ``(..., K)`` one set per batch item.
        method: ``arithmetic`` or ``geometric``.
        members: ``(K, G)`` 0/1 matrix putting each score in a group (indicators in pillars);
            None aggregates all ``K`` into one value.
        normalisation: the method that made the scores, which sets the geometric mean's shift.
        present: ``(E, K)`` cells with a value, when known; None reads the NaNs of the first
            batch item.

    Returns:
        ``(..., E, G)``, or ``(..., E)`` without ``members``; NaN where a group has no value.

    Raises:
        ValueError: an unknown method.
    """
    if method not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {method!r}; choose one of {', '.join(AGGREGATIONS)}")
    scores = np.asarray(scores, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    groups = np.ones((scores.shape[-1], 1)) if members is None else members
    if present is None:
        present = ~np.isnan(scores[(0,) * (scores.ndim - 2)])
    offset, factor = positive_scale(normalisation)
    geometric = method == "geometric"
    # Missing cells get a value that contributes exactly 0 after the (log) transform below.
    blank = (_GEOMETRIC_FLOOR - offset) / factor if geometric else 0.0
    values = np.where(present, scores, blank)
    if geometric:
        if factor != 1.0:
            values *= factor
        if offset != 0.0:
            values += offset
        np.maximum(values, _GEOMETRIC_FLOOR, out=values)
        np.log(values, out=values)
    mask = present.astype(np.float64)
    if weights.ndim == 1:
        total = values @ (weights[:, None] * groups)
        norm = mask @ (weights[:, None] * groups)
    elif members is None:  # one weight vector per batch item: a batched matrix-vector product
        total = np.matmul(values, weights[..., :, None])
        norm = np.matmul(mask, weights[..., :, None])
    else:
        stacked = weights[..., None, :]
        total = (values * stacked) @ groups
        norm = (mask * stacked) @ groups
    result = np.full(np.broadcast_shapes(total.shape, norm.shape), np.nan)
    np.divide(total, norm, out=result, where=norm > 0)
    if geometric:
        np.exp(result, out=result)
        result -= offset
        result /= factor
    return result if members is not None else result[..., 0]
