"""The OpenAPI document, made to say what the service really answers.

FastAPI documents FastAPI's own 422 body and knows nothing of the answers that come from the
middleware (400, 413, and 503 when the database cannot be used). :func:`install_openapi`
rewrites the generated document once: every 422 is the service's ``ErrorOut``, every route
that reads a body may answer 400 and 413, and every route that uses the database (or checks a
key) may answer 503 with ``Retry-After``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from lapor_nlp.api.db_gate import uses_database

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
_JSON_ERROR = {"application/json": {"schema": ERROR_REF}}
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Detik sebelum mencoba lagi",
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    }
}
STANDARD_ERRORS: dict[str, dict[str, Any]] = {
    "400": {"description": "Badan permintaan bukan UTF-8 atau rusak", "content": _JSON_ERROR},
    "413": {"description": "Badan permintaan terlalu besar", "content": _JSON_ERROR},
    "422": {"description": "Isian tidak valid (nama isian dan masalahnya)", "content": _JSON_ERROR},
    "503": {
        "description": "Basis data atau model tidak tersedia; coba lagi nanti",
        "content": _JSON_ERROR,
        "headers": _RETRY_AFTER,
    },
}
_BODY_METHODS = {"post", "put", "patch", "delete"}


def service_document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document with the service's real error answers."""
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            responses: dict[str, Any] = operation.setdefault("responses", {})
            wanted = set()
            if "422" in responses or operation.get("parameters") or "requestBody" in operation:
                wanted.add("422")
            if method in _BODY_METHODS:
                wanted |= {"400", "413"}
            # A key is checked in the database, so any route behind a key may answer 503 too.
            if uses_database(path) or path == "/readyz" or operation.get("security"):
                wanted.add("503")
            for status in wanted:
                if status == "503" and path == "/readyz":
                    continue  # /readyz documents its own 503 body (ReadyOut)
                responses[status] = {**STANDARD_ERRORS[status], **_kept(responses.get(status))}
                responses[status]["content"] = _JSON_ERROR
    schemas = document.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document


def _kept(response: dict[str, Any] | None) -> dict[str, Any]:
    """A route's own description of a status is kept; its body is always ErrorOut."""
    if not response:
        return {}
    return {k: v for k, v in response.items() if k == "description"}


def install_openapi(app: FastAPI) -> None:
    """Serve :func:`service_document` (built on first request, then cached)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = service_document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
