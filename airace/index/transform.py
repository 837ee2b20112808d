"""Indicator transformations before normalisation: denominators, log and winsorising, direction.

Order (OECD/JRC handbook, steps 3-5): a value is first divided by its denominator (population
or GDP), then transformed (``log`` = log1p of the value clipped at 0, for counts and money that
span orders of magnitude; ``winsorise`` clips a column to two of its percentiles), then negated
when lower is better, so that every normalisation afterwards is increasing in "better".

All functions are column-wise over the entity axis (-2) and accept one table ``(E, I)`` or a
batch ``(B, E, I)``; NaN (no observation) stays NaN.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from airace.index.methodology import IndicatorSpec

Array = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]


def apply_denominators(
    values: Array,
    specs: Sequence[IndicatorSpec],
    population: Array | None,
    gdp: Array | None,
) -> Array:
    """Divide each indicator by its denominator, per entity.

    Args:
        values: raw values ``(..., E, I)``.
        specs: one spec per column.
        population: ``(E,)`` people per entity, or None when unknown.
        gdp: ``(E,)`` GDP in USD per entity, or None when unknown.

    Returns:
        A new array; NaN where the denominator is missing or not positive.
    """
    result = np.array(values, dtype=np.float64)
    for kind, by in (("population", population), ("gdp", gdp)):
        columns = [number for number, spec in enumerate(specs) if spec.denominator == kind]
        if not columns:
            continue
        divisor = _divisor(by, result.shape[-2])
        result[..., columns] = result[..., columns] / divisor[:, None]
    return result


def denominators(
    specs: Sequence[IndicatorSpec], population: Array | None, gdp: Array | None, entities: int
) -> Array:
    """Return the ``(E, I)`` divisor of every cell (1 for indicators without a denominator)."""
    result = np.ones((entities, len(specs)))
    for number, spec in enumerate(specs):
        if spec.denominator != "none":
            by = population if spec.denominator == "population" else gdp
            result[:, number] = _divisor(by, entities)
    return result


def transform(values: Array, specs: Sequence[IndicatorSpec], rows: Mask | None = None) -> Array:
    """Apply each indicator's transformation (none, log, winsorise).

    Args:
        values: values after denominators, ``(..., E, I)``.
        specs: one spec per column.
        rows: ``(E,)`` entities whose values set the winsorising percentiles (those that will be
            ranked); None uses every entity. The clip applies to all rows.

    Returns:
        A new array.
    """
    result = np.array(values, dtype=np.float64)
    logs = [number for number, spec in enumerate(specs) if spec.transform == "log"]
    if logs:
        result[..., logs] = np.log1p(np.clip(result[..., logs], 0, None))
    clipped = [number for number, spec in enumerate(specs) if spec.transform == "winsorise"]
    if clipped:
        block = result[..., clipped]
        basis = block if rows is None else block[..., rows, :]
        if basis.shape[-2] == 0:  # nobody sets the percentiles: nothing to clip
            return result
        ordered = np.sort(basis, axis=-2)  # NaN sorts last; one sort serves both ends
        count = np.sum(~np.isnan(basis), axis=-2, keepdims=True)
        ends = np.array([specs[number].winsor for number in clipped], dtype=np.float64)
        low = _sorted_percentiles(ordered, count, ends[:, 0])
        high = _sorted_percentiles(ordered, count, ends[:, 1])
        result[..., clipped] = np.clip(block, low, high)
    return result


def orient(values: Array, specs: Sequence[IndicatorSpec]) -> Array:
    """Negate the columns where lower is better, so that higher is better everywhere."""
    signs = np.array([float(spec.direction) for spec in specs])
    return np.asarray(values * signs, dtype=np.float64)


def column_percentiles(values: Array, q: float) -> Array:
    """Return the ``q``-th percentile of each column over the present values, ``(..., 1, I)``.

    Linear interpolation between order statistics, as ``np.nanpercentile``, but vectorised over
    a batch (``np.nanpercentile`` falls back to a Python loop when NaNs are present).
    """
    ordered = np.sort(values, axis=-2)  # NaN sorts last
    count = np.sum(~np.isnan(values), axis=-2, keepdims=True)
    return _sorted_percentiles(ordered, count, np.asarray(q, dtype=np.float64))


def _sorted_percentiles(
    ordered: Array, count: npt.NDArray[np.int_], q: npt.NDArray[np.float64]
) -> Array:
    """Return percentiles ``q`` (scalar or one per column) of columns sorted with NaN last,
    where ``count`` ``(..., 1, I)`` holds each column's number of present values."""
    position = q / 100.0 * np.maximum(count - 1, 0)
    below = np.floor(position).astype(np.intp)
    above = np.minimum(below + 1, np.maximum(count - 1, 0))
    low = np.take_along_axis(ordered, below, axis=-2)
    high = np.take_along_axis(ordered, above, axis=-2)
    result = low + (high - low) * (position - below)
    return np.where(count > 0, result, np.nan)


def _divisor(by: Array | None, entities: int) -> Array:
    """Return a per-entity divisor with NaN where it is unknown or not positive."""
    if by is None:
        return np.full(entities, np.nan)
    return np.where(by > 0, by, np.nan)
