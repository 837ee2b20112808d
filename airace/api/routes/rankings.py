"""Rankings, the maturity matrix and explanations, with methodology parameters in the query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from airace.api.deps import CacheDep, StoreDep, cached_json
from airace.api.schemas import plain
from airace.index import Methodology
from airace.service import rankings as service

router = APIRouter(tags=["rankings"])


@dataclass(frozen=True, slots=True)
class MethodChoices:
    """The methodology parameters a request may set; the rest come from the default file."""

    per_capita: bool
    weights: str | None
    normalisation: str | None
    imputation: str | None
    aggregation: str | None

    def key(self) -> tuple[Any, ...]:
        return (
            self.per_capita,
            self.weights,
            self.normalisation,
            self.imputation,
            self.aggregation,
        )

    def methodology(self) -> Methodology:
        chosen = service.resolve_methodology(per_capita=self.per_capita, weights=self.weights)
        overrides = {
            name: value
            for name, value in (
                ("normalisation", self.normalisation),
                ("imputation", self.imputation),
                ("aggregation", self.aggregation),
            )
            if value is not None
        }
        return chosen.replace(**overrides) if overrides else chosen


def method_choices(
    per_capita: Annotated[
        bool, Query(description="Divide counts and money by population.")
    ] = False,
    weights: Annotated[
        str | None,
        Query(max_length=500, description="Pillar weights, e.g. infrastructure=2,talent=1."),
    ] = None,
    normalisation: Annotated[str | None, Query(pattern="^(minmax|zscore|rank|leader)$")] = None,
    imputation: Annotated[str | None, Query(pattern="^(none|pillar_mean|group_mean)$")] = None,
    aggregation: Annotated[str | None, Query(pattern="^(arithmetic|geometric)$")] = None,
) -> MethodChoices:
    return MethodChoices(per_capita, weights, normalisation, imputation, aggregation)


Choices = Annotated[MethodChoices, Depends(method_choices)]
Year = Annotated[
    int | None, Query(ge=1990, le=2100, description="Rank with the figures up to this year.")
]


@router.get("/api/rankings", summary="Countries ranked by the composite index")
def rankings(
    store: StoreDep,
    cache: CacheDep,
    choices: Choices,
    uncertainty: Annotated[bool, Query(description="Monte Carlo rank intervals.")] = True,
    replications: Annotated[int | None, Query(ge=10, le=10_000)] = None,
    seed: Annotated[int | None, Query(ge=0, le=2**32 - 1)] = None,
    year: Year = None,
) -> Response:
    methodology = choices.methodology()  # before the cache: bad parameters fail at once

    def compute() -> Any:
        from airace.service.observations import load_observations

        observations = cache.get(store, ("observations",), lambda: load_observations(store))
        return service.rank_countries(
            store,
            methodology,
            uncertainty=uncertainty,
            replications=replications,
            seed=seed,
            year=year,
            observations=observations,
        )

    key = ("rankings", *choices.key(), uncertainty, replications, seed, year)
    return cached_json(cache, store, key, compute)


@router.get("/api/matrix", summary="Each country's place in the maturity matrix")
def matrix(store: StoreDep, cache: CacheDep, choices: Choices) -> dict[str, Any]:
    methodology = choices.methodology()
    spec = methodology.matrix

    def compute() -> Any:
        return plain(service.country_matrix(store, methodology))

    rows = cache.get(store, ("matrix", *choices.key()), compute)
    return {
        "x": {
            "label": spec.x_label,
            "pillars": list(spec.x_pillars),
        },
        "y": {
            "label": spec.y_label,
            "pillars": list(spec.y_pillars),
        },
        "archetypes": plain(spec.archetypes),
        "items": rows,
    }


@router.get("/api/explain/{entity}", summary="How a country's score is made, from quotes to rank")
def explain(store: StoreDep, cache: CacheDep, choices: Choices, entity: str) -> Response:
    methodology = choices.methodology()
    from airace.service.observations import find_entity

    wanted = find_entity(entity).id

    def compute() -> Any:
        return service.explain_entity(store, wanted, methodology)

    return cached_json(cache, store, ("explain", wanted, *choices.key()), compute)


@router.get("/api/history/{entity}", summary="A country's rank and pillar scores year by year")
def history(
    store: StoreDep,
    cache: CacheDep,
    choices: Choices,
    entity: str,
    first: Annotated[int | None, Query(alias="from", ge=1990, le=2100)] = None,
    last: Annotated[int | None, Query(alias="to", ge=1990, le=2100)] = None,
) -> Response:
    methodology = choices.methodology()
    from airace.service.observations import find_entity

    wanted = find_entity(entity).id

    def compute() -> Any:
        return service.country_history(store, wanted, methodology, first=first, last=last)

    return cached_json(cache, store, ("history", wanted, first, last, *choices.key()), compute)


@router.get(
    "/api/compare", summary="The ranking against published indices, beside a wealth baseline"
)
def compare(
    store: StoreDep,
    cache: CacheDep,
    choices: Choices,
    reference: Annotated[
        list[str] | None, Query(max_length=10, description="Reference index ids (default: all).")
    ] = None,
    year: Year = None,
) -> Response:
    methodology = choices.methodology()
    from airace.service.compare import compare_rankings

    def compute() -> Any:
        return compare_rankings(store, methodology, references=reference, year=year)

    key = ("compare", tuple(reference or ()), year, *choices.key())
    return cached_json(cache, store, key, compute)


@router.get("/api/factcheck", summary="Claimed ranks and scores on published indices, checked")
def factcheck(store: StoreDep, cache: CacheDep) -> Response:
    from airace.service.factcheck import factcheck_store

    def compute() -> Any:
        return [check for check in factcheck_store(store) if check.index is not None]

    return cached_json(cache, store, ("factcheck",), compute)
