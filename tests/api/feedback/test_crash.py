"""Crashes: a kill -9 of the server loses no acknowledged feedback; a kill -9 in the middle of
retraining leaves the active model serving and the job failed (at the next start, or at once
when only the worker dies)."""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from lapor_nlp.registry import ModelRegistry
from lapor_nlp.store import Feedback, RetrainJob
from tests.api.conftest import Server
from tests.api.corpus import HEALTH_TEXT, ROAD_TEXT
from tests.api.feedback.conftest import Deployment, deployment, route, wait_for, wait_job
from tests.lapor_nlp.store.databases import BACKENDS

pytestmark = pytest.mark.slow

# Loading the bundled model holds the interpreter for a while in a starting worker: a stale
# limit of a few heartbeats, not of one load, keeps a live job from being failed.
HEARTBEAT = 1.0
STALE = 6.0
WITHIN = STALE + 2 * HEARTBEAT + 2.0  # a dead job is failed within the limit and two beats
JOB_TIMING = {"LAPOR_JOB_HEARTBEAT_SECONDS": str(HEARTBEAT), "LAPOR_JOB_STALE_SECONDS": str(STALE)}


def _kill9(server: Server) -> None:
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(timeout=10)


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_acknowledged_feedback_survives_a_kill_9(
    backend: str, base_registry: Path, tmp_path: Path
) -> None:
    with deployment(backend, tmp_path, base_registry) as dep:
        server = dep.start()
        ids = [f"K-{uuid.uuid4().hex[:10]}" for _ in range(8)]
        for n, complaint_id in enumerate(ids):
            route(server, ROAD_TEXT if n % 2 else HEALTH_TEXT, complaint_id)
        acknowledged: list[dict[str, Any]] = []
        lock = threading.Lock()

        def post_until_the_server_dies(worker: int) -> None:
            with server.client("operator") as client:
                for n in range(10_000):
                    complaint_id = ids[(worker + n) % len(ids)]
                    try:
                        response = client.post(
                            f"/v1/complaints/{complaint_id}/feedback",
                            json={"verdict": "correct", "opd": "DLH", "note": f"w{worker} n{n}"},
                            headers={"Idempotency-Key": f"{worker}-{n}-{uuid.uuid4().hex}"},
                        )
                    except httpx.HTTPError:
                        return
                    if response.status_code == 201:
                        with lock:
                            acknowledged.append(response.json())

        threads = [threading.Thread(target=post_until_the_server_dies, args=(w,)) for w in range(4)]
        for thread in threads:
            thread.start()
        wait_for(lambda: len(acknowledged) >= 40, timeout=60, what="40 acknowledged verdicts")
        _kill9(server)
        for thread in threads:
            thread.join(timeout=30)
        restarted = dep.start()
        store = dep.store()
        with store.read() as session:
            rows = {
                f.id: f
                for f in session.scalars(
                    select(Feedback).where(
                        Feedback.id.in_([a["feedback_id"] for a in acknowledged])
                    )
                )
            }
            total = session.scalar(select(func.count()).select_from(Feedback))
        store.dispose()
        assert len(rows) == len(acknowledged)
        for answer in acknowledged:
            row = rows[answer["feedback_id"]]
            assert (row.complaint_id, row.note) == (answer["complaint_id"], answer["note"])
        assert total is not None and total >= len(acknowledged)
        with restarted.client("operator") as client:
            stored = client.get(f"/v1/complaints/{acknowledged[0]['complaint_id']}").json()
        assert acknowledged[0]["feedback_id"] in {f["feedback_id"] for f in stored["feedback"]}


def _job(dep: Deployment, job_id: str) -> RetrainJob:
    store = dep.store()
    with store.read() as session:
        row = session.get(RetrainJob, job_id)
    store.dispose()
    assert row is not None
    return row


def _start_training(dep: Deployment, server: Server) -> RetrainJob:
    """Start a retraining (of the bundled model) and wait until it is in the middle of it."""
    with server.client("maintainer") as client:
        response = client.post("/v1/retrain")
    assert response.status_code == 202, response.text
    job_id = response.json()["job_id"]

    def training() -> RetrainJob | None:
        row = _job(dep, job_id)
        assert row.status in {"queued", "running"}, f"job ended early: {row.status} {row.error}"
        return row if row.phase == "training" and row.pid else None

    row: RetrainJob = wait_for(training, timeout=60, interval=0.05, what="the training phase")
    return row


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_killed_retraining_leaves_the_active_model_and_fails_the_job(
    backend: str, tmp_path: Path
) -> None:
    settings = JOB_TIMING
    with deployment(backend, tmp_path, None, **settings) as dep:  # the bundled default model
        server = dep.start()
        active = route(server, ROAD_TEXT, "KR-1")["model_version"]
        with server.client("operator") as client:
            client.post("/v1/complaints/KR-1/feedback", json={"verdict": "accept", "opd": "DPUPR"})
        model_dirs = sorted(p.name for p in dep.models_dir.iterdir() if p.is_dir())

        # 1. The server and the worker die together: the job fails at the next start.
        job = _start_training(dep, server)
        _kill9(server)
        os.kill(int(job.pid or 0), signal.SIGKILL)
        time.sleep(STALE + 0.5)  # older than LAPOR_JOB_STALE_SECONDS
        server = dep.start()
        with server.client("maintainer") as client:
            body = client.get(f"/v1/jobs/{job.id}").json()
            listing = client.get("/v1/models").json()
        assert body["status"] == "failed" and body["error"].startswith("interrupted")
        assert body["candidate_version"] is None
        assert [m["version"] for m in listing["models"]] == [active]
        assert listing["active_version"] == listing["loaded_version"] == active
        assert ModelRegistry(dep.models_dir).active_version() == active
        visible = sorted(
            p.name for p in dep.models_dir.iterdir() if p.is_dir() and not p.name.startswith(".")
        )
        assert visible == model_dirs
        assert route(server, HEALTH_TEXT, "KR-2")["model_version"] == active

        # 2. Only the worker dies: the server that started it fails the job at once.
        job = _start_training(dep, server)
        os.kill(int(job.pid or 0), signal.SIGKILL)
        failed = wait_for(
            lambda: _job(dep, job.id).status == "failed", timeout=15, what="the job failed"
        )
        assert failed
        error = _job(dep, job.id).error or ""
        assert "exited with code -9" in error
        assert _job(dep, job.id).slot is None
        assert route(server, ROAD_TEXT, "KR-3")["model_version"] == active


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_dead_job_is_failed_by_another_replica_and_retraining_is_allowed_again(
    backend: str, tmp_path: Path
) -> None:
    settings = JOB_TIMING
    with deployment(backend, tmp_path, None, **settings) as dep:
        first, second = dep.start(), dep.start()
        route(first, ROAD_TEXT, "DJ-1")
        job = _start_training(dep, first)
        _kill9(first)
        os.kill(int(job.pid or 0), signal.SIGKILL)
        killed = time.monotonic()

        # Nobody restarts, reads the job or asks for a new one: the other replica notices.
        wait_for(lambda: _job(dep, job.id).status == "failed", timeout=WITHIN, what="job failed")
        assert time.monotonic() - killed < WITHIN
        row = _job(dep, job.id)
        assert row.slot is None and (row.error or "").startswith("interrupted")
        with second.client("maintainer") as client:
            again = client.post("/v1/retrain")
        assert again.status_code == 202, again.text
        # A full retrain of the bundled model: minutes on a loaded 2-core machine.
        ended = wait_job(second, again.json()["job_id"], timeout=480)
        assert ended["status"] == "succeeded", ended
