"""Linear classifier heads: what each is, and why."""

from __future__ import annotations

from typing import Any, Literal

from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

HeadKind = Literal["logreg", "svm"]


def linear_model(kind: HeadKind, *, C: float, random_state: int) -> Any:
    """A class-balanced linear model.

    ``svm`` is a LinearSVC: its scores get per-class sigmoids from out-of-fold scores
    (:mod:`lapor_nlp.model.crossfit`); ``logreg`` is multinomial logistic regression, whose
    softmax is a probability already.
    """
    if kind == "logreg":
        return LogisticRegression(
            C=C, class_weight="balanced", max_iter=2000, random_state=random_state
        )
    return LinearSVC(C=C, class_weight="balanced", random_state=random_state)
