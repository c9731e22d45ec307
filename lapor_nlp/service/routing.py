"""Route complaints with the active model and store each routing in one transaction."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sklearn
from sqlalchemy.exc import IntegrityError

from lapor_nlp.data.fields import ComplaintFields
from lapor_nlp.errors import DataValidationError
from lapor_nlp.model import RoutingDecision, Scored, Term
from lapor_nlp.model.authority import AuthorityCall
from lapor_nlp.service.guard import AutoGuard, GuardPolicy
from lapor_nlp.service.masking import mask, mask_optional
from lapor_nlp.service.model_holder import ModelHolder
from lapor_nlp.store import RoutedRecord, Store
from lapor_nlp.store import repository as repo
from lapor_nlp.taxonomy import Taxonomy
from lapor_nlp.text import model_input
from lapor_nlp.text.mask import personal_data_kinds

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RouteRequest:
    """One complaint to route, as the caller sent it (not yet masked)."""

    text: str
    title: str | None = None
    complaint_id: str | None = None
    channel: str | None = None
    top_k: int = 3
    address: str | None = None
    kecamatan: str | None = None
    kelurahan: str | None = None

    def fields(self) -> ComplaintFields:
        """The structured fields the model reads beside the text."""
        return ComplaintFields(
            address=self.address,
            kecamatan=self.kecamatan,
            kelurahan=self.kelurahan,
            channel=self.channel,
        )


@dataclass(frozen=True)
class ItemProblem:
    """Why one complaint of a request cannot be routed: the field and the problem."""

    field: str
    problem: str


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
    authority: AuthorityCall | None = None


def _margin(decision: RoutingDecision) -> float:
    """Top-1 minus top-2 OPD probability (1.0 for a one-class model)."""
    if len(decision.opd) < 2:
        return 1.0
    return round(decision.opd[0].confidence - decision.opd[1].confidence, 6)


COMPLAINT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}$"
_COMPLAINT_ID_RE = re.compile(COMPLAINT_ID_PATTERN)
# Kinds of personal data an id (complaint, request) must not hold; a long number alone is an
# id's own.
ID_PERSONAL_DATA = frozenset({"NIK", "TELEPON", "EMAIL", "URL", "NPWP", "PLAT"})


def check_complaint_id(value: str, field: str = "complaint_id") -> None:
    """Raise DataValidationError unless ``value`` is a safe complaint id.

    Safe: letters, digits and ``._:-`` (at most 64), and no NIK, phone number, e-mail, NPWP
    or plate in it, since ids are stored, echoed and logged as they are.
    """
    if not _COMPLAINT_ID_RE.match(value):
        raise DataValidationError(
            f"{field}: must be 1-64 letters, digits or . _ : - and start with a letter or digit"
        )
    kinds = personal_data_kinds(value) & ID_PERSONAL_DATA
    if kinds:
        raise DataValidationError(
            f"{field}: looks like personal data ({', '.join(sorted(kinds))}); "
            "send the complaint's own number"
        )


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
        Deployment overrides of the decision thresholds fitted with the model (used as they
        are without a guard; with one, the guard's rule already includes them).
    max_text_chars : int
        Longest accepted complaint text.
    guard : AutoGuard, optional
        The auto-route guard: its rule is the one place where the threshold and margin of a
        routing are decided, and it says which ``auto`` routings are audited.
    on_model_call : callable, optional
        Called after each model call with its duration in seconds and the first OPD's
        confidence of each text (the service's latency and drift metrics).
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
        guard: AutoGuard | None = None,
        on_model_call: Callable[[float, list[float]], None] | None = None,
    ) -> None:
        self.holder = holder
        self.on_model_call = on_model_call
        self.guard = guard
        self.store = store
        self.taxonomy = taxonomy
        self.threshold = threshold
        self.margin = margin
        self.max_text_chars = max_text_chars

    def check(self, requests: Sequence[RouteRequest]) -> None:
        """Raise DataValidationError naming the first unusable item."""
        for index, problem in enumerate(self.problems(requests)):
            if problem is not None:
                where = f"items[{index}]." if len(requests) > 1 else ""
                raise DataValidationError(f"{where}{problem.field}: {problem.problem}")

    def problems(self, requests: Sequence[RouteRequest]) -> list[ItemProblem | None]:
        """What is wrong with each request (None when it can be routed)."""
        return [self._problem(request) for request in requests]

    def _problem(self, request: RouteRequest) -> ItemProblem | None:
        if "\x00" in request.text:
            return ItemProblem("text", "must not contain NUL characters")
        if not request.text.strip():
            return ItemProblem("text", "must not be empty or whitespace only")
        if len(request.text) > self.max_text_chars:
            return ItemProblem("text", f"longer than {self.max_text_chars} characters")
        if not 1 <= request.top_k <= 10:
            return ItemProblem("top_k", "must be between 1 and 10")
        if request.complaint_id is not None:
            try:
                check_complaint_id(request.complaint_id, "complaint_id")
            except DataValidationError as exc:
                return ItemProblem("complaint_id", str(exc).split(": ", 1)[1])
        return None

    def route(self, requests: Sequence[RouteRequest]) -> list[RoutedComplaint]:
        """Route all ``requests`` with one model call and store them in one transaction."""
        if not requests:
            return []
        self.check(requests)
        loaded = self.holder.current  # taken once: a swap mid-call cannot mix two models
        policy = None if self.guard is None else self.guard.policy(loaded.version)
        threshold, margin = (
            (self.threshold, self.margin)
            if policy is None
            else (policy.rule.threshold, policy.rule.margin)
        )
        # Inputs are strings we built; scikit-learn's per-call checks only cost time here.
        started = time.perf_counter()
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            decisions: list[RoutingDecision] = loaded.router.route(
                [model_input(r.title, r.text) for r in requests],
                top_k=max(2, *(r.top_k for r in requests)),  # two: the margin is stored
                threshold=threshold,
                margin=margin,
                fields=[r.fields() for r in requests],
            )
        if self.on_model_call is not None:
            self.on_model_call(
                time.perf_counter() - started, [d.opd[0].confidence for d in decisions]
            )
        records: list[RoutedRecord] = []
        results: list[RoutedComplaint] = []
        for request, decision in zip(requests, decisions, strict=True):
            answered, audit = self._guarded(decision.decision, policy)
            result = self._answer(request, decision, loaded.version, answered)
            results.append(result)
            records.append(
                self._record(
                    request,
                    result,
                    margin=_margin(decision),
                    audit=audit,
                    guard_state=None if policy is None else policy.state,
                )
            )
        self._save(records)
        return results

    def _guarded(self, decision: str, policy: GuardPolicy | None) -> tuple[str, bool]:
        if policy is None or self.guard is None:
            return decision, False
        return policy.apply(decision, self.guard.draw)

    def _answer(
        self, request: RouteRequest, decision: RoutingDecision, version: str, answered: str
    ) -> RoutedComplaint:
        k = request.top_k
        return RoutedComplaint(
            complaint_id=request.complaint_id or uuid.uuid4().hex,
            model_version=version,
            decision=answered,
            opd=[self._scored(s, self.taxonomy.opd_name) for s in decision.opd[:k]],
            category=[self._scored(s, self.taxonomy.category_name) for s in decision.category[:k]],
            explanation=[Term(term=mask(t.term), weight=t.weight) for t in decision.explanation],
            authority=decision.authority,
        )

    @staticmethod
    def _scored(scored: Scored, name_of: Any) -> LabelScore:
        return LabelScore(code=scored.code, name=name_of(scored.code), confidence=scored.confidence)

    @staticmethod
    def _record(
        request: RouteRequest,
        result: RoutedComplaint,
        *,
        margin: float,
        audit: bool,
        guard_state: str | None,
    ) -> RoutedRecord:
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
            margin=margin,
            audit=audit,
            guard_state=guard_state,
            authority=None
            if result.authority is None
            else {"level": result.authority.level, "confidence": result.authority.confidence},
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
