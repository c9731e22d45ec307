"""The one place where errors become HTTP answers.

Every error body is ``{"detail": str, "request_id": str, "errors"?: [{"field", "problem"}]}``.
Nothing the client sent is echoed: validation errors name the field and the problem only, and
every message passes through personal-data masking.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from lapor_nlp.api.console.messages import indonesian
from lapor_nlp.errors import (
    ConflictError,
    DatabaseUnavailableError,
    DataValidationError,
    LaporError,
    ModelIntegrityError,
    ModelNotFoundError,
    ModelUnavailableError,
    NotFoundError,
)
from lapor_nlp.observability import request_id_var
from lapor_nlp.service.masking import mask
from lapor_nlp.store import DATABASE_ERRORS, database_unavailable

logger = logging.getLogger(__name__)

# Most specific first: the first matching class decides the status.
DOMAIN_STATUS: tuple[tuple[type[LaporError], int], ...] = (
    (DatabaseUnavailableError, 503),
    (ModelUnavailableError, 503),
    (ModelIntegrityError, 503),
    (ModelNotFoundError, 404),
    (NotFoundError, 404),
    (ConflictError, 409),
    (DataValidationError, 422),
)

RETRY_AFTER_SECONDS = 5
"""The retry hint (``Retry-After``) of every 503."""
DATABASE_UNAVAILABLE = (
    "database unavailable: it refused the connection, did not answer in time or has no free "
    "connection; retry later"
)

_LONG_DIGITS = re.compile(r"[0-9]{5,}")
_PROBLEM_REWRITES = {"Value error, ": "", "Assertion failed, ": ""}


# An absolute filesystem path (not an API path such as /v1/route): servers' paths stay private.
_FILE_PATH = re.compile(r"(?<![\w:/.])/(?!v1/|console/)[\w.\-]+(?:/[\w.\-]*)+")


def public_text(text: str) -> str:
    """``text`` fit for an answer: personal data masked, filesystem paths replaced."""
    return _FILE_PATH.sub("[path]", mask(text))


def error_body(detail: str, *, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """The JSON error body: masked detail, request id, and the field errors when given."""
    body: dict[str, Any] = {"detail": public_text(detail), "request_id": request_id_var.get()}
    if errors is not None:
        body["errors"] = errors
    return body


def _safe_name(part: object) -> str:
    """A field name as given by the client, masked, long digit runs hidden, cut to 64 chars."""
    name = _LONG_DIGITS.sub("[ANGKA]", mask(str(part)))
    return name if len(name) <= 64 else name[:61] + "..."


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [_safe_name(part) for part in loc]
    if parts and parts[0] in {"body", "query", "path", "header"} and len(parts) > 1:
        parts = parts[1:] if parts[0] == "body" else parts
    if len(parts) == 1 and parts[0] == "body":
        return "body"
    return ".".join(parts)


def _problem(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "json_invalid":
        reason = (error.get("ctx") or {}).get("error", "invalid JSON")
        return f"the body is not valid JSON ({reason})"
    if kind == "missing":
        return "field required"
    if kind == "extra_forbidden":
        return "unknown field (not allowed)"
    message = str(error.get("msg", kind))
    for prefix, replacement in _PROBLEM_REWRITES.items():
        if message.startswith(prefix):
            message = replacement + message[len(prefix) :]
    return mask(message)


def validation_problems(exc: RequestValidationError) -> list[dict[str, str]]:
    """``[{"field", "problem"}]`` for each error, without the rejected input."""
    problems = []
    for error in exc.errors():
        loc = error.get("loc", ())
        if error.get("type") == "json_invalid":
            loc = ("body",)
        problems.append({"field": _field(loc), "problem": _problem(error)})
    return problems


def _for_reader(
    request: Request, status: int, body: dict[str, Any], *, known_only: bool = False
) -> dict[str, Any]:
    """The console's JSON errors are read by operators: their detail is said in Indonesian."""
    if request.url.path.startswith("/console/"):
        body["detail"] = indonesian(str(body["detail"]), status, known_only=known_only)
    return body


async def _validation_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = validation_problems(exc)
    summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems[:5])
    if len(problems) > 5:
        summary += f"; and {len(problems) - 5} more"
    body = _for_reader(request, 422, error_body(summary, errors=problems))
    return JSONResponse(status_code=422, content=body)


async def _http_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return JSONResponse(
        status_code=exc.status_code,
        content=_for_reader(request, exc.status_code, error_body(str(exc.detail)), known_only=True),
        headers=getattr(exc, "headers", None),
    )


def domain_status(exc: LaporError) -> int:
    """The HTTP status of a domain error (the first matching class of ``DOMAIN_STATUS``)."""
    for kind, status in DOMAIN_STATUS:
        if isinstance(exc, kind):
            return status
    return 400


async def _domain_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LaporError)
    status = domain_status(exc)
    if status >= 500:
        logger.warning("answering %d: %s", status, exc)
    body = _for_reader(request, status, error_body(str(exc)))
    # Some errors carry fields for the client, e.g. the id of the job that blocks a new one.
    extra = getattr(exc, "fields", None)
    if isinstance(extra, dict):
        body.update({k: v for k, v in extra.items() if k not in body})
    return JSONResponse(status_code=status, content=body, headers=_retry_hint(status))


def _retry_hint(status: int) -> dict[str, str] | None:
    return {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else None


def unavailable_response() -> JSONResponse:
    """503 for a database that cannot be used now, with the retry hint."""
    return JSONResponse(
        status_code=503, content=error_body(DATABASE_UNAVAILABLE), headers=_retry_hint(503)
    )


async def _database_handler(_: Request, exc: Exception) -> JSONResponse:
    if not database_unavailable(exc):
        raise exc  # a broken schema or query: the middleware answers 500 and logs it
    # The driver's message names hosts and ports: it goes to the log, not to the client.
    logger.warning("answering 503, database error: %s", _one_line(exc))
    return unavailable_response()


def _one_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {lines[0] if lines else ''}"


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers; unexpected errors are answered by the request middleware."""
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(HTTPException, _http_handler)
    app.add_exception_handler(LaporError, _domain_handler)
    for kind in DATABASE_ERRORS:
        app.add_exception_handler(kind, _database_handler)
