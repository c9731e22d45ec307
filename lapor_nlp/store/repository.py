"""Reads and writes of the store's records. Every function takes the caller's session, so the
caller decides the transaction (``Store.transaction()``) and a failure writes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from lapor_nlp.store.tables import ApiKey, AuditEntry, Complaint, Prediction, utcnow


@dataclass(frozen=True)
class RoutedRecord:
    """What is stored for one routed complaint (text and title already masked)."""

    complaint_id: str
    text: str
    title: str | None
    channel: str | None
    model_version: str
    decision: str
    opd: list[dict[str, Any]]
    category: list[dict[str, Any]]
    explanation: list[dict[str, Any]]
    known_new: bool = field(default=False)
    """True when the id was generated here, so no existing row needs looking up."""
    margin: float | None = None
    """Top-1 minus top-2 OPD probability: the guard re-fits its rule on it."""
    audit: bool = False
    """A would-be ``auto`` routing drawn for an operator's audit."""
    guard_state: str | None = None
    authority: dict[str, Any] | None = None
    """``{"level", "confidence"}`` when the complaint is likely another level's matter."""


def save_routed(session: Session, records: Sequence[RoutedRecord]) -> None:
    """Store each complaint (insert or update) and a new prediction for it.

    Uses bulk Core statements (one per table and kind) instead of the unit of work: this
    is the service's hot path.

    Parameters
    ----------
    session : Session
        An open session inside the caller's transaction.
    records : sequence of RoutedRecord
        May name the same complaint more than once; each gets its own prediction, and the
        complaint keeps the last record's text.
    """
    if not records:
        return
    now = utcnow()
    lookup = sorted({r.complaint_id for r in records if not r.known_new})
    existing: set[str] = set()
    if lookup:
        existing = set(session.scalars(select(Complaint.id).where(Complaint.id.in_(lookup))))
    latest = {r.complaint_id: r for r in records}
    inserts = [
        {
            "id": r.complaint_id,
            "text": r.text,
            "title": r.title,
            "channel": r.channel,
            "created_at": now,
            "updated_at": now,
        }
        for cid, r in latest.items()
        if cid not in existing
    ]
    updates = [
        {"b_id": cid, "text": r.text, "title": r.title, "channel": r.channel, "updated_at": now}
        for cid, r in latest.items()
        if cid in existing
    ]
    if inserts:
        session.execute(insert(Complaint), inserts)
    if updates:
        statement = (
            update(Complaint.__table__)  # type: ignore[arg-type]
            .where(Complaint.__table__.c.id == bindparam("b_id"))
            .values(
                text=bindparam("text"),
                title=bindparam("title"),
                channel=bindparam("channel"),
                updated_at=bindparam("updated_at"),
            )
        )
        session.connection().execute(statement, updates)
    session.execute(insert(Prediction), [_prediction_row(r, now) for r in records])


def _prediction_row(record: RoutedRecord, now: datetime) -> dict[str, Any]:
    top: dict[str, Any] = record.opd[0] if record.opd else {"code": "", "confidence": 0.0}
    return {
        "complaint_id": record.complaint_id,
        "model_version": record.model_version,
        "decision": record.decision,
        "opd": record.opd,
        "category": record.category,
        "explanation": record.explanation,
        "authority": record.authority,
        "top_opd": str(top["code"]),
        "top_confidence": float(top["confidence"]),
        "created_at": now,
        "margin": record.margin,
        "audit": record.audit,
        "guard_state": record.guard_state,
    }


def get_complaint(session: Session, complaint_id: str) -> Complaint | None:
    """The complaint with its predictions and feedback loaded, or None."""
    statement = (
        select(Complaint)
        .where(Complaint.id == complaint_id)
        .options(selectinload(Complaint.predictions), selectinload(Complaint.feedback))
    )
    return session.scalars(statement).one_or_none()


def add_api_key(session: Session, *, name: str, role: str, key_hash: str, prefix: str) -> ApiKey:
    """Insert an API key row (the caller hashes the key)."""
    row = ApiKey(name=name, role=role, key_hash=key_hash, prefix=prefix, created_at=utcnow())
    session.add(row)
    session.flush()
    return row


def find_api_key(session: Session, *, key_hash: str) -> ApiKey | None:
    """The key row with that hash, revoked or not."""
    return session.scalars(select(ApiKey).where(ApiKey.key_hash == key_hash)).one_or_none()


def list_api_keys(session: Session) -> list[ApiKey]:
    """Every key, oldest first."""
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))


def count_api_keys(session: Session) -> int:
    """How many keys exist, revoked ones included."""
    return int(session.scalar(select(func.count()).select_from(ApiKey)) or 0)


def find_api_keys_by_id_or_prefix(session: Session, ref: str) -> list[ApiKey]:
    """Keys whose numeric id equals ``ref`` or whose prefix starts with it."""
    condition = ApiKey.prefix.startswith(ref, autoescape=True)
    if ref.isdigit():
        condition = condition | (ApiKey.id == int(ref))
    return list(session.scalars(select(ApiKey).where(condition)))


def revoke_api_key(session: Session, key: ApiKey, *, at: datetime | None = None) -> None:
    """Mark a key revoked (idempotent: the first revocation time is kept)."""
    if key.revoked_at is None:
        key.revoked_at = at or utcnow()


def add_audit(
    session: Session, *, actor: str, action: str, target: str, detail: dict[str, Any] | None = None
) -> AuditEntry:
    """Append an audit-log entry."""
    entry = AuditEntry(actor=actor, action=action, target=target, detail=detail or {}, at=utcnow())
    session.add(entry)
    return entry


def list_audit(
    session: Session, *, action: str | None = None, limit: int = 100
) -> list[AuditEntry]:
    """The newest audit entries first, optionally of one action."""
    statement = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if action is not None:
        statement = statement.where(AuditEntry.action == action)
    return list(session.scalars(statement))
