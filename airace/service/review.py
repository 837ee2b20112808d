"""Human review of claims: accept, reject or correct, stored beside the claim."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from airace.errors import AiraceError
from airace.model import Modality, Review, ReviewStatus

if TYPE_CHECKING:
    from airace.store.repository import Store

_CORRECTABLE = ("subject", "metric", "value", "value_max", "unit", "as_of", "modality")
# What a modality can be corrected to: a Modality value, or "fact" for a plainly stated fact.
MODALITIES = ("fact", *(str(m) for m in Modality))


def review_claim(
    store: Store,
    claim_id: int,
    status: ReviewStatus,
    *,
    subject: str | None = None,
    metric: str | None = None,
    value: float | None = None,
    value_max: float | None = None,
    unit: str | None = None,
    as_of: str | None = None,
    modality: str | None = None,
    note: str | None = None,
) -> tuple[Review, bool]:
    """Record a decision on a claim; repeating the latest decision changes nothing.

    Returns:
        The review in force and whether it was newly stored.

    Raises:
        AiraceError: a correction with no field to correct, a field given with accept/reject,
            an unknown metric or entity, a value that is not a finite number, a bad as-of.
        StoreError: the claim does not exist.
    """
    from airace.extract.lexicon import domain_metrics

    fields = {
        "subject": subject, "metric": metric, "value": value, "value_max": value_max,
        "unit": unit, "as_of": as_of, "modality": modality,
    }  # fmt: skip
    given = {name: field for name, field in fields.items() if field is not None}
    if status is ReviewStatus.AUTO:
        raise AiraceError("a review accepts, rejects or corrects", key="status")
    if status is ReviewStatus.CORRECTED and not given:
        raise AiraceError(
            "a correction needs a field to correct", hint=f"give one of: {', '.join(_CORRECTABLE)}"
        )
    if status is not ReviewStatus.CORRECTED and given:
        raise AiraceError(
            f"{', '.join(given)} given with {status}", hint="corrected fields need --correct"
        )
    if metric is not None and metric not in domain_metrics():
        raise AiraceError(f"unknown metric {metric!r}", key="metric")
    for name in ("value", "value_max"):
        number = given.get(name)
        if isinstance(number, float) and not math.isfinite(number):
            raise AiraceError(f"{name} must be a finite number", key=name)
    if modality is not None and modality not in MODALITIES:
        raise AiraceError(
            f"unknown modality {modality!r}",
            key="modality",
            hint=f"one of: {', '.join(MODALITIES)}",
        )
    if as_of is not None and not _valid_as_of(as_of):
        raise AiraceError("as_of must be YYYY or YYYY-MM", key="as_of")
    if subject is not None:
        from airace.service.observations import find_entity

        subject = find_entity(subject).id
    review = Review(
        claim_id=claim_id,
        status=status,
        subject=subject,
        metric=metric,
        value=value,
        value_max=value_max,
        unit=unit,
        as_of=as_of,
        modality=modality,
        note=note,
    )
    return store.add_review(review)


def _valid_as_of(text: str) -> bool:
    if len(text) == 4:
        return text.isdigit()
    return (
        len(text) == 7
        and text[:4].isdigit()
        and text[4] == "-"
        and text[5:].isdigit()
        and (1 <= int(text[5:]) <= 12)
    )
