"""Retraining jobs: one at a time (enforced by the database), run in a worker process.

``POST /v1/retrain`` and ``lapor-nlp retrain`` create a queued job; a separate process
(``python -m lapor_nlp.service.retrain_worker JOB_ID``) claims and runs it while the API keeps
serving, marking the job alive every ``job_heartbeat_seconds``. A job whose heartbeat is older
than ``job_stale_seconds`` is failed as interrupted at the next start (or the next request).

A crash at any point leaves things consistent: the candidate's directory is written to a
temporary directory and renamed (a leftover ``.name.*`` scratch directory is ignored by the
registry), and the catalog row and job result are written in one transaction.
"""

from __future__ import annotations

import logging
import math
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy.exc import IntegrityError

from lapor_nlp.errors import ConflictError, DataValidationError, JobConflictError, NotFoundError
from lapor_nlp.registry import ModelRegistry
from lapor_nlp.registry.metadata import ComparisonReport, ModelMetadata
from lapor_nlp.service.catalog import ModelCatalog
from lapor_nlp.service.feedback import FeedbackService
from lapor_nlp.service.masking import mask
from lapor_nlp.settings import Settings
from lapor_nlp.store import RetrainJob, Store
from lapor_nlp.store import jobs as rows
from lapor_nlp.store import repository as repo

if TYPE_CHECKING:
    from lapor_nlp.model.decision import AutoPair
    from lapor_nlp.model.router import ComplaintRouter

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Candidate:
    """A retrained model before it is registered: router, metadata, report, where it came from."""

    router: ComplaintRouter
    metadata: ModelMetadata
    report: ComparisonReport
    base_version: str
    feedback_labels: int


@dataclass(frozen=True)
class JobView:
    """A retraining job as callers see it."""

    job_id: str
    status: str
    phase: str | None
    requested_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime
    base_version: str | None
    candidate_version: str | None
    feedback_labels: int | None
    report: dict[str, Any] | None
    error: str | None
    auto_promoted: bool

    def as_dict(self) -> dict[str, Any]:
        """The job as a plain dict (for schemas)."""
        return asdict(self)


def _view(row: RetrainJob) -> JobView:
    return JobView(
        job_id=row.id,
        status=row.status,
        phase=row.phase,
        requested_by=row.requested_by,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        heartbeat_at=row.heartbeat_at,
        base_version=row.base_version,
        candidate_version=row.candidate_version,
        feedback_labels=row.feedback_labels,
        report=row.report,
        error=row.error,
        auto_promoted=bool(row.auto_promoted),
    )


def jsonable(value: Any) -> Any:
    """``value`` with numpy scalars/arrays made plain and NaN/inf replaced by None."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def worker_env(settings: Settings) -> dict[str, str]:
    """The environment of a worker process: this process's, plus its effective settings."""
    env = dict(os.environ)
    env.update(
        {
            "LAPOR_DATA_DIR": str(settings.data_dir),
            "LAPOR_DATABASE_URL": settings.effective_database_url,
            "LAPOR_MODELS_DIR": str(settings.models_dir),
            "LAPOR_BUNDLED_MODELS_DIR": str(settings.bundled_models_dir),
            "LAPOR_AUTO_PROMOTE": "true" if settings.auto_promote else "false",
            "LAPOR_JOB_HEARTBEAT_SECONDS": str(settings.job_heartbeat_seconds),
            "LAPOR_MODEL_NOTIFY_CHANNEL": settings.model_notify_channel,
            "LAPOR_LOG_LEVEL": settings.log_level,
        }
    )
    # The overrides are part of the pair in force, the floor of the candidate's pair.
    for name, value in (
        ("LAPOR_AUTO_THRESHOLD", settings.auto_threshold),
        ("LAPOR_AUTO_MARGIN", settings.auto_margin),
    ):
        if value is None:
            env.pop(name, None)
        else:
            env[name] = str(value)
    return env


class RetrainJobs:
    """Create, run, watch and reap retraining jobs.

    Parameters
    ----------
    store : Store
        The database.
    registry : ModelRegistry
        Where the active model is loaded from and the candidate is written.
    catalog : ModelCatalog
        Which model is active; records the candidate; promotes it when allowed.
    feedback : FeedbackService
        Source of the feedback labels.
    settings : Settings
        ``auto_promote``, heartbeat and staleness intervals, and the worker's environment.
    on_outcome : callable, optional
        Called with the final status (``succeeded`` or ``failed``) of each job whose worker
        this process started and watched to its end.
    pair_in_force : callable, optional
        The pair the service applies to a model version now (the guard's rule,
        :meth:`~lapor_nlp.service.guard.AutoGuard.pair_in_force`): the floor of the
        candidate's pair. None: the active model's fitted pair.
    """

    def __init__(
        self,
        store: Store,
        registry: ModelRegistry,
        catalog: ModelCatalog,
        feedback: FeedbackService,
        settings: Settings,
        on_outcome: Callable[[str], None] | None = None,
        pair_in_force: Callable[[str], AutoPair] | None = None,
    ) -> None:
        self.store = store
        self.on_outcome = on_outcome
        self.pair_in_force = pair_in_force
        self.registry = registry
        self.catalog = catalog
        self.feedback = feedback
        self.settings = settings
        self._reaper_stop = threading.Event()
        self._reaper: threading.Thread | None = None

    # ---------------------------------------------------------------- records
    def create(self, *, actor: str) -> JobView:
        """Queue a job; JobConflictError (409) naming the job that already holds the slot."""
        self.reap_stale()
        job_id = uuid.uuid4().hex
        try:
            with self.store.transaction() as session:
                row = rows.add_job(session, job_id=job_id, requested_by=actor[:100])
                repo.add_audit(
                    session, actor=actor, action="retrain.request", target=f"job:{job_id}"
                )
                view = _view(row)
        except IntegrityError:
            with self.store.read() as session:
                holder = rows.slot_holder(session)
            if holder is None:  # it finished in between: the caller may simply retry
                raise ConflictError("a retraining job was just finishing; try again") from None
            raise JobConflictError(holder.id) from None
        return view

    def get(self, job_id: str) -> JobView:
        """The job ``job_id``; NotFoundError when there is none."""
        self.reap_stale()  # a job whose worker died reads "failed", not "running"
        with self.store.read() as session:
            row = rows.get_job(session, job_id)
            if row is None:
                raise NotFoundError(f"no retraining job with id {job_id!r}")
            return _view(row)

    def current(self) -> JobView | None:
        """The queued or running job, if there is one."""
        self.reap_stale()
        with self.store.read() as session:
            row = rows.slot_holder(session)
            return None if row is None else _view(row)

    def reap_stale(self) -> list[str]:
        """Fail queued/running jobs without a recent heartbeat; return their ids."""
        with self.store.transaction() as session:
            stale = rows.fail_stale(
                session, older_than=timedelta(seconds=self.settings.job_stale_seconds)
            )
        for job_id in stale:
            logger.warning("retrain job %s marked failed: interrupted", job_id)
        return stale

    def start_reaping(self) -> None:
        """Look for dead jobs every heartbeat interval in a daemon thread (every replica does,
        so a job whose server and worker died is failed within the staleness limit)."""
        if self._reaper is not None:
            return
        self._reaper_stop.clear()

        def _loop() -> None:
            while not self._reaper_stop.wait(self.settings.job_heartbeat_seconds):
                try:
                    self.reap_stale()
                except Exception as exc:  # e.g. the database is down: try again next beat
                    logger.warning("could not look for dead retraining jobs: %s", exc)

        self._reaper = threading.Thread(target=_loop, name="job-reaper", daemon=True)
        self._reaper.start()

    def stop_reaping(self) -> None:
        self._reaper_stop.set()
        if self._reaper is not None:
            self._reaper.join(timeout=5)
            self._reaper = None

    # ---------------------------------------------------------------- workers
    def spawn(self, job_id: str) -> subprocess.Popen[bytes]:
        """Start the worker process for ``job_id`` and watch it from a daemon thread."""
        process = subprocess.Popen(
            [sys.executable, "-m", "lapor_nlp.service.retrain_worker", job_id],
            env=worker_env(self.settings),
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl+C or restart of the server does not kill it
        )
        threading.Thread(
            target=self._watch, args=(job_id, process), name=f"job-{job_id[:8]}", daemon=True
        ).start()
        return process

    def start(self, *, actor: str) -> JobView:
        """Queue a job and start its worker; a worker that cannot start fails the job."""
        view = self.create(actor=actor)
        try:
            self.spawn(view.job_id)
        except OSError as exc:
            with self.store.transaction() as session:
                rows.finish(
                    session,
                    view.job_id,
                    status="failed",
                    error=f"cannot start the worker process: {exc}",
                )
            raise
        return view

    def _watch(self, job_id: str, process: subprocess.Popen[bytes]) -> None:
        """Beat for the job while its worker starts (until it claims the job), then record
        the worker's exit. If this server dies, the beats stop and any replica fails the job."""
        interval = self.settings.job_heartbeat_seconds
        code = None
        while code is None:
            try:
                code = process.wait(timeout=interval)
            except subprocess.TimeoutExpired:
                try:
                    with self.store.transaction() as session:
                        rows.touch_queued(session, job_id)
                except Exception as exc:  # the database is down: the worker will say more
                    logger.warning("retrain job %s: could not mark it alive: %s", job_id, exc)
        try:
            with self.store.transaction() as session:
                ended = rows.finish(
                    session,
                    job_id,
                    status="failed",
                    error=f"the retraining process exited with code {code} before finishing",
                )
        except Exception as exc:
            logger.warning("retrain job %s: could not record the worker's exit: %s", job_id, exc)
            return
        if ended:
            logger.error("retrain job %s failed: worker exited with code %s", job_id, code)
        self._report_outcome(job_id)

    def _report_outcome(self, job_id: str) -> None:
        if self.on_outcome is None:
            return
        try:
            status = self.get(job_id).status
        except Exception as exc:
            logger.warning("retrain job %s: could not read its outcome: %s", job_id, exc)
            return
        if status in ("succeeded", "failed"):
            self.on_outcome(status)

    def run(self, job_id: str) -> JobView:
        """Claim and run a queued job in this process; return its final state.

        The job's record lives in the store (claim, heartbeats, the final row); this method
        trains a candidate, registers it and hands the outcome down in one transaction.
        """
        with rows.JobHeartbeat(self.store, job_id, self.settings.job_heartbeat_seconds) as beat:
            try:
                candidate = self._train(beat.phase)
                beat.phase("registering")
                version = self._register(candidate, job_id)
            except BaseException as exc:  # Ctrl+C in ``retrain --wait`` too: record, re-raise
                logger.exception("retrain job %s failed", job_id)
                beat.fail(mask(f"{type(exc).__name__}: {exc}")[:4000])
                if not isinstance(exc, Exception):
                    raise
                return self.get(job_id)
        logger.info("retrain job %s: candidate %s registered", job_id, version)
        if self.settings.auto_promote and candidate.report.get("not_worse"):
            try:
                self.catalog.promote(version, actor=f"auto-promote:job:{job_id}")
                with self.store.transaction() as session:
                    rows.mark_auto_promoted(session, job_id)
            except Exception:  # the candidate stays registered; a maintainer can promote it
                logger.exception("retrain job %s: auto-promotion of %s failed", job_id, version)
        return self.get(job_id)

    def _train(self, phase: Callable[[str], None]) -> Candidate:
        """Retrain the active model on its base data plus the operators' corrections."""
        from lapor_nlp.model.retraining import retrain

        phase("loading")
        active = self.catalog.active_version()
        if active is None:
            raise DataValidationError("there is no active model to retrain")
        loaded = self.registry.load(active, expected_sha256=self.catalog.artifact_sha256(active))
        labels = self.feedback.training_labels()
        needs_info = self.feedback.needs_info_verdicts()
        not_authority = self.feedback.not_authority_verdicts()
        in_force = None if self.pair_in_force is None else self.pair_in_force(active)
        phase("training")
        result = retrain(
            loaded.router,
            loaded.metadata,
            labels,
            extra_nonroutable=needs_info,
            target_precision=self.settings.target_precision,
            extra_not_authority=not_authority,
            feedback_weight=self.settings.feedback_weight,
            pair_in_force=in_force,
        )
        report: ComparisonReport = jsonable(result.report)
        metadata: ModelMetadata = jsonable({**result.metadata, "parent_version": active})
        return Candidate(result.router, metadata, report, active, len(labels))

    def _register(self, candidate: Candidate, job_id: str) -> str:
        """Write the candidate, then record it and finish the job in one transaction."""
        metadata: ModelMetadata = {**candidate.metadata, "retrain_job": job_id}
        written = self.registry.write(candidate.router, metadata)
        version = str(written["version"])
        with self.store.transaction() as session:
            self.catalog.add_candidate(
                session,
                version=version,
                metadata=written,
                report=candidate.report,
                job_id=job_id,
                actor=f"job:{job_id}",
            )
            if not rows.finish(
                session,
                job_id,
                status="succeeded",
                candidate_version=version,
                report=dict(candidate.report),
                feedback_labels=candidate.feedback_labels,
                base_version=candidate.base_version,
            ):
                logger.warning("retrain job %s had been marked failed meanwhile", job_id)
        return version
