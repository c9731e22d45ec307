"""One cross-validation pass: each head's linear model is fitted once per fold and once on all
rows; its out-of-fold scores calibrate it and give the thresholds and held-out metrics."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import LinearSVC

from lapor_nlp.model import ComplaintRouter
from lapor_nlp.model.crossfit import cross_fit_head, stratified_folds
from lapor_nlp.model.decision import fit_thresholds
from lapor_nlp.model.features import ComplaintFeatures
from tests.lapor_nlp.model import corpus


@pytest.fixture(scope="module")
def data() -> tuple[Any, np.ndarray]:
    texts = corpus.texts() * 2
    features = ComplaintFeatures(min_df=1).fit(texts).transform(texts)
    return features, np.asarray(corpus.opd() * 2)


def _weights(n: int) -> np.ndarray:
    return np.random.default_rng(0).uniform(0.5, 3.0, n)


@pytest.mark.parametrize("binary", [False, True])
def test_calibration_is_calibrated_classifier_cv_on_the_same_folds(data, binary: bool) -> None:  # type: ignore[no-untyped-def]
    X, y = data
    labels = np.where(y == "DLH", "DLH", "OTHER") if binary else y
    weights = _weights(len(labels))
    folds = stratified_folds(labels, 3, 0)
    fit = cross_fit_head(
        "svm", X, labels, folds=folds, C=0.5, random_state=0, sample_weight=weights
    )
    reference = CalibratedClassifierCV(
        LinearSVC(C=0.5, class_weight="balanced", random_state=0),
        method="sigmoid",
        cv=folds,
        ensemble=False,
    ).fit(X, labels, sample_weight=weights)
    np.testing.assert_allclose(fit.head.predict_proba(X), reference.predict_proba(X), atol=1e-6)
    assert fit.fits == 4 and fit.n_splits == 3


def test_out_of_fold_probabilities_come_from_models_that_did_not_see_the_row(data) -> None:  # type: ignore[no-untyped-def]
    X, y = data
    weights = np.ones(len(y))
    folds = stratified_folds(y, 3, 0)
    fit = cross_fit_head("svm", X, y, folds=folds, C=0.5, random_state=0, sample_weight=weights)
    assert fit.oof_proba is not None
    for train, test in folds:
        fold_model = LinearSVC(C=0.5, class_weight="balanced", random_state=0)
        fold_model.fit(X[train], y[train])
        expected = fit.head.proba_from_scores(fold_model.decision_function(X[test]))
        np.testing.assert_allclose(fit.oof_proba[test], expected, atol=1e-9)
    np.testing.assert_allclose(fit.oof_proba.sum(axis=1), 1.0, atol=1e-9)


def test_logreg_head_takes_the_fold_models_probabilities(data) -> None:  # type: ignore[no-untyped-def]
    X, y = data
    folds = stratified_folds(y, 2, 0)
    fit = cross_fit_head(
        "logreg", X, y, folds=folds, C=5.0, random_state=0, sample_weight=np.ones(len(y))
    )
    assert fit.oof_proba is not None and fit.head.link == "softmax" and fit.fits == 3


class _CountFits:
    """Counts LinearSVC fits (scikit-learn's, not the project's), passing each call through."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        original = LinearSVC.fit

        def counted(model: LinearSVC, *args: Any, **kwargs: Any) -> LinearSVC:
            self.calls += 1
            return original(model, *args, **kwargs)

        monkeypatch.setattr(LinearSVC, "fit", counted)


def test_router_fits_each_head_once_per_fold_and_once_on_all_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counter = _CountFits(monkeypatch)
    ComplaintRouter(threshold_folds=3, min_df=1).fit(
        corpus.texts() * 2, corpus.opd() * 2, corpus.category() * 2
    )
    assert counter.calls == 2 * (3 + 1)  # OPD and category heads


def test_router_thresholds_and_metrics_come_from_the_out_of_fold_probabilities() -> None:
    texts, opd = corpus.texts() * 2, np.asarray(corpus.opd() * 2)
    router = ComplaintRouter(threshold_folds=3, min_df=1, random_state=0)
    router.fit(texts, opd)
    X = router.vectorizer_.transform(
        router.transform_texts(texts), surface=router.surface_texts(texts)
    )
    fit = cross_fit_head(
        "svm",
        X,
        opd,
        folds=stratified_folds(opd, 3, 0),
        C=router.C,
        random_state=0,
        sample_weight=np.ones(len(opd)),
    )
    assert fit.oof_proba is not None
    np.testing.assert_allclose(fit.head.coef_, router.head_.coef_)
    expected = fit_thresholds(fit.oof_proba, opd, router.classes_, router.target_precision)
    assert router.thresholds_ == expected
    oof_accuracy = float(np.mean(router.classes_[fit.oof_proba.argmax(axis=1)] == opd))
    assert router.heldout_metrics_["opd"]["accuracy"] == round(oof_accuracy, 4)
    assert router.heldout_metrics_["folds"] == 3


def test_a_class_with_one_row_is_refused_by_the_svm_head() -> None:
    texts = [*corpus.texts(), "keluhan tunggal tentang perpustakaan daerah"]
    opd = [*corpus.opd(), "DISPUSIP"]
    with pytest.raises(ValueError, match="at least two training rows"):
        ComplaintRouter(threshold_folds=2, min_df=1).fit(texts, opd)
