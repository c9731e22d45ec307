"""The retraining loop through real servers: corrections -> retrain job (worker process) ->
candidate -> promotion -> the corrected complaints route right; promotions and rollbacks are
serialised by the database; the CLI uses the same catalog."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

import httpx
from sqlalchemy import select

from lapor_nlp.data.base import in_heldout
from lapor_nlp.model.retraining import FEEDBACK_HELDOUT_SALT
from lapor_nlp.model.weighting import WEIGHT_GRID
from lapor_nlp.registry import ModelRegistry
from lapor_nlp.service.catalog import ModelCatalog
from lapor_nlp.store import ModelVersion, RetrainJob
from lapor_nlp.store import repository as repo
from tests.api.conftest import Server
from tests.api.feedback.conftest import (
    BASE_VERSION,
    Deployment,
    loaded_version,
    route,
    wait_for,
    wait_job,
)
from tests.api.feedback.corpus import TRANSPORT_TEXTS
from tests.api.test_metrics import sample


def _promote(server: Server, version: str, role: str = "maintainer") -> httpx.Response:
    with server.client(role) as client:
        return client.post(f"/v1/models/{version}/promote")


def _models(server: Server) -> dict[str, Any]:
    with server.client("operator") as client:
        body: dict[str, Any] = client.get("/v1/models").json()
    return body


def _correct_transport_complaints(server: Server) -> list[str]:
    # Fixed ids: which corrections the retrain holds out for its comparison is decided by a
    # hash of the id (``in_heldout``), so the test knows which ones the candidate learnt.
    ids = [f"TR-{n:02d}" for n in range(len(TRANSPORT_TEXTS))]
    for complaint_id, text in zip(ids, TRANSPORT_TEXTS, strict=True):
        assert route(server, text, complaint_id)["opd"][0]["code"] != "DISHUB"
    with server.client("operator") as client:
        # A first, wrong correction of a complaint the candidate learns: the later one wins.
        first = client.post(
            f"/v1/complaints/{ids[1]}/feedback", json={"verdict": "correct", "opd": "DLH"}
        )
        assert first.status_code == 201
        for complaint_id in ids:
            response = client.post(
                f"/v1/complaints/{complaint_id}/feedback",
                json={"verdict": "correct", "opd": "DISHUB", "category": "TRANSPORTASI"},
            )
            assert response.status_code == 201, response.text
    return ids


def test_retraining_round_trip(loop: Deployment) -> None:
    server = loop.servers[0]
    ids = _correct_transport_complaints(server)
    with server.client("maintainer") as client:
        started = client.post("/v1/retrain")
        second = client.post("/v1/retrain")
    assert started.status_code == 202, started.text
    job_id = started.json()["job_id"]
    assert started.headers["location"] == f"/v1/jobs/{job_id}"
    assert second.status_code == 409
    assert second.json()["job_id"] == job_id

    job = wait_job(server, job_id)
    assert job["status"] == "succeeded", job["error"]
    assert job["base_version"] == BASE_VERSION
    # the server that started the worker counts the outcome once the worker has exited
    wait_for(
        lambda: sample(httpx.get(f"{server.url}/metrics").text, "lapor_retrain_jobs_total",
                       outcome="succeeded") >= 1,
        timeout=30,
        what="the succeeded-jobs counter",
    )  # fmt: skip
    assert job["feedback_labels"] >= len(ids)  # other tests' corrections count too
    candidate = job["candidate_version"]
    report = job["report"]
    assert {"not_worse", "candidate", "active", "per_opd", "rows"} <= set(report)
    assert report["rows"]["feedback_train"] + report["rows"]["feedback_heldout"] >= len(ids)
    # the operator-verified complaints held out: both models' auto decisions on them
    verified = report["verified"]
    assert verified["n"] == report["rows"]["feedback_heldout"] > 0
    for side in ("candidate", "active"):
        score = verified[side]
        assert 0 <= score["correct"] <= score["auto"] <= verified["n"]
        assert score["precision"] == (
            round(score["correct"] / score["auto"], 4) if score["auto"] else None
        )
    assert report["feedback_weight"]["weight"] in WEIGHT_GRID

    listing = _models(server)
    statuses = {m["version"]: m for m in listing["models"]}
    assert statuses[candidate]["status"] == "candidate"  # never activated on its own
    assert statuses[candidate]["parent_version"] == BASE_VERSION
    assert statuses[candidate]["job_id"] == job_id
    assert statuses[candidate]["comparison"]["not_worse"] == report["not_worse"]
    assert statuses[candidate]["comparison"]["verified"] == verified
    assert statuses[candidate]["comparison"]["feedback_weight"] == report["feedback_weight"]
    assert listing["active_version"] == listing["loaded_version"] == BASE_VERSION

    promoted = _promote(server, candidate)
    assert promoted.status_code == 200, promoted.text
    assert promoted.json() == {
        "version": candidate,
        "previous_version": BASE_VERSION,
        "loaded_version": candidate,
    }
    answers = [route(server, text, cid) for cid, text in zip(ids, TRANSPORT_TEXTS, strict=True)]
    assert {a["model_version"] for a in answers} == {candidate}
    learnt = [not in_heldout(cid, 0.2, FEEDBACK_HELDOUT_SALT) for cid in ids]
    assert sum(learnt) >= len(ids) - 2
    for answer, trained_on in zip(answers, learnt, strict=True):
        codes = [o["code"] for o in answer["opd"]]
        if trained_on:
            assert codes[0] == "DISHUB", answer
        else:  # held out for the comparison: similar enough to rank DISHUB high
            assert "DISHUB" in codes, answer
    assert ModelRegistry(server.models_dir).active_version() == candidate

    with server.client("maintainer") as client:
        back = client.post("/v1/models/rollback")
    assert back.status_code == 200
    assert back.json()["version"] == BASE_VERSION and back.json()["previous_version"] == candidate
    assert route(server, TRANSPORT_TEXTS[0], ids[0])["model_version"] == BASE_VERSION
    store = server.store()
    with store.read() as session:
        actions = {e.action for e in repo.list_audit(session, limit=1000)}
        row = session.get(RetrainJob, job_id)
        assert row is not None and row.slot is None
    store.dispose()
    assert {"retrain.request", "model.register", "model.promote", "model.rollback"} <= actions


def test_promotion_needs_a_maintainer_and_a_known_version(server: Server) -> None:
    assert _promote(server, BASE_VERSION, role="operator").status_code == 403
    assert _promote(server, BASE_VERSION, role="intake").status_code == 403
    unknown = _promote(server, "no-such-version")
    assert unknown.status_code == 404 and "no-such-version" in unknown.json()["detail"]
    with server.client("maintainer") as client:
        assert client.get("/v1/jobs/no-such-job").status_code == 404
    with server.client("operator") as client:
        assert client.post("/v1/retrain").status_code == 403
        assert client.post("/v1/models/rollback").status_code == 403


def test_concurrent_promotions_leave_exactly_one_active(loop: Deployment) -> None:
    server = loop.servers[0]
    registry = ModelRegistry(server.models_dir)
    base = registry.load(BASE_VERSION)
    # Trained elsewhere and registered by a maintainer (`lapor-nlp models register DIR`).
    outside = ModelRegistry(server.models_dir.parent / "trained-elsewhere")
    copy = outside.register(
        base.router, {**base.metadata, "version": f"copy-{uuid.uuid4().hex[:6]}"}
    )
    store = server.store()
    ModelCatalog(store, registry).register_directory(outside.path_of(copy), actor="pytest")
    store.dispose()
    versions = [BASE_VERSION, copy]
    statuses: list[int] = []
    barrier = threading.Barrier(8)

    def promote(n: int) -> None:
        barrier.wait()
        for i in range(3):
            statuses.append(_promote(server, versions[(n + i) % 2]).status_code)

    threads = [threading.Thread(target=promote, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert statuses == [200] * 24
    store = server.store()
    with store.read() as session:
        active = session.scalars(select(ModelVersion).where(ModelVersion.status == "active")).all()
    store.dispose()
    assert len(active) == 1
    winner = active[0].version
    wait_for(lambda: loaded_version(server) == winner, timeout=10, what="the winner loaded")
    assert registry.active_version() == winner
    assert _promote(server, BASE_VERSION).status_code == 200


def test_cli_retrain_with_auto_promotion_models_and_export(loop: Deployment, tmp_path: Any) -> None:
    server = loop.servers[0]
    assert _promote(server, BASE_VERSION).status_code == 200
    complaint_id = f"CLI-{uuid.uuid4().hex[:8]}"
    route(server, TRANSPORT_TEXTS[1], complaint_id)
    with server.client("operator") as client:
        client.post(
            f"/v1/complaints/{complaint_id}/feedback", json={"verdict": "correct", "opd": "DISHUB"}
        )
    retrained = loop.cli("retrain", "--wait", LAPOR_AUTO_PROMOTE="true", LAPOR_FEEDBACK_WEIGHT="3")
    assert retrained.returncode == 0, retrained.stderr + retrained.stdout
    summary = json.loads(retrained.stdout[retrained.stdout.index("{") :])
    weight = summary["report"]["feedback_weight"]
    assert (weight["weight"], weight["chosen_by"]) == (3.0, "LAPOR_FEEDBACK_WEIGHT")
    assert {"candidate", "active"} <= set(summary["report"]["verified"])
    assert summary["status"] == "succeeded" and summary["base_version"] == BASE_VERSION
    candidate = summary["candidate_version"]
    # Promoted on its own only because LAPOR_AUTO_PROMOTE=true, and only when not worse.
    assert summary["auto_promoted"] is summary["report"]["not_worse"]
    expected = candidate if summary["auto_promoted"] else BASE_VERSION
    wait_for(lambda: loaded_version(server) == expected, timeout=10, what="auto promotion")

    listed = loop.cli("models", "list")
    assert listed.returncode == 0 and candidate in listed.stdout
    promoted = loop.cli("models", "promote", candidate)
    assert promoted.returncode == 0, promoted.stderr
    wait_for(lambda: loaded_version(server) == candidate, timeout=10, what="CLI promotion")
    assert _promote(server, BASE_VERSION).status_code == 200
    out = tmp_path / "export.csv"
    exported = loop.cli("feedback", "export", "--out", str(out), "--since", "2020-01-01")
    assert exported.returncode == 0, exported.stderr
    assert complaint_id in out.read_text(encoding="utf-8")
    store = server.store()
    with store.read() as session:
        actors = {e.actor for e in repo.list_audit(session, action="model.promote", limit=1000)}
    store.dispose()
    assert any(actor.startswith("cli:") for actor in actors)
