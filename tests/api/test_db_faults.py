"""A database that stalls, refuses or is locked: bounded waits, 503 with a retry hint, and the
routes that need no database keep answering. The stall is a real TCP proxy that stops passing
bytes between the server and PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from lapor_nlp.auth import KeyManager, Role
from lapor_nlp.store import Store
from tests.api.conftest import CLI, Models, free_port, server_env, start_server, stop_server
from tests.lapor_nlp.store.databases import database_url
from tests.tcp_proxy import TcpProxy, proxy_to

ROUTE = {"text": "Jalan provinsi rusak berlubang parah mohon diperbaiki"}
FAULT_ENV = {
    "LAPOR_DB_CONNECT_TIMEOUT_SECONDS": "2",
    "LAPOR_DB_STATEMENT_TIMEOUT_SECONDS": "2",
    "LAPOR_DB_POOL_TIMEOUT_SECONDS": "1",
    "LAPOR_DB_MAX_CONCURRENCY": "4",
    "LAPOR_KEY_CACHE_SECONDS": "5",
    "LAPOR_KEY_OUTAGE_SECONDS": "300",
}


@contextmanager
def fault_server(
    models: Models, tmp: Path, db_url: str, direct_url: str
) -> Iterator[tuple[str, dict[str, str]]]:
    """A server on ``db_url``; keys are made through ``direct_url`` (not through a proxy)."""
    models_dir = tmp / "models"
    shutil.copytree(models.root, models_dir)
    env = {**server_env(tmp, db_url, models_dir), **FAULT_ENV}
    store = Store(direct_url)
    store.migrate()
    manager = KeyManager(store, cache_seconds=0)
    keys = {r.value: manager.create(role=r, name=r.value, actor="pytest")[1] for r in Role}
    store.dispose()
    process, url = start_server(env, tmp / "server.log")
    try:
        yield url, keys
    finally:
        stop_server(process)


def _timed(call: object) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = call()  # type: ignore[operator]
    return response, time.monotonic() - started


def _post_route(url: str, key: str) -> tuple[httpx.Response, float]:
    headers = {"Authorization": f"Bearer {key}"}
    return _timed(lambda: httpx.post(f"{url}/v1/route", json=ROUTE, headers=headers, timeout=60))


def _get(
    url: str, path: str, key: str | None = None, timeout: float = 60
) -> tuple[httpx.Response, float]:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return _timed(lambda: httpx.get(f"{url}{path}", headers=headers, timeout=timeout))


def _assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"].isdigit()
    body = response.json()
    assert "database unavailable" in body["detail"] and body["request_id"]
    shown = response.text.replace(body["request_id"], "")  # a random id may hold "5432"
    assert "127.0.0.1" not in shown and "5432" not in shown


@pytest.mark.postgres
def test_stalled_postgres_answers_503_quickly_and_free_routes_keep_answering(
    models: Models, tmp_path: Path
) -> None:
    with database_url("postgres", tmp_path) as direct_url:
        parsed = make_url(direct_url)
        with proxy_to(parsed.host or "127.0.0.1", parsed.port or 5432) as proxy:
            via_proxy = parsed.set(host="127.0.0.1", port=proxy.port)
            db_url = via_proxy.render_as_string(hide_password=False)
            with fault_server(models, tmp_path, db_url, direct_url) as (url, keys):
                _check_stall(url, keys, proxy)
                _check_refusal(url, keys, proxy)


def _check_stall(url: str, keys: dict[str, str], proxy: TcpProxy) -> None:
    intake = keys["intake"]
    assert _post_route(url, intake)[0].status_code == 200
    assert _get(url, "/v1/taxonomy", intake)[0].status_code == 200

    proxy.stall()
    with ThreadPoolExecutor(max_workers=48) as pool:
        flood = [pool.submit(_post_route, url, intake) for _ in range(48)]
        time.sleep(1.0)  # the flood is waiting on the stalled database now
        ready, ready_s = _get(url, "/readyz", timeout=10)
        taxonomy, taxonomy_s = _get(url, "/v1/taxonomy", intake, timeout=10)
        health, health_s = _get(url, "/healthz", timeout=10)
        results = [future.result(timeout=60) for future in flood]
    assert ready.status_code == 503 and ready_s < 2.0, (ready.text, ready_s)
    assert any("database" in reason for reason in ready.json()["reasons"])
    assert taxonomy.status_code == 200 and taxonomy_s < 1.0, taxonomy_s
    assert health.status_code == 200 and health_s < 1.0, health_s
    for response, elapsed in results:
        _assert_unavailable(response)
        assert elapsed < 20.0

    proxy.resume()
    deadline = time.monotonic() + 30
    while _get(url, "/readyz", timeout=10)[0].status_code != 200:
        assert time.monotonic() < deadline, "not ready again after the stall ended"
        time.sleep(0.5)
    assert _post_route(url, intake)[0].status_code == 200


def _check_refusal(url: str, keys: dict[str, str], proxy: TcpProxy) -> None:
    proxy.refuse()
    time.sleep(5.5)  # past LAPOR_KEY_CACHE_SECONDS: keys must now be asked of the database
    routed, _ = _post_route(url, keys["intake"])
    _assert_unavailable(routed)
    bad_key, _ = _post_route(url, "lpr_not-a-key-at-all")
    _assert_unavailable(bad_key)
    listed, _ = _get(url, "/v1/models", keys["maintainer"])
    _assert_unavailable(listed)
    ready, ready_s = _get(url, "/readyz", timeout=10)
    assert ready.status_code == 503 and ready_s < 2.0
    # A key this server checked before still opens a route that needs no database
    # (LAPOR_KEY_OUTAGE_SECONDS); a key it never saw cannot be checked: 503, not 401.
    assert _get(url, "/v1/taxonomy", keys["intake"])[0].status_code == 200
    never_seen, _ = _get(url, "/v1/taxonomy", keys["operator"])
    _assert_unavailable(never_seen)


def test_locked_sqlite_answers_503_not_500(models: Models, tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'lapor.db'}"
    with fault_server(models, tmp_path, db_url, db_url) as (url, keys):
        intake = keys["intake"]
        assert _post_route(url, intake)[0].status_code == 200
        lock = sqlite3.connect(tmp_path / "lapor.db", isolation_level=None)
        try:
            lock.execute("BEGIN EXCLUSIVE")  # a writer that never finishes
            routed, elapsed = _post_route(url, intake)
            taxonomy, taxonomy_s = _get(url, "/v1/taxonomy", intake)
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        _assert_unavailable(routed)
        assert elapsed < 10.0
        assert taxonomy.status_code == 200 and taxonomy_s < 1.0
        assert _post_route(url, intake)[0].status_code == 200


@pytest.mark.parametrize("backend", ["postgres", "sqlite"])
def test_serve_with_an_unusable_database_prints_one_line_and_exits_2(
    backend: str, tmp_path: Path
) -> None:
    if backend == "postgres":
        db_url = f"postgresql+psycopg://postgres:secret@127.0.0.1:{free_port()}/test"
    else:
        (tmp_path / "a-file").write_text("not a directory")
        db_url = f"sqlite:///{tmp_path / 'a-file' / 'lapor.db'}"
    env = server_env(tmp_path, db_url, tmp_path / "models")
    done = subprocess.run(
        [CLI, "serve", "--port", "9"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: database"), done.stderr
    assert "secret" not in done.stderr and "Traceback" not in done.stderr
