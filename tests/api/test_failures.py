"""A server without a model is alive but not ready; an unexpected error is a bare 500."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from lapor_nlp.auth import KeyManager, Role
from lapor_nlp.store import Store
from tests.api.conftest import Models, server_env, start_server, stop_server
from tests.api.corpus import ROAD_TEXT
from tests.api.test_privacy import PII_TEXT, SECRETS


def _wait_until_alive(url: str) -> None:
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("server never answered /healthz")


def test_without_a_model_the_server_is_alive_but_not_ready(tmp_path: Path) -> None:
    import socket
    import subprocess

    from tests.api.conftest import CLI

    env = server_env(tmp_path, f"sqlite:///{tmp_path / 'empty.db'}", tmp_path / "models")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [CLI, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        _wait_until_alive(url)
        ready = httpx.get(f"{url}/readyz")
        assert ready.status_code == 503
        assert "no model loaded" in ready.json()["reasons"][0]
        store = Store(f"sqlite:///{tmp_path / 'empty.db'}")
        _, key = KeyManager(store).create(role=Role.INTAKE, name="t", actor="pytest")
        store.dispose()
        routed = httpx.post(
            f"{url}/v1/route", json={"text": ROAD_TEXT}, headers={"Authorization": f"Bearer {key}"}
        )
        assert routed.status_code == 503
        assert "no routing model is loaded" in routed.json()["detail"]
    finally:
        stop_server(process)
        log.close()


@pytest.mark.parametrize("path", ["/v1/route"])
def test_unexpected_error_is_a_500_with_the_request_id_only(
    tmp_path: Path, models: Models, path: str
) -> None:
    shutil.copytree(models.root, tmp_path / "models")
    db_url = f"sqlite:///{tmp_path / 'broken.db'}"
    env = server_env(tmp_path, db_url, tmp_path / "models")
    store = Store(db_url)
    store.migrate()
    _, key = KeyManager(store).create(role=Role.INTAKE, name="t", actor="pytest")
    log_path = tmp_path / "server.log"
    process, url = start_server(env, log_path)
    try:
        with store.engine.begin() as connection:  # break the database under the server
            connection.execute(text("DROP TABLE predictions"))
        response = httpx.post(
            f"{url}{path}", json={"text": PII_TEXT}, headers={"Authorization": f"Bearer {key}"}
        )
        metrics = httpx.get(f"{url}/metrics").text
    finally:
        stop_server(process)
        store.dispose()
    assert response.status_code == 500
    body = response.json()
    assert body == {"detail": "internal server error", "request_id": body["request_id"]}
    assert response.headers["x-request-id"] == body["request_id"]
    log = log_path.read_text()
    assert body["request_id"] in log and "OperationalError" in log
    assert not any(secret in log for secret in SECRETS)
    assert 'lapor_errors_total{kind="OperationalError"} 1.0' in metrics
