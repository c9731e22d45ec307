"""Complaint detail and dashboard pages."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.api.console.conftest import PHONE, ConsoleServer, goto, login

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
            ("correct", "DISNAKERTRANS"),  # the longest OPD code
        ],
    )
    login(page, console_server.keys["operator"])
    goto(page, "/console/dashboard")
    assert _chart_problems(page) == []
    assert "(0 label)" not in page.inner_text("#drift-note")
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

    phone = page.context.browser.new_context(viewport=PHONE, base_url=console_server.url)
    try:
        small = phone.new_page()
        login(small, console_server.keys["operator"])
        goto(small, "/console/dashboard")
        assert _chart_problems(small) == []
        small.screenshot(path=str(artifacts / "dashboard-390.png"), full_page=True)
    finally:
        phone.close()


CHART_CHECK = """() => {
    const problems = [];
    const box = (el) => el.getBoundingClientRect();
    const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1
        && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    const drift = document.querySelector('#chart-drift svg');
    if (drift) {
        const frame = box(drift);
        const scale = frame.width / drift.viewBox.baseVal.width;
        const texts = Array.from(drift.querySelectorAll('text'));
        const dots = Array.from(drift.querySelectorAll('circle'));
        for (const t of texts) {
            const b = box(t);
            if (b.left < frame.left - 0.5 || b.right > frame.right + 0.5) {
                problems.push('clipped: ' + t.textContent);
            }
            if (parseFloat(t.getAttribute('font-size')) * scale < 8.5) {
                problems.push('too small: ' + t.textContent);
            }
            for (const d of dots) {
                if (overlap(b, box(d))) problems.push('over a dot: ' + t.textContent);
            }
        }
    }
    const bar = document.querySelector('#chart-decisions svg');
    if (bar) {
        const panel = bar.parentElement.getBoundingClientRect();
        if (Math.abs(box(bar).width - panel.width) > 2) {
            problems.push('decision bar ' + box(bar).width + ' of ' + panel.width);
        }
    }
    return problems;
}"""


def _chart_problems(page: Any) -> list[str]:
    """Clipped or overlapping labels of the drift chart, unreadably small text, a decision bar
    narrower than its panel (checked on the drawn page)."""
    problems: list[str] = page.evaluate(CHART_CHECK)
    return problems


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


def test_explanation_chips_name_each_word_once_and_no_bare_numbers(
    page: Any, console_server: ConsoleServer
) -> None:
    text = (
        "Pungli pungli di sekolah: guru minta Rp 2.500.000 per siswa, jalan jalan rusak "
        "di poros Samarinda-Tenggarong km 12, limbah sungai sungai tercemar"
    )
    routed = console_server.route(text)
    terms = [t["term"] for t in routed["explanation"]]
    assert terms, routed
    login(page, console_server.keys["operator"])
    goto(page, f"/console/complaints/{routed['complaint_id']}")
    chips = page.locator(".prediction .terms mark").all_inner_texts()
    assert chips == terms
    words = [w.lower() for chip in chips for w in chip.split()]
    assert len(words) == len(set(words)), f"a word shown twice: {chips}"
    assert all(any(ch.isalpha() for ch in chip) for chip in chips), chips
