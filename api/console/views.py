"""What the templates show, built from the service layer's results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lapor_nlp.api.console.render import explanation_terms
from lapor_nlp.model.retraining import MIN_OPD_SUPPORT
from lapor_nlp.service.review import ReviewItem


@dataclass(frozen=True)
class QueueItem:
    """One card of the review queue."""

    id: str
    title: str | None
    text: str
    created_at: datetime
    decision: str
    opd: list[Any]
    category: list[Any]
    terms: list[str] = field(default_factory=list)
    audit: bool = False
    authority: dict[str, Any] | None = None


def queue_item(item: ReviewItem) -> QueueItem:
    """A review-queue item as the queue template shows it."""
    return QueueItem(
        id=item.complaint_id,
        title=item.title,
        text=item.text,
        created_at=item.created_at,
        decision=item.decision,
        opd=list(item.opd[:3]),
        category=list(item.category[:1]),
        terms=explanation_terms(item.explanation),
        audit=item.audit,
        authority=item.authority,
    )


def model_row(record: Any, loaded_version: str | None) -> dict[str, Any]:
    """A catalog entry with the headline metrics the model page shows."""
    metrics = record.metrics or {}
    opd = metrics.get("opd") or {}
    category = metrics.get("category") or {}
    return {
        "version": record.version,
        "status": record.status,
        "created_at": record.created_at,
        "activated_at": record.activated_at,
        "parent_version": record.parent_version,
        "job_id": record.job_id,
        "loaded": record.version == loaded_version,
        "opd_accuracy": opd.get("accuracy"),
        "opd_macro_f1": opd.get("macro_f1"),
        "opd_top3": opd.get("top3_accuracy"),
        "category_accuracy": category.get("accuracy"),
        "n": opd.get("n"),
        "report": comparison(record.report),
    }


DECIDING_METRICS = ("macro_f1",)
"""What the promotion rule (``lapor_nlp.model.retraining.compare``) decides on, with the
per-OPD F1 of OPDs with enough held-out rows."""


def comparison(report: dict[str, Any] | None) -> dict[str, Any] | None:
    """The candidate-vs-active report in the shape the template lists (changed OPDs first)."""
    if not report or not report.get("n"):
        return None
    per_opd = sorted(
        report.get("per_opd") or [],
        key=lambda row: (-abs(float(row.get("delta") or 0)), row["opd"]),
    )
    metrics: list[dict[str, Any]] = []
    for key, label in (
        ("accuracy", "Akurasi OPD"),
        ("macro_f1", "Macro-F1 OPD"),
        ("top3_accuracy", "Top-3 OPD"),
        ("auto_precision", "Presisi otomatis"),
        ("auto_coverage", "Cakupan otomatis"),
    ):
        new = (report.get("candidate") or {}).get(key)
        old = (report.get("active") or {}).get(key)
        if new is None and old is None:
            continue
        delta = None if new is None or old is None else float(new) - float(old)
        metrics.append(
            {
                "label": label,
                "candidate": new,
                "active": old,
                "delta": delta,
                "decides": key in DECIDING_METRICS,
            }
        )
    not_worse = bool(report.get("not_worse"))
    # Measures that fell but do not decide: shown beside the verdict, which then is no
    # plain green "not worse".
    cautions = [
        m for m in metrics if not m["decides"] and m["delta"] is not None and m["delta"] < 0
    ]
    return {
        "n": report.get("n"),
        "not_worse": not_worse,
        "verdict": ("worse" if not not_worse else "caution" if cautions else "not_worse"),
        "deciding": [m for m in metrics if m["decides"]],
        "cautions": cautions,
        "min_opd_support": MIN_OPD_SUPPORT,
        "macro_f1_delta": report.get("macro_f1_delta"),
        "worse_opd": report.get("worse_opd") or [],
        "rows": report.get("rows") or {},
        "metrics": metrics,
        "verified": report.get("verified"),
        "feedback_weight": report.get("feedback_weight"),
        "per_opd": [row for row in per_opd if row.get("delta")][:12],
    }
