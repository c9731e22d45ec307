"""All metrics of one prediction head in one object: headline, per class, curves, slices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from lapor_nlp.evaluation.metrics import (
    ClassMetrics,
    CurvePoint,
    Labels,
    accuracy,
    auto_route_quality,
    check_inputs,
    confusion_matrix,
    expected_calibration_error,
    macro_f1,
    per_class_metrics,
    precision_coverage_curve,
    routed_quality,
    top_k_accuracy,
)
from lapor_nlp.evaluation.slices import slice_masks


@dataclass(frozen=True)
class Headline:
    """The few numbers that summarise a head on a set of examples."""

    n: int
    accuracy: float | None
    macro_f1: float | None
    top3_accuracy: float | None
    ece: float | None


@dataclass(frozen=True)
class HeadEvaluation:
    """Everything measured for one head (OPD or category)."""

    head: str
    headline: Headline
    per_class: list[ClassMetrics]
    confusion: np.ndarray
    labels: list[str]
    curve_probability: list[CurvePoint]
    curve_margin: list[CurvePoint]
    auto_route: CurvePoint | None = None
    auto_rule: str | None = None
    slices: dict[str, Headline] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the confusion matrix as nested lists)."""
        data = asdict(self)
        data["confusion"] = self.confusion.tolist()
        finite: dict[str, Any] = _finite(data)
        return finite


def headline(y_true: Labels, proba: np.ndarray, classes: Labels, *, k: int = 3) -> Headline:
    """Accuracy, macro-F1, top-k accuracy and ECE; all None for an empty set."""
    if len(y_true) == 0:
        return Headline(n=0, accuracy=None, macro_f1=None, top3_accuracy=None, ece=None)
    return Headline(
        n=len(y_true),
        accuracy=accuracy(y_true, proba, classes),
        macro_f1=macro_f1(y_true, proba, classes),
        top3_accuracy=top_k_accuracy(y_true, proba, classes, k=k),
        ece=expected_calibration_error(y_true, proba, classes),
    )


def slice_headlines(
    y_true: Labels, proba: np.ndarray, classes: Labels, texts: Sequence[str]
) -> dict[str, Headline]:
    """:func:`headline` per slice of :func:`~lapor_nlp.evaluation.slices.slice_masks`."""
    y, p, c = check_inputs(y_true, proba, classes)
    if len(texts) != len(y):
        raise ValueError(f"{len(texts)} texts for {len(y)} labels")
    return {
        name: headline(list(y[mask]), p[mask], list(c)) for name, mask in slice_masks(texts).items()
    }


def evaluate_head(
    y_true: Labels,
    proba: np.ndarray,
    classes: Labels,
    *,
    texts: Sequence[str] | None = None,
    head: str = "opd",
    threshold: float | None = None,
    margin: float = 0.0,
    routed: np.ndarray | None = None,
    routed_rule: str = "per-fold fitted thresholds",
) -> HeadEvaluation:
    """Compute every metric of a head.

    Parameters
    ----------
    y_true, proba, classes
        True labels, probability matrix (columns in ``classes`` order), class labels.
    texts : sequence of str, optional
        The texts, for slice metrics (omitted: no slices).
    threshold, margin : float, optional
        The auto-route rule to score (e.g. the model's fitted ``thresholds_``).
    routed : array of bool, optional
        Instead of a rule, which rows were auto-routed (e.g. ``CVResult.auto``), described by
        ``routed_rule``.
    """
    y, p, c = check_inputs(y_true, proba, classes)
    y_list, c_list = list(y), list(c)
    matrix, labels = confusion_matrix(y_list, p, c_list)
    auto: CurvePoint | None = None
    rule: str | None = None
    if routed is not None:
        auto, rule = routed_quality(y_list, p, c_list, routed), routed_rule
    elif threshold is not None:
        auto = auto_route_quality(y_list, p, c_list, threshold=threshold, margin=margin)
        rule = f"top-1 >= {threshold:.2f} and margin >= {margin:.2f}"
    return HeadEvaluation(
        head=head,
        headline=headline(y_list, p, c_list),
        per_class=per_class_metrics(y_list, p, c_list),
        confusion=matrix,
        labels=labels,
        curve_probability=precision_coverage_curve(y_list, p, c_list, kind="probability"),
        curve_margin=precision_coverage_curve(y_list, p, c_list, kind="margin"),
        auto_route=auto,
        auto_rule=rule,
        slices=slice_headlines(y_list, p, c_list, texts) if texts is not None else {},
    )


def _finite(value: Any) -> Any:
    """Replace NaN floats by None so the result is strict JSON."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
