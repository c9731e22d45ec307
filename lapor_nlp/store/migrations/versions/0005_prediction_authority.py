"""Predictions record the authority head's call: the level a complaint likely belongs to.

Revision ID: 0005_prediction_authority
Revises: 0004_hardening
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_prediction_authority"
down_revision = "0004_hardening"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # {"level": "kabkota"|"pusat"|"bumn", "confidence": float}, or NULL (the province's)
    op.add_column("predictions", sa.Column("authority", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("predictions") as batch:
        batch.drop_column("authority")
