"""Shared bits of the routers: error responses for the OpenAPI document, JSON answers."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from pydantic import BaseModel

from lapor_nlp.api.schemas import ErrorOut

AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Kunci API tidak ada, tidak dikenal atau dicabut"},
    403: {"model": ErrorOut, "description": "Peran kunci API tidak cukup"},
}
INPUT_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Badan permintaan bukan UTF-8"},
    413: {"model": ErrorOut, "description": "Badan permintaan terlalu besar"},
    422: {"model": ErrorOut, "description": "Isian tidak valid (nama isian dan masalahnya)"},
}
UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorOut, "description": "Model belum dimuat"},
}


def json_response(model: BaseModel, status_code: int = 200) -> Response:
    """Serialise a response schema directly (skips FastAPI's second validation pass)."""
    return Response(
        content=model.model_dump_json(), status_code=status_code, media_type="application/json"
    )
