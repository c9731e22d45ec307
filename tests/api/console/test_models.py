"""The model page: maintainers only; retraining with progress, promotion and rollback."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.console.conftest import PHONE, ConsoleServer, goto, login, ready

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def _active(console_server: ConsoleServer) -> str:
    with console_server.api("maintainer") as client:
        return str(client.get("/v1/models/active").json()["version"])


def test_operator_cannot_open_the_model_page(page: Any, console_server: ConsoleServer) -> None:
    login(page, console_server.keys["operator"])
    assert page.locator("nav a", has_text="Model").count() == 0
    response = page.goto("/console/models")
    assert response is not None and response.status == 403
    assert "maintainer" in page.inner_text("main")
    # The JSON endpoints refuse too, even with a valid session and CSRF token.
    status = page.evaluate(
        """async () => {
            const token = document.querySelector('meta[name="csrf-token"]').content;
            const r = await fetch('/console/api/models/console-b/promote',
                {method: 'POST', headers: {'X-CSRF-Token': token}});
            return r.status;
        }"""
    )
    assert status == 403
    assert _active(console_server) == "console-a"


def test_maintainer_retrains_promotes_and_rolls_back(
    page: Any, console_server: ConsoleServer, artifacts: Any
) -> None:
    login(page, console_server.keys["maintainer"])
    goto(page, "/console/models")
    assert "console-a" in page.inner_text("#loaded-version")
    assert page.locator("#report-console-b").count() == 1
    page.screenshot(path=str(artifacts / "models-1366.png"), full_page=True)
    # Nothing was active before console-a: no rollback button, and the service says why in
    # Indonesian when asked anyway.
    assert page.locator("#rollback").count() == 0
    assert "Belum ada model sebelumnya" in page.inner_text("#no-rollback")
    refused = page.evaluate(
        """async () => {
            const token = document.querySelector('meta[name="csrf-token"]').content;
            const r = await fetch('/console/api/models/rollback',
                {method: 'POST', headers: {'X-CSRF-Token': token}});
            return [r.status, (await r.json()).detail];
        }"""
    )
    assert refused == [409, "Tidak ada model sebelumnya untuk dikembalikan."]

    # Retraining asks first, then shows the job's progress until the candidate exists; then
    # the page reloads itself to list it, and the test acts on the new page once it is ready.
    with page.expect_navigation(timeout=120_000):
        page.click("#retrain-start")
        page.click("dialog.confirm [data-answer=yes]")
        page.locator("#job").wait_for()
        expect(page.locator("#job-status")).to_contain_text("selesai", timeout=90_000)
    ready(page)
    assert page.locator("#models-table tbody tr").count() == 3
    # The new candidate's report: both models' auto decisions on held-out operator corrections.
    verified = page.locator("section.comparison table.verified")
    expect(verified).to_have_count(1)
    assert "koreksi operator" in verified.inner_text()
    assert "Bobot koreksi operator" in page.inner_text("section.comparison:has(table.verified)")

    # Cancelling a promotion changes nothing.
    page.click("#report-console-b [data-promote]")
    page.click("dialog.confirm [data-answer=no]")
    assert _active(console_server) == "console-a"

    # Promote the candidate after confirming; the page reloads only once the server serves
    # it, so the first page shown after the promotion already names it.
    page.click("#report-console-b [data-promote]")
    with page.expect_navigation(timeout=30_000):
        page.click("dialog.confirm [data-answer=yes]")
    ready(page)
    assert page.inner_text("#loaded-version") == "console-b"
    assert _active(console_server) == "console-b"
    row = page.locator('#models-table tr[data-version="console-b"]')
    assert "aktif" in row.inner_text() and "melayani" in row.inner_text()
    retired = page.locator('#models-table tr[data-version="console-a"]')
    assert "melayani" not in retired.inner_text()
    assert page.locator("#rollback").get_attribute("data-target") == "console-a"

    # Roll back to the previous model.
    page.click("#rollback")
    page.click("dialog.confirm [data-answer=yes]")
    expect(page.locator("#loaded-version")).to_have_text("console-a", timeout=15_000)
    assert _active(console_server) == "console-a"


def test_the_candidate_verdict_agrees_with_its_table(
    page: Any, console_server: ConsoleServer
) -> None:
    login(page, console_server.keys["maintainer"])
    goto(page, "/console/models")
    reports = page.locator("section.comparison")
    assert reports.count() >= 1
    for report in reports.all():
        verdict = report.locator("p.verdict").inner_text()
        deciding = report.locator("tr.decides")
        assert deciding.count() >= 1 and "Macro-F1" in deciding.first.inner_text()
        deciding_down = report.locator("tr.decides td.delta-down").count()
        other_down = report.locator("tbody tr:not(.decides) td.delta-down").count()
        reasons = report.locator(".reasons").inner_text()
        # Each deciding measure is named with the numbers of its table row.
        active, candidate = deciding.first.locator("td.num").all_inner_texts()[:2]
        assert f"Macro-F1 OPD {active} → {candidate}" in reasons
        if deciding_down or report.locator(".reason.is-down").count():
            assert "lebih buruk" in verdict and "tidak lebih buruk" not in verdict
        elif other_down:
            # Not a plain green badge beside a red drop: the drop is named as a caution.
            assert "dengan catatan" in verdict
            assert report.locator(".reason.is-caution").count() >= 1
        else:
            assert "tidak lebih buruk" in verdict and "catatan" not in verdict


def test_model_page_on_a_phone(browser: Any, console_server: ConsoleServer, artifacts: Any) -> None:
    context = browser.new_context(viewport=PHONE, base_url=console_server.url, locale="id-ID")
    try:
        page = context.new_page()
        login(page, console_server.keys["maintainer"])
        goto(page, "/console/models")
        assert page.locator("#models-table tbody tr").count() >= 2
        page.screenshot(path=str(artifacts / "models-390.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px screen"
    finally:
        context.close()
