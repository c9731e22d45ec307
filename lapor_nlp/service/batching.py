"""Micro-batching of concurrent single routings.

Requests that arrive while a batch is being routed wait and go together into the next one:
one model call and one database transaction for many requests. Nothing waits on a timer, so
a lone request is routed at once; batches only form under concurrency.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

import anyio.to_thread

from lapor_nlp.service.routing import RoutedComplaint, RouteRequest

logger = logging.getLogger(__name__)

RouteFn = Callable[[Sequence[RouteRequest]], list[RoutedComplaint]]


class RouteBatcher:
    """Collects :class:`RouteRequest` items from concurrent callers into shared batches.

    Parameters
    ----------
    route : callable
        Routes a sequence of requests (``RoutingService.route``); runs in a worker thread.
    max_items : int
        Largest batch routed at once.
    on_batch : callable, optional
        Called with the size of each batch (e.g. to feed a histogram).

    Notes
    -----
    When a shared batch fails, its requests are retried one by one so an error reaches only
    the caller whose request caused it.
    """

    def __init__(
        self,
        route: RouteFn,
        *,
        max_items: int = 64,
        on_batch: Callable[[int], None] | None = None,
    ) -> None:
        self._route = route
        self._on_batch = on_batch
        self._max_items = max_items
        self._pending: list[tuple[RouteRequest, asyncio.Future[RoutedComplaint]]] = []
        self._draining = False
        self._task: asyncio.Task[None] | None = None

    async def submit(self, request: RouteRequest) -> RoutedComplaint:
        """Route one request, possibly together with others submitted meanwhile."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[RoutedComplaint] = loop.create_future()
        self._pending.append((request, future))
        if not self._draining:
            self._draining = True
            self._task = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._pending:
                batch = self._pending[: self._max_items]
                del self._pending[: self._max_items]
                await self._run(batch)
        finally:
            self._draining = False

    async def _run(self, batch: list[tuple[RouteRequest, asyncio.Future[RoutedComplaint]]]) -> None:
        if self._on_batch is not None:
            self._on_batch(len(batch))
        try:
            results = await anyio.to_thread.run_sync(self._route, [r for r, _ in batch])
        except Exception as exc:
            if len(batch) == 1:
                _settle(batch[0][1], exc=exc)
                return
            for request, future in batch:
                try:
                    (result,) = await anyio.to_thread.run_sync(self._route, [request])
                except Exception as single_exc:
                    _settle(future, exc=single_exc)
                else:
                    _settle(future, result=result)
            return
        for (_, future), result in zip(batch, results, strict=True):
            _settle(future, result=result)


def _settle(
    future: asyncio.Future[RoutedComplaint],
    *,
    result: RoutedComplaint | None = None,
    exc: BaseException | None = None,
) -> None:
    if future.done():  # the caller went away
        return
    if exc is not None:
        future.set_exception(exc)
    elif result is not None:
        future.set_result(result)
