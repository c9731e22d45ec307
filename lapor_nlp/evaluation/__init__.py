"""Routing-quality metrics, slices and the evaluation report."""

from lapor_nlp.evaluation.metrics import (
    ClassMetrics,
    CurvePoint,
    accuracy,
    auto_route_quality,
    confusion_matrix,
    expected_calibration_error,
    macro_f1,
    per_class_metrics,
    precision_coverage_curve,
    routed_quality,
    top_k_accuracy,
)
from lapor_nlp.evaluation.report import write_report
from lapor_nlp.evaluation.summary import HeadEvaluation, Headline, evaluate_head, headline

__all__ = [
    "ClassMetrics",
    "CurvePoint",
    "HeadEvaluation",
    "Headline",
    "accuracy",
    "auto_route_quality",
    "confusion_matrix",
    "evaluate_head",
    "expected_calibration_error",
    "headline",
    "macro_f1",
    "per_class_metrics",
    "precision_coverage_curve",
    "routed_quality",
    "top_k_accuracy",
    "write_report",
]
