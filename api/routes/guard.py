"""The auto-route guard of the active model: ``GET`` and ``POST /v1/models/active/guard``."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from fastapi import APIRouter

from lapor_nlp.api.deps import Context, MaintainerKey, OperatorKey
from lapor_nlp.api.guard_schemas import AutoGuardOut, GuardChangeIn
from lapor_nlp.api.routes.common import AUTH_ERRORS, INPUT_ERRORS
from lapor_nlp.api.schemas import ErrorOut
from lapor_nlp.service.context import ServiceContext
from lapor_nlp.service.guard import require_version

router = APIRouter(prefix="/v1", tags=["catalog"])

NO_MODEL: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Belum ada model aktif"}
}


def _status(context: ServiceContext) -> AutoGuardOut:
    version = require_version(context.catalog.active_version())
    return AutoGuardOut.model_validate(context.guard.status(version).as_dict())


@router.get(
    "/models/active/guard",
    response_model=AutoGuardOut,
    responses={**AUTH_ERRORS, **NO_MODEL},
    summary="Penjaga auto-routing model aktif: status dan presisi auto yang diukur dari audit",
)
def guard_status(context: Context, _: OperatorKey) -> AutoGuardOut:
    return _status(context)


@router.post(
    "/models/active/guard",
    response_model=AutoGuardOut,
    responses={**AUTH_ERRORS, **INPUT_ERRORS, **NO_MODEL},
    summary="Atur status penjaga auto-routing (maintainer); semua replika mengikuti",
    description=(
        "`shadow`/`off`: setiap calon `auto` dijawab `review` dan diaudit; `on`: aturan model "
        "sendiri; `tightened`: pakai `threshold` (dan `margin`) yang lebih ketat. Perubahan "
        "dicatat di log audit beserta alasannya; replika lain mengikuti dalam "
        "`LAPOR_MODEL_POLL_SECONDS`."
    ),
)
async def set_guard(
    body: GuardChangeIn, context: Context, principal: MaintainerKey
) -> AutoGuardOut:
    def change() -> AutoGuardOut:
        version = require_version(context.catalog.active_version())
        context.guard.set_state(
            version,
            body.state,
            actor=principal.actor,
            reason=body.reason,
            threshold=body.threshold,
            margin=body.margin,
        )
        return _status(context)

    return await anyio.to_thread.run_sync(change)
