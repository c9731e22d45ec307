"""Artifacts are trusted only through the database: a directory dropped into the registry with a
matching metadata checksum is neither registered nor promoted nor loaded; an artifact swapped
after registration is refused before it is unpickled; with a signing key, unsigned models are
refused. Against SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import joblib
import pytest

from lapor_nlp.errors import ModelIntegrityError, ModelNotFoundError
from lapor_nlp.fingerprint import sha256_file
from lapor_nlp.registry import ModelRegistry
from lapor_nlp.registry.artifact import ARTIFACT, METADATA
from lapor_nlp.service.catalog import ModelCatalog
from lapor_nlp.service.model_holder import ModelHolder
from lapor_nlp.store import Store

KEY = b"a-deployment-signing-key-0123456789"


class Bomb:
    """Unpickling this writes a file: the proof that a pickle ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (str(self.marker), "pickle ran"))  # type: ignore[return-value]


def _drop_in(registry: ModelRegistry, version: str, marker: Path) -> Path:
    """What an attacker who can write LAPOR_MODELS_DIR does: a pickle plus fitting metadata."""
    directory = registry.root / version
    directory.mkdir(parents=True)
    joblib.dump(Bomb(marker), directory / ARTIFACT)
    good = json.loads((registry.root / "m1" / METADATA).read_text())
    good.update(version=version, artifact_sha256=sha256_file(directory / ARTIFACT))
    (directory / METADATA).write_text(json.dumps(good))
    return directory


def _registry(root: Path, *, signing_key: bytes | None = None) -> ModelRegistry:
    registry = ModelRegistry(root, signing_key=signing_key)
    registry.register({"stand-in": "m1"}, {"version": "m1"})
    registry.activate("m1")
    return registry


def test_a_dropped_in_directory_is_never_registered_promoted_or_loaded(
    store: Store, tmp_path: Path
) -> None:
    registry = _registry(tmp_path / "models")
    catalog = ModelCatalog(store, registry)
    assert catalog.sync() == ["m1"]  # a new installation registers what it finds
    marker = tmp_path / "pwned"
    _drop_in(registry, "evil", marker)

    assert catalog.sync() == []
    with pytest.raises(ModelNotFoundError, match="models register"):
        catalog.promote("evil", actor="t")
    holder = ModelHolder(
        registry, active_version=lambda: "evil", expected_sha256=catalog.artifact_sha256
    )
    assert holder.refresh() is False and "no registered artifact checksum" in str(holder.last_error)
    assert not marker.exists()
    assert catalog.active_version() == "m1"


def test_an_artifact_swapped_after_registration_is_refused_before_unpickling(
    store: Store, tmp_path: Path
) -> None:
    registry = _registry(tmp_path / "models")
    registry.register({"stand-in": "m2"}, {"version": "m2"})
    catalog = ModelCatalog(store, registry)
    catalog.sync()
    marker = tmp_path / "pwned"
    target = registry.root / "m2"
    joblib.dump(Bomb(marker), target / ARTIFACT)
    meta = json.loads((target / METADATA).read_text())
    meta["artifact_sha256"] = sha256_file(target / ARTIFACT)  # the file beside it agrees
    (target / METADATA).write_text(json.dumps(meta))

    with pytest.raises(ModelIntegrityError, match="registered"):
        catalog.promote("m2", actor="t")
    holder = ModelHolder(
        registry, active_version=lambda: "m2", expected_sha256=catalog.artifact_sha256
    )
    assert holder.refresh() is False and "registered" in str(holder.last_error)
    assert not marker.exists()


def test_models_register_records_the_checksum_and_then_promote_works(
    store: Store, tmp_path: Path
) -> None:
    registry = _registry(tmp_path / "models")
    catalog = ModelCatalog(store, registry)
    catalog.sync()
    outside = ModelRegistry(tmp_path / "trained")
    outside.register({"stand-in": "m9"}, {"version": "m9"})
    version = catalog.register_directory(outside.root / "m9", actor="t")
    assert version == "m9"
    assert catalog.artifact_sha256("m9") == sha256_file(outside.root / "m9" / ARTIFACT)
    assert catalog.promote("m9", actor="t").previous_version == "m1"


def test_with_a_signing_key_only_signed_artifacts_load(tmp_path: Path) -> None:
    signed = _registry(tmp_path / "signed", signing_key=KEY)
    assert signed.load("m1").router == {"stand-in": "m1"}

    unsigned = _registry(tmp_path / "unsigned")
    shutil.copytree(unsigned.root / "m1", tmp_path / "copy" / "m1")
    strict = ModelRegistry(tmp_path / "copy", signing_key=KEY)
    with pytest.raises(ModelIntegrityError, match="not signed"):
        strict.load("m1")
    other_key = ModelRegistry(signed.root, signing_key=b"another-key-of-the-same-size-xx")
    with pytest.raises(ModelIntegrityError, match="not signed"):
        other_key.load("m1")
    # Installing a directory (the bundled model, `models register`) signs the copy.
    installed = ModelRegistry(tmp_path / "installed", signing_key=KEY)
    installed.install(unsigned.root / "m1")
    assert installed.load("m1").version == "m1"


def test_the_signing_key_setting_reaches_the_registry(tmp_path: Path) -> None:
    from lapor_nlp.settings import Settings

    settings = Settings(models_dir=tmp_path / "m", model_signing_key=KEY.decode())
    registry = ModelRegistry.from_settings(settings)
    assert registry.signing_key == KEY
    written = registry.write({"stand-in": "s"}, {"version": "s1"})
    assert written["artifact_hmac"]
    assert ModelRegistry.from_settings(Settings(models_dir=tmp_path / "m")).signing_key is None
