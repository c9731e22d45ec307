"""API keys and roles: who may call what, and the ``keys`` CLI."""

from __future__ import annotations

import subprocess
import time

import httpx
import pytest

from lapor_nlp.auth import KeyManager, Role
from lapor_nlp.store import Store
from lapor_nlp.store import repository as repo
from tests.api.conftest import CLI, Server, server_env, start_server, stop_server
from tests.api.corpus import ROAD_TEXT

ROUTE = ("POST", "/v1/route", {"text": ROAD_TEXT})
BATCH = ("POST", "/v1/route/batch", {"items": [{"text": ROAD_TEXT}]})
TAXONOMY = ("GET", "/v1/taxonomy", None)
COMPLAINT = ("GET", "/v1/complaints/unknown-id", None)
MODELS = ("GET", "/v1/models", None)
ACTIVE = ("GET", "/v1/models/active", None)
FEEDBACK = ("POST", "/v1/complaints/unknown-id/feedback", {"verdict": "incomplete"})
QUEUE = ("GET", "/v1/review-queue", None)
STATS = ("GET", "/v1/stats", None)
EXPORT = ("GET", "/v1/feedback/export", None)
JOB = ("GET", "/v1/jobs/unknown-job", None)
PROMOTE = ("POST", "/v1/models/unknown-version/promote", None)

# (request, lowest role allowed); a 404 for the unknown complaint means "allowed".
RULES = [
    (ROUTE, Role.INTAKE),
    (BATCH, Role.INTAKE),
    (TAXONOMY, Role.INTAKE),
    (COMPLAINT, Role.OPERATOR),
    (MODELS, Role.OPERATOR),
    (ACTIVE, Role.OPERATOR),
    (FEEDBACK, Role.OPERATOR),
    (QUEUE, Role.OPERATOR),
    (STATS, Role.OPERATOR),
    (EXPORT, Role.MAINTAINER),
    (JOB, Role.MAINTAINER),
    (PROMOTE, Role.MAINTAINER),
]


def _call(client: httpx.Client, request: tuple[str, str, object]) -> httpx.Response:
    method, path, body = request
    return client.request(method, path, json=body)


@pytest.mark.parametrize(("request_", "lowest"), RULES, ids=[f"{r[0][0]} {r[0][1]}" for r in RULES])
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_role_rules(
    server: Server, request_: tuple[str, str, object], lowest: Role, role: Role
) -> None:
    with server.client(role.value) as client:
        response = _call(client, request_)
    if role.allows(lowest):
        assert response.status_code in {200, 404}, response.text
    else:
        assert response.status_code == 403
        body = response.json()
        assert role.value in body["detail"] and lowest.value in body["detail"]
        assert body["request_id"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer lpr_not-a-real-key"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer"},
    ],
    ids=["missing", "unknown", "wrong-scheme", "empty"],
)
@pytest.mark.parametrize(
    "request_", [r for r, _ in RULES], ids=[f"{r[0][0]} {r[0][1]}" for r in RULES]
)
def test_missing_or_unknown_key_is_401(
    server: Server, headers: dict[str, str], request_: tuple[str, str, object]
) -> None:
    with httpx.Client(base_url=server.url, headers=headers) as client:
        response = _call(client, request_)
    assert response.status_code == 401
    assert "API key" in response.json()["detail"]
    assert response.headers["www-authenticate"] == "Bearer"


def test_revoked_key_is_refused(server: Server) -> None:
    store = Store(server.database_url)
    manager = KeyManager(store, cache_seconds=0)
    info, key = manager.create(role=Role.INTAKE, name="temporary", actor="pytest")
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=server.url, headers=headers) as client:
        assert client.get("/v1/taxonomy").status_code == 200
        manager.revoke(str(info.id), actor="pytest")
        deadline = time.monotonic() + 5
        while client.get("/v1/taxonomy").status_code != 401:
            assert time.monotonic() < deadline, "revoked key still accepted"
            time.sleep(0.2)
    with store.read() as session:
        actions = {e.action for e in repo.list_audit(session) if e.target == f"api_key:{info.id}"}
    store.dispose()
    assert actions == {"api_key.create", "api_key.revoke"}


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=120)


def test_keys_cli_create_list_revoke(server: Server) -> None:
    created = _cli(server.env, "keys", "create", "--role", "operator", "--name", "loket-cli")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}) as client:
        assert client.get("/v1/models").status_code == 200
    listing = _cli(server.env, "keys", "list")
    assert "loket-cli" in listing.stdout and key not in listing.stdout
    assert key[:12] in listing.stdout
    revoked = _cli(server.env, "keys", "revoke", key[:12])
    assert revoked.returncode == 0, revoked.stderr
    bad = _cli(server.env, "keys", "create", "--role", "admin")
    assert bad.returncode != 0 and "intake, operator, maintainer" in bad.stderr


def test_bootstrap_key_on_first_start_only(tmp_path, models) -> None:  # type: ignore[no-untyped-def]
    import shutil

    shutil.copytree(models.root, tmp_path / "models")
    env = server_env(tmp_path, f"sqlite:///{tmp_path / 'boot.db'}", tmp_path / "models")
    log_path = tmp_path / "first.log"
    process, url = start_server(env, log_path, "--bootstrap-key")
    try:
        lines = log_path.read_text().splitlines()
        marker = next(i for i, line in enumerate(lines) if "maintainer API key" in line)
        key = lines[marker + 1].strip()
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as client:
            assert client.get("/v1/models").status_code == 200
    finally:
        stop_server(process)
    second_log = tmp_path / "second.log"
    process, _ = start_server(env, second_log, "--bootstrap-key")
    stop_server(process)
    assert "maintainer API key" not in second_log.read_text()
