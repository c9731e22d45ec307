"""Compact heads must give the probabilities of the estimators they replace."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from lapor_nlp.model.compact import CompactLinearHead
from tests.lapor_nlp.model import corpus


@pytest.fixture(scope="module")
def features() -> tuple[object, np.ndarray]:
    vectorizer = TfidfVectorizer().fit(corpus.texts())
    return vectorizer.transform(corpus.texts()), np.asarray(corpus.opd())


def _binary(labels: np.ndarray) -> np.ndarray:
    return np.where(labels == "DLH", "DLH", "OTHER")


@pytest.mark.parametrize("binary", [False, True])
@pytest.mark.parametrize(
    "make",
    [
        lambda: LogisticRegression(C=5.0, max_iter=1000),
        lambda: CalibratedClassifierCV(LinearSVC(), method="sigmoid", cv=2, ensemble=False),
    ],
    ids=["logreg", "calibrated-svm"],
)
def test_same_probabilities(features, make, binary: bool) -> None:  # type: ignore[no-untyped-def]
    X, y = features
    labels = _binary(y) if binary else y
    estimator = make().fit(X, labels)
    compact = CompactLinearHead.from_estimator(estimator)
    np.testing.assert_allclose(compact.predict_proba(X), estimator.predict_proba(X), atol=1e-6)
    assert list(compact.classes_) == list(estimator.classes_)
    assert (compact.predict(X) == estimator.predict(X)).all()


def test_unsupported_estimator_is_named() -> None:
    with pytest.raises(TypeError, match="LinearSVC"):
        CompactLinearHead.from_estimator(LinearSVC())
