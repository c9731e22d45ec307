"""``/healthz``, ``/readyz`` and ``/metrics`` (no API key needed)."""

from __future__ import annotations

import logging

import anyio.to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from lapor_nlp.api.errors import public_text
from lapor_nlp.api.schemas import HealthOut, ReadyOut
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
    version, reasons = await _readiness(request)
    body = ReadyOut(
        status="unavailable" if reasons else "ready", model_version=version, reasons=reasons
    )
    return JSONResponse(status_code=503 if reasons else 200, content=body.model_dump())


async def _readiness(request: Request) -> tuple[str | None, list[str]]:
    """The loaded model version and what keeps the service from being ready (empty: ready)."""
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
    return version, reasons


@router.get(
    "/metrics",
    summary="Metrik Prometheus (semua proses worker)",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
async def metrics(request: Request) -> Response:
    """Prometheus metrics (see ``lapor_nlp.observability.metrics``: summed over the workers);
    readiness is checked as ``/readyz`` does, and the auto-route guard's gauges are read from
    the database, so every replica reports the same."""
    service_metrics = request.app.state.metrics
    _, reasons = await _readiness(request)
    service_metrics.set_ready(not reasons)
    context: ServiceContext | None = getattr(request.app.state, "context", None)
    if context is not None and context.holder.loaded:
        version = context.holder.current.version
        try:
            status = await anyio.to_thread.run_sync(context.guard.status, version)
            service_metrics.set_guard(status.as_dict())
        except SQLAlchemyError as exc:  # the other metrics still answer
            logger.warning("auto guard metrics unavailable: %s", exc)
    return Response(content=service_metrics.render(), media_type=service_metrics.content_type)
