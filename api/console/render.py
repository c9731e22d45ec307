"""Templates of the console and the small formatting helpers they use (Indonesian labels)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from sqlalchemy.exc import SQLAlchemyError

CONSOLE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = CONSOLE_DIR / "templates"
STATIC_DIR = CONSOLE_DIR / "static"

# Kalimantan Timur keeps Central Indonesian Time (UTC+8) all year.
WITA = timezone(timedelta(hours=8), "WITA")
ZONE_LABELS = {timedelta(hours=7): "WIB", timedelta(hours=8): "WITA", timedelta(hours=9): "WIT"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")

DECISION_LABELS = {"auto": "otomatis", "review": "perlu tinjauan", "needs_info": "perlu info"}
VERDICT_LABELS = {
    "accept": "diterima",
    "correct": "dikoreksi",
    "recategorize": "kategori diubah",
    "not_authority": "bukan wewenang",
    "incomplete": "perlu info",
    "withdrawn": "dibatalkan",
}
LEVEL_LABELS = {
    "kabkota": "kabupaten/kota",
    "pusat": "pemerintah pusat",
    "bumn": "BUMN/badan nasional",
}
STATUS_LABELS = {"candidate": "kandidat", "active": "aktif", "retired": "tidak aktif lagi"}
JOB_LABELS = {
    "queued": "menunggu",
    "running": "berjalan",
    "succeeded": "selesai",
    "failed": "gagal",
}

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
        "form-action 'self'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


_ZONE: list[tzinfo] = [WITA]


def show_times_in(zone: tzinfo) -> None:
    """Set the zone pages show times in (the app passes ``LAPOR_TIMEZONE`` at start-up)."""
    _ZONE[0] = zone


def when(value: datetime | str | None) -> str:
    """``28 Nov 2026 21.05 WITA`` (also from an ISO string); a naive time is taken as UTC."""
    if value is None:
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(_ZONE[0])
    label = ZONE_LABELS.get(local.utcoffset() or timedelta(0), local.tzname() or "")
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H.%M} {label}".rstrip()


def day_label(iso_day: str) -> str:
    """``2026-11-28`` -> ``28 Nov``."""
    year, month, day = (int(part) for part in iso_day.split("-"))
    del year
    return f"{day} {MONTHS[month - 1]}"


def pct(value: float | None, digits: int = 0) -> str:
    """A share (0..1) as a percentage without the sign (``"42"``); ``"—"`` for None."""
    if value is None:
        return "—"
    return f"{100 * float(value):.{digits}f}"


def highlight(text: str | None, terms: Iterable[str]) -> Markup:
    """``text`` HTML-escaped, with each whole-word occurrence of ``terms`` in ``<mark>``."""
    if not text:
        return Markup("")
    words = sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )
    parts: list[Markup] = []
    position = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(Markup("<mark>%s</mark>") % match.group(0))
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def explanation_terms(explanation: Iterable[Mapping[str, Any] | Any]) -> list[str]:
    """The words of an explanation (stored as ``{"term", "weight"}``), strongest first."""
    terms = []
    for entry in explanation:
        term = entry.get("term") if isinstance(entry, Mapping) else getattr(entry, "term", None)
        if term and term not in terms:
            terms.append(str(term))
    return terms


@lru_cache(maxsize=32)
def _static_version(name: str) -> str:
    path = STATIC_DIR / name
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10] if path.is_file() else "0"


def static_url(name: str) -> str:
    """The URL of a console static file, versioned by its content (safe to cache)."""
    return f"/console/static/{name}?v={_static_version(name)}"


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    """The console's Jinja2 environment (autoescaping on), built on first use."""
    env = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env.env.globals.update(
        static=static_url,
        when=when,
        pct=pct,
        highlight=highlight,
        decision_label=lambda d: DECISION_LABELS.get(d, d),
        verdict_label=lambda v: VERDICT_LABELS.get(v, v),
        status_label=lambda s: STATUS_LABELS.get(s, s),
        level_label=lambda level: LEVEL_LABELS.get(level, level),
        job_label=lambda s: JOB_LABELS.get(s, s),
    )
    env.env.trim_blocks = True
    env.env.lstrip_blocks = True
    return env


def guard_state(request: Request) -> str | None:
    """The auto-route guard's state of the serving model, for the banner (None: unknown)."""
    context = getattr(request.app.state, "context", None)
    if context is None or not context.holder.loaded:
        return None
    try:
        state: str = context.guard.policy(context.holder.current.version).state
    except SQLAlchemyError:
        return None
    return state


def page(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render template ``name`` as a full page with the console's security headers."""
    values = {"user": None, "page": None, **context}
    if values["user"] is not None:
        values.setdefault("guard_state", guard_state(request))
    response = templates().TemplateResponse(request, name, values, status_code=status_code)
    response.headers.update(SECURITY_HEADERS)
    return response


def fragment(name: str, context: dict[str, Any]) -> str:
    """Render a template to a string (HTML fragments sent inside JSON)."""
    return templates().env.get_template(name).render(**context)
