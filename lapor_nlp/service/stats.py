"""Operational statistics: volume per OPD and day, decision rates, the model's accuracy as
operators see it, and how corrected labels drift from the training data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from lapor_nlp.errors import DataValidationError
from lapor_nlp.registry import LoadedModel
from lapor_nlp.service.feedback import VERDICTS
from lapor_nlp.service.guard import AutoGuard
from lapor_nlp.store import Store
from lapor_nlp.store import feedback as rows
from lapor_nlp.store.tables import utcnow

DECISIONS = ("auto", "review", "needs_info")
MAX_DAYS = 366


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The day of ``moment`` in ``zone`` (a naive time, as SQLite returns it, is UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).date()


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def total_variation(p: dict[str, float], q: dict[str, float]) -> float:
    """Half the L1 distance between two distributions over labels (0: same, 1: disjoint)."""
    labels = set(p) | set(q)
    return round(0.5 * sum(abs(p.get(k, 0.0) - q.get(k, 0.0)) for k in labels), 4)


def _shares(counts: Counter[str]) -> dict[str, float]:
    total = sum(counts.values())
    return {k: v / total for k, v in counts.items()} if total else {}


class StatsService:
    """Computes ``/v1/stats``.

    Parameters
    ----------
    store : Store
        The database.
    model : callable
        Returns the serving model (for the training label distribution), or None.
    guard : AutoGuard, optional
        The auto-route guard, whose state and live precision go under ``auto_guard``.
    zone : tzinfo
        Days are counted in this zone (``LAPOR_TIMEZONE``, WITA by default), as pages show.
    """

    def __init__(
        self,
        store: Store,
        model: Callable[[], LoadedModel | None],
        guard: AutoGuard | None = None,
        *,
        zone: tzinfo = UTC,
    ) -> None:
        self.store = store
        self._model = model
        self._guard = guard
        self.zone = zone

    def compute(self, *, days: int = 30) -> dict[str, Any]:
        """Statistics over complaints created in the last ``days`` days (feedback: all)."""
        if not 1 <= days <= MAX_DAYS:
            raise DataValidationError(f"days: must be between 1 and {MAX_DAYS}, got {days}")
        since = utcnow() - timedelta(days=days)
        with self.store.read() as session:
            latest = rows.latest_predictions_since(session, since)
            verdicts = rows.latest_verdicts(session)
            labels = [fb.opd for fb, _ in rows.final_labels(session) if fb.opd]
        return {
            "since": since.isoformat(timespec="seconds"),
            "days": days,
            "complaints": len(latest),
            "timezone": str(self.zone),
            "per_opd_per_day": self._per_day(latest, self.zone),
            "decisions": self._decisions(latest),
            "feedback": self._feedback(verdicts),
            "drift": self._drift(labels),
            "auto_guard": self._auto_guard(),
        }

    def _auto_guard(self) -> dict[str, Any] | None:
        model = self._model()
        if self._guard is None or model is None:
            return None
        return self._guard.status(model.version).as_dict()

    @staticmethod
    def _per_day(latest: list[Any], zone: tzinfo) -> list[dict[str, Any]]:
        counts = Counter(
            (local_day(created, zone).isoformat(), opd) for _, created, opd, _ in latest
        )
        return [{"day": day, "opd": opd, "count": n} for (day, opd), n in sorted(counts.items())]

    @staticmethod
    def _decisions(latest: list[Any]) -> dict[str, Any]:
        counts = Counter(decision for *_, decision in latest)
        return {
            d: {"count": counts.get(d, 0), "rate": _rate(counts.get(d, 0), len(latest))}
            for d in DECISIONS
        }

    @staticmethod
    def _feedback(verdicts: list[Any]) -> dict[str, Any]:
        per_opd: dict[str, Counter[str]] = {}
        for verdict, predicted, corrected, _ in verdicts:
            outcome = verdict
            if verdict == "correct" and corrected == predicted:
                outcome = "accept"  # "corrected" to what the model said: the model was right
            per_opd.setdefault(predicted or "", Counter())[outcome] += 1
        table = []
        for opd, counts in sorted(per_opd.items()):
            n = sum(counts.values())
            table.append(
                {
                    "opd": opd or None,
                    "n": n,
                    **{v: counts.get(v, 0) for v in VERDICTS},
                    "acceptance_rate": _rate(counts.get("accept", 0), n),
                    "correction_rate": _rate(counts.get("correct", 0), n),
                }
            )
        overall = Counter(v for v, *_ in verdicts)
        return {
            "complaints_with_feedback": len(verdicts),
            "verdicts": {v: overall.get(v, 0) for v in VERDICTS},
            "per_opd": table,
        }

    def _drift(self, labels: list[str]) -> dict[str, Any]:
        model = self._model()
        if model is None:
            return {"model_version": None, "note": "no model loaded"}
        training, source = self._training(model)
        p, q = _shares(Counter(labels)), _shares(training)
        per_opd = [
            {
                "opd": code,
                "feedback_share": round(p.get(code, 0.0), 4),
                "training_share": round(q.get(code, 0.0), 4),
                "delta": round(p.get(code, 0.0) - q.get(code, 0.0), 4),
            }
            for code in sorted(set(p) | set(q))
        ]
        return {
            "model_version": model.version,
            "training_source": source,
            "feedback_labels": len(labels),
            "total_variation": total_variation(p, q) if p else None,
            "per_opd": per_opd,
        }

    @staticmethod
    def _training(model: LoadedModel) -> tuple[Counter[str], str]:
        """Per-OPD counts of the model's base training rows, as its metadata records them.

        Models written before the counts were recorded fall back to equal shares over their
        labels: the training file is never read while serving.
        """
        counts = model.metadata.get("base_opd_counts")
        if counts:
            return Counter(counts), "base training data"
        labels = model.metadata.get("labels")
        codes = labels["opd"] if labels else []
        return Counter({str(c): 1 for c in codes}), "uniform over the model's labels"
