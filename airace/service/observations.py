"""Read-side reconciliation: observations and conflicts, computed from what is stored.

Observations are derived, never stored: every call reconciles the stored claims (with their
latest reviews) and the curated reference data afresh, so a review or an ingest shows at once and
nothing can go stale or be half-written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from airace.errors import AiraceError

if TYPE_CHECKING:
    from airace.extract.entities import Entity
    from airace.model import Observation
    from airace.store.repository import Store


def find_entity(key: str) -> Entity:
    """Return the entity an id or a name in any supported language stands for.

    Raises:
        AiraceError: no entity has that id or name.
    """
    from airace.extract.entities import load_entities, resolve_entity
    from airace.extract.lexicon import languages

    entities = load_entities()
    wanted = key.strip()
    if wanted in entities:
        return entities[wanted]
    upper = wanted.upper()
    if upper in entities:
        return entities[upper]
    for lang in languages():
        found = resolve_entity(wanted, lang)
        if found is not None:
            return found
    raise AiraceError(
        f"unknown entity {key!r}", hint="give an ISO country code (KR), WORLD, EU or a company name"
    )


def load_observations(
    store: Store,
    *,
    entity: str | None = None,
    indicator: str | None = None,
    reference: bool = True,
) -> list[Observation]:
    """Reconcile stored claims (and, unless ``reference`` is False, the curated figures).

    Args:
        entity: only this entity's observations (an id or a name).
        indicator: only this indicator's.

    Raises:
        AiraceError: an unknown entity or indicator.
    """
    from airace.extract.entities import load_entities
    from airace.reconcile import reconcile_observations
    from airace.reconcile.indicators import load_indicators
    from airace.reconcile.reference import load_reference

    indicators = load_indicators()
    if indicator is not None and indicator not in indicators:
        raise AiraceError(
            f"unknown indicator {indicator!r}", hint=f"one of: {', '.join(sorted(indicators))}"
        )
    wanted = find_entity(entity).id if entity is not None else None
    metrics = [ind.metric for ind in indicators.values() if ind.metric is not None]
    observations = reconcile_observations(
        store.iter_claims(metrics=metrics),
        indicators,
        load_entities(),
        reviews=store.latest_reviews(),
        reference=load_reference().figures if reference else (),
    )
    return [
        o
        for o in observations
        if (wanted is None or o.entity == wanted)
        and (indicator is None or o.indicator == indicator)
    ]


def list_conflicts(
    store: Store, *, entity: str | None = None, indicator: str | None = None
) -> list[Observation]:
    """Return the observations whose figures disagree, widest relative spread first."""
    return conflicts_of(load_observations(store, entity=entity, indicator=indicator))


def conflicts_of(observations: Sequence[Observation]) -> list[Observation]:
    """Return the conflicting observations among ``observations``, widest spread first."""
    return sorted((o for o in observations if o.conflict), key=lambda o: -_relative_spread(o))


def _relative_spread(observation: Observation) -> float:
    low, high = observation.low or 0.0, observation.high or 0.0
    return (high - low) / abs(high) if high else 0.0


def observation_record(observation: Observation) -> dict[str, object]:
    """Render an observation and its evidence as plain JSON-ready data."""
    from dataclasses import asdict

    record = asdict(observation)
    for item, evidence in zip(record["evidence"], observation.evidence, strict=True):
        item["published"] = evidence.published.isoformat() if evidence.published else None
    record["documents"] = observation.documents
    return record


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """An entity with observations: what it is and how much is known about it."""

    id: str
    name: str
    kind: str
    home: str | None
    indicators: int
    conflicts: int
    evidence: int


def summarise_entities(observations: Sequence[Observation]) -> list[EntitySummary]:
    """Return one summary per entity that has observations, countries first, then by name."""
    from airace.extract.entities import load_entities
    from airace.service.rankings import entity_name

    entities = load_entities()
    grouped: dict[str, list[Observation]] = {}
    for observation in observations:
        grouped.setdefault(observation.entity, []).append(observation)
    summaries = []
    for key, found in grouped.items():
        entity = entities.get(key)
        summaries.append(
            EntitySummary(
                id=key,
                name=entity_name(key),
                kind=entity.kind if entity is not None else "organisation",
                home=entity.home if entity is not None else None,
                indicators=len({o.indicator for o in found}),
                conflicts=sum(o.conflict for o in found),
                evidence=sum(len(o.evidence) for o in found),
            )
        )
    return sorted(summaries, key=lambda s: (s.kind != "country", s.name.casefold()))
