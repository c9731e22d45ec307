"""``/healthz``, ``/readyz`` and ``/metrics`` (no API key needed)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from api.errors import public_text
from api.schemas import HealthOut, ReadyOut
from lapor_nlp.service.context import ServiceContext

logger = logging.getLogger(__name__)

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=HealthOut, summary="Proses hidup")
async def healthz() -> Response:
    return Response(content=b'{"status":"ok"}', media_type="application/json")


@router.get(
    "/readyz",
    response_model=ReadyOut,
    responses={503: {"model": ReadyOut, "description": "Belum siap (alasan disebutkan)"}},
    summary="Model dimuat dan basis data terjangkau",
)
async def readyz(request: Request) -> JSONResponse:
    context: ServiceContext | None = getattr(request.app.state, "context", None)
    reasons: list[str] = []
    version = None
    if context is None:
        reasons.append("the service is still starting")
    else:
        if context.holder.loaded:
            version = context.holder.current.version
        else:
            reason = public_text(context.holder.last_error or "not loaded yet")
            reasons.append(f"no model loaded: {reason}")
        problem = await context.probe.problem()
        if problem is not None:
            reasons.append(problem)
    body = ReadyOut(
        status="unavailable" if reasons else "ready", model_version=version, reasons=reasons
    )
    return JSONResponse(status_code=503 if reasons else 200, content=body.model_dump())


@router.get(
    "/metrics",
    summary="Metrik Prometheus (per proses worker)",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
def metrics(request: Request) -> Response:
    """Prometheus metrics of this worker process (see ``lapor_nlp.observability.metrics``); the
    auto-route guard's gauges are read from the database, so every replica reports the same."""
    service_metrics = request.app.state.metrics
    context: ServiceContext | None = getattr(request.app.state, "context", None)
    if context is not None and context.holder.loaded:
        try:
            service_metrics.set_guard(
                context.guard.status(context.holder.current.version).as_dict()
            )
        except SQLAlchemyError as exc:  # the other metrics still answer
            logger.warning("auto guard metrics unavailable: %s", exc)
    return Response(content=service_metrics.render(), media_type=service_metrics.content_type)
