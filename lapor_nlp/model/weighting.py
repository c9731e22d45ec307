"""How much an operator's verdict weighs against a seed row, chosen on inner folds.

Operator-labelled complaints are real text; the seed rows are hand-written. Each weight of a
small grid is tried on inner folds over the corrections: the seed rows plus the other folds'
corrections (at that weight) train the OPD head, the held-out fold's corrections score it.
Only the OPD head's linear model is fitted (no calibration, category head, gate or threshold
folds), and the features once per fold, so the search costs a few fits, not a few retrainings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import KFold

from lapor_nlp.data.base import Rows
from lapor_nlp.model.heads import linear_model
from lapor_nlp.model.router import ComplaintRouter, _picked
from lapor_nlp.registry.metadata import FeedbackWeight, WeightScore

WEIGHT_GRID = (1.0, 3.0, 10.0)
INNER_FOLDS = 3
MIN_ROWS_TO_CHOOSE = 15
"""Fewer training corrections than this and the folds would score a handful of rows: weight 1."""


def fixed_weight(weight: float, why: str, rows: int) -> FeedbackWeight:
    """A weight not chosen on folds (set by the deployment, or too few corrections)."""
    return {"weight": float(weight), "chosen_by": why, "rows": rows, "scores": []}


def choose_weight(
    template: ComplaintRouter,
    seed: Rows,
    feedback: Rows,
    *,
    grid: Sequence[float] = WEIGHT_GRID,
    folds: int = INNER_FOLDS,
) -> FeedbackWeight:
    """The grid weight whose OPD head is most often right on held-out corrections.

    Ties go to the smaller weight (the one closest to treating every row alike).

    Parameters
    ----------
    template : ComplaintRouter
        Its parameters (text pipeline, features, head, C) are used; it is not changed.
    seed : Rows
        The base training rows (weight 1).
    feedback : Rows
        The operators' training rows (the held-out corrections excluded by the caller).
    grid : sequence of float
        Weights to try.
    folds : int
        Inner folds over the corrections.
    """
    n = len(feedback)
    if n < MIN_ROWS_TO_CHOOSE or len(grid) < 2:
        return fixed_weight(1.0, f"too few corrections to choose ({n} < {MIN_ROWS_TO_CHOOSE})", n)
    model = clone(template)
    texts = seed.texts + feedback.texts
    model.preprocessor_ = model._make_preprocessor().fit(texts)
    docs = np.asarray(model.preprocessor_.transform(texts), dtype=object)
    surface = model.surface_texts(texts)
    labels = np.asarray(seed.opd + feedback.opd, dtype=object).astype(str)
    model.mention_aliases_ = model._mention_aliases(labels)
    is_feedback = np.r_[np.zeros(len(seed), dtype=bool), np.ones(n, dtype=bool)]
    hits: dict[float, int] = {float(w): 0 for w in grid}
    splitter = KFold(n_splits=min(folds, n), shuffle=True, random_state=template.random_state)
    for _, held in splitter.split(np.arange(n)):
        test = len(seed) + held
        train = np.setdiff1d(np.arange(len(docs)), test)
        train_surface, test_surface = _picked(surface, train), _picked(surface, test)
        features = model._make_features().fit(list(docs[train]), surface=train_surface)
        x_train = features.transform(list(docs[train]), surface=train_surface)
        x_test = features.transform(list(docs[test]), surface=test_surface)
        for w in grid:
            weights = np.where(is_feedback[train], float(w), 1.0)
            # the head's linear model alone: top-1 is all the search scores, and calibration
            # (which barely moves the top label) would need folds of its own
            head = linear_model(model.head, C=model.C, random_state=model.random_state)
            head.fit(x_train, labels[train], sample_weight=weights)
            hits[float(w)] += int(np.sum(head.predict(x_test) == labels[test]))
    scores: list[WeightScore] = [
        {"weight": w, "top1": round(k / n, 4)} for w, k in sorted(hits.items())
    ]
    best = max(scores, key=lambda s: (s["top1"], -s["weight"]))
    return {
        "weight": best["weight"],
        "chosen_by": f"{min(folds, n)} inner folds over the corrections",
        "rows": n,
        "scores": scores,
    }
