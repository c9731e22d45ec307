"""One model on disk: ``model.joblib`` plus ``metadata.json``, checked before it is unpickled."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import platform
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any, cast

import joblib
import sklearn

from lapor_nlp.errors import ModelIntegrityError
from lapor_nlp.fingerprint import sha256_file
from lapor_nlp.registry.metadata import ModelMetadata

ARTIFACT = "model.joblib"
METADATA = "metadata.json"
# Bumped whenever the pickled classes change shape; an artifact of another format is refused.
ARTIFACT_FORMAT = 1


@dataclass(frozen=True)
class LoadedModel:
    """A model read from its directory: version, metadata, the unpickled router, where it lives."""

    version: str
    metadata: ModelMetadata
    router: Any
    path: Path


def artifact_signature(sha256: str, signing_key: bytes) -> str:
    """HMAC-SHA256 of an artifact's SHA-256 under the deployment's signing key.

    Only a holder of the key can produce it, so a file dropped into the registry by someone
    without the key is refused even if its metadata carries the right checksum.
    """
    return hmac.new(signing_key, f"lapor-nlp-model:{sha256}".encode(), hashlib.sha256).hexdigest()


def sign_metadata(directory: Path, signing_key: bytes) -> ModelMetadata:
    """Add the signature of the artifact as it is now to the directory's metadata."""
    meta = read_metadata(directory)
    meta["artifact_hmac"] = artifact_signature(sha256_file(Path(directory) / ARTIFACT), signing_key)
    _write_metadata(Path(directory), meta)
    return meta


def _write_metadata(directory: Path, meta: ModelMetadata) -> None:
    path = directory / METADATA
    scratch = path.with_name(f".{METADATA}.tmp")
    scratch.write_text(
        json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True), encoding="utf-8"
    )
    os.replace(scratch, path)


def library_versions() -> dict[str, str]:
    """Versions of the libraries an artifact depends on, recorded in its metadata."""

    def version(name: str) -> str:
        try:
            return importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            return "unknown"

    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "PySastrawi": version("PySastrawi"),
        "numpy": version("numpy"),
        "lapor-nlp": version("lapor-nlp"),
    }


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def read_metadata(directory: Path) -> ModelMetadata:
    """A model directory's ``metadata.json``; ModelIntegrityError when missing or unreadable."""
    path = Path(directory) / METADATA
    if not path.is_file():
        raise ModelIntegrityError(f"{directory} is not a model directory: {METADATA} is missing")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelIntegrityError(f"{path} cannot be read: {exc}") from exc
    if not isinstance(data, dict) or "version" not in data or "artifact_sha256" not in data:
        raise ModelIntegrityError(f"{path} lacks the version or artifact_sha256 field")
    return cast(ModelMetadata, data)


def checked_metadata(
    directory: Path,
    *,
    action: str,
    expected_sha256: str | None = None,
    signing_key: bytes | None = None,
) -> ModelMetadata:
    """A model directory's metadata, once its artifact is the one expected.

    The one artifact check: loading, activating in the registry and promoting in the catalog
    all call it, so a changed, corrupted or foreign file is refused the same way everywhere.

    Parameters
    ----------
    directory : Path
        The model directory (``model.joblib`` and ``metadata.json``).
    action : str
        What the caller is about to do (``"load"``, ``"activate"``), named in the error.
    expected_sha256 : str, optional
        The checksum the database recorded when the model was registered. Without it the
        metadata's is used, which only guards against corruption (it sits beside the file).
    signing_key : bytes, optional
        When given, the metadata's HMAC signature must verify with it.

    Raises
    ------
    ModelIntegrityError
        No metadata or artifact, another checksum, or a missing or wrong signature.
    """
    meta = read_metadata(directory)
    artifact = Path(directory) / ARTIFACT
    if not artifact.is_file():
        raise ModelIntegrityError(f"model {meta['version']} has no {ARTIFACT}")
    actual = sha256_file(artifact)
    expected = expected_sha256 or str(meta["artifact_sha256"])
    source = "the registered" if expected_sha256 else "the metadata's"
    if actual != expected:
        raise ModelIntegrityError(
            f"refusing to {action} model {meta['version']}: its artifact's SHA-256 "
            f"{actual[:12]}… does not match {source} {expected[:12]}… "
            "(the file was changed or corrupted)"
        )
    if signing_key is not None:
        signature = meta.get("artifact_hmac", "")
        if not hmac.compare_digest(signature, artifact_signature(actual, signing_key)):
            raise ModelIntegrityError(
                f"refusing to {action} model {meta['version']}: its artifact is not signed "
                "with this deployment's LAPOR_MODEL_SIGNING_KEY"
            )
    return meta


def load_model_dir(
    directory: Path,
    *,
    expected_sha256: str | None = None,
    signing_key: bytes | None = None,
) -> LoadedModel:
    """Load a model directory after checking its checksum, signature and scikit-learn version.

    A pickle runs code when loaded, so nothing is unpickled until the artifact's SHA-256
    matches ``expected_sha256`` (the one the database recorded at registration; without it,
    the metadata's, which only guards against corruption), its signature verifies when a
    ``signing_key`` is given, and the scikit-learn minor version is the one installed.
    """
    directory = Path(directory)
    meta = checked_metadata(
        directory, action="load", expected_sha256=expected_sha256, signing_key=signing_key
    )
    artifact = directory / ARTIFACT
    written_with = str(meta.get("libraries", {}).get("scikit-learn", "unknown"))
    if _minor(written_with) != _minor(sklearn.__version__):
        raise ModelIntegrityError(
            f"refusing to load model {meta['version']}: written by scikit-learn {written_with}, "
            f"this environment has {sklearn.__version__}; retrain the model here"
        )
    written_format = meta.get("artifact_format")
    if written_format != ARTIFACT_FORMAT:
        raise ModelIntegrityError(
            f"refusing to load model {meta['version']}: artifact format {written_format}, "
            f"this version of lapor-nlp reads format {ARTIFACT_FORMAT}; "
            "retrain the model with this version"
        )
    router = joblib.load(artifact)
    return LoadedModel(version=str(meta["version"]), metadata=meta, router=router, path=directory)


def write_model_dir(
    router: Any,
    metadata: ModelMetadata,
    directory: Path,
    *,
    signing_key: bytes | None = None,
) -> ModelMetadata:
    """Write a model directory atomically: a temporary sibling, then one rename.

    Returns the full metadata as written (with checksum, signature when ``signing_key`` is
    given, and library versions added).
    """
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    if directory.exists():
        raise FileExistsError(f"{directory} already exists")
    scratch = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        artifact = scratch / ARTIFACT
        joblib.dump(router, artifact, compress=3)
        full: ModelMetadata = {
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            **metadata,
            "libraries": library_versions(),
            "artifact_format": ARTIFACT_FORMAT,
            "artifact_sha256": sha256_file(artifact),
            "artifact_bytes": artifact.stat().st_size,
        }
        if signing_key is not None:
            full["artifact_hmac"] = artifact_signature(full["artifact_sha256"], signing_key)
        _write_metadata(scratch, full)
        _fsync_dir(scratch)
        os.replace(scratch, directory)
        _fsync_dir(directory.parent)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return full


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
