"""Read-side operations the CLI, API and pages share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from airace.errors import AiraceError

if TYPE_CHECKING:
    from airace.model import Claim, Document, DocumentSummary
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


def list_claims(
    store: Store,
    *,
    subject: str | None = None,
    metric: str | None = None,
    document: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Claim]:
    """Return stored claims, filtered by subject, metric and document (id or hash prefix).

    Raises:
        AiraceError: the document does not exist.
    """
    document_id = None
    if document is not None:
        found, _ = get_document(store, document)
        document_id = found.id
    return store.list_claims(
        subject=subject, metric=metric, document_id=document_id, limit=limit, offset=offset
    )
