"""``GET /v1/stats``: volumes, decision rates, acceptance per OPD, label drift."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from lapor_nlp.api.deps import Context, OperatorKey
from lapor_nlp.api.routes.common import AUTH_ERRORS, INPUT_ERRORS, json_response
from lapor_nlp.api.stats_schemas import StatsOut

router = APIRouter(prefix="/v1", tags=["feedback"])


@router.get(
    "/stats",
    response_model=StatsOut,
    responses={**AUTH_ERRORS, **INPUT_ERRORS},
    summary="Statistik: pengaduan per OPD per hari, tingkat keputusan, akurasi menurut operator",
    description=(
        "Pengaduan per OPD teratas per hari (UTC) dan tingkat `auto`/`review`/`needs_info` selama "
        "`days` hari terakhir; tingkat penerimaan dan koreksi per OPD dan pergeseran distribusi "
        "label koreksi terhadap data latih model aktif (jarak variasi total) atas semua umpan "
        "balik."
    ),
)
def stats(
    context: Context,
    _: OperatorKey,
    days: Annotated[int, Query(ge=1, le=366, description="Jendela dalam hari")] = 30,
) -> Response:
    return json_response(StatsOut.model_validate(context.stats.compute(days=days)))
