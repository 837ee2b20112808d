"""Documents and the origins they were seen at.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("content_hash", sa.String(100), nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("language", sa.String(16)),
        sa.Column("published", sa.Date),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("content_hash", name="uq_documents_content_hash"),
    )
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_table(
        "document_origins",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("origin", sa.String(2000), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_document_origins"),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_document_origins_document_id_documents",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("document_id", "origin", name="uq_document_origins_document_id_origin"),
    )


def downgrade() -> None:
    op.drop_table("document_origins")
    op.drop_index("ix_documents_published", table_name="documents")
    op.drop_table("documents")
