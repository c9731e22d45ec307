"""Bodies of the auto-route guard: its status (also under ``auto_guard`` in the statistics)
and a maintainer's change of state."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lapor_nlp.api.schemas import StrictIn, _usable_string

GuardState = Literal["shadow", "on", "tightened", "off"]


class OpdPrecisionOut(BaseModel):
    opd: str = Field(description="the OPD the model auto-routed to")
    audited: int
    correct: int
    precision: float | None
    lower_bound: float | None = Field(description="Wilson 95% lower bound of the precision")


class AutoGuardOut(BaseModel):
    """The guard of the active model and the live precision of ``auto`` under its rule."""

    model_version: str
    state: GuardState
    reason: str = Field(description="why the guard is in this state")
    changed_by: str
    changed_at: datetime
    audited: int = Field(description="audited auto routings with a verdict, under this rule")
    correct: int = Field(description="of those, how many the operator found right")
    precision: float | None
    lower_bound: float | None = Field(description="Wilson 95% lower bound of the precision")
    pending: int = Field(description="audit items still waiting for a verdict")
    threshold: float = Field(description="auto-route threshold in force")
    margin: float = Field(description="auto-route margin in force")
    target: float = Field(description="the precision auto promises")
    tolerance: float
    min_audits: int
    per_opd: list[OpdPrecisionOut]


EXAMPLE_GUARD_CHANGE: dict[str, Any] = {
    "state": "off",
    "reason": "Banyak salah arah ke DPUPR sejak banjir; semua ditinjau manual dulu",
}


class GuardChangeIn(StrictIn):
    """A maintainer sets the guard of the active model.

    `shadow`/`off`: every would-be `auto` is answered `review` (and audited); `on`: the
    model's own rule; `tightened`: route with the given stricter `threshold` (and `margin`).
    """

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_GUARD_CHANGE]})

    state: GuardState
    reason: str = Field(min_length=1, max_length=500)
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    margin: float | None = Field(default=None, ge=0.0, le=1.0)

    @field_validator("reason")
    @classmethod
    def _usable(cls, value: str) -> str:
        checked = _usable_string(value)
        if checked is None or not checked.strip():
            raise ValueError("must say why the state changes")
        return checked
