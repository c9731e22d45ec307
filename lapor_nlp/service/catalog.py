"""The model catalog: which versions exist and which one serves, decided by the database.

The registry directory holds the artifacts; the ``model_versions`` table mirrors it and is
the source of truth for the active version. A promotion is one transaction (old active ->
retired, new -> active, audit row, and on PostgreSQL a ``NOTIFY``); afterwards the registry's
file pointer is updated too, so offline tools (``lapor-nlp predict``) agree.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from lapor_nlp.errors import ConflictError, ModelNotFoundError
from lapor_nlp.registry import ModelInfo, ModelRegistry
from lapor_nlp.registry.artifact import checked_metadata
from lapor_nlp.registry.metadata import ComparisonReport, ModelMetadata
from lapor_nlp.store import Store
from lapor_nlp.store import model_versions as rows
from lapor_nlp.store import repository as repo
from lapor_nlp.store.tables import ModelVersion, utcnow

logger = logging.getLogger(__name__)

DEFAULT_CHANNEL = "lapor_nlp_model"

ActivationHook = Callable[[Session, str, str, str], None]
"""Called inside an activation's transaction with (session, version, actor, action)."""


@dataclass(frozen=True)
class ModelRecord:
    """One catalog entry as callers see it."""

    version: str
    status: str
    created_at: datetime
    activated_at: datetime | None
    retired_at: datetime | None
    metrics: dict[str, Any]
    report: dict[str, Any] | None
    parent_version: str | None
    job_id: str | None


@dataclass(frozen=True)
class Promotion:
    """The outcome of a promotion or rollback."""

    version: str
    previous_version: str | None


def _record(row: ModelVersion) -> ModelRecord:
    return ModelRecord(
        version=row.version,
        status=row.status,
        created_at=row.created_at,
        activated_at=row.activated_at,
        retired_at=row.retired_at,
        metrics=dict(row.metrics or {}),
        report=row.report,
        parent_version=row.parent_version,
        job_id=row.job_id,
    )


def _plain(report: ComparisonReport | None) -> dict[str, Any] | None:
    """A comparison report as the plain JSON object the ``model_versions`` row stores."""
    return None if report is None else dict(report)


def parse_created_at(value: object) -> datetime:
    """A model's ``created_at`` metadata as an aware datetime (now when missing or invalid)."""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return utcnow()
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


class ModelCatalog:
    """Model versions and the active one, shared by every process on one database.

    Parameters
    ----------
    store : Store
        The database (table ``model_versions``).
    registry : ModelRegistry
        The model directories the catalog mirrors.
    notify_channel : str
        PostgreSQL channel on which promotions are announced (payload: the new version).
    on_activate : callable, optional
        Runs in the same transaction as a promotion or rollback (the auto-route guard
        starts the newly active model's guard there).
    """

    def __init__(
        self,
        store: Store,
        registry: ModelRegistry,
        *,
        notify_channel: str = DEFAULT_CHANNEL,
        on_activate: ActivationHook | None = None,
    ) -> None:
        self.store = store
        self.registry = registry
        self.notify_channel = notify_channel
        self.on_activate = on_activate

    # ------------------------------------------------------------------ reading
    def list_versions(self) -> list[ModelRecord]:
        """Every version (candidate, active, retired), newest first."""
        with self.store.read() as session:
            return [_record(row) for row in rows.list_versions(session)]

    def get(self, version: str) -> ModelRecord:
        """The catalog entry of ``version``; ModelNotFoundError when there is none."""
        with self.store.read() as session:
            row = rows.get_version(session, version)
            if row is None:
                raise ModelNotFoundError(f"no model with version {version!r}")
            return _record(row)

    def active_version(self) -> str | None:
        """The active version according to the database."""
        with self.store.read() as session:
            return rows.active_version(session)

    # ------------------------------------------------------------------ syncing
    def sync(self, *, actor: str = "sync") -> list[str]:
        """Add registry versions the database does not know; return the versions added.

        When the database has no active version yet, the registry's active one (or, in an
        empty registry, the bundled default after seeding) becomes active.
        """
        infos = {info.version: info for info in self.registry.list_models()}
        with self.store.transaction() as session:
            rows.lock_catalog(session)
            known = {row.version for row in rows.list_versions(session)}
            added = [v for v in sorted(infos) if v not in known]
            for version in added:
                self._insert(session, infos[version])
            if rows.active_version(session) is None:
                file_active = self.registry.active_version()
                if file_active is not None and file_active in known | set(added):
                    rows.set_active(session, file_active)
                    repo.add_audit(
                        session,
                        actor=actor,
                        action="model.sync_active",
                        target=f"model:{file_active}",
                        detail={"source": "registry pointer"},
                    )
            active = rows.active_version(session)
        if added:
            logger.info("model catalog: added %s", ", ".join(added))
        if active is not None:
            self._point_registry(active)
        return added

    def _insert(self, session: Session, info: ModelInfo) -> ModelVersion:
        meta = info.metadata
        return rows.add_version(
            session,
            version=info.version,
            status="retired" if info.status == "retired" else "candidate",
            created_at=parse_created_at(info.created_at),
            metrics=dict(info.metrics),
            report=_plain(meta.get("comparison")),
            parent_version=meta.get("parent_version"),
            job_id=meta.get("retrain_job"),
        )

    def add_candidate(
        self,
        session: Session,
        *,
        version: str,
        metadata: ModelMetadata,
        report: ComparisonReport | None,
        job_id: str | None,
        actor: str,
    ) -> None:
        """Record a newly registered model as a candidate inside the caller's transaction."""
        rows.lock_catalog(session)
        rows.add_version(
            session,
            version=version,
            status="candidate",
            created_at=parse_created_at(metadata.get("created_at")),
            metrics=dict(metadata.get("metrics") or {}),
            report=_plain(report),
            parent_version=metadata.get("parent_version"),
            job_id=job_id,
        )
        repo.add_audit(
            session,
            actor=actor,
            action="model.register",
            target=f"model:{version}",
            detail={"job_id": job_id, "parent_version": metadata.get("parent_version")},
        )

    # ---------------------------------------------------------------- changing
    def promote(self, version: str, *, actor: str) -> Promotion:
        """Make ``version`` the active model (one transaction, audited)."""
        self._verify_artifact(version)
        with self.store.transaction() as session:
            rows.lock_catalog(session)
            if rows.get_version(session, version) is None:
                # Registered by another tool since the last sync (e.g. ``lapor-nlp train``).
                self._insert(session, self.registry.get(version))
            previous = self._switch(session, version, actor=actor, action="model.promote")
        self._point_registry(version)
        logger.info("model %s promoted by %s (was %s)", version, actor, previous)
        return Promotion(version=version, previous_version=previous)

    def rollback(self, *, actor: str) -> Promotion:
        """Re-activate the model that was active before the current one."""
        with self.store.transaction() as session:
            rows.lock_catalog(session)
            current = rows.active_version(session)
            target = rows.previously_active(session, [current] if current else [])
            if target is None:
                raise ConflictError("no previously active model to roll back to")
            self._verify_artifact(target)
            self._switch(session, target, actor=actor, action="model.rollback")
        self._point_registry(target)
        logger.info("model rolled back to %s by %s (was %s)", target, actor, current)
        return Promotion(version=target, previous_version=current)

    def _switch(self, session: Session, version: str, *, actor: str, action: str) -> str | None:
        """Activate ``version`` inside the caller's transaction: audit it, announce it."""
        previous = rows.set_active(session, version)
        if self.on_activate is not None:
            self.on_activate(session, version, actor, action)
        repo.add_audit(
            session,
            actor=actor,
            action=action,
            target=f"model:{version}",
            detail={"previous_version": previous},
        )
        rows.notify(session, self.notify_channel, version)
        return previous

    def _verify_artifact(self, version: str) -> None:
        try:
            directory = self.registry.path_of(version)
        except ModelNotFoundError:  # the registry's message names a server path: not for clients
            raise ModelNotFoundError(f"no model with version {version!r}") from None
        checked_metadata(directory, action="activate")

    def _point_registry(self, version: str) -> None:
        """Make the registry's file pointer follow the database (best effort).

        Runs after the promotion's commit, under the catalog lock, and writes what the
        database says *now*: concurrent promotions cannot leave the file pointing at an older
        version than the database.
        """
        try:
            with self.store.transaction() as session:
                rows.lock_catalog(session)
                active = rows.active_version(session) or version
                if self.registry.active_version() != active:
                    self.registry.activate(active)
        except Exception as exc:  # the database stays the source of truth
            logger.warning("could not update the registry pointer to %s: %s", version, exc)
