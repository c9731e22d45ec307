"""The retraining stage: operators' corrections + the training stage + the comparison.

A retrain reads the serving model's base data again (:mod:`lapor_nlp.data.base`), adds the
corrections as training rows under the same label policy, fits a candidate with the training
stage (:mod:`lapor_nlp.model.training`), and scores candidate and serving model on rows that
neither trained on: the fixed held-out part of the base data plus a held-out slice of the
corrections. Corrections are real text: they weigh more (the weight chosen on inner folds),
the candidate's threshold pair is fitted on folds that include them and starts no looser than
the pair that served, and the report gives both models' auto precision on the held-out
verified complaints (corrections, and complaints judged ``not_authority`` or ``incomplete``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone

from lapor_nlp.data.base import NotAuthority, Rows, in_heldout, load_base_data, split_rows
from lapor_nlp.data.validate import apply_label_policy, usual_categories
from lapor_nlp.errors import DataValidationError
from lapor_nlp.model.decision import AutoPair, routed_right
from lapor_nlp.model.router import ComplaintRouter
from lapor_nlp.model.training import fit_rows, score
from lapor_nlp.model.weighting import choose_weight, fixed_weight
from lapor_nlp.registry.metadata import (
    ComparisonReport,
    ModelMetadata,
    OpdDelta,
    VerifiedScore,
)

FEEDBACK_HELDOUT_SALT = "lapor-nlp/feedback-heldout/v1"
FEEDBACK_HELDOUT_FRACTION = 0.2
MIN_OPD_SUPPORT = 20


@dataclass(frozen=True)
class FeedbackLabel:
    """One complaint's final label from operators (the latest accept/correct wins)."""

    key: str
    text: str
    opd: str
    category: str | None = None


@dataclass(frozen=True)
class VerdictText:
    """One complaint whose latest verdict gives no OPD label (``incomplete`` or
    ``not_authority``): it teaches a gate, and when held out it scores auto decisions."""

    key: str
    text: str


@dataclass(frozen=True)
class RetrainResult:
    """The candidate, its metadata (comparison included) and the comparison report."""

    router: ComplaintRouter
    metadata: ModelMetadata
    report: ComparisonReport


def feedback_rows(labels: Sequence[FeedbackLabel], base: Rows) -> tuple[Rows, Rows]:
    """Train and held-out rows from feedback; a missing category takes the OPD's usual one.

    Parameters
    ----------
    labels : sequence of FeedbackLabel
        Final labels of corrected complaints.
    base : Rows
        The base training rows, whose usual categories fill in missing ones.
    """
    usual = {} if base.category is None else usual_categories(base.opd, base.category)
    rows = Rows(
        [f.text for f in labels],
        [f.opd for f in labels],
        None if base.category is None else [f.category or usual.get(f.opd, "") for f in labels],
    )
    return split_rows(
        rows, [f.key for f in labels], FEEDBACK_HELDOUT_FRACTION, FEEDBACK_HELDOUT_SALT
    )


def split_verdicts(verdicts: Sequence[VerdictText]) -> tuple[list[str], list[str]]:
    """Train and held-out texts of unlabelled verdicts, held out as corrections are (by
    complaint), so the verified complaints no model trained on include them."""
    kept: list[str] = []
    held: list[str] = []
    for v in verdicts:
        if v.text.strip():
            out = in_heldout(v.key, FEEDBACK_HELDOUT_FRACTION, FEEDBACK_HELDOUT_SALT)
            (held if out else kept).append(v.text)
    return kept, held


def operator_levels(router: ComplaintRouter, texts: Sequence[str]) -> list[str]:
    """Levels for complaints operators marked ``not_authority``: the serving model's most likely
    level other than the province (``kabkota``, the most common, when it has no such head)."""
    from lapor_nlp.model.authority import OTHER_LEVELS

    if not texts:
        return []
    proba = router.predict_authority_proba(list(texts))
    head = getattr(router, "authority_head_", None)
    if proba is None or head is None:
        return [OTHER_LEVELS[0]] * len(texts)
    classes = [str(c) for c in head.classes_]
    columns = [classes.index(level) for level in OTHER_LEVELS if level in classes]
    if not columns:
        return [OTHER_LEVELS[0]] * len(texts)
    best = np.argmax(proba[:, columns], axis=1)
    return [classes[columns[int(i)]] for i in best]


def drop_singletons(rows: Rows) -> tuple[Rows, list[str]]:
    """The training-data label policy for base data plus corrections, on ``Rows``.

    An OPD seen once is dropped; a category seen once takes its OPD's usual category (the row
    is dropped when the OPD has none), as :func:`~lapor_nlp.data.validate.apply_label_policy`
    says.
    """
    data = apply_label_policy(
        rows.texts, rows.opd, rows.category, rare_category="usual", fields=rows.fields
    )
    return Rows(data.texts, data.opd, data.category, data.fields), data.warnings


def serving_pair(router: ComplaintRouter, in_force: AutoPair | None = None) -> AutoPair | None:
    """The floor of the candidate's threshold pair: the pair in force for the serving model,
    and never looser than its fitted pair.

    ``in_force`` is the pair the service applied (the guard's rule: a tightened pair, the
    deployment's overrides, nothing auto-routed while the guard is off). It is the floor when
    stricter; a looser override leaves the fitted pair as the floor, because only real
    verdicts may loosen a pair (:func:`~lapor_nlp.model.decision.fit_thresholds`).
    """
    fitted = getattr(router, "thresholds_", None)
    own = AutoPair(float(fitted["threshold"]), float(fitted["margin"])) if fitted else None
    if own is None or in_force is None:
        return own or in_force
    return own.stricter_of(in_force)


def verified_score(
    router: ComplaintRouter, rows: Rows, unlabelled: Sequence[str] = ()
) -> VerifiedScore:
    """A model's own decisions (content gate and authority head included) on verified
    complaints: how many it routes ``auto``, how many of those are right
    (:func:`~lapor_nlp.model.decision.routed_right`, as the guard counts audits), and top-1.

    ``unlabelled`` complaints were judged ``not_authority`` or ``incomplete``: routing one
    ``auto`` is wrong; without an OPD they take no part in top-1.
    """
    labels: list[str | None] = [*rows.opd, *([None] * len(unlabelled))]
    scored = rows.extend(Rows(list(unlabelled), [""] * len(unlabelled)))
    decisions = router.route(scored.texts, top_k=1, explain=False, fields=scored.fields)
    top = [d.opd[0].code if d.opd else "" for d in decisions]
    right = [routed_right(t, label) for t, label in zip(top, labels, strict=True)]
    auto = [r for d, r in zip(decisions, right, strict=True) if d.decision == "auto"]
    labelled = right[: len(rows)]
    return {
        "auto": len(auto),
        "correct": sum(auto),
        "precision": round(sum(auto) / len(auto), 4) if auto else None,
        "top1": round(sum(labelled) / len(labelled), 4) if labelled else 0.0,
    }


def _subset(rows: Rows, mask: np.ndarray) -> Rows:
    return rows.take(np.flatnonzero(mask))


def compare(candidate: ComplaintRouter, active: ComplaintRouter, rows: Rows) -> ComparisonReport:
    """Both models on the same rows; ``not_worse`` is the auto-promotion rule.

    Parameters
    ----------
    candidate, active : ComplaintRouter
        The retrained model and the serving one.
    rows : Rows
        Labelled rows neither trained on.
    """
    if len(rows) == 0:
        return {"n": 0, "not_worse": False, "note": "no held-out rows to compare on"}
    classes = np.unique(np.concatenate([candidate.classes_, active.classes_, rows.opd]))
    new, old = score(candidate, rows, classes), score(active, rows, classes)
    support = Counter(rows.opd)
    per_opd: list[OpdDelta] = [
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


def retrain(
    active_router: ComplaintRouter,
    active_metadata: ModelMetadata,
    feedback: Sequence[FeedbackLabel],
    *,
    extra_nonroutable: Sequence[VerdictText] = (),
    target_precision: float | None = None,
    extra_not_authority: Sequence[VerdictText] = (),
    feedback_weight: float | None = None,
    pair_in_force: AutoPair | None = None,
) -> RetrainResult:
    """Train a candidate on the serving model's base data plus feedback, and compare the two.

    Parameters
    ----------
    active_router : ComplaintRouter
        The serving model: its parameters are reused and it is the comparison's baseline.
    active_metadata : ModelMetadata
        Its metadata, which names the base data.
    feedback : sequence of FeedbackLabel
        Operators' final labels.
    extra_nonroutable : sequence of VerdictText
        Complaints operators marked as lacking information; they join the base data's
        non-routable examples that teach the ``needs_info`` gate.
    target_precision : float, optional
        The deployment's ``LAPOR_TARGET_PRECISION``: replaces the serving model's when the
        candidate's auto-route threshold is fitted.
    extra_not_authority : sequence of VerdictText
        Complaints operators marked ``not_authority``; they join the base data's not-authority
        examples, each at the level the serving model finds most likely.
    feedback_weight : float, optional
        The deployment's ``LAPOR_FEEDBACK_WEIGHT``: the weight of operator-labelled rows;
        None chooses it on inner folds over the corrections (:mod:`lapor_nlp.model.weighting`).
    pair_in_force : AutoPair, optional
        The pair the service applies to the serving model now (the guard's rule); None: its
        fitted pair. The candidate's pair starts no looser (:func:`serving_pair`).

    Operator-labelled rows are real text: they train at that weight, and the candidate's
    threshold pair must hold on them and is no looser than the pair in force unless they
    support it (the rule of :func:`~lapor_nlp.model.decision.fit_thresholds`). A held-out
    fifth of the verdicts (by complaint) trains neither model and scores both (``verified``).
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
    needs_info, needs_info_heldout = split_verdicts(extra_nonroutable)
    nonroutable = base.nonroutable + needs_info
    template = active_router
    if target_precision is not None:
        template = clone(active_router).set_params(target_precision=target_precision)
    verdicts, not_authority_heldout = split_verdicts(extra_not_authority)
    other = base.not_authority.extend(
        NotAuthority(verdicts, operator_levels(active_router, verdicts), [""] * len(verdicts))
    )
    fb_texts = set(fb_train.texts)
    verified = np.array([t in fb_texts for t in train.texts], dtype=bool)
    weight = (
        fixed_weight(feedback_weight, "LAPOR_FEEDBACK_WEIGHT", len(fb_train))
        if feedback_weight is not None
        else choose_weight(template, _subset(train, ~verified), _subset(train, verified))
    )
    train = train.extend(base.not_authority.closest_opd_rows(train))
    verified = np.r_[verified, np.zeros(len(train) - len(verified), dtype=bool)]
    trained = fit_rows(
        template,
        train,
        nonroutable,
        not_authority=other,
        source=f"{spec['path']} + {len(feedback)} feedback labels",
        extra={
            "base_data": spec,
            "base_opd_counts": dict(Counter(base.train.opd)),
            "feedback_rows": len(feedback),
            "nonroutable_rows": len(nonroutable),
            "not_authority_rows": len(other),
            "feedback_weight": weight,
        },
        sample_weight=np.where(verified, weight["weight"], 1.0),
        verified=verified,
        threshold_floor=serving_pair(active_router, pair_in_force),
    )
    report = compare(trained.router, active_router, base.heldout.extend(fb_heldout))
    report["feedback_weight"] = weight
    unlabelled = needs_info_heldout + not_authority_heldout
    report["verified"] = {
        "n": len(fb_heldout),
        "unlabelled": len(unlabelled),
        "candidate": verified_score(trained.router, fb_heldout, unlabelled),
        "active": verified_score(active_router, fb_heldout, unlabelled),
    }
    report["rows"] = {
        "base_train": len(base.train),
        "base_heldout": len(base.heldout),
        "feedback_train": len(fb_train),
        "feedback_heldout": len(fb_heldout),
        "needs_info_examples": len(nonroutable),
        "not_authority_examples": len(other),
        "not_authority_feedback": len(verdicts),
        "unlabelled_heldout": len(unlabelled),
    }
    report["notes"] = notes
    metadata: ModelMetadata = {
        **trained.metadata,
        "comparison": report,
        "heldout_test": report.get("candidate"),
    }
    return RetrainResult(trained.router, metadata, report)
