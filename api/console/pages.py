"""The console's HTML pages: login/logout, review queue, complaint detail, dashboard, models."""

from __future__ import annotations

import contextlib
import math
import re
from dataclasses import asdict
from datetime import timedelta, tzinfo
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from lapor_nlp.api.console import charts
from lapor_nlp.api.console.deps import LOGIN_PATH, OptionalUser, PageUser
from lapor_nlp.api.console.render import (
    DECISION_LABELS,
    STATIC_DIR,
    VERDICT_LABELS,
    explanation_terms,
    page,
)
from lapor_nlp.api.console.session import (
    CSRF_FIELD,
    ConsoleUser,
    clear_session,
    csrf_ok,
    same_origin,
    set_session,
)
from lapor_nlp.api.console.views import model_row, queue_item
from lapor_nlp.api.deps import Context
from lapor_nlp.api.schemas import COMPLAINT_ID_PATTERN
from lapor_nlp.auth import Role
from lapor_nlp.errors import NotFoundError
from lapor_nlp.service.review import DECISIONS, queue_counts
from lapor_nlp.service.stats import local_day
from lapor_nlp.store.tables import utcnow

router = APIRouter(prefix="/console", include_in_schema=False)

QUEUE_PAGE = 30
STATIC_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}
DASHBOARD_DAYS = (7, 30, 90)


def _safe_next(target: str | None) -> str:
    """Only a path inside the console may follow a login (no open redirect)."""
    if target and target.startswith("/console/") and not target.startswith("//"):
        return target
    return "/console/queue"


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _forbidden(request: Request, user: ConsoleUser | None, heading: str, message: str) -> Response:
    return page(
        request,
        "error.html",
        {"user": user, "heading": heading, "message": message},
        status_code=403,
    )


@router.get("")
@router.get("/")
def home(user: OptionalUser) -> RedirectResponse:
    """Send a signed-in user to the review queue, anyone else to the login form."""
    return _redirect("/console/queue" if user else LOGIN_PATH)


@router.get("/login")
def login_form(
    request: Request, user: OptionalUser, next: str | None = None, bye: int = 0
) -> Response:
    """The login form (a signed-in user goes straight on)."""
    if user is not None:
        return _redirect(_safe_next(next))
    message = "Anda telah keluar." if bye else None
    return page(request, "login.html", {"next": _safe_next(next), "message": message})


@router.post("/login")
def login(
    request: Request,
    context: Context,
    key: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Check the key and open a session for operators and maintainers; failed attempts are
    limited per address and per key prefix (``LAPOR_LOGIN_ATTEMPTS``), answered 429."""
    if not same_origin(request):
        return _forbidden(request, None, "Permintaan ditolak", "Formulir masuk dari situs lain.")
    address = request.client.host if request.client else "unknown"
    wait = context.logins.retry_after(address, key)
    if wait > 0:
        minutes = max(1, math.ceil(wait / 60))
        refused = page(
            request,
            "login.html",
            {
                "next": _safe_next(next),
                "error": "Terlalu banyak percobaan masuk yang gagal. "
                f"Coba lagi dalam {minutes} menit.",
            },
            status_code=429,
        )
        refused.headers["Retry-After"] = str(math.ceil(wait))
        return refused
    principal = context.keys.authenticate(key.strip()) if key.strip() else None
    error = None
    if principal is None:
        context.logins.failed(address, key)
        error = "Kunci tidak dikenal atau sudah dicabut. Periksa lagi kunci Anda."
    elif not principal.role.allows(Role.OPERATOR):
        error = (
            "Kunci ini berperan intake (hanya untuk mengirim pengaduan) dan tidak dapat "
            "membuka konsol. Gunakan kunci operator atau maintainer."
        )
    if error is not None:
        status = 401 if principal is None else 403
        return page(
            request, "login.html", {"next": _safe_next(next), "error": error}, status_code=status
        )
    response = _redirect(_safe_next(next))
    set_session(request, response, key.strip())
    return response


@router.post("/logout")
def logout(
    request: Request,
    user: OptionalUser,
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=200)] = "",
) -> Response:
    """End the session (CSRF-checked) and return to the login form."""
    if user is not None and not (same_origin(request) and csrf_ok(user, csrf_token)):
        return _forbidden(request, user, "Permintaan ditolak", "Token formulir tidak cocok.")
    response = _redirect(f"{LOGIN_PATH}?bye=1")
    clear_session(request, response)
    return response


@router.get("/queue")
def queue_page(
    request: Request,
    context: Context,
    user: PageUser,
    opd: Annotated[str | None, Query(max_length=64)] = None,
    decision: Annotated[str | None, Query(max_length=16)] = None,
    audit: Annotated[str | None, Query(max_length=8)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = QUEUE_PAGE,
) -> Response:
    """The review queue, least certain first, filtered by OPD and decision. By default it
    shows what needs a decision (review and needs_info, then audits); ``decision=all`` adds
    the auto routings, ``decision=auto`` shows only those."""
    opd = opd or None
    if opd is not None and opd not in context.taxonomy.opd_codes:
        opd = None
    view = decision if decision in (*DECISIONS, "all") else ""
    only_audits = True if audit == "true" else None
    found = context.review.items(
        limit=limit + 1,
        opd=opd,
        decision=view if view in DECISIONS else None,
        audit=only_audits,
        needs_decision=view == "",
    )
    return page(
        request,
        "queue.html",
        {
            "user": user,
            "page": "queue",
            "items": [queue_item(i) for i in found[:limit]],
            "more": len(found) > limit,
            "filters": {"opd": opd, "decision": view, "audit": only_audits},
            "counts": queue_counts(context.store),
            "opds": context.taxonomy.opd,
            "categories": context.taxonomy.category,
            "decisions": DECISIONS,
            "undo_seconds": context.settings.undo_seconds,
        },
    )


@router.get("/complaints/{complaint_id}")
def complaint_page(
    request: Request,
    context: Context,
    user: PageUser,
    complaint_id: Annotated[str, Path(max_length=64)],
) -> Response:
    """One complaint: its text, every routing, the feedback history."""
    complaint = None
    if re.fullmatch(COMPLAINT_ID_PATTERN, complaint_id):
        with contextlib.suppress(NotFoundError):
            complaint = context.complaints.get(complaint_id)
    if complaint is None:
        return page(
            request,
            "error.html",
            {
                "user": user,
                "heading": "Pengaduan tidak ditemukan",
                "message": f"Tidak ada pengaduan dengan ID {complaint_id}.",
            },
            status_code=404,
        )
    latest = complaint.predictions[-1] if complaint.predictions else None
    terms = explanation_terms(asdict(t) for t in latest.explanation) if latest else []
    model_category = latest.category[0].code if latest and latest.category else None
    return page(
        request,
        "complaint.html",
        {
            "user": user,
            "page": "queue",
            "c": complaint,
            "feedback": complaint.feedback,
            "terms": terms,
            "opds": context.taxonomy.opd,
            "categories": context.taxonomy.category,
            "model_opd": latest.opd[0].code if latest and latest.opd else None,
            "model_category": model_category,
        },
    )


def _days(since_days: int, zone: tzinfo) -> list[str]:
    # The statistics count days in the service's zone (LAPOR_TIMEZONE); the columns follow.
    today = local_day(utcnow(), zone)
    first = today - timedelta(days=since_days - 1)
    return [(first + timedelta(days=i)).isoformat() for i in range(since_days)]


@router.get("/dashboard")
def dashboard_page(request: Request, context: Context, user: PageUser, days: int = 30) -> Response:
    """Volumes, decision shares, feedback rates and label drift as charts."""
    days = days if days in DASHBOARD_DAYS else 30
    stats = context.stats.compute(days=days)
    day_list = _days(days, context.settings.zone)
    known = set(day_list)
    per_day = [row for row in stats["per_opd_per_day"] if row["day"] in known]
    feedback = stats["feedback"]
    drift = stats["drift"]
    return page(
        request,
        "dashboard.html",
        {
            "user": user,
            "page": "dashboard",
            "days": days,
            "day_choices": DASHBOARD_DAYS,
            "stats": stats,
            "drift": drift,
            "feedback": feedback,
            "chart_volume": charts.volume_heatmap(per_day, day_list),
            "chart_decisions": charts.decision_shares(stats["decisions"], DECISION_LABELS),
            "chart_feedback": charts.feedback_rates(feedback["per_opd"], VERDICT_LABELS),
            "chart_drift": charts.drift_dumbbell(drift.get("per_opd") or []),
            "guard": stats.get("auto_guard"),
        },
    )


@router.get("/models")
def models_page(request: Request, context: Context, user: PageUser) -> Response:
    """Model versions, the candidate-vs-active report and retraining (maintainers)."""
    if not user.is_maintainer:
        return _forbidden(
            request,
            user,
            "Khusus maintainer",
            "Halaman model hanya dapat dibuka dengan kunci maintainer.",
        )
    loaded = context.holder.current.version if context.holder.loaded else None
    records = context.catalog.list_versions()
    running = context.jobs.current()
    job = running.as_dict() if running is not None else None
    rows = [model_row(r, loaded) for r in records]
    return page(
        request,
        "models.html",
        {
            "user": user,
            "page": "models",
            "models": rows,
            "active": next((r for r in rows if r["status"] == "active"), None),
            "candidates": [r for r in rows if r["status"] == "candidate"],
            "loaded_version": loaded,
            "rollback_target": context.catalog.rollback_target(),
            "job": job,
            "guard": context.guard.status(loaded).as_dict() if loaded else None,
        },
    )


@router.get("/static/{name}")
def static_file(
    name: Annotated[str, Path(pattern=r"^[a-z0-9_-]{1,40}\.(css|js|svg)$")],
) -> Response:
    """The console's CSS, JavaScript and SVG files."""
    path = STATIC_DIR / name
    if not path.is_file():
        return Response(status_code=404)
    return FileResponse(
        path,
        media_type=STATIC_TYPES[path.suffix],
        headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )
