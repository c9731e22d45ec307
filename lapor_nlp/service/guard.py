"""The auto-route guard: audits a share of ``auto`` routings, measures their live precision and
changes the guard's state when the promise (precision >= target) no longer holds.

The database decides. Every change of state is one transaction with an audit-log entry and
its reason; each process caches the state for at most ``cache_seconds`` (the model poll
interval), so every replica follows a change within that time. Nothing is counted in memory:
the live precision is recomputed from the stored verdicts whenever it is needed, so a crash
between a verdict and the guard's update loses neither (the next evaluation catches up).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from lapor_nlp.errors import DataValidationError, NotFoundError
from lapor_nlp.model.decision import NEVER_AUTO, AutoPair, holds_on_real
from lapor_nlp.registry import LoadedModel, ModelRegistry
from lapor_nlp.service.guard_rules import (
    STATES,
    GuardConfig,
    LivePrecision,
    Transition,
    evaluate,
    live_precision,
)
from lapor_nlp.service.masking import mask
from lapor_nlp.settings import Settings
from lapor_nlp.store import Store
from lapor_nlp.store import guard as rows
from lapor_nlp.store import repository as repo
from lapor_nlp.store.tables import GuardState, ModelVersion, utcnow

logger = logging.getLogger(__name__)

AUDITED_STATES = ("shadow", "off")
"""States in which every would-be ``auto`` is answered ``review`` and audited."""


@dataclass(frozen=True)
class GuardPolicy:
    """What one routing call does with the model's decisions under the guard's state."""

    model_version: str
    state: str
    rule: AutoPair
    audit_rate: float

    def apply(self, decision: str, draw: Callable[[], float]) -> tuple[str, bool]:
        """The decision to answer and whether the routing is audited.

        ``auto`` stays ``auto`` while the guard is ``on`` or ``tightened`` (a random share
        ``audit_rate`` is audited); in ``shadow`` and ``off`` it becomes ``review`` and is
        always audited. Other decisions pass unchanged and are never audits.
        """
        if decision != "auto":
            return decision, False
        if self.state in AUDITED_STATES:
            return "review", True
        return "auto", draw() < self.audit_rate


@dataclass(frozen=True)
class GuardStatus:
    """The guard of one model: its state and rule, and the live precision under that rule."""

    model_version: str
    state: str
    reason: str
    changed_by: str
    changed_at: datetime
    rule: AutoPair
    config: GuardConfig
    live: LivePrecision
    pending: int

    def as_dict(self) -> dict[str, Any]:
        overall = self.live.overall
        return {
            "model_version": self.model_version,
            "state": self.state,
            "reason": self.reason,
            "changed_by": self.changed_by,
            "changed_at": self.changed_at.isoformat(timespec="seconds"),
            "audited": overall.audited,
            "correct": overall.correct,
            "precision": overall.precision,
            "lower_bound": overall.lower_bound,
            "pending": self.pending,
            "threshold": self.rule.threshold,
            "margin": self.rule.margin,
            "target": self.config.target,
            "tolerance": self.config.tolerance,
            "min_audits": self.config.min_audits,
            "per_opd": [
                {
                    "opd": opd,
                    "audited": p.audited,
                    "correct": p.correct,
                    "precision": p.precision,
                    "lower_bound": p.lower_bound,
                }
                for opd, p in self.live.per_opd.items()
            ],
        }


@dataclass(frozen=True)
class CandidateEvidence:
    """What a model's candidate report says of the promise: whether it held, and on what."""

    met: bool
    on_real: bool
    """True: judged on operator-verified complaints; False: on held-out rows."""
    detail: str


class AutoGuard:
    """Reads, evaluates and sets the guard of each model version.

    Parameters
    ----------
    store : Store
        The database (table ``auto_guard``, audited predictions, verdicts).
    base_rule : callable
        The model's own rule for a version: its fitted threshold and margin, or the
        deployment's overrides (``LAPOR_AUTO_THRESHOLD``/``LAPOR_AUTO_MARGIN``).
    report_met_target : callable
        What a version's candidate report says of the target (:func:`candidate_met_target`);
        None when the version has no report or the report no figure.
    config : GuardConfig
        Target, tolerance and minimum audits.
    auto_start : {"shadow", "on"}
        The first state of a model without a report that met the target.
    audit_rate : float
        Share of ``auto`` routings drawn for an audit while ``on`` or ``tightened``.
    cache_seconds : float
        How long this process trusts the state it read.
    """

    def __init__(
        self,
        store: Store,
        *,
        base_rule: Callable[[str], AutoPair],
        report_met_target: Callable[[str], CandidateEvidence | None],
        config: GuardConfig,
        auto_start: str = "shadow",
        audit_rate: float = 0.05,
        cache_seconds: float = 2.0,
        rng: random.Random | None = None,
    ) -> None:
        if auto_start not in ("shadow", "on"):
            raise DataValidationError(f"auto_start: must be shadow or on, got {auto_start!r}")
        self.store = store
        self.base_rule = base_rule
        self.report_met_target = report_met_target
        self.config = config
        self.auto_start = auto_start
        self.audit_rate = audit_rate
        self.cache_seconds = cache_seconds
        self._rng = rng or random.Random()
        self._cache: dict[str, tuple[float, GuardPolicy]] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ serving
    def policy(self, model_version: str) -> GuardPolicy:
        """The policy for routing with ``model_version`` (cached for ``cache_seconds``)."""
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(model_version)
        if cached is not None and now - cached[0] < self.cache_seconds:
            return cached[1]
        row = self._read(model_version) or self.start(model_version, actor="guard")
        policy = GuardPolicy(
            model_version=model_version,
            state=row.state,
            rule=self._rule(row),
            audit_rate=self.audit_rate,
        )
        with self._lock:
            self._cache[model_version] = (now, policy)
        return policy

    def draw(self) -> float:
        """A uniform number in [0, 1) for the audit draw."""
        with self._lock:
            return self._rng.random()

    def forget(self) -> None:
        """Drop this process's cached states (after a change made here)."""
        with self._lock:
            self._cache.clear()

    # ----------------------------------------------------------------- reading
    def status(self, model_version: str) -> GuardStatus:
        """State, rule and live precision of ``model_version`` (started when unknown)."""
        row = self._read(model_version) or self.start(model_version, actor="guard")
        rule = self._rule(row)
        with self.store.read() as session:
            judged = rows.judged_predictions(session, model_version)
            pending = rows.pending_audits(session, model_version)
        return GuardStatus(
            model_version=model_version,
            state=row.state,
            reason=row.reason,
            changed_by=row.changed_by,
            changed_at=row.changed_at,
            rule=rule,
            config=self.config,
            live=live_precision(judged, rule),
            pending=pending,
        )

    def _read(self, model_version: str) -> GuardState | None:
        with self.store.read() as session:
            return rows.get_guard(session, model_version)

    def _rule(self, row: GuardState) -> AutoPair:
        if row.state == "tightened" and row.threshold is not None:
            return AutoPair(row.threshold, row.margin or 0.0)
        return self.base_rule(row.model_version)

    def pair_in_force(self, model_version: str) -> AutoPair:
        """The pair that decides what ``model_version`` may auto-route now, read from the
        database (the floor of a retrained candidate's pair).

        The rule the guard applies (:meth:`_rule`): a tightened guard's pair, else the model's
        own with the deployment's overrides (also in ``shadow``: the pair it is measuring).
        ``off`` auto-routes nothing, so its pair is ``NEVER_AUTO``: no pair kept the promise on
        this model's verdicts (the last tightened one is the one that failed), or a maintainer
        stopped auto-routing; a candidate then auto-routes only what real verdicts support.
        """
        row = self._read(model_version)
        if row is None:
            return self.base_rule(model_version)
        if row.state == "off":
            return AutoPair(NEVER_AUTO, 0.0)
        return self._rule(row)

    # ---------------------------------------------------------------- changing
    def first_state(self, model_version: str) -> tuple[str, str]:
        """The state a model starts in, and why: ``on`` when its candidate report met the
        target, ``shadow`` when real verdicts say it did not, else ``LAPOR_AUTO_START``."""
        evidence = self.report_met_target(model_version)
        if evidence is not None and evidence.met:
            return "on", f"candidate report met the target precision ({evidence.detail})"
        if evidence is not None and evidence.on_real:
            return "shadow", f"candidate report below the target precision ({evidence.detail})"
        return self.auto_start, f"first start of this model (LAPOR_AUTO_START={self.auto_start})"

    def start(self, model_version: str, *, actor: str) -> GuardState:
        """The guard row of ``model_version``, created in its first state when missing."""
        try:
            with self.store.transaction() as session:
                rows.lock_guard(session)
                row = rows.get_guard(session, model_version)
                if row is None:
                    row = self.start_in(session, model_version, actor=actor)
                return row
        except IntegrityError:  # another process created it first
            found = self._read(model_version)
            if found is None:
                raise
            return found

    def start_in(
        self, session: Session, model_version: str, *, actor: str, why: str | None = None
    ) -> GuardState:
        """(Re)start the guard of ``model_version`` inside the caller's transaction."""
        state, reason = self.first_state(model_version)
        reason = f"{why}: {reason}" if why else reason
        previous = rows.get_guard(session, model_version)
        row = rows.put_guard(
            session,
            model_version=model_version,
            state=state,
            threshold=None,
            margin=None,
            reason=reason,
            changed_by=actor,
        )
        self._audit(session, row, actor, previous.state if previous else None)
        return row

    def evaluate(self, model_version: str, *, actor: str = "guard") -> Transition | None:
        """Recompute the live precision from the stored verdicts and apply the transition it
        calls for, in one transaction with its audit entry; return it (None: no change)."""
        with self.store.transaction() as session:
            rows.lock_guard(session)
            row = rows.get_guard(session, model_version)
            if row is None or row.state == "off":  # off waits for a maintainer
                return None
            base = self.base_rule(model_version)
            judged = rows.judged_predictions(session, model_version)
            change = evaluate(
                row.state, judged, config=self.config, base=base, current=self._rule(row)
            )
            if change is None:
                return None
            previous = row.state
            rule = change.rule
            rows.put_guard(
                session,
                model_version=model_version,
                state=change.state,
                threshold=None if rule is None else rule.threshold,
                margin=None if rule is None else rule.margin,
                reason=change.reason,
                changed_by=actor,
            )
            self._audit(session, row, actor, previous)
        self.forget()
        logger.warning(
            "auto guard of %s: %s -> %s (%s)", model_version, previous, change.state, change.reason
        )
        return change

    def after_verdict(self, complaint_id: str, model_version: str | None) -> None:
        """Re-evaluate the judged model's guard when the verdict judged an audited routing.

        The verdict is already stored; if this fails (or the process dies first), the next
        evaluation recomputes everything from the stored verdicts, so nothing is lost.
        """
        if model_version is None:
            return
        try:
            with self.store.read() as session:
                audited = rows.latest_is_audit(session, complaint_id)
            if audited:
                self.evaluate(model_version)
        except SQLAlchemyError as exc:
            logger.error("auto guard of %s not re-evaluated: %s", model_version, exc)

    def catch_up(self, model_version: str) -> None:
        """At start-up: make sure the active model has a guard and apply pending verdicts."""
        self.start(model_version, actor="guard")
        self.evaluate(model_version)

    def set_state(
        self,
        model_version: str,
        state: str,
        *,
        actor: str,
        reason: str,
        threshold: float | None = None,
        margin: float | None = None,
    ) -> GuardState:
        """A maintainer's decision: set the state (and the rule, for ``tightened``)."""
        if state not in STATES:
            raise DataValidationError(f"state: must be one of {', '.join(STATES)}, got {state!r}")
        if not reason.strip():
            raise DataValidationError("reason: say why the guard's state changes")
        if state == "tightened":
            if threshold is None:
                raise DataValidationError("threshold: required when the state is 'tightened'")
        elif threshold is not None or margin is not None:
            raise DataValidationError(
                "threshold, margin: only a 'tightened' guard has its own threshold and margin"
            )
        for name, value in (("threshold", threshold), ("margin", margin)):
            if value is not None and not 0.0 <= value <= 1.0:
                raise DataValidationError(f"{name}: must be between 0 and 1, got {value}")
        with self.store.transaction() as session:
            rows.lock_guard(session)
            previous = rows.get_guard(session, model_version)
            before = previous.state if previous is not None else None
            row = rows.put_guard(
                session,
                model_version=model_version,
                state=state,
                threshold=threshold,
                margin=(margin or 0.0) if state == "tightened" else None,
                reason=f"set by maintainer: {mask(reason.strip())}"[:2000],
                changed_by=actor,
            )
            self._audit(session, row, actor, before)
        self.forget()
        return row

    @staticmethod
    def _audit(session: Session, row: GuardState, actor: str, previous: str | None) -> None:
        repo.add_audit(
            session,
            actor=actor,
            action="guard.state",
            target=f"model:{row.model_version}",
            detail={
                "from": previous,
                "to": row.state,
                "threshold": row.threshold,
                "margin": row.margin,
                "reason": row.reason,
                "at": utcnow().isoformat(timespec="seconds"),
            },
        )


def require_version(version: str | None) -> str:
    """The active version, or NotFoundError when no model is active."""
    if version is None:
        raise NotFoundError("no model is active")
    return version


def candidate_met_target(report: dict[str, Any] | None, target: float) -> CandidateEvidence | None:
    """Whether a candidate report shows the promise kept, so its promotion may start ``on``.

    Real verdicts decide when there are enough: the candidate's auto decisions on the held-out
    operator-verified complaints (``verified.candidate``), judged by
    :func:`~lapor_nlp.model.decision.holds_on_real`, the support rule of the threshold fit.
    The held-out base rows are seed-like text, which over-promises on real complaints, so
    their auto precision decides only when real verdicts are too few. None: no figure.
    """
    if not report:
        return None
    real = ((report.get("verified") or {}).get("candidate")) or {}
    auto, correct = int(real.get("auto") or 0), int(real.get("correct") or 0)
    verdict = holds_on_real(correct, auto, target)
    if verdict is not None:
        return CandidateEvidence(verdict, True, f"{correct}/{auto} right on verified complaints")
    precision = (report.get("candidate") or {}).get("auto_precision")
    if precision is None:
        return None
    return CandidateEvidence(
        float(precision) >= target, False, f"{float(precision):.3f} on held-out rows"
    )


def build_guard(
    store: Store,
    registry: ModelRegistry,
    settings: Settings,
    *,
    loaded: Callable[[], LoadedModel | None] = lambda: None,
) -> AutoGuard:
    """The guard as the settings describe it; model thresholds come from the loaded model
    or the registry's metadata, with the deployment's overrides on top."""
    thresholds: dict[str, dict[str, Any]] = {}

    def fitted(version: str) -> dict[str, Any]:
        model = loaded()
        if model is not None and model.version == version:
            return dict(model.metadata.get("thresholds") or {})
        if version not in thresholds:
            thresholds[version] = dict(registry.get(version).metadata.get("thresholds") or {})
        return thresholds[version]

    def base_rule(version: str) -> AutoPair:
        fit = fitted(version)
        threshold = settings.auto_threshold
        margin = settings.auto_margin
        return AutoPair(
            threshold=float(fit.get("threshold", 1.01) if threshold is None else threshold),
            margin=float(fit.get("margin", 0.0) if margin is None else margin),
        )

    def report_met_target(version: str) -> CandidateEvidence | None:
        with store.read() as session:
            row = session.get(ModelVersion, version)
            report = None if row is None else row.report
        return candidate_met_target(report, settings.target_precision)

    return AutoGuard(
        store,
        base_rule=base_rule,
        report_met_target=report_met_target,
        config=GuardConfig(
            target=settings.target_precision,
            tolerance=settings.guard_tolerance,
            min_audits=settings.guard_min_audits,
        ),
        auto_start=settings.auto_start,
        audit_rate=settings.audit_rate,
        cache_seconds=settings.model_poll_seconds,
    )


def activation_hook(guard: AutoGuard) -> Callable[[Session, str, str, str], None]:
    """Start the guard of a promoted model afresh; a rolled-back model keeps its guard."""

    def on_activate(session: Session, version: str, actor: str, action: str) -> None:
        if action == "model.rollback" and rows.get_guard(session, version) is not None:
            return
        rows.lock_guard(session)
        guard.start_in(session, version, actor=actor, why=action.replace("model.", ""))
        guard.forget()

    return on_activate
