"""Operators' verdicts on routings: validated, masked, stored once (idempotent), exported.

Usable without HTTP: the API, the CLI and the operator console call the same methods.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from sqlalchemy.exc import IntegrityError

from lapor_nlp.errors import ConflictError, DataValidationError, NotFoundError, UnknownLabelError
from lapor_nlp.service.masking import mask, mask_optional
from lapor_nlp.store import Store
from lapor_nlp.store import feedback as rows
from lapor_nlp.store import repository as repo
from lapor_nlp.store.feedback import LABEL_VERDICTS, WITHDRAWN
from lapor_nlp.store.tables import Complaint, Feedback, Prediction, utcnow
from lapor_nlp.taxonomy import Taxonomy
from lapor_nlp.text import model_input

logger = logging.getLogger(__name__)

VERDICTS = ("accept", "correct", "recategorize", "not_authority", "incomplete")
"""What an operator may say; ``withdrawn`` is stored only by :meth:`FeedbackService.undo`."""
EXPORT_COLUMNS = (
    "feedback_id",
    "complaint_id",
    "created_at",
    "verdict",
    "opd",
    "category",
    "predicted_opd",
    "model_version",
    "operator",
    "note",
    "supersedes_id",
    "text",
)
MAX_OPERATOR_CHARS = 100
MAX_NOTE_CHARS = 2000


@dataclass(frozen=True)
class FeedbackInput:
    """A verdict as an operator sent it (not yet masked).

    ``verdict`` is one of ``accept``, ``correct`` (both need ``opd``), ``recategorize`` (the
    model's OPD, another category), ``not_authority`` (not the province's to handle) and
    ``incomplete`` (needs more information from the citizen). ``supersedes`` names the verdict
    the operator saw as the latest when changing it (refused when it no longer is).
    """

    verdict: str
    opd: str | None = None
    category: str | None = None
    note: str | None = None
    supersedes: int | None = None


@dataclass(frozen=True)
class FeedbackRecord:
    """A stored verdict (operator and note masked)."""

    feedback_id: int
    complaint_id: str
    verdict: str
    opd: str | None
    category: str | None
    operator: str
    note: str | None
    model_version: str | None
    predicted_opd: str | None
    created_at: datetime
    supersedes_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The record as a plain dict (for schemas and CSV rows)."""
        return asdict(self)


@dataclass(frozen=True)
class FeedbackResult:
    """A stored verdict and whether this request created it."""

    record: FeedbackRecord
    created: bool
    """False when an earlier request with the same idempotency key is answered again."""


def record_of(row: Feedback) -> FeedbackRecord:
    """The caller's view of a stored feedback row."""
    return FeedbackRecord(
        feedback_id=row.id,
        complaint_id=row.complaint_id,
        verdict=row.verdict,
        opd=row.opd,
        category=row.category,
        operator=row.operator,
        note=row.note,
        model_version=row.model_version,
        predicted_opd=row.predicted_opd,
        created_at=row.created_at,
        supersedes_id=row.supersedes_id,
    )


def _fingerprint(complaint_id: str, item: FeedbackInput) -> str:
    payload = json.dumps({"complaint_id": complaint_id, **asdict(item)}, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def scoped_key(scope: str, idempotency_key: str) -> str:
    """What is stored for a client's idempotency key: a digest of its owner and the key, so
    equal keys of two API keys never meet (and the stored value fits 64 characters)."""
    return hashlib.sha256(f"{scope}\n{idempotency_key}".encode()).hexdigest()


class FeedbackService:
    """Records verdicts and reads them back.

    Parameters
    ----------
    store : Store
        The database.
    taxonomy : Taxonomy
        The OPD and category codes a verdict may name.
    after_verdict : callable, optional
        Called with each newly stored verdict after its commit (the auto-route guard
        re-evaluates there).
    """

    def __init__(
        self,
        store: Store,
        taxonomy: Taxonomy,
        *,
        after_verdict: Callable[[FeedbackRecord], None] | None = None,
    ) -> None:
        self.store = store
        self.taxonomy = taxonomy
        self.after_verdict = after_verdict

    def validate(self, item: FeedbackInput) -> None:
        """Raise DataValidationError (UnknownLabelError for codes) naming the field."""
        if item.verdict not in VERDICTS:
            raise DataValidationError(
                f"verdict: must be one of {', '.join(VERDICTS)}, got {item.verdict!r}"
            )
        if item.verdict in ("accept", "correct") and not item.opd:
            raise DataValidationError(f"opd: required when the verdict is {item.verdict!r}")
        if item.verdict == "recategorize" and not item.category:
            raise DataValidationError("category: required when the verdict is 'recategorize'")
        if item.opd is not None and item.opd not in self.taxonomy.opd_codes:
            raise UnknownLabelError(f"opd: unknown OPD code {item.opd!r} (see GET /v1/taxonomy)")
        if item.category is not None and item.category not in self.taxonomy.category_codes:
            raise UnknownLabelError(
                f"category: unknown category code {item.category!r} (see GET /v1/taxonomy)"
            )
        if item.note is not None and len(item.note) > MAX_NOTE_CHARS:
            raise DataValidationError(f"note: at most {MAX_NOTE_CHARS} characters")

    def submit(
        self,
        complaint_id: str,
        item: FeedbackInput,
        *,
        actor: str,
        operator: str,
        idempotency_key: str | None = None,
        idempotency_scope: str = "",
    ) -> FeedbackResult:
        """Store one verdict on a complaint and audit it.

        Parameters
        ----------
        complaint_id : str
            The routed complaint (NotFoundError when unknown).
        item : FeedbackInput
            The verdict. It supersedes the complaint's latest verdict, if any (both stay in
            the history); with ``item.supersedes``, only if that is still the latest.
        actor : str
            Who is authenticated (written to the audit log).
        operator : str
            The name of the authenticated key's owner: the audit trail names no one else.
        idempotency_key : str, optional
            A retry with the same key and the same request returns the first record
            (``created=False``); the same key with another request raises ConflictError.
        idempotency_scope : str
            Whose keys these are (the API key's id): one client's key never answers with
            another client's record.
        """
        fingerprint = _fingerprint(complaint_id, item)
        if idempotency_key is not None:
            idempotency_key = scoped_key(idempotency_scope, idempotency_key)
            replay = self._replay(idempotency_key, fingerprint)
            if replay is not None:
                return replay
        self.validate(item)
        name = mask(operator)[:MAX_OPERATOR_CHARS]
        try:
            with self.store.transaction() as session:
                if session.get(Complaint, complaint_id) is None:
                    raise NotFoundError(f"no complaint with id {complaint_id!r}")
                prediction = rows.latest_prediction(session, complaint_id)
                previous = rows.latest_feedback(session, complaint_id)
                _check_supersedes(item.supersedes, previous)
                opd, category = self._labels(item, prediction)
                row = rows.add_feedback(
                    session,
                    complaint_id=complaint_id,
                    verdict=item.verdict,
                    opd=opd,
                    category=category,
                    supersedes_id=previous.id if previous else None,
                    operator=name,
                    note=mask_optional(item.note),
                    idempotency_key=idempotency_key,
                    request_sha256=fingerprint,
                    model_version=prediction.model_version if prediction else None,
                    predicted_opd=prediction.top_opd if prediction else None,
                    actor=actor[:100],
                )
                repo.add_audit(
                    session,
                    actor=actor,
                    action="feedback.create",
                    target=f"complaint:{complaint_id}",
                    detail={
                        "feedback_id": row.id,
                        "verdict": item.verdict,
                        "opd": opd,
                        "category": category,
                        "supersedes_id": row.supersedes_id,
                    },
                )
                record = record_of(row)
        except IntegrityError:
            # Two first attempts with one key raced; the loser answers with the winner's record.
            replay = self._replay(idempotency_key, fingerprint) if idempotency_key else None
            if replay is None:
                raise
            return replay
        if self.after_verdict is not None:
            self.after_verdict(record)
        return FeedbackResult(record, created=True)

    def _labels(
        self, item: FeedbackInput, prediction: Prediction | None
    ) -> tuple[str | None, str | None]:
        """The (OPD, category) stored for a verdict: always a consistent pair for a label.

        ``accept`` keeps the model's category (another one is a ``recategorize``); ``correct``
        without a category gets the corrected OPD's default category; ``recategorize`` keeps
        the model's OPD and needs a category other than the model's.
        """
        if item.verdict not in LABEL_VERDICTS:
            return item.opd, item.category
        model_opd = prediction.top_opd if prediction else None
        model_category = _top_category(prediction)
        if item.verdict == "accept":
            if item.category and model_category and item.category != model_category:
                raise DataValidationError(
                    f"category: {item.category!r} is not the model's category "
                    f"{model_category!r}; a category change is the verdict 'recategorize'"
                )
            return item.opd, item.category or model_category
        if item.verdict == "correct":
            return item.opd, item.category or self._default_category(item.opd)
        if model_opd is None:
            raise DataValidationError("verdict: 'recategorize' needs a routed complaint")
        if item.opd is not None and item.opd != model_opd:
            raise DataValidationError(
                f"opd: 'recategorize' keeps the model's OPD {model_opd!r}; "
                f"another OPD ({item.opd!r}) is the verdict 'correct'"
            )
        if item.category == model_category:
            raise DataValidationError(
                f"category: {item.category!r} is already the model's category; use 'accept'"
            )
        return model_opd, item.category

    def _default_category(self, opd: str | None) -> str | None:
        for label in self.taxonomy.opd:
            if label.code == opd:
                return label.default_category or None
        return None

    def undo(
        self, feedback_id: int, *, actor: str, operator: str, window_seconds: float
    ) -> FeedbackRecord:
        """Withdraw a verdict just given: the complaint returns to the queue, both rows stay.

        Only the complaint's latest verdict, only by whoever gave it (``actor``), and only
        within ``window_seconds``; later, a verdict is changed with a new one (``supersedes``).
        """
        with self.store.transaction() as session:
            row = session.get(Feedback, feedback_id)
            if row is None:
                raise NotFoundError(f"no feedback with id {feedback_id}")
            latest = rows.latest_feedback(session, row.complaint_id)
            if latest is None or latest.id != row.id or row.verdict == WITHDRAWN:
                raise ConflictError(
                    f"feedback {feedback_id} is not the complaint's latest verdict any more"
                )
            if row.actor != actor[:100]:
                raise ConflictError(f"feedback {feedback_id} was given by another key")
            age = utcnow() - _aware(row.created_at)
            if age > timedelta(seconds=window_seconds):
                raise ConflictError(
                    f"undo: only within {window_seconds:g} s of the verdict; "
                    "change the verdict on the complaint's page"
                )
            undone = rows.add_feedback(
                session,
                complaint_id=row.complaint_id,
                verdict=WITHDRAWN,
                operator=mask(operator)[:MAX_OPERATOR_CHARS],
                model_version=row.model_version,
                predicted_opd=row.predicted_opd,
                supersedes_id=row.id,
                actor=actor[:100],
            )
            repo.add_audit(
                session,
                actor=actor,
                action="feedback.undo",
                target=f"complaint:{row.complaint_id}",
                detail={"feedback_id": undone.id, "supersedes_id": row.id},
            )
            record = record_of(undone)
        if self.after_verdict is not None:
            self.after_verdict(record)
        return record

    def _replay(self, idempotency_key: str, fingerprint: str) -> FeedbackResult | None:
        """The record stored under ``idempotency_key`` (already scoped), if any."""
        with self.store.read() as session:
            row = rows.find_by_key(session, idempotency_key)
            if row is None:
                return None
            if row.request_sha256 != fingerprint:
                raise ConflictError(
                    "Idempotency-Key: this key was already used for a different request "
                    f"(feedback {row.id}); use a new key for a new verdict"
                )
            return FeedbackResult(record_of(row), created=False)

    def training_labels(self) -> list[Any]:
        """``FeedbackLabel`` per complaint from its latest accept/correct verdict.

        A verdict without a category gets the OPD's default category from the taxonomy.
        """
        from lapor_nlp.model.retraining import FeedbackLabel

        defaults = {label.code: label.default_category for label in self.taxonomy.opd}
        with self.store.read() as session:
            return [
                FeedbackLabel(
                    key=complaint.id,
                    text=model_input(complaint.title, complaint.text),
                    opd=str(fb.opd),
                    category=fb.category or defaults.get(str(fb.opd)) or None,
                )
                for fb, complaint in rows.final_labels(session)
            ]

    def needs_info_verdicts(self) -> list[Any]:
        """``VerdictText`` per complaint operators marked ``incomplete``: examples for the
        model's ``needs_info`` gate."""
        return self._verdict_texts("incomplete")

    def not_authority_verdicts(self) -> list[Any]:
        """``VerdictText`` per complaint operators marked ``not_authority``: examples for the
        model's authority head."""
        return self._verdict_texts("not_authority")

    def _verdict_texts(self, verdict: str) -> list[Any]:
        from lapor_nlp.model.retraining import VerdictText

        with self.store.read() as session:
            return [
                VerdictText(key=c.id, text=model_input(c.title, c.text))
                for c in rows.complaints_with_latest_verdict(session, verdict)
            ]

    def export_csv(self, out: TextIO, *, since: datetime | None = None) -> int:
        """Write every verdict since ``since`` as CSV (masked text); return the row count."""
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(EXPORT_COLUMNS)
        count = 0
        with self.store.read() as session:
            for fb, complaint in rows.feedback_with_complaints(session, since=since):
                writer.writerow(
                    [
                        fb.id,
                        fb.complaint_id,
                        fb.created_at.isoformat(timespec="seconds"),
                        fb.verdict,
                        fb.opd or "",
                        fb.category or "",
                        fb.predicted_opd or "",
                        fb.model_version or "",
                        fb.operator,
                        fb.note or "",
                        fb.supersedes_id or "",
                        model_input(complaint.title, complaint.text),
                    ]
                )
                count += 1
        return count


def _check_supersedes(expected: int | None, latest: Feedback | None) -> None:
    """ConflictError when the operator changed a verdict that is no longer the latest."""
    if expected is None:
        return
    if latest is None or latest.id != expected:
        current = "none" if latest is None else str(latest.id)
        raise ConflictError(
            f"supersedes: feedback {expected} is not the complaint's latest verdict "
            f"(latest: {current}); reload and decide again"
        )


def _top_category(prediction: Prediction | None) -> str | None:
    if prediction is None or not prediction.category:
        return None
    return str(prediction.category[0]["code"])


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
