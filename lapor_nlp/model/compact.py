"""Fitted linear heads reduced to their arrays, for fast single-complaint prediction.

scikit-learn validates its input on every call, and a sigmoid-calibrated classifier does so
once per class: for one complaint that costs milliseconds, more than the arithmetic. After
fitting, each head is replaced by a :class:`CompactLinearHead` holding only the coefficients
and the link (softmax, or per-class sigmoids normalised as ``CalibratedClassifierCV`` does),
with probabilities equal to the original's.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from scipy.special import expit, softmax
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression

Link = Literal["softmax", "sigmoid", "calibrated_sigmoid"]


class CompactLinearHead:
    """``decision = X @ coef_.T + intercept_``, turned into probabilities by ``link``."""

    def __init__(
        self,
        *,
        classes: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        link: Link,
        sigmoid_a: np.ndarray | None = None,
        sigmoid_b: np.ndarray | None = None,
    ) -> None:
        self.classes_ = np.asarray(classes)
        self.coef_ = np.asarray(coef, dtype=np.float32)
        self.intercept_ = np.asarray(intercept, dtype=np.float64)
        self.link = link
        self.sigmoid_a = sigmoid_a
        self.sigmoid_b = sigmoid_b

    @classmethod
    def from_estimator(cls, estimator: Any) -> CompactLinearHead:
        """Compact a fitted ``LogisticRegression`` or sigmoid ``CalibratedClassifierCV``."""
        if isinstance(estimator, CalibratedClassifierCV):
            if len(estimator.calibrated_classifiers_) != 1 or estimator.method != "sigmoid":
                raise ValueError("only a single sigmoid-calibrated classifier can be compacted")
            calibrated = estimator.calibrated_classifiers_[0]
            base = calibrated.estimator
            return cls(
                classes=estimator.classes_,
                coef=base.coef_,
                intercept=np.atleast_1d(base.intercept_),
                link="calibrated_sigmoid",
                sigmoid_a=np.array([c.a_ for c in calibrated.calibrators], dtype=np.float64),
                sigmoid_b=np.array([c.b_ for c in calibrated.calibrators], dtype=np.float64),
            )
        if isinstance(estimator, LogisticRegression):
            binary = len(estimator.classes_) == 2
            return cls(
                classes=estimator.classes_,
                coef=estimator.coef_,
                intercept=np.atleast_1d(estimator.intercept_),
                link="sigmoid" if binary else "softmax",
            )
        raise TypeError(f"cannot compact {type(estimator).__name__}")

    def decision_function(self, X: Any) -> np.ndarray:
        """Raw linear scores, one column per class (one column for two classes)."""
        scores = X @ self.coef_.T if sp.issparse(X) else np.asarray(X) @ self.coef_.T
        return np.asarray(scores, dtype=np.float64) + self.intercept_

    def predict_proba(self, X: Any) -> np.ndarray:
        """Calibrated probabilities, columns in ``classes_`` order."""
        return self.proba_from_scores(self.decision_function(X))

    def proba_from_scores(self, scores: np.ndarray) -> np.ndarray:
        """The link alone: probabilities from decision scores (also out-of-fold ones)."""
        if self.link == "softmax":
            return np.asarray(softmax(scores, axis=1))
        if self.link == "sigmoid":
            positive = expit(scores[:, 0])
            return np.column_stack([1.0 - positive, positive])
        assert self.sigmoid_a is not None and self.sigmoid_b is not None
        per_class = expit(-(self.sigmoid_a * scores + self.sigmoid_b))
        if len(self.classes_) == 2:
            return np.column_stack([1.0 - per_class[:, 0], per_class[:, 0]])
        total = per_class.sum(axis=1, keepdims=True)
        uniform = np.full_like(per_class, 1.0 / len(self.classes_))
        proba = np.divide(per_class, total, out=uniform, where=total != 0)
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return np.asarray(proba)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class per row."""
        return np.asarray(self.classes_[np.argmax(self.predict_proba(X), axis=1)])
