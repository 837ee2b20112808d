"""A view of every claim beside its document, for datasette and SQL users.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Plain SQL both SQLite and PostgreSQL read: the claim, then where it was read.
VIEW = """
CREATE VIEW claims_with_documents AS
SELECT
    claims.id AS claim_id,
    claims.subject,
    claims.metric,
    claims.value,
    claims.value_max,
    claims.unit,
    claims.value_usd,
    claims.approx,
    claims.as_of,
    claims.modality,
    claims.source,
    claims.qualifier,
    claims.total,
    claims.status,
    claims.quote,
    claims.span_start,
    claims.span_end,
    documents.id AS document_id,
    documents.title AS document_title,
    documents.origin AS document_origin,
    documents.language AS document_language,
    documents.published AS document_published
FROM claims JOIN documents ON documents.id = claims.document_id
"""


def upgrade() -> None:
    op.execute(VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW claims_with_documents")
