"""``ComplaintRouter``: raw complaint text in, OPD and category suggestions with a decision out.

One estimator is the whole persisted artifact: text pipeline, TF-IDF features, the OPD head,
the optional category head, the content gate for ``needs_info`` and the fitted thresholds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from lapor_nlp.loading import DefaultsOnLoad
from lapor_nlp.model.authority import (
    PROVINCE,
    AuthorityCall,
    authority_calls,
    check_levels,
    fit_authority_head,
)
from lapor_nlp.model.compact import CompactLinearHead
from lapor_nlp.model.crossfit import (
    CrossFit,
    cross_fit_head,
    fold_count,
    holdout_split,
    stratified_folds,
)
from lapor_nlp.model.decision import (
    AutoPair,
    RoutingDecision,
    Term,
    decide,
    fit_thresholds,
    top_two,
)
from lapor_nlp.model.decision import top_k as top_k_scores
from lapor_nlp.model.explain import explain_row
from lapor_nlp.model.features import ComplaintFeatures, reads_surface
from lapor_nlp.model.field_features import FieldRows
from lapor_nlp.model.heldout import heldout_summary
from lapor_nlp.progress import Progress, silent
from lapor_nlp.registry.metadata import HeldoutSummary, Thresholds
from lapor_nlp.text.surface import surface_text

PLACEHOLDER_PREFIX = "__"
PREPROCESS_CHUNK = 10_000
"""Documents put through the text pipeline between two progress reports."""


class ComplaintRouter(DefaultsOnLoad, ClassifierMixin, BaseEstimator):
    """Suggest the responsible OPD (and a category) for complaint texts.

    Parameters
    ----------
    preprocessor : transformer or None
        The text pipeline; ``None`` uses :class:`lapor_nlp.text.TextPreprocessor` defaults.
    char_view : {"surface", "features"}
        What the character n-grams read: the surface view of the complaint
        (:func:`lapor_nlp.text.surface_text`: masked, lower-cased, not stemmed, stopwords kept)
        or the text pipeline's documents, as the word n-grams do. ``"surface"`` is the default
        because it routed both measured regions' own history better (BENCHMARKS.md, "Region's
        own history: ablation"). An artifact written before this parameter existed loads with
        ``"features"``, what it was trained with.
    vocabulary_sample : int or None
        The TF-IDF vocabularies and idf are learned from a seeded random sample of at most
        this many documents (None: all). Bounds the memory of fitting at national volume; a
        corpus at or under it (the seed data) is not sampled.
    one_split_above, split_holdout : int or None, int
        Above ``one_split_above`` training rows (None: never), one stratified split holding
        out ``split_holdout`` rows (at most a ``threshold_folds``-th of them) replaces the
        ``threshold_folds`` folds: those rows calibrate
        the heads, fit the thresholds and give the held-out metrics, and the model fitted on
        the rest is kept (one linear fit per head instead of ``threshold_folds + 1``).
    head : {"logreg", "svm"}
        Linear classifier family for both heads.
    target_precision : float
        Precision that auto-routed complaints must reach on held-out folds.
    min_informative_tokens : int
        Fewer known content tokens than this and the complaint ``needs_info``.
    agency_mentions : bool
        Add one feature per OPD that is set when the complaint names that agency (aliases in
        ``lapor_nlp/taxonomy/data/aliases.csv``); the heads learn its weight.
    mention_weight : float
        Value of a set mention feature (its scale against the unit-length TF-IDF blocks).
    authority_threshold : float
        Probability from which the authority head's call of another level (kabkota, pusat,
        bumn) sends the complaint to review; only used when trained with such examples.
    authority_C : float
        Inverse regularisation of the authority head (class-balanced logistic regression).
    field_weight : float
        Scale of the structured-field block (address words, kecamatan, kelurahan, channel;
        :mod:`lapor_nlp.model.field_features`) against the unit-length TF-IDF blocks. The block
        exists only when the training rows carry fields (``fit(..., fields=...)``).

    Examples
    --------
    >>> router = ComplaintRouter(threshold_folds=2)  # doctest: +SKIP
    >>> router.fit(texts, opd_labels).route(["jalan poros berlubang parah"])  # doctest: +SKIP
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "preprocessor": [None, HasMethods(["fit", "transform"])],
        "word_ngram_range": [tuple],
        "char_ngram_range": [None, tuple],
        "char_view": [StrOptions({"features", "surface"})],
        "min_df": [Interval(Integral, 1, None, closed="left")],
        "max_word_features": [None, Interval(Integral, 1, None, closed="left")],
        "max_char_features": [None, Interval(Integral, 1, None, closed="left")],
        "vocabulary_sample": [None, Interval(Integral, 1, None, closed="left")],
        "one_split_above": [None, Interval(Integral, 1, None, closed="left")],
        "split_holdout": [Interval(Integral, 20, None, closed="left")],
        "head": [StrOptions({"logreg", "svm"})],
        "C": [Interval(Real, 1e-6, None, closed="left")],
        "target_precision": [Interval(Real, 1e-6, 1.0, closed="both")],
        "threshold_folds": [Interval(Integral, 2, 20, closed="both")],
        "min_informative_tokens": [Interval(Integral, 0, 100, closed="both")],
        "explain_terms": [Interval(Integral, 0, 50, closed="both")],
        "agency_mentions": ["boolean"],
        "mention_weight": [Interval(Real, 1e-6, None, closed="left")],
        "authority_threshold": [Interval(Real, 0.0, 1.0, closed="both")],
        "authority_C": [Interval(Real, 1e-6, None, closed="left")],
        "field_weight": [Interval(Real, 1e-6, None, closed="left")],
        "random_state": ["random_state"],
    }
    _defaults_on_load: ClassVar[dict[str, Any]] = {"char_view": "features"}

    def __init__(
        self,
        *,
        preprocessor: Any = None,
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] | None = (3, 5),
        char_view: str = "surface",
        min_df: int = 2,
        max_word_features: int | None = 40_000,
        max_char_features: int | None = 40_000,
        vocabulary_sample: int | None = 100_000,
        one_split_above: int | None = 200_000,
        split_holdout: int = 50_000,
        head: str = "svm",
        C: float = 0.5,
        target_precision: float = 0.95,
        threshold_folds: int = 5,
        min_informative_tokens: int = 2,
        explain_terms: int = 5,
        agency_mentions: bool = True,
        mention_weight: float = 1.0,
        authority_threshold: float = 0.6,
        authority_C: float = 10.0,
        random_state: int = 0,
        field_weight: float = 1.0,
    ) -> None:
        self.preprocessor = preprocessor
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.char_view = char_view
        self.min_df = min_df
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.vocabulary_sample = vocabulary_sample
        self.one_split_above = one_split_above
        self.split_holdout = split_holdout
        self.head = head
        self.C = C
        self.target_precision = target_precision
        self.threshold_folds = threshold_folds
        self.min_informative_tokens = min_informative_tokens
        self.explain_terms = explain_terms
        self.agency_mentions = agency_mentions
        self.mention_weight = mention_weight
        self.authority_threshold = authority_threshold
        self.authority_C = authority_C
        self.random_state = random_state
        self.field_weight = field_weight

    # ------------------------------------------------------------------ fitting
    def fit(
        self,
        X: Iterable[str],
        y: Iterable[str],
        category: Iterable[str] | None = None,
        nonroutable: Iterable[str] | None = None,
        authority_texts: Iterable[str] | None = None,
        authority_levels: Iterable[str] | None = None,
        *,
        sample_weight: ArrayLike | None = None,
        verified: ArrayLike | None = None,
        threshold_floor: AutoPair | None = None,
        progress: Progress | None = None,
        fields: FieldRows | None = None,
    ) -> ComplaintRouter:
        """Learn from complaint texts ``X`` with OPD labels ``y`` (and categories, if given).

        ``nonroutable`` texts (greetings, spam, content-free pleas) teach the content gate
        that answers ``needs_info``. ``authority_texts`` with ``authority_levels`` (``kabkota``,
        ``pusat``, ``bumn``) are complaints the province cannot act on; with the complaints
        of ``X`` (the province's) they teach the authority head.

        ``sample_weight`` (one per row of ``X``) weighs rows in both heads, their calibration
        and the held-out folds; ``verified`` marks rows whose label an operator gave on real
        text, and ``threshold_floor`` is the pair in force before: both feed the threshold
        rule of :func:`~lapor_nlp.model.decision.fit_thresholds`. ``progress`` hears of each
        stage (:mod:`lapor_nlp.progress`). ``fields`` (one
        :class:`~lapor_nlp.data.fields.ComplaintFields` or None per row of ``X``) add the
        field block when any row carries one; the model then reads them in :meth:`route`.
        """
        self._validate_params()
        report = progress or silent
        texts = _as_texts(X)
        extra = _as_texts(nonroutable) if nonroutable is not None else []
        other = _as_texts(authority_texts) if authority_texts is not None else []
        report("text pipeline: stems", 0, 1)
        self.preprocessor_ = self._make_preprocessor().fit(texts + extra + other)
        report("text pipeline: stems", 1, 1)
        docs: list[str] = []
        for start in range(0, len(texts), PREPROCESS_CHUNK):
            docs += self.preprocessor_.transform(texts[start : start + PREPROCESS_CHUNK])
            report("text pipeline", len(docs), len(texts))
        extra_docs = list(self.preprocessor_.transform(extra)) if extra else []
        other_docs = list(self.preprocessor_.transform(other)) if other else []
        surface = [
            [surface_text(t) for t in group] if self._reads_surface() else None
            for group in (texts, extra, other)
        ]
        return self.fit_documents(
            docs,
            y,
            category,
            extra_docs,
            other_docs,
            list(authority_levels or []),
            sample_weight=sample_weight,
            verified=verified,
            threshold_floor=threshold_floor,
            progress=progress,
            fields=fields,
            surface=surface[0],
            nonroutable_surface=surface[1],
            authority_surface=surface[2],
        )

    def fit_documents(
        self,
        docs: list[str],
        y: Iterable[str],
        category: Iterable[str] | None = None,
        nonroutable_docs: list[str] | None = None,
        authority_docs: list[str] | None = None,
        authority_levels: list[str] | None = None,
        *,
        sample_weight: ArrayLike | None = None,
        verified: ArrayLike | None = None,
        threshold_floor: AutoPair | None = None,
        progress: Progress | None = None,
        fields: FieldRows | None = None,
        surface: list[str] | None = None,
        nonroutable_surface: list[str] | None = None,
        authority_surface: list[str] | None = None,
    ) -> ComplaintRouter:
        """Fit everything after the text pipeline on already preprocessed documents.

        Lets cross-validation preprocess a corpus once; ``preprocessor_`` must be set.
        ``surface``, ``nonroutable_surface`` and ``authority_surface`` are the surface texts
        (:meth:`surface_texts`) of ``docs``, ``nonroutable_docs`` and ``authority_docs``, one
        per document: needed when ``char_view="surface"``, ignored otherwise. Other keywords
        as in :meth:`fit`.
        """
        self._validate_params()
        check_is_fitted(self, "preprocessor_")
        labels = np.asarray(list(y), dtype=object).astype(str)
        cats = None if category is None else np.asarray(list(category), dtype=object).astype(str)
        if len(labels) != len(docs) or (cats is not None and len(cats) != len(docs)):
            raise ValueError("texts and labels differ in length")
        weights = _row_values(sample_weight, len(docs), "sample_weight", 1.0)
        if not np.all(np.isfinite(weights)) or np.any(weights <= 0):
            raise ValueError("sample_weight must be positive and finite")
        real = _row_values(verified, len(docs), "verified", False).astype(bool)
        if len(np.unique(labels)) < 2:
            raise ValueError("at least two OPD classes are needed to train a router")
        extra = nonroutable_docs or []
        other = authority_docs or []
        other_levels = check_levels(authority_levels or [])
        if len(other) != len(other_levels):
            raise ValueError("authority texts and levels differ in length")
        if PROVINCE in other_levels:
            raise ValueError("authority examples must be of another level than the province")
        self.mention_aliases_ = self._mention_aliases(labels)

        report = progress or silent
        if fields is not None and len(fields) != len(docs):
            raise ValueError(f"fields has {len(fields)} rows for {len(docs)} texts")
        views = _surface_views(
            self._reads_surface(), (docs, surface), (extra, nonroutable_surface),
            (other, authority_surface)
        )  # fmt: skip
        report("features", 0, 2)
        self.vectorizer_ = self._make_features().fit(
            docs + extra + other,
            fields=None if fields is None else [*fields, *([None] * (len(extra) + len(other)))],
            surface=None if views is None else [*views[0], *views[1], *views[2]],
        )
        report("features", 1, 2)
        features = self.vectorizer_.transform(
            docs, fields=fields, surface=None if views is None else views[0]
        )
        report("features", 2, 2)
        opd_fit = self._cross_fit(
            features, labels, weights, lambda done, total: report("OPD head", done, total)
        )
        learnable = None if cats is None else _learnable_categories(cats)
        category_fit = (
            self._cross_fit(
                features[learnable],
                cats[learnable],
                weights[learnable],
                lambda done, total: report("category head", done, total),
            )
            if cats is not None and len(np.unique(cats[learnable])) >= 2
            else None
        )
        self.head_ = opd_fit.head
        self.category_head_ = None if category_fit is None else category_fit.head
        self.classes_ = self.head_.classes_
        self.category_classes_ = (
            None if self.category_head_ is None else self.category_head_.classes_
        )
        report("content gate and authority head", 0, 2)
        gate = self._fit_gate(
            docs + other, extra, None if views is None else (views[0] + views[2], views[1])
        )  # another level's complaint is routable text
        self.gate_ = None if gate is None else CompactLinearHead.from_estimator(gate)
        report("content gate and authority head", 1, 2)
        self.authority_head_ = (
            fit_authority_head(
                sp.vstack(
                    [
                        self.vectorizer_.without_fields(features),
                        self.vectorizer_.transform(
                            other, surface=None if views is None else views[2]
                        ),
                    ],
                    format="csr",
                ),
                [PROVINCE] * len(docs) + other_levels,
                C=self.authority_C,
                random_state=self.random_state,
            )
            if other
            else None
        )
        report("content gate and authority head", 2, 2)
        self.n_word_features_ = self.vectorizer_.n_word_features_
        self.word_feature_names_ = self.vectorizer_.word_.get_feature_names_out()
        self.word_coef_ = _class_coef(self.head_)[:, : self.n_word_features_]

        self.thresholds_, self.heldout_metrics_ = self._heldout(
            opd_fit,
            labels,
            category_fit,
            None if cats is None else cats[learnable],
            (real, threshold_floor),
        )
        return self

    def _make_preprocessor(self) -> Any:
        if self.preprocessor is not None:
            return clone(self.preprocessor)
        from lapor_nlp.text import TextPreprocessor

        return TextPreprocessor()

    def _mention_aliases(self, labels: np.ndarray) -> tuple[tuple[str, str], ...]:
        """The aliases of the OPDs being learned, in the preprocessor's token form."""
        if not self.agency_mentions:
            return ()
        from lapor_nlp.taxonomy.aliases import load_agency_aliases

        aliases = [a for a in load_agency_aliases() if a.opd in set(labels)]
        docs = self.preprocessor_.transform([a.alias for a in aliases])
        return tuple((str(doc), a.opd) for doc, a in zip(docs, aliases, strict=True))

    def _cross_fit(
        self,
        features: Any,
        labels: np.ndarray,
        weights: np.ndarray,
        on_fit: Callable[[int, int], None] | None = None,
    ) -> CrossFit:
        """One head in one cross-validation pass over folds stratified by its own labels
        (one split above ``one_split_above`` rows)."""
        n_splits = fold_count(labels, self.threshold_folds)
        if self.one_split_above is not None and len(labels) > self.one_split_above:
            n_holdout = min(self.split_holdout, len(labels) // self.threshold_folds)
            folds = holdout_split(labels, n_holdout, self.random_state)
        elif n_splits >= 2:
            folds = stratified_folds(labels, n_splits, self.random_state)
        else:
            folds = []
        return cross_fit_head(
            self.head,  # type: ignore[arg-type]
            features,
            labels,
            folds=folds,
            C=self.C,
            random_state=self.random_state,
            sample_weight=weights,
            on_fit=on_fit,
        )

    def _make_features(self) -> ComplaintFeatures:
        """The unfitted feature extractor (``mention_aliases_`` must be set)."""
        return ComplaintFeatures(
            word_ngram_range=self.word_ngram_range,
            char_ngram_range=self.char_ngram_range,
            char_view=self.char_view,
            min_df=self.min_df,
            max_word_features=self.max_word_features,
            max_char_features=self.max_char_features,
            mention_aliases=self.mention_aliases_,
            mention_weight=self.mention_weight,
            fit_sample=self.vocabulary_sample,
            random_state=self.random_state,
            field_weight=self.field_weight,
        )

    def _fit_gate(
        self, docs: list[str], extra: list[str], surface: tuple[list[str], list[str]] | None
    ) -> LogisticRegression | None:
        """Routable vs not: learned from the non-routable examples, when there are any."""
        if len(extra) < 2:
            return None
        features = self.vectorizer_.transform(
            docs + extra, surface=None if surface is None else surface[0] + surface[1]
        )
        target = np.r_[np.zeros(len(docs)), np.ones(len(extra))]
        gate = LogisticRegression(
            C=10.0, class_weight="balanced", max_iter=2000, random_state=self.random_state
        )
        return gate.fit(features, target)

    def _heldout(
        self,
        opd_fit: CrossFit,
        labels: np.ndarray,
        category_fit: CrossFit | None,
        cats: np.ndarray | None,
        rule_inputs: tuple[np.ndarray, AutoPair | None],
    ) -> tuple[Thresholds, HeldoutSummary]:
        """Thresholds and the metrics stored with the model, from the heads' out-of-fold
        probabilities (the ones their calibration was fitted on).

        ``rule_inputs`` (verified rows, the pair in force before) go to the threshold rule.
        """
        if opd_fit.oof_proba is None:
            none = fit_thresholds(np.zeros((0, len(self.classes_))), labels[:0], self.classes_, 1.0)
            return none, {"note": "too few examples per class for held-out folds"}
        real, floor = rule_inputs
        rows = opd_fit.oof_rows
        thresholds = fit_thresholds(
            opd_fit.oof_proba,
            labels[rows],
            self.classes_,
            self.target_precision,
            verified=real[rows],
            floor=floor,
        )
        cat_proba = None if category_fit is None else category_fit.oof_proba
        metrics = heldout_summary(
            opd_fit.oof_proba,
            labels[rows],
            self.classes_,
            cat_proba,
            None if category_fit is None or cats is None else cats[category_fit.oof_rows],
            self.category_classes_,
        )
        metrics["folds"] = opd_fit.n_splits
        return thresholds, metrics

    # --------------------------------------------------------------- prediction
    def transform_texts(self, X: Iterable[str]) -> list[str]:
        """Raw texts through the fitted text pipeline: the documents the features read."""
        check_is_fitted(self, "head_")
        return list(self.preprocessor_.transform(_as_texts(X)))

    @property
    def uses_fields(self) -> bool:
        """True when the model reads the structured fields (it was trained with some)."""
        vectorizer = getattr(self, "vectorizer_", None)
        return vectorizer is not None and bool(vectorizer.uses_fields)

    def surface_texts(self, X: Iterable[str]) -> list[str] | None:
        """The surface view of raw texts when the character block reads it, else None.

        A fitted router answers for the features it was fitted with, an unfitted one for its
        ``char_view``.
        """
        vectorizer = getattr(self, "vectorizer_", None)
        reads = self._reads_surface() if vectorizer is None else vectorizer.reads_surface
        return [surface_text(text) for text in _as_texts(X)] if reads else None

    def _reads_surface(self) -> bool:
        return reads_surface(self.char_view, self.char_ngram_range)

    def _features(self, X: Iterable[str], fields: FieldRows | None) -> sp.csr_matrix:
        """Raw texts (and their fields) to the feature rows the heads read."""
        texts = _as_texts(X)
        return self.vectorizer_.transform(
            self.transform_texts(texts), fields=fields, surface=self.surface_texts(texts)
        )

    def predict_proba(self, X: Iterable[str], fields: FieldRows | None = None) -> np.ndarray:
        """OPD probabilities; columns follow ``classes_``. ``fields``: one per text, or None."""
        features = self._features(X, fields)
        return np.asarray(self.head_.predict_proba(features), dtype=np.float64)

    def predict_category_proba(
        self, X: Iterable[str], fields: FieldRows | None = None
    ) -> np.ndarray | None:
        """Category probabilities (columns: ``category_classes_``); None without that head."""
        check_is_fitted(self, "head_")
        if self.category_head_ is None:
            return None
        features = self._features(X, fields)
        return np.asarray(self.category_head_.predict_proba(features), dtype=np.float64)

    def predict(self, X: Iterable[str], fields: FieldRows | None = None) -> np.ndarray:
        """The most probable OPD per text."""
        return np.asarray(self.classes_[np.argmax(self.predict_proba(X, fields), axis=1)])

    def route(
        self,
        texts: Sequence[str],
        top_k: int = 3,
        *,
        threshold: float | None = None,
        margin: float | None = None,
        explain: bool = True,
        authority: bool = True,
        fields: FieldRows | None = None,
    ) -> list[RoutingDecision]:
        """Routing decisions for complaint texts, in order.

        ``threshold``/``margin`` override the fitted values (deployment settings);
        ``authority=False`` ignores the authority head (to measure what it changes).
        ``fields`` (one per text, or None) are read when the model has a field block.
        """
        check_is_fitted(self, "head_")
        texts = _as_texts(texts)
        if not texts:
            return []
        if explain:
            analyses = [self.preprocessor_.analyze_spans(t) for t in texts]
            docs = [analysis.features for analysis in analyses]
        else:
            analyses = []
            docs = list(self.preprocessor_.transform(texts))
        features = self.vectorizer_.transform(
            docs, fields=fields, surface=self.surface_texts(texts)
        )
        opd_proba = np.asarray(self.head_.predict_proba(features), dtype=np.float64)
        cat_proba = (
            None
            if self.category_head_ is None
            else np.asarray(self.category_head_.predict_proba(features), dtype=np.float64)
        )
        lacking = self._lacks_content(docs, features)
        calls = (
            self._authority_calls(self.vectorizer_.without_fields(features))
            if authority
            else [None] * features.shape[0]
        )
        t = self.thresholds_["threshold"] if threshold is None else threshold
        m = self.thresholds_["margin"] if margin is None else margin
        best, gap = top_two(opd_proba)
        decisions = []
        for i in range(len(texts)):
            row = opd_proba[i]
            explanation: list[Term] = []
            if explain:
                explanation = explain_row(
                    features[i, : self.n_word_features_],
                    self.word_coef_[int(np.argmax(row))],
                    self.word_feature_names_,
                    analyses[i],
                    self.explain_terms,
                )
            decision = (
                "needs_info"
                if lacking[i]
                else decide(float(best[i]), float(gap[i]), threshold=t, min_margin=m)
            )
            if calls[i] is not None and decision == "auto":
                decision = "review"  # likely another level's matter: a person decides
            decisions.append(
                RoutingDecision(
                    decision=decision,
                    opd=top_k_scores(row, self.classes_, top_k),
                    category=[]
                    if cat_proba is None or self.category_classes_ is None
                    else top_k_scores(cat_proba[i], self.category_classes_, top_k),
                    explanation=explanation,
                    authority=calls[i],
                )
            )
        return decisions

    def predict_authority_proba(self, X: Iterable[str]) -> np.ndarray | None:
        """Level probabilities (columns: ``authority_head_.classes_``); None without the head."""
        check_is_fitted(self, "head_")
        head = getattr(self, "authority_head_", None)  # absent in artifacts built before it
        if head is None:
            return None
        features = self._features(X, None)  # the authority head learns no fields
        return np.asarray(head.predict_proba(features), dtype=np.float64)

    def _authority_calls(self, features: sp.spmatrix) -> list[AuthorityCall | None]:
        head = getattr(self, "authority_head_", None)
        if head is None:
            return [None] * features.shape[0]
        proba = np.asarray(head.predict_proba(features), dtype=np.float64)
        return authority_calls(proba, head.classes_, self.authority_threshold)

    def _lacks_content(self, docs: list[str], features: sp.spmatrix) -> np.ndarray:
        """Too few known content words, or the content gate says it is not a complaint."""
        vocabulary = self.vectorizer_.word_.vocabulary_
        counts = np.array(
            [
                sum(
                    1
                    for token in set(doc.split())
                    if token in vocabulary and not token.startswith(PLACEHOLDER_PREFIX)
                )
                for doc in docs
            ]
        )
        lacking = counts < self.min_informative_tokens
        if self.gate_ is not None:
            lacking |= self.gate_.predict_proba(features)[:, 1] >= 0.5
        return np.asarray(lacking)


def _class_coef(head: CompactLinearHead) -> np.ndarray:
    """One coefficient row per class (a binary head stores one row for the positive class)."""
    coef = head.coef_
    if coef.shape[0] == 1 and len(head.classes_) == 2:
        return np.vstack([-coef[0], coef[0]]).astype(np.float32)
    return coef


def _learnable_categories(cats: np.ndarray) -> np.ndarray:
    """Rows whose category the category head can learn: one seen at least twice.

    A category seen once (an odd label of the file, or one the held-out split left alone) cannot
    be cross-fitted or calibrated; its row still trains the OPD head.
    """
    _, inverse, counts = np.unique(cats, return_inverse=True, return_counts=True)
    return np.asarray(counts[inverse] >= 2)


def _surface_views(
    needed: bool, *groups: tuple[list[str], list[str] | None]
) -> tuple[list[str], ...] | None:
    """The surface texts of each group of documents (None when the router does not read
    them), or a ValueError when one is missing or of another length than its documents."""
    if not needed:
        return None
    views = []
    for docs, surface in groups:
        if surface is None and not docs:
            surface = []
        if surface is None or len(surface) != len(docs):
            raise ValueError(
                "char_view='surface': fit_documents needs the surface texts of every document"
            )
        views.append(list(surface))
    return tuple(views)


def _picked(values: list[str] | None, rows: np.ndarray) -> list[str] | None:
    """The rows (indices or a boolean mask) of per-row ``values``; None stays None."""
    if values is None:
        return None
    index = np.flatnonzero(rows) if rows.dtype == bool else rows
    return [values[i] for i in index]


def _as_texts(X: Iterable[Any]) -> list[str]:
    if isinstance(X, str):
        raise ValueError("expected a sequence of texts, got a single string")
    return ["" if x is None or (isinstance(x, float) and np.isnan(x)) else str(x) for x in X]


def _row_values(values: ArrayLike | None, n: int, name: str, default: float) -> np.ndarray:
    """One value per training row (``default`` for all when None), or a ValueError naming it."""
    if values is None:
        return np.full(n, default, dtype=float)
    out = np.asarray(values, dtype=float).ravel()
    if len(out) != n:
        raise ValueError(f"{name} has {len(out)} values for {n} training rows")
    return out


def _aligned(proba: np.ndarray, have: np.ndarray, want: np.ndarray) -> np.ndarray:
    """Reorder probability columns to ``want``; classes missing from a fold get zero."""
    out = np.zeros((proba.shape[0], len(want)))
    index = {label: i for i, label in enumerate(want)}
    for j, label in enumerate(have):
        out[:, index[label]] = proba[:, j]
    return out
