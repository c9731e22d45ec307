"""Rows of the model catalog (``model_versions``), the database's mirror of the registry.

Writers call :func:`lock_catalog` first in their transaction, so catalog changes from several
processes (API replicas, the CLI, a retraining worker) are applied one after another.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from lapor_nlp.store.tables import ModelVersion, utcnow

# Any constant works; it only has to be the same for every process sharing one database.
_PG_CATALOG_LOCK = 7_310_442_002


def lock_catalog(session: Session) -> None:
    """Serialise catalog writers until the end of the caller's transaction.

    PostgreSQL takes a transaction-scoped advisory lock. SQLite takes its database write lock
    with a write that changes nothing (the busy timeout makes other writers wait).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_CATALOG_LOCK})
    else:
        session.execute(text("UPDATE model_versions SET status = status WHERE 0 = 1"))


def list_versions(session: Session) -> list[ModelVersion]:
    """Every known version, newest first."""
    statement = select(ModelVersion).order_by(
        ModelVersion.created_at.desc(), ModelVersion.version.desc()
    )
    return list(session.scalars(statement))


def get_version(session: Session, version: str) -> ModelVersion | None:
    """The catalog row of ``version``, or None."""
    return session.get(ModelVersion, version)


def active_version(session: Session) -> str | None:
    """The version whose status is ``active`` (at most one, by the unique index)."""
    return session.scalars(
        select(ModelVersion.version).where(ModelVersion.status == "active")
    ).one_or_none()


def add_version(
    session: Session,
    *,
    version: str,
    status: str,
    created_at: datetime,
    metrics: dict[str, Any],
    report: dict[str, Any] | None = None,
    parent_version: str | None = None,
    job_id: str | None = None,
    artifact_sha256: str | None = None,
) -> ModelVersion:
    """Insert a catalog row for a model version."""
    row = ModelVersion(
        artifact_sha256=artifact_sha256,
        version=version,
        status=status,
        created_at=created_at,
        registered_at=utcnow(),
        metrics=metrics,
        report=report,
        parent_version=parent_version,
        job_id=job_id,
    )
    session.add(row)
    session.flush()
    return row


def set_active(session: Session, version: str) -> str | None:
    """Retire the active version and activate ``version``; return the one retired.

    Two UPDATEs in the caller's transaction: the retirement runs first, so the partial unique
    index never sees two active rows.
    """
    now = utcnow()
    previous = active_version(session)
    if previous == version:
        return previous
    if previous is not None:
        session.execute(
            update(ModelVersion)
            .where(ModelVersion.version == previous)
            .values(status="retired", retired_at=now)
        )
    session.execute(
        update(ModelVersion)
        .where(ModelVersion.version == version)
        .values(status="active", activated_at=now, retired_at=None)
    )
    session.expire_all()
    return previous


def previously_active(session: Session, exclude: Sequence[str]) -> str | None:
    """The most recently activated version other than ``exclude`` (for rollback)."""
    statement = (
        select(ModelVersion.version)
        .where(ModelVersion.activated_at.is_not(None))
        .where(ModelVersion.status != "active")
        .order_by(ModelVersion.activated_at.desc())
    )
    if exclude:
        statement = statement.where(ModelVersion.version.not_in(list(exclude)))
    return session.scalars(statement.limit(1)).first()


def notify(session: Session, channel: str, payload: str) -> None:
    """PostgreSQL only: announce ``payload`` on ``channel`` when the transaction commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:c, :p)"), {"c": channel, "p": payload})
