"""Rows of the auto-route guard (``auto_guard``) and the verdicts it measures.

Writers call :func:`lock_guard` first in their transaction, so two replicas that evaluate the
guard after two verdicts at the same moment apply their changes one after the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery

from lapor_nlp.store.feedback import LABEL_VERDICTS, WITHDRAWN, reviewed_complaint_ids
from lapor_nlp.store.tables import Feedback, GuardState, Prediction, utcnow

# Any constant works; it only has to be the same for every process sharing one database.
_PG_GUARD_LOCK = 7_310_442_003


@dataclass(frozen=True)
class JudgedPrediction:
    """A model's latest prediction of a complaint, with the complaint's latest verdict."""

    top_opd: str
    confidence: float
    margin: float | None
    audit: bool
    decision: str
    verdict: str
    verdict_opd: str | None

    @property
    def label_opd(self) -> str | None:
        """The OPD the verdict labels the complaint with; None for a verdict that gives no label
        (``not_authority``, ``incomplete``), whatever OPD was sent with it."""
        return self.verdict_opd if self.verdict in LABEL_VERDICTS else None


def lock_guard(session: Session) -> None:
    """Serialise guard writers until the end of the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_GUARD_LOCK})
    else:
        session.execute(text("UPDATE auto_guard SET state = state WHERE 0 = 1"))


def get_guard(session: Session, model_version: str) -> GuardState | None:
    return session.get(GuardState, model_version)


def put_guard(
    session: Session,
    *,
    model_version: str,
    state: str,
    threshold: float | None,
    margin: float | None,
    reason: str,
    changed_by: str,
    at: datetime | None = None,
) -> GuardState:
    """Insert or overwrite the guard row of ``model_version`` in the caller's transaction."""
    row = session.get(GuardState, model_version)
    if row is None:
        row = GuardState(model_version=model_version)
        session.add(row)
    row.state = state
    row.threshold = threshold
    row.margin = margin
    row.reason = reason
    row.changed_by = changed_by[:100]
    row.changed_at = at or utcnow()
    session.flush()
    return row


def _latest_of_model(model_version: str) -> Subquery:
    return (
        select(func.max(Prediction.id).label("prediction_id"))
        .where(Prediction.model_version == model_version)
        .group_by(Prediction.complaint_id)
        .subquery("latest_of_model")
    )


def _latest_feedback_on(model_version: str) -> Subquery:
    return (
        select(func.max(Feedback.id).label("feedback_id"))
        .where(Feedback.model_version == model_version)
        .group_by(Feedback.complaint_id)
        .subquery("latest_feedback")
    )


def judged_predictions(session: Session, model_version: str) -> list[JudgedPrediction]:
    """Per complaint: this model's latest routing of it and the latest verdict given on it.

    Only verdicts given while this model's routing was the complaint's latest count (a
    verdict on a complaint of an older model counts for that model only). Complaints without
    such a verdict, and routings answered ``needs_info`` (never auto-routed), are left out.
    """
    latest = _latest_of_model(model_version)
    verdicts = _latest_feedback_on(model_version)
    statement = (
        select(
            Prediction.top_opd,
            Prediction.top_confidence,
            Prediction.margin,
            Prediction.audit,
            Prediction.decision,
            Feedback.verdict,
            Feedback.opd,
        )
        .join(latest, latest.c.prediction_id == Prediction.id)
        .join(Feedback, Feedback.complaint_id == Prediction.complaint_id)
        .join(verdicts, verdicts.c.feedback_id == Feedback.id)
        .where(Prediction.decision != "needs_info", Feedback.verdict != WITHDRAWN)
    )
    return [
        JudgedPrediction(
            top_opd=str(opd),
            confidence=float(confidence),
            margin=None if margin is None else float(margin),
            audit=bool(audit),
            decision=str(decision),
            verdict=str(verdict),
            verdict_opd=verdict_opd,
        )
        for opd, confidence, margin, audit, decision, verdict, verdict_opd in session.execute(
            statement
        )
    ]


def pending_audits(session: Session, model_version: str) -> int:
    """Audited routings of this model whose complaint has no verdict (yet, or any more)."""
    latest = _latest_of_model(model_version)
    statement = (
        select(func.count())
        .select_from(Prediction)
        .join(latest, latest.c.prediction_id == Prediction.id)
        .where(Prediction.audit.is_(True))
        .where(Prediction.complaint_id.not_in(reviewed_complaint_ids()))
    )
    return int(session.scalar(statement) or 0)


def latest_is_audit(session: Session, complaint_id: str) -> bool:
    """Whether the complaint's latest routing was drawn for an audit."""
    return bool(
        session.scalar(
            select(Prediction.audit)
            .where(Prediction.complaint_id == complaint_id)
            .order_by(Prediction.id.desc())
            .limit(1)
        )
    )
