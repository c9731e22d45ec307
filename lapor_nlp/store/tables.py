"""ORM tables of the service (SQLAlchemy 2 typed declarative).

Every column change needs a new Alembic revision in ``lapor_nlp/store/migrations/versions``;
the server never calls ``create_all``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
BigIntId = BigInteger().with_variant(Integer(), "sqlite")

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes; store aware ones as UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Read stored datetimes back as aware UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every table, with the naming convention of constraints."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class Complaint(Base):
    """One citizen complaint; ``text`` and ``title`` are stored with personal data masked."""

    __tablename__ = "complaints"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(500))
    channel: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    predictions: Mapped[list[Prediction]] = relationship(
        back_populates="complaint", order_by="Prediction.id", cascade="all, delete-orphan"
    )
    feedback: Mapped[list[Feedback]] = relationship(
        back_populates="complaint", order_by="Feedback.id", cascade="all, delete-orphan"
    )


class Prediction(Base):
    """One routing of a complaint by one model version (a complaint may be routed again)."""

    __tablename__ = "predictions"
    __table_args__ = (
        Index("ix_predictions_review_queue", "decision", "top_confidence", "created_at"),
        Index("ix_predictions_audit", "model_version", "audit", "complaint_id"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    complaint_id: Mapped[str] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    model_version: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(16))
    opd: Mapped[list[Any]] = mapped_column()
    category: Mapped[list[Any]] = mapped_column()
    explanation: Mapped[list[Any]] = mapped_column()
    # the authority head's call {"level", "confidence"} when likely not the province's matter
    authority: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    top_opd: Mapped[str] = mapped_column(String(64))
    top_confidence: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    margin: Mapped[float | None] = mapped_column(Float)
    """Top-1 minus top-2 OPD probability (None on rows older than the guard)."""
    audit: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """A would-be ``auto`` routing drawn for an operator's audit (its verdict measures auto)."""
    guard_state: Mapped[str | None] = mapped_column(String(16))

    complaint: Mapped[Complaint] = relationship(back_populates="predictions")


class ApiKey(Base):
    """An API key: only its SHA-256 and a short prefix (for listing) are stored."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()


class AuditEntry(Base):
    """Who did what to which record, and when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Feedback(Base):
    """An operator's verdict on a routing; ``operator`` and ``note`` are stored masked.

    ``model_version`` and ``predicted_opd`` describe the latest prediction when the verdict was
    given; ``request_sha256`` fingerprints the request so a retry with the same
    ``idempotency_key`` but another body is refused. A complaint's latest row is its verdict;
    ``withdrawn`` (an undo) means it has none.
    """

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    complaint_id: Mapped[str] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    verdict: Mapped[str] = mapped_column(String(16))
    opd: Mapped[str | None] = mapped_column(String(64))
    category: Mapped[str | None] = mapped_column(String(64))
    operator: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    model_version: Mapped[str | None] = mapped_column(String(64))
    predicted_opd: Mapped[str | None] = mapped_column(String(64))
    actor: Mapped[str | None] = mapped_column(String(100))
    request_sha256: Mapped[str | None] = mapped_column(String(64))
    supersedes_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("feedback.id", ondelete="SET NULL"), default=None
    )
    """The verdict this one replaces (the complaint's latest before it); the latest counts."""

    complaint: Mapped[Complaint] = relationship(back_populates="feedback")


MODEL_STATUSES = ("candidate", "active", "retired")
JOB_STATUSES = ("queued", "running", "succeeded", "failed")


class ModelVersion(Base):
    """The database's mirror of the model registry; the database decides which one is active.

    At most one row has ``status = 'active'``: a partial unique index enforces it.
    """

    __tablename__ = "model_versions"
    __table_args__ = (
        CheckConstraint(
            "status IN ('candidate', 'active', 'retired')", name="ck_model_versions_status"
        ),
        Index(
            "uq_model_versions_one_active",
            "status",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column()
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column()
    retired_at: Mapped[datetime | None] = mapped_column()
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON())
    parent_version: Mapped[str | None] = mapped_column(String(64))
    job_id: Mapped[str | None] = mapped_column(String(32))
    artifact_sha256: Mapped[str | None] = mapped_column(String(64))


class RetrainJob(Base):
    """One retraining run. ``slot`` is 1 while the job is queued or running and NULL after;
    its unique constraint lets only one retraining exist at a time."""

    __tablename__ = "retrain_jobs"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'running', 'succeeded', 'failed')",
            name="ck_retrain_jobs_status",
        ),
        CheckConstraint(
            "slot IS NULL OR (slot = 1 AND status IN ('queued', 'running'))",
            name="ck_retrain_jobs_slot",
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    slot: Mapped[int | None] = mapped_column(Integer, unique=True)
    phase: Mapped[str | None] = mapped_column(String(32))
    requested_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    pid: Mapped[int | None] = mapped_column(Integer)
    base_version: Mapped[str | None] = mapped_column(String(64))
    candidate_version: Mapped[str | None] = mapped_column(String(64))
    feedback_labels: Mapped[int | None] = mapped_column(Integer)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON())
    error: Mapped[str | None] = mapped_column(Text)
    auto_promoted: Mapped[bool] = mapped_column(Boolean, default=False)


GUARD_STATES = ("shadow", "on", "tightened", "off")


class GuardState(Base):
    """The auto-route guard of one model version: the database decides for every replica.

    ``threshold`` and ``margin`` are set while ``tightened`` (the re-fitted, stricter rule);
    otherwise the model's own (or the deployment's) thresholds apply.
    """

    __tablename__ = "auto_guard"
    __table_args__ = (
        CheckConstraint(
            "state IN ('shadow', 'on', 'tightened', 'off')", name="ck_auto_guard_state"
        ),
    )

    model_version: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    threshold: Mapped[float | None] = mapped_column(Float)
    margin: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
