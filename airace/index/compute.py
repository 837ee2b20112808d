"""The index engine: an indicator table and a methodology in, scores and ranks out.

The steps, in the order of the OECD/JRC handbook: align the table's columns to the methodology's
indicators (an indicator ``of`` another reads that one's column); divide by denominators
(``raw``; a population below the methodology's ``population_floor`` counts as the floor, so a
micro-state's one data centre is not the world's densest compute); leave out indicators that
fewer than ``min_reporting`` entities report (a scale set by a handful of countries says nothing
about the rest); measure coverage, the share of the indicators in use that each entity reports,
and set aside entities below ``min_coverage`` (and those with nothing at all);
transform and orient (``transformed``); normalise and impute (``normalised``) over the entities
that will be ranked, so that an unranked entity's outlier cannot stretch everyone else's scale;
weight and aggregate indicators into pillar scores and pillar scores into the index; rank.

The Monte Carlo in ``uncertainty.py`` runs the same stage functions on batches of replications.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from airace.index.aggregate import aggregate
from airace.index.impute import impute, membership
from airace.index.methodology import IndicatorSpec, Methodology
from airace.index.normalise import normalise
from airace.index.ranking import competition_ranks
from airace.index.table import IndicatorTable
from airace.index.transform import apply_denominators, denominators, orient, transform
from airace.index.weights import indicator_weights, pillar_weights

Array = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.intp]


@dataclass(frozen=True, eq=False)
class IndexResult:
    """A computed index: every intermediate array, so that each score can be explained.

    Arrays are indexed like ``entities`` (rows), ``indicators`` and ``pillars`` (columns).
    Entities below the coverage threshold have NaN normalised values, pillar scores and index,
    and rank 0.
    """

    methodology: Methodology
    entities: tuple[str, ...]
    indicators: tuple[str, ...]
    pillars: tuple[str, ...]
    raw: Array
    transformed: Array
    normalised: Array
    imputed: Mask
    indicator_weights: Array
    pillar_weights: Array
    pillar_scores: Array
    index: Array
    rank: npt.NDArray[np.int32]
    coverage: Array
    reporting: npt.NDArray[np.int_]  # (I,) entities with a value of each indicator
    used: Mask  # (I,) indicators reported often enough to be scaled (``min_reporting``)

    def order(self) -> list[int]:
        """Return the positions of the ranked entities, best first (ties by entity id)."""
        ranked = [position for position in range(len(self.entities)) if self.rank[position] > 0]
        return sorted(ranked, key=lambda position: (self.rank[position], self.entities[position]))


@dataclass(frozen=True, eq=False)
class PreparedTable:
    """A table aligned to a methodology, up to the choices the Monte Carlo varies."""

    specs: tuple[IndicatorSpec, ...]
    raw: Array  # (E, I) after denominators
    low: Array  # (E, I) a conflict's lowest raw value before denominators, NaN if none
    high: Array
    divisor: Array  # (E, I) the denominator of each cell (1 without one)
    present: Mask
    coverage: Array
    reporting: npt.NDArray[np.int_]  # (I,) entities with a value, before ``min_reporting``
    used: Mask  # (I,) indicators kept by ``min_reporting``
    cap_imputed: bool  # imputed values at most the lowest reported one of their column
    eligible: Mask  # (E,) entities that will be ranked
    transformed: Array
    pillar_codes: Codes  # (I,) position of each indicator's pillar
    members: Array  # (I, P) one-hot pillar membership
    group_codes: Codes  # (E,)


@dataclass(frozen=True, eq=False)
class Scores:
    """What one set of method choices gives for the eligible entities (or a batch of them)."""

    normalised: Array
    imputed: Mask
    indicator_weights: Array
    pillar_scores: Array


def compute_index(table: IndicatorTable, methodology: Methodology) -> IndexResult:
    """Compute the composite index of every entity in ``table``.

    Args:
        table: raw values, entities x indicators.
        methodology: the indicators, pillars and method choices.

    Returns:
        Scores, ranks and every intermediate step.
    """
    prepared = prepare_table(table, methodology)
    rows = prepared.eligible
    scores, weights, index = baseline(prepared, methodology)
    entities = len(table.entities)
    return IndexResult(
        methodology=methodology,
        entities=table.entities,
        indicators=methodology.indicator_ids,
        pillars=methodology.pillar_ids,
        raw=prepared.raw,
        transformed=prepared.transformed,
        normalised=_expand(scores.normalised, rows, entities),
        imputed=_expand(scores.imputed.astype(np.float64), rows, entities) > 0,
        indicator_weights=scores.indicator_weights,
        pillar_weights=weights,
        pillar_scores=_expand(scores.pillar_scores, rows, entities),
        index=_expand(index, rows, entities),
        rank=competition_ranks(_expand(index, rows, entities)),
        coverage=prepared.coverage,
        reporting=prepared.reporting,
        used=prepared.used,
    )


def baseline(prepared: PreparedTable, methodology: Methodology) -> tuple[Scores, Array, Array]:
    """Score the eligible rows with the methodology's own choices: their pillar scores, the
    pillar weights and the index (NaN for a row with no pillar score)."""
    rows = prepared.eligible
    scores = score_pillars(
        prepared.transformed[rows],
        prepared,
        rows,
        normalisation=methodology.normalisation,
        imputation=methodology.imputation,
        aggregation=methodology.aggregation,
        weights=methodology.weights,
    )
    weights = pillar_weights(methodology.pillars, methodology.weights)
    index = combine_pillars(
        scores.pillar_scores, weights, methodology.aggregation, methodology.normalisation
    )
    return scores, weights, index


def prepare_table(table: IndicatorTable, methodology: Methodology) -> PreparedTable:
    """Align a table to the methodology: columns, denominators, coverage, transforms."""
    specs = methodology.indicators
    shape = (len(table.entities), len(specs))
    column = {indicator: number for number, indicator in enumerate(table.indicators)}
    taken = [column.get(spec.source, -1) for spec in specs]

    def aligned(source: Array | None) -> Array:
        result = np.full(shape, np.nan)
        if source is not None:
            for number, at in enumerate(taken):
                if at >= 0:
                    result[:, number] = source[:, at]
        result[~np.isfinite(result)] = np.nan
        return result

    population = _floored(table.population, methodology.population_floor)
    raw = apply_denominators(aligned(table.values), specs, population, table.gdp)
    reporting = (~np.isnan(raw)).sum(axis=0)
    used = reporting >= max(methodology.min_reporting, 1)
    raw[:, ~used] = np.nan
    present = ~np.isnan(raw)
    coverage = present[:, used].mean(axis=1) if used.any() else np.zeros(shape[0])
    eligible = (coverage >= methodology.min_coverage) & present.any(axis=1)
    pillar_codes = np.array(
        [methodology.pillar_ids.index(spec.pillar) for spec in specs], dtype=np.intp
    )
    members = np.zeros((len(specs), len(methodology.pillars)))
    members[np.arange(len(specs)), pillar_codes] = 1.0
    groups = table.groups if table.groups is not None else ("",) * shape[0]
    return PreparedTable(
        specs=specs,
        raw=raw,
        low=aligned(table.low),
        high=aligned(table.high),
        divisor=denominators(specs, population, table.gdp, shape[0]),
        present=present,
        coverage=coverage,
        reporting=reporting,
        used=used,
        cap_imputed=methodology.cap_imputed,
        eligible=eligible,
        transformed=orient(transform(raw, specs, rows=eligible), specs),
        pillar_codes=pillar_codes,
        members=members,
        group_codes=np.argmax(membership(groups), axis=1).astype(np.intp),
    )


def score_pillars(
    transformed: Array,
    prepared: PreparedTable,
    rows: Mask,
    *,
    normalisation: str,
    imputation: str,
    aggregation: str,
    weights: str,
) -> Scores:
    """Normalise, impute, weight and aggregate into pillar scores.

    Args:
        transformed: ``(..., R, I)`` transformed values of the rows ``rows`` selects.
        prepared: the aligned table.
        rows: ``(E,)`` the entities of ``transformed``.
        normalisation: normalisation method.
        imputation: imputation method.
        aggregation: aggregation method.
        weights: indicator weighting scheme.
    """
    present = prepared.present[rows]
    normalised = normalise(transformed, normalisation)
    filled, imputed = impute(
        normalised,
        imputation,
        prepared.pillar_codes,
        prepared.group_codes[rows],
        present=present,
        cap=prepared.cap_imputed,
    )
    within = indicator_weights(prepared.specs, weights, filled if weights == "pca" else None)
    pillar_scores = aggregate(
        filled,
        within,
        aggregation,
        members=prepared.members,
        normalisation=normalisation,
        present=present | imputed,
    )
    return Scores(filled, imputed, within, pillar_scores)


def combine_pillars(
    pillar_scores: Array, weights: Array, aggregation: str, normalisation: str
) -> Array:
    """Aggregate pillar scores ``(..., R, P)`` into the index ``(..., R)`` with pillar weights
    ``(P,)`` or ``(..., P)``, renormalised over the pillars each entity has."""
    return aggregate(
        pillar_scores,
        weights,
        aggregation,
        normalisation=normalisation,
        present=~np.isnan(pillar_scores),
    )


def _floored(population: Array | None, floor: float) -> Array | None:
    """Population with every known value raised to at least ``floor`` (unknown stays NaN)."""
    if population is None or floor <= 0:
        return population
    return np.where(population < floor, floor, population)


def _expand(values: Array, rows: Mask, entities: int) -> Array:
    """Place per-eligible-row values back among all entities, NaN elsewhere."""
    result = np.full((entities, *values.shape[1:]), np.nan)
    result[rows] = values
    return result
