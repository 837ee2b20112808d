"""Normalisation: bring every indicator to a common scale, column by column (OECD/JRC step 5).

Values arrive oriented (higher is better everywhere, see ``transform.orient``), so each method
is non-decreasing in its input and a better value never scores lower. Methods:

- ``minmax``: ``100 * (x - min) / (max - min)``, 0..100. A constant column (one value, or all
  equal) scores 100 for every present value: nobody is behind the leader.
- ``zscore``: ``(x - mean) / std`` with the population standard deviation (ddof 0); a constant
  column scores 0.
- ``rank``: percentile rank 0..100, ``(r - 1) / (n - 1) * 100`` with ties sharing their average
  rank ``r``; a single value scores 100 (all values tied score 50).
- ``leader``: distance to the leader. A column without negative values scores ``100 * x / max``
  (the leader 100, zero 0). A column with negative values (lower-is-better columns after
  negation) has no natural zero, so it scores ``100 - 100 * (max - x) / (max - min)``, which is
  min-max. A constant column scores 100.

Functions take ``(E, I)`` or a batch ``(..., E, I)`` and work along the entity axis (-2); NaN
(no observation) stays NaN and is left out of every statistic.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from airace.index.methodology import NORMALISATIONS

Array = npt.NDArray[np.float64]

__all__ = ["NORMALISATIONS", "affine_coefficients", "normalise"]


def normalise(values: Array, method: str) -> Array:
    """Normalise each column of ``values`` by ``method``.

    Args:
        values: oriented values ``(..., E, I)``, NaN where missing.
        method: ``minmax``, ``zscore``, ``rank`` or ``leader``.

    Returns:
        A new array of the same shape.

    Raises:
        ValueError: an unknown method.
    """
    values = np.asarray(values, dtype=np.float64)
    if method not in NORMALISATIONS:
        raise ValueError(
            f"unknown normalisation {method!r}; choose one of {', '.join(NORMALISATIONS)}"
        )
    if values.shape[-2] == 0:  # nobody to rank (a year before any figure)
        return values.copy()
    if method == "rank":
        return _percentile_ranks(values)
    low = np.fmin.reduce(values, axis=-2, keepdims=True)
    high = np.fmax.reduce(values, axis=-2, keepdims=True)
    mean = std = None
    if method == "zscore":
        present = ~np.isnan(values)
        count = present.sum(axis=-2, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = np.where(present, values, 0.0).sum(axis=-2, keepdims=True) / count
            deviation = np.where(present, values - mean, 0.0)
            std = np.sqrt((deviation * deviation).sum(axis=-2, keepdims=True) / count)
    scale, offset = affine_coefficients(method, low, high, mean, std)
    result = values * scale
    result += offset
    return result


def affine_coefficients(
    method: str, low: Array, high: Array, mean: Array | None = None, std: Array | None = None
) -> tuple[Array, Array]:
    """Return ``(scale, offset)`` with ``normalised = value * scale + offset`` per column.

    Args:
        method: ``minmax``, ``zscore`` or ``leader`` (the methods that are affine per column).
        low: the column minima over present values (+inf or NaN for an empty column).
        high: the column maxima.
        mean: the column means (``zscore`` only).
        std: the column population standard deviations (``zscore`` only).
    """
    constant = high == low  # False for empty columns
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if method == "zscore":
            if mean is None or std is None:
                raise ValueError("zscore needs the column means and standard deviations")
            scale = np.where(constant, 0.0, 1.0 / std)
            offset = np.where(constant, 0.0, -mean * scale)
        else:
            ratio = (low >= 0) & ~constant if method == "leader" else np.zeros_like(constant)
            spread = np.where(ratio, high, high - low)
            scale = np.where(constant, 0.0, 100.0 / spread)
            offset = np.where(constant, 100.0, np.where(ratio, 0.0, -low * scale))
    return scale, offset


def _percentile_ranks(values: Array) -> Array:
    """Return percentile ranks 0..100 along axis -2, ties at their average rank."""
    moved = np.moveaxis(values, -2, -1)
    missing = np.isnan(moved)
    order = np.argsort(moved, axis=-1, kind="stable")  # NaN last
    ordered = np.take_along_axis(moved, order, axis=-1)
    size = moved.shape[-1]
    positions = np.arange(size)
    changed = ordered[..., 1:] != ordered[..., :-1]
    edge = np.ones((*moved.shape[:-1], 1), dtype=bool)
    starts = np.concatenate([edge, changed], axis=-1)
    ends = np.concatenate([changed, edge], axis=-1)
    first = np.maximum.accumulate(np.where(starts, positions, 0), axis=-1)
    last = np.flip(
        np.minimum.accumulate(np.flip(np.where(ends, positions, size), axis=-1), axis=-1), axis=-1
    )
    count = (~missing).sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(count > 1, (first + last) * (50.0 / (count - 1)), 100.0)
    ranks = np.empty_like(moved)
    np.put_along_axis(ranks, order, scores, axis=-1)
    ranks[missing] = np.nan
    return np.moveaxis(ranks, -1, -2)
