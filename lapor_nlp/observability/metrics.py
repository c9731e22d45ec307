"""Prometheus metrics of the HTTP service.

Each app gets its own :class:`~prometheus_client.CollectorRegistry`. With several uvicorn
workers every worker process keeps its own counters, and ``GET /metrics`` answers with the
numbers of whichever worker took that request: scrape per process (one worker per
instance) or aggregate knowing that each scrape is one worker's view.
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

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
