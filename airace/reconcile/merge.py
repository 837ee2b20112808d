"""Figures to observations: one value per (entity, indicator, period), with all its evidence.

The evidence is every stored claim whose metric feeds an indicator (after its latest human
review: rejected claims drop out, corrections replace the fields they change) plus the curated
reference figures. Claims of a modality the indicator does not count (plans and forecasts, by
default) and claims in a unit the indicator cannot compare (an unknown currency) are left out.
The period is the year of the claim's as-of, else of its document's publication.

Figures of one (entity, indicator, period) are sorted and grouped: a figure within the
indicator's tolerance of a group's smallest figure (three times the tolerance when either is
approximate) joins the group, so the same number reported by several articles becomes one fact
with all its quotes. More than one group is a **conflict**: every figure is kept, ``low`` and
``high`` give the spread, and the best group is chosen by these rules, in order:

1. **reviewed**: a group holding a claim a person accepted or corrected;
2. **recency**: the later as-of within the period (``2024-11`` over ``2024-03`` or ``2024``);
3. **primary source**: a group with an attributed source or curated reference figure;
4. **precise**: a group with a figure not stated as approximate;
5. **agreement**: more distinct documents reporting it;
6. **latest report**: the most recently published document;
7. **first reported**: the figure stored first (in a document's order: its headline figure).

The observation's value is the median of the chosen group; ``chosen_by`` names the first rule
that told the groups apart. For indicators marked ``rollup``, a country with no figure of its own
for a period gets the sum of its organisations' observations for that period.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from airace.model import UNDATED, Claim, Evidence, Modality, Observation, Review, ReviewStatus
from airace.reconcile.currency import claim_date, currency_of, to_usd
from airace.reconcile.indicators import Indicator, indicators_by_metric

if TYPE_CHECKING:
    from airace.extract.entities import Entity
    from airace.reconcile.reference import ReferenceFigure

_APPROX_FACTOR = 3  # "about 10,000" agrees with 9,500: approximate figures get a wider tolerance
_RULES = (
    "reviewed", "recency", "primary source", "precise", "agreement", "latest report",
    "first reported",
)  # fmt: skip


def reconcile_observations(
    claims: Iterable[tuple[Claim, date | None]],
    indicators: Mapping[str, Indicator],
    entities: Mapping[str, Entity],
    *,
    reviews: Mapping[int, Review] | None = None,
    reference: Sequence[ReferenceFigure] = (),
) -> list[Observation]:
    """Merge claims (with their documents' publication dates) and reference figures.

    Returns observations sorted by entity, indicator and period.
    """
    reviews = reviews or {}
    by_metric = indicators_by_metric(dict(indicators))
    groups: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    for claim, published in claims:
        review = reviews.get(claim.id) if claim.id is not None else None
        reviewed = _apply_review(claim, review)
        if reviewed is None:
            continue
        indicator = by_metric.get(reviewed.metric)
        if indicator is None:
            continue
        evidence = claim_evidence(reviewed, published, indicator, reviewed=review is not None)
        if evidence is not None:
            groups[(reviewed.subject, indicator.id, evidence.period)].append(evidence)
    for figure in reference:
        if figure.indicator in indicators:
            groups[(figure.entity, figure.indicator, figure.evidence.period)].append(
                figure.evidence
            )
    observations = [
        merge_figures(entity, indicators[indicator], period, evidence)
        for (entity, indicator, period), evidence in groups.items()
    ]
    observations.extend(roll_up(observations, indicators, entities))
    observations.sort(key=lambda o: (o.entity, o.indicator, o.period))
    return observations


def _apply_review(claim: Claim, review: Review | None) -> Claim | None:
    """Return the claim as its latest review has it, or None when rejected."""
    if review is None:
        return claim
    if review.status is ReviewStatus.REJECTED:
        return None
    if review.status is ReviewStatus.CORRECTED:
        changes = {
            name: getattr(review, name)
            for name in ("subject", "metric", "value", "value_max", "unit", "as_of")
            if getattr(review, name) is not None
        }
        if review.modality is not None:
            changes["modality"] = None if review.modality == "fact" else Modality(review.modality)
        corrected = replace(claim, **changes, status=ReviewStatus.CORRECTED)
        if "value" in changes or "unit" in changes:
            corrected = replace(corrected, value_usd=None)
        return corrected
    return replace(claim, status=ReviewStatus.ACCEPTED)


def claim_evidence(
    claim: Claim, published: date | None, indicator: Indicator, *, reviewed: bool = False
) -> Evidence | None:
    """Return what a claim says about its indicator, or None when it cannot count.

    None: a modality the indicator leaves out, a unit other than the indicator's, or money in
    a currency with no known rate. A claim whose text gives no year is ``UNDATED``.
    """
    modality = str(claim.modality) if claim.modality else "fact"
    if modality not in indicator.modalities:
        return None
    period = claim.as_of[:4] if claim.as_of else UNDATED  # never the publication year
    value, value_max = claim.value, claim.value_max
    if indicator.money:
        code = currency_of(claim.unit)
        if code is None or "/" in claim.unit:
            return None
        usd = claim.value_usd
        if usd is None:
            usd = to_usd(claim.value, code, claim_date(claim.as_of, published))
        if usd is None:
            return None
        rate = usd / claim.value if claim.value else 1.0
        value, value_max = usd, (value_max * rate if value_max is not None else None)
    elif claim.unit != indicator.unit:
        return None
    return Evidence(
        value=value,
        value_max=value_max,
        subject=claim.subject,
        period=period,
        approx=claim.approx,
        source=claim.source,
        claim_id=claim.id,
        document_id=claim.document_id,
        quote=claim.quote,
        published=published,
        as_of=claim.as_of,
        reviewed=reviewed and claim.status is not ReviewStatus.REJECTED,
    )


def merge_figures(
    entity: str, indicator: Indicator, period: str, evidence: Sequence[Evidence]
) -> Observation:
    """Merge the figures of one (entity, indicator, period) into an observation."""
    groups = _agreeing_groups(evidence, indicator.tolerance)
    points = [item.point for item in evidence]
    if len(groups) == 1:
        chosen, rule = groups[0], ("agreement" if _documents(groups[0]) > 1 else "single")
    else:
        ranked = sorted(groups, key=_preference, reverse=True)
        chosen, rule = ranked[0], _deciding_rule(ranked[0], ranked[1])
    return Observation(
        entity=entity,
        indicator=indicator.id,
        period=period,
        value=statistics.median(item.point for item in chosen),
        unit=indicator.unit,
        evidence=tuple(sorted(evidence, key=_evidence_order)),
        conflict=len(groups) > 1,
        low=min(points),
        high=max(points),
        chosen_by=rule,
    )


def _agreeing_groups(evidence: Sequence[Evidence], tolerance: float) -> list[list[Evidence]]:
    """Group figures that state the same number (within tolerance of the group's smallest)."""
    groups: list[list[Evidence]] = []
    for item in sorted(evidence, key=lambda e: e.point):
        if groups:
            anchor = groups[-1][0]
            allowed = tolerance * (_APPROX_FACTOR if item.approx or anchor.approx else 1)
            if item.point <= anchor.point + abs(anchor.point) * allowed:
                groups[-1].append(item)
                continue
        groups.append([item])
    return groups


def _documents(group: Sequence[Evidence]) -> int:
    return len({e.document_id if e.document_id is not None else e.source for e in group})


def _preference(group: Sequence[Evidence]) -> tuple[object, ...]:
    """The sort key of the module docstring's rules, in their order."""
    return (
        any(e.reviewed for e in group),
        max(_recency(e.as_of) for e in group),
        any(e.reference or e.source is not None for e in group),
        any(not e.approx for e in group),
        _documents(group),
        max((e.published for e in group if e.published is not None), default=date.min),
        -min((e.claim_id for e in group if e.claim_id is not None), default=2**62),
    )


def _recency(as_of: str | None) -> str:
    """Sortable position of an as-of within its year: a month beats the bare year."""
    return as_of if as_of and len(as_of) == 7 else "0000"


def _deciding_rule(best: Sequence[Evidence], runner_up: Sequence[Evidence]) -> str:
    for rule, mine, theirs in zip(_RULES, _preference(best), _preference(runner_up), strict=True):
        if mine != theirs:
            return rule
    return "tie"


def _evidence_order(item: Evidence) -> tuple[object, ...]:
    return (item.reference, item.document_id or 0, item.claim_id or 0, item.source or "")


def roll_up(
    observations: Sequence[Observation],
    indicators: Mapping[str, Indicator],
    entities: Mapping[str, Entity],
) -> list[Observation]:
    """Sum organisations' observations into their home country where it has none of its own."""
    direct = {(o.entity, o.indicator, o.period) for o in observations}
    sums: dict[tuple[str, str, str], list[Observation]] = defaultdict(list)
    for observation in observations:
        indicator = indicators.get(observation.indicator)
        entity = entities.get(observation.entity)
        if indicator is None or not indicator.rollup or entity is None:
            continue
        if entity.kind != "organisation" or entity.home is None:
            continue
        home = entities.get(entity.home)
        if home is None or home.kind != "country":
            continue
        key = (home.id, observation.indicator, observation.period)
        if key not in direct:
            sums[key].append(observation)
    rolled: list[Observation] = []
    for (country, indicator_id, period), parts in sums.items():
        rolled.append(
            Observation(
                entity=country,
                indicator=indicator_id,
                period=period,
                value=sum(part.value for part in parts),
                unit=parts[0].unit,
                evidence=tuple(e for part in parts for e in part.evidence),
                conflict=any(part.conflict for part in parts),
                low=sum(part.low if part.low is not None else part.value for part in parts),
                high=sum(part.high if part.high is not None else part.value for part in parts),
                chosen_by="rollup",
                rollup=True,
            )
        )
    return rolled
