"""``POST /v1/route`` and ``POST /v1/route/batch``."""

from __future__ import annotations

import anyio.to_thread
from fastapi import APIRouter, Response

from api.deps import Context, IntakeKey
from api.routes.common import AUTH_ERRORS, INPUT_ERRORS, UNAVAILABLE, json_response
from api.schemas import BatchIn, BatchOut, RouteIn, RouteOut
from lapor_nlp.service import RoutedComplaint, RouteRequest

router = APIRouter(prefix="/v1", tags=["routing"])


def to_request(body: RouteIn, default_top_k: int) -> RouteRequest:
    """A parsed body as the routing service's request (the default top-k filled in)."""
    return RouteRequest(
        text=body.text,
        title=body.title,
        complaint_id=body.complaint_id,
        channel=body.channel,
        top_k=body.top_k if body.top_k is not None else default_top_k,
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
    summary="Arahkan banyak pengaduan sekaligus (maks. 1.000)",
    description="Hasil dalam urutan yang sama dengan `items`; semua disimpan dalam satu transaksi.",
)
async def route_batch(body: BatchIn, context: Context, _: IntakeKey) -> Response:
    requests = [to_request(item, context.settings.default_top_k) for item in body.items]
    context.routing.check(requests)
    results = await anyio.to_thread.run_sync(context.routing.route, requests)
    for result in results:
        context.metrics.decisions.labels(result.decision).inc()
    return json_response(BatchOut(results=[to_out(r) for r in results]))
