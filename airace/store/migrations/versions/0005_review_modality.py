"""A review can correct a claim's modality (a plan read as a holding, or the reverse).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claim_reviews") as batch:
        batch.add_column(sa.Column("modality", sa.String(20)))


def downgrade() -> None:
    with op.batch_alter_table("claim_reviews") as batch:
        batch.drop_column("modality")
