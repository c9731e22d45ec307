"""Logging set-up: one line per record, personal data masked in everything written.

The request id of the request being served travels in a context variable and is added to
every record logged while serving it.
"""

from __future__ import annotations

import contextvars
import logging
import sys

from lapor_nlp.text import mask_personal_data

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` from the current request's context."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Stamp the record with the current request id (``-`` outside a request)."""
        record.request_id = request_id_var.get()
        return True


class MaskingFormatter(logging.Formatter):
    """Formats a record, tracebacks included, then masks personal data in the result."""

    def format(self, record: logging.LogRecord) -> str:
        """The formatted record with personal data masked."""
        formatted = super().format(record)
        try:
            return mask_personal_data(formatted)
        except Exception:  # masking must never lose a log line; drop digits instead
            return "".join("#" if ch.isdigit() else ch for ch in formatted)


def configure_logging(level: str = "INFO") -> None:
    """Send the root logger (and uvicorn's) to stderr through the masking formatter."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(MaskingFormatter(FORMAT))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
