"""``POST /v1/route`` and ``POST /v1/route/batch``."""

from __future__ import annotations

import anyio.to_thread
from fastapi import APIRouter, Response

from lapor_nlp.api.deps import Context, IntakeKey
from lapor_nlp.api.routes.common import AUTH_ERRORS, INPUT_ERRORS, UNAVAILABLE, json_response
from lapor_nlp.api.schemas import (
    BatchIn,
    BatchOut,
    ErrorItem,
    ItemErrorOut,
    RouteFields,
    RouteIn,
    RouteOut,
)
from lapor_nlp.errors import DataValidationError
from lapor_nlp.service import RoutedComplaint, RouteRequest

router = APIRouter(prefix="/v1", tags=["routing"])


def to_request(body: RouteFields, default_top_k: int) -> RouteRequest:
    """A parsed body as the routing service's request (the default top-k filled in)."""
    return RouteRequest(
        text=body.text,
        title=body.title,
        complaint_id=body.complaint_id,
        channel=body.channel,
        top_k=body.top_k if body.top_k is not None else default_top_k,
        address=body.address,
        kecamatan=body.kecamatan,
        kelurahan=body.kelurahan,
    )


def to_out(result: RoutedComplaint) -> RouteOut:
    """A routing result as the response body."""
    return RouteOut.model_validate(result, from_attributes=True)


@router.post(
    "/route",
    response_model=RouteOut,
    responses={**AUTH_ERRORS, **INPUT_ERRORS, **UNAVAILABLE},
    summary="Arahkan satu pengaduan ke OPD dan kategori",
    description=(
        "Mengembalikan OPD dan kategori teratas beserta keyakinan, keputusan "
        "(`auto`, `review`, `needs_info`) dan kata-kata yang paling berpengaruh. "
        "Pengaduan disimpan dengan data pribadi disamarkan."
    ),
)
async def route_one(body: RouteIn, context: Context, _: IntakeKey) -> Response:
    request = to_request(body, context.settings.default_top_k)
    context.routing.check([request])
    result = await context.batcher.submit(request)
    context.metrics.decisions.labels(result.decision).inc()
    return json_response(to_out(result))


@router.post(
    "/route/batch",
    response_model=BatchOut,
    responses={**AUTH_ERRORS, **INPUT_ERRORS, **UNAVAILABLE},
    summary="Arahkan banyak pengaduan sekaligus (maks. LAPOR_MAX_BATCH_ITEMS, bawaan 1.000)",
    description=(
        "Hasil dalam urutan yang sama dengan `items`: pengarahan tiap butir, atau "
        "`{index, error}` untuk butir yang tidak dapat diarahkan (mis. teks kosong); butir lain "
        "tetap diarahkan. Semua yang diarahkan disimpan dalam satu transaksi."
    ),
)
async def route_batch(body: BatchIn, context: Context, _: IntakeKey) -> Response:
    limit = context.settings.max_batch_items
    if len(body.items) > limit:
        raise DataValidationError(
            f"items: at most {limit} items in one batch, got {len(body.items)}"
        )
    requests = [to_request(item, context.settings.default_top_k) for item in body.items]
    problems = context.routing.problems(requests)
    routable = [r for r, problem in zip(requests, problems, strict=True) if problem is None]
    routed = iter(
        await anyio.to_thread.run_sync(context.routing.route, routable) if routable else []
    )
    results: list[RouteOut | ItemErrorOut] = []
    for index, problem in enumerate(problems):
        if problem is None:
            result = next(routed)
            context.metrics.decisions.labels(result.decision).inc()
            results.append(to_out(result))
        else:
            field = f"items.{index}.{problem.field}"
            results.append(
                ItemErrorOut(index=index, error=ErrorItem(field=field, problem=problem.problem))
            )
    return json_response(BatchOut(results=results))
