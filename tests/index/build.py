"""Small methodologies and tables for the index engine's tests, built in code."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from airace.index import (
    Archetype,
    IndicatorSpec,
    IndicatorTable,
    MatrixSpec,
    Methodology,
    PillarSpec,
    UncertaintySpec,
)


def methodology(
    pillars: dict[str, Sequence[str]],
    *,
    specs: dict[str, IndicatorSpec] | None = None,
    pillar_weights: dict[str, float] | None = None,
    normalisation: str = "minmax",
    imputation: str = "none",
    weights: str = "equal",
    aggregation: str = "arithmetic",
    min_coverage: float = 0.0,
    replications: int = 200,
    vary_conflicts: bool = True,
) -> Methodology:
    """Return a methodology over ``pillars`` (id -> indicator ids); indicators default to
    higher-is-better without transform, and every alternative is drawn in the Monte Carlo."""
    specs = specs or {}
    indicators = tuple(
        specs.get(indicator, IndicatorSpec(id=indicator, pillar=pillar, direction=1))
        for pillar, members in pillars.items()
        for indicator in members
    )
    pillar_specs = tuple(
        PillarSpec(
            id=pillar,
            name=pillar.title(),
            weight=(pillar_weights or {}).get(pillar, 1.0),
            indicators=tuple(members),
        )
        for pillar, members in pillars.items()
    )
    first = tuple(pillars)[:1]
    return Methodology(
        name="test",
        version="1",
        description="",
        indicators=indicators,
        pillars=pillar_specs,
        imputation=imputation,
        normalisation=normalisation,
        weights=weights,
        aggregation=aggregation,
        min_coverage=min_coverage,
        uncertainty=UncertaintySpec(
            replications=replications,
            seed=11,
            interval=0.9,
            weight_concentration=20.0,
            normalisations=("minmax", "zscore", "rank", "leader"),
            imputations=("none", "pillar_mean", "group_mean"),
            aggregations=("arithmetic", "geometric"),
            vary_conflicts=vary_conflicts,
        ),
        matrix=MatrixSpec(
            x_label="capacity",
            x_pillars=first,
            y_label="activity",
            y_pillars=tuple(pillars)[1:] or first,
            archetypes=(
                Archetype("pioneers", "Pioneers", 75.0),
                Archetype("contenders", "Contenders", 50.0),
                Archetype("practitioners", "Practitioners", 25.0),
                Archetype("emergents", "Emergents", 0.0),
            ),
        ),
        digest="test",
    )


def table(
    rows: dict[str, Sequence[float]],
    indicators: Sequence[str],
    **extra: object,
) -> IndicatorTable:
    """Return a table from entity -> values (NaN for missing)."""
    return IndicatorTable(
        entities=tuple(rows),
        indicators=tuple(indicators),
        values=np.array([list(values) for values in rows.values()], dtype=np.float64),
        **extra,  # type: ignore[arg-type]
    )


def random_table(
    entities: int, m: Methodology, *, seed: int = 0, missing: float = 0.2, conflicting: float = 0.1
) -> IndicatorTable:
    """Return heavy-tailed random values with missing and conflicting cells, in two groups."""
    rng = np.random.default_rng(seed)
    shape = (entities, len(m.indicators))
    values = rng.lognormal(0.0, 1.0, size=shape) * 100
    values[rng.random(shape) < missing] = np.nan
    values[:, 0] = np.where(np.isnan(values[:, 0]), 1.0, values[:, 0])  # everyone has one
    spread = np.where(rng.random(shape) < conflicting, rng.uniform(0.1, 0.6, shape), np.nan)
    return IndicatorTable(
        entities=tuple(f"E{number:02d}" for number in range(entities)),
        indicators=m.indicator_ids,
        values=values,
        low=values * (1 - spread),
        high=values * (1 + spread),
        groups=tuple("north" if number % 3 else "south" for number in range(entities)),
        population=rng.lognormal(15, 1, size=entities),
        gdp=rng.lognormal(24, 1, size=entities),
    )
