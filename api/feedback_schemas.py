"""Bodies of the feedback and review-queue endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from lapor_nlp.api.schemas import (
    AUTHORITY_FIELD,
    AuthorityOut,
    LabelScoreOut,
    StrictIn,
    TermOut,
    _usable_string,
)

Verdict = Literal["accept", "correct", "recategorize", "not_authority", "incomplete"]
StoredVerdict = Literal[
    "accept", "correct", "recategorize", "not_authority", "incomplete", "withdrawn"
]
CODE_PATTERN = r"^[A-Z][A-Z0-9_]{0,63}$"
IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7e]{1,128}$"

EXAMPLE_FEEDBACK: dict[str, Any] = {
    "verdict": "correct",
    "opd": "DISHUB",
    "category": "TRANSPORTASI",
    "note": "Terkait angkutan umum, bukan jalan",
}


class FeedbackIn(StrictIn):
    """An operator's verdict on the routing of a complaint.

    `accept`: the suggested OPD is right; `correct`: another OPD is (both need `opd`);
    `recategorize`: the suggested OPD, another category (needs `category`); `not_authority`:
    not the province's to handle ("bukan wewenang"); `incomplete`: more information is needed
    from the citizen. The operator is always the API key's owner.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [EXAMPLE_FEEDBACK],
            # `opd` is required for accept and correct (checked by the feedback service).
            "if": {
                "properties": {"verdict": {"enum": ["accept", "correct"]}},
                "required": ["verdict"],
            },
            "then": {"required": ["opd"], "properties": {"opd": {"type": "string"}}},
        }
    )

    verdict: Verdict
    opd: str | None = Field(
        default=None, max_length=64, description="Kode OPD (wajib untuk accept/correct)"
    )
    category: str | None = Field(default=None, max_length=64, description="Kode kategori")
    note: str | None = Field(default=None, max_length=2000, description="Catatan operator")
    supersedes: int | None = Field(
        default=None,
        ge=1,
        description="ID umpan balik terakhir yang diganti (ditolak 409 bila bukan lagi yang "
        "terakhir)",
    )

    @model_validator(mode="before")
    @classmethod
    def _no_operator(cls, data: Any) -> Any:
        if isinstance(data, dict) and "operator" in data:
            raise ValueError(
                "operator: not accepted; the audit trail names the API key's owner "
                "(write other names in note)"
            )
        return data

    @field_validator("opd", "category", "note")
    @classmethod
    def _usable(cls, value: str | None) -> str | None:
        return _usable_string(value)


class FeedbackCreatedOut(BaseModel):
    """The stored verdict, answered to ``POST .../feedback``."""

    feedback_id: int
    complaint_id: str
    verdict: StoredVerdict
    opd: str | None
    category: str | None
    operator: str
    note: str | None
    model_version: str | None
    predicted_opd: str | None
    created_at: datetime
    supersedes_id: int | None = Field(default=None, description="umpan balik yang diganti")


class ReviewItemOut(BaseModel):
    """A complaint without feedback, with its latest routing."""

    complaint_id: str
    text: str
    title: str | None
    channel: str | None
    created_at: datetime
    model_version: str
    decision: Literal["auto", "review", "needs_info"]
    confidence: float = Field(description="top-1 OPD confidence of the latest routing")
    opd: list[LabelScoreOut]
    category: list[LabelScoreOut]
    explanation: list[TermOut]
    audit: bool = Field(
        description="an audit: a would-be auto routing drawn so an operator's verdict measures "
        "the live precision of auto"
    )
    authority: AuthorityOut | None = Field(default=None, description=AUTHORITY_FIELD)


class ReviewQueueOut(BaseModel):
    """The review queue, least certain first."""

    items: list[ReviewItemOut]
    count: int
