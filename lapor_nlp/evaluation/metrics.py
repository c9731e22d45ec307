"""Routing-quality metrics over (true labels, probability matrix, class labels).

Every function is pure: ``proba`` has one row per example and one column per entry of
``classes`` (the model's ``classes_``). True labels the model does not know count as errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from sklearn.metrics import confusion_matrix as _sk_confusion_matrix
from sklearn.metrics import f1_score, precision_recall_fscore_support

from lapor_nlp.errors import DataValidationError
from lapor_nlp.model import decision

ECE_BINS = 15
DEFAULT_THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.0, 1.0001, 0.05))
ScoreKind = Literal["probability", "margin"]
Labels = Sequence[str] | np.ndarray
"""Labels as a list or a 1-d array (e.g. a model's ``classes_``)."""


@dataclass(frozen=True)
class ClassMetrics:
    """Precision, recall, F1 and support (true examples) of one class."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class CurvePoint:
    """Auto-routing every example whose score is at least ``threshold``."""

    threshold: float
    coverage: float
    precision: float | None  # None when nothing is routed
    n_routed: int


def check_inputs(
    y_true: Labels, proba: np.ndarray, classes: Labels
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate shapes; return (y_true, proba, classes) as arrays (labels as ``str``)."""
    y = np.asarray([str(v) for v in y_true], dtype=object)
    p = np.asarray(proba, dtype=float)
    c = np.asarray([str(v) for v in classes], dtype=object)
    if p.ndim != 2 or p.shape[0] != len(y) or p.shape[1] != len(c):
        raise DataValidationError(
            f"proba must be (n_examples, n_classes) = ({len(y)}, {len(c)}), got {p.shape}"
        )
    if len(y) == 0:
        raise DataValidationError("no examples to evaluate")
    return y, p, c


def predictions(proba: np.ndarray, classes: Labels) -> np.ndarray:
    """Top-1 label per row."""
    return np.asarray(np.asarray(classes, dtype=object)[np.argmax(proba, axis=1)])


def accuracy(y_true: Labels, proba: np.ndarray, classes: Labels) -> float:
    """Share of examples whose top-1 label is the true label."""
    y, p, c = check_inputs(y_true, proba, classes)
    return float(np.mean(predictions(p, c) == y))


def macro_f1(y_true: Labels, proba: np.ndarray, classes: Labels) -> float:
    """Unweighted mean of per-class F1 over the true and predicted labels."""
    y, p, c = check_inputs(y_true, proba, classes)
    return float(f1_score(y, predictions(p, c), average="macro", zero_division=0))


def top_k_accuracy(y_true: Labels, proba: np.ndarray, classes: Labels, k: int = 3) -> float:
    """Share of examples whose true label is among the ``k`` most probable labels.

    Ties at the k-th place are broken by column order (stable), as in routing.
    """
    y, p, c = check_inputs(y_true, proba, classes)
    return decision.top_k_accuracy(p, y, c, k)


def expected_calibration_error(
    y_true: Labels, proba: np.ndarray, classes: Labels, n_bins: int = ECE_BINS
) -> float:
    """ECE of the top-1 confidence with ``n_bins`` equal-width bins over [0, 1].

    ``sum_b |B_b| / n * |accuracy(B_b) - mean confidence(B_b)|``; bin ``b`` holds confidences in
    ``(b/n_bins, (b+1)/n_bins]`` (the first bin also holds 0).
    """
    y, p, c = check_inputs(y_true, proba, classes)
    confidence = p.max(axis=1)
    correct = (predictions(p, c) == y).astype(float)
    # rounding keeps a confidence of exactly b/n_bins in bin b-1 despite float noise
    scaled = np.round(confidence * n_bins, 9)
    bins = np.clip(np.ceil(scaled).astype(int) - 1, 0, n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        members = bins == b
        if members.any():
            gap = abs(correct[members].mean() - confidence[members].mean())
            ece += members.mean() * gap
    return float(ece)


def route_scores(proba: np.ndarray, kind: ScoreKind = "probability") -> np.ndarray:
    """Per-row score an auto-route rule thresholds: top-1 probability or its margin over top-2."""
    best, margin = decision.top_two(np.asarray(proba, dtype=float))
    return best if kind == "probability" else margin


def auto_route_quality(
    y_true: Labels,
    proba: np.ndarray,
    classes: Labels,
    *,
    threshold: float,
    margin: float = 0.0,
) -> CurvePoint:
    """Precision and coverage of the rule "top-1 >= threshold and margin >= margin"."""
    y, p, c = check_inputs(y_true, proba, classes)
    routed = decision.auto_routed(p, threshold=threshold, margin=margin)
    return _point(threshold, routed, predictions(p, c) == y)


def routed_quality(
    y_true: Labels, proba: np.ndarray, classes: Labels, routed: np.ndarray
) -> CurvePoint:
    """Precision and coverage of a given auto-route mask (e.g. per-fold fitted thresholds).

    The returned point's ``threshold`` is NaN: the rule is whatever produced ``routed``.
    """
    y, p, c = check_inputs(y_true, proba, classes)
    mask = np.asarray(routed, dtype=bool)
    if mask.shape != y.shape:
        raise DataValidationError(f"routed mask has shape {mask.shape}, expected {y.shape}")
    return _point(float("nan"), mask, predictions(p, c) == y)


def precision_coverage_curve(
    y_true: Labels,
    proba: np.ndarray,
    classes: Labels,
    *,
    kind: ScoreKind = "probability",
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
) -> list[CurvePoint]:
    """Precision and coverage of auto-routing when the score (``kind``) reaches each threshold."""
    y, p, c = check_inputs(y_true, proba, classes)
    scores = route_scores(p, kind)
    correct = predictions(p, c) == y
    return [_point(float(t), scores >= t, correct) for t in thresholds]


def _point(threshold: float, routed: np.ndarray, correct: np.ndarray) -> CurvePoint:
    n_routed = int(routed.sum())
    precision = float(correct[routed].mean()) if n_routed else None
    return CurvePoint(
        threshold=threshold,
        coverage=n_routed / len(routed),
        precision=precision,
        n_routed=n_routed,
    )


def report_labels(y_true: Labels, classes: Labels) -> list[str]:
    """The model's classes followed by any true labels it does not know (sorted)."""
    known = [str(c) for c in classes]
    extra = sorted({str(v) for v in y_true} - set(known))
    return known + extra


def per_class_metrics(y_true: Labels, proba: np.ndarray, classes: Labels) -> list[ClassMetrics]:
    """Precision/recall/F1/support per label of :func:`report_labels`."""
    y, p, c = check_inputs(y_true, proba, classes)
    labels = report_labels(y, c)
    precision, recall, f1, support = precision_recall_fscore_support(
        y, predictions(p, c), labels=labels, zero_division=0
    )
    return [
        ClassMetrics(label, float(pr), float(rc), float(f), int(s))
        for label, pr, rc, f, s in zip(labels, precision, recall, f1, support, strict=True)
    ]


def confusion_matrix(
    y_true: Labels, proba: np.ndarray, classes: Labels
) -> tuple[np.ndarray, list[str]]:
    """Counts with rows = true label and columns = predicted label, and the label order."""
    y, p, c = check_inputs(y_true, proba, classes)
    labels = report_labels(y, c)
    return _sk_confusion_matrix(y, predictions(p, c), labels=labels), labels
