"""The guard's rules, without a database: what counts as a right ``auto``, the live precision,
when the promise no longer holds and the stricter rule that restores it.

Kept pure so the service, the benchmark and the tests apply the very same rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from lapor_nlp.evaluation.wilson import wilson_lower_bound
from lapor_nlp.model.decision import (
    MARGIN_GRID,
    MIN_AUTO_SUPPORT,
    PROMISE_TOLERANCE,
    THRESHOLD_GRID,
    AutoPair,
    meets_auto_rule,
    promise_holds,
    routed_right,
)
from lapor_nlp.store.guard import JudgedPrediction

STATES = ("shadow", "on", "tightened", "off")


@dataclass(frozen=True)
class GuardConfig:
    """The promise and how it is checked.

    ``target``: precision ``auto`` must reach; ``tolerance``: how far below the target the
    Wilson 95% lower bound may fall; ``min_audits``: verdicts needed before the guard acts.
    """

    target: float = 0.95
    tolerance: float = PROMISE_TOLERANCE
    min_audits: int = 50


@dataclass(frozen=True)
class Precision:
    """Verdicts counted, how many said the routing was right, and the precision with its
    Wilson 95% lower bound (None without verdicts)."""

    audited: int
    correct: int

    @property
    def precision(self) -> float | None:
        return round(self.correct / self.audited, 4) if self.audited else None

    @property
    def lower_bound(self) -> float | None:
        return round(wilson_lower_bound(self.correct, self.audited), 4) if self.audited else None


@dataclass(frozen=True)
class LivePrecision:
    """Precision of ``auto`` on audited routings the given rule admits, overall and per OPD."""

    overall: Precision
    per_opd: dict[str, Precision] = field(default_factory=dict)


@dataclass(frozen=True)
class Transition:
    """A change of the guard's state, with the rule to use and why."""

    state: str
    reason: str
    rule: AutoPair | None = None


def is_right(judged: JudgedPrediction) -> bool:
    """The routing was right by :func:`~lapor_nlp.model.decision.routed_right`: the operator's
    label is the model's top OPD; ``not_authority`` and ``incomplete`` count as wrong."""
    return routed_right(judged.top_opd, judged.label_opd)


def live_precision(judged: Sequence[JudgedPrediction], rule: AutoPair) -> LivePrecision:
    """Count the audited routings ``rule`` admits; audits are the only unbiased sample."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item in judged:
        if item.audit and rule.admits(item.confidence, item.margin):
            counts[item.top_opd][0] += 1
            counts[item.top_opd][1] += int(is_right(item))
    per_opd = {opd: Precision(n, k) for opd, (n, k) in sorted(counts.items())}
    overall = Precision(
        sum(p.audited for p in per_opd.values()), sum(p.correct for p in per_opd.values())
    )
    return LivePrecision(overall, per_opd)


def holds(precision: Precision, config: GuardConfig) -> bool:
    """The promise holds: point estimate >= target and lower bound >= target - tolerance."""
    return promise_holds(precision.correct, precision.audited, config.target, config.tolerance)


def refit(
    judged: Sequence[JudgedPrediction], config: GuardConfig, floor: AutoPair
) -> tuple[AutoPair, Precision] | None:
    """The rule, at least as strict as ``floor``, that keeps the most verdicts while the
    promise holds on them (audited and reviewed verdicts alike); None when no rule does."""
    if not judged:
        return None
    confidence = np.array([j.confidence for j in judged])
    margin = np.array([np.inf if j.margin is None else j.margin for j in judged])
    right = np.array([is_right(j) for j in judged])
    best: tuple[int, float, float, Precision] | None = None
    for m in (x for x in MARGIN_GRID if x >= floor.margin):
        for t in (x for x in THRESHOLD_GRID if x >= floor.threshold):
            admitted = meets_auto_rule(confidence, margin, threshold=t, min_margin=m)
            precision = Precision(int(admitted.sum()), int(right[admitted].sum()))
            if precision.audited < MIN_AUTO_SUPPORT or (precision.precision or 0) < config.target:
                continue
            if best is None or (precision.audited, -t, -m) > (best[0], -best[1], -best[2]):
                best = (precision.audited, t, m, precision)
    if best is None:
        return None
    return AutoPair(threshold=float(best[1]), margin=float(best[2])), best[3]


def evaluate(
    state: str,
    judged: Sequence[JudgedPrediction],
    *,
    config: GuardConfig,
    base: AutoPair,
    current: AutoPair,
) -> Transition | None:
    """The transition the verdicts call for, or None to stay.

    ``shadow`` and ``on`` judge the model's own rule (``base``); ``tightened`` judges its
    stricter rule (``current``). Nothing happens before ``min_audits`` audited verdicts under
    the rule in force, and ``off`` waits for a maintainer or a new model.
    """
    if state == "off":
        return None
    live = live_precision(judged, current).overall
    if live.audited < config.min_audits:
        return None
    summary = (
        f"{live.correct}/{live.audited} audited auto routings right "
        f"(precision {live.precision:.3f}, lower bound {live.lower_bound:.3f})"
    )
    if holds(live, config):
        if state == "shadow":
            return Transition("on", f"shadow released: {summary}")
        return None
    fitted = refit(judged, config, floor=current)
    if fitted is None:
        return Transition(
            "off",
            f"{summary}, below target {config.target:.2f}; no stricter threshold reaches it",
        )
    rule, on_verdicts = fitted
    return Transition(
        "tightened",
        f"{summary}, below target {config.target:.2f}; re-fitted threshold "
        f"{rule.threshold:.2f} margin {rule.margin:.2f}: {on_verdicts.correct}/"
        f"{on_verdicts.audited} right on this model's verdicts",
        rule,
    )
