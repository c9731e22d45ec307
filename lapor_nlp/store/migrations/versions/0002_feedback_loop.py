"""Feedback loop: model version catalog, retraining jobs, feedback provenance columns.

Revision ID: 0002_feedback_loop
Revises: 0001_initial
Create Date: 2025-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from lapor_nlp.store.tables import UTCDateTime

revision = "0002_feedback_loop"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("feedback", sa.Column("model_version", sa.String(64), nullable=True))
    op.add_column("feedback", sa.Column("predicted_opd", sa.String(64), nullable=True))
    op.add_column("feedback", sa.Column("actor", sa.String(100), nullable=True))
    op.add_column("feedback", sa.Column("request_sha256", sa.String(64), nullable=True))
    op.create_index("ix_feedback_created_at", "feedback", ["created_at"])

    op.create_table(
        "model_versions",
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("registered_at", UTCDateTime(), nullable=False),
        sa.Column("activated_at", UTCDateTime(), nullable=True),
        sa.Column("retired_at", UTCDateTime(), nullable=True),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("parent_version", sa.String(64), nullable=True),
        sa.Column("job_id", sa.String(32), nullable=True),
        sa.CheckConstraint(
            "status IN ('candidate', 'active', 'retired')", name="ck_model_versions_status"
        ),
        sa.PrimaryKeyConstraint("version", name="pk_model_versions"),
    )
    # Exactly one active model, enforced by the database (partial unique index; both dialects).
    op.create_index(
        "uq_model_versions_one_active",
        "model_versions",
        ["status"],
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    )

    op.create_table(
        "retrain_jobs",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=True),
        sa.Column("phase", sa.String(32), nullable=True),
        sa.Column("requested_by", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("heartbeat_at", UTCDateTime(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("base_version", sa.String(64), nullable=True),
        sa.Column("candidate_version", sa.String(64), nullable=True),
        sa.Column("feedback_labels", sa.Integer(), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("auto_promoted", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'succeeded', 'failed')",
            name="ck_retrain_jobs_status",
        ),
        # One retraining at a time: ``slot`` is 1 while queued/running, NULL afterwards.
        sa.CheckConstraint(
            "slot IS NULL OR (slot = 1 AND status IN ('queued', 'running'))",
            name="ck_retrain_jobs_slot",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_retrain_jobs"),
        sa.UniqueConstraint("slot", name="uq_retrain_jobs_slot"),
    )
    op.create_index("ix_retrain_jobs_created_at", "retrain_jobs", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_retrain_jobs_created_at", table_name="retrain_jobs")
    op.drop_table("retrain_jobs")
    op.drop_index("uq_model_versions_one_active", table_name="model_versions")
    op.drop_table("model_versions")
    op.drop_index("ix_feedback_created_at", table_name="feedback")
    with op.batch_alter_table("feedback") as batch:
        for column in ("request_sha256", "actor", "predicted_opd", "model_version"):
            batch.drop_column(column)
