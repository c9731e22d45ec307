"""Reading stored complaints: one complaint with its routings and feedback, ready to show.

The API (``GET /v1/complaints/{id}``) and the operator console's detail page both present a
complaint through :class:`ComplaintReader`, so they show the same names and the same history.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lapor_nlp.errors import NotFoundError
from lapor_nlp.model import Term
from lapor_nlp.model.authority import AuthorityCall
from lapor_nlp.service.feedback import FeedbackRecord, record_of
from lapor_nlp.service.routing import LabelScore
from lapor_nlp.store import Store
from lapor_nlp.store import repository as repo
from lapor_nlp.store.tables import Complaint, Prediction
from lapor_nlp.taxonomy import Taxonomy


@dataclass(frozen=True)
class PredictionView:
    """One stored routing of a complaint."""

    model_version: str
    decision: str
    opd: list[LabelScore]
    category: list[LabelScore]
    explanation: list[Term]
    created_at: datetime
    audit: bool = False
    """Drawn from the would-be ``auto`` routings for an operator's audit."""
    guard_state: str | None = None
    """The auto-route guard's state when this routing was answered."""
    authority: AuthorityCall | None = None  # likely another level's matter


@dataclass(frozen=True)
class ComplaintView:
    """A stored complaint (personal data masked) with its routings and feedback, oldest first."""

    complaint_id: str
    text: str
    title: str | None
    channel: str | None
    created_at: datetime
    updated_at: datetime
    predictions: list[PredictionView]
    feedback: list[FeedbackRecord]


class ComplaintReader:
    """Reads stored complaints for the API and the console.

    Parameters
    ----------
    store : Store
        The database.
    taxonomy : Taxonomy
        Display names of OPD and category codes (unknown codes keep the code as name).
    """

    def __init__(self, store: Store, taxonomy: Taxonomy) -> None:
        self.store = store
        self.taxonomy = taxonomy

    def get(self, complaint_id: str) -> ComplaintView:
        """The complaint ``complaint_id``; NotFoundError when there is none."""
        with self.store.read() as session:
            complaint = repo.get_complaint(session, complaint_id)
            if complaint is None:
                raise NotFoundError(f"no complaint with id {complaint_id!r}")
            return self._view(complaint)

    def _view(self, complaint: Complaint) -> ComplaintView:
        return ComplaintView(
            complaint_id=complaint.id,
            text=complaint.text,
            title=complaint.title,
            channel=complaint.channel,
            created_at=complaint.created_at,
            updated_at=complaint.updated_at,
            predictions=[self._prediction(p) for p in complaint.predictions],
            feedback=[record_of(f) for f in complaint.feedback],
        )

    def _prediction(self, prediction: Prediction) -> PredictionView:
        return PredictionView(
            model_version=prediction.model_version,
            decision=prediction.decision,
            opd=_named(prediction.opd, self.taxonomy.opd_name),
            category=_named(prediction.category, self.taxonomy.category_name),
            explanation=[Term(term=t["term"], weight=t["weight"]) for t in prediction.explanation],
            created_at=prediction.created_at,
            audit=bool(prediction.audit),
            guard_state=prediction.guard_state,
            authority=None
            if prediction.authority is None
            else AuthorityCall(**prediction.authority),
        )


def _named(stored: Sequence[dict[str, Any]], name_of: Callable[[str], str]) -> list[LabelScore]:
    return [LabelScore(s["code"], name_of(s["code"]), s["confidence"]) for s in stored]
