"""A real TCP proxy for network-fault tests: forwards bytes, or stops passing them, or refuses.

It runs its own asyncio loop in a daemon thread. ``stall()`` keeps every connection open but
stops reading from both sides (bytes stay in the kernel's buffers, as with a hung network
path); ``resume()`` passes them again; ``refuse()`` closes the listening socket and every
connection, so new connections are refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class TcpProxy:
    """Forwards ``127.0.0.1:port`` to ``upstream_host:upstream_port``."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._passing: asyncio.Event | None = None
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.connections = 0

    # ----------------------------------------------------------- control (any thread)
    def start(self) -> TcpProxy:
        self._thread.start()
        self._call(self._start())
        return self

    def stall(self) -> None:
        self._call(self._set_passing(False))

    def resume(self) -> None:
        self._call(self._set_passing(True))

    def refuse(self) -> None:
        self._call(self._close())

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._call(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def _call(self, coroutine: object) -> object:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)  # type: ignore[arg-type]
        return future.result(timeout=10)

    # ----------------------------------------------------------------- loop side
    async def _start(self) -> None:
        self._passing = asyncio.Event()
        self._passing.set()
        sock = socket.socket()
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        self._server = await asyncio.start_server(self._serve, sock=sock)

    async def _set_passing(self, passing: bool) -> None:
        assert self._passing is not None
        if passing:
            self._passing.set()
        else:
            self._passing.clear()

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            server_r, server_w = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_w.transport.abort()
            return
        self._writers.update({client_w, server_w})
        await asyncio.gather(
            self._pump(client_r, server_w), self._pump(server_r, client_w), return_exceptions=True
        )
        for writer in (client_w, server_w):
            self._writers.discard(writer)
            writer.transport.abort()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert self._passing is not None
        while True:
            await self._passing.wait()
            data = await reader.read(65536)
            if not data:
                break
            await self._passing.wait()  # bytes read just before a stall are held too
            writer.write(data)
            await writer.drain()


@contextmanager
def proxy_to(host: str, port: int) -> Iterator[TcpProxy]:
    proxy = TcpProxy(host, port).start()
    try:
        yield proxy
    finally:
        proxy.close()
