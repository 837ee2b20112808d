"""Read-side operations the CLI, API and pages share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from airace.errors import AiraceError

if TYPE_CHECKING:
    from airace.model import Document, DocumentSummary
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
