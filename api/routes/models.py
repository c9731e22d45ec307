"""The model catalog: ``GET /v1/models``, ``GET /v1/models/active``,
``POST /v1/models/{version}/promote``, ``POST /v1/models/rollback``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Path

from lapor_nlp.api.deps import Context, MaintainerKey, OperatorKey
from lapor_nlp.api.routes.common import AUTH_ERRORS
from lapor_nlp.api.schemas import (
    VERSION_PATTERN,
    ActiveModelOut,
    ErrorOut,
    ModelOut,
    ModelsOut,
    PromotionOut,
)
from lapor_nlp.errors import ModelNotFoundError
from lapor_nlp.service.catalog import ModelRecord, Promotion
from lapor_nlp.service.context import ServiceContext

router = APIRouter(prefix="/v1", tags=["catalog"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Versi model tidak ada"}
}
COMPARISON_KEYS = (
    "n",
    "not_worse",
    "macro_f1_delta",
    "worse_opd",
    "feedback_weight",
    "verified",
)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


def _comparison(report: dict[str, Any] | None) -> dict[str, Any] | None:
    if not report:
        return None
    summary = {k: report[k] for k in COMPARISON_KEYS if k in report}
    for side in ("candidate", "active"):
        metrics = report.get(side) or {}
        summary[side] = {k: metrics.get(k) for k in ("accuracy", "macro_f1") if k in metrics}
    return summary


def _model_out(record: ModelRecord) -> ModelOut:
    return ModelOut(
        version=record.version,
        status=record.status,  # type: ignore[arg-type]
        created_at=_iso(record.created_at) or "",
        activated_at=_iso(record.activated_at),
        retired_at=_iso(record.retired_at),
        parent_version=record.parent_version,
        job_id=record.job_id,
        metrics=record.metrics,
        comparison=_comparison(record.report),
    )


def _loaded_version(context: ServiceContext) -> str | None:
    return context.holder.current.version if context.holder.loaded else None


@router.get(
    "/models",
    response_model=ModelsOut,
    responses=AUTH_ERRORS,
    summary="Semua versi model (kandidat, aktif, tidak aktif lagi) beserta metriknya",
)
def list_models(context: Context, _: OperatorKey) -> ModelsOut:
    records = context.catalog.list_versions()
    active = next((r.version for r in records if r.status == "active"), None)
    return ModelsOut(
        models=[_model_out(r) for r in records],
        active_version=active,
        loaded_version=_loaded_version(context),
    )


@router.get(
    "/models/active",
    response_model=ActiveModelOut,
    responses={**AUTH_ERRORS, 404: {"model": ErrorOut, "description": "Belum ada model aktif"}},
    summary="Model yang aktif",
)
def active_model(context: Context, _: OperatorKey) -> ActiveModelOut:
    version = context.catalog.active_version()
    if version is None:
        raise ModelNotFoundError("no model is active")
    record = context.catalog.get(version)
    return ActiveModelOut(
        **_model_out(record).model_dump(), loaded_version=_loaded_version(context)
    )


async def _after_change(context: ServiceContext, promotion: Promotion) -> PromotionOut:
    # This process swaps at once; the others follow via NOTIFY or polling.
    await anyio.to_thread.run_sync(context.holder.refresh)
    return PromotionOut(
        version=promotion.version,
        previous_version=promotion.previous_version,
        loaded_version=_loaded_version(context),
    )


@router.post(
    "/models/{version}/promote",
    response_model=PromotionOut,
    responses={**AUTH_ERRORS, **NOT_FOUND},
    summary="Aktifkan sebuah versi model (semua replika mengikutinya dalam beberapa detik)",
)
async def promote(
    version: Annotated[str, Path(pattern=VERSION_PATTERN, description="Versi model")],
    context: Context,
    principal: MaintainerKey,
) -> PromotionOut:
    promotion = await anyio.to_thread.run_sync(
        lambda: context.catalog.promote(version, actor=principal.actor)
    )
    return await _after_change(context, promotion)


@router.post(
    "/models/rollback",
    response_model=PromotionOut,
    responses={
        **AUTH_ERRORS,
        409: {"model": ErrorOut, "description": "Tidak ada model aktif sebelumnya"},
    },
    summary="Aktifkan kembali model yang aktif sebelumnya",
)
async def rollback(context: Context, principal: MaintainerKey) -> PromotionOut:
    promotion = await anyio.to_thread.run_sync(
        lambda: context.catalog.rollback(actor=principal.actor)
    )
    return await _after_change(context, promotion)
