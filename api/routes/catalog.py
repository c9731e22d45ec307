"""``GET /v1/taxonomy``, ``GET /v1/models``, ``GET /v1/models/active``."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Context, IntakeKey, OperatorKey
from api.routes.common import AUTH_ERRORS
from api.schemas import ActiveModelOut, ErrorOut, ModelOut, ModelsOut, TaxonomyOut
from lapor_nlp.errors import ModelNotFoundError
from lapor_nlp.registry import ModelInfo
from lapor_nlp.service.context import ServiceContext

router = APIRouter(prefix="/v1", tags=["catalog"])


@router.get(
    "/taxonomy",
    response_model=TaxonomyOut,
    responses=AUTH_ERRORS,
    summary="Daftar OPD dan kategori yang dapat dituju",
)
def taxonomy(context: Context, _: IntakeKey) -> TaxonomyOut:
    tax = context.taxonomy
    return TaxonomyOut.model_validate(
        {
            "opd": [{"code": o.code, "name": o.name, "handles": o.handles} for o in tax.opd],
            "category": [{"code": c.code, "name": c.name} for c in tax.category],
        }
    )


def _model_out(info: ModelInfo) -> ModelOut:
    return ModelOut(
        version=info.version, status=info.status, created_at=info.created_at, metrics=info.metrics
    )


def _loaded_version(context: ServiceContext) -> str | None:
    return context.holder.current.version if context.holder.loaded else None


@router.get(
    "/models",
    response_model=ModelsOut,
    responses=AUTH_ERRORS,
    summary="Semua versi model di registri beserta status dan metriknya",
)
def list_models(context: Context, _: OperatorKey) -> ModelsOut:
    return ModelsOut(
        models=[_model_out(info) for info in context.registry.list_models()],
        active_version=context.registry.active_version(),
        loaded_version=_loaded_version(context),
    )


@router.get(
    "/models/active",
    response_model=ActiveModelOut,
    responses={**AUTH_ERRORS, 404: {"model": ErrorOut, "description": "Belum ada model aktif"}},
    summary="Model yang aktif",
)
def active_model(context: Context, _: OperatorKey) -> ActiveModelOut:
    version = context.registry.active_version()
    if version is None:
        raise ModelNotFoundError("the model registry has no active model")
    info = context.registry.get(version)
    return ActiveModelOut(**_model_out(info).model_dump(), loaded_version=_loaded_version(context))
