"""Cross-site request protection of the console (no browser needed: plain HTTP requests)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from lapor_nlp.api.console.session import COOKIE_NAME, csrf_token_for
from tests.api.console.conftest import ConsoleServer

pytestmark = pytest.mark.browser


@pytest.fixture
def session(console_server: ConsoleServer) -> Iterator[httpx.Client]:
    """An HTTP client holding an operator's console session cookie."""
    key = console_server.keys["operator"]
    with httpx.Client(base_url=console_server.url, timeout=30.0) as client:
        client.cookies.set(COOKIE_NAME, key, path="/console")
        yield client


def _target(console_server: ConsoleServer) -> str:
    return str(console_server.queue()[-1]["complaint_id"])


def test_state_changes_need_the_session_token_and_this_origin(
    session: httpx.Client, console_server: ConsoleServer
) -> None:
    complaint_id = _target(console_server)
    url = f"/console/api/complaints/{complaint_id}/feedback"
    body = {"verdict": "incomplete"}
    token = csrf_token_for(console_server.keys["operator"])
    own_origin = console_server.url

    missing = session.post(url, json=body, headers={"Origin": own_origin})
    assert missing.status_code == 403 and "CSRF" in missing.json()["detail"]
    wrong = session.post(url, json=body, headers={"Origin": own_origin, "X-CSRF-Token": "0" * 64})
    assert wrong.status_code == 403
    other_key_token = csrf_token_for(console_server.keys["maintainer"])
    bound = session.post(url, json=body, headers={"X-CSRF-Token": other_key_token})
    assert bound.status_code == 403  # the token belongs to another session
    foreign = session.post(
        url, json=body, headers={"Origin": "http://evil.example", "X-CSRF-Token": token}
    )
    assert foreign.status_code == 403 and "asal" in foreign.json()["detail"]
    assert console_server.feedback(complaint_id) == []

    ok = session.post(url, json=body, headers={"Origin": own_origin, "X-CSRF-Token": token})
    assert ok.status_code == 201, ok.text
    assert ok.json()["operator"] == "operator-uji"
    assert [f["verdict"] for f in console_server.feedback(complaint_id)] == ["incomplete"]


def test_idempotent_retry_from_the_console_stores_once(
    session: httpx.Client, console_server: ConsoleServer
) -> None:
    complaint_id = _target(console_server)
    headers = {
        "X-CSRF-Token": csrf_token_for(console_server.keys["operator"]),
        "Idempotency-Key": f"console-{complaint_id}",
    }
    url = f"/console/api/complaints/{complaint_id}/feedback"
    first = session.post(url, json={"verdict": "correct", "opd": "DLH"}, headers=headers)
    again = session.post(url, json={"verdict": "correct", "opd": "DLH"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["replayed"] is True
    assert first.json()["feedback_id"] == again.json()["feedback_id"]
    assert len(console_server.feedback(complaint_id)) == 1
    unknown = session.post(
        f"/console/api/complaints/{_target(console_server)}/feedback",
        json={"verdict": "correct", "opd": "NOPE"},
        headers={"X-CSRF-Token": headers["X-CSRF-Token"]},
    )
    assert unknown.status_code == 422 and "NOPE" in unknown.json()["detail"]


def test_login_from_another_site_and_open_redirects_are_refused(
    console_server: ConsoleServer,
) -> None:
    with httpx.Client(base_url=console_server.url, timeout=30.0) as client:
        form = {"key": console_server.keys["operator"], "next": "https://evil.example/"}
        foreign = client.post(
            "/console/login", data=form, headers={"Origin": "http://evil.example"}
        )
        assert foreign.status_code == 403
        assert COOKIE_NAME not in foreign.cookies
        own = client.post("/console/login", data=form, headers={"Origin": console_server.url})
        assert own.status_code == 303
        assert own.headers["location"] == "/console/queue"
        cookie = own.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie


def test_without_a_session_pages_redirect_and_json_answers_401(
    console_server: ConsoleServer,
) -> None:
    with httpx.Client(base_url=console_server.url, timeout=30.0) as client:
        home = client.get("/console")
        assert (home.status_code, home.headers["location"]) == (303, "/console/login")
        page = client.get("/console/queue?opd=DLH")
        assert page.status_code == 303
        assert page.headers["location"] == "/console/login?next=%2Fconsole%2Fqueue%3Fopd%3DDLH"
        assert client.get("/console/api/queue").status_code == 401
        login = client.get("/console/login")
        assert login.status_code == 200
        assert "frame-ancestors 'none'" in login.headers["content-security-policy"]
        assert "script-src 'self'" in login.headers["content-security-policy"]
        # Intake keys get no console session even when the cookie is forged.
        client.cookies.set(COOKIE_NAME, console_server.keys["intake"], path="/console")
        assert client.get("/console/api/queue").status_code == 401
    with httpx.Client(base_url=console_server.url, timeout=30.0) as client:
        client.cookies.set(COOKIE_NAME, console_server.keys["operator"], path="/console")
        logout = client.post("/console/logout", data={"csrf_token": "nope"})
        assert logout.status_code == 403
        assert client.get("/console/api/queue").status_code == 200


def test_console_routes_stay_out_of_the_api_schema(console_server: ConsoleServer) -> None:
    schema = httpx.get(f"{console_server.url}/openapi.json", timeout=30).json()
    assert not [path for path in schema["paths"] if path.startswith("/console")]
