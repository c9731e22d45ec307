"""``/metrics`` of a real ``lapor-nlp serve``: with ``--workers 2`` every scrape sums both
workers (Prometheus multiprocess mode), names each worker's process metrics, and carries the
model-latency and top-1-confidence histograms and the feedback counter."""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from lapor_nlp.auth import KeyManager, Role
from lapor_nlp.store import Store
from tests.api.conftest import Models, Server, server_env, start_server, stop_server
from tests.api.corpus import ROAD_TEXT

ROUTES = 24


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition ``text`` (0 when it is absent)."""
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        head, _, value = line.rpartition(" ")
        found = dict(re.findall(r'(\w+)="([^"]*)"', head))
        if head.split("{")[0] == name and all(found.get(k) == v for k, v in labels.items()):
            return float(value)
    return 0.0


@pytest.fixture(scope="module")
def two_workers(models: Models, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("two-workers")
    shutil.copytree(models.root, tmp / "models")
    db_url = f"sqlite:///{tmp / 'lapor.db'}"
    env = server_env(tmp, db_url, tmp / "models")
    shared = tmp / "prom"
    shared.mkdir()
    (shared / "counter_4000000.db").write_bytes(b"left by an earlier run")
    env["PROMETHEUS_MULTIPROC_DIR"] = str(shared)
    store = Store(db_url)
    store.migrate()
    keys = {
        role.value: KeyManager(store).create(role=role, name=role.value, actor="pytest")[1]
        for role in Role
    }
    store.dispose()
    log = tmp / "server.log"
    process, url = start_server(env, log, "--workers", "2")
    server = Server(url, "sqlite", db_url, tmp / "models", log, env, process, keys)
    yield server
    stop_server(process)


def test_every_scrape_sums_all_workers(two_workers: Server) -> None:
    ids = [uuid.uuid4().hex for _ in range(ROUTES)]
    with two_workers.client("intake") as client:
        for complaint_id in ids:
            response = client.post(
                "/v1/route", json={"text": ROAD_TEXT, "complaint_id": complaint_id}
            )
            assert response.status_code == 200, response.text
    with two_workers.client("operator") as client:
        response = client.post(
            f"/v1/complaints/{ids[0]}/feedback", json={"verdict": "correct", "opd": "DISHUB"}
        )
        assert response.status_code == 201, response.text
    assert not (Path(two_workers.env["PROMETHEUS_MULTIPROC_DIR"]) / "counter_4000000.db").exists()
    pids: set[str] = set()
    # New connections are spread over the workers; every one of them must see all requests.
    for _ in range(12):
        text = httpx.get(f"{two_workers.url}/metrics", timeout=10).text
        routed = sample(
            text, "lapor_http_requests_total", method="POST", path="/v1/route", status="200"
        )
        assert routed == ROUTES
        decisions = sum(
            sample(text, "lapor_route_decisions_total", decision=d)
            for d in ("auto", "review", "needs_info")
        )
        assert decisions == ROUTES
        assert sample(text, "lapor_model_latency_seconds_count") == ROUTES
        assert sample(text, "lapor_model_latency_seconds_sum") > 0
        assert sample(text, "lapor_route_top1_confidence_count") == ROUTES
        assert sample(text, "lapor_route_top1_confidence_bucket", le="1.0") == ROUTES
        assert sample(text, "lapor_feedback_total", verdict="correct") == 1
        assert sample(text, "lapor_feedback_total", verdict="accept") == 0
        assert sample(text, "lapor_retrain_jobs_total", outcome="failed") == 0
        assert 'lapor_active_model_info{version="test-a"} 1.0' in text
        pids |= set(re.findall(r'process_resident_memory_bytes\{pid="(\d+)"\}', text))
    assert len(pids) == 2  # both workers' process metrics, each named by its pid
