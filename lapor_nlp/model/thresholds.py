"""Fit the auto-route threshold on held-out predictions to reach a target precision."""

from __future__ import annotations

from typing import Any

import numpy as np

from lapor_nlp.model.decision import top_two

THRESHOLD_GRID = tuple(round(x, 2) for x in np.arange(0.20, 1.0001, 0.01))
MARGIN_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
MIN_AUTO_SUPPORT = 20


def precision_coverage(
    proba: np.ndarray, y_true: np.ndarray, classes: np.ndarray, threshold: float, margin: float
) -> tuple[float, float, int]:
    """Precision of the auto-routed share, that share (coverage), and how many were auto-routed."""
    best, gap = top_two(proba)
    auto = (best >= threshold) & (gap >= margin)
    n_auto = int(auto.sum())
    if n_auto == 0:
        return 1.0, 0.0, 0
    predicted = classes[np.argmax(proba[auto], axis=1)]
    precision = float(np.mean(predicted == np.asarray(y_true)[auto]))
    return precision, n_auto / len(best), n_auto


def fit_thresholds(
    proba: np.ndarray, y_true: np.ndarray, classes: np.ndarray, target_precision: float
) -> dict[str, Any]:
    """Pick (threshold, margin) with the most coverage whose held-out precision meets the target.

    A candidate needs at least ``MIN_AUTO_SUPPORT`` auto-routed examples so that one lucky
    prediction cannot make a threshold look perfect. When no pair reaches the target the
    threshold is set above 1 so nothing is auto-routed: review is the safe default.
    """
    best: tuple[float, float, float, float] | None = None  # coverage, precision, threshold, margin
    for margin in MARGIN_GRID:
        for threshold in THRESHOLD_GRID:
            precision, coverage, n_auto = precision_coverage(
                proba, y_true, classes, threshold, margin
            )
            if n_auto < MIN_AUTO_SUPPORT or precision < target_precision:
                continue
            key = (coverage, precision, -threshold, -margin)
            if best is None or key > (best[0], best[1], -best[2], -best[3]):
                best = (coverage, precision, threshold, margin)
    if best is None:
        threshold, margin, precision, coverage = 1.01, 0.0, 1.0, 0.0
    else:
        coverage, precision, threshold, margin = best
    curve = [
        {
            "threshold": t,
            "precision": round(p, 4),
            "coverage": round(c, 4),
        }
        for t in THRESHOLD_GRID[::5]
        for p, c, _ in [precision_coverage(proba, y_true, classes, t, margin)]
    ]
    return {
        "threshold": float(threshold),
        "margin": float(margin),
        "target_precision": float(target_precision),
        "heldout_precision": round(float(precision), 4),
        "heldout_coverage": round(float(coverage), 4),
        "curve": curve,
    }
