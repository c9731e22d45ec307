"""Retraining: ``POST /v1/retrain`` and ``GET /v1/jobs/{job_id}``."""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Path, Response

from lapor_nlp.api.deps import Context, MaintainerKey
from lapor_nlp.api.job_schemas import JOB_ID_PATTERN, JobCreatedOut, JobOut
from lapor_nlp.api.routes.common import AUTH_ERRORS, json_response
from lapor_nlp.api.schemas import ErrorOut

router = APIRouter(prefix="/v1", tags=["retraining"])


@router.post(
    "/retrain",
    status_code=202,
    response_model=JobCreatedOut,
    responses={
        **AUTH_ERRORS,
        409: {"model": ErrorOut, "description": "Pelatihan ulang lain sedang berjalan (job_id)"},
    },
    summary="Latih ulang model dengan umpan balik operator (di proses terpisah)",
    description=(
        "Membuat kandidat baru dari data latih model aktif ditambah umpan balik `accept`/"
        "`correct`. Kandidat tidak diaktifkan otomatis kecuali `LAPOR_AUTO_PROMOTE=true` dan "
        "kandidat tidak lebih buruk. Pantau lewat `GET /v1/jobs/{job_id}`."
    ),
)
async def start_retrain(context: Context, principal: MaintainerKey) -> Response:
    view = await anyio.to_thread.run_sync(lambda: context.jobs.start(actor=principal.actor))
    response = json_response(JobCreatedOut(job_id=view.job_id, status="queued"), 202)
    response.headers["Location"] = f"/v1/jobs/{view.job_id}"
    return response


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    responses={**AUTH_ERRORS, 404: {"model": ErrorOut, "description": "Job tidak ada"}},
    summary="Status pelatihan ulang (queued, running, succeeded, failed) dan laporannya",
)
def get_job(
    job_id: Annotated[str, Path(pattern=JOB_ID_PATTERN, description="ID job")],
    context: Context,
    _: MaintainerKey,
) -> Response:
    return json_response(JobOut.model_validate(context.jobs.get(job_id).as_dict()))
