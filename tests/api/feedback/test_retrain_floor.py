"""A retrained candidate's threshold pair starts no looser than the pair that served: the
deployment's overrides, a tightened guard's pair, nothing auto-routed while the guard is off.
Through a real server whose retraining runs in a worker process, on SQLite and PostgreSQL."""

from __future__ import annotations

from itertools import count
from pathlib import Path
from typing import Any

import pytest

from lapor_nlp.data.base import in_heldout
from lapor_nlp.model.decision import NEVER_AUTO
from lapor_nlp.model.retraining import FEEDBACK_HELDOUT_FRACTION, FEEDBACK_HELDOUT_SALT
from lapor_nlp.registry import ModelRegistry
from tests.api.conftest import Server
from tests.api.feedback.conftest import deployment, route, wait_job
from tests.api.feedback.corpus import TRANSPORT_TEXTS
from tests.lapor_nlp.store.databases import BACKENDS

OVERRIDE = {"threshold": 0.5, "margin": 0.1}  # stricter than base-1's fitted pair (0.2, 0)
TIGHTENED = {"threshold": 0.9, "margin": 0.2}


def _held_out_id() -> str:
    ids = (f"NA-{n}" for n in count())
    return next(i for i in ids if in_heldout(i, FEEDBACK_HELDOUT_FRACTION, FEEDBACK_HELDOUT_SALT))


def _retrain(server: Server) -> dict[str, Any]:
    with server.client("maintainer") as client:
        started = client.post("/v1/retrain")
    assert started.status_code == 202, started.text
    job = wait_job(server, started.json()["job_id"])
    assert job["status"] == "succeeded", job["error"]
    return job


def _set_guard(server: Server, body: dict[str, Any]) -> None:
    with server.client("maintainer") as client:
        response = client.post("/v1/models/active/guard", json=body)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_candidates_floor_is_the_pair_in_force(
    backend: str, base_registry: Path, tmp_path: Path
) -> None:
    env = {
        "LAPOR_AUTO_THRESHOLD": str(OVERRIDE["threshold"]),
        "LAPOR_AUTO_MARGIN": str(OVERRIDE["margin"]),
        "LAPOR_FEEDBACK_WEIGHT": "3",
    }
    with deployment(backend, tmp_path, base_registry, **env) as dep:
        server = dep.start()
        registry = ModelRegistry(dep.models_dir)
        fitted = registry.get("base-1").metadata["thresholds"]
        assert fitted["threshold"] < OVERRIDE["threshold"] and fitted["margin"] < OVERRIDE["margin"]
        # One verdict without an OPD on a complaint the retraining holds out: it scores both
        # models' auto decisions (wrong wherever they route it auto) and trains neither.
        complaint = _held_out_id()
        route(server, TRANSPORT_TEXTS[0], complaint)
        with server.client("operator") as client:
            response = client.post(
                f"/v1/complaints/{complaint}/feedback", json={"verdict": "not_authority"}
            )
        assert response.status_code == 201, response.text

        jobs = [_retrain(server)]
        _set_guard(server, {"state": "tightened", "reason": "uji", **TIGHTENED})
        jobs.append(_retrain(server))
        _set_guard(server, {"state": "off", "reason": "banjir: cek manual"})
        jobs.append(_retrain(server))
        pairs = [registry.get(j["candidate_version"]).metadata["thresholds"] for j in jobs]

    on, tightened, off = pairs
    assert on["floor"] == OVERRIDE  # the deployment's overrides served
    assert tightened["floor"] == TIGHTENED
    assert off["floor"]["threshold"] == NEVER_AUTO
    for pair in (on, tightened):
        assert pair["threshold"] >= pair["floor"]["threshold"] or pair["threshold"] == NEVER_AUTO
        assert pair["margin"] >= pair["floor"]["margin"] or pair["threshold"] == NEVER_AUTO
    # no operator verdict supports any pair: nothing auto-routed after the guard went off
    assert off["threshold"] == NEVER_AUTO
    for job in jobs:
        report = job["report"]
        assert report["verified"]["unlabelled"] == report["rows"]["unlabelled_heldout"] == 1
        assert report["rows"]["not_authority_feedback"] == 0
