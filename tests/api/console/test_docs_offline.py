"""``/docs`` and ``/redoc`` render in Chromium with every request outside the server refused:
their scripts and styles come from the installed package, not from a CDN."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.api.console.conftest import DESKTOP, ConsoleServer


@pytest.fixture
def offline(browser: Any, console_server: ConsoleServer) -> Iterator[tuple[Any, list[str]]]:
    """A page that can reach the server only; the refused URLs are collected."""
    own = urlsplit(console_server.url).netloc
    refused: list[str] = []
    context = browser.new_context(viewport=DESKTOP, base_url=console_server.url)
    context.set_default_timeout(20_000)

    def only_the_server(route: Any) -> None:
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_server)
    try:
        yield context.new_page(), refused
    finally:
        context.close()


def _operations(console_server: ConsoleServer) -> int:
    schema = httpx.get(f"{console_server.url}/openapi.json", timeout=10).json()
    return sum(len(methods) for methods in schema["paths"].values())


def test_swagger_ui_renders_every_operation_offline(
    offline: tuple[Any, list[str]], console_server: ConsoleServer
) -> None:
    page, refused = offline
    page.goto("/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() == _operations(console_server)
    assert page.locator(".opblock-summary-path", has_text="/v1/route").count() >= 1
    assert refused == []


def test_redoc_renders_every_operation_offline(
    offline: tuple[Any, list[str]], console_server: ConsoleServer
) -> None:
    page, refused = offline
    page.goto("/redoc")
    page.wait_for_selector("[data-section-id^='operation/']")
    assert page.locator("[data-section-id^='operation/']").count() == _operations(console_server)
    assert page.get_by_text("/v1/route/batch").count() >= 1
    assert refused == []
