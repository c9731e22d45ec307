"""Prometheus metrics of the HTTP service.

With one worker each app keeps its own :class:`~prometheus_client.CollectorRegistry`. With
several (``lapor-nlp serve --workers N``) the serve command sets ``PROMETHEUS_MULTIPROC_DIR``
(see :mod:`lapor_nlp.observability.multiprocess`): every worker writes its counters and
histograms there and ``GET /metrics`` answers with the sum over all workers, whichever
takes the scrape, plus the process metrics of each live worker (label ``pid``).

Gauges are not aggregated across workers: the guard's come from the database at each
scrape (the same in every worker), and the active model is the scraping worker's.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from lapor_nlp.service.feedback import VERDICTS

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
CONFIDENCE_BUCKETS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 1.0)
JOB_OUTCOMES = ("succeeded", "failed")


def _or_nan(value: float | None) -> float:
    return math.nan if value is None else float(value)


def multiprocess_dir() -> Path | None:
    """The shared metrics folder of a multi-worker server, or None with one worker."""
    value = os.environ.get(MULTIPROC_ENV)
    return Path(value) if value else None


class ServiceMetrics:
    """The counters, histograms and gauges the service updates."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        shared = multiprocess_dir()
        # Multi-worker: values live in the shared folder and are rendered from there.
        own = None if shared else self.registry
        if shared:
            MultiProcessCollector(self.registry, path=str(shared))  # type: ignore[no-untyped-call]
            self.registry.register(WorkerProcessCollector(shared))
        else:
            ProcessCollector(registry=self.registry)

        def counter(name: str, text: str, labels: Sequence[str] = ()) -> Counter:
            return Counter(name, text, list(labels), registry=own)

        def histogram(
            name: str, text: str, buckets: Sequence[float], labels: Sequence[str] = ()
        ) -> Histogram:
            return Histogram(name, text, list(labels), buckets=buckets, registry=own)

        self.requests = counter(
            "lapor_http_requests_total",
            "HTTP requests by method, path template and status code",
            ("method", "path", "status"),
        )
        self.latency = histogram(
            "lapor_http_request_duration_seconds",
            "HTTP request latency by method and path template",
            LATENCY_BUCKETS,
            ("method", "path"),
        )
        self.decisions = counter(
            "lapor_route_decisions_total", "Routing decisions by kind", ("decision",)
        )
        self.errors = counter(
            "lapor_errors_total",
            "Unexpected server errors (answered 500) by exception type",
            ("kind",),
        )
        self.batch_size = histogram(
            "lapor_route_batch_size",
            "Single routings served together in one micro-batch (one model call)",
            (1, 2, 4, 8, 16, 32, 64),
        )
        self.model_latency = histogram(
            "lapor_model_latency_seconds",
            "Duration of one model call (preprocessing and all heads) for a batch of texts",
            LATENCY_BUCKETS,
        )
        self.top1_confidence = histogram(
            "lapor_route_top1_confidence",
            "Confidence of the first OPD of each routed complaint (falls when inputs drift)",
            CONFIDENCE_BUCKETS,
        )
        self.feedback = counter(
            "lapor_feedback_total", "Operators' verdicts stored, by verdict", ("verdict",)
        )
        self.retrain_jobs = counter(
            "lapor_retrain_jobs_total",
            "Retraining jobs started by this service that ended, by outcome",
            ("outcome",),
        )
        for decision in ("auto", "review", "needs_info"):
            self.decisions.labels(decision)
        for verdict in VERDICTS:
            self.feedback.labels(verdict)
        for outcome in JOB_OUTCOMES:
            self.retrain_jobs.labels(outcome)
        self.gauges = ServiceGauges()
        self.registry.register(self.gauges)

    def set_ready(self, ready: bool) -> None:
        """Whether ``/readyz`` would answer 200 (checked at each scrape)."""
        self.gauges.ready = ready

    def set_guard(self, status: dict[str, Any]) -> None:
        """Copy the guard's status (``GuardStatus.as_dict()``) into the gauges."""
        self.gauges.guard = dict(status)

    def observe_request(self, method: str, path: str, status: int, seconds: float) -> None:
        """Count one HTTP request and record its duration."""
        self.requests.labels(method, path, str(status)).inc()
        self.latency.labels(method, path).observe(seconds)

    def observe_model_call(self, seconds: float, top1_confidences: Iterable[float]) -> None:
        """Record one model call and the first-choice confidence of each text it routed."""
        self.model_latency.observe(seconds)
        for confidence in top1_confidences:
            self.top1_confidence.observe(confidence)

    def set_active_model(self, version: str) -> None:
        """Expose the version this process routes with."""
        self.gauges.version = version

    def render(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)


class ServiceGauges(Collector):
    """Gauges computed at each scrape: never stored in the shared folder, so a stale value of
    a dead worker or a former label (an old model version, a left guard state) cannot linger."""

    def __init__(self) -> None:
        self.version: str | None = None
        self.guard: dict[str, Any] | None = None
        self.ready: bool | None = None

    def collect(self) -> Iterator[Metric]:
        if self.ready is not None:
            yield GaugeMetricFamily(
                "lapor_ready",
                "1 when the service is ready (model loaded, database answering), as /readyz",
                value=1.0 if self.ready else 0.0,
            )
        active = GaugeMetricFamily(
            "lapor_active_model_info",
            "The model version this process routes with (value 1)",
            labels=["version"],
        )
        if self.version is not None:
            active.add_metric([self.version], 1)
        yield active
        if self.guard is not None:
            yield from _guard_families(self.guard)


def _guard_families(status: dict[str, Any]) -> Iterator[Metric]:
    # Read from the database at each scrape: the same numbers on every replica.
    state = GaugeMetricFamily(
        "lapor_auto_guard_state",
        "The auto-route guard's state for the active model (value 1)",
        labels=["model_version", "state"],
    )
    state.add_metric([status["model_version"], status["state"]], 1)
    yield state
    plain = (
        ("lapor_auto_audited", "Audited auto routings with a verdict, under the rule in force",
         status["audited"]),
        ("lapor_auto_audited_correct", "Of those, how many the operator found right",
         status["correct"]),
        ("lapor_auto_live_precision", "Live precision of auto (audited verdicts)",
         _or_nan(status["precision"])),
        ("lapor_auto_live_precision_lower_bound", "Wilson 95% lower bound of the live precision",
         _or_nan(status["lower_bound"])),
        ("lapor_auto_threshold", "Auto-route threshold in force", status["threshold"]),
        ("lapor_auto_margin", "Auto-route margin in force", status["margin"]),
        ("lapor_auto_target_precision", "The precision auto promises", status["target"]),
    )  # fmt: skip
    for name, text, value in plain:
        yield GaugeMetricFamily(name, text, value=float(value))
    per_opd = GaugeMetricFamily(
        "lapor_auto_live_precision_opd", "Live precision of auto per top OPD", labels=["opd"]
    )
    for row in status["per_opd"]:
        per_opd.add_metric([row["opd"]], _or_nan(row["precision"]))
    yield per_opd


class WorkerProcessCollector(Collector):
    """``process_*`` metrics of every live worker that writes to the shared folder, each
    sample labelled with the worker's ``pid`` (prometheus_client gives none in this mode)."""

    def __init__(self, shared: Path) -> None:
        self.shared = shared

    def pids(self) -> list[int]:
        """Live processes with a file in the shared folder (``<kind>_<pid>.db``)."""
        found = set()
        for path in self.shared.glob("*.db"):
            tail = path.stem.rsplit("_", 1)[-1]
            if tail.isdigit() and Path(f"/proc/{tail}").exists():
                found.add(int(tail))
        return sorted(found)

    def collect(self) -> Iterator[Metric]:
        merged: dict[str, Metric] = {}
        for pid in self.pids():
            collector = ProcessCollector(pid=_fixed(pid), registry=None)
            for family in collector.collect():
                into = merged.setdefault(
                    family.name, Metric(family.name, family.documentation, family.type)
                )
                for sample in family.samples:
                    into.add_sample(sample.name, {**sample.labels, "pid": str(pid)}, sample.value)
        yield from merged.values()


def _fixed(pid: int) -> Any:
    return lambda: pid
