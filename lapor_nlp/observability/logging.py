"""Logging set-up: one line per record, personal data masked in the free text it carries.

The request id of the request being served travels in a context variable and is added to
every record logged while serving it. Request ids are checked when a request arrives (no
personal data in them), so they are written as they are; in the message, identifiers the
service makes itself (model versions, hex ids, the server's own URLs) are kept and everything
else passes through the personal-data masking. ``LAPOR_LOG_FORMAT=json`` writes each record as
one JSON object.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any, Literal

from lapor_nlp.text import mask_personal_data

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"

# Identifiers the service itself writes into log messages: they are not personal data.
KEPT_IDENTIFIERS = re.compile(
    r"\b[0-9]{8}-[0-9]{6}-[0-9a-f]{4}\b"  # model versions made by training
    r"|\bkaltim-default-[0-9a-f]+\b"  # the bundled model's versions
    r"|\b[0-9a-f]{32}\b"  # request, job and complaint ids made by the service
    r"|\bhttps?://(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|localhost|\[[0-9a-fA-F:]*\])(?::[0-9]{1,5})?"
    r"(?:/[^\s\"']*)?"  # the server's own address (an IP literal or localhost)
)


def mask_message(text: str) -> str:
    """``text`` with personal data masked, except the identifiers in :data:`KEPT_IDENTIFIERS`."""
    try:
        pieces: list[str] = []
        end = 0
        for match in KEPT_IDENTIFIERS.finditer(text):
            pieces += [mask_personal_data(text[end : match.start()]), match.group(0)]
            end = match.end()
        pieces.append(mask_personal_data(text[end:]))
        return "".join(pieces)
    except Exception:  # masking must never lose a log line; drop digits instead
        return "".join("#" if ch.isdigit() else ch for ch in text)


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` from the current request's context."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Stamp the record with the current request id (``-`` outside a request)."""
        record.request_id = request_id_var.get()
        return True


def _masked_parts(record: logging.LogRecord, formatter: logging.Formatter) -> tuple[str, str]:
    message = mask_message(record.getMessage())
    details = ""
    if record.exc_info:
        details = formatter.formatException(record.exc_info)
    if record.stack_info:
        details += ("\n" if details else "") + formatter.formatStack(record.stack_info)
    return message, mask_message(details) if details else ""


class MaskingFormatter(logging.Formatter):
    """One text line per record (plus a traceback), free text masked, identifiers kept."""

    def format(self, record: logging.LogRecord) -> str:
        """One line (plus a traceback): free text masked, identifiers kept."""
        message, details = _masked_parts(record, self)
        record.message = message
        record.asctime = self.formatTime(record, self.datefmt)
        line = self.formatMessage(record)
        return f"{line}\n{details}" if details else line


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, request_id, message, and the HTTP
    fields of access lines; free text masked, identifiers kept."""

    def format(self, record: logging.LogRecord) -> str:
        message, details = _masked_parts(record, self)
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": message,
        }
        http = getattr(record, "http", None)
        if isinstance(http, dict):
            entry["http"] = http
        if details:
            entry["exception"] = details
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str = "INFO", log_format: Literal["text", "json"] = "text") -> None:
    """Send the root logger (and uvicorn's) to stderr through the masking formatter.

    uvicorn's own access log is switched off: the service writes one access line per
    request itself (``api.middleware``), with the request id.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else MaskingFormatter(FORMAT))
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
    logging.getLogger("uvicorn.access").disabled = True
    # Alembic announces each of its plugins at INFO on every start: noise, not events.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
