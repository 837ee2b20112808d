"""The GPU leaderboard: who holds how many AI accelerators, and of which chip models.

Rows come from the reconciled observations of the ``gpu_count`` indicator, one per country or
organisation at its latest period, so a conflict carries its spread and every row keeps the ids
of the claims behind it. A country without a figure of its own shows the sum of its
organisations (``rollup``). The chip breakdown reads the stored claims directly, because the
chip model ("H100") is the claim's ``qualifier`` and observations do not keep it: each claim
counts as its latest review has it (rejected claims drop out, corrections apply), and only
claims the indicator counts (facts with a period, not plans or forecasts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from airace.model import Observation
    from airace.store.repository import Store

INDICATOR = "gpu_count"
# Regions (WORLD, EU) are totals over countries and cities are places: neither holds GPUs.
KINDS = ("country", "organisation")


@dataclass(frozen=True, slots=True)
class LeaderboardRow:
    """One entity's GPU holding at its latest period, with where the figure comes from.

    ``low``/``high`` give the spread of the figures when they disagree (``conflict``);
    ``home`` is an organisation's home country; ``rollup`` marks a country total summed from
    its organisations.
    """

    entity: str
    name: str
    kind: str
    home: str | None
    value: float
    low: float | None
    high: float | None
    conflict: bool
    period: str
    claim_ids: tuple[int, ...]
    documents: int
    rollup: bool = False


@dataclass(frozen=True, slots=True)
class ChipRow:
    """One claim's GPU count of one chip model ("Meta owns 350,000 H100 GPUs")."""

    chip: str
    entity: str
    name: str
    value: float
    period: str
    claim_id: int
    quote: str
    document_id: int | None


@dataclass(frozen=True, slots=True)
class Leaderboard:
    """GPU holdings per entity and per chip model, each sorted by value, largest first."""

    indicator: str
    unit: str
    rows: tuple[LeaderboardRow, ...]
    by_chip: tuple[ChipRow, ...]


def gpu_leaderboard(store: Store) -> Leaderboard:
    """Rank countries and organisations by the AI accelerators they hold.

    Args:
        store: where the claims are.

    Returns:
        The entity rows (latest period of each, largest first) and the per-chip claim rows.
    """
    from airace.extract.entities import load_entities
    from airace.reconcile.indicators import load_indicators
    from airace.service.observations import load_observations

    entities = load_entities()
    latest: dict[str, Observation] = {}
    for observation in load_observations(store, indicator=INDICATOR):
        known = entities.get(observation.entity)
        if known is None or known.kind not in KINDS:
            continue
        held = latest.get(observation.entity)
        if held is None or observation.period > held.period:
            latest[observation.entity] = observation
    rows = [
        _row(observation, entities[entity].kind, entities[entity].home)
        for entity, observation in latest.items()
    ]
    rows.sort(key=lambda row: (-row.value, row.entity))
    return Leaderboard(
        indicator=INDICATOR,
        unit=load_indicators()[INDICATOR].unit,
        rows=tuple(rows),
        by_chip=tuple(_chip_rows(store)),
    )


def _row(observation: Observation, kind: str, home: str | None) -> LeaderboardRow:
    """Turn an entity's latest observation into a leaderboard row."""
    from airace.service.rankings import entity_name

    return LeaderboardRow(
        entity=observation.entity,
        name=entity_name(observation.entity),
        kind=kind,
        home=home if kind == "organisation" else None,
        value=observation.value,
        low=observation.low,
        high=observation.high,
        conflict=observation.conflict,
        period=observation.period,
        claim_ids=tuple(
            sorted({e.claim_id for e in observation.evidence if e.claim_id is not None})
        ),
        documents=observation.documents,
        rollup=observation.rollup,
    )


def _chip_rows(store: Store) -> list[ChipRow]:
    """Read the chip model of every counted gpu_count claim, largest count first."""
    from airace.model import ReviewStatus
    from airace.reconcile.indicators import load_indicators
    from airace.reconcile.merge import _apply_review, claim_evidence
    from airace.service.rankings import entity_name

    indicator = load_indicators()[INDICATOR]
    reviews = store.latest_reviews()
    rows = []
    for claim, published in store.iter_claims(metrics=(INDICATOR,)):
        review = reviews.get(claim.id) if claim.id is not None else None
        counted = None if claim.status is ReviewStatus.REJECTED else _apply_review(claim, review)
        if counted is None or counted.metric != INDICATOR or not counted.qualifier:
            continue
        evidence = claim_evidence(counted, published, indicator)
        if evidence is None or claim.id is None:
            continue
        rows.append(
            ChipRow(
                chip=counted.qualifier,
                entity=counted.subject,
                name=entity_name(counted.subject),
                value=evidence.point,
                period=evidence.period,
                claim_id=claim.id,
                quote=counted.quote,
                document_id=counted.document_id,
            )
        )
    rows.sort(key=lambda row: (-row.value, row.chip, row.claim_id))
    return rows
