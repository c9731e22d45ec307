"""Reads and writes of operators' feedback, and the queries built on it (review queue, export,
statistics, retraining labels). Every function takes the caller's session."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from lapor_nlp.store.tables import Complaint, Feedback, Prediction, utcnow

LABEL_VERDICTS = ("accept", "correct", "recategorize")
WITHDRAWN = "withdrawn"
"""The verdict an undo stores: the complaint is back to having no verdict (and in the queue)."""


def latest_prediction(session: Session, complaint_id: str) -> Prediction | None:
    """The complaint's most recent prediction row, or None."""
    return session.scalars(
        select(Prediction)
        .where(Prediction.complaint_id == complaint_id)
        .order_by(Prediction.id.desc())
        .limit(1)
    ).first()


def find_by_key(session: Session, idempotency_key: str) -> Feedback | None:
    """The feedback row stored under an idempotency key, or None."""
    return session.scalars(
        select(Feedback).where(Feedback.idempotency_key == idempotency_key)
    ).one_or_none()


def latest_feedback(session: Session, complaint_id: str) -> Feedback | None:
    """The complaint's most recent feedback row (its verdict unless ``withdrawn``), or None."""
    return session.scalars(
        select(Feedback)
        .where(Feedback.complaint_id == complaint_id)
        .order_by(Feedback.id.desc())
        .limit(1)
    ).first()


def newest_feedback_ids(name: str = "newest") -> Any:
    """Subquery: each complaint's latest feedback id (``feedback_id``), whatever its verdict."""
    return (
        select(func.max(Feedback.id).label("feedback_id"))
        .group_by(Feedback.complaint_id)
        .subquery(name)
    )


def reviewed_complaint_ids() -> Any:
    """Select of the complaints whose latest feedback is a verdict (not withdrawn)."""
    newest = newest_feedback_ids("newest_live")
    return (
        select(Feedback.complaint_id)
        .join(newest, newest.c.feedback_id == Feedback.id)
        .where(Feedback.verdict != WITHDRAWN)
    )


def add_feedback(session: Session, **values: Any) -> Feedback:
    """Insert one feedback row (values already validated and masked)."""
    row = Feedback(created_at=utcnow(), **values)
    session.add(row)
    session.flush()
    return row


def _latest_prediction_ids() -> Any:
    return (
        select(Prediction.complaint_id, func.max(Prediction.id).label("prediction_id"))
        .group_by(Prediction.complaint_id)
        .subquery("latest")
    )


def review_queue(
    session: Session,
    *,
    limit: int,
    opd: str | None = None,
    decision: str | None = None,
    audit: bool | None = None,
    needs_decision: bool = False,
) -> list[tuple[Complaint, Prediction]]:
    """Complaints without a verdict (none, or the last one withdrawn), least certain latest
    prediction first, then oldest; ``audit`` keeps only audited (True) or only other (False)
    routings. ``needs_decision`` keeps what an operator must decide: ``review`` and
    ``needs_info`` routings first, then audits (auto routings not drawn for audit are left out).
    """
    latest = _latest_prediction_ids()
    statement = (
        select(Complaint, Prediction)
        .join(latest, latest.c.complaint_id == Complaint.id)
        .join(Prediction, Prediction.id == latest.c.prediction_id)
        .where(Complaint.id.not_in(reviewed_complaint_ids()))
    )
    if opd is not None:
        statement = statement.where(Prediction.top_opd == opd)
    if decision is not None:
        statement = statement.where(Prediction.decision == decision)
    if audit is not None:
        statement = statement.where(Prediction.audit.is_(audit))
    order: list[Any] = [
        Prediction.top_confidence.asc(),
        Complaint.created_at.asc(),
        Complaint.id.asc(),
    ]
    if needs_decision:
        statement = statement.where(or_(Prediction.decision != "auto", Prediction.audit.is_(True)))
        order.insert(0, Prediction.audit.asc())
    statement = statement.order_by(*order).limit(limit)
    return [(c, p) for c, p in session.execute(statement)]


def queue_counts(session: Session) -> list[tuple[str, str, bool, int]]:
    """(top OPD, decision, audit, count) of the complaints waiting for a verdict."""
    latest = _latest_prediction_ids()
    statement = (
        select(Prediction.top_opd, Prediction.decision, Prediction.audit, func.count())
        .join(latest, latest.c.prediction_id == Prediction.id)
        .where(Prediction.complaint_id.not_in(reviewed_complaint_ids()))
        .group_by(Prediction.top_opd, Prediction.decision, Prediction.audit)
    )
    return [(str(o), str(d), bool(a), int(n)) for o, d, a, n in session.execute(statement)]


def feedback_with_complaints(
    session: Session, *, since: datetime | None = None, batch: int = 500
) -> Iterator[tuple[Feedback, Complaint]]:
    """Every feedback row (oldest first) with its complaint, read in batches."""
    statement = select(Feedback, Complaint).join(Complaint, Complaint.id == Feedback.complaint_id)
    if since is not None:
        statement = statement.where(Feedback.created_at >= since)
    statement = statement.order_by(Feedback.id).execution_options(yield_per=batch)
    yield from session.execute(statement)


def final_labels(session: Session) -> list[tuple[Feedback, Complaint]]:
    """Per complaint whose latest verdict gives a label (accept, correct, recategorize), that
    verdict: a later verdict of any kind, an undo included, supersedes an earlier label."""
    newest = newest_feedback_ids()
    statement = (
        select(Feedback, Complaint)
        .join(newest, newest.c.feedback_id == Feedback.id)
        .join(Complaint, Complaint.id == Feedback.complaint_id)
        .where(Feedback.verdict.in_(LABEL_VERDICTS), Feedback.opd.is_not(None))
        .order_by(Feedback.id)
    )
    return [(f, c) for f, c in session.execute(statement)]


def complaints_with_latest_verdict(session: Session, verdict: str) -> list[Complaint]:
    """Complaints whose latest verdict is ``verdict`` (e.g. ``not_authority``)."""
    newest = newest_feedback_ids()
    statement = (
        select(Complaint)
        .join(Feedback, Feedback.complaint_id == Complaint.id)
        .join(newest, newest.c.feedback_id == Feedback.id)
        .where(Feedback.verdict == verdict)
        .order_by(Feedback.id)
    )
    return list(session.scalars(statement))


def latest_predictions_since(
    session: Session, since: datetime
) -> list[tuple[str, datetime, str, str]]:
    """(complaint id, complaint created_at, top OPD, decision) of each complaint's latest
    prediction, for complaints created since ``since``."""
    latest = _latest_prediction_ids()
    statement = (
        select(Complaint.id, Complaint.created_at, Prediction.top_opd, Prediction.decision)
        .join(latest, latest.c.complaint_id == Complaint.id)
        .join(Prediction, Prediction.id == latest.c.prediction_id)
        .where(Complaint.created_at >= since)
    )
    return [tuple(row) for row in session.execute(statement)]  # type: ignore[misc]


def latest_verdicts(session: Session) -> list[tuple[str, str, str | None, str | None]]:
    """(verdict, predicted OPD, corrected OPD, complaint id) of each complaint's latest
    verdict (complaints whose last verdict was withdrawn have none)."""
    newest = newest_feedback_ids("newest_any")
    statement = (
        select(Feedback.verdict, Feedback.predicted_opd, Feedback.opd, Feedback.complaint_id)
        .join(newest, newest.c.feedback_id == Feedback.id)
        .where(Feedback.verdict != WITHDRAWN)
    )
    return [tuple(row) for row in session.execute(statement)]  # type: ignore[misc]
