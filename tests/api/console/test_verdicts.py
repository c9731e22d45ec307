"""Undo, change of verdict, category changes and who is named, in the browser."""

from __future__ import annotations

from typing import Any

import pytest

from lapor_nlp.auth import Role
from tests.api.console.conftest import PHONE, ConsoleServer, goto, login, ready

pytestmark = pytest.mark.browser

ROAD = "Jalan provinsi rusak parah dan berlubang, aspal mengelupas sepanjang 2 km"


def _card(page: Any, complaint_id: str) -> Any:
    return page.locator(f'.item[data-id="{complaint_id}"]')


def _history(console_server: ConsoleServer, complaint_id: str) -> list[tuple[str, Any, Any]]:
    return [(f["verdict"], f["opd"], f["category"]) for f in console_server.feedback(complaint_id)]


def test_undo_with_u_brings_the_card_back(page: Any, console_server: ConsoleServer) -> None:
    key = console_server.new_key(Role.OPERATOR, "operator-undo")
    routed = console_server.route(ROAD)
    target = routed["complaint_id"]
    login(page, key)
    goto(page, "/console/queue?decision=all&limit=100")
    card = _card(page, target)
    card.locator(".item-text").click()
    page.keyboard.press("a")
    card.wait_for(state="detached")
    assert "Batalkan (u)" in page.inner_text("#toast")
    assert [v for v, *_ in _history(console_server, target)] == ["accept"]
    with page.expect_response("**/console/api/feedback/*/undo") as answer:
        page.keyboard.press("u")
    assert answer.value.status == 201
    card.wait_for()
    assert "selected" in (card.get_attribute("class") or "")
    assert "dibatalkan" in card.locator(".item-status").inner_text()
    assert [v for v, *_ in _history(console_server, target)] == ["accept", "withdrawn"]
    assert target in {item["complaint_id"] for item in console_server.queue()}
    # A second u has nothing left to undo; the card is decided again normally.
    page.keyboard.press("i")
    card.wait_for(state="detached")
    assert [v for v, *_ in _history(console_server, target)] == [
        "accept",
        "withdrawn",
        "incomplete",
    ]


def test_a_category_change_is_saved_as_recategorize(
    page: Any, console_server: ConsoleServer
) -> None:
    routed = console_server.route(ROAD)
    target, top = routed["complaint_id"], routed["opd"][0]["code"]
    model_category = routed["category"][0]["code"]
    other = "LINGKUNGAN" if model_category != "LINGKUNGAN" else "TRANSPORTASI"
    login(page, console_server.keys["operator"])
    goto(page, "/console/queue?decision=all&limit=100")
    card = _card(page, target)
    card.locator(".item-text").click()
    page.keyboard.press("c")
    card.locator("select.category").select_option(other)
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    card.wait_for(state="detached")
    assert _history(console_server, target) == [("recategorize", top, other)]
    assert "Kategori diubah" in page.inner_text("#toast")


def test_detail_page_changes_the_verdict(
    browser: Any, page: Any, console_server: ConsoleServer, artifacts: Any
) -> None:
    routed = console_server.route(ROAD)
    target, top = routed["complaint_id"], routed["opd"][0]["code"]
    with console_server.api("operator") as client:
        first = client.post(
            f"/v1/complaints/{target}/feedback",
            json={"verdict": "accept", "opd": top, "note": f"hub {PHONE}"},
        )
    assert first.status_code == 201, first.text
    login(page, console_server.keys["operator"])
    goto(page, f"/console/complaints/{target}")
    assert page.inner_text("#change-verdict h2") == "Ubah keputusan"
    page.select_option("#verdict-choice", "correct")
    page.select_option("#verdict-opd", "DISHUB")
    # The corrected OPD proposes its default category; the operator may keep or change it.
    assert page.locator("#verdict-category").input_value() == "TRANSPORTASI"
    page.fill("#verdict-form input[name=note]", "angkutan, bukan jalan")
    with page.expect_navigation():
        page.click("#verdict-save")
    ready(page)
    rows = page.locator("#feedback-history tbody tr")
    assert rows.count() == 2
    assert "superseded" in (rows.nth(1).get_attribute("class") or "")
    assert "operator-uji" in rows.nth(0).inner_text()  # the key's owner, not a typed name
    assert _history(console_server, target)[-1] == ("correct", "DISHUB", "TRANSPORTASI")
    page.screenshot(path=str(artifacts / "complaint-1366.png"), full_page=True)

    # Someone else changes it meanwhile: this page's change is refused, in Indonesian.
    latest = console_server.feedback(target)[-1]["feedback_id"]
    with console_server.api("operator") as client:
        client.post(
            f"/v1/complaints/{target}/feedback",
            json={"verdict": "incomplete", "supersedes": latest},
        )
    page.select_option("#verdict-choice", "not_authority")
    page.click("#verdict-save")
    error = page.locator("#verdict-status.is-error")
    error.wait_for()
    assert "sudah diubah sejak halaman dibuka" in error.inner_text()
    assert [v for v, *_ in _history(console_server, target)] == ["accept", "correct", "incomplete"]

    phone = browser.new_context(viewport={"width": 390, "height": 844}, base_url=console_server.url)
    try:
        small = phone.new_page()
        login(small, console_server.keys["operator"])
        goto(small, f"/console/complaints/{target}")
        small.screenshot(path=str(artifacts / "complaint-390.png"), full_page=True)
        assert small.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        phone.close()
