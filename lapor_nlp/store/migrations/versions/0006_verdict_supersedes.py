"""A verdict may supersede an earlier one (undo, change of verdict): both stay in the history.

Revision ID: 0006_verdict_supersedes
Revises: 0005_prediction_authority
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_verdict_supersedes"
down_revision = "0005_prediction_authority"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        big = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
        batch.add_column(sa.Column("supersedes_id", big, nullable=True))
        batch.create_foreign_key(
            "fk_feedback_supersedes_id_feedback",
            "feedback",
            ["supersedes_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.drop_constraint("fk_feedback_supersedes_id_feedback", type_="foreignkey")
        batch.drop_column("supersedes_id")
