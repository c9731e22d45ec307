"""Several ``lapor-nlp serve`` processes on one database follow a promotion made through any
of them (or the CLI) within seconds, without a restart: PostgreSQL LISTEN/NOTIFY (polling is
set to a minute there, so only the notification can be that fast) and polling on SQLite."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from lapor_nlp.registry import ModelRegistry
from tests.api.corpus import ROAD_TEXT
from tests.api.feedback.conftest import BASE_VERSION, deployment, loaded_version, route, wait_for
from tests.lapor_nlp.store.databases import BACKENDS

PICKUP_SECONDS = 5.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_replicas_follow_a_promotion(backend: str, base_registry: Path, tmp_path: Path) -> None:
    poll = "60" if backend == "postgres" else "0.5"
    with deployment(backend, tmp_path, base_registry, LAPOR_MODEL_POLL_SECONDS=poll) as dep:
        registry = ModelRegistry(dep.models_dir)
        base = registry.load(BASE_VERSION)
        other = registry.register(base.router, {**base.metadata, "version": "replica-b"})
        first, second = dep.start(), dep.start()
        assert loaded_version(first) == loaded_version(second) == BASE_VERSION

        started = time.monotonic()
        with first.client("maintainer") as client:
            assert client.post(f"/v1/models/{other}/promote").status_code == 200
        wait_for(
            lambda: loaded_version(second) == other,
            timeout=PICKUP_SECONDS,
            interval=0.05,
            what="the other replica to load the promoted model",
        )
        seen_after = time.monotonic() - started
        complaint_id = f"R-{uuid.uuid4().hex[:8]}"
        assert route(second, ROAD_TEXT, complaint_id)["model_version"] == other
        assert seen_after < PICKUP_SECONDS

        promoted = dep.cli("models", "promote", BASE_VERSION)
        assert promoted.returncode == 0, promoted.stderr
        for server in (first, second):
            wait_for(
                lambda s=server: loaded_version(s) == BASE_VERSION,  # type: ignore[misc]
                timeout=PICKUP_SECONDS,
                interval=0.05,
                what="both replicas to follow the CLI promotion",
            )
