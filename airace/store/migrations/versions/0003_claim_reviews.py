"""Human review of claims, stored beside them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim_reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("claim_id", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(200)),
        sa.Column("metric", sa.String(40)),
        sa.Column("value", sa.Float),
        sa.Column("value_max", sa.Float),
        sa.Column("unit", sa.String(40)),
        sa.Column("as_of", sa.String(10)),
        sa.Column("note", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_claim_reviews"),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name="fk_claim_reviews_claim_id_claims",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_claim_reviews_claim_id", "claim_reviews", ["claim_id"])


def downgrade() -> None:
    op.drop_index("ix_claim_reviews_claim_id", table_name="claim_reviews")
    op.drop_table("claim_reviews")
