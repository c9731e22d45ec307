"""What ``metadata.json`` holds: the typed record of one trained model.

The types are ``TypedDict`` on purpose: the record travels as JSON (registry directory, the
``model_versions`` table, the API), so a dict that mypy checks reads old files as they are and
needs no conversion at each border. Every key is optional to readers: models written by older
versions of lapor-nlp lack the newer ones.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class CurvePoint(TypedDict):
    """Precision and coverage of the auto-route rule at one threshold (fitted margin)."""

    threshold: float
    precision: float
    coverage: float


class VerifiedAuto(TypedDict):
    """Auto decisions on operator-verified rows: rows, how many auto-routed, their precision."""

    n: int
    auto: int
    precision: float | None


class PairFloor(TypedDict):
    """The pair in force before a retraining; only real verdicts may loosen it."""

    threshold: float
    margin: float


class Thresholds(TypedDict):
    """The fitted auto-route rule stored with a model, with its held-out precision/coverage.

    ``verified`` and ``floor`` are set when the fit had operator-verified rows or a floor
    (retraining, see :func:`lapor_nlp.model.decision.fit_thresholds`).
    """

    threshold: float
    margin: float
    target_precision: float
    heldout_precision: float
    heldout_coverage: float
    curve: list[CurvePoint]
    verified: NotRequired[VerifiedAuto]
    floor: NotRequired[PairFloor | None]


class HeadMetrics(TypedDict):
    """Accuracy figures of one head on labelled rows it did not train on."""

    n: int
    accuracy: float
    macro_f1: float
    top3_accuracy: float
    per_class_f1: dict[str, float]


class HeldoutScore(HeadMetrics, total=False):
    """:class:`HeadMetrics` plus the auto-route rule's precision and coverage on the rows."""

    auto_coverage: float
    auto_precision: float | None


class HeldoutSummary(TypedDict, total=False):
    """Out-of-fold metrics computed while fitting (the ``metrics`` field)."""

    opd: HeadMetrics
    category: HeadMetrics
    folds: int
    note: str


class BaseDataSpec(TypedDict):
    """Where a model's base training data is and which fixed share of it is held out."""

    path: str
    sha256: str
    text_col: str
    opd_col: str
    category_col: str | None
    nonroutable_path: str | None
    heldout_fraction: float
    heldout_salt: str
    title_col: NotRequired[str | None]
    not_authority_path: NotRequired[str | None]


class OpdDelta(TypedDict):
    """One OPD's F1 for the active model and the candidate on the same held-out rows."""

    opd: str
    n: int
    active_f1: float
    candidate_f1: float
    delta: float


class RetrainRows(TypedDict):
    """How many rows of each kind a retraining used."""

    base_train: int
    base_heldout: int
    feedback_train: int
    feedback_heldout: int
    needs_info_examples: int
    not_authority_examples: NotRequired[int]
    not_authority_feedback: NotRequired[int]
    unlabelled_heldout: NotRequired[int]


class WeightScore(TypedDict):
    """One weight of operator-labelled rows and top-1 on the inner folds' held-out corrections."""

    weight: float
    top1: float


class FeedbackWeight(TypedDict):
    """The weight of operator-labelled rows in a retraining, and how it was chosen."""

    weight: float
    chosen_by: str
    rows: int
    scores: list[WeightScore]


class VerifiedScore(TypedDict):
    """One model's auto decisions on the held-out operator-verified complaints."""

    auto: int
    correct: int
    precision: float | None
    top1: float


class VerifiedComparison(TypedDict):
    """Candidate and active model on operator-verified complaints neither trained on: ``n``
    with an OPD label, ``unlabelled`` judged ``not_authority`` or ``incomplete`` (an auto
    decision on them is wrong; they take no part in top-1)."""

    n: int
    unlabelled: NotRequired[int]
    candidate: VerifiedScore
    active: VerifiedScore


class ComparisonReport(TypedDict, total=False):
    """Candidate vs active on rows neither trained on; ``not_worse`` allows auto-promotion."""

    n: int
    not_worse: bool
    note: str
    candidate: HeldoutScore
    active: HeldoutScore
    per_opd: list[OpdDelta]
    macro_f1_delta: float
    worse_opd: list[str]
    rows: RetrainRows
    notes: list[str]
    feedback_weight: FeedbackWeight
    verified: VerifiedComparison


class LabelSets(TypedDict):
    """The labels each head knows."""

    opd: list[str]
    category: list[str] | None


class ModelMetadata(TypedDict, total=False):
    """The whole ``metadata.json`` of a model directory."""

    version: str
    created_at: str
    training_rows: int
    data_sha256: str
    data_source: str
    labels: LabelSets
    metrics: HeldoutSummary
    thresholds: Thresholds
    params: dict[str, str]
    base_data: BaseDataSpec
    base_opd_counts: dict[str, int]
    nonroutable_rows: int
    not_authority_rows: int
    feedback_rows: int
    feedback_weight: FeedbackWeight
    heldout_test: HeldoutScore | None
    comparison: ComparisonReport
    warnings: list[str]
    parent_version: str
    retrain_job: str
    training_seconds: float
    libraries: dict[str, str]
    artifact_format: int
    artifact_sha256: str
    artifact_bytes: int
    artifact_hmac: str
