"""Claims extracted from documents.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.Integer, nullable=False),
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
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_claims_document_id_documents",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_claims_document_id", "claims", ["document_id"])
    op.create_index("ix_claims_subject_metric", "claims", ["subject", "metric"])


def downgrade() -> None:
    op.drop_index("ix_claims_subject_metric", table_name="claims")
    op.drop_index("ix_claims_document_id", table_name="claims")
    op.drop_table("claims")
