"""One cross-validation pass per head: out-of-fold scores serve calibration, thresholds and
the held-out metrics, and the final head is fitted once on all rows.

Calibrating with internal folds and then refitting the calibrated head on every threshold
fold fits each linear model about twenty times; one pass fits it ``folds + 1`` times. The
sigmoid calibration is what ``CalibratedClassifierCV(cv=k, ensemble=False)`` fits (Platt's
per-class sigmoid on out-of-fold decision scores, normalised over classes), so the artifact
stays a :class:`~lapor_nlp.model.compact.CompactLinearHead` with link ``calibrated_sigmoid``.

At national volume (hundreds of thousands of rows) even ``folds + 1`` fits cost too much, and
a fixed share of the rows is more than calibration needs: one stratified split holds out
``holdout_split``'s rows, they calibrate and measure, and the model fitted on the rest is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.calibration import _SigmoidCalibration
from sklearn.model_selection import StratifiedKFold, StratifiedShuffleSplit

from lapor_nlp.model.compact import CompactLinearHead
from lapor_nlp.model.heads import HeadKind, linear_model

Folds = Sequence[tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class CrossFit:
    """A head fitted on all rows and its out-of-fold probabilities (columns: its classes)."""

    head: CompactLinearHead
    oof_proba: np.ndarray | None
    """None when there were too few rows per class for folds (logreg head only)."""
    oof_rows: np.ndarray
    """The rows ``oof_proba`` is of, in order: all rows after k folds, the held-out part of
    one split."""
    n_splits: int
    fits: int
    """Linear models fitted: one per fold plus the final one."""


def stratified_folds(labels: np.ndarray, n_splits: int, random_state: int) -> Folds:
    """Shuffled stratified folds; every class in every training part needs ``n_splits`` <=
    the smallest class, which the caller ensures."""
    splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    return list(splitter.split(np.zeros(len(labels)), labels))


def holdout_split(labels: np.ndarray, n_holdout: int, random_state: int) -> Folds:
    """One shuffled stratified split holding out ``n_holdout`` rows."""
    splitter = StratifiedShuffleSplit(n_splits=1, test_size=n_holdout, random_state=random_state)
    return list(splitter.split(np.zeros(len(labels)), labels))


def fold_count(labels: np.ndarray, wanted: int) -> int:
    """As many folds as wanted, but no more than the rows of the smallest class."""
    return min(wanted, int(np.unique(labels, return_counts=True)[1].min()))


def cross_fit_head(
    kind: HeadKind,
    X: Any,
    y: np.ndarray,
    *,
    folds: Folds,
    C: float,
    random_state: int,
    sample_weight: np.ndarray,
    on_fit: Callable[[int, int], None] | None = None,
) -> CrossFit:
    """Fit one head in one cross-validation pass over ``folds``.

    ``svm``: LinearSVC decision scores on each fold's held-out rows train one sigmoid per
    class (weighted like the rows); the LinearSVC refitted on all rows carries them.
    ``logreg``: softmax probabilities need no calibration; the fold models give the
    out-of-fold probabilities. Every class must be in every fold's training part.

    ``folds`` may instead be one split (:func:`holdout_split`): its training part's model is
    kept, calibrated on the held-out part, and not refitted. ``on_fit(done, total)`` is called
    after each linear fit (progress).
    """
    classes = np.unique(y)
    single = len(folds) == 1
    if kind == "svm" and not folds:
        raise ValueError("the svm head needs at least two training rows of every class")
    total = len(folds) + (0 if single else 1)
    rows = np.sort(np.concatenate([test for _, test in folds])) if folds else np.arange(len(y))
    position = np.full(len(y), -1)
    position[rows] = np.arange(len(rows))
    scores: np.ndarray | None = None
    model: Any = None
    for done, (train, test) in enumerate(folds, start=1):
        model = linear_model(kind, C=C, random_state=random_state)
        model.fit(X[train], y[train], sample_weight=sample_weight[train])
        if not np.array_equal(model.classes_, classes):
            raise ValueError("a class is missing from a fold's training rows")
        fold_scores = model.decision_function(X[test]) if kind == "svm" else None
        if fold_scores is None:
            fold_scores = model.predict_proba(X[test])
        fold_scores = np.asarray(fold_scores, dtype=np.float64).reshape(len(test), -1)
        if scores is None:
            scores = np.zeros((len(rows), fold_scores.shape[1]))
        scores[position[test]] = fold_scores
        if on_fit is not None:
            on_fit(done, total)
    final = model
    if not single:
        final = linear_model(kind, C=C, random_state=random_state)
        final.fit(X, y, sample_weight=sample_weight)
        if on_fit is not None:
            on_fit(total, total)
    if kind == "logreg":
        head = CompactLinearHead.from_estimator(final)
        return CrossFit(head, scores, rows, len(folds), total)
    assert scores is not None
    a, b = sigmoid_calibration(scores, y[rows], classes, sample_weight[rows])
    head = CompactLinearHead(
        classes=classes,
        coef=final.coef_,
        intercept=np.atleast_1d(final.intercept_),
        link="calibrated_sigmoid",
        sigmoid_a=a,
        sigmoid_b=b,
    )
    return CrossFit(head, head.proba_from_scores(scores), rows, len(folds), total)


def sigmoid_calibration(
    scores: np.ndarray, y: np.ndarray, classes: np.ndarray, sample_weight: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Platt's sigmoid per score column, one-vs-rest (one column for two classes: the second
    class is the positive one, as scikit-learn orders it)."""
    positives = [classes[1]] if len(classes) == 2 else list(classes)
    a = np.zeros(len(positives))
    b = np.zeros(len(positives))
    for k, label in enumerate(positives):
        calibrator = _SigmoidCalibration().fit(
            scores[:, k], (y == label).astype(float), sample_weight=sample_weight
        )
        a[k], b[k] = calibrator.a_, calibrator.b_
    return a, b
