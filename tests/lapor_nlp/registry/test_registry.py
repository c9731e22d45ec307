"""Model directories and the registry: integrity checks, seeding, promotion, rollback."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
from pathlib import Path

import pytest

from lapor_nlp.errors import ModelIntegrityError, ModelNotFoundError
from lapor_nlp.model import ComplaintRouter
from lapor_nlp.registry import ModelRegistry, load_model_dir, write_model_dir
from tests.lapor_nlp.model import corpus

PROBE = ["sampah menumpuk di pasar", "gaji tidak dibayar", "jalan berlubang"]


@pytest.fixture(scope="module")
def router() -> ComplaintRouter:
    return ComplaintRouter(threshold_folds=2, min_df=1).fit(corpus.texts(), corpus.opd())


@pytest.fixture
def model_dir(tmp_path: Path, router: ComplaintRouter) -> Path:
    directory = tmp_path / "m1"
    write_model_dir(router, {"version": "m1", "metrics": {"opd": {"accuracy": 0.9}}}, directory)
    return directory


def test_save_load_round_trip(model_dir: Path, router: ComplaintRouter) -> None:
    loaded = load_model_dir(model_dir)
    assert loaded.version == "m1"
    assert loaded.router.route(PROBE) == router.route(PROBE)
    meta = json.loads((model_dir / "metadata.json").read_text())
    assert {"artifact_sha256", "libraries", "created_at"} <= set(meta)
    assert {"python", "scikit-learn", "PySastrawi"} <= set(meta["libraries"])


class _Payload:
    """Unpickling this creates a marker file: proof that the loader ran the pickle."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (_touch, (self.marker, "pwned"))


def _touch(path: str, text: str) -> str:
    Path(path).write_text(text)
    return text


def test_tampered_artifact_is_refused_before_unpickling(model_dir: Path, tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    (model_dir / "model.joblib").write_bytes(pickle.dumps(_Payload(str(marker))))
    with pytest.raises(ModelIntegrityError, match="does not match"):
        load_model_dir(model_dir)
    assert not marker.exists()


def test_other_sklearn_minor_version_is_refused(model_dir: Path) -> None:
    meta_path = model_dir / "metadata.json"
    meta = json.loads(meta_path.read_text())
    meta["libraries"]["scikit-learn"] = "0.24.2"
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(ModelIntegrityError, match=r"scikit-learn 0\.24\.2"):
        load_model_dir(model_dir)


def test_missing_metadata_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelIntegrityError, match=r"metadata\.json is missing"):
        load_model_dir(tmp_path)


def test_write_refuses_to_overwrite(model_dir: Path, router: ComplaintRouter) -> None:
    with pytest.raises(FileExistsError):
        write_model_dir(router, {"version": "m1"}, model_dir)


def test_empty_registry_is_seeded_with_the_bundled_model(
    tmp_path: Path, model_dir: Path, router: ComplaintRouter
) -> None:
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    os.replace(model_dir, bundled / "m1")
    registry = ModelRegistry(tmp_path / "registry", bundled)
    assert registry.ensure_seeded() == "m1"
    assert registry.active_version() == "m1"
    assert registry.load().router.route(PROBE) == router.route(PROBE)
    assert registry.ensure_seeded() == "m1"  # idempotent
    assert [(i.version, i.status) for i in registry.list_models()] == [("m1", "active")]


def test_register_and_activate(tmp_path: Path, router: ComplaintRouter) -> None:
    registry = ModelRegistry(tmp_path / "registry")
    first = registry.register(router, {"version": "a"})
    second = registry.register(router, {"version": "b"})
    assert registry.active_version() is None
    registry.activate(first)
    assert {i.version: i.status for i in registry.list_models()} == {
        "a": "active",
        "b": "candidate",
    }
    assert registry.activate(second) == "a"
    assert {i.version: i.status for i in registry.list_models()} == {"a": "retired", "b": "active"}


def test_unknown_version_and_no_active_model(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "registry")
    with pytest.raises(ModelNotFoundError):
        registry.activate("nope")
    with pytest.raises(ModelNotFoundError, match="no active model"):
        registry.load()


def _promote_many(root: str, versions: list[str], rounds: int) -> None:
    registry = ModelRegistry(Path(root))
    for _ in range(rounds):
        for version in versions:
            registry.activate(version)


def test_concurrent_promotions_leave_exactly_one_active(
    tmp_path: Path, router: ComplaintRouter
) -> None:
    registry = ModelRegistry(tmp_path / "registry")
    versions = [registry.register(router, {"version": v}) for v in ("a", "b", "c")]
    ctx = multiprocessing.get_context("fork")
    workers = [
        ctx.Process(target=_promote_many, args=(str(registry.root), order, 25))
        for order in (versions, versions[::-1])
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    statuses = [i.status for i in registry.list_models()]
    assert statuses.count("active") == 1
    assert registry.active_version() in versions


def test_other_artifact_format_is_refused(model_dir: Path) -> None:
    meta_path = model_dir / "metadata.json"
    meta = json.loads(meta_path.read_text())
    meta["artifact_format"] = 0
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(ModelIntegrityError, match="artifact format 0"):
        load_model_dir(model_dir)
