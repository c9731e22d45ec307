"""``GET /v1/complaints/{complaint_id}``: a stored complaint with its routings and feedback."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from api.deps import Context, OperatorKey
from api.routes.common import AUTH_ERRORS
from api.schemas import COMPLAINT_ID_PATTERN, ComplaintOut, ErrorOut, FeedbackOut, PredictionOut
from lapor_nlp.errors import NotFoundError
from lapor_nlp.service.feedback import record_of
from lapor_nlp.store import repository as repo
from lapor_nlp.store.models import Complaint
from lapor_nlp.taxonomy import Taxonomy

router = APIRouter(prefix="/v1", tags=["complaints"])


def _scores(stored: list[Any], name_of: Any) -> list[dict[str, Any]]:
    return [
        {"code": s["code"], "name": name_of(s["code"]), "confidence": s["confidence"]}
        for s in stored
    ]


def complaint_out(complaint: Complaint, taxonomy: Taxonomy) -> ComplaintOut:
    predictions = [
        PredictionOut.model_validate(
            {
                "model_version": p.model_version,
                "decision": p.decision,
                "opd": _scores(p.opd, taxonomy.opd_name),
                "category": _scores(p.category, taxonomy.category_name),
                "explanation": p.explanation,
                "created_at": p.created_at,
            }
        )
        for p in complaint.predictions
    ]
    feedback = [FeedbackOut.model_validate(record_of(f).as_dict()) for f in complaint.feedback]
    return ComplaintOut(
        complaint_id=complaint.id,
        text=complaint.text,
        title=complaint.title,
        channel=complaint.channel,
        created_at=complaint.created_at,
        updated_at=complaint.updated_at,
        predictions=predictions,
        feedback=feedback,
    )


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
    with context.store.read() as session:
        complaint = repo.get_complaint(session, complaint_id)
        if complaint is None:
            raise NotFoundError(f"no complaint with id {complaint_id!r}")
        return complaint_out(complaint, context.taxonomy)
