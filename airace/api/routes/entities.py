"""Entities, indicators, observations and conflicts: the reconciled numbers and their evidence."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from airace.api.deps import CacheDep, StoreDep
from airace.api.schemas import plain
from airace.model import Observation
from airace.service import observations as service
from airace.store.repository import Store

router = APIRouter(tags=["entities and observations"])


def all_observations(store: Store, cache: CacheDep) -> list[Observation]:
    """Every observation at the store's current data (reconciled once per data version)."""
    return cache.get(store, ("observations",), lambda: service.load_observations(store))


@router.get("/api/entities", summary="Entities with observations, countries first")
def list_entities(
    store: StoreDep,
    cache: CacheDep,
    kind: Annotated[str | None, Query(pattern="^(country|region|city|organisation)$")] = None,
) -> dict[str, Any]:
    summaries = service.summarise_entities(all_observations(store, cache))
    items = [s for s in summaries if kind is None or s.kind == kind]
    return {"items": plain(items), "total": len(items)}


@router.get("/api/entities/{key}", summary="An entity's observations with their evidence")
def get_entity(store: StoreDep, cache: CacheDep, key: str) -> dict[str, Any]:
    from airace.service.rankings import entity_name

    entity = service.find_entity(key)
    found = [o for o in all_observations(store, cache) if o.entity == entity.id]
    return {
        "entity": {**plain(entity), "name": entity_name(entity.id)},
        "observations": [plain(service.observation_record(o)) for o in found],
    }


@router.get("/api/indicators", summary="The indicators observations are grouped into")
def list_indicators() -> dict[str, Any]:
    from airace.reconcile.indicators import load_indicators

    return {"items": plain(list(load_indicators().values()))}


@router.get("/api/conflicts", summary="Observations whose figures disagree, widest spread first")
def list_conflicts(
    store: StoreDep,
    cache: CacheDep,
    entity: Annotated[str | None, Query(max_length=200)] = None,
    indicator: Annotated[str | None, Query(max_length=100)] = None,
) -> dict[str, Any]:
    wanted = service.find_entity(entity).id if entity is not None else None
    if indicator is not None:
        from airace.reconcile.indicators import load_indicators

        if indicator not in load_indicators():
            from airace.errors import AiraceError

            raise AiraceError(f"unknown indicator {indicator!r}", key="indicator")
    found = [
        o
        for o in service.conflicts_of(all_observations(store, cache))
        if (wanted is None or o.entity == wanted)
        and (indicator is None or o.indicator == indicator)
    ]
    return {"items": [plain(service.observation_record(o)) for o in found], "total": len(found)}
