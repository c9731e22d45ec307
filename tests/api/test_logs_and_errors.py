"""Error bodies name no server paths; the log masks free text but keeps the service's own
identifiers (model versions, request ids, its URL), can be JSON, and has one access line per
request."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx

from lapor_nlp.auth import KeyManager, Role
from lapor_nlp.model import ComplaintRouter
from lapor_nlp.registry import ModelRegistry
from lapor_nlp.store import Store
from tests.api.conftest import Models, server_env, start_server, stop_server
from tests.api.corpus import CORPUS, NONROUTABLE, ROAD_TEXT

VERSION = "20261203-064758-d87c"  # the shape training gives a version
DIGIT_REQUEST_ID = "20261203123456789-retry1"
NIK = "6471051203900011"


def _key(db_url: str, role: Role = Role.MAINTAINER) -> str:
    store = Store(db_url)
    store.migrate()
    key = KeyManager(store).create(role=role, name="t", actor="pytest")[1]
    store.dispose()
    return key


def test_a_missing_model_is_reported_without_the_servers_paths(
    tmp_path: Path, models: Models
) -> None:
    models_dir = tmp_path / "models"
    shutil.copytree(models.root, models_dir)
    db_url = f"sqlite:///{tmp_path / 'lapor.db'}"
    env = server_env(tmp_path, db_url, models_dir)
    key = _key(db_url, Role.INTAKE)
    process, url = start_server(env, tmp_path / "first.log")
    stop_server(process)
    shutil.rmtree(models_dir / models.a.version)  # the active model's directory is gone

    env["LAPOR_MODEL_POLL_SECONDS"] = "30"
    process, url = start_server_unready(env, tmp_path / "second.log")
    try:
        ready = httpx.get(f"{url}/readyz", timeout=10)
        routed = httpx.post(
            f"{url}/v1/route",
            json={"text": ROAD_TEXT},
            headers={"Authorization": f"Bearer {key}"},
            timeout=10,
        )
    finally:
        stop_server(process)
    assert ready.status_code == 503 and routed.status_code == 503
    assert "no model loaded" in ready.text and models.a.version in ready.text
    for response in (ready, routed):
        assert str(tmp_path) not in response.text and "/models" not in response.text
    # The log keeps the full story for the operator.
    assert str(models_dir) in (tmp_path / "second.log").read_text()


def start_server_unready(env: dict[str, str], log_path: Path) -> tuple[object, str]:
    """Start a server that will not become ready; return once it answers /healthz."""
    import subprocess
    import time

    from tests.api.conftest import CLI, free_port

    port = free_port()
    with log_path.open("ab") as handle:
        process = subprocess.Popen(
            [CLI, "serve", "--port", str(port)], env=env, stdout=handle, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    stop_server(process)  # type: ignore[arg-type]
    raise AssertionError(log_path.read_text()[-3000:])


def test_json_log_keeps_identifiers_masks_personal_data_one_access_line(
    tmp_path: Path,
) -> None:
    registry = ModelRegistry(tmp_path / "models")
    router = ComplaintRouter(C=20.0, char_ngram_range=None, min_df=1, threshold_folds=3).fit(
        [t for t, _, _ in CORPUS], [o for _, o, _ in CORPUS], nonroutable=NONROUTABLE
    )
    registry.register(router, {"version": VERSION})
    registry.activate(VERSION)
    db_url = f"sqlite:///{tmp_path / 'lapor.db'}"
    env = {**server_env(tmp_path, db_url, registry.root), "LAPOR_LOG_FORMAT": "json"}
    key = _key(db_url)
    log_path = tmp_path / "server.log"
    process, url = start_server(env, log_path)
    try:
        headers = {"Authorization": f"Bearer {key}"}
        routed = httpx.post(
            f"{url}/v1/route",
            json={"text": f"{ROAD_TEXT}, hubungi 0812 3456 7890"},
            headers={**headers, "X-Request-ID": DIGIT_REQUEST_ID},
        )
        refused = httpx.post(
            f"{url}/v1/route", json={"text": ""}, headers={**headers, "X-Request-ID": NIK}
        )
    finally:
        stop_server(process)
    assert routed.status_code == 200 and routed.headers["X-Request-ID"] == DIGIT_REQUEST_ID
    assert refused.status_code == 422
    replaced = refused.headers["X-Request-ID"]
    assert replaced != NIK and refused.json()["request_id"] == replaced

    entries = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
    messages = " ".join(e["message"] for e in entries)
    assert f"active model is now {VERSION}" in messages
    assert f"Uvicorn running on {url}" in messages
    mine = [e for e in entries if e["request_id"] == DIGIT_REQUEST_ID]
    access = [e for e in mine if "http" in e]
    assert len(access) == 1 and access[0]["http"]["status"] == 200
    assert access[0]["http"]["path"] == "/v1/route"
    assert [e for e in entries if e["request_id"] == replaced and "http" in e]
    raw = log_path.read_text()
    assert NIK not in raw and "3456 7890" not in raw and "34567890" not in raw
