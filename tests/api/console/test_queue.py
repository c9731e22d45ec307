"""The review queue: ordering, rendering, actions by mouse and keyboard, failed saves."""

from __future__ import annotations

from typing import Any

import pytest

from lapor_nlp.auth import Role
from tests.api.console.conftest import PHONE, ConsoleServer, goto, login

pytestmark = pytest.mark.browser


def _selected(page: Any) -> str:
    value = page.locator(".item.selected").get_attribute("data-id")
    assert value
    return str(value)


def _saved(page: Any, complaint_id: str) -> None:
    """Wait until the card of ``complaint_id`` left the queue (its verdict was stored)."""
    page.locator(f'.item[data-id="{complaint_id}"]').wait_for(state="detached")


def _last(console_server: ConsoleServer, complaint_id: str) -> dict[str, Any]:
    feedback = console_server.feedback(complaint_id)
    assert len(feedback) == 1, feedback
    return feedback[0]


def test_queue_shows_the_least_certain_first_with_highlights(
    page: Any, console_server: ConsoleServer, artifacts: Any
) -> None:
    login(page, console_server.keys["operator"])
    shown = page.eval_on_selector_all(".item", "els => els.map(e => e.dataset.id)")
    # The default view: what needs a decision (review and needs_info, then audits).
    expected = [item["complaint_id"] for item in console_server.queue(needs_decision="true")]
    assert shown and shown == expected[: len(shown)]
    first = page.locator(".item").first
    assert "selected" in (first.get_attribute("class") or "")
    assert first.locator(".suggestion").count() == 3
    assert first.locator(".badge").count() == 1
    assert first.locator("time").count() == 1
    # The words that drove the prediction are marked in the text.
    assert page.locator(".item-text mark").count() > 0
    # Personal data stays masked.
    phone_card = page.locator(".item", has_text="Pungutan liar")
    if phone_card.count():
        assert "[TELEPON]" in phone_card.inner_text() and "0812" not in phone_card.inner_text()
    page.screenshot(path=str(artifacts / "queue-1366.png"))


def test_filters_by_opd_and_decision(page: Any, console_server: ConsoleServer) -> None:
    login(page, console_server.keys["operator"])
    page.select_option("#filter-opd", "DINKES")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**/console/queue?opd=DINKES*")
    tops = page.eval_on_selector_all(".item", "els => els.map(e => e.dataset.top)")
    assert tops and set(tops) == {"DINKES"}
    goto(page, "/console/queue?decision=needs_info")
    badges = page.locator(".item .badge").all_inner_texts()
    expected = console_server.queue(decision="needs_info")
    assert len(badges) == len(expected) and set(badges) <= {"perlu info"}


def test_accept_and_correct_by_mouse(page: Any, console_server: ConsoleServer) -> None:
    login(page, console_server.keys["operator"])
    card = page.locator(".item").nth(1)
    accepted, top = card.get_attribute("data-id"), card.get_attribute("data-top")
    card.locator(".item-text").click()  # the first click only selects the card
    assert card.get_attribute("data-id") == _selected(page)
    assert console_server.feedback(str(accepted)) == []
    card.get_by_role("button", name="Terima saran").click()
    _saved(page, str(accepted))
    stored = _last(console_server, str(accepted))
    assert stored["verdict"] == "accept" and stored["opd"] == top
    assert stored["operator"] == "operator-uji"

    card = page.locator(".item").first
    corrected = str(card.get_attribute("data-id"))
    card.locator(".item-text").click()
    card.get_by_role("button", name="OPD lain").click()
    page.fill("#opd-search", "perhubungan")
    options = page.locator("#opd-options li:visible")
    assert options.count() >= 1
    page.click('#opd-options li[data-code="DISHUB"]')
    # The corrected OPD proposes its default category; nothing is saved before confirming.
    assert card.locator("select.category").input_value() == "TRANSPORTASI"
    assert console_server.feedback(corrected) == []
    card.get_by_role("button", name="Simpan koreksi").click()
    _saved(page, corrected)
    stored = _last(console_server, corrected)
    assert (stored["verdict"], stored["opd"], stored["category"]) == (
        "correct",
        "DISHUB",
        "TRANSPORTASI",
    )


def test_keyboard_actions(page: Any, console_server: ConsoleServer) -> None:
    login(page, console_server.keys["operator"])
    keyboard = page.keyboard
    first = _selected(page)
    keyboard.press("j")
    second = _selected(page)
    keyboard.press("k")
    assert _selected(page) == first
    keyboard.press("j")
    assert _selected(page) == second

    # a: accept the top suggestion, with a note written after n.
    top = page.locator(".item.selected").get_attribute("data-top")
    keyboard.press("n")
    keyboard.type("sudah dicek ke lapangan")
    keyboard.press("Enter")
    keyboard.press("a")
    _saved(page, second)
    stored = _last(console_server, second)
    assert (stored["verdict"], stored["opd"]) == ("accept", top)
    assert stored["note"] == "sudah dicek ke lapangan"

    # 2: the second suggestion is the right OPD.
    target = _selected(page)
    assert target != second
    runner_up = page.locator(".item.selected .suggestion[data-rank='2']").get_attribute("data-opd")
    keyboard.press("2")
    page.locator(".item.selected .item-status.is-confirm").wait_for()
    keyboard.press("Enter")  # confirm the OPD's default category
    _saved(page, target)
    stored = _last(console_server, target)
    assert (stored["verdict"], stored["opd"]) == ("correct", runner_up)
    assert stored["category"] == console_server.default_category(str(runner_up))

    # b: not the province's matter; i: needs more information.
    for key, verdict in (("b", "not_authority"), ("i", "incomplete")):
        target = _selected(page)
        keyboard.press(key)
        _saved(page, target)
        assert _last(console_server, target)["verdict"] == verdict

    # c: change the category, then /: search another OPD and save with Enter.
    target = _selected(page)
    keyboard.press("c")
    page.locator(".item.selected select.category").select_option("TRANSPORTASI")
    keyboard.press("Escape")
    keyboard.press("/")
    keyboard.type("bencana")
    keyboard.press("Enter")
    page.locator(".item.selected .item-status.is-confirm").wait_for()
    keyboard.press("Enter")  # the category chosen by hand is kept
    _saved(page, target)
    stored = _last(console_server, target)
    assert (stored["verdict"], stored["opd"], stored["category"]) == (
        "correct",
        "BPBD",
        "TRANSPORTASI",
    )


class Outage:
    """The network drops the console's feedback requests while ``down`` is set.

    Its route is added before the page loads: Chromium applies a route added to a loaded page
    only once the page's renderer has taken it up, and a request sent in between goes out
    unrouted (under load the "dropped" save was stored and its card left the queue)."""

    PATTERN = "**/console/api/complaints/*/feedback"

    def __init__(self, page: Any) -> None:
        self.down = False
        page.route(self.PATTERN, self._handle)

    def _handle(self, route: Any) -> None:
        if self.down:
            route.abort()
        else:
            route.fallback()


def test_a_failed_save_is_shown_and_the_item_kept(page: Any, console_server: ConsoleServer) -> None:
    key = console_server.new_key(Role.OPERATOR, "operator-sementara")
    outage = Outage(page)
    login(page, key)
    target = _selected(page)

    # The network drops the request: the card stays with the error, and a retry saves once.
    outage.down = True
    with page.expect_event("requestfailed") as dropped:
        page.keyboard.press("a")
    assert dropped.value.url.endswith(f"/complaints/{target}/feedback")
    error = page.locator(f'.item[data-id="{target}"] .item-status.is-error')
    error.wait_for()
    assert "Tidak dapat menghubungi server" in error.inner_text()
    assert "Gagal" in page.inner_text("#toast")
    assert console_server.feedback(target) == []
    outage.down = False
    page.keyboard.press("a")
    _saved(page, target)
    assert len(console_server.feedback(target)) == 1

    # The key is revoked between page load and action: refused, shown, nothing stored.
    target = _selected(page)
    console_server.revoke(key)  # the test server checks keys on every request
    page.keyboard.press("b")
    error = page.locator(f'.item[data-id="{target}"] .item-status.is-error')
    error.wait_for()
    assert "Sesi berakhir" in error.inner_text()
    assert page.locator(f'.item[data-id="{target}"]').is_visible()
    assert console_server.feedback(target) == []


def test_queue_on_a_phone(browser: Any, console_server: ConsoleServer, artifacts: Any) -> None:
    context = browser.new_context(
        viewport=PHONE, base_url=console_server.url, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        login(page, console_server.keys["operator"])
        page.screenshot(path=str(artifacts / "queue-390.png"))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px screen"
        card = page.locator(".item").nth(1)
        target = str(card.get_attribute("data-id"))
        card.locator(".item-text").tap()
        card.get_by_role("button", name="Bukan wewenang").tap()
        _saved(page, target)
        assert _last(console_server, target)["verdict"] == "not_authority"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_the_next_items_arrive_without_a_reload(page: Any, console_server: ConsoleServer) -> None:
    login(page, console_server.keys["operator"])
    goto(page, "/console/queue?limit=3")
    assert page.locator(".item").count() == 3
    page.evaluate("window.__samePage = true")
    shown = set(page.eval_on_selector_all(".item", "els => els.map(e => e.dataset.id)"))
    target = _selected(page)
    page.keyboard.press("i")
    _saved(page, target)
    page.locator(".item").nth(3).wait_for()  # refilled from the console's JSON endpoint
    now = page.eval_on_selector_all(".item", "els => els.map(e => e.dataset.id)")
    assert target not in now and len(now) == len(set(now)) >= 4
    assert shown - {target} <= set(now)
    assert page.evaluate("window.__samePage") is True  # no full page load happened
    assert _selected(page) in now


def test_counts_per_opd_and_decision_and_autos_by_filter(
    page: Any, console_server: ConsoleServer
) -> None:
    login(page, console_server.keys["operator"])
    waiting = console_server.queue()
    expected: dict[tuple[str, str], int] = {}
    for item in waiting:
        column = "audit" if item["audit"] else item["decision"]
        key = (item["opd"][0]["code"], column)
        expected[key] = expected.get(key, 0) + 1
    shown: dict[tuple[str, str], int] = {}
    for row in page.locator("#queue-counts tbody tr").all():
        opd = str(row.get_attribute("data-opd"))
        for cell in row.locator("td").all():
            n = int(cell.inner_text())
            if n:
                shown[(opd, str(cell.get_attribute("data-decision")))] = n
    assert shown == expected and shown
    # The default view leaves out auto routings that are not audits; a filter shows them.
    decisions = page.eval_on_selector_all(".item", "els => els.map(e => e.dataset.decision)")
    assert "auto" not in decisions
    autos = console_server.queue(decision="auto", audit="false")
    goto(page, "/console/queue?decision=auto&limit=100")
    assert page.locator(".item").count() == len(autos)
    assert set(page.locator(".item .badge").all_inner_texts()) <= {"otomatis"}
