"""Rankings from observations: the index, its uncertainty, the maturity matrix, scenarios, and
the explanation of every published score.

The indicator table is built from the reconciled observations of countries: for each country
and indicator, the observation of the latest period (a conflict carries its spread, which the
Monte Carlo draws from). Population, GDP and regional groups come from the reference data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from airace.model import UNDATED

if TYPE_CHECKING:
    from airace.index import IndexResult, IndicatorTable, Methodology, ScenarioRow
    from airace.model import Observation
    from airace.store.repository import Store


@dataclass(frozen=True, slots=True)
class RankedEntity:
    """One row of a ranking: score, pillar scores and, with uncertainty, the rank interval."""

    entity: str
    name: str
    rank: int
    score: float
    pillars: Mapping[str, float]
    coverage: float
    median_rank: float | None = None
    low_rank: float | None = None
    high_rank: float | None = None


@dataclass(frozen=True, slots=True)
class Ranking:
    """A ranking and what it was computed with, so it can be reproduced."""

    methodology: str
    version: str
    digest: str
    per_capita: bool
    pillars: tuple[str, ...]
    pillar_weights: Mapping[str, float]
    rows: tuple[RankedEntity, ...]
    unranked: tuple[str, ...]
    replications: int = 0
    seed: int | None = None
    sensitivity: Mapping[str, float] | None = None
    year: int | None = None
    unused: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """A country's place in the maturity matrix."""

    entity: str
    name: str
    x: float
    y: float
    archetype: str
    archetype_name: str
    rank: int


@dataclass(frozen=True, slots=True)
class IndicatorStep:
    """One indicator on the way to a score: the observation, what was compared, its score."""

    indicator: str
    observation: Observation | None
    raw: float | None
    normalised: float | None
    imputed: bool
    weight: float


@dataclass(frozen=True, slots=True)
class PillarStep:
    """One pillar's score, its weight and the indicators behind it."""

    pillar: str
    name: str
    score: float | None
    weight: float
    indicators: tuple[IndicatorStep, ...]


@dataclass(frozen=True, slots=True)
class Explanation:
    """The path from quotes to a country's rank."""

    entity: str
    name: str
    rank: int
    ranked: int
    score: float | None
    coverage: float
    pillars: tuple[PillarStep, ...]
    methodology: str
    digest: str


def entity_name(entity: str, lang: str = "en") -> str:
    """Return a display name: in ``lang`` where its lexicon names the entity (the first of
    its names), else the country's common English name for ISO codes, else the id."""
    if lang != "en":
        local = _local_names(lang).get(entity)
        if local:
            return local
    if len(entity) == 2 and entity.isupper():
        import pycountry

        country = pycountry.countries.get(alpha_2=entity)
        if country is not None:
            return str(getattr(country, "common_name", None) or country.name)
    return entity


@cache
def _local_names(lang: str) -> dict[str, str]:
    """Entity id -> its display name in the language's entity lexicon (none for unknown ones)."""
    from airace.extract.lexicon import languages, read_concern

    if lang not in languages():
        return {}
    names = read_concern(lang, "entities").get("names") or {}
    return {str(key): _proper(str(values[0])) for key, values in names.items() if values}


def _proper(name: str) -> str:
    """Drop the lowercase words a name starts with ("nước Đức" -> "Đức"): a table shows the
    proper name."""
    words = name.split()
    while len(words) > 1 and words[0][:1].islower():
        words.pop(0)
    return " ".join(words)


def resolve_methodology(
    methodology: str | Path | None = None,
    *,
    per_capita: bool = False,
    weights: str | None = None,
) -> Methodology:
    """Load a methodology (the default unless a file is given) with the CLI's overrides.

    Raises:
        MethodologyError: a malformed file or an unknown pillar in ``weights``.
    """
    from airace.index import load_methodology, parse_weights

    loaded = load_methodology(methodology)
    if per_capita:
        loaded = loaded.per_capita()
    if weights:
        loaded = loaded.with_weights(parse_weights(weights))
    return loaded


def indicator_table(
    observations: Sequence[Observation], methodology: Methodology, *, year: int | None = None
) -> tuple[IndicatorTable, dict[tuple[str, str], Observation]]:
    """Build the countries x indicators table from observations: for each country and
    indicator the latest period, or with ``year`` the latest period up to that year (the
    ranking as it could have been made then).

    The table's columns are the indicators the methodology reads (``spec.source``), so an
    indicator counted twice, absolutely and per person, is one column the engine reads twice.
    """
    import numpy as np

    from airace.extract.entities import load_entities
    from airace.index import IndicatorTable
    from airace.reconcile.reference import load_reference

    entities = load_entities()
    wanted = set(methodology.source_ids)
    last = str(year) if year is not None else None
    latest: dict[tuple[str, str], Observation] = {}
    for observation in observations:
        known = entities.get(observation.entity)
        if known is None or known.kind != "country" or observation.indicator not in wanted:
            continue
        if last is not None and (observation.period == UNDATED or observation.period[:4] > last):
            continue  # as of a year: only figures the text places in it or before
        key = (observation.entity, observation.indicator)
        if key not in latest or observation.period > latest[key].period:
            latest[key] = observation
    countries = tuple(sorted({entity for entity, _ in latest}))
    columns = methodology.source_ids
    values = np.full((len(countries), len(columns)), np.nan)
    low, high = values.copy(), values.copy()
    row = {entity: number for number, entity in enumerate(countries)}
    column = {indicator: number for number, indicator in enumerate(columns)}
    for (entity, indicator), observation in latest.items():
        at = (row[entity], column[indicator])
        values[at] = observation.value
        if observation.conflict and observation.low is not None and observation.high is not None:
            low[at], high[at] = observation.low, observation.high
    reference = load_reference()
    table = IndicatorTable(
        entities=countries,
        indicators=columns,
        values=values,
        low=low,
        high=high,
        groups=tuple(reference.groups.get(entity, "other") for entity in countries),
        population=np.array([reference.population.get(e, np.nan) for e in countries]),
        gdp=np.array([reference.gdp.get(e, np.nan) for e in countries]),
    )
    return table, latest


def _prepare(
    store: Store,
    methodology: Methodology,
    year: int | None = None,
    observations: Sequence[Observation] | None = None,
) -> tuple[IndicatorTable, dict[tuple[str, str], Observation]]:
    from airace.service.observations import load_observations

    if observations is None:
        observations = load_observations(store)
    return indicator_table(observations, methodology, year=year)


def rank_countries(
    store: Store,
    methodology: Methodology,
    *,
    uncertainty: bool = True,
    replications: int | None = None,
    seed: int | None = None,
    year: int | None = None,
    observations: Sequence[Observation] | None = None,
) -> Ranking:
    """Rank countries by the composite index, with Monte Carlo rank intervals if asked; with
    ``year``, from the figures known for that year and before. ``observations``: the store's
    reconciled observations when the caller holds them already (the API caches them, so a
    request with a new seed costs only the Monte Carlo)."""
    from airace.index import compute_index, simulate

    table, _ = _prepare(store, methodology, year, observations)
    result = compute_index(table, methodology)
    spread = (
        simulate(table, methodology, replications=replications, seed=seed)
        if uncertainty and table.entities
        else None
    )
    rows = []
    for position in result.order():
        entity = result.entities[position]
        rows.append(
            RankedEntity(
                entity=entity,
                name=entity_name(entity),
                rank=int(result.rank[position]),
                score=float(result.index[position]),
                pillars={
                    pillar: float(result.pillar_scores[position, number])
                    for number, pillar in enumerate(result.pillars)
                },
                coverage=float(result.coverage[position]),
                median_rank=float(spread.median_rank[position]) if spread else None,
                low_rank=float(spread.low_rank[position]) if spread else None,
                high_rank=float(spread.high_rank[position]) if spread else None,
            )
        )
    ranked = {row.entity for row in rows}
    return Ranking(
        methodology=methodology.name,
        version=methodology.version,
        digest=methodology.digest,
        per_capita=any(spec.denominator == "population" for spec in methodology.indicators),
        pillars=result.pillars,
        pillar_weights=dict(zip(result.pillars, map(float, result.pillar_weights), strict=True)),
        rows=tuple(rows),
        unranked=tuple(e for e in result.entities if e not in ranked),
        replications=spread.replications if spread else 0,
        seed=spread.seed if spread else None,
        sensitivity=dict(spread.sensitivity) if spread else None,
        year=year,
        unused=tuple(i for i, used in zip(result.indicators, result.used, strict=True) if not used),
    )


def country_matrix(
    store: Store, methodology: Methodology, *, year: int | None = None
) -> list[MatrixRow]:
    """Place every ranked country in the maturity matrix of the methodology."""
    from airace.index import compute_index, maturity_matrix

    table, _ = _prepare(store, methodology, year)
    result = compute_index(table, methodology)
    names = {archetype.id: archetype.name for archetype in methodology.matrix.archetypes}
    rank = dict(zip(result.entities, (int(r) for r in result.rank), strict=True))
    return sorted(
        (
            MatrixRow(
                point.entity,
                entity_name(point.entity),
                point.x,
                point.y,
                point.archetype,
                names.get(point.archetype, point.archetype),
                rank[point.entity],
            )
            for point in maturity_matrix(result)
        ),
        key=lambda row: row.rank,
    )


def run_scenarios(
    store: Store, methodology: Methodology, changes: Sequence[str], *, year: int | None = None
) -> list[ScenarioRow]:
    """Apply what-if changes ("KR.gpu_count += 10000") and rank again, with deltas.

    Raises:
        ScenarioError: a change that cannot be parsed or names an unknown entity or indicator.
    """
    from airace.index import parse_change, run_scenario

    parsed = [parse_change(text) for text in changes]
    table, _ = _prepare(store, methodology, year)
    return run_scenario(
        table, methodology, parsed, replications=methodology.uncertainty.replications
    )


def explain_entity(
    store: Store, entity: str, methodology: Methodology, *, year: int | None = None
) -> Explanation:
    """Show how a country's score is made: observations and their quotes, normalised values,
    pillar scores, index and rank.

    Raises:
        AiraceError: an unknown entity, or one with no observations.
    """
    from airace.errors import AiraceError
    from airace.index import compute_index
    from airace.service.observations import find_entity

    wanted = find_entity(entity).id
    table, latest = _prepare(store, methodology, year)
    if wanted not in table.entities:
        raise AiraceError(
            f"no observations for {wanted}",
            hint="`airace observations --entity` lists them; ingest articles that report on it",
        )
    result = compute_index(table, methodology)
    position = result.entities.index(wanted)
    return _explanation(result, position, latest, methodology)


def _explanation(
    result: IndexResult,
    position: int,
    latest: Mapping[tuple[str, str], Observation],
    methodology: Methodology,
) -> Explanation:
    import math

    entity = result.entities[position]
    column = {indicator: number for number, indicator in enumerate(result.indicators)}

    def number(value: float) -> float | None:
        return None if math.isnan(value) else float(value)

    pillars = []
    for pillar_number, pillar in enumerate(methodology.pillars):
        steps = []
        for indicator in pillar.indicators:
            at = column[indicator]
            source = methodology.indicators[at].source
            steps.append(
                IndicatorStep(
                    indicator=indicator,
                    observation=latest.get((entity, source)),
                    raw=number(result.raw[position, at]),
                    normalised=number(result.normalised[position, at]),
                    imputed=bool(result.imputed[position, at]),
                    weight=float(result.indicator_weights[at]),
                )
            )
        pillars.append(
            PillarStep(
                pillar=pillar.id,
                name=pillar.name,
                score=number(result.pillar_scores[position, pillar_number]),
                weight=float(result.pillar_weights[pillar_number]),
                indicators=tuple(steps),
            )
        )
    return Explanation(
        entity=entity,
        name=entity_name(entity),
        rank=int(result.rank[position]),
        ranked=int((result.rank > 0).sum()),
        score=number(result.index[position]),
        coverage=float(result.coverage[position]),
        pillars=tuple(pillars),
        methodology=methodology.name,
        digest=methodology.digest,
    )


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    """A country's place in the ranking as it stood in one year (rank 0: not ranked)."""

    year: int
    rank: int
    ranked: int
    score: float | None
    pillars: Mapping[str, float | None]
    coverage: float


@dataclass(frozen=True, slots=True)
class History:
    """A country's rank and pillar scores year by year, under one methodology."""

    entity: str
    name: str
    methodology: str
    digest: str
    pillars: tuple[str, ...]
    points: tuple[HistoryPoint, ...]


def country_history(
    store: Store,
    entity: str,
    methodology: Methodology,
    *,
    first: int | None = None,
    last: int | None = None,
) -> History:
    """Rank every year from ``first`` to ``last`` (default: the years the figures span) with
    the figures known then, and follow one country through them.

    Raises:
        AiraceError: an unknown entity, or one with no observations in any year.
    """
    import math

    from airace.errors import AiraceError
    from airace.index import compute_index
    from airace.service.observations import find_entity, load_observations

    wanted = find_entity(entity).id
    observations = load_observations(store)
    sources = set(methodology.source_ids)
    years = sorted(
        {
            int(o.period[:4])
            for o in observations
            if o.indicator in sources and o.period[:4].isdigit()
        }
    )
    if not years:
        raise AiraceError("no observations of the methodology's indicators in any year")
    start, end = first or years[0], last or years[-1]
    points = []
    for year in range(start, end + 1):
        table, _ = indicator_table(observations, methodology, year=year)
        if wanted not in table.entities:
            continue
        result = compute_index(table, methodology)
        at = result.entities.index(wanted)

        def number(value: float) -> float | None:
            return None if math.isnan(value) else float(value)

        points.append(
            HistoryPoint(
                year=year,
                rank=int(result.rank[at]),
                ranked=int((result.rank > 0).sum()),
                score=number(result.index[at]),
                pillars={
                    pillar: number(result.pillar_scores[at, column])
                    for column, pillar in enumerate(result.pillars)
                },
                coverage=float(result.coverage[at]),
            )
        )
    if not points:
        raise AiraceError(
            f"no observations for {wanted} between {start} and {end}",
            hint="`airace observations --entity` lists them",
        )
    return History(
        entity=wanted,
        name=entity_name(wanted),
        methodology=methodology.name,
        digest=methodology.digest,
        pillars=methodology.pillar_ids,
        points=tuple(points),
    )
