"""Fixtures of the feedback-loop tests: a small real model that records its base data, and
real ``lapor-nlp serve`` processes on SQLite and PostgreSQL.

The base model is trained with ``train_model`` on a CSV written here (the inline corpus of
the API tests), so retraining reads the same rows again, like the bundled model does with the
seed data.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest

from lapor_nlp.auth import KeyManager, Role
from lapor_nlp.data.base import base_data_spec
from lapor_nlp.model import ComplaintRouter
from lapor_nlp.model.training import train_model
from lapor_nlp.paths import BUNDLED_MODELS_DIR
from lapor_nlp.registry import ModelRegistry
from lapor_nlp.store import Store
from tests.api.conftest import CLI, Server, server_env, start_server, stop_server
from tests.api.corpus import CORPUS, NONROUTABLE
from tests.lapor_nlp.store.databases import BACKENDS, database_url

BASE_VERSION = "base-1"


def small_router() -> ComplaintRouter:
    return ComplaintRouter(threshold_folds=2, char_ngram_range=None, min_df=1)


@pytest.fixture(scope="session")
def base_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A registry holding one active model (``base-1``) whose metadata names its base CSV."""
    tmp = tmp_path_factory.mktemp("base")
    data = tmp / "base.csv"
    pd.DataFrame(CORPUS, columns=["text", "opd", "category"]).to_csv(data, index=False)
    nonroutable = tmp / "nonroutable.csv"
    pd.DataFrame({"text": NONROUTABLE}).to_csv(nonroutable, index=False)
    spec = base_data_spec(
        data,
        text_col="text",
        opd_col="opd",
        category_col="category",
        nonroutable_path=nonroutable,
        heldout_fraction=0.15,
    )
    run = train_model(spec, router=small_router())
    registry = ModelRegistry(tmp / "models")
    registry.register(run.router, {**run.metadata, "version": BASE_VERSION})
    registry.activate(BASE_VERSION)
    return registry.root


@dataclass
class Deployment:
    """One database and one registry directory, served by one or more processes."""

    backend: str
    tmp: Path
    database_url: str
    models_dir: Path
    env: dict[str, str]
    keys: dict[str, str]
    servers: list[Server] = field(default_factory=list)

    def start(self, **extra_env: str) -> Server:
        env = {**self.env, **extra_env}
        log_path = self.tmp / f"server-{len(self.servers)}.log"
        process, url = start_server(env, log_path)
        server = Server(
            url, self.backend, self.database_url, self.models_dir, log_path, env, process
        )
        server.keys = self.keys
        self.servers.append(server)
        return server

    def store(self) -> Store:
        return Store(self.database_url)

    def cli(self, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [CLI, *args],
            env={**self.env, **extra_env},
            capture_output=True,
            text=True,
            timeout=300,
        )

    def stop_all(self) -> None:
        for server in self.servers:
            stop_server(server.process)


@contextmanager
def deployment(
    backend: str, tmp: Path, registry_root: Path | None, **extra_env: str
) -> Iterator[Deployment]:
    """A fresh database with API keys of every role, and a copy of ``registry_root`` (or an
    empty registry seeded from the bundled default model when None)."""
    with database_url(backend, tmp) as db_url:
        models_dir = tmp / "models"
        if registry_root is not None:
            shutil.copytree(registry_root, models_dir)
        env = server_env(tmp, db_url, models_dir)
        if registry_root is None:
            env["LAPOR_BUNDLED_MODELS_DIR"] = str(BUNDLED_MODELS_DIR)
        env.update(extra_env)
        store = Store(db_url)
        store.migrate()
        manager = KeyManager(store, cache_seconds=0)
        keys = {
            role.value: manager.create(role=role, name=f"test-{role.value}", actor="pytest")[1]
            for role in Role
        }
        store.dispose()
        result = Deployment(backend, tmp, db_url, models_dir, env, keys)
        try:
            yield result
        finally:
            result.stop_all()


@pytest.fixture(scope="session", params=BACKENDS)
def loop(
    request: pytest.FixtureRequest, base_registry: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    """A deployment with one running server on ``base-1`` (SQLite and PostgreSQL)."""
    tmp = tmp_path_factory.mktemp(f"loop-{request.param}")
    with deployment(request.param, tmp, base_registry) as dep:
        dep.start()
        yield dep


@pytest.fixture
def server(loop: Deployment) -> Server:
    return loop.servers[0]


def wait_for(
    condition: Callable[[], Any], *, timeout: float, interval: float = 0.1, what: str = ""
) -> Any:
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")
        time.sleep(interval)


def loaded_version(server: Server) -> str | None:
    try:
        body = httpx.get(f"{server.url}/readyz", timeout=5).json()
    except httpx.HTTPError:
        return None
    version = body.get("model_version")
    return str(version) if version else None


def route(server: Server, text: str, complaint_id: str) -> dict[str, Any]:
    with server.client("intake") as client:
        response = client.post("/v1/route", json={"text": text, "complaint_id": complaint_id})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def wait_job(server: Server, job_id: str, *, timeout: float = 120) -> dict[str, Any]:
    def finished() -> dict[str, Any] | None:
        with server.client("maintainer") as client:
            body: dict[str, Any] = client.get(f"/v1/jobs/{job_id}").json()
        return body if body["status"] in {"succeeded", "failed"} else None

    result: dict[str, Any] = wait_for(finished, timeout=timeout, interval=0.3, what="the job")
    return result
