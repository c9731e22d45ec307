"""The console's JSON endpoints, called by its pages with ``fetch`` (session cookie + CSRF).

They call the same service objects as the ``/v1`` API (feedback, review queue, retraining
jobs, model catalog), so the console applies exactly the API's rules.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, Header, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from lapor_nlp.api.console.deps import ApiUser, MaintainerUser
from lapor_nlp.api.console.render import fragment
from lapor_nlp.api.console.views import queue_item
from lapor_nlp.api.deps import Context
from lapor_nlp.api.feedback_schemas import CODE_PATTERN, IDEMPOTENCY_KEY_PATTERN
from lapor_nlp.api.job_schemas import JOB_ID_PATTERN
from lapor_nlp.api.schemas import COMPLAINT_ID_PATTERN, VERSION_PATTERN
from lapor_nlp.service.feedback import MAX_NOTE_CHARS, FeedbackInput
from lapor_nlp.service.guard import require_version

router = APIRouter(prefix="/console/api", include_in_schema=False)

REFILL_ITEMS = 20
MAX_EXCLUDED = 200


class ConsoleFeedbackIn(BaseModel):
    """A verdict sent by the queue page; the operator is the signed-in key's name."""

    model_config = ConfigDict(extra="forbid")

    verdict: Literal["accept", "correct", "recategorize", "not_authority", "incomplete"]
    opd: str | None = Field(default=None, pattern=CODE_PATTERN)
    category: str | None = Field(default=None, pattern=CODE_PATTERN)
    note: str | None = Field(default=None, max_length=MAX_NOTE_CHARS)
    supersedes: int | None = Field(default=None, ge=1, le=2**62)


@router.get("/queue")
def more_items(
    context: Context,
    user: ApiUser,
    opd: Annotated[str | None, Query(pattern=CODE_PATTERN)] = None,
    decision: Annotated[Literal["auto", "review", "needs_info", "all"] | None, Query()] = None,
    audit: Annotated[bool | None, Query()] = None,
    exclude: Annotated[str, Query(max_length=14_000)] = "",
) -> dict[str, Any]:
    """The next queue cards as HTML (rendered by the same template as the page), skipping the
    ones the page already shows."""
    shown = {part for part in exclude.split(",") if part}
    if len(shown) > MAX_EXCLUDED:
        shown = set(list(shown)[:MAX_EXCLUDED])
    wanted = min(500, REFILL_ITEMS + len(shown) + 1)
    found = context.review.items(
        limit=wanted,
        opd=opd,
        decision=None if decision == "all" else decision,
        audit=audit,
        needs_decision=decision is None,
    )
    fresh = [item for item in found if item.complaint_id not in shown]
    items = [queue_item(item) for item in fresh[:REFILL_ITEMS]]
    html = fragment("_items.html", {"items": items, "categories": context.taxonomy.category})
    return {"html": html, "count": len(items), "more": len(fresh) > REFILL_ITEMS}


@router.post("/complaints/{complaint_id}/feedback", status_code=201)
def submit_feedback(
    complaint_id: Annotated[str, Path(pattern=COMPLAINT_ID_PATTERN)],
    body: ConsoleFeedbackIn,
    context: Context,
    user: ApiUser,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", pattern=IDEMPOTENCY_KEY_PATTERN)
    ] = None,
) -> dict[str, Any]:
    """Store a verdict through the feedback service (validation, masking, audit, idempotency)."""
    item = FeedbackInput(
        verdict=body.verdict,
        opd=body.opd,
        category=body.category,
        note=body.note or None,
        supersedes=body.supersedes,
    )
    result = context.feedback.submit(
        complaint_id,
        item,
        actor=f"console:{user.principal.actor}",
        operator=user.name,
        idempotency_key=idempotency_key,
        idempotency_scope=str(user.principal.key_id),
    )
    return {**result.record.as_dict(), "replayed": not result.created}


@router.post("/feedback/{feedback_id}/undo", status_code=201)
def undo_feedback(
    feedback_id: Annotated[int, Path(ge=1, le=2**62)], context: Context, user: ApiUser
) -> dict[str, Any]:
    """Withdraw the verdict this key just gave (the queue's undo toast)."""
    record = context.feedback.undo(
        feedback_id,
        actor=f"console:{user.principal.actor}",
        operator=user.name,
        window_seconds=context.settings.undo_seconds,
    )
    return record.as_dict()


@router.post("/retrain", status_code=202)
async def start_retrain(context: Context, user: MaintainerUser) -> dict[str, Any]:
    """Queue a retraining job and start its worker process (as ``POST /v1/retrain``)."""
    actor = f"console:{user.principal.actor}"
    view = await anyio.to_thread.run_sync(lambda: context.jobs.start(actor=actor))
    return {"job_id": view.job_id, "status": view.status}


@router.get("/jobs/{job_id}")
def job_status(
    job_id: Annotated[str, Path(pattern=JOB_ID_PATTERN)], context: Context, user: MaintainerUser
) -> dict[str, Any]:
    """A retraining job's state, polled by the model page."""
    return context.jobs.get(job_id).as_dict()


@router.post("/models/{version}/promote")
def promote(
    version: Annotated[str, Path(pattern=VERSION_PATTERN)], context: Context, user: MaintainerUser
) -> dict[str, Any]:
    """Make ``version`` the active model (maintainers)."""
    done = context.catalog.promote(version, actor=f"console:{user.principal.actor}")
    return {"version": done.version, "previous_version": done.previous_version}


class ConsoleGuardIn(BaseModel):
    """A maintainer's change of the auto-route guard from the model page."""

    model_config = ConfigDict(extra="forbid")

    state: Literal["shadow", "on", "tightened", "off"]
    reason: str = Field(min_length=1, max_length=500)
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    margin: float | None = Field(default=None, ge=0.0, le=1.0)


@router.post("/models/active/guard")
def set_guard(body: ConsoleGuardIn, context: Context, user: MaintainerUser) -> dict[str, Any]:
    """Set the active model's guard through the same service as the API (audited)."""
    version = require_version(context.catalog.active_version())
    context.guard.set_state(
        version,
        body.state,
        actor=f"console:{user.principal.actor}",
        reason=body.reason,
        threshold=body.threshold,
        margin=body.margin,
    )
    return context.guard.status(version).as_dict()


@router.get("/models/serving")
def serving(context: Context, user: MaintainerUser) -> dict[str, Any]:
    """The version this process serves now and the active one (polled after a promotion)."""
    loaded = context.holder.current.version if context.holder.loaded else None
    return {"version": loaded, "active": context.catalog.active_version()}


@router.post("/models/rollback")
def rollback(context: Context, user: MaintainerUser) -> dict[str, Any]:
    """Re-activate the previously active model (maintainers)."""
    done = context.catalog.rollback(actor=f"console:{user.principal.actor}")
    return {"version": done.version, "previous_version": done.previous_version}
