"""Hardening: the SHA-256 of each registered model's artifact, recorded in the database.

Loading checks an artifact against this column, not against the metadata file beside it.
Rows of models registered before this revision get it on the next start (see
``ModelCatalog.sync``).

Revision ID: 0004_hardening
Revises: 0002_feedback_loop
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_hardening"
down_revision = "0003_auto_guard"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("model_versions", sa.Column("artifact_sha256", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("model_versions") as batch:
        batch.drop_column("artifact_sha256")
