"""API tests run against a real server process (``lapor-nlp serve``) with a real small model.

The model is trained here on an inline corpus and registered into a temporary registry; each
server (SQLite, and PostgreSQL when ``LAPOR_TEST_POSTGRES_URL`` is set) gets its own copy of
that registry, its own database and its own log file.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from lapor_nlp.auth import KeyManager, Role
from lapor_nlp.model import ComplaintRouter
from lapor_nlp.registry import LoadedModel, ModelRegistry, load_model_dir
from lapor_nlp.store import Store
from tests.api.corpus import CORPUS, NONROUTABLE
from tests.lapor_nlp.model.corpus import NOT_AUTHORITY
from tests.lapor_nlp.store.databases import BACKENDS, database_url

CLI = str(Path(sys.executable).with_name("lapor-nlp"))
STARTUP_SECONDS = 90


@dataclass(frozen=True)
class Models:
    """The registry every server copies: version ``a`` active, ``b`` a candidate."""

    root: Path
    a: LoadedModel
    b: LoadedModel


def _fit(C: float) -> ComplaintRouter:
    texts = [t for t, _, _ in CORPUS]
    opd = [o for _, o, _ in CORPUS]
    category = [c for _, _, c in CORPUS]
    return ComplaintRouter(C=C, char_ngram_range=None, min_df=1, threshold_folds=3).fit(
        texts,
        opd,
        category,
        nonroutable=NONROUTABLE,
        authority_texts=[t for t, _ in NOT_AUTHORITY],
        authority_levels=[level for _, level in NOT_AUTHORITY],
    )


@pytest.fixture(scope="session")
def models(tmp_path_factory: pytest.TempPathFactory) -> Models:
    root = tmp_path_factory.mktemp("registry")
    registry = ModelRegistry(root)
    version_a = registry.register(_fit(C=20.0), {"version": "test-a", "trained_on": "inline"})
    version_b = registry.register(_fit(C=0.5), {"version": "test-b", "trained_on": "inline"})
    registry.activate(version_a)
    return Models(
        root=root,
        a=load_model_dir(registry.path_of(version_a)),
        b=load_model_dir(registry.path_of(version_b)),
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running ``lapor-nlp serve`` and what the tests need to talk to it."""

    url: str
    backend: str
    database_url: str
    models_dir: Path
    log_path: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    keys: dict[str, str] = field(default_factory=dict)

    def client(self, role: str | None = "maintainer", **kwargs: object) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.keys[role]}"} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30.0, **kwargs)  # type: ignore[arg-type]

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def store(self) -> Store:
        return Store(self.database_url)


def server_env(tmp: Path, db_url: str, models_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAPOR_")}
    empty = tmp / "no-bundled-model"
    empty.mkdir(exist_ok=True)
    env.update(
        {
            "LAPOR_DATA_DIR": str(tmp / "data"),
            "LAPOR_DATABASE_URL": db_url,
            "LAPOR_MODELS_DIR": str(models_dir),
            "LAPOR_BUNDLED_MODELS_DIR": str(empty),
            "LAPOR_MODEL_POLL_SECONDS": "0.2",
            "LAPOR_KEY_CACHE_SECONDS": "0.5",
            "LAPOR_MAX_BODY_BYTES": str(1024 * 1024),
            "LAPOR_LOG_LEVEL": "INFO",
            # The guard's own tests turn these on; elsewhere auto answers stay as the model says.
            "LAPOR_AUTO_START": "on",
            "LAPOR_AUDIT_RATE": "0",
        }
    )
    return env


def start_server(
    env: dict[str, str], log_path: Path, *extra: str
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    handle = log_path.open("ab")
    process = subprocess.Popen(
        [CLI, "serve", "--host", "127.0.0.1", "--port", str(port), *extra],
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    handle.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log_path.read_text()[-4000:]}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    stop_server(process)
    raise RuntimeError(f"server not ready in {STARTUP_SECONDS}s:\n{log_path.read_text()[-4000:]}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, models: Models, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    backend = request.param
    tmp = tmp_path_factory.mktemp(f"server-{backend}")
    with database_url(backend, tmp) as db_url:
        models_dir = tmp / "models"
        shutil.copytree(models.root, models_dir)
        env = server_env(tmp, db_url, models_dir)
        store = Store(db_url)
        store.migrate()
        manager = KeyManager(store, cache_seconds=0)
        keys = {
            role.value: manager.create(role=role, name=f"test-{role.value}", actor="pytest")[1]
            for role in Role
        }
        store.dispose()
        log_path = tmp / "server.log"
        process, url = start_server(env, log_path)
        try:
            yield Server(url, backend, db_url, models_dir, log_path, env, process, keys)
        finally:
            stop_server(process)
