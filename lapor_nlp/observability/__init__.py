"""Metrics and logging of the service."""

from lapor_nlp.observability.logging import configure_logging, request_id_var
from lapor_nlp.observability.metrics import ServiceMetrics

__all__ = ["ServiceMetrics", "configure_logging", "request_id_var"]
