"""The FastAPI application factory: ``uvicorn --factory lapor_nlp.api.app:create_app``.

Nothing happens at import. ``create_app`` builds the app; the database, migrations, model
and keys are opened in the lifespan, once per worker process.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from starlette.middleware import Middleware

import lapor_nlp
from lapor_nlp.api.console import router as console_router
from lapor_nlp.api.console.render import show_times_in
from lapor_nlp.api.db_gate import DatabaseGate
from lapor_nlp.api.docs import install_docs
from lapor_nlp.api.errors import install_error_handlers
from lapor_nlp.api.middleware import ServiceMiddleware
from lapor_nlp.api.openapi import install_openapi
from lapor_nlp.api.routes import (
    complaints,
    feedback,
    guard,
    health,
    jobs,
    models,
    routing,
    stats,
    taxonomy,
)
from lapor_nlp.observability import ServiceMetrics, configure_logging
from lapor_nlp.service.context import ServiceContext
from lapor_nlp.settings import Settings, get_settings

DESCRIPTION = """
Saran pengarahan pengaduan layanan publik (SP4N-LAPOR!, Kalimantan Timur) ke OPD yang
bertanggung jawab beserta kategorinya.

Semua endpoint `/v1` memerlukan kunci API (`Authorization: Bearer KEY`) dengan peran
`intake` (mengarahkan), `operator` (juga membaca pengaduan) atau `maintainer` (semua).
Data pribadi (NIK, nomor telepon, e-mail, ...) disamarkan sebelum disimpan dan tidak pernah
dikembalikan dalam jawaban.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application; ``settings`` defaults to the process's ``LAPOR_*`` settings."""
    settings = settings or get_settings()
    show_times_in(settings.zone)
    metrics = ServiceMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_level, settings.log_format)
        context = await anyio.to_thread.run_sync(ServiceContext.start, settings, metrics)
        app.state.context = context
        context.follow_promotions()
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(context.close)

    app = FastAPI(
        title="lapor-nlp",
        version=lapor_nlp.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        middleware=[
            Middleware(
                ServiceMiddleware,
                metrics=metrics,
                max_body_bytes=settings.max_body_bytes,
                access_log=settings.access_log,
            ),
            Middleware(
                DatabaseGate,
                limit=settings.db_max_concurrency,
                wait_seconds=settings.db_pool_timeout_seconds,
            ),
        ],
    )
    app.state.metrics = metrics
    install_error_handlers(app)
    install_openapi(app)
    install_docs(app)
    for module in (routing, complaints, feedback, taxonomy, guard, models, jobs, stats, health):
        app.include_router(module.router)
    app.include_router(console_router)
    return app
