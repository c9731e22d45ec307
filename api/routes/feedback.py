"""Operators' feedback: ``POST /v1/complaints/{id}/feedback``, ``GET /v1/review-queue``,
``GET /v1/feedback/export``."""

from __future__ import annotations

import io
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Response

from lapor_nlp.api.deps import Context, MaintainerKey, OperatorKey
from lapor_nlp.api.feedback_schemas import (
    CODE_PATTERN,
    IDEMPOTENCY_KEY_PATTERN,
    FeedbackCreatedOut,
    FeedbackIn,
    ReviewQueueOut,
)
from lapor_nlp.api.routes.common import AUTH_ERRORS, INPUT_ERRORS, json_response
from lapor_nlp.api.schemas import COMPLAINT_ID_PATTERN, ErrorOut
from lapor_nlp.errors import DataValidationError
from lapor_nlp.service.feedback import FeedbackInput

router = APIRouter(prefix="/v1", tags=["feedback"])

# A date, or a date and time, in ISO 8601: a bare number (a Unix time?) is refused.
ISO_TIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$"
)


def parse_since(value: str | None) -> datetime | None:
    """``since`` as an aware datetime (UTC when no zone); DataValidationError when invalid."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise DataValidationError(f"since: not a valid ISO 8601 date or time: {value!r}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Pengaduan tidak ada"}
}
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorOut, "description": "Idempotency-Key sudah dipakai untuk permintaan lain"}
}


@router.post(
    "/complaints/{complaint_id}/feedback",
    status_code=201,
    response_model=FeedbackCreatedOut,
    responses={**AUTH_ERRORS, **INPUT_ERRORS, **NOT_FOUND, **CONFLICT},
    summary="Umpan balik operator atas pengarahan sebuah pengaduan",
    description=(
        "Verdict `accept`/`correct` (wajib `opd`), `recategorize` (OPD model, kategori lain; "
        "wajib `category`), `not_authority` (bukan wewenang provinsi) atau `incomplete` (perlu "
        "informasi tambahan). Verdict baru menggantikan yang terakhir (keduanya tetap di "
        "riwayat). Operator selalu pemilik kunci API. Dengan header `Idempotency-Key`, "
        "pengiriman ulang mengembalikan hasil pertama tanpa catatan kedua."
    ),
)
def submit_feedback(
    complaint_id: Annotated[str, Path(pattern=COMPLAINT_ID_PATTERN, description="ID pengaduan")],
    body: FeedbackIn,
    context: Context,
    principal: OperatorKey,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            pattern=IDEMPOTENCY_KEY_PATTERN,
            description="Kunci unik per umpan balik; ulangi kunci yang sama saat mencoba lagi",
        ),
    ] = None,
) -> Response:
    item = FeedbackInput(
        verdict=body.verdict,
        opd=body.opd,
        category=body.category,
        note=body.note,
        supersedes=body.supersedes,
    )
    result = context.feedback.submit(
        complaint_id,
        item,
        actor=principal.actor,
        operator=principal.name,
        idempotency_key=idempotency_key,
        idempotency_scope=str(principal.key_id),
    )
    response = json_response(FeedbackCreatedOut.model_validate(result.record.as_dict()), 201)
    if not result.created:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@router.post(
    "/feedback/{feedback_id}/undo",
    status_code=201,
    response_model=FeedbackCreatedOut,
    responses={**AUTH_ERRORS, **INPUT_ERRORS, **NOT_FOUND, **CONFLICT},
    summary="Batalkan umpan balik yang baru diberikan (kunci yang sama, dalam jendela waktu)",
)
def undo_feedback(
    feedback_id: Annotated[int, Path(ge=1, le=2**62, description="ID umpan balik")],
    context: Context,
    principal: OperatorKey,
) -> Response:
    record = context.feedback.undo(
        feedback_id,
        actor=principal.actor,
        operator=principal.name,
        window_seconds=context.settings.undo_seconds,
    )
    return json_response(FeedbackCreatedOut.model_validate(record.as_dict()), 201)


@router.get(
    "/review-queue",
    response_model=ReviewQueueOut,
    responses={**AUTH_ERRORS, **INPUT_ERRORS},
    summary="Antrean tinjauan: pengaduan tanpa umpan balik, yang paling tidak yakin dahulu",
)
def review_queue(
    context: Context,
    _: OperatorKey,
    limit: Annotated[int, Query(ge=1, le=500, description="Jumlah maksimum")] = 50,
    opd: Annotated[
        str | None, Query(pattern=CODE_PATTERN, description="Hanya OPD teratas ini")
    ] = None,
    decision: Annotated[
        Literal["auto", "review", "needs_info"] | None, Query(description="Hanya keputusan ini")
    ] = None,
    audit: Annotated[
        bool | None,
        Query(description="true: hanya butir audit (sampel pengarahan auto); false: selain itu"),
    ] = None,
    needs_decision: Annotated[
        bool,
        Query(
            description="true: hanya yang perlu keputusan (review dan needs_info dahulu, lalu "
            "audit); pengarahan auto yang tidak diaudit tidak ikut"
        ),
    ] = False,
) -> Response:
    items = context.review.items(
        limit=limit, opd=opd, decision=decision, audit=audit, needs_decision=needs_decision
    )
    body = ReviewQueueOut.model_validate(
        {"items": [asdict(item) for item in items], "count": len(items)}
    )
    return json_response(body)


@router.get(
    "/feedback/export",
    responses={
        **AUTH_ERRORS,
        **INPUT_ERRORS,
        200: {"content": {"text/csv": {}}, "description": "CSV, satu baris per umpan balik"},
    },
    response_class=Response,
    summary="Ekspor umpan balik (CSV, teks disamarkan)",
)
def export_feedback(
    context: Context,
    _: MaintainerKey,
    since: Annotated[
        str | None,
        Query(
            pattern=ISO_TIME_PATTERN,
            description="Hanya sejak waktu ini (ISO 8601, mis. 2026-11-01 atau "
            "2026-11-01T08:00:00+08:00; tanpa zona = UTC)",
        ),
    ] = None,
) -> Response:
    buffer = io.StringIO()
    context.feedback.export_csv(buffer, since=parse_since(since))
    return Response(
        content=buffer.getvalue().encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="feedback.csv"'},
    )
