"""Request middleware (pure ASGI): request id, body limits, metrics, access log, last-resort 500."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lapor_nlp.observability import ServiceMetrics, request_id_var
from lapor_nlp.observability.logging import mask_message
from lapor_nlp.service.routing import ID_PERSONAL_DATA
from lapor_nlp.text.mask import personal_data_kinds

logger = logging.getLogger("lapor_nlp.http")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class BodyTooLargeError(Exception):
    """The request body is longer than ``LAPOR_MAX_BODY_BYTES``."""

    pass


class ServiceMiddleware:
    """Wraps every HTTP request.

    - gives it a request id (``X-Request-ID``; a well-formed incoming one is kept),
    - refuses bodies over ``max_body_bytes`` (413, from Content-Length and while reading),
    - refuses JSON bodies that are not UTF-8 (400),
    - counts it in the metrics under its path template and writes one access-log line,
    - answers an unexpected exception with 500 and the request id only (details go to the log).
    """

    def __init__(
        self, app: ASGIApp, *, metrics: ServiceMetrics, max_body_bytes: int, access_log: bool
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.max_body_bytes = max_body_bytes
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope) or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        state: dict[str, Any] = {"status": 500, "started": False}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                state["started"] = True
                MutableHeaders(scope=message).append("X-Request-ID", request_id)
            await send(message)

        try:
            if scope["method"] in _BODY_METHODS:
                refusal, receive = await self._buffer_body(scope, receive)
                if refusal is not None:
                    await _send_json(send_with_id, refusal[0], refusal[1], request_id)
                    return
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            self.metrics.errors.labels(type(exc).__name__).inc()
            logger.exception("unexpected error while serving %s", _template(scope))
            if not state["started"]:
                await _send_json(send_with_id, 500, "internal server error", request_id)
        finally:
            elapsed = time.perf_counter() - started
            path = _template(scope)
            self.metrics.observe_request(scope["method"], path, state["status"], elapsed)
            if self.access_log:
                shown = path if path != "<unmatched>" else scope.get("path", path)
                logger.info(
                    "%s %s %d %.1fms",
                    scope["method"],
                    shown,
                    state["status"],
                    elapsed * 1000,
                    extra={
                        "http": {
                            "method": scope["method"],
                            "path": mask_message(str(shown)),
                            "status": state["status"],
                            "duration_ms": round(elapsed * 1000, 1),
                        }
                    },
                )
            request_id_var.reset(token)

    async def _buffer_body(
        self, scope: Scope, receive: Receive
    ) -> tuple[tuple[int, str] | None, Receive]:
        limit = self.max_body_bytes
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.isdigit():
                return (400, "Content-Length: not a number"), receive
            if int(declared) > limit:
                return (413, f"body: larger than the limit of {limit} bytes"), receive
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return (400, "body: the client disconnected"), receive
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return (413, f"body: larger than the limit of {limit} bytes"), receive
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if body and _is_json(scope):
            try:
                body.decode("utf-8")
            except UnicodeDecodeError as exc:
                return (400, f"body: not valid UTF-8 (at byte {exc.start})"), receive
        return None, _replay(body, receive)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1")).strip()
    return None


def _is_json(scope: Scope) -> bool:
    content_type = (_header(scope, b"content-type") or "").lower()
    return not content_type or "json" in content_type


def _incoming_request_id(scope: Scope) -> str | None:
    """A client's X-Request-ID when it is well formed and holds no personal data (request ids
    are logged and answered as they are)."""
    value = _header(scope, b"x-request-id")
    if not value or not _REQUEST_ID.match(value):
        return None
    return None if personal_data_kinds(value) & ID_PERSONAL_DATA else value


def _template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "<unmatched>"


async def _send_json(send: Send, status: int, detail: str, request_id: str) -> None:
    body = json.dumps({"detail": detail, "request_id": request_id}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
