"""Body of ``GET /v1/stats``: volumes, decision rates, acceptance per OPD, label drift."""

from __future__ import annotations

from pydantic import BaseModel, Field

from lapor_nlp.api.guard_schemas import AutoGuardOut


class DayCountOut(BaseModel):
    """Complaints routed to one OPD on one day."""

    day: str
    opd: str
    count: int


class RateOut(BaseModel):
    """A count and its share."""

    count: int
    rate: float | None


class OpdFeedbackOut(BaseModel):
    """Verdicts on one OPD's routings, with acceptance and correction rates."""

    opd: str | None = Field(description="the OPD the model suggested")
    n: int
    accept: int
    correct: int
    recategorize: int = Field(description="the suggested OPD kept, its category changed")
    not_authority: int
    incomplete: int
    acceptance_rate: float | None
    correction_rate: float | None


class FeedbackStatsOut(BaseModel):
    """Verdicts overall and per OPD."""

    complaints_with_feedback: int
    verdicts: dict[str, int]
    per_opd: list[OpdFeedbackOut]


class DriftRowOut(BaseModel):
    """One OPD's share among corrected labels and among training labels."""

    opd: str
    feedback_share: float
    training_share: float
    delta: float


class DriftOut(BaseModel):
    """How corrected labels drift from the training labels."""

    model_version: str | None
    training_source: str | None = None
    feedback_labels: int | None = None
    total_variation: float | None = None
    per_opd: list[DriftRowOut] = Field(default_factory=list)
    note: str | None = None


class StatsOut(BaseModel):
    """The body of ``GET /v1/stats``."""

    since: str
    days: int
    complaints: int
    timezone: str = Field(description="the zone days are counted in (LAPOR_TIMEZONE)")
    per_opd_per_day: list[DayCountOut]
    decisions: dict[str, RateOut]
    feedback: FeedbackStatsOut
    drift: DriftOut
    auto_guard: AutoGuardOut | None = Field(
        description="the active model's auto-route guard and the live precision of auto"
    )
