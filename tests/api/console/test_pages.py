"""Complaint detail and dashboard pages."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.api.console.conftest import ConsoleServer, goto, login

pytestmark = pytest.mark.browser


def _route_and_judge(
    console_server: ConsoleServer, verdicts: list[tuple[str, str | None]]
) -> list[str]:
    """Route one new complaint per verdict through the API and give it that verdict."""
    ids = []
    with console_server.api("operator") as client:
        for n, (verdict, opd) in enumerate(verdicts):
            complaint_id = f"DB-{uuid.uuid4().hex[:8]}"
            text = [
                "Jalan provinsi berlubang dan rusak parah",
                "Puskesmas kehabisan obat untuk pasien",
                "Limbah pabrik mencemari sungai warga",
                "Bantuan sosial PKH tidak sampai",
            ][n % 4]
            routed = client.post("/v1/route", json={"text": text, "complaint_id": complaint_id})
            assert routed.status_code == 200, routed.text
            body: dict[str, Any] = {"verdict": verdict}
            if opd is not None:
                body["opd"] = opd
            answer = client.post(f"/v1/complaints/{complaint_id}/feedback", json=body)
            assert answer.status_code == 201, answer.text
            ids.append(complaint_id)
    return ids


def test_detail_page_shows_text_predictions_and_feedback_history(
    page: Any, console_server: ConsoleServer, artifacts: Any
) -> None:
    complaint_id = console_server.ids[0]  # routed with a title
    with console_server.api("operator") as client:
        client.post(
            "/v1/route",
            json={"text": "Jalan berlubang dekat puskesmas", "complaint_id": complaint_id},
        )
        for body in (
            {"verdict": "correct", "opd": "DPUPR", "note": "jalan, bukan layanan kesehatan"},
            {"verdict": "accept", "opd": "DPUPR"},
        ):
            answer = client.post(f"/v1/complaints/{complaint_id}/feedback", json=body)
            assert answer.status_code == 201, answer.text
    login(page, console_server.keys["operator"])
    goto(page, f"/console/complaints/{complaint_id}")
    assert complaint_id in page.inner_text("h1")
    assert "Jalan berlubang dekat puskesmas" in page.inner_text("main")
    assert page.locator(".prediction").count() == 2  # every prediction, newest first
    rows = page.locator("#feedback-history tbody tr")
    assert rows.count() == 2
    assert "diterima" in rows.nth(0).inner_text()
    assert "dikoreksi" in rows.nth(1).inner_text()
    assert "jalan, bukan layanan kesehatan" in rows.nth(1).inner_text()
    assert "operator-uji" in rows.nth(1).inner_text()
    page.screenshot(path=str(artifacts / "detail-1366.png"), full_page=True)

    goto(page, "/console/complaints/TIDAK-ADA-123")
    assert "tidak ditemukan" in page.inner_text("h1")


def test_detail_page_opens_from_the_queue_with_o(page: Any, console_server: ConsoleServer) -> None:
    login(page, console_server.keys["operator"])
    selected = page.locator(".item.selected").get_attribute("data-id")
    page.keyboard.press("o")
    page.wait_for_url(f"**/console/complaints/{selected}")


def test_dashboard_draws_the_charts(
    page: Any, console_server: ConsoleServer, artifacts: Any
) -> None:
    _route_and_judge(
        console_server,
        [
            ("accept", "DPUPR"),
            ("accept", "DINKES"),
            ("correct", "DISHUB"),
            ("not_authority", None),
            ("accept", "DPUPR"),
            ("incomplete", None),
            ("correct", "DLH"),
            ("correct", "DISPERKIM"),
        ],
    )
    login(page, console_server.keys["operator"])
    goto(page, "/console/dashboard")
    for chart in ("volume", "decisions", "drift", "feedback"):
        assert page.locator(f"#chart-{chart} svg").count() == 1, chart
    assert page.locator("#chart-volume svg rect").count() > 30  # one cell per OPD and day
    assert page.locator("#chart-drift svg circle").count() >= 4
    assert page.locator("#chart-feedback svg rect").count() >= 4
    with httpx.Client(
        base_url=console_server.url,
        headers={"Authorization": f"Bearer {console_server.keys['operator']}"},
    ) as client:
        stats = client.get("/v1/stats").json()
    assert str(stats["complaints"]) in page.inner_text(".cards")
    page.screenshot(path=str(artifacts / "dashboard-1366.png"), full_page=True)
    goto(page, "/console/dashboard?days=7")
    assert page.locator(".range [aria-current=page]").inner_text() == "7 hari"


def test_detail_page_and_queue_show_another_levels_matter(
    page: Any, console_server: ConsoleServer
) -> None:
    complaint_id = f"NA-{uuid.uuid4().hex[:8]}"
    text = "tagihan listrik PLN naik dua kali lipat padahal pemakaian sama, meteran rusak"
    with console_server.api("operator") as client:
        routed = client.post("/v1/route", json={"text": text, "complaint_id": complaint_id})
    assert routed.json()["authority"]["level"] == "bumn"
    login(page, console_server.keys["operator"])
    goto(page, f"/console/complaints/{complaint_id}")
    badge = page.locator(".detail-head .authority")
    assert "BUMN" in badge.inner_text() and "bukan wewenang" in badge.inner_text()
    top = routed.json()["opd"][0]["code"]
    goto(page, f"/console/queue?opd={top}&decision=review&limit=100")
    item = page.locator(f"#item-{complaint_id}")
    assert "BUMN" in item.locator(".authority").inner_text()
