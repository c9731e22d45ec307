"""Linear classifier heads with probabilities: what each is, and why."""

from __future__ import annotations

from typing import Any, Literal

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
