"""The routing decision, in one place: the auto-route rule, top-k, precision/coverage, thresholds.

Training (threshold fit, cross-validation), retraining (candidate vs active), evaluation and the
service all call these functions, so "auto-routed" means the same thing everywhere: the top
OPD's probability reaches the threshold *and* its margin over the runner-up reaches the margin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from lapor_nlp.evaluation.wilson import wilson_lower_bound
from lapor_nlp.model.authority import AuthorityCall
from lapor_nlp.registry.metadata import CurvePoint, Thresholds

Decision = Literal["auto", "review", "needs_info"]

THRESHOLD_GRID = tuple(round(float(x), 2) for x in np.arange(0.20, 1.0001, 0.01))
MARGIN_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
MIN_AUTO_SUPPORT = 20
MIN_REAL_SUPPORT = 50
"""Verified auto-routings needed before real verdicts judge a pair (:func:`holds_on_real`): to
loosen the pair in force, and to decide whether a promoted candidate starts ``on``. As many as
the guard's default minimum of audits before it judges. With 20 to 48 of them (one round of
about 90 corrections), a looser pair kept 0.91-0.93 on the next 3,000 real reports of the same
region while the verified rows showed 0.96-0.97 (``benchmarks/retrain_real.py``)."""
NEVER_AUTO = 1.01
"""A threshold no probability reaches: nothing is auto-routed, review is the safe default."""
PROMISE_TOLERANCE = 0.10
"""How far below the target the Wilson 95% lower bound may fall while the promise holds: the
guard's default, and the test verified rows must pass to support a looser pair (so a pair they
support does not trip the guard)."""


@dataclass(frozen=True)
class Scored:
    """One suggested label with its probability."""

    code: str
    confidence: float


@dataclass(frozen=True)
class Term:
    """One word of the complaint and how much it pushed the top OPD up."""

    term: str
    weight: float


@dataclass(frozen=True)
class RoutingDecision:
    """What a caller gets back for one complaint: decision, top-k OPDs and categories, why."""

    decision: Decision
    opd: list[Scored]
    category: list[Scored] = field(default_factory=list)
    explanation: list[Term] = field(default_factory=list)
    authority: AuthorityCall | None = None  # set when it is likely not the province's matter


@dataclass(frozen=True)
class AutoRouteQuality:
    """How the auto-route rule does on labelled rows.

    Attributes
    ----------
    precision : float or None
        Share of the auto-routed rows whose top OPD is right; None when none was auto-routed.
    coverage : float
        Share of the rows that were auto-routed (0 for no rows).
    n_auto : int
        How many rows were auto-routed.
    """

    precision: float | None
    coverage: float
    n_auto: int


def top_k_indices(proba: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the ``k`` most probable labels per row, best first.

    Ties are broken by column (label) order, so the same probabilities always give the same
    suggestions.

    >>> top_k_indices(np.array([[0.2, 0.4, 0.4]]), 2).tolist()
    [[1, 2]]
    """
    k = max(1, min(k, proba.shape[-1]))
    return np.argsort(-proba, axis=-1, kind="stable")[..., :k]


def top_k(proba_row: np.ndarray, classes: np.ndarray, k: int) -> list[Scored]:
    """The k most probable labels of one row, best first (ties: label order).

    >>> top_k(np.array([0.1, 0.6, 0.3]), np.array(["A", "B", "C"]), 2)
    [Scored(code='B', confidence=0.6), Scored(code='C', confidence=0.3)]
    """
    return [
        Scored(code=str(classes[i]), confidence=round(float(proba_row[i]), 6))
        for i in top_k_indices(proba_row, k)
    ]


def top_k_accuracy(proba: np.ndarray, y_true: ArrayLike, classes: ArrayLike, k: int = 3) -> float:
    """Share of rows whose true label is among the ``k`` suggestions :func:`top_k` would give.

    True labels the model does not know count as misses; no rows give 0.

    >>> top_k_accuracy(np.array([[0.5, 0.3, 0.2], [0.1, 0.2, 0.7]]), ["B", "A"], ["A", "B", "C"], 2)
    0.5
    """
    truth = np.asarray(y_true, dtype=object)
    if len(truth) == 0:
        return 0.0
    index = {str(label): i for i, label in enumerate(np.asarray(classes, dtype=object))}
    true_idx = np.array([index.get(str(label), -1) for label in truth])
    top = top_k_indices(np.asarray(proba, dtype=float), k)
    return float(np.mean(np.any(top == true_idx[:, None], axis=1)))


def top_two(proba: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Top-1 probability and its margin over the runner-up, per row (1 and 1 for one class).

    >>> best, margin = top_two(np.array([[0.7, 0.2, 0.1]]))
    >>> float(best[0]), round(float(margin[0]), 2)
    (0.7, 0.5)
    """
    if proba.shape[1] == 1:
        ones = np.ones(proba.shape[0])
        return ones, ones
    part = np.partition(proba, -2, axis=1)
    best = part[:, -1]
    return best, best - part[:, -2]


def meets_auto_rule(
    best: np.ndarray | float, margin: np.ndarray | float, *, threshold: float, min_margin: float
) -> np.ndarray:
    """The auto-route rule: probability >= threshold and margin >= min_margin (element-wise)."""
    return np.asarray((np.asarray(best) >= threshold) & (np.asarray(margin) >= min_margin))


def auto_routed(proba: np.ndarray, *, threshold: float, margin: float) -> np.ndarray:
    """Per row of a probability matrix: does the auto-route rule route it.

    >>> auto_routed(np.array([[0.9, 0.1], [0.55, 0.45]]), threshold=0.8, margin=0.0).tolist()
    [True, False]
    """
    best, gap = top_two(proba)
    return meets_auto_rule(best, gap, threshold=threshold, min_margin=margin)


def decide(best: float, margin: float, *, threshold: float, min_margin: float) -> Decision:
    """``auto`` when the model is sure enough by both measures, else ``review``.

    >>> decide(0.9, 0.5, threshold=0.8, min_margin=0.1)
    'auto'
    >>> decide(0.9, 0.05, threshold=0.8, min_margin=0.1)
    'review'
    """
    auto = bool(meets_auto_rule(best, margin, threshold=threshold, min_margin=min_margin))
    return "auto" if auto else "review"


def precision_coverage(
    proba: np.ndarray, y_true: ArrayLike, classes: np.ndarray, threshold: float, margin: float
) -> AutoRouteQuality:
    """Precision of the auto-routed share and that share (coverage) at one threshold pair.

    >>> proba = np.array([[0.9, 0.1], [0.8, 0.2], [0.5, 0.5]])
    >>> precision_coverage(proba, ["A", "B", "A"], np.array(["A", "B"]), 0.7, 0.0)
    AutoRouteQuality(precision=0.5, coverage=0.6666666666666666, n_auto=2)
    """
    auto = auto_routed(proba, threshold=threshold, margin=margin)
    n_auto = int(auto.sum())
    if n_auto == 0:
        return AutoRouteQuality(None, 0.0, 0)
    predicted = np.asarray(classes)[np.argmax(proba[auto], axis=1)]
    precision = float(np.mean(predicted == np.asarray(y_true, dtype=object)[auto]))
    return AutoRouteQuality(precision, n_auto / len(auto), n_auto)


@dataclass(frozen=True)
class AutoPair:
    """A threshold and margin of the auto-route rule."""

    threshold: float
    margin: float

    def admits(self, confidence: float, margin: float | None) -> bool:
        """Whether a routing with this confidence and margin is auto-routed under the pair."""
        # Rows older than the guard have no margin stored: only the threshold can be checked.
        gap = np.inf if margin is None else margin
        return bool(
            meets_auto_rule(confidence, gap, threshold=self.threshold, min_margin=self.margin)
        )

    def at_least_as_strict_as(self, other: AutoPair) -> bool:
        return self.threshold >= other.threshold and self.margin >= other.margin

    def stricter_of(self, other: AutoPair) -> AutoPair:
        """The loosest pair at least as strict as both.

        >>> AutoPair(0.9, 0.0).stricter_of(AutoPair(0.7, 0.1))
        AutoPair(threshold=0.9, margin=0.1)
        """
        return AutoPair(max(self.threshold, other.threshold), max(self.margin, other.margin))


def promise_holds(
    correct: int, judged: int, target: float, tolerance: float = PROMISE_TOLERANCE
) -> bool:
    """The precision promise holds on ``judged`` routings of which ``correct`` were right: the
    point estimate >= ``target`` and its Wilson 95% lower bound >= ``target - tolerance``.

    The one test for live audits (the guard) and for verified rows (the threshold rule).

    Examples
    --------
    >>> promise_holds(50, 50, 0.95), promise_holds(19, 20, 0.95), promise_holds(0, 0, 0.95)
    (True, False, False)
    """
    if judged <= 0:
        return False
    return correct / judged >= target and wilson_lower_bound(correct, judged) >= target - tolerance


def routed_right(routed_opd: str, label_opd: str | None) -> bool:
    """An auto routing was right when the operator's label is the OPD it went to.

    A verdict without a label (``not_authority``, ``incomplete``: ``label_opd`` None) makes it
    wrong: the complaint reached an OPD without a person reading it, and should not have. The
    one definition for live audits (the guard) and for verified complaints (retraining).

    >>> routed_right("DPUPR", "DPUPR"), routed_right("DPUPR", "DISHUB"), routed_right("DPUPR", None)
    (True, False, False)
    """
    return label_opd is not None and label_opd == routed_opd


def holds_on_real(correct: int, n_auto: int, target_precision: float) -> bool | None:
    """What verified real complaints say of the promise: None with fewer than
    ``MIN_REAL_SUPPORT`` of them auto-routed (too few to judge), else whether it holds on them
    (:func:`promise_holds`, the test the guard applies to audits).

    >>> holds_on_real(49, 49, 0.95), holds_on_real(50, 50, 0.95), holds_on_real(45, 50, 0.95)
    (None, True, False)
    """
    if n_auto < MIN_REAL_SUPPORT:
        return None
    return promise_holds(correct, n_auto, target_precision)


def real_support(on_real: AutoRouteQuality, target_precision: float) -> bool:
    """Verified rows support a pair: :func:`holds_on_real` says the promise holds on them."""
    if on_real.precision is None:
        return False
    correct = round(on_real.precision * on_real.n_auto)
    return holds_on_real(correct, on_real.n_auto, target_precision) is True


def fit_thresholds(
    proba: np.ndarray,
    y_true: np.ndarray,
    classes: np.ndarray,
    target_precision: float,
    *,
    verified: np.ndarray | None = None,
    floor: AutoPair | None = None,
) -> Thresholds:
    """Pick (threshold, margin) with the most coverage whose held-out precision meets the target.

    The rule, stated once here:

    1. On all out-of-fold rows the pair auto-routes at least ``MIN_AUTO_SUPPORT`` rows at a
       precision >= the target, so that one lucky prediction cannot make it look perfect.
    2. Rows marked ``verified`` carry an operator's label on real text. The pair must keep
       precision >= the target on the verified rows it auto-routes: seed-like rows alone
       over-promise on real text.
    3. ``floor`` is the pair in force before (the serving model's). A pair looser than it in
       threshold or margin needs the support of real verdicts (:func:`real_support`): at least
       ``MIN_REAL_SUPPORT`` verified rows auto-routed, at precision >= the target with a Wilson
       lower bound >= target - ``PROMISE_TOLERANCE``. Without that support the pair is
       no looser than the floor.

    Among the pairs that pass, the most coverage wins (then precision, then the stricter
    pair). When none passes the threshold is set above 1 so nothing is auto-routed: review
    is the safe default.

    Parameters
    ----------
    proba : ndarray of shape (n_rows, n_classes)
        Out-of-fold probabilities; columns follow ``classes``.
    y_true : ndarray of shape (n_rows,)
        The true labels.
    classes : ndarray of shape (n_classes,)
        The labels of the columns.
    target_precision : float
        Precision the auto-routed rows must reach.
    verified : ndarray of bool of shape (n_rows,), optional
        Rows labelled by an operator on real text.
    floor : AutoPair, optional
        The pair in force before; only real verdicts may loosen it.
    """
    real = np.zeros(len(y_true), dtype=bool) if verified is None else np.asarray(verified, bool)
    truth = np.asarray(y_true, dtype=object)
    best: tuple[float, float, float, float] | None = None  # coverage, precision, threshold, margin
    for margin in MARGIN_GRID:
        for threshold in THRESHOLD_GRID:
            quality = precision_coverage(proba, y_true, classes, threshold, margin)
            precision = 1.0 if quality.precision is None else quality.precision
            if quality.n_auto < MIN_AUTO_SUPPORT or precision < target_precision:
                continue
            on_real = precision_coverage(proba[real], truth[real], classes, threshold, margin)
            if on_real.precision is not None and on_real.precision < target_precision:
                continue
            supported = real_support(on_real, target_precision)
            if floor and not (
                supported or AutoPair(threshold, margin).at_least_as_strict_as(floor)
            ):
                continue
            key = (quality.coverage, precision, -threshold, -margin)
            if best is None or key > (best[0], best[1], -best[2], -best[3]):
                best = (quality.coverage, precision, threshold, margin)
    if best is None:
        threshold, margin, precision, coverage = NEVER_AUTO, 0.0, 1.0, 0.0
    else:
        coverage, precision, threshold, margin = best
    curve: list[CurvePoint] = []
    for t in THRESHOLD_GRID[::5]:
        point = precision_coverage(proba, y_true, classes, t, margin)
        curve.append(
            {
                "threshold": t,
                "precision": round(1.0 if point.precision is None else point.precision, 4),
                "coverage": round(point.coverage, 4),
            }
        )
    fitted: Thresholds = {
        "threshold": float(threshold),
        "margin": float(margin),
        "target_precision": float(target_precision),
        "heldout_precision": round(float(precision), 4),
        "heldout_coverage": round(float(coverage), 4),
        "curve": curve,
    }
    if real.any() or floor is not None:
        on_real = precision_coverage(proba[real], truth[real], classes, threshold, margin)
        fitted["verified"] = {
            "n": int(real.sum()),
            "auto": on_real.n_auto,
            "precision": None if on_real.precision is None else round(on_real.precision, 4),
        }
        fitted["floor"] = (
            None if floor is None else {"threshold": floor.threshold, "margin": floor.margin}
        )
    return fitted
