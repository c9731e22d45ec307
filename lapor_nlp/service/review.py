"""The review queue: complaints no operator has judged yet, the least certain first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lapor_nlp.errors import DataValidationError, UnknownLabelError
from lapor_nlp.service.routing import LabelScore
from lapor_nlp.store import Store
from lapor_nlp.store import feedback as rows
from lapor_nlp.taxonomy import Taxonomy

DECISIONS = ("auto", "review", "needs_info")
MAX_LIMIT = 500


@dataclass(frozen=True)
class ReviewItem:
    """One complaint waiting for an operator, with its latest routing (text masked)."""

    complaint_id: str
    text: str
    title: str | None
    channel: str | None
    created_at: datetime
    model_version: str
    decision: str
    confidence: float
    opd: list[LabelScore]
    category: list[LabelScore]
    explanation: list[dict[str, Any]] = field(default_factory=list)
    audit: bool = False
    """Drawn from the would-be ``auto`` routings: the verdict measures auto's precision."""
    authority: dict[str, Any] | None = None  # {"level", "confidence"}: likely not the province's


class ReviewQueue:
    """Reads the queue.

    Parameters
    ----------
    store : Store
        The database.
    taxonomy : Taxonomy
        Display names of codes, and the codes the ``opd`` filter may name.
    """

    def __init__(self, store: Store, taxonomy: Taxonomy) -> None:
        self.store = store
        self.taxonomy = taxonomy

    def items(
        self,
        *,
        limit: int = 50,
        opd: str | None = None,
        decision: str | None = None,
        audit: bool | None = None,
        needs_decision: bool = False,
    ) -> list[ReviewItem]:
        """Complaints without feedback ordered by the top-1 confidence of their latest
        prediction (lowest first; ties: oldest complaint first).

        Parameters
        ----------
        limit : int
            At most this many items (1 to 500).
        opd : str, optional
            Only complaints whose latest top OPD is this code.
        decision : {"auto", "review", "needs_info"}, optional
            Only complaints whose latest decision is this one.
        audit : bool, optional
            Only audit items (True) or only the others (False).
        needs_decision : bool
            Only what an operator must decide: review and needs_info first, then audits.
        """
        if not 1 <= limit <= MAX_LIMIT:
            raise DataValidationError(f"limit: must be between 1 and {MAX_LIMIT}, got {limit}")
        if opd is not None and opd not in self.taxonomy.opd_codes:
            raise UnknownLabelError(f"opd: unknown OPD code {opd!r} (see GET /v1/taxonomy)")
        if decision is not None and decision not in DECISIONS:
            raise DataValidationError(
                f"decision: must be one of {', '.join(DECISIONS)}, got {decision!r}"
            )
        with self.store.read() as session:
            found = rows.review_queue(
                session,
                limit=limit,
                opd=opd,
                decision=decision,
                audit=audit,
                needs_decision=needs_decision,
            )
            return [
                ReviewItem(
                    complaint_id=complaint.id,
                    text=complaint.text,
                    title=complaint.title,
                    channel=complaint.channel,
                    created_at=complaint.created_at,
                    model_version=prediction.model_version,
                    decision=prediction.decision,
                    confidence=prediction.top_confidence,
                    opd=self._scores(prediction.opd, self.taxonomy.opd_name),
                    category=self._scores(prediction.category, self.taxonomy.category_name),
                    explanation=list(prediction.explanation),
                    audit=bool(prediction.audit),
                    authority=prediction.authority,
                )
                for complaint, prediction in found
            ]

    @staticmethod
    def _scores(stored: list[Any], name_of: Any) -> list[LabelScore]:
        return [
            LabelScore(code=s["code"], name=name_of(s["code"]), confidence=s["confidence"])
            for s in stored[:3]
        ]


@dataclass(frozen=True)
class QueueCount:
    """How many complaints wait per top OPD: by decision, and audits apart."""

    opd: str
    review: int = 0
    needs_info: int = 0
    audit: int = 0
    auto: int = 0

    @property
    def waiting(self) -> int:
        """What needs a decision (auto routings not drawn for audit do not)."""
        return self.review + self.needs_info + self.audit


def queue_counts(store: Store) -> list[QueueCount]:
    """Waiting complaints per top OPD, most waiting first."""
    with store.read() as session:
        found = rows.queue_counts(session)
    per_opd: dict[str, dict[str, int]] = {}
    for opd, decision, audit, n in found:
        column = "audit" if audit else decision
        counts = per_opd.setdefault(opd, {})
        counts[column] = counts.get(column, 0) + n
    table = [QueueCount(opd=opd, **counts) for opd, counts in per_opd.items()]
    return sorted(table, key=lambda c: (-c.waiting, -c.auto, c.opd))
