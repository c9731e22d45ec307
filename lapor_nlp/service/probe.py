"""The database check behind ``/readyz``: answered within a deadline, one check at a time.

A stalled database would hold a check for the whole statement timeout. The check runs in a
worker thread; the caller waits at most ``timeout`` seconds for it, and a caller arriving while a
check is still running waits for that same check instead of starting another thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import anyio.to_thread


class DatabaseProbe:
    """Parameters
    ----------
    ping : callable
        Raises when the database cannot be used (``Store.ping``).
    timeout : float
        Seconds a caller waits for the answer.
    """

    def __init__(self, ping: Callable[[], None], timeout: float) -> None:
        self._ping = ping
        self.timeout = timeout
        self._running: asyncio.Future[str | None] | None = None

    async def problem(self) -> str | None:
        """None when the database answered in time, else why not (without server details)."""
        if self._running is None or self._running.done():
            self._running = asyncio.ensure_future(anyio.to_thread.run_sync(self._check))
        try:
            return await asyncio.wait_for(asyncio.shield(self._running), self.timeout)
        except TimeoutError:
            return f"database unreachable: no answer within {self.timeout:g} s"

    def _check(self) -> str | None:
        try:
            self._ping()
        except Exception as exc:  # any failure means "not ready"; the reason is its kind
            return f"database unreachable: {type(exc).__name__}"
        return None
