"""Storage tables: the relational shape of the domain model.

Only ``store/`` speaks SQL. ``repository.py`` converts these rows to and from the dataclasses of
``airace.model``. Alembic migrations under ``migrations/`` create and evolve these tables; a
test checks that the head migration produces exactly this metadata.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# One row per distinct cleaned text: content_hash is the idempotency key.
documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("content_hash", sa.String(100), nullable=False, unique=True),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("language", sa.String(16)),
    sa.Column("published", sa.Date),
    sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
)

# Every place a document was seen: the same text from another path or URL adds a row here,
# not a second document.
document_origins = sa.Table(
    "document_origins",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "document_id",
        sa.Integer,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("origin", sa.String(2000), nullable=False),
    sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("document_id", "origin"),
)

sa.Index("ix_documents_published", documents.c.published)

# Claims read out of a document; quote == documents.text[span_start:span_end].
claims = sa.Table(
    "claims",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("span_start", sa.Integer, nullable=False),
    sa.Column("span_end", sa.Integer, nullable=False),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("metric", sa.String(40), nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("value_max", sa.Float),
    sa.Column("unit", sa.String(40), nullable=False),
    sa.Column("value_usd", sa.Float),
    sa.Column("approx", sa.Boolean, nullable=False),
    sa.Column("as_of", sa.String(10)),
    sa.Column("modality", sa.String(20)),
    sa.Column("source", sa.String(200)),
    sa.Column("qualifier", sa.String(200)),
    sa.Column("total", sa.Float),
    sa.Column("alt", sa.JSON),
    sa.Column("extractor_version", sa.String(60), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
)
sa.Index("ix_claims_document_id", claims.c.document_id)
sa.Index("ix_claims_subject_metric", claims.c.subject, claims.c.metric)

# Human review decisions, beside the claims they judge: a correction never overwrites the claim.
# The latest row per claim (highest id) is the one that counts; claims.status mirrors it.
claim_reviews = sa.Table(
    "claim_reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "claim_id", sa.Integer, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("subject", sa.String(200)),
    sa.Column("metric", sa.String(40)),
    sa.Column("value", sa.Float),
    sa.Column("value_max", sa.Float),
    sa.Column("unit", sa.String(40)),
    sa.Column("as_of", sa.String(10)),
    sa.Column("modality", sa.String(20)),
    sa.Column("note", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index("ix_claim_reviews_claim_id", claim_reviews.c.claim_id)
