"""Summary metrics of out-of-fold predictions, stored with every model."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import accuracy_score, f1_score

from lapor_nlp.model.decision import top_k_accuracy
from lapor_nlp.registry.metadata import HeadMetrics, HeldoutSummary


def head_metrics(proba: np.ndarray, y_true: np.ndarray, classes: np.ndarray) -> HeadMetrics:
    """Accuracy, macro-F1, top-3 accuracy and per-class F1 of one head on labelled rows."""
    predicted = classes[np.argmax(proba, axis=1)]
    labels = list(classes)
    per_class = f1_score(y_true, predicted, labels=labels, average=None, zero_division=0)
    return {
        "n": len(y_true),
        "accuracy": round(float(accuracy_score(y_true, predicted)), 4),
        "macro_f1": round(
            float(f1_score(y_true, predicted, labels=labels, average="macro", zero_division=0)), 4
        ),
        "top3_accuracy": round(top_k_accuracy(proba, y_true, classes, 3), 4),
        "per_class_f1": {
            str(c): round(float(f), 4) for c, f in zip(labels, per_class, strict=True)
        },
    }


def heldout_summary(
    opd_proba: np.ndarray,
    opd_true: np.ndarray,
    opd_classes: np.ndarray,
    cat_proba: np.ndarray | None,
    cat_true: np.ndarray | None,
    cat_classes: np.ndarray | None,
) -> HeldoutSummary:
    """The OPD head's (and, when trained, the category head's) out-of-fold metrics."""
    summary: HeldoutSummary = {"opd": head_metrics(opd_proba, opd_true, opd_classes)}
    if cat_proba is not None and cat_true is not None and cat_classes is not None:
        summary["category"] = head_metrics(cat_proba, cat_true, cat_classes)
    return summary
