"""Imputation of missing normalised values (OECD/JRC step 4, done on the common scale).

- ``none``: leave them missing; aggregation then averages over what is present.
- ``pillar_mean``: the entity's own mean over the indicators it has in the same pillar (a
  country strong in two research indicators is assumed as strong in the third).
- ``group_mean``: the mean of the entity's peer group (region) for that indicator, or of every
  entity when nobody in the group has it.

With ``cap`` (the methodology's ``cap_imputed``, on by default) an imputed value never exceeds
the lowest value reported in its column: a country that reports a small figure must not score
below one that reports nothing (a missing figure is more likely small than large, since large
figures get reported).

A cell stays missing when there is nothing to impute from (no indicator of that pillar, nobody
with that indicator). Functions take ``(E, I)`` or a batch ``(..., E, I)`` whose items share one
pattern of missing cells (the engine's case: draws change values, not which ones exist).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from airace.index.methodology import IMPUTATIONS

Array = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]

__all__ = ["IMPUTATIONS", "column_floor", "impute", "membership"]


def impute(
    normalised: Array,
    method: str,
    pillar_of_indicator: Sequence[str] | npt.NDArray[np.int_],
    groups: Sequence[str] | npt.NDArray[np.int_] | None = None,
    *,
    present: Mask | None = None,
    cap: bool = False,
) -> tuple[Array, Mask]:
    """Fill missing normalised values by ``method``.

    Args:
        normalised: ``(..., E, I)`` normalised values, NaN where missing.
        method: ``none``, ``pillar_mean`` or ``group_mean``.
        pillar_of_indicator: ``(I,)`` the pillar of each column (ids or codes).
        groups: ``(E,)`` the peer group of each entity (ids or codes); None puts everyone in one.
        present: ``(E, I)`` cells with an observation, when the caller knows them already;
            None reads them from the NaNs of the first batch item.
        cap: hold every imputed value at or below the lowest present value of its column.

    Returns:
        The filled values (the input itself for ``none``) and the ``(E, I)`` mask of cells
        that were imputed.

    Raises:
        ValueError: an unknown method.
    """
    values = np.asarray(normalised, dtype=np.float64)
    if present is None:
        present = ~np.isnan(values[(0,) * (values.ndim - 2)])
    if method == "none":
        return values, np.zeros(present.shape, dtype=bool)
    if method == "pillar_mean":
        by_pillar = membership(pillar_of_indicator)
        codes = np.argmax(by_pillar, axis=1)
        counts = present.astype(np.float64) @ by_pillar  # (E, P)
        sums = np.where(present, values, 0.0) @ by_pillar  # (..., E, P)
        with np.errstate(divide="ignore", invalid="ignore"):
            means = sums / counts
        imputed = ~present & (counts[:, codes] > 0)
        rows, columns = np.nonzero(imputed)
        filled = values.copy()
        filled[..., rows, columns] = means[..., rows, codes[columns]]
        return _capped(filled, present, rows, columns, cap), imputed
    if method == "group_mean":
        entities = present.shape[0]
        by_group = membership(groups if groups is not None else np.zeros(entities, np.int_))
        codes = np.argmax(by_group, axis=1)
        zeroed = np.where(present, values, 0.0)
        counts = by_group.T @ present.astype(np.float64)  # (G, I)
        sums = np.matmul(by_group.T, zeroed)  # (..., G, I)
        total = present.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            overall = zeroed.sum(axis=-2, keepdims=True) / total
            means = np.where(counts > 0, sums / counts, overall)
        imputed = ~present & (total > 0)
        rows, columns = np.nonzero(imputed)
        filled = values.copy()
        filled[..., rows, columns] = means[..., codes[rows], columns]
        return _capped(filled, present, rows, columns, cap), imputed
    raise ValueError(f"unknown imputation {method!r}; choose one of {', '.join(IMPUTATIONS)}")


def column_floor(values: Array, present: Mask) -> Array:
    """Return ``(..., I)`` the lowest present value of each column (inf where none is)."""
    return np.asarray(np.where(present, values, np.inf).min(axis=-2), dtype=np.float64)


def _capped(
    filled: Array,
    present: Mask,
    rows: npt.NDArray[np.intp],
    columns: npt.NDArray[np.intp],
    cap: bool,
) -> Array:
    """Hold the imputed cells ``(rows, columns)`` at or below their column's lowest value."""
    if cap and len(rows):
        floor = column_floor(filled, present)
        filled[..., rows, columns] = np.minimum(filled[..., rows, columns], floor[..., columns])
    return filled


def membership(labels: Sequence[str] | npt.NDArray[np.int_]) -> Array:
    """Return the one-hot ``(N, K)`` matrix of ``N`` labels over their ``K`` distinct values,
    columns in order of first appearance."""
    seen: dict[object, int] = {}
    codes = [seen.setdefault(label, len(seen)) for label in np.asarray(labels).tolist()]
    matrix = np.zeros((len(codes), max(len(seen), 1)))
    matrix[np.arange(len(codes)), codes] = 1.0
    return matrix
