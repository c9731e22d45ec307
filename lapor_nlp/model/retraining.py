"""Retraining on operators' corrections, and the candidate-vs-active comparison.

Every model records where its base training data came from (``metadata["base_data"]``) and
which fixed share of it was held out. A retrain reads the same base data, adds the feedback
labels, and scores the candidate and the serving model on rows that neither trained on: the
fixed held-out part of the base data plus a held-out slice of the corrections.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import clone

from lapor_nlp.data.validate import apply_label_policy, usual_categories
from lapor_nlp.errors import DataValidationError
from lapor_nlp.model.decision import precision_coverage
from lapor_nlp.model.heldout import head_metrics
from lapor_nlp.model.router import ComplaintRouter, _aligned
from lapor_nlp.model.training import model_metadata
from lapor_nlp.paths import PROJECT_ROOT
from lapor_nlp.registry.artifact import sha256_file

BASE_HELDOUT_SALT = "lapor-nlp/base-heldout/v1"
FEEDBACK_HELDOUT_SALT = "lapor-nlp/feedback-heldout/v1"
MIN_OPD_SUPPORT = 20


@dataclass
class Rows:
    texts: list[str] = field(default_factory=list)
    opd: list[str] = field(default_factory=list)
    category: list[str] | None = None

    def __len__(self) -> int:
        return len(self.texts)

    def extend(self, other: Rows) -> Rows:
        both = self.category is not None and other.category is not None
        return Rows(
            self.texts + other.texts,
            self.opd + other.opd,
            (self.category or []) + (other.category or []) if both else None,
        )


@dataclass(frozen=True)
class FeedbackLabel:
    """One complaint's final label from operators (the latest accept/correct wins)."""

    key: str
    text: str
    opd: str
    category: str | None = None


@dataclass
class BaseData:
    train: Rows
    heldout: Rows
    nonroutable: list[str]
    warnings: list[str] = field(default_factory=list)


def in_heldout(key: str, fraction: float, salt: str) -> bool:
    """Stable membership of a row in the held-out share, independent of file order."""
    digest = hashlib.sha256(f"{salt}\x1f{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64 < fraction


def split_rows(rows: Rows, keys: Sequence[str], fraction: float, salt: str) -> tuple[Rows, Rows]:
    mask = np.array([in_heldout(k, fraction, salt) for k in keys], dtype=bool)

    def take(selected: np.ndarray) -> Rows:
        idx = np.flatnonzero(selected)
        return Rows(
            [rows.texts[i] for i in idx],
            [rows.opd[i] for i in idx],
            None if rows.category is None else [rows.category[i] for i in idx],
        )

    return take(~mask), take(mask)


def _portable(path: Path) -> str:
    path = Path(path).resolve()
    try:
        return path.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def _resolve(path: str) -> Path:
    candidate = Path(path)
    return candidate if candidate.is_absolute() else PROJECT_ROOT / candidate


def base_data_spec(
    path: Path,
    *,
    text_col: str,
    opd_col: str,
    category_col: str | None,
    nonroutable_path: Path | None,
    heldout_fraction: float,
) -> dict[str, Any]:
    """What a model records about its base data so a retrain can read the same rows."""
    return {
        "path": _portable(path),
        "sha256": sha256_file(Path(path)),
        "text_col": text_col,
        "opd_col": opd_col,
        "category_col": category_col,
        "nonroutable_path": None if nonroutable_path is None else _portable(nonroutable_path),
        "heldout_fraction": heldout_fraction,
        "heldout_salt": BASE_HELDOUT_SALT,
    }


def load_base_data(spec: dict[str, Any], taxonomy: Any = None) -> BaseData:
    """Read and split the base data a model was trained on; refuse it if the file changed."""
    from lapor_nlp.data.io import read_table
    from lapor_nlp.data.validate import validate_training_frame

    path = _resolve(str(spec["path"]))
    if not path.is_file():
        raise DataValidationError(f"base training data {path} is missing")
    if sha256_file(path) != spec["sha256"]:
        raise DataValidationError(
            f"base training data {path} changed since the serving model was trained "
            "(SHA-256 differs); retrain from the CLI with `lapor-nlp train` instead"
        )
    data = validate_training_frame(
        read_table(path),
        text_col=spec["text_col"],
        opd_col=spec["opd_col"],
        category_col=spec.get("category_col"),
        taxonomy=taxonomy,
    )
    rows = Rows(data.texts, data.opd, data.category)
    train, heldout = split_rows(
        rows, data.texts, float(spec["heldout_fraction"]), str(spec["heldout_salt"])
    )
    nonroutable: list[str] = []
    if spec.get("nonroutable_path"):
        frame = read_table(_resolve(str(spec["nonroutable_path"])))
        nonroutable = [str(t) for t in frame["text"].dropna() if str(t).strip()]
    return BaseData(train, heldout, nonroutable, data.warnings)


def feedback_rows(labels: Sequence[FeedbackLabel], base: Rows) -> tuple[Rows, Rows]:
    """Train and held-out rows from feedback; a missing category takes the OPD's usual one."""
    usual = {} if base.category is None else usual_categories(base.opd, base.category)
    rows = Rows(
        [f.text for f in labels],
        [f.opd for f in labels],
        None if base.category is None else [f.category or usual.get(f.opd, "") for f in labels],
    )
    return split_rows(rows, [f.key for f in labels], 0.2, FEEDBACK_HELDOUT_SALT)


def score(router: ComplaintRouter, rows: Rows, classes: np.ndarray) -> dict[str, Any]:
    """Held-out metrics of one router, plus precision/coverage at its own fitted threshold."""
    proba = _aligned(router.predict_proba(rows.texts), router.classes_, classes)
    truth = np.asarray(rows.opd, dtype=object)
    metrics = head_metrics(proba, truth, classes)
    auto = precision_coverage(
        proba, truth, classes, router.thresholds_["threshold"], router.thresholds_["margin"]
    )
    metrics["auto_coverage"] = round(auto.coverage, 4)
    metrics["auto_precision"] = None if auto.precision is None else round(auto.precision, 4)
    return metrics


def compare(candidate: ComplaintRouter, active: ComplaintRouter, rows: Rows) -> dict[str, Any]:
    """Both models on the same rows; ``not_worse`` is the auto-promotion rule."""
    if len(rows) == 0:
        return {"n": 0, "not_worse": False, "note": "no held-out rows to compare on"}
    classes = np.unique(np.concatenate([candidate.classes_, active.classes_, rows.opd]))
    new, old = score(candidate, rows, classes), score(active, rows, classes)
    support = Counter(rows.opd)
    per_opd = [
        {
            "opd": str(c),
            "n": support.get(str(c), 0),
            "active_f1": old["per_class_f1"][str(c)],
            "candidate_f1": new["per_class_f1"][str(c)],
            "delta": round(new["per_class_f1"][str(c)] - old["per_class_f1"][str(c)], 4),
        }
        for c in classes
    ]
    worse_opd = [p["opd"] for p in per_opd if p["n"] >= MIN_OPD_SUPPORT and float(p["delta"]) < 0]
    return {
        "n": len(rows),
        "candidate": new,
        "active": old,
        "per_opd": per_opd,
        "macro_f1_delta": round(new["macro_f1"] - old["macro_f1"], 4),
        "worse_opd": worse_opd,
        "not_worse": new["macro_f1"] >= old["macro_f1"] and not worse_opd,
    }


@dataclass
class RetrainResult:
    router: ComplaintRouter
    metadata: dict[str, Any]
    report: dict[str, Any]


def drop_singletons(rows: Rows) -> tuple[Rows, list[str]]:
    """The training-data label policy for base data plus corrections, on ``Rows``.

    An OPD seen once is dropped; a category seen once takes its OPD's usual category (the row
    is dropped when the OPD has none), as :func:`~lapor_nlp.data.validate.apply_label_policy`
    says.
    """
    data = apply_label_policy(rows.texts, rows.opd, rows.category, rare_category="usual")
    return Rows(data.texts, data.opd, data.category), data.warnings


def retrain(
    active_router: ComplaintRouter,
    active_metadata: dict[str, Any],
    feedback: Sequence[FeedbackLabel],
    *,
    extra_nonroutable: Sequence[str] = (),
) -> RetrainResult:
    """Train a candidate on the serving model's base data plus feedback, and compare the two.

    ``extra_nonroutable`` are texts operators marked as lacking information; they join the
    base data's non-routable examples that teach the ``needs_info`` gate.
    """
    spec = active_metadata.get("base_data")
    if not spec:
        raise DataValidationError(
            "the serving model does not record its base training data; "
            "train a model with `lapor-nlp train` (or `make model`) first"
        )
    base = load_base_data(spec)
    fb_train, fb_heldout = feedback_rows(feedback, base.train)
    train, notes = drop_singletons(base.train.extend(fb_train))
    nonroutable = base.nonroutable + [t for t in extra_nonroutable if t.strip()]
    candidate = clone(active_router)
    candidate.fit(train.texts, train.opd, train.category, nonroutable=nonroutable)
    heldout = base.heldout.extend(fb_heldout)
    report = compare(candidate, active_router, heldout)
    report["rows"] = {
        "base_train": len(base.train),
        "base_heldout": len(base.heldout),
        "feedback_train": len(fb_train),
        "feedback_heldout": len(fb_heldout),
        "needs_info_examples": len(nonroutable),
    }
    report["notes"] = notes
    metadata = model_metadata(
        candidate,
        texts=train.texts,
        opd=train.opd,
        category=train.category,
        source=f"{spec['path']} + {len(feedback)} feedback labels",
        extra={
            "base_data": spec,
            "feedback_rows": len(feedback),
            "nonroutable_rows": len(nonroutable),
            "comparison": report,
            "heldout_test": report.get("candidate"),
        },
    )
    return RetrainResult(candidate, metadata, report)


@dataclass
class BaseTraining:
    router: ComplaintRouter
    metadata: dict[str, Any]
    warnings: list[str]


def train_on_base(
    spec: dict[str, Any],
    *,
    router: ComplaintRouter,
    taxonomy: Any = None,
) -> BaseTraining:
    """First training of a model from a data file: fit on all but the fixed held-out share.

    The held-out share is scored once here (``heldout_test``) and again by every later
    retrain, so the numbers of successive models compare.
    """
    base = load_base_data(spec, taxonomy)
    model = clone(router).fit(
        base.train.texts, base.train.opd, base.train.category, nonroutable=base.nonroutable
    )
    classes = np.unique(np.concatenate([model.classes_, base.heldout.opd]))
    test = score(model, base.heldout, classes) if len(base.heldout) else None
    metadata = model_metadata(
        model,
        texts=base.train.texts,
        opd=base.train.opd,
        category=base.train.category,
        source=str(spec["path"]),
        extra={
            "base_data": spec,
            "nonroutable_rows": len(base.nonroutable),
            "heldout_test": test,
            "warnings": base.warnings,
        },
    )
    return BaseTraining(model, metadata, base.warnings)
