"""Cross-validation and the training run that produces a registry-ready model."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold

from lapor_nlp.model.decision import auto_routed
from lapor_nlp.model.router import ComplaintRouter, _aligned


@dataclass
class CVResult:
    opd_proba: np.ndarray
    opd_classes: np.ndarray
    category_proba: np.ndarray | None
    category_classes: np.ndarray | None
    folds: np.ndarray
    auto: np.ndarray
    """Per row: would the fold's model (thresholds fitted on its training part) auto-route it."""


def cross_val_proba(
    texts: Sequence[str],
    opd: Sequence[str],
    category: Sequence[str] | None = None,
    n_splits: int = 5,
    seed: int = 0,
    router: ComplaintRouter | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CVResult:
    """Out-of-fold probabilities of the full router (heads, thresholds) over stratified folds.

    The text pipeline is fitted once on all texts: it learns no labels, only a cache of stems,
    so sharing it across folds leaks nothing and saves the slowest step.
    """
    template = router if router is not None else ComplaintRouter(random_state=seed)
    labels = np.asarray(opd, dtype=object).astype(str)
    cats = None if category is None else np.asarray(category, dtype=object).astype(str)
    classes = np.unique(labels)
    cat_classes = None if cats is None else np.unique(cats)
    preprocessor = template._make_preprocessor().fit(list(texts))
    docs = np.asarray(preprocessor.transform(list(texts)), dtype=object)

    opd_proba = np.zeros((len(docs), len(classes)))
    cat_proba = None if cat_classes is None else np.zeros((len(docs), len(cat_classes)))
    folds = np.zeros(len(docs), dtype=int)
    auto = np.zeros(len(docs), dtype=bool)
    splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for fold, (train, test) in enumerate(splitter.split(docs, labels)):
        model = clone(template)
        model.preprocessor_ = preprocessor
        model.fit_documents(list(docs[train]), labels[train], None if cats is None else cats[train])
        features = model.vectorizer_.transform(list(docs[test]))
        proba = model.head_.predict_proba(features)
        opd_proba[test] = _aligned(proba, model.classes_, classes)
        if cat_proba is not None and cat_classes is not None and model.category_head_ is not None:
            cat_proba[test] = _aligned(
                model.category_head_.predict_proba(features), model.category_classes_, cat_classes
            )
        auto[test] = auto_routed(
            proba, threshold=model.thresholds_["threshold"], margin=model.thresholds_["margin"]
        )
        folds[test] = fold
        if progress is not None:
            progress(fold + 1, n_splits)
    return CVResult(opd_proba, classes, cat_proba, cat_classes, folds, auto)


def data_sha256(texts: Sequence[str], opd: Sequence[str], category: Sequence[str] | None) -> str:
    """Fingerprint of the training rows, order-sensitive, independent of the file format."""
    digest = hashlib.sha256()
    for i, text in enumerate(texts):
        cat = category[i] if category is not None else ""
        digest.update(f"{text}\x1f{opd[i]}\x1f{cat}\x1e".encode())
    return digest.hexdigest()


def model_metadata(
    router: ComplaintRouter,
    *,
    texts: Sequence[str],
    opd: Sequence[str],
    category: Sequence[str] | None,
    source: str,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything the registry stores about a trained router besides the artifact itself."""
    return {
        "training_rows": len(texts),
        "data_sha256": data_sha256(texts, opd, category),
        "data_source": source,
        "labels": {
            "opd": [str(c) for c in router.classes_],
            "category": None
            if router.category_classes_ is None
            else [str(c) for c in router.category_classes_],
        },
        "metrics": router.heldout_metrics_,
        "thresholds": router.thresholds_,
        "params": {k: repr(v) for k, v in router.get_params(deep=False).items()},
        **(extra or {}),
    }


@dataclass
class TrainingRun:
    router: ComplaintRouter
    metadata: dict[str, Any]
    warnings: list[str]


def train_router(
    texts: Sequence[str],
    opd: Sequence[str],
    category: Sequence[str] | None = None,
    *,
    nonroutable: Sequence[str] | None = None,
    source: str = "",
    router: ComplaintRouter | None = None,
    extra_metadata: dict[str, Any] | None = None,
) -> TrainingRun:
    """Fit a router on validated rows and describe it for the registry."""
    model = clone(router) if router is not None else ComplaintRouter()
    model.fit(texts, opd, category, nonroutable=nonroutable)
    meta = model_metadata(
        model,
        texts=texts,
        opd=opd,
        category=category,
        source=source,
        extra={"nonroutable_rows": len(nonroutable or []), **(extra_metadata or {})},
    )
    return TrainingRun(router=model, metadata=meta, warnings=[])
