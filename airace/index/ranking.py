"""Ranks from scores: competition ranking ("1224"), vectorised over a batch of replications."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
Ranks = npt.NDArray[np.int32]

_DECIMALS = 9


def competition_ranks(scores: Array) -> Ranks:
    """Rank scores along the last axis, 1 = highest; ties share the best rank of their group.

    Scores are compared at nine decimals, so that sums which are equal on paper but differ in
    the last bits of floating point (300 / 3 against 100) tie instead of splitting.

    Args:
        scores: ``(..., E)`` scores, NaN for entities that are not ranked.

    Returns:
        ``(..., E)`` int32 ranks, 0 where the score is NaN.
    """
    scores = np.asarray(scores, dtype=np.float64)
    missing = np.isnan(scores)
    keys = np.where(
        missing, np.inf, -np.round(scores, _DECIMALS)
    )  # ascending keys = descending scores, NaN last
    order = np.argsort(keys, axis=-1)  # the order within a tie does not change its rank
    ordered = np.take_along_axis(keys, order, axis=-1)
    positions = np.arange(scores.shape[-1], dtype=np.int32)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    first = np.maximum.accumulate(np.where(starts, positions, 0), axis=-1)
    ranks = np.empty(scores.shape, dtype=np.int32)
    np.put_along_axis(ranks, order, (first + 1).astype(np.int32), axis=-1)
    ranks[missing] = 0
    return ranks
