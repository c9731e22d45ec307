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
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from lapor_nlp.errors import ConflictError, ModelIntegrityError, ModelNotFoundError
from lapor_nlp.fingerprint import sha256_file
from lapor_nlp.registry import ModelInfo, ModelRegistry
from lapor_nlp.registry.artifact import ARTIFACT, checked_metadata, read_metadata
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

    def artifact_sha256(self, version: str) -> str | None:
        """The artifact checksum recorded when ``version`` was registered (None: unknown)."""
        with self.store.read() as session:
            row = rows.get_version(session, version)
            return row.artifact_sha256 if row is not None else None

    # ------------------------------------------------------------------ syncing
    def sync(self, *, actor: str = "sync") -> list[str]:
        """Register the models the catalog may take from the registry; return those added.

        An artifact is trusted through the checksum the database records when it is
        registered, so directories that merely appear in the registry are not registered,
        with two exceptions: the bundled default model (checksum read from the installation),
        and every model of a registry met by an empty catalog (a new installation). Rows
        registered before checksums were recorded get the current file's checksum once.
        When the database has no active version yet, the registry's active one becomes active.
        """
        infos = {info.version: info for info in self.registry.list_models()}
        with self.store.transaction() as session:
            rows.lock_catalog(session)
            existing = rows.list_versions(session)
            known = {row.version for row in existing}
            added: list[str] = []
            for version in sorted(set(infos) - known):
                sha = self.registry.bundled_sha256(version)
                if sha is None and known:
                    logger.warning(
                        "model directory %s is not registered and is ignored; a maintainer "
                        "registers a model with `lapor-nlp models register DIR`",
                        version,
                    )
                    continue
                self._insert(session, infos[version], sha or self._file_sha256(version))
                added.append(version)
            for row in existing:
                if row.artifact_sha256 is None and row.version in infos:
                    row.artifact_sha256 = self._file_sha256(row.version)
                    logger.warning("recorded the artifact checksum of model %s", row.version)
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

    def register_directory(self, source: Path, *, actor: str) -> str:
        """Register the model directory ``source`` (a maintainer's explicit act): copy it into
        the registry and record its artifact's checksum, computed from ``source``."""
        source = Path(source)
        meta = read_metadata(source)
        version = str(meta["version"])
        sha = sha256_file(source / ARTIFACT)
        if self.artifact_sha256(version) is not None:
            raise ConflictError(f"model {version!r} is already registered")
        self.registry.install(source)
        copied = sha256_file(self.registry.path_of(version) / ARTIFACT)
        if copied != sha:
            raise ModelIntegrityError(
                f"the registry already holds another artifact for {version!r}; remove it first"
            )
        info = self.registry.get(version)
        with self.store.transaction() as session:
            rows.lock_catalog(session)
            if rows.get_version(session, version) is not None:
                raise ConflictError(f"model {version!r} is already registered")
            self._insert(session, info, sha)
            repo.add_audit(
                session,
                actor=actor,
                action="model.register",
                target=f"model:{version}",
                detail={"artifact_sha256": sha, "source": "directory"},
            )
        logger.info("model %s registered by %s", version, actor)
        return version

    def _file_sha256(self, version: str) -> str:
        return sha256_file(self.registry.path_of(version) / ARTIFACT)

    def _insert(self, session: Session, info: ModelInfo, artifact_sha256: str) -> ModelVersion:
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
            artifact_sha256=artifact_sha256,
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
            artifact_sha256=str(metadata["artifact_sha256"]),
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
        with self.store.transaction() as session:
            rows.lock_catalog(session)
            row = rows.get_version(session, version)
            if row is None:  # a directory in the registry is not a registered model
                raise ModelNotFoundError(
                    f"no registered model with version {version!r} (a maintainer registers "
                    "one with `lapor-nlp models register DIR`)"
                )
            self._verify_artifact(version, row.artifact_sha256)
            previous = self._switch(session, version, actor=actor, action="model.promote")
        self._point_registry(version)
        logger.info("model %s promoted by %s (was %s)", version, actor, previous)
        return Promotion(version=version, previous_version=previous)

    def rollback_target(self) -> str | None:
        """The version :meth:`rollback` would re-activate, or None (then there is nothing to
        roll back to, and the console shows no rollback button)."""
        with self.store.read() as session:
            current = rows.active_version(session)
            return rows.previously_active(session, [current] if current else [])

    def rollback(self, *, actor: str) -> Promotion:
        """Re-activate the model that was active before the current one."""
        with self.store.transaction() as session:
            rows.lock_catalog(session)
            current = rows.active_version(session)
            target = rows.previously_active(session, [current] if current else [])
            if target is None:
                raise ConflictError("no previously active model to roll back to")
            row = rows.get_version(session, target)
            self._verify_artifact(target, row.artifact_sha256 if row is not None else None)
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

    def _verify_artifact(self, version: str, expected_sha256: str | None) -> None:
        """Refuse a version whose artifact is not the one registered (nothing is unpickled)."""
        try:
            directory = self.registry.path_of(version)
        except ModelNotFoundError:  # the registry's message names a server path: not for clients
            raise ModelNotFoundError(f"no model with version {version!r}") from None
        if expected_sha256 is None:
            raise ModelIntegrityError(f"refusing to activate {version}: no registered checksum")
        checked_metadata(
            directory,
            action="activate",
            expected_sha256=expected_sha256,
            signing_key=self.registry.signing_key,
        )

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
