"""``GET /v1/taxonomy``: the OPDs and categories a complaint can be routed to."""

from __future__ import annotations

from fastapi import APIRouter

from lapor_nlp.api.deps import Context, IntakeKey
from lapor_nlp.api.routes.common import AUTH_ERRORS
from lapor_nlp.api.schemas import TaxonomyOut

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
