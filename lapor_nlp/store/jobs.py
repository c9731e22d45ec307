"""Rows of ``retrain_jobs``. Only one job holds the ``slot`` (queued or running) at a time."""

from __future__ import annotations

import logging
import os
import threading
from datetime import datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lapor_nlp.errors import ConflictError
from lapor_nlp.store.tables import RetrainJob, utcnow

if TYPE_CHECKING:
    from lapor_nlp.store.database import Store

logger = logging.getLogger(__name__)

ACTIVE_STATUSES = ("queued", "running")


def add_job(session: Session, *, job_id: str, requested_by: str) -> RetrainJob:
    """Insert a queued job holding the slot; IntegrityError when another job holds it."""
    now = utcnow()
    row = RetrainJob(
        id=job_id,
        status="queued",
        slot=1,
        phase="queued",
        requested_by=requested_by,
        created_at=now,
        heartbeat_at=now,
        auto_promoted=False,
    )
    session.add(row)
    session.flush()
    return row


def get_job(session: Session, job_id: str) -> RetrainJob | None:
    """The job row ``job_id``, or None."""
    return session.get(RetrainJob, job_id)


def slot_holder(session: Session) -> RetrainJob | None:
    """The queued or running job, if any."""
    return session.scalars(select(RetrainJob).where(RetrainJob.slot.is_not(None))).one_or_none()


def claim(session: Session, job_id: str, *, pid: int) -> bool:
    """Move a queued job to running; False when it is not queued (any more)."""
    now = utcnow()
    result = session.execute(
        update(RetrainJob)
        .where(RetrainJob.id == job_id, RetrainJob.status == "queued")
        .values(status="running", phase="starting", started_at=now, heartbeat_at=now, pid=pid)
    )
    return bool(getattr(result, "rowcount", 0))


def heartbeat(session: Session, job_id: str, *, phase: str | None = None) -> bool:
    """Mark a running job alive (and its phase); False when it is no longer running."""
    values: dict[str, Any] = {"heartbeat_at": utcnow()}
    if phase is not None:
        values["phase"] = phase
    result = session.execute(
        update(RetrainJob)
        .where(RetrainJob.id == job_id, RetrainJob.status == "running")
        .values(**values)
    )
    return bool(getattr(result, "rowcount", 0))


def touch_queued(session: Session, job_id: str) -> bool:
    """Mark a queued job alive while the process that will run it is starting."""
    result = session.execute(
        update(RetrainJob)
        .where(RetrainJob.id == job_id, RetrainJob.status == "queued")
        .values(heartbeat_at=utcnow())
    )
    return bool(getattr(result, "rowcount", 0))


def finish(
    session: Session,
    job_id: str,
    *,
    status: str,
    error: str | None = None,
    candidate_version: str | None = None,
    report: dict[str, Any] | None = None,
    feedback_labels: int | None = None,
    base_version: str | None = None,
) -> bool:
    """End a queued/running job (frees the slot); False when it had already ended."""
    values: dict[str, Any] = {
        "status": status,
        "slot": None,
        "phase": "done" if status == "succeeded" else "failed",
        "finished_at": utcnow(),
        "error": error,
    }
    optional = {
        "candidate_version": candidate_version,
        "report": report,
        "feedback_labels": feedback_labels,
        "base_version": base_version,
    }
    values.update({k: v for k, v in optional.items() if v is not None})
    result = session.execute(
        update(RetrainJob)
        .where(RetrainJob.id == job_id, RetrainJob.status.in_(ACTIVE_STATUSES))
        .values(**values)
    )
    return bool(getattr(result, "rowcount", 0))


def fail_stale(
    session: Session, *, older_than: timedelta, now: datetime | None = None
) -> list[str]:
    """Fail queued/running jobs whose last heartbeat is older than ``older_than``."""
    cutoff = (now or utcnow()) - older_than
    stale = list(
        session.scalars(
            select(RetrainJob.id).where(
                RetrainJob.status.in_(ACTIVE_STATUSES), RetrainJob.heartbeat_at < cutoff
            )
        )
    )
    for job_id in stale:
        finish(
            session,
            job_id,
            status="failed",
            error=(
                "interrupted: the retraining process stopped without finishing "
                f"(no heartbeat for more than {older_than.total_seconds():.0f} s)"
            ),
        )
    return stale


def mark_auto_promoted(session: Session, job_id: str) -> None:
    """Record that the job's candidate was promoted automatically."""
    session.execute(update(RetrainJob).where(RetrainJob.id == job_id).values(auto_promoted=True))


class JobHeartbeat:
    """A job's run as the database sees it: claimed on entry, alive while it runs, then stopped.

    Entering claims the queued job (ConflictError when it is not queued) and starts a daemon
    thread that marks it alive every ``interval`` seconds; leaving stops the thread. A missed
    beat is logged, not fatal: the next one may succeed.

    Parameters
    ----------
    store : Store
        The database.
    job_id : str
        The job to run.
    interval : float
        Seconds between heartbeats.
    """

    def __init__(self, store: Store, job_id: str, interval: float) -> None:
        self._store = store
        self._job_id = job_id
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="job-heartbeat", daemon=True)

    def __enter__(self) -> JobHeartbeat:
        with self._store.transaction() as session:
            if not claim(session, self._job_id, pid=os.getpid()):
                raise ConflictError(f"retraining job {self._job_id} is not queued")
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def phase(self, phase: str) -> None:
        """Record the phase the job is in (and that it is alive)."""
        self._beat(phase)
        logger.info("retrain job %s: %s", self._job_id, phase)

    def fail(self, error: str) -> None:
        """Finish the job as failed with ``error`` (already masked by the caller)."""
        with self._store.transaction() as session:
            finish(session, self._job_id, status="failed", error=error)

    def _beat(self, phase: str | None = None) -> None:
        try:
            with self._store.transaction() as session:
                heartbeat(session, self._job_id, phase=phase)
        except Exception as exc:
            logger.warning("retrain job %s: heartbeat failed: %s", self._job_id, exc)

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            self._beat()
