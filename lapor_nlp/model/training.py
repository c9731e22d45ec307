"""The training stage: a registry-ready model from labelled data, and cross-validation.

``train_model`` reads a data file (its held-out share set aside), fits a router and describes
it; the retraining stage (:mod:`lapor_nlp.model.retraining`) calls :func:`fit_rows` and
:func:`score` of this module on base data plus corrections.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold

from lapor_nlp.data.base import NotAuthority, Rows, load_base_data
from lapor_nlp.data.fields import ComplaintFields
from lapor_nlp.fingerprint import data_sha256
from lapor_nlp.model.decision import AutoPair, auto_routed, precision_coverage
from lapor_nlp.model.heldout import head_metrics
from lapor_nlp.model.router import ComplaintRouter, _aligned, _picked
from lapor_nlp.progress import Progress, silent
from lapor_nlp.registry.metadata import BaseDataSpec, HeldoutScore, ModelMetadata
from lapor_nlp.taxonomy import Taxonomy


@dataclass
class CVResult:
    """Out-of-fold probabilities of both heads, the fold of each row and its auto-route flag."""

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
    fields: Sequence[ComplaintFields] | None = None,
) -> CVResult:
    """Out-of-fold probabilities of the full router (heads, thresholds) over stratified folds
    (the router reads ``fields``, one per text, when given).

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
    surface = template.surface_texts(texts)

    opd_proba = np.zeros((len(docs), len(classes)))
    cat_proba = None if cat_classes is None else np.zeros((len(docs), len(cat_classes)))
    folds = np.zeros(len(docs), dtype=int)
    auto = np.zeros(len(docs), dtype=bool)
    splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for fold, (train, test) in enumerate(splitter.split(docs, labels)):
        model = clone(template)
        model.preprocessor_ = preprocessor
        model.fit_documents(
            list(docs[train]),
            labels[train],
            None if cats is None else cats[train],
            fields=None if fields is None else [fields[i] for i in train],
            surface=_picked(surface, train),
        )
        features = model.vectorizer_.transform(
            list(docs[test]),
            fields=None if fields is None else [fields[i] for i in test],
            surface=_picked(surface, test),
        )
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


@dataclass(frozen=True)
class TrainedModel:
    """A fitted router with the metadata the registry stores and the data warnings."""

    router: ComplaintRouter
    metadata: ModelMetadata
    warnings: list[str]


def model_metadata(
    router: ComplaintRouter,
    *,
    texts: Sequence[str],
    opd: Sequence[str],
    category: Sequence[str] | None,
    source: str,
    extra: ModelMetadata | None = None,
) -> ModelMetadata:
    """Everything the registry stores about a trained router besides the artifact itself.

    Parameters
    ----------
    router : ComplaintRouter
        The fitted router.
    texts, opd, category : sequences
        The rows it was trained on (fingerprinted, not stored).
    source : str
        Where the rows came from, in words.
    extra : ModelMetadata, optional
        Further fields (base data, held-out scores, comparison report).
    """
    metadata: ModelMetadata = {
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
    }
    return {**metadata, **(extra or {})}


def score(router: ComplaintRouter, rows: Rows, classes: np.ndarray) -> HeldoutScore:
    """Held-out metrics of one router, plus precision/coverage at its own fitted threshold.

    Parameters
    ----------
    router : ComplaintRouter
        A fitted router.
    rows : Rows
        Labelled rows the router did not train on.
    classes : ndarray
        The OPD labels to score over (the router's and the rows', so two routers compare).
    """
    proba = _aligned(router.predict_proba(rows.texts, rows.fields), router.classes_, classes)
    truth = np.asarray(rows.opd, dtype=object)
    auto = precision_coverage(
        proba, truth, classes, router.thresholds_["threshold"], router.thresholds_["margin"]
    )
    return {
        **head_metrics(proba, truth, classes),
        "auto_coverage": round(auto.coverage, 4),
        "auto_precision": None if auto.precision is None else round(auto.precision, 4),
    }


def fit_rows(
    template: ComplaintRouter,
    rows: Rows,
    nonroutable: Sequence[str],
    *,
    source: str,
    extra: ModelMetadata,
    not_authority: NotAuthority | None = None,
    sample_weight: np.ndarray | None = None,
    verified: np.ndarray | None = None,
    threshold_floor: AutoPair | None = None,
    progress: Progress | None = None,
) -> TrainedModel:
    """Fit a fresh copy of ``template`` on ``rows`` and describe it for the registry.

    Parameters
    ----------
    template : ComplaintRouter
        Its parameters are used; it is not changed.
    rows : Rows
        Training rows (already through the label policy).
    nonroutable : sequence of str
        Texts that teach the ``needs_info`` gate.
    source : str
        Where the rows came from, in words.
    extra : ModelMetadata
        Further metadata fields.
    not_authority : NotAuthority, optional
        Complaints another level owns: they teach the authority head.
    sample_weight, verified, threshold_floor : optional
        Row weights, the rows operators labelled on real text and the pair in force before,
        as :meth:`ComplaintRouter.fit` takes them.
    progress : Progress, optional
        Hears of each stage of the fit.
    """
    other = not_authority or NotAuthority()
    model = clone(template).fit(
        rows.texts,
        rows.opd,
        rows.category,
        nonroutable=nonroutable,
        authority_texts=other.texts,
        authority_levels=other.levels,
        sample_weight=sample_weight,
        verified=verified,
        threshold_floor=threshold_floor,
        progress=progress,
        fields=rows.fields,
    )
    metadata = model_metadata(
        model, texts=rows.texts, opd=rows.opd, category=rows.category, source=source, extra=extra
    )
    return TrainedModel(model, metadata, list(metadata.get("warnings", [])))


def train_model(
    spec: BaseDataSpec,
    *,
    router: ComplaintRouter,
    taxonomy: Taxonomy | None = None,
    progress: Progress | None = None,
) -> TrainedModel:
    """First training of a model from a data file: fit on all but the fixed held-out share.

    The held-out share is scored once here (``heldout_test``) and again by every later
    retrain, so the numbers of successive models compare.

    Parameters
    ----------
    spec : BaseDataSpec
        The data file and its held-out share (:func:`lapor_nlp.data.base.base_data_spec`).
    router : ComplaintRouter
        The unfitted router whose parameters are used.
    taxonomy : Taxonomy, optional
        When given, every label must be one of its codes.
    progress : Progress, optional
        Hears of each stage (reading, the fit's stages, scoring the held-out share).
    """
    report = progress or silent
    report("reading data", 0, 1)
    base = load_base_data(spec, taxonomy)
    report("reading data", 1, 1)
    trained = fit_rows(
        router,
        base.train.extend(base.not_authority.closest_opd_rows(base.train)),
        base.nonroutable,
        source=str(spec["path"]),
        extra={
            "base_data": spec,
            "base_opd_counts": dict(Counter(base.train.opd)),
            "nonroutable_rows": len(base.nonroutable),
            "not_authority_rows": len(base.not_authority),
            "warnings": base.warnings,
        },
        not_authority=base.not_authority,
        progress=progress,
    )
    model = trained.router
    classes = np.unique(np.concatenate([model.classes_, base.heldout.opd]))
    report("held-out test rows", 0, 1)
    test = score(model, base.heldout, classes) if len(base.heldout) else None
    report("held-out test rows", 1, 1)
    return TrainedModel(model, {**trained.metadata, "heldout_test": test}, base.warnings)
