"""Prometheus metrics of the HTTP service.

Each app gets its own :class:`~prometheus_client.CollectorRegistry`. With several uvicorn
workers every worker process keeps its own counters, and ``GET /metrics`` answers with the
numbers of whichever worker took that request: scrape per process (one worker per
instance) or aggregate knowing that each scrape is one worker's view.
"""

from __future__ import annotations

import math
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)


def _or_nan(value: float | None) -> float:
    return math.nan if value is None else float(value)


LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class ServiceMetrics:
    """The counters, histograms and gauges the service updates."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "lapor_http_requests_total",
            "HTTP requests by method, path template and status code",
            ["method", "path", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "lapor_http_request_duration_seconds",
            "HTTP request latency by method and path template",
            ["method", "path"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.decisions = Counter(
            "lapor_route_decisions_total",
            "Routing decisions by kind",
            ["decision"],
            registry=self.registry,
        )
        self.errors = Counter(
            "lapor_errors_total",
            "Unexpected server errors (answered 500) by exception type",
            ["kind"],
            registry=self.registry,
        )
        self.batch_size = Histogram(
            "lapor_route_batch_size",
            "Single routings served together in one micro-batch (one model call)",
            buckets=(1, 2, 4, 8, 16, 32, 64),
            registry=self.registry,
        )
        self.active_model = Gauge(
            "lapor_active_model_info",
            "The model version this process routes with (value 1)",
            ["version"],
            registry=self.registry,
        )
        for decision in ("auto", "review", "needs_info"):
            self.decisions.labels(decision)
        self._guard_gauges()

    def _guard_gauges(self) -> None:
        # Read from the database at each scrape: the same numbers on every replica.
        def gauge(name: str, text: str, labels: tuple[str, ...] = ()) -> Gauge:
            return Gauge(name, text, list(labels), registry=self.registry)

        self.guard_state = gauge(
            "lapor_auto_guard_state",
            "The auto-route guard's state for the active model (value 1)",
            ("model_version", "state"),
        )
        self.guard_audited = gauge(
            "lapor_auto_audited", "Audited auto routings with a verdict, under the rule in force"
        )
        self.guard_correct = gauge(
            "lapor_auto_audited_correct", "Of those, how many the operator found right"
        )
        self.guard_precision = gauge(
            "lapor_auto_live_precision", "Live precision of auto (audited verdicts)"
        )
        self.guard_lower_bound = gauge(
            "lapor_auto_live_precision_lower_bound", "Wilson 95% lower bound of the live precision"
        )
        self.guard_opd_precision = gauge(
            "lapor_auto_live_precision_opd", "Live precision of auto per top OPD", ("opd",)
        )
        self.guard_threshold = gauge("lapor_auto_threshold", "Auto-route threshold in force")
        self.guard_margin = gauge("lapor_auto_margin", "Auto-route margin in force")
        self.guard_target = gauge("lapor_auto_target_precision", "The precision auto promises")

    def set_guard(self, status: dict[str, Any]) -> None:
        """Copy the guard's status (``GuardStatus.as_dict()``) into the gauges."""
        self.guard_state.clear()
        self.guard_state.labels(status["model_version"], status["state"]).set(1)
        self.guard_audited.set(status["audited"])
        self.guard_correct.set(status["correct"])
        self.guard_precision.set(_or_nan(status["precision"]))
        self.guard_lower_bound.set(_or_nan(status["lower_bound"]))
        self.guard_opd_precision.clear()
        for row in status["per_opd"]:
            self.guard_opd_precision.labels(row["opd"]).set(_or_nan(row["precision"]))
        self.guard_threshold.set(status["threshold"])
        self.guard_margin.set(status["margin"])
        self.guard_target.set(status["target"])

    def observe_request(self, method: str, path: str, status: int, seconds: float) -> None:
        """Count one HTTP request and record its duration."""
        self.requests.labels(method, path, str(status)).inc()
        self.latency.labels(method, path).observe(seconds)

    def set_active_model(self, version: str) -> None:
        """Expose the version this process routes with."""
        self.active_model.clear()
        self.active_model.labels(version).set(1)

    def render(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)
