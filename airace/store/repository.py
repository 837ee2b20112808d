"""The store: the one place where domain objects meet the database.

Each write is one transaction and is safe to repeat: a document whose content hash is already
stored is not written again; the new origin is recorded beside it and the result says
``duplicate``. A process killed mid-batch therefore leaves only whole documents behind, and
running the batch again completes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from airace.errors import SchemaOutOfDate, StoreError
from airace.model import (
    Claim,
    Document,
    DocumentSummary,
    ItemResult,
    ItemStatus,
    Modality,
    Review,
    ReviewStatus,
)
from airace.store import migrate
from airace.store.engine import create_engine
from airace.store.tables import claim_reviews, document_origins, documents
from airace.store.tables import claims as claims_table

_Select = TypeVar("_Select", bound="sa.Select[Any]")

_MAX_ID = 2**63 - 1  # ids are 64-bit integers; a larger number names nothing
_ORIGIN_MAX = 2000  # the column's width; longer URLs are cut, the document keeps its full origin

_SUMMARY_COLUMNS = (
    documents.c.id,
    documents.c.origin,
    documents.c.title,
    documents.c.language,
    documents.c.published,
    documents.c.fetched_at,
    documents.c.size,
)


class Store:
    """Documents (and, as the pipeline grows, claims and observations) in one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def url(self) -> str:
        """The database URL with any password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def add_document(self, document: Document, claims: Sequence[Claim] = ()) -> ItemResult:
        """Store a document (and its claims) unless its content hash is present, in one transaction.

        Returns:
            ``stored`` with the new id, or ``duplicate`` with the id of the stored copy.
        """
        now = datetime.now(UTC)
        try:
            with self.engine.begin() as connection:
                return self._insert_document(connection, document, claims, now)
        except IntegrityError:
            # Another writer stored the same text between our check and our insert.
            with self.engine.begin() as connection:
                existing = self._id_for_hash(connection, document.content_hash)
                if existing is None:
                    raise
                self._add_origin(connection, existing, document.origin, now)
            return ItemResult(document.origin, ItemStatus.DUPLICATE, document_id=existing)

    def add_documents(self, batch: Sequence[tuple[Document, Sequence[Claim]]]) -> list[ItemResult]:
        """Store several documents with their claims in one transaction (the parallel ingest's
        writer: one commit per batch instead of per document). Each document is idempotent as
        in ``add_document``; if another writer races this one, the batch is retried document
        by document, so the outcome is the same as storing them one at a time."""
        now = datetime.now(UTC)
        try:
            with self.engine.begin() as connection:
                return self._insert_batch(connection, batch, now)
        except IntegrityError:
            return [self.add_document(document, claims) for document, claims in batch]

    def _insert_batch(
        self,
        connection: Connection,
        batch: Sequence[tuple[Document, Sequence[Claim]]],
        now: datetime,
    ) -> list[ItemResult]:
        """Insert a batch in a few statements: one lookup of the hashes already stored, one
        multi-row insert of the new documents (their ids in order), one of their origins and
        one of all their claims. The writer's cost per document is what limits a parallel
        ingest (measured: four statements per document took 1.6 ms of the writer's time)."""
        hashes = {document.content_hash for document, _ in batch}
        known: dict[str, int] = {
            digest: int(found)
            for digest, found in connection.execute(
                sa.select(documents.c.content_hash, documents.c.id).where(
                    documents.c.content_hash.in_(hashes)
                )
            )
        }
        fresh: dict[str, tuple[Document, Sequence[Claim]]] = {}
        for document, claims in batch:
            if document.content_hash not in known:
                fresh.setdefault(document.content_hash, (document, claims))
        rows = [_document_values(document, now) for document, _ in fresh.values()]
        if rows:
            inserted = connection.execute(
                documents.insert().returning(documents.c.id, sort_by_parameter_order=True), rows
            ).scalars()
            new_ids = dict(zip(fresh, map(int, inserted), strict=True))
            connection.execute(
                document_origins.insert(),
                [
                    {
                        "document_id": new_ids[digest],
                        "origin": d.origin[:_ORIGIN_MAX],
                        "seen_at": now,
                    }
                    for digest, (d, _) in fresh.items()
                ],
            )
            claim_rows = [
                _claim_row(claim, new_ids[digest])
                for digest, (_, claims) in fresh.items()
                for claim in claims
            ]
            if claim_rows:
                connection.execute(claims_table.insert(), claim_rows)
        else:
            new_ids = {}
        results = []
        for document, _ in batch:
            digest = document.content_hash
            first = digest in fresh and fresh[digest][0] is document
            if first:
                results.append(
                    ItemResult(document.origin, ItemStatus.STORED, document_id=new_ids[digest])
                )
                continue
            existing = known.get(digest, new_ids.get(digest))
            assert existing is not None
            self._add_origin(connection, existing, document.origin, now)
            results.append(ItemResult(document.origin, ItemStatus.DUPLICATE, document_id=existing))
        return results

    def _insert_document(
        self,
        connection: Connection,
        document: Document,
        claims: Sequence[Claim],
        now: datetime,
    ) -> ItemResult:
        existing = self._id_for_hash(connection, document.content_hash)
        if existing is not None:
            self._add_origin(connection, existing, document.origin, now)
            return ItemResult(document.origin, ItemStatus.DUPLICATE, document_id=existing)
        new_id = connection.execute(
            documents.insert().returning(documents.c.id), _document_values(document, now)
        ).scalar_one()
        connection.execute(
            document_origins.insert(),
            {"document_id": new_id, "origin": document.origin[:_ORIGIN_MAX], "seen_at": now},
        )
        if claims:
            connection.execute(
                claims_table.insert(), [_claim_row(claim, new_id) for claim in claims]
            )
        return ItemResult(document.origin, ItemStatus.STORED, document_id=new_id)

    @staticmethod
    def _id_for_hash(connection: Connection, content_hash: str) -> int | None:
        """Return the id of the document with this hash, if any."""
        return connection.execute(
            sa.select(documents.c.id).where(documents.c.content_hash == content_hash)
        ).scalar_one_or_none()

    @staticmethod
    def _add_origin(connection: Connection, document_id: int, origin: str, now: datetime) -> None:
        """Record that a document was seen at ``origin`` (once per origin)."""
        origin = origin[:_ORIGIN_MAX]
        seen = connection.execute(
            sa.select(document_origins.c.id).where(
                document_origins.c.document_id == document_id,
                document_origins.c.origin == origin,
            )
        ).first()
        if seen is None:
            connection.execute(
                document_origins.insert(),
                {"document_id": document_id, "origin": origin, "seen_at": now},
            )

    def count_documents(self, *, language: str | None = None) -> int:
        """Return how many documents are stored (in ``language``, when given)."""
        query = sa.select(sa.func.count()).select_from(documents)
        if language is not None:
            query = query.where(documents.c.language == language)
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def list_documents(
        self, *, limit: int = 100, offset: int = 0, language: str | None = None
    ) -> list[DocumentSummary]:
        """Return stored documents, newest first, without their texts."""
        query = sa.select(*_SUMMARY_COLUMNS).order_by(documents.c.id.desc())
        if language is not None:
            query = query.where(documents.c.language == language)
        with self.engine.connect() as connection:
            rows = connection.execute(query.limit(limit).offset(offset)).all()
        return [DocumentSummary(**row._mapping) for row in rows]

    def iter_documents(self, *, batch: int = 500) -> Iterator[Document]:
        """Yield every stored document with its text, in id order, a batch at a time."""
        last_id = 0
        while True:
            query = sa.select(documents).where(documents.c.id > last_id).order_by(documents.c.id)
            with self.engine.connect() as connection:
                rows = connection.execute(query.limit(batch)).all()
            if not rows:
                return
            for row in rows:
                yield _document_from_row(row._mapping)
            last_id = rows[-1].id

    def iter_documents_to_reread(
        self, version: str, *, made_by: str | None = None, batch: int = 200
    ) -> Iterator[Document]:
        """Yield the documents whose claims (reviewed ones aside) were not all made by
        extractor ``version``, and those with no claims (stored with ``--no-extract``, or
        nothing found); with
        ``made_by``, only those with claims of an extractor version starting with it."""
        column = claims_table.c
        reviewed = sa.exists().where(claim_reviews.c.claim_id == column.id)
        stale = sa.exists().where(
            column.document_id == documents.c.id,
            column.extractor_version != version,
            ~reviewed,  # a reviewed claim stays as it was: it does not make its document stale
        )
        wanted: sa.ColumnElement[bool]
        if made_by is not None:
            wanted = sa.exists().where(
                column.document_id == documents.c.id,
                column.extractor_version.startswith(made_by, autoescape=True),
            )
        else:
            wanted = sa.or_(stale, ~sa.exists().where(column.document_id == documents.c.id))
        last_id = 0
        while True:
            query = (
                sa.select(documents)
                .where(documents.c.id > last_id, wanted)
                .order_by(documents.c.id)
                .limit(batch)
            )
            with self.engine.connect() as connection:
                rows = connection.execute(query).all()
            if not rows:
                return
            for row in rows:
                yield _document_from_row(row._mapping)
            last_id = rows[-1].id

    def rewrite_claims(self, document_id: int, plan: PlanClaims, version: str) -> ClaimChanges:
        """Replace a document's claims as ``plan`` decides, in one transaction: ``plan`` gets
        the stored claims and the ids of those a person reviewed, and returns the changes.
        Updated claims keep their ids (and so their reviews); those read the same again are
        stamped with ``version``, the extractor that has now read them."""
        with self.engine.begin() as connection:
            # Touching the document's claims first takes the write lock (SQLite) or the rows'
            # locks (PostgreSQL), so a review arriving meanwhile waits for this rewrite.
            connection.execute(
                claims_table.update()
                .where(claims_table.c.document_id == document_id)
                .values(status=claims_table.c.status)
            )
            rows = connection.execute(
                sa.select(claims_table)
                .where(claims_table.c.document_id == document_id)
                .order_by(claims_table.c.id)
            ).all()
            stored = [_claim_from_row(row._mapping) for row in rows]
            reviewed = {
                int(claim_id)
                for (claim_id,) in connection.execute(
                    sa.select(claim_reviews.c.claim_id)
                    .join(claims_table, claims_table.c.id == claim_reviews.c.claim_id)
                    .where(claims_table.c.document_id == document_id)
                    .distinct()
                )
            }
            changes = plan(stored, reviewed)
            if changes.gone:
                gone = [claim.id for claim in changes.gone]
                connection.execute(claims_table.delete().where(claims_table.c.id.in_(gone)))
            for _old, new in changes.changed:
                row = _claim_row(new, document_id)
                connection.execute(
                    claims_table.update().where(claims_table.c.id == new.id).values(**row)
                )
            if changes.same:
                connection.execute(
                    claims_table.update()
                    .where(claims_table.c.id.in_(changes.same))
                    .values(extractor_version=version)
                )
            if changes.new:
                connection.execute(
                    claims_table.insert(), [_claim_row(c, document_id) for c in changes.new]
                )
        return changes

    def get_document(self, key: int | str) -> Document | None:
        """Return a document by id or by (a prefix of) its content hash; None if absent.

        Raises:
            StoreError: a hash prefix matches more than one document.
        """
        query = sa.select(documents)
        if isinstance(key, int) or (key.isascii() and key.isdigit()):
            if not 0 < int(key) <= _MAX_ID:
                return None
            query = query.where(documents.c.id == int(key))
        else:
            query = query.where(documents.c.content_hash.startswith(key, autoescape=True))
        with self.engine.connect() as connection:
            rows = connection.execute(query.limit(2)).all()
        if len(rows) > 1:
            raise StoreError(f"{key!r} matches several documents", hint="give more of the hash")
        return _document_from_row(rows[0]._mapping) if rows else None

    def list_claims(
        self,
        *,
        subject: str | None = None,
        metric: str | None = None,
        document_id: int | None = None,
        period: str | None = None,
        language: str | None = None,
        source: str | None = None,
        status: ReviewStatus | None = None,
        modality: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Claim]:
        """Return stored claims matching the filters, in document and text order.

        ``period`` matches the claim's as-of period or its start (``2024`` finds ``2024-05``),
        ``language`` the document's language, ``source`` the attributed source
        case-insensitively.
        """
        query = _claim_filters(
            sa.select(claims_table),
            subject=subject,
            metric=metric,
            document_id=document_id,
            period=period,
            language=language,
            source=source,
            status=status,
            modality=modality,
        ).order_by(claims_table.c.document_id, claims_table.c.span_start, claims_table.c.id)
        with self.engine.connect() as connection:
            rows = connection.execute(query.limit(limit).offset(offset)).all()
        return [_claim_from_row(row._mapping) for row in rows]

    def count_claims(
        self,
        *,
        subject: str | None = None,
        metric: str | None = None,
        document_id: int | None = None,
        period: str | None = None,
        language: str | None = None,
        source: str | None = None,
        status: ReviewStatus | None = None,
        modality: str | None = None,
    ) -> int:
        """Return how many claims ``list_claims`` would return without a limit."""
        query = _claim_filters(
            sa.select(sa.func.count()).select_from(claims_table),
            subject=subject,
            metric=metric,
            document_id=document_id,
            period=period,
            language=language,
            source=source,
            status=status,
            modality=modality,
        )
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def data_version(self) -> tuple[int, int, int]:
        """Return (documents, last claim id, last review id): changes whenever anything a
        ranking depends on is written, so derived results can be cached against it."""
        query = sa.select(
            sa.select(sa.func.count()).select_from(documents).scalar_subquery(),
            sa.select(sa.func.coalesce(sa.func.max(claims_table.c.id), 0)).scalar_subquery(),
            sa.select(sa.func.coalesce(sa.func.max(claim_reviews.c.id), 0)).scalar_subquery(),
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).one()
        return int(row[0]), int(row[1]), int(row[2])

    def get_claim(self, claim_id: int) -> Claim | None:
        """Return the stored claim with this id, or None."""
        if not 0 < claim_id <= _MAX_ID:
            return None
        query = sa.select(claims_table).where(claims_table.c.id == claim_id)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return _claim_from_row(row._mapping) if row else None

    def iter_claims(
        self, *, metrics: Iterable[str] | None = None, batch: int = 2000
    ) -> Iterator[tuple[Claim, date | None]]:
        """Yield every stored claim (of the given metrics) with its document's publication date.

        Reads in keyset-paginated batches, so a large corpus never sits in memory at once.
        """
        wanted = sorted(set(metrics)) if metrics is not None else None
        last = 0
        while True:
            query = (
                sa.select(claims_table, documents.c.published.label("document_published"))
                .join(documents, documents.c.id == claims_table.c.document_id)
                .where(claims_table.c.id > last)
                .order_by(claims_table.c.id)
                .limit(batch)
            )
            if wanted is not None:
                query = query.where(claims_table.c.metric.in_(wanted))
            with self.engine.connect() as connection:
                rows = connection.execute(query).all()
            for row in rows:
                yield _claim_from_row(row._mapping), row._mapping["document_published"]
            if len(rows) < batch:
                return
            last = rows[-1]._mapping["id"]

    def iter_claims_with_documents(
        self,
        *,
        subject: str | None = None,
        metric: str | None = None,
        document_id: int | None = None,
        period: str | None = None,
        language: str | None = None,
        source: str | None = None,
        status: ReviewStatus | None = None,
        modality: str | None = None,
        batch: int = 2000,
    ) -> Iterator[tuple[Claim, DocumentSummary]]:
        """Yield the claims ``list_claims`` would list (in claim id order), each with its
        document's summary: keyset-paginated, so an export of millions stays in flat memory."""
        last = 0
        summary = [column.label(f"doc__{column.name}") for column in _SUMMARY_COLUMNS]
        while True:
            query = _claim_filters(
                sa.select(claims_table, *summary)
                .join(documents, documents.c.id == claims_table.c.document_id)
                .where(claims_table.c.id > last),
                subject=subject,
                metric=metric,
                document_id=document_id,
                period=period,
                language=language,
                source=source,
                status=status,
                modality=modality,
            ).order_by(claims_table.c.id)
            with self.engine.connect() as connection:
                rows = connection.execute(query.limit(batch)).all()
            for row in rows:
                mapping = row._mapping
                yield (
                    _claim_from_row(mapping),
                    DocumentSummary(
                        **{c.name: mapping[f"doc__{c.name}"] for c in _SUMMARY_COLUMNS}
                    ),
                )
            if len(rows) < batch:
                return
            last = rows[-1]._mapping["id"]

    def add_review(self, review: Review) -> tuple[Review, bool]:
        """Store a review of a claim and mirror its status on the claim, in one transaction.

        Repeating the claim's latest review stores nothing and returns it with ``False``.

        Raises:
            StoreError: the claim does not exist.
        """
        now = datetime.now(UTC)
        with self.engine.begin() as connection:
            # Writing the claim's row first takes its lock (SQLite: the database's write lock,
            # PostgreSQL: the row's) before the latest review is read, so the same decision
            # sent twice at once is stored once: the second waits, then finds it.
            touched = connection.execute(
                claims_table.update()
                .where(claims_table.c.id == review.claim_id)
                .values(status=claims_table.c.status)
            ).rowcount
            if not touched:
                raise StoreError(
                    f"no claim {review.claim_id}", hint="`airace claims` lists claims with ids"
                )
            latest = connection.execute(
                sa.select(claim_reviews)
                .where(claim_reviews.c.claim_id == review.claim_id)
                .order_by(claim_reviews.c.id.desc())
                .limit(1)
            ).first()
            if latest is not None:
                previous = _review_from_row(latest._mapping)
                if previous.status == review.status and all(
                    getattr(previous, name) == getattr(review, name) for name in _REVIEW_FIELDS
                ):
                    return previous, False
            values = {name: getattr(review, name) for name in _REVIEW_FIELDS}
            inserted = connection.execute(
                claim_reviews.insert().values(
                    claim_id=review.claim_id, status=str(review.status), created_at=now, **values
                )
            ).inserted_primary_key
            assert inserted is not None
            review_id = int(inserted[0])
            connection.execute(
                claims_table.update()
                .where(claims_table.c.id == review.claim_id)
                .values(status=str(review.status))
            )
        stored = Review(
            id=review_id,
            claim_id=review.claim_id,
            status=review.status,
            created_at=now,
            **values,
        )
        return stored, True

    def latest_reviews(self) -> dict[int, Review]:
        """Return the latest review of every reviewed claim, by claim id."""
        query = sa.select(claim_reviews).order_by(claim_reviews.c.id)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return {row._mapping["claim_id"]: _review_from_row(row._mapping) for row in rows}

    def list_reviews(self, claim_id: int) -> list[Review]:
        """Return every review of a claim, oldest first."""
        query = (
            sa.select(claim_reviews)
            .where(claim_reviews.c.claim_id == claim_id)
            .order_by(claim_reviews.c.id)
        )
        with self.engine.connect() as connection:
            return [_review_from_row(row._mapping) for row in connection.execute(query)]

    def origins(self, document_id: int) -> list[str]:
        """Return every origin a document was ingested from, first seen first."""
        query = (
            sa.select(document_origins.c.origin)
            .where(document_origins.c.document_id == document_id)
            .order_by(document_origins.c.id)
        )
        with self.engine.connect() as connection:
            return list(connection.execute(query).scalars())


# The widths of the claims table's bounded text columns: PostgreSQL refuses a longer value
# (SQLite keeps it), so a long qualifier or source is cut to fit rather than failing the item.
_WIDTHS = {
    column.name: column.type.length
    for column in claims_table.c
    if isinstance(column.type, sa.String) and column.type.length
}


def _document_values(document: Document, now: datetime) -> dict[str, object]:
    """A ``documents`` row."""
    return {
        "content_hash": document.content_hash,
        "origin": document.origin,
        "title": document.title,
        "language": document.language,
        "published": document.published,
        "fetched_at": document.fetched_at or now,
        "size": document.size,
        "text": document.text,
    }


@dataclass(frozen=True, slots=True)
class ClaimChanges:
    """What re-reading a document changed: claims added, removed, changed in place (old, new:
    the new one carries the old id), the ids of those read the same again, and how many
    reviewed ones were kept untouched."""

    new: tuple[Claim, ...] = ()
    gone: tuple[Claim, ...] = ()
    changed: tuple[tuple[Claim, Claim], ...] = ()
    same: tuple[int, ...] = ()
    kept: int = 0


PlanClaims = Callable[[list[Claim], set[int]], ClaimChanges]


def _claim_row(claim: Claim, document_id: int) -> dict[str, object]:
    """Convert a Claim to a ``claims`` row."""
    row = _claim_values(claim, document_id)
    for name, width in _WIDTHS.items():
        value = row.get(name)
        if isinstance(value, str) and len(value) > width:
            row[name] = value[:width]
    return row


def _claim_values(claim: Claim, document_id: int) -> dict[str, object]:
    return {
        "document_id": document_id,
        "span_start": claim.start,
        "span_end": claim.end,
        "quote": claim.quote,
        "subject": claim.subject,
        "metric": claim.metric,
        "value": claim.value,
        "value_max": claim.value_max,
        "unit": claim.unit,
        "value_usd": claim.value_usd,
        "approx": claim.approx,
        "as_of": claim.as_of,
        "modality": str(claim.modality) if claim.modality else None,
        "source": claim.source,
        "qualifier": claim.qualifier,
        "total": claim.total,
        "alt": [[value, unit] for value, unit in claim.alt] or None,
        "extractor_version": claim.extractor_version or "unknown",
        "status": str(claim.status),
    }


def _claim_from_row(row: sa.RowMapping) -> Claim:
    """Convert a ``claims`` row to a Claim."""
    return Claim(
        start=row["span_start"],
        end=row["span_end"],
        quote=row["quote"],
        subject=row["subject"],
        metric=row["metric"],
        value=row["value"],
        unit=row["unit"],
        value_max=row["value_max"],
        approx=row["approx"],
        as_of=row["as_of"],
        modality=Modality(row["modality"]) if row["modality"] else None,
        source=row["source"],
        qualifier=row["qualifier"],
        total=row["total"],
        alt=tuple((float(v), str(u)) for v, u in row["alt"] or ()),
        value_usd=row["value_usd"],
        document_id=row["document_id"],
        extractor_version=row["extractor_version"],
        status=ReviewStatus(row["status"]),
        id=row["id"],
    )


_REVIEW_FIELDS = ("subject", "metric", "value", "value_max", "unit", "as_of", "modality", "note")


def _utc(moment: datetime | None) -> datetime | None:
    """Return a stored time as UTC (SQLite keeps no zone; every time airace writes is UTC)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _review_from_row(row: sa.RowMapping) -> Review:
    """Convert a ``claim_reviews`` row to a Review."""
    return Review(
        id=row["id"],
        claim_id=row["claim_id"],
        status=ReviewStatus(row["status"]),
        created_at=_utc(row["created_at"]),
        **{name: row[name] for name in _REVIEW_FIELDS},
    )


def _document_from_row(row: sa.RowMapping) -> Document:
    """Convert a ``documents`` row to a Document."""
    return Document(
        id=row["id"],
        origin=row["origin"],
        text=row["text"],
        content_hash=row["content_hash"],
        title=row["title"],
        language=row["language"],
        published=row["published"],
        fetched_at=_utc(row["fetched_at"]),
    )


def open_store(db: str | None = None, *, migrate_schema: bool | None = None) -> Store:
    """Open (and, where appropriate, create or migrate) the database at ``db``.

    Args:
        db: a SQLite path or a database URL; defaults to the ``AIRACE_DB`` setting.
        migrate_schema: upgrade an existing database that is behind. ``None`` means: SQLite
            yes, PostgreSQL no (run ``airace db upgrade``). A blank database is always set up.

    Raises:
        StoreError: the database cannot be reached.
        SchemaOutOfDate: the schema is behind and may not be migrated here.
    """
    if db is None:
        from airace.config import get_settings

        db = get_settings().db
    engine = create_engine(db)
    try:
        revision = migrate.current_revision(engine)
    except OperationalError as error:
        engine.dispose()
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise StoreError(f"cannot open database: {reason}", path=db) from error
    if revision != migrate.SCHEMA_HEAD:
        allowed = engine.dialect.name == "sqlite" if migrate_schema is None else migrate_schema
        if revision is not None and not allowed:
            engine.dispose()
            raise SchemaOutOfDate(
                f"database schema is at revision {revision}, this airace needs "
                f"{migrate.SCHEMA_HEAD}",
                path=db,
                hint="run `airace db upgrade`",
            )
        migrate.upgrade(engine)
    return Store(engine)


def _claim_filters(
    query: _Select,
    *,
    subject: str | None,
    metric: str | None,
    document_id: int | None,
    period: str | None,
    language: str | None,
    source: str | None,
    status: ReviewStatus | None,
    modality: str | None = None,
) -> _Select:
    """Add the ``WHERE`` clauses of the claim filters to ``query``."""
    column = claims_table.c
    if subject is not None:
        query = query.where(column.subject == subject)
    if metric is not None:
        query = query.where(column.metric == metric)
    if document_id is not None:
        query = query.where(column.document_id == document_id)
    if period is not None:
        query = query.where(
            sa.or_(column.as_of == period, column.as_of.startswith(f"{period}-", autoescape=True))
        )
    if language is not None:
        query = query.where(
            column.document_id.in_(
                sa.select(documents.c.id).where(documents.c.language == language)
            )
        )
    if source is not None:
        query = query.where(sa.func.lower(column.source) == source.lower())
    if status is not None:
        query = query.where(column.status == str(status))
    if modality is not None:  # "fact": none stated
        fact = modality == "fact"
        query = query.where(column.modality.is_(None) if fact else column.modality == modality)
    return query
