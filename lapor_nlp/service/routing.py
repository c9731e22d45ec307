"""Route complaints with the active model and store each routing in one transaction."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sklearn
from sqlalchemy.exc import IntegrityError

from lapor_nlp.errors import DataValidationError
from lapor_nlp.model import RoutingDecision, Scored, Term
from lapor_nlp.service.masking import mask, mask_optional
from lapor_nlp.service.model_holder import ModelHolder
from lapor_nlp.store import RoutedRecord, Store
from lapor_nlp.store import repository as repo
from lapor_nlp.taxonomy import Taxonomy
from lapor_nlp.text import model_input

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RouteRequest:
    """One complaint to route, as the caller sent it (not yet masked)."""

    text: str
    title: str | None = None
    complaint_id: str | None = None
    channel: str | None = None
    top_k: int = 3


@dataclass(frozen=True)
class LabelScore:
    """A suggested label with its display name and probability."""

    code: str
    name: str
    confidence: float


@dataclass(frozen=True)
class RoutedComplaint:
    """The answer for one complaint; nothing in it carries unmasked personal data."""

    complaint_id: str
    model_version: str
    decision: str
    opd: list[LabelScore]
    category: list[LabelScore]
    explanation: list[Term] = field(default_factory=list)


class RoutingService:
    """Routes complaints and records every routing.

    Parameters
    ----------
    holder : ModelHolder
        The process's active model.
    store : Store
        Where complaints and predictions are written.
    taxonomy : Taxonomy
        Display names for OPD and category codes (unknown codes keep the code as name).
    threshold, margin : float or None
        Deployment overrides of the decision thresholds fitted with the model.
    max_text_chars : int
        Longest accepted complaint text.
    """

    def __init__(
        self,
        *,
        holder: ModelHolder,
        store: Store,
        taxonomy: Taxonomy,
        threshold: float | None = None,
        margin: float | None = None,
        max_text_chars: int = 20_000,
    ) -> None:
        self.holder = holder
        self.store = store
        self.taxonomy = taxonomy
        self.threshold = threshold
        self.margin = margin
        self.max_text_chars = max_text_chars

    def check(self, requests: Sequence[RouteRequest]) -> None:
        """Raise DataValidationError naming the first unusable item."""
        for index, request in enumerate(requests):
            where = f"items[{index}]." if len(requests) > 1 else ""
            if not request.text.strip():
                raise DataValidationError(f"{where}text: must not be empty or whitespace only")
            if len(request.text) > self.max_text_chars:
                raise DataValidationError(
                    f"{where}text: longer than {self.max_text_chars} characters"
                )
            if not 1 <= request.top_k <= 10:
                raise DataValidationError(f"{where}top_k: must be between 1 and 10")

    def route(self, requests: Sequence[RouteRequest]) -> list[RoutedComplaint]:
        """Route all ``requests`` with one model call and store them in one transaction."""
        if not requests:
            return []
        self.check(requests)
        loaded = self.holder.current  # taken once: a swap mid-call cannot mix two models
        # Inputs are strings we built; scikit-learn's per-call checks only cost time here.
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            decisions: list[RoutingDecision] = loaded.router.route(
                [model_input(r.title, r.text) for r in requests],
                top_k=max(r.top_k for r in requests),
                threshold=self.threshold,
                margin=self.margin,
            )
        results = [
            self._answer(request, decision, loaded.version)
            for request, decision in zip(requests, decisions, strict=True)
        ]
        records = [
            self._record(request, result) for request, result in zip(requests, results, strict=True)
        ]
        self._save(records)
        return results

    def _answer(
        self, request: RouteRequest, decision: RoutingDecision, version: str
    ) -> RoutedComplaint:
        k = request.top_k
        return RoutedComplaint(
            complaint_id=request.complaint_id or uuid.uuid4().hex,
            model_version=version,
            decision=decision.decision,
            opd=[self._scored(s, self.taxonomy.opd_name) for s in decision.opd[:k]],
            category=[self._scored(s, self.taxonomy.category_name) for s in decision.category[:k]],
            explanation=[Term(term=mask(t.term), weight=t.weight) for t in decision.explanation],
        )

    @staticmethod
    def _scored(scored: Scored, name_of: Any) -> LabelScore:
        return LabelScore(code=scored.code, name=name_of(scored.code), confidence=scored.confidence)

    @staticmethod
    def _record(request: RouteRequest, result: RoutedComplaint) -> RoutedRecord:
        return RoutedRecord(
            complaint_id=result.complaint_id,
            text=mask(request.text),
            title=mask_optional(request.title),
            channel=mask_optional(request.channel),
            model_version=result.model_version,
            decision=result.decision,
            opd=[{"code": s.code, "confidence": s.confidence} for s in result.opd],
            category=[{"code": s.code, "confidence": s.confidence} for s in result.category],
            explanation=[{"term": t.term, "weight": t.weight} for t in result.explanation],
            known_new=request.complaint_id is None,
        )

    def _save(self, records: list[RoutedRecord]) -> None:
        # Two first routings of one new complaint id may race; the loser retries as an update.
        for attempt in (1, 2):
            try:
                with self.store.transaction() as session:
                    repo.save_routed(session, records)
                return
            except IntegrityError:
                if attempt == 2:
                    raise
                logger.info("complaint id race while storing a routing; retrying")
