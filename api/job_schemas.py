"""Bodies of the retraining-job endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

JOB_ID_PATTERN = r"^[A-Za-z0-9_\-]{1,64}$"


class JobCreatedOut(BaseModel):
    """A queued retraining job."""

    job_id: str
    status: Literal["queued", "running", "succeeded", "failed"]


class JobOut(BaseModel):
    """A retraining job with its phase, result and report."""

    job_id: str
    status: Literal["queued", "running", "succeeded", "failed"]
    phase: str | None
    requested_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime
    base_version: str | None = Field(description="the active model it started from")
    candidate_version: str | None
    feedback_labels: int | None
    report: dict[str, Any] | None = Field(description="candidate vs. active on held-out rows")
    error: str | None
    auto_promoted: bool
