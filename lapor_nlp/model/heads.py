"""Linear classifier heads with calibrated probabilities, and their coefficients for explaining."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

HeadKind = Literal["logreg", "svm"]


def make_head(kind: HeadKind, *, C: float, random_state: int, n_min_class: int) -> Any:
    """A class-balanced linear classifier that answers ``predict_proba``.

    ``svm`` is a LinearSVC with sigmoid calibration fitted on internal folds (one base model
    kept, so the artifact stays small); ``logreg`` is multinomial logistic regression.
    """
    if kind == "logreg":
        return LogisticRegression(
            C=C, class_weight="balanced", max_iter=2000, random_state=random_state
        )
    base = LinearSVC(C=C, class_weight="balanced", random_state=random_state)
    folds = max(2, min(3, n_min_class))
    return CalibratedClassifierCV(base, method="sigmoid", cv=folds, ensemble=False)


def linear_coef(head: Any, n_classes: int) -> np.ndarray:
    """Coefficient matrix (n_classes, n_features) of a fitted head, whatever its kind."""
    if isinstance(head, CalibratedClassifierCV):
        coefs = [np.asarray(cc.estimator.coef_) for cc in head.calibrated_classifiers_]
        coef = np.mean(coefs, axis=0)
    else:
        coef = np.asarray(head.coef_)
    if coef.shape[0] == 1 and n_classes == 2:
        coef = np.vstack([-coef[0], coef[0]])
    return coef


def shrink(head: Any) -> None:
    """Store coefficients as float32: halves the artifact, predictions unchanged to ~1e-6."""
    targets = (
        [cc.estimator for cc in head.calibrated_classifiers_]
        if isinstance(head, CalibratedClassifierCV)
        else [head]
    )
    for estimator in targets:
        estimator.coef_ = np.asarray(estimator.coef_, dtype=np.float32)
