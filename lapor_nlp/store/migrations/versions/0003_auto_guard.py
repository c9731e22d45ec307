"""Guarded auto-routing: audit marks on predictions and the guard's state per model version.

Revision ID: 0003_auto_guard
Revises: 0002_feedback_loop
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from lapor_nlp.store.tables import UTCDateTime

revision = "0003_auto_guard"
down_revision = "0002_feedback_loop"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("predictions") as batch:
        batch.add_column(sa.Column("margin", sa.Float(), nullable=True))
        batch.add_column(
            sa.Column("audit", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("guard_state", sa.String(16), nullable=True))
    op.create_index(
        "ix_predictions_audit", "predictions", ["model_version", "audit", "complaint_id"]
    )
    op.create_table(
        "auto_guard",
        sa.Column("model_version", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("margin", sa.Float(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "state IN ('shadow', 'on', 'tightened', 'off')", name="ck_auto_guard_state"
        ),
        sa.PrimaryKeyConstraint("model_version", name="pk_auto_guard"),
    )


def downgrade() -> None:
    op.drop_table("auto_guard")
    op.drop_index("ix_predictions_audit", table_name="predictions")
    with op.batch_alter_table("predictions") as batch:
        for column in ("guard_state", "audit", "margin"):
            batch.drop_column(column)
