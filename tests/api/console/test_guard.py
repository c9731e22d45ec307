"""The auto-route guard in the console: audit badge and filter in the queue, the banner while
the guard is not on, live precision on the dashboard, and the maintainer's control."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.console.conftest import ConsoleServer, goto, login, ready
from tests.api.corpus import CORPUS

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def _route(console_server: ConsoleServer, text: str) -> dict[str, Any]:
    with console_server.api("intake") as client:
        response = client.post(
            "/v1/route", json={"text": text, "complaint_id": f"GD-{uuid.uuid4().hex[:8]}"}
        )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _set_guard(console_server: ConsoleServer, state: str) -> None:
    with console_server.api("maintainer") as client:
        response = client.post(
            "/v1/models/active/guard", json={"state": state, "reason": "uji konsol"}
        )
    assert response.status_code == 200, response.text


def _confirm_and_wait_for_the_reload(page: Any) -> None:
    """Confirm the guard change; the model page then reloads itself to show the new state, and
    the next action waits until the new page has wired its form."""
    with page.expect_navigation(timeout=15_000):
        page.click("dialog.confirm [data-answer=yes]")
    ready(page)


@pytest.fixture
def routed(console_server: ConsoleServer) -> Iterator[list[str]]:
    """Complaints this test routes; judged at the end so the shared queue is left as found."""
    ids: list[str] = []
    try:
        yield ids
    finally:
        _set_guard(console_server, "on")
        with console_server.api("operator") as client:
            for complaint_id in ids:
                client.post(
                    f"/v1/complaints/{complaint_id}/feedback",
                    json={"verdict": "accept", "opd": "DPUPR"},
                )


def test_shadow_audits_show_a_badge_and_the_guard_a_banner(
    page: Any, console_server: ConsoleServer, routed: list[str], artifacts: Any
) -> None:
    sure = next(t for t, _, _ in CORPUS if _route(console_server, t)["decision"] == "auto")
    _set_guard(console_server, "shadow")
    audited = _route(console_server, sure)
    routed.append(audited["complaint_id"])
    assert audited["decision"] == "review"

    login(page, console_server.keys["operator"])
    banner = page.locator("#guard-banner")
    expect(banner).to_contain_text("Mode bayangan")
    goto(page, "/console/queue?audit=true")
    card = page.locator(f"#item-{audited['complaint_id']}")
    expect(card.locator(".badge-audit")).to_have_text("audit")
    assert page.locator(".item").count() == page.locator(".item .badge-audit").count()

    goto(page, "/console/dashboard")
    expect(page.locator("#guard-state")).to_have_text("shadow")
    assert "presisi" in page.inner_text("#guard")
    page.screenshot(path=str(artifacts / "guard-dashboard-1366.png"), full_page=True)


def test_maintainer_turns_auto_routing_off_and_on_from_the_model_page(
    page: Any, console_server: ConsoleServer, routed: list[str]
) -> None:
    _set_guard(console_server, "on")
    login(page, console_server.keys["maintainer"])
    goto(page, "/console/models")
    assert page.locator("#guard-banner").count() == 0
    expect(page.locator("#guard-state")).to_have_text("on")

    page.select_option("#guard-new-state", "off")
    page.fill("#guard-reason-input", "uji: matikan sementara")
    page.click("#guard-submit")
    _confirm_and_wait_for_the_reload(page)
    expect(page.locator("#guard-state")).to_have_text("off")
    expect(page.locator("#guard-banner")).to_contain_text("mati")
    expect(page.locator("#guard-reason")).to_contain_text("uji: matikan sementara")
    with console_server.api("operator") as client:
        assert client.get("/v1/models/active/guard").json()["state"] == "off"

    page.select_option("#guard-new-state", "on")
    page.fill("#guard-reason-input", "uji: nyalakan lagi")
    page.click("#guard-submit")
    _confirm_and_wait_for_the_reload(page)
    expect(page.locator("#guard-state")).to_have_text("on")
    assert page.locator("#guard-banner").count() == 0
