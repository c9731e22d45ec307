"""Signing in and out of the console."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.console.conftest import ConsoleServer, goto, login

pytestmark = pytest.mark.browser


def _cookie(page: Any) -> dict[str, Any] | None:
    return next((c for c in page.context.cookies() if c["name"] == "lapor_console"), None)


def test_operator_key_opens_the_queue_and_logout_ends_the_session(
    page: Any, console_server: ConsoleServer
) -> None:
    goto(page, "/console/dashboard")
    page.wait_for_url("**/console/login?next=*")  # not signed in: sent to the login form
    page.fill("#key", console_server.keys["operator"])
    page.click("button[type=submit]")
    page.wait_for_url("**/console/dashboard")  # and back where the operator wanted to go
    cookie = _cookie(page)
    assert cookie is not None
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/console"
    assert page.evaluate("document.cookie") == ""  # invisible to scripts
    assert "operator-uji" in page.inner_text(".who")
    assert page.locator("nav a", has_text="Model").count() == 0

    page.click("text=Keluar")
    page.wait_for_url("**/console/login?bye=1")
    assert "Anda telah keluar" in page.inner_text("main")
    assert _cookie(page) is None
    goto(page, "/console/queue")
    page.wait_for_url("**/console/login?next=*")


def test_wrong_key_shows_an_error(page: Any, console_server: ConsoleServer) -> None:
    goto(page, "/console/login")
    page.fill("#key", "lpr_this-is-not-a-key")
    with page.expect_response("**/console/login") as answer:
        page.click("button[type=submit]")
    assert answer.value.status == 401
    assert "tidak dikenal" in page.inner_text("#login-error")
    assert _cookie(page) is None


def test_intake_key_is_refused(page: Any, console_server: ConsoleServer) -> None:
    goto(page, "/console/login")
    page.fill("#key", console_server.keys["intake"])
    with page.expect_response("**/console/login") as answer:
        page.click("button[type=submit]")
    assert answer.value.status == 403
    assert "intake" in page.inner_text("#login-error")
    assert _cookie(page) is None
    goto(page, "/console/queue")
    page.wait_for_url("**/console/login?next=*")


def test_maintainer_sees_the_model_menu(page: Any, console_server: ConsoleServer) -> None:
    login(page, console_server.keys["maintainer"])
    assert page.locator("nav a", has_text="Model").count() == 1


def test_failed_logins_are_limited_per_address(
    browser: Any, console_server: ConsoleServer, tmp_path: Any
) -> None:
    from tests.api.conftest import start_server, stop_server

    env = {**console_server.env, "LAPOR_LOGIN_ATTEMPTS": "3", "LAPOR_LOGIN_WINDOW_SECONDS": "600"}
    process, url = start_server(env, tmp_path / "limited.log")
    context = browser.new_context(base_url=url, locale="id-ID")
    try:
        page = context.new_page()
        for attempt in range(3):
            goto(page, "/console/login")
            page.fill("#key", f"lpr_guess-number-{attempt}")
            with page.expect_response("**/console/login") as answer:
                page.click("button[type=submit]")
            assert answer.value.status == 401
        # The address is held back now, even with a right key: refused before it is checked.
        goto(page, "/console/login")
        page.fill("#key", console_server.keys["operator"])
        with page.expect_response("**/console/login") as answer:
            page.click("button[type=submit]")
        assert answer.value.status == 429
        assert int(answer.value.headers["retry-after"]) > 500
        assert "Terlalu banyak percobaan" in page.inner_text("#login-error")
        assert _cookie(page) is None
    finally:
        context.close()
        stop_server(process)
