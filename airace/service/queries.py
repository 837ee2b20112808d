"""Read-side operations the CLI, API and pages share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from airace.errors import AiraceError

if TYPE_CHECKING:
    from airace.model import Claim, Document, DocumentSummary, Review
    from airace.store.repository import Store


def list_documents(
    store: Store, *, limit: int = 100, offset: int = 0, language: str | None = None
) -> list[DocumentSummary]:
    """Return stored documents, newest first."""
    return store.list_documents(limit=limit, offset=offset, language=language)


def get_document(store: Store, key: str) -> tuple[Document, list[str]]:
    """Return a document (by id or content-hash prefix) and every origin it was seen at.

    Raises:
        AiraceError: no document has that id or hash.
    """
    document = store.get_document(key)
    if document is None or document.id is None:
        raise AiraceError(f"no document {key!r}", hint="`airace documents` lists their ids")
    return document, store.origins(document.id)


def get_claim(store: Store, claim_id: int) -> tuple[Claim, list[Review]]:
    """Return a claim and its reviews, oldest first.

    Raises:
        AiraceError: no claim has that id.
    """
    claim = store.get_claim(claim_id)
    if claim is None:
        raise AiraceError(f"no claim {claim_id}", hint="`airace claims` lists their ids")
    return claim, store.list_reviews(claim_id)


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    """What a claim listing is narrowed to; None leaves a field open."""

    entity: str | None = None
    metric: str | None = None
    document: str | None = None
    period: str | None = None
    language: str | None = None
    source: str | None = None
    status: str | None = None
    modality: str | None = None  # a Modality value, or "fact" for none


def list_claims(
    store: Store,
    *,
    subject: str | None = None,
    metric: str | None = None,
    document: str | None = None,
    modality: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Claim]:
    """Return stored claims, filtered by subject, metric, document (id or hash prefix) and
    modality (``plan`` lists the plans to review; ``fact``, the claims with none).

    Raises:
        AiraceError: the document does not exist.
    """
    claims, _ = find_claims(
        store,
        ClaimFilter(entity=subject, metric=metric, document=document, modality=modality),
        limit,
        offset,
    )
    return claims


def find_claims(
    store: Store, where: ClaimFilter, limit: int = 100, offset: int = 0, *, count: bool = False
) -> tuple[list[Claim], int | None]:
    """Return a page of claims matching ``where`` and, with ``count``, how many match in all.

    The entity may be an id or a name in any language; the status one of auto, accepted,
    rejected, corrected.

    Raises:
        AiraceError: an unknown document, entity or status.
    """
    from airace.model import ReviewStatus

    filters: dict[str, Any] = {
        "metric": where.metric,
        "period": where.period,
        "language": where.language,
        "source": where.source,
    }
    if where.document is not None:
        found, _ = get_document(store, where.document)
        filters["document_id"] = found.id
    if where.entity is not None:
        filters["subject"] = subject_key(where.entity)
    if where.status is not None:
        try:
            filters["status"] = ReviewStatus(where.status)
        except ValueError:
            choices = ", ".join(status.value for status in ReviewStatus)
            raise AiraceError(
                f"unknown status {where.status!r}", key="status", hint=f"one of: {choices}"
            ) from None
    if where.modality is not None:
        from airace.service.review import MODALITIES

        if where.modality not in MODALITIES:
            raise AiraceError(
                f"unknown modality {where.modality!r}",
                key="modality",
                hint=f"one of: {', '.join(MODALITIES)}",
            )
        filters["modality"] = where.modality
    claims = store.list_claims(**filters, limit=limit, offset=offset)
    return claims, store.count_claims(**filters) if count else None


def subject_key(key: str) -> str:
    """Return the entity id a filter names, or the text itself for subjects the gazetteer
    does not know (places, unlisted companies are stored as written)."""
    from airace.service.observations import find_entity

    try:
        return find_entity(key).id
    except AiraceError:
        return key.strip()
