"""``GET /v1/complaints/{complaint_id}``: a stored complaint with its routings and feedback."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from lapor_nlp.api.deps import Context, OperatorKey
from lapor_nlp.api.routes.common import AUTH_ERRORS
from lapor_nlp.api.schemas import COMPLAINT_ID_PATTERN, ComplaintOut, ErrorOut

router = APIRouter(prefix="/v1", tags=["complaints"])


@router.get(
    "/complaints/{complaint_id}",
    response_model=ComplaintOut,
    responses={**AUTH_ERRORS, 404: {"model": ErrorOut, "description": "Pengaduan tidak ada"}},
    summary="Pengaduan tersimpan beserta riwayat pengarahan dan umpan balik",
)
def get_complaint(
    complaint_id: Annotated[str, Path(pattern=COMPLAINT_ID_PATTERN, description="ID pengaduan")],
    context: Context,
    _: OperatorKey,
) -> ComplaintOut:
    view = context.complaints.get(complaint_id)
    return ComplaintOut.model_validate(view, from_attributes=True)
