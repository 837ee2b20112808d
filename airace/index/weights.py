"""Weights of indicators within their pillar and of pillars within the index (OECD/JRC step 6).

- ``equal``: every indicator counts the same within its pillar, every pillar the same.
- ``custom``: the weights of the methodology file, at both levels.
- ``pca``: within each pillar, weights proportional to the squared loadings of the first
  principal component of the pillar's normalised indicators (missing values filled with the
  column mean, columns standardised, so PCA runs on the correlation matrix and does not depend
  on the normalisation's scale). A single-indicator pillar weighs 1; a column with no variance
  weighs 0; when the first component is not identified (its eigenvalue ties the second, e.g.
  uncorrelated indicators) the pillar falls back to equal weights. Pillar weights come from the
  file, as with ``custom``.

Weights sum to 1 within each pillar and across pillars.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from airace.index.methodology import WEIGHTINGS, IndicatorSpec, PillarSpec

Array = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]

__all__ = ["WEIGHTINGS", "indicator_weights", "pillar_weights"]

# Relative gap under which the first two eigenvalues count as tied (PC1 not identified).
_TIED_EIGENVALUES = 1e-9


def pillar_weights(pillars: Sequence[PillarSpec], scheme: str) -> Array:
    """Return the ``(P,)`` pillar weights of ``scheme``, summing to 1.

    Raises:
        ValueError: an unknown scheme.
    """
    _check(scheme)
    if scheme == "equal":
        raw = np.ones(len(pillars))
    else:
        raw = np.array([pillar.weight for pillar in pillars], dtype=np.float64)
    return np.asarray(raw / raw.sum(), dtype=np.float64)


def indicator_weights(
    specs: Sequence[IndicatorSpec], scheme: str, normalised: Array | None = None
) -> Array:
    """Return each indicator's weight within its pillar, summing to 1 per pillar.

    Args:
        specs: one spec per column (their ``pillar`` and ``weight``).
        scheme: ``equal``, ``custom`` or ``pca``.
        normalised: ``(..., E, I)`` normalised (and imputed) values; needed by ``pca`` only.

    Returns:
        ``(I,)`` weights, or ``(..., I)`` for ``pca`` over a batch.

    Raises:
        ValueError: an unknown scheme, or ``pca`` without values.
    """
    _check(scheme)
    pillars = [spec.pillar for spec in specs]
    if scheme == "pca":
        if normalised is None:
            raise ValueError("pca weights need the normalised values")
        return _pca_weights(np.asarray(normalised, dtype=np.float64), pillars)
    raw = np.array([1.0 if scheme == "equal" else spec.weight for spec in specs], dtype=np.float64)
    return _per_pillar(raw, pillars)


def _per_pillar(raw: Array, pillars: Sequence[str]) -> Array:
    """Scale weights ``(..., I)`` so that each pillar's sum to 1."""
    result = np.array(raw, dtype=np.float64)
    for pillar in dict.fromkeys(pillars):
        columns = [number for number, name in enumerate(pillars) if name == pillar]
        total = result[..., columns].sum(axis=-1, keepdims=True)
        result[..., columns] = result[..., columns] / total
    return result


def _pca_weights(values: Array, pillars: Sequence[str]) -> Array:
    """Return squared first-component loadings per pillar, ``(..., I)``."""
    weights = np.ones(values.shape[:-2] + values.shape[-1:])
    for pillar in dict.fromkeys(pillars):
        columns = [number for number, name in enumerate(pillars) if name == pillar]
        if len(columns) > 1:
            weights[..., columns] = _first_component(values[..., columns])
    return _per_pillar(weights, pillars)


def _first_component(block: Array) -> Array:
    """Return the squared loadings of the first principal component of ``(..., E, k)``."""
    present = ~np.isnan(block)
    count = present.sum(axis=-2, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(present, block, 0.0).sum(axis=-2, keepdims=True) / count
        centred = np.where(present, block - mean, 0.0)  # mean-filled, then centred
        std = np.sqrt((centred * centred).mean(axis=-2, keepdims=True))
        varies = (count > 0) & (std > 0)
        standard = np.where(varies, centred / np.where(varies, std, 1.0), 0.0)
    correlation = np.swapaxes(standard, -1, -2) @ standard / max(block.shape[-2], 1)
    eigenvalues, eigenvectors = np.linalg.eigh(correlation)
    loadings = eigenvectors[..., :, -1] ** 2
    top, second = eigenvalues[..., -1:], eigenvalues[..., -2:-1]
    identified = (top - second) > _TIED_EIGENVALUES * np.maximum(top, 1e-300)
    fallback = varies[..., 0, :].astype(np.float64)
    fallback = np.where(fallback.sum(axis=-1, keepdims=True) > 0, fallback, 1.0)
    return np.asarray(np.where(identified, loadings, fallback), dtype=np.float64)


def _check(scheme: str) -> None:
    """Refuse an unknown weighting scheme."""
    if scheme not in WEIGHTINGS:
        raise ValueError(f"unknown weights {scheme!r}; choose one of {', '.join(WEIGHTINGS)}")
