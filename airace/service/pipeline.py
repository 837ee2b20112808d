"""Write operations the interfaces share: ingest sources into the store, with their claims.

The pipeline streams: each source item is read, cleaned and stored in its own transaction
before the next is read, so memory does not grow with the corpus and a killed run leaves only
whole documents. Failures are recorded per item in the RunReport and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from airace.errors import AiraceError, describe_failure
from airace.model import ItemResult, ItemStatus, RunReport

if TYPE_CHECKING:
    from datetime import date

    import httpx

    from airace.config import Settings
    from airace.ingest.sources import Item, Media, SourceRecord
    from airace.model import Claim, Document
    from airace.store.repository import Store

OnItem = Callable[[ItemResult], None]


def ingest(
    sources: Sequence[str],
    store: Store,
    settings: Settings,
    *,
    extract: bool = True,
    on_item: OnItem | None = None,
) -> RunReport:
    """Read, clean and store every document the sources name.

    Args:
        sources: file paths, folders, http(s) URLs of pages or RSS/Atom feeds.
        store: where documents go.
        settings: limits for files and fetches.
        extract: read the claims of each new document and store them with it.
        on_item: called after each item (for progress display).

    Returns:
        One result per item: stored, duplicate (same text already stored) or failed with why.
    """
    report = RunReport()
    with ExitStack() as stack:
        client = None
        if any(source.startswith(("http://", "https://")) for source in sources):
            from airace.ingest.fetch import new_client

            client = stack.enter_context(new_client(settings))
        for item in read_all(sources, settings, client):
            result = _store_item(item, store, extract=extract)
            report.add(result)
            if on_item is not None:
                on_item(result)
    return report


def ingest_text(
    text: str,
    store: Store,
    *,
    origin: str,
    title: str | None = None,
    language: str | None = None,
    published: date | None = None,
    media: Media = "text",
    extract: bool = True,
) -> ItemResult:
    """Store one document given as text (what the API's ingest endpoint receives).

    Args:
        text: the body, plain text, Markdown or HTML as ``media`` says.
        origin: where it came from (a URL or a label), kept beside the document.
        title, language, published: known metadata; detected from the text when None.

    Returns:
        Stored, duplicate, or failed with the reason.
    """
    from airace.ingest.sources import SourceRecord

    record = SourceRecord(
        origin=origin, body=text, media=media, title=title, published=published, language=language
    )
    return _store_item(record, store, extract=extract)


def read_all(
    sources: Sequence[str], settings: Settings, client: httpx.Client | None
) -> Iterator[Item]:
    """Chain the items of every source."""
    from airace.ingest.sources import read_source

    for source in sources:
        yield from read_source(source, settings, client=client)


def _store_item(item: Item, store: Store, *, extract: bool) -> ItemResult:
    """Clean and store one item; turn any failure into a failed result."""
    if isinstance(item, AiraceError):
        return _failed(item, item.where or "?")
    try:
        document, claims = clean_and_extract(item, extract=extract)
        return store.add_document(document, claims)
    except AiraceError as error:
        return _failed(error, item.origin)
    except Exception as error:  # a bug must not sink the batch; the reason names it
        return ItemResult(item.origin, ItemStatus.FAILED, describe_failure(error))


def clean_and_extract(item: SourceRecord, *, extract: bool) -> tuple[Document, list[Claim]]:
    """Turn a source record into a stored-ready document and, with ``extract``, its claims
    with money in USD (the sequential pipeline and the Dask workers share it).

    Raises:
        AiraceError: the item cannot be cleaned (binary, empty, undecodable...).
    """
    from airace.extract import extract_claims
    from airace.ingest.document import to_document
    from airace.reconcile.currency import with_value_usd

    document = to_document(item, fetched_at=datetime.now(UTC))
    if not extract:
        return document, []
    claims = extract_claims(document.text, document.language, published=document.published)
    return document, with_value_usd(claims, document.published)


def _failed(error: AiraceError, origin: str) -> ItemResult:
    """Describe a failure with its location and reason."""
    return ItemResult(error.where or origin, ItemStatus.FAILED, error.reason)
