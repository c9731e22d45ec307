"""Bounded concurrency for requests that use the database (pure ASGI middleware).

A stalled database holds each request that uses it for up to the statement timeout. Without a
bound, those requests would take every worker thread, and routes that never touch the database
(``/healthz``, ``/v1/taxonomy``) would hang behind them. At most ``limit`` requests use the
database at once; the next ones wait ``wait_seconds`` for a turn, then answer 503 with a
``Retry-After`` hint.
"""

from __future__ import annotations

import logging

import anyio
import anyio.to_thread
from starlette.types import ASGIApp, Receive, Scope, Send

from lapor_nlp.api.errors import unavailable_response

logger = logging.getLogger(__name__)

FREE_PATHS = frozenset(
    {
        "/healthz",
        "/readyz",
        "/metrics",
        "/v1/taxonomy",
        "/docs",
        "/redoc",
        "/openapi.json",
    }
)
"""Paths that never wait on the database (``/readyz`` bounds its own check)."""
FREE_PREFIXES = ("/console/static/", "/docs-assets/")
SPARE_THREADS = 24
"""Worker threads kept free for requests that do not use the database."""


def uses_database(path: str) -> bool:
    return path not in FREE_PATHS and not path.startswith(FREE_PREFIXES)


class DatabaseGate:
    """Lets at most ``limit`` requests that use the database run at once."""

    def __init__(self, app: ASGIApp, *, limit: int, wait_seconds: float) -> None:
        self.app = app
        self.limit = limit
        self.wait_seconds = wait_seconds
        self._limiter: anyio.CapacityLimiter | None = None

    def _get_limiter(self) -> anyio.CapacityLimiter:
        # Created on first use: an anyio limiter belongs to the running event loop.
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.limit)
            threads = anyio.to_thread.current_default_thread_limiter()
            threads.total_tokens = max(threads.total_tokens, self.limit + SPARE_THREADS)
        return self._limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not uses_database(scope["path"]):
            await self.app(scope, receive, send)
            return
        limiter = self._get_limiter()
        acquired = False
        with anyio.move_on_after(self.wait_seconds):
            await limiter.acquire()
            acquired = True
        if not acquired:
            logger.warning("no turn for the database within %gs: answering 503", self.wait_seconds)
            await unavailable_response()(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            limiter.release()
